"""Every form at 80×24 and at 140×40: each picture is the proof that every field and the
Enter/Esc hint fit on screen.

Update after an intended change with:
    python -m pytest tests/tui/test_form_snapshots.py --snapshot-update
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.tui.conftest import settle
from trustjournal.domain.commitment import Commitment, CommitmentStatus
from trustjournal.domain.entry import EntryKind
from trustjournal.domain.person import Person
from trustjournal.domain.promise import Promise
from trustjournal.domain.series import Series
from trustjournal.tui.flows import Flows
from trustjournal.tui.screens.form import FormScreen
from trustjournal.tui.screens.main import MainScreen

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((140, 40), id="140x40")]


def _main(pilot: Pilot[None]) -> MainScreen:
    main = pilot.app.screen_stack[1]
    assert isinstance(main, MainScreen)
    return main


def _person(main: MainScreen, name: str) -> Person:
    assert main.ledger is not None
    return next(p for p in main.ledger.people.values() if p.name == name)


def _open_promise(main: MainScreen) -> Promise:
    """The first open, one-off promise: Marcus's overdue replay."""
    assert main.ledger is not None
    return min((p for p in main.ledger.promises.values() if p.is_open and p.series_id is None),
               key=lambda p: p.id)


def _series_promise(main: MainScreen) -> Promise:
    assert main.ledger is not None
    return next(p for p in main.ledger.promises.values() if p.is_open and p.series_id)


Opener = Callable[[MainScreen], object]

def _ask(main: MainScreen, flow: Callable[[Flows], Coroutine[Any, Any, bool]]) -> None:
    main.flows.app.ask(flow(main.flows))


FORMS: dict[str, Opener] = {
    "add_person": lambda m: m.action_add_person(),
    "edit_person": lambda m: _ask(m, lambda f: f.edit_person(_person(m, "Dana Whitfield"))),
    "quick_line": lambda m: _ask(m, lambda f: f.promise(_person(m, "Dana Whitfield"))),
    "edit_promise": lambda m: (m.query_one("#ledger").focus(), m.action_edit()),
    "commitment": lambda m: _ask(m, lambda f: f.add_commitment(_person(m, "Dana Whitfield"))),
    "entry": lambda m: _ask(m, lambda f: f.entry(_person(m, "Dana Whitfield"))),
    "entry_apology": lambda m: _ask(m, lambda f: f.entry(
        _person(m, "Marcus Oyelaran"), EntryKind.APOLOGY, label="The apology, in your words")),
    "renegotiate": lambda m: _ask(m, lambda f: f.renegotiate(_open_promise(m))),
    "broken": lambda m: _ask(m, lambda f: f.broken(_open_promise(m))),
    "released": lambda m: _ask(m, lambda f: f.released(_open_promise(m))),
    "stance": lambda m: _ask(m, lambda f: f.stance(_person(m, "Marcus Oyelaran"))),
    "breach": lambda m: _ask(m, lambda f: f.breach(_person(m, "Marcus Oyelaran"))),
    "reschedule": lambda m: _ask(m, lambda f: f.reschedule(_person(m, "Sam Iqbal"))),
    "change_series": lambda m: _ask(m, lambda f: f.change_series(_series(m))),
    "stop_series": lambda m: _ask(m, lambda f: f.stop_series(_series(m))),
    "take_up_again": lambda m: _ask(m, lambda f: f.finish_commitment(_dropped(m))),
}


def _dropped(main: MainScreen) -> Commitment:
    """The first commitment as if dropped two days ago, with why (y on it asks first)."""
    from dataclasses import replace
    from datetime import timedelta

    assert main.ledger is not None
    first = min(main.ledger.commitments.values(), key=lambda c: c.id)
    return replace(first, status=CommitmentStatus.DROPPED, why="Foo moved to the platform team",
                   closed_at=main.session.now() - timedelta(days=2))


def _series(main: MainScreen) -> Series:
    assert main.ledger is not None
    series = main.ledger.series_of(_series_promise(main))
    assert series is not None
    return series


def _opened(opener: Opener) -> Callable[[Pilot[None]], Awaitable[None]]:
    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        opener(_main(pilot))
        await settle(pilot)
        assert isinstance(pilot.app.screen, FormScreen)

    return run_before


WIDE = ("add_person", "edit_person", "quick_line", "breach", "broken")
"""At 140x40 the forms with the most fields (the small ones fit there if they fit 80x24):
fewer pictures keep the CI run inside its budget."""


@pytest.mark.parametrize(("form", "size"), [
    *[pytest.param(form, (80, 24), id=f"{form}-80x24") for form in FORMS],
    *[pytest.param(form, (140, 40), id=f"{form}-140x40") for form in WIDE],
])
def test_form_fits(snap_compare, demo_path, make_app, form: str, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(demo_path), terminal_size=size,
                        run_before=_opened(FORMS[form]))


@pytest.mark.parametrize("size", SIZES)
def test_add_person_with_an_error_under_a_field(snap_compare, demo_path, make_app,
                                               size: tuple[int, int]) -> None:
    """The last field focused, with an error under it: it, its error and the hint show."""

    async def typed(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("a", *"Priya Raman", *["enter"] * 4, *"by pigeon", "enter")
        await pilot.pause()

    assert snap_compare(make_app(demo_path), terminal_size=size, run_before=typed)
