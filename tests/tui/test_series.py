"""Recurring promises in the app: the quick line starts a series, closing an occurrence makes
the next in the same change (one undo takes both back), R changes and X stops the series, and
the ledger marks occurrences with ↻ and the rule in words."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

from tests.conftest import BERLIN, FROZEN_NOW
from tests.tui.conftest import settle, shown
from trustjournal.domain.series import SYMBOL
from trustjournal.tui.widgets.panes import PromiseLedger

SIZE = (140, 40)


def stored(path: Path) -> dict:
    return json.loads(path.read_text())


def due_of(doc: dict) -> datetime:
    due = [e["due"] for e in doc["events"] if e.get("due")][-1]
    return datetime.fromisoformat(due.replace("Z", "+00:00")).astimezone(BERLIN)


def occurrences(path: Path, series_id: str) -> dict[str, dict]:
    return {k: v for k, v in stored(path)["promises"].items() if str(v.get("series")) == series_id}


async def select_series_row(pilot, app) -> int:
    """Arrow down the ledger to the first occurrence of a series; returns its promise id."""
    pane = app.main.query_one("#ledger", PromiseLedger)
    assert app.screen.focused is pane
    while not pane.current.repeats:
        await pilot.press("down")
    await pilot.pause()
    return pane.current.promise.id


async def test_quick_line_starts_a_series(demo_path, make_app) -> None:
    app = make_app(demo_path)
    before = set(stored(demo_path)["series"])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("p", *"Dana: sync notes every thu 9am")
        await pilot.pause()
        assert "every Thu 09:00; first due Thu 26 Nov" in shown(pilot)
        await pilot.press("enter")
        await settle(pilot)
        data = stored(demo_path)
        (new,) = set(data["series"]) - before
        series = data["series"][new]
        assert series["text"] == "sync notes"
        assert series["rule"]["days"] == [3] and series["rule"]["at"] == "09:00"
        (first,) = occurrences(demo_path, new).values()
        assert due_of(first) == datetime(2026, 11, 26, 9, 0, tzinfo=BERLIN)
        assert f"{SYMBOL} sync notes" in shown(pilot)


async def test_kept_makes_the_next_occurrence_and_undo_takes_both_back(demo_path,
                                                                       make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        promise_id = await select_series_row(pilot, app)
        series_id = str(stored(demo_path)["promises"][str(promise_id)]["series"])
        first_due = due_of(stored(demo_path)["promises"][str(promise_id)])
        await pilot.press("k")
        await settle(pilot)
        made = occurrences(demo_path, series_id)
        assert made[str(promise_id)]["events"][-1]["kind"] == "kept"
        upcoming = [doc for doc in made.values() if doc["events"][-1]["kind"] == "made"]
        assert [due_of(doc) for doc in upcoming] == [first_due + timedelta(days=7)]
        assert stored(demo_path)["series"][series_id]["current"] != promise_id
        await pilot.press("u")
        await settle(pilot)
        after_undo = occurrences(demo_path, series_id)
        assert set(after_undo) == set(made) - {k for k, d in made.items()
                                               if d["events"][-1]["kind"] == "made"}
        assert after_undo[str(promise_id)]["events"][-1]["kind"] == "made"
        assert stored(demo_path)["series"][series_id]["current"] == promise_id


async def test_stop_series_asks_why_and_releases_the_upcoming_one(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        promise_id = await select_series_row(pilot, app)
        assert "R changes · X stops the series" in shown(pilot)
        await pilot.press("X")
        await pilot.pause()
        await pilot.press("enter")  # no reason given: the form says so under the field
        await pilot.pause()
        assert "a few words of why" in shown(pilot)
        await pilot.press(*"Dana reads the dashboard now", "enter")
        await settle(pilot)
        data = stored(demo_path)
        series_id = str(data["promises"][str(promise_id)]["series"])
        events = data["series"][series_id]["events"]
        assert events[-1]["kind"] == "stopped" and events[-1]["note"] == (
            "Dana reads the dashboard now")
        assert data["promises"][str(promise_id)]["events"][-1]["kind"] == "released"
        assert SYMBOL not in shown(pilot)  # closed: off the open ledger


async def test_change_series_moves_its_day_and_time(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        promise_id = await select_series_row(pilot, app)
        await pilot.press("R")
        await pilot.pause()
        await pilot.press("ctrl+u", *"every someday")
        await pilot.pause()
        assert "could not read" in shown(pilot)
        await pilot.press("ctrl+u", *"every tue 11am")
        await pilot.pause()
        assert "every Tue 11:00; next due Tue 1 Dec" in shown(pilot)
        await pilot.press("enter", "enter")
        await settle(pilot)
        data = stored(demo_path)
        series_id = str(data["promises"][str(promise_id)]["series"])
        rule = data["series"][series_id]["rule"]
        assert rule["days"] == [1] and rule["at"] == "11:00"
        assert data["series"][series_id]["events"][-1]["kind"] == "changed"
        assert due_of(data["promises"][str(promise_id)]) == datetime(2026, 12, 1, 11, 0,
                                                                     tzinfo=BERLIN)
        assert "every Tue 11:00" in shown(pilot) or "Tue 11:00" in shown(pilot)


async def test_ledger_marks_occurrences_at_both_sizes(demo_path, make_app) -> None:
    for size in ((140, 40), (80, 24)):
        app = make_app(demo_path)
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            lines = [line for line in shown(pilot).splitlines() if SYMBOL in line]
            assert len(lines) == 1, lines
            (line,) = lines
            assert f"{SYMBOL} Monday status note" in line
            if size[0] >= 140:
                assert "Mon 10:00" in line.split(SYMBOL)[1]
            assert len(line) == size[0] and line.rstrip().endswith("│")


async def test_person_page_marks_occurrences(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("shift+tab")
        people = app.main.query_one("#people")
        while people.current.person is None or people.current.person.name != "Dana Whitfield":
            await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot)
        assert f"{SYMBOL} Monday status note · every Mon 10:00" in shown(pilot)


async def test_review_summary_sums_up_each_series(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        review = app.screen
        while review.item.step.value != "summary":
            await pilot.press("enter" if review.item.step.value == "stance" else "s")
        await settle(pilot)
        assert "Recurring promises" in shown(pilot)
        assert f"{SYMBOL} Monday status note to Dana:" in shown(pilot)


async def test_a_due_series_is_advanced_on_load(demo_path, make_app, clock) -> None:
    clock.now = FROZEN_NOW + timedelta(days=6)  # past Monday 30 Nov 10:00
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        data = stored(demo_path)
        (series_id,) = data["series"]
        upcoming = [due_of(d) for d in occurrences(demo_path, series_id).values()
                    if d["events"][-1]["kind"] == "made"]
        assert datetime(2026, 12, 7, 10, 0, tzinfo=BERLIN) in upcoming
