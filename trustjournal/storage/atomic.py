"""Crash-safe replacement of a file: a reader sees the old bytes or the new, never a mix."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

NEW_FILE_MODE = 0o600
NEW_DIR_MODE = 0o700
TEMP_MARK = ".tmp-"


def target_of(path: Path) -> Path:
    """Follow a symlinked journal so the link stays a link and the target gets the new bytes."""
    return Path(os.path.realpath(path))


def temp_prefix(target: Path) -> str:
    return f".{target.name}{TEMP_MARK}"


def ensure_directory(directory: Path) -> None:
    if not directory.exists():
        directory.mkdir(mode=NEW_DIR_MODE, parents=True, exist_ok=True)


def atomic_write(path: Path, data: bytes) -> None:
    """Write beside the target, fsync, rename over it, fsync the folder.

    Never truncates in place: a crash at any point leaves either the old journal or the new one,
    plus at most a temp file that `remove_stale_temps` deletes under the lock.
    """
    target = target_of(path)
    directory = target.parent
    ensure_directory(directory)
    try:
        mode = os.stat(target).st_mode & 0o7777
    except FileNotFoundError:
        mode = NEW_FILE_MODE
    # os.urandom(4).hex() is secrets.token_hex(4) without importing secrets (hmac, hashlib).
    temp = directory / f"{temp_prefix(target)}{os.getpid()}-{os.urandom(4).hex()}"
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, NEW_FILE_MODE)
    try:
        try:
            os.fchmod(fd, mode)  # os.open's mode is filtered by the umask; the journal's is not
            view = memoryview(data)
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


def remove_stale_temps(path: Path) -> int:
    """Delete temp files left by a killed writer. Call only while holding the journal lock."""
    target = target_of(path)
    prefix = temp_prefix(target)
    removed = 0
    try:
        names = os.listdir(target.parent)
    except OSError:
        return 0
    for name in names:
        if name.startswith(prefix):
            with contextlib.suppress(OSError):
                os.unlink(target.parent / name)
                removed += 1
    return removed
