from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.conftest import BERLIN, FROZEN_NOW
from trustjournal.demo import write_demo
from trustjournal.storage.journal import Journal
from trustjournal.tui.app import TrustJournalApp


class Clock:
    """A frozen 'now' that a test can move forward."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(FROZEN_NOW)


@pytest.fixture
def demo_path(journal_path: Path) -> Path:
    write_demo(Journal(journal_path), FROZEN_NOW, BERLIN)
    return journal_path


AppFactory = Callable[..., TrustJournalApp]


@pytest.fixture
def make_app(clock: Clock) -> AppFactory:
    def make(path: Path, **kwargs: object) -> TrustJournalApp:
        return TrustJournalApp(Journal(path), clock=clock, zone=BERLIN, **kwargs)

    return make


async def settle(pilot: Pilot[None]) -> None:
    """Wait for the journal workers (load, save, undo) and the redraw they cause; not for a
    question waiting on its answer (the "ask" workers)."""
    for _ in range(3):
        await pilot.pause()
        workers = [w for w in pilot.app.workers if not w.is_finished and w.group != "ask"]
        for worker in workers:
            await worker.wait()
    await pilot.pause()


def shown(pilot: Pilot[None]) -> str:
    """The text on screen, as a person reads it (colour aside)."""
    strips = pilot.app.screen._compositor.render_strips()
    return "\n".join(strip.text for strip in strips)
