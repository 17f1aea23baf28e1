"""Rolling daily backups: before the first change of each day, keep a copy of the journal.

Backups live in a `backups/` folder beside the journal (0700), one file a day (0600), the last
seven kept. They are plain copies: open one with `--db` to look, or `trustjournal restore`.

Nothing in the folder is trusted that trustjournal did not write: a link there is replaced,
never written through; a file that is not a regular file of yours is neither listed nor
restored (`stray_files` names it, for doctor); the folder itself must be a real folder of
yours, or no backup is written there at all.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from trustjournal.storage.atomic import (
    BACKUP_FOLDER,
    atomic_write,
    ensure_directory,
    stale_temps,
    target_of,
)
from trustjournal.storage.errors import JournalError, JournalWriteError
from trustjournal.storage.files import NotAFile, open_regular

KEEP_DAYS = 7
_NAME = re.compile(r"^(?P<stem>.+)\.(?P<day>\d{4}-\d{2}-\d{2})(?P<tag>[-a-z0-9]*)\.json$")


@dataclass(frozen=True, slots=True)
class Backup:
    """One backup file in the folder: the day it was taken, its size, and its tag (empty for
    a daily one, "-before-fix" and the like for one taken before a change of the whole file)."""

    path: Path
    day: date
    size: int
    tag: str = ""

    @property
    def label(self) -> str:
        return f"{self.day.isoformat()}{self.tag}"


def backup_folder(journal: Path) -> Path:
    return target_of(journal).parent / BACKUP_FOLDER


def _stem(journal: Path) -> str:
    return target_of(journal).stem


def _is_ours(info: os.stat_result) -> bool:
    """A regular file (not a link, FIFO or device) owned by whoever runs trustjournal."""
    return stat.S_ISREG(info.st_mode) and info.st_uid == os.getuid()


def _scan(journal: Path) -> tuple[list[tuple[Backup, int]], list[Path]]:
    """The backups of this journal with their mtimes, and the entries named like one that
    trustjournal did not write (links, FIFOs, folders, other users' files)."""
    folder = backup_folder(journal)
    stem = _stem(journal)
    found: list[tuple[Backup, int]] = []
    planted: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return [], []
    for entry in entries:
        match = _NAME.match(entry.name)
        if not match or match.group("stem") != stem:
            continue
        try:
            day = date.fromisoformat(match.group("day"))
            info = entry.stat(follow_symlinks=False)
        except (ValueError, OSError):
            continue
        if not _is_ours(info):
            planted.append(folder / entry.name)
            continue
        found.append((Backup(folder / entry.name, day, info.st_size, match.group("tag")),
                      info.st_mtime_ns))
    return found, planted


def list_backups(journal: Path) -> list[Backup]:
    """Newest first. Only regular files of yours: a planted link or file is never offered."""
    found, _ = _scan(journal)
    found.sort(key=lambda pair: (pair[0].day, pair[1]), reverse=True)
    return [b for b, _ in found]


def stray_files(journal: Path) -> list[Path]:
    """What doctor should report: temp files left by killed writers (beside the journal and in
    backups/; the next change removes them), and entries in backups/ named like a backup that
    trustjournal did not write (a link, a FIFO, another user's file), which are never listed,
    restored or written through."""
    _, planted = _scan(journal)
    return sorted(stale_temps(journal)) + sorted(planted)


def _checked_folder(journal: Path) -> Path:
    """The backups folder, made if missing; refused when it is a link or someone else's."""
    folder = backup_folder(journal)
    try:
        ensure_directory(folder)
        info = os.lstat(folder)
    except OSError as error:
        raise JournalWriteError(
            journal, f"could not make its backups folder {folder} ({error.strerror or error}); "
            "nothing changed on disk"
        ) from None
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
        what = "a link" if stat.S_ISLNK(info.st_mode) else (
            "not a folder" if not stat.S_ISDIR(info.st_mode) else "owned by another user")
        raise JournalError(
            journal, f"its backups folder {folder} is {what}, so no backup can be kept safely "
            "there; move it away and retry (nothing changed on disk)"
        )
    return folder


def write_backup(journal: Path, raw: bytes, day: date, tag: str = "") -> Path:
    """Write one backup (0600). Whatever was at its name, a planted link included, is replaced
    and never written through."""
    folder = _checked_folder(journal)
    path = folder / f"{_stem(journal)}.{day.isoformat()}{tag}.json"
    atomic_write(path, raw, follow_links=False)
    return path


def read_backup(path: Path) -> bytes:
    """A backup's bytes, for restore: refused unless it is a regular file of yours (checked on
    the opened file, without following a link, and never opening a FIFO or a device)."""
    try:
        fd = open_regular(path, follow_links=False)
    except NotAFile as error:
        raise JournalError(path, f"is {error.kind}, not a backup; not restored") from None
    except OSError as error:
        raise JournalError(path, f"cannot be read ({error.strerror}); not restored") from None
    with open(fd, "rb") as handle:
        owner = os.fstat(handle.fileno()).st_uid
        if owner != os.getuid():
            raise JournalError(path, f"is owned by another user (uid {owner}), so it is not "
                               "trusted as a backup; not restored")
        return handle.read()


def has_backup_for(journal: Path, now: datetime) -> bool:
    """Whether today's backup exists: one lstat, so every change can afford to ask."""
    today = now.astimezone().date()
    try:
        info = os.lstat(backup_folder(journal) / f"{_stem(journal)}.{today.isoformat()}.json")
    except OSError:
        return False
    return _is_ours(info)


def _prune_order(backup: Backup, today: date) -> date:
    # A backup dated after today (a clock that was wrong, a pinned TRUSTJOURNAL_NOW) is not
    # newer than today's: it goes first when pruning instead of keeping a slot for ever.
    return backup.day if backup.day <= today else date.min


def daily_backup(journal: Path, raw: bytes, now: datetime) -> Path | None:
    """Keep today's first state of the journal; prune to the last KEEP_DAYS days.

    Called inside the journal lock just before a write, with the bytes about to be replaced.
    """
    today = now.astimezone().date()
    if any(b.day == today and not b.tag for b in list_backups(journal)):
        return None
    path = write_backup(journal, raw, today)
    daily = sorted((b for b in list_backups(journal) if not b.tag),
                   key=lambda b: _prune_order(b, today), reverse=True)
    for old in daily[KEEP_DAYS:]:
        with contextlib.suppress(OSError):
            old.path.unlink()
    return path
