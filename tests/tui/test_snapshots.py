"""Pictures of the screens at a frozen date: a change in what a person sees shows up in review.

Update after an intended change with: python -m pytest tests/tui/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.conftest import FROZEN_NOW
from tests.tui.conftest import settle
from trustjournal.domain.entry import Entry, EntryKind
from trustjournal.domain.repair import Cause, Repair
from trustjournal.storage.journal import Journal


async def _ready(pilot: Pilot[None]) -> None:
    await settle(pilot)


def test_main_screen(snap_compare, demo_path, make_app) -> None:
    assert snap_compare(make_app(demo_path), terminal_size=(140, 40), run_before=_ready)


def test_main_screen_narrow(snap_compare, demo_path, make_app) -> None:
    assert snap_compare(make_app(demo_path), terminal_size=(80, 24), run_before=_ready)


def test_quick_line_with_preview(snap_compare, demo_path, make_app) -> None:
    async def typed(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("p", *"Dana: send the Foo risk list by fri 5pm")
        await pilot.pause()

    assert snap_compare(make_app(demo_path), terminal_size=(140, 40), run_before=typed)


def _every_section_filled(path: Path) -> None:
    """Marcus has a profile, goals, commitments, promises and trust in the demo; add a repair
    and a journal, so every section of his page has something in it."""
    journal = Journal(path)
    with journal.transaction(FROZEN_NOW) as tx:
        marcus = tx.find_person("Marcus Oyelaran")
        tx.add(Repair(0, marcus.id, "missed the hand-off notes for the ledger export",
                      FROZEN_NOW - timedelta(days=20), Cause.parse("communication"), 1))
        tx.add(Entry(0, marcus.id, EntryKind.APOLOGY, "said sorry for the hand-off, no excuses",
                     FROZEN_NOW - timedelta(days=19)))


async def _marcus(pilot: Pilot[None]) -> None:
    await settle(pilot)
    # Marcus: a detractor turned skeptic, with an overdue promise.
    await pilot.press("shift+tab", "down", "down", "enter")
    await settle(pilot)


@pytest.mark.parametrize("size", [(80, 24), (140, 40)], ids=["80x24", "140x40"])
def test_person_page(snap_compare, demo_path, make_app, size) -> None:
    _every_section_filled(demo_path)
    assert snap_compare(make_app(demo_path), terminal_size=size, run_before=_marcus)


def test_person_page_scrolled_to_the_journal(snap_compare, demo_path, make_app) -> None:
    """The lower sections: tab moves down the page, each section in view as it is reached."""
    _every_section_filled(demo_path)

    async def journal(pilot: Pilot[None]) -> None:
        await _marcus(pilot)
        await pilot.press("tab", "tab", "tab")
        await settle(pilot)

    assert snap_compare(make_app(demo_path), terminal_size=(140, 40), run_before=journal)


def test_empty_first_screen(snap_compare, journal_path, make_app) -> None:
    assert snap_compare(make_app(journal_path), terminal_size=(140, 40), run_before=_ready)


def test_review_first_step(snap_compare, demo_path, make_app) -> None:
    async def started(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)

    assert snap_compare(make_app(demo_path), terminal_size=(140, 40), run_before=started)


def test_review_summary(snap_compare, demo_path, make_app) -> None:
    async def walked(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        review = pilot.app.screen
        while review.item.step.value != "summary":
            await pilot.press("enter" if review.item.step.value == "stance" else "s")
        await settle(pilot)

    assert snap_compare(make_app(demo_path), terminal_size=(140, 40), run_before=walked)
