"""Crash-safe replacement of a file: a reader sees the old bytes or the new, never a mix."""

from __future__ import annotations

import contextlib
import os
import re
import stat
from collections.abc import Sequence
from pathlib import Path

NEW_FILE_MODE = 0o600
NEW_DIR_MODE = 0o700
TEMP_MARK = ".tmp-"
BACKUP_FOLDER = "backups"


def target_of(path: Path) -> Path:
    """Follow a symlinked journal so the link stays a link and the target gets the new bytes."""
    return Path(os.path.realpath(path))


def temp_prefix(target: Path) -> str:
    return f".{target.name}{TEMP_MARK}"


def ensure_directory(directory: Path) -> None:
    """Make the folder and every missing parent, each 0700 whatever the umask.

    mkdir's mode is filtered by the umask (and `parents=True` gives the parents the default
    0777 & ~umask), so each folder made here is chmod-ed explicitly. Folders that already
    exist are left as they are.
    """
    if directory.is_dir():
        return
    missing: list[Path] = []
    folder = directory
    while not os.path.lexists(folder) and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=NEW_DIR_MODE)
        except FileExistsError:
            continue  # another process made it first: theirs, not ours to chmod
        _private_folder(folder)


def _private_folder(folder: Path) -> None:
    # Through a descriptor opened without following a link, so a folder swapped for a link
    # between the mkdir and here is never chmod-ed through it.
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError:
        return
    try:
        os.fchmod(fd, NEW_DIR_MODE)
    finally:
        os.close(fd)


def atomic_write(path: Path, data: bytes | Sequence[bytes | memoryview], *,
                 follow_links: bool = True) -> None:
    """Write beside the target, fsync, rename over it, fsync the folder.

    `data` may come in parts, written one after the other: the journal is encoded in parts
    (storage/layout.py), and joining 40 MB of them first cost 25-35 ms here.

    Never truncates in place: a crash at any point leaves either the old journal or the new one,
    plus at most a temp file that `remove_stale_temps` deletes under the lock.

    `follow_links=False` (backups) replaces whatever is at `path` itself, a planted link
    included, and never writes through it; the new file is then always 0600.
    """
    target = target_of(path) if follow_links else path
    directory = target.parent
    ensure_directory(directory)
    mode = NEW_FILE_MODE
    if follow_links:
        with contextlib.suppress(FileNotFoundError):
            mode = os.stat(target).st_mode & 0o7777
    # os.urandom(4).hex() is secrets.token_hex(4) without importing secrets (hmac, hashlib).
    temp = directory / f"{temp_prefix(target)}{os.getpid()}-{os.urandom(4).hex()}"
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, NEW_FILE_MODE)
    try:
        try:
            os.fchmod(fd, mode)  # os.open's mode is filtered by the umask; the journal's is not
            for part in [data] if isinstance(data, bytes) else data:
                view = memoryview(part)
                while view:
                    written = os.write(fd, view)
                    view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    fsync_directory(directory)


def fsync_directory(directory: Path) -> None:
    """Make the rename itself durable, best effort.

    It never raises: it runs after os.replace has committed the change, so an error here must
    not be reported as "nothing changed". Some filesystems refuse to fsync a folder at all.
    """
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    with contextlib.suppress(OSError):
        os.fsync(fd)
    with contextlib.suppress(OSError):
        os.close(fd)


def stale_temps(path: Path) -> list[Path]:
    """Temp files of this journal's writes, beside it and in its backups folder.

    Every such write happens inside the journal lock, so while the lock is held each of them
    was left by a writer that was killed or crashed.
    """
    target = target_of(path)
    found = [target.parent / n for n in _names(target.parent)
             if n.startswith(temp_prefix(target))]
    backups = target.parent / BACKUP_FOLDER
    if _is_own_folder(backups):
        pattern = backup_temp_pattern(target.stem)
        found += [backups / n for n in _names(backups) if pattern.match(n)]
    return found


def backup_temp_pattern(stem: str) -> re.Pattern[str]:
    """The names atomic_write gives its temp files for this journal's backups."""
    return re.compile(rf"^\.{re.escape(stem)}\.\d{{4}}-\d{{2}}-\d{{2}}[-a-z0-9]*\.json"
                      rf"{re.escape(TEMP_MARK)}")


def _names(folder: Path) -> list[str]:
    try:
        return os.listdir(folder)
    except OSError:
        return []


def _is_own_folder(folder: Path) -> bool:
    try:
        info = os.lstat(folder)
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid()


def remove_stale_temps(path: Path) -> int:
    """Delete temp files left by a killed writer, beside the journal and in its backups folder.

    Call only while holding the journal lock.
    """
    removed = 0
    for stale in stale_temps(path):
        with contextlib.suppress(OSError):
            os.unlink(stale)
            removed += 1
    return removed
