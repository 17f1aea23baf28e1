"""Pictures of the screens at a frozen date: a change in what a person sees shows up in review.

Update after an intended change with: python -m pytest tests/tui/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

from textual.pilot import Pilot

from tests.tui.conftest import settle


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


def test_person_page(snap_compare, demo_path, make_app) -> None:
    async def opened(pilot: Pilot[None]) -> None:
        await settle(pilot)
        # Marcus: a detractor turned skeptic, with an overdue promise.
        await pilot.press("shift+tab", "down", "down", "enter")
        await pilot.pause()

    assert snap_compare(make_app(demo_path), terminal_size=(140, 40), run_before=opened)


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
