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
