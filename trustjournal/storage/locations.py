"""The one place that knows where the journal lives."""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "TRUSTJOURNAL_DB"


def default_journal_path() -> Path:
    override = os.environ.get(ENV_VAR, "").strip()
    if override:
        return Path(override).expanduser()
    # Imported here: platformdirs is cheap, but the override path should not need it at all.
    from platformdirs import user_data_path

    return user_data_path("trustjournal", appauthor=False) / "journal.json"


def resolve_journal_path(cli_value: str | None) -> Path:
    """--db wins over TRUSTJOURNAL_DB, which wins over the platform's data folder."""
    if cli_value:
        return Path(cli_value).expanduser()
    return default_journal_path()


def folder_warning(journal: Path) -> str | None:
    """One warning line when other users can change the folder the journal lives in, else None.

    Whoever can write to that folder can plant files beside the journal (a link at the lock's
    name, a backups folder of theirs) or replace the journal itself. trustjournal refuses what
    it finds planted, but only moving the journal, or `chmod 700` on the folder, ends it. A
    folder writable by your own group only is fine when the group is yours alone (the usual
    one-user group): only a group that is not your own counts.
    """
    import stat

    from trustjournal.storage.atomic import target_of

    folder = target_of(journal).parent
    try:
        info = os.stat(folder)
    except OSError:
        return None
    mode = stat.S_IMODE(info.st_mode)
    loose = bool(mode & stat.S_IWOTH) or (bool(mode & stat.S_IWGRP) and info.st_gid != os.getgid())
    if not loose:
        return None
    sticky = " (sticky, but others can still add files)" if mode & stat.S_ISVTX else ""
    return (
        f"trustjournal: warning: the folder {folder} can be written by other users (mode "
        f"{mode:o}{sticky}), who could plant files beside the journal; keep the journal in a "
        f"folder of your own, or chmod 700 {folder}"
    )
