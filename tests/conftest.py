"""Shared fixtures: a temp journal, a frozen clock, and an environment that can't leak."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

BERLIN = ZoneInfo("Europe/Berlin")
# Wednesday 25 November 2026, 10:00 in Berlin: mid-week, mid-morning.
FROZEN_NOW = datetime(2026, 11, 25, 10, 0, tzinfo=BERLIN)


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import os

    for name in [n for n in os.environ if n.startswith("TRUSTJOURNAL_")]:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    # A settings file of the person running the tests must not reach them.
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("TZ", "Europe/Berlin")


@pytest.fixture
def now() -> datetime:
    return FROZEN_NOW


@pytest.fixture
def zone() -> ZoneInfo:
    return BERLIN


@pytest.fixture
def journal_path(tmp_path: Path) -> Path:
    return tmp_path / "journal" / "journal.json"
