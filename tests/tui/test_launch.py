"""`launch`'s exit status: a crashed app exits non-zero (issue 13, item 8)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.pilot import Pilot

from tests.conftest import BERLIN, FROZEN_NOW
from trustjournal.storage.journal import Journal
from trustjournal.tui import app as app_module
from trustjournal.tui import launch


async def _quit(pilot: Pilot[Any]) -> None:
    await pilot.pause()
    await pilot.press("q")


@pytest.fixture(autouse=True)
def _headless(monkeypatch: pytest.MonkeyPatch) -> None:
    """launch() runs the real app, headless, and presses q once it is up."""

    def run(self: App[Any], *args: Any, **kwargs: Any) -> Any:
        return App.run(self, headless=True, auto_pilot=_quit)

    monkeypatch.setattr(app_module.TrustJournalApp, "run", run)


def test_a_crashed_app_exits_non_zero(journal_path: Path) -> None:
    def clock() -> datetime:  # what a clock pinned at 9999-12-31 ends in, anywhere in the app
        raise OverflowError("date value out of range")

    assert launch(Journal(journal_path), BERLIN, clock=clock) == 1


def test_a_quit_app_exits_zero(journal_path: Path) -> None:
    assert launch(Journal(journal_path), BERLIN, clock=lambda: FROZEN_NOW) == 0
