"""Rolling daily backups: before the first change of each day, keep a copy of the journal.

Backups live in a `backups/` folder beside the journal (0700), one file a day (0600), the last
seven kept. They are plain copies: open one with `--db` to look, or `trustjournal restore`.
"""

from __future__ import annotations

import contextlib
import os
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from trustjournal.storage.atomic import NEW_FILE_MODE, atomic_write, ensure_directory, target_of

KEEP_DAYS = 7
_NAME = re.compile(r"^(?P<stem>.+)\.(?P<day>\d{4}-\d{2}-\d{2})(?P<tag>[-a-z0-9]*)\.json$")


@dataclass(frozen=True, slots=True)
class Backup:
    path: Path
    day: date
    size: int
    tag: str = ""

    @property
    def label(self) -> str:
        return f"{self.day.isoformat()}{self.tag}"


def backup_folder(journal: Path) -> Path:
    return target_of(journal).parent / "backups"


def _stem(journal: Path) -> str:
    return target_of(journal).stem


def list_backups(journal: Path) -> list[Backup]:
    """Newest first."""
    folder = backup_folder(journal)
    stem = _stem(journal)
    found: list[Backup] = []
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    for name in names:
        match = _NAME.match(name)
        if not match or match.group("stem") != stem:
            continue
        try:
            day = date.fromisoformat(match.group("day"))
            size = (folder / name).stat().st_size
        except (ValueError, OSError):
            continue
        found.append(Backup(folder / name, day, size, match.group("tag")))
    found.sort(key=lambda b: (b.day, b.path.stat().st_mtime_ns), reverse=True)
    return found


def write_backup(journal: Path, raw: bytes, day: date, tag: str = "") -> Path:
    folder = backup_folder(journal)
    ensure_directory(folder)
    path = folder / f"{_stem(journal)}.{day.isoformat()}{tag}.json"
    atomic_write(path, raw)
    os.chmod(path, NEW_FILE_MODE)  # a copy of a private journal is as private as the journal
    return path


def has_backup_for(journal: Path, now: datetime) -> bool:
    """Whether today's backup exists: one stat, so every change can afford to ask."""
    today = now.astimezone().date()
    return (backup_folder(journal) / f"{_stem(journal)}.{today.isoformat()}.json").exists()


def daily_backup(journal: Path, raw: bytes, now: datetime) -> Path | None:
    """Keep today's first state of the journal; prune to the last KEEP_DAYS days.

    Called inside the journal lock just before a write, with the bytes about to be replaced.
    """
    today = now.astimezone().date()
    if any(b.day == today and not b.tag for b in list_backups(journal)):
        return None
    path = write_backup(journal, raw, today)
    daily = [b for b in list_backups(journal) if not b.tag]
    for old in daily[KEEP_DAYS:]:
        with contextlib.suppress(OSError):
            old.path.unlink()
    return path
