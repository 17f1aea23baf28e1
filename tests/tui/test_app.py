"""The app as a person uses it: keys in, then what the journal file holds and what is shown."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from tests.conftest import BERLIN, FROZEN_NOW
from tests.tui.conftest import Clock, settle, shown, until
from trustjournal.domain.person import Person
from trustjournal.domain.promise import Promise
from trustjournal.storage import atomic
from trustjournal.storage.journal import Journal
from trustjournal.storage.records import PROMISES
from trustjournal.tui.screens.form import FormScreen
from trustjournal.tui.screens.help import HelpScreen
from trustjournal.tui.screens.main import MainScreen
from trustjournal.tui.screens.person import PersonScreen
from trustjournal.tui.widgets.panes import PeopleList, PromiseLedger

SIZE = (140, 40)


def stored(path: Path) -> dict:
    return json.loads(path.read_text())


def main_of(app) -> MainScreen:
    return app.main


async def select_person(pilot, app, name: str) -> PeopleList:
    """Tab to the People pane and arrow down to `name`, as a person would."""
    await pilot.press("shift+tab")
    people = main_of(app).query_one("#people", PeopleList)
    assert app.screen.focused is people
    while people.current.person is None or people.current.person.name != name:
        await pilot.press("down")
    return people


def ledger_ids(app) -> list[int]:
    pane = main_of(app).query_one("#ledger", PromiseLedger)
    return [row.promise.id for row in pane.items]


async def test_main_screen_shows_overdue_first_and_unmistakable(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = shown(pilot)
        lines = [line for line in screen.splitlines() if "#" in line and "Nov" in line]
        assert "! OVERDUE" in lines[0] and "replay last month's data" in lines[0]
        assert "! OVERDUE" in lines[1]
        assert "• due today" in lines[2]
        assert "! 2 overdue" in screen and "• 1 due today" in screen and "check-ins due" in screen
        assert "Dana Whitfield" in screen and "Commitments" in screen


async def test_p_logs_a_promise_from_one_line_with_a_preview(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await pilot.press(*"Dana: send the Foo risk list by fri 5pm")
        await pilot.pause()
        assert "to Dana Whitfield, due Fri 27 Nov 17:00 (in 2 days)" in shown(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, FormScreen)
    promises = stored(demo_path)["promises"]
    newest = promises[max(promises, key=int)]
    assert newest["text"] == "send the Foo risk list" and newest["to"] == 1
    assert newest["events"][0]["due"] == "2026-11-27T16:00:00Z"


@pytest.mark.parametrize(("line", "message"), [
    ("send the list by fri", "start with who it is for"),
    ("Zed: send the list", 'after "by"'),
    ("Dana: send the list", 'after "by"'),
    ("Dana: send the list by fridya", "could not read"),
    ("Dana: send the list by yesterday", "already past"),
])
async def test_bad_quick_line_says_why_and_saves_nothing(demo_path, make_app, line, message):
    before = demo_path.read_bytes()
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("p", *line, "enter")
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)
        assert message in shown(pilot)
        assert app.screen.focused is not None and app.screen.focused.id == "f-line"
        await pilot.press("escape")
        await settle(pilot)
    assert demo_path.read_bytes() == before


async def test_a_colon_in_the_text_keeps_the_selected_person(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select_person(pilot, app, "Sam Iqbal")
        await pilot.press("p", *"send notes: v2 by fri 5pm")
        await pilot.pause()
        assert "send notes: v2 — to Sam Iqbal, due Fri 27 Nov 17:00" in shown(pilot)
        await pilot.press("enter")
        await settle(pilot)
    promises = stored(demo_path)["promises"]
    newest = promises[max(promises, key=int)]
    people = stored(demo_path)["people"]
    assert newest["text"] == "send notes: v2" and people[str(newest["to"])]["name"] == "Sam Iqbal"
    assert not any(p["name"] == "send notes" for p in people.values())


async def test_k_marks_the_selected_promise_kept(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        first = ledger_ids(app)[0]
        await pilot.press("k")
        await settle(pilot)
        assert first not in ledger_ids(app)
    events = stored(demo_path)["promises"][str(first)]["events"]
    assert events[-1] == {"kind": "kept", "at": "2026-11-25T09:00:00Z"}


async def test_r_renegotiates_with_new_due_and_note(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "down")  # the one due today: renegotiated before it is due
        target = main_of(app).query_one("#ledger", PromiseLedger).current.promise.id
        await pilot.press("r", *"next tue")
        await pilot.pause()
        assert "before it is due" in shown(pilot)
        await pilot.press("enter", *"asked Sam; the estimate needs Lena", "enter")
        await settle(pilot)
    last = stored(demo_path)["promises"][str(target)]["events"][-1]
    assert last["kind"] == "renegotiated" and last["due"] == "2026-12-01T16:00:00Z"
    assert last["note"] == "asked Sam; the estimate needs Lena"


async def test_r_refuses_a_past_due_inline(demo_path, make_app) -> None:
    before = demo_path.read_bytes()
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("r", *"yesterday", "enter")
        await pilot.pause()
        assert "has to be ahead" in shown(pilot)
        assert app.screen.focused.id == "f-due"
    assert demo_path.read_bytes() == before


@pytest.mark.parametrize(("key", "kind"), [("b", "broken"), ("x", "released")])
async def test_b_and_x_close_with_a_note(demo_path, make_app, key, kind) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        target = ledger_ids(app)[0]
        await pilot.press(key, "enter")  # an empty note is refused ...
        await pilot.pause()
        assert "a few words of why" in shown(pilot)
        await pilot.press(*"they moved on", "enter")  # ... a real one is saved
        if key == "b":
            await pilot.press(*"judg", "enter")  # the optional cause starts a repair
        await settle(pilot)
    last = stored(demo_path)["promises"][str(target)]["events"][-1]
    assert last["kind"] == kind and last["note"] == "they moved on"
    repairs = list(stored(demo_path).get("repairs", {}).values())
    if key == "b":
        assert [(r["promise"], r["cause"]) for r in repairs] == [(target, "judgement")]
    else:
        assert repairs == []


async def test_n_logs_an_entry_for_the_selected_person(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select_person(pilot, app, "Dana Whitfield")
        await pilot.press("n")
        await pilot.press(*["backspace"] * 10, *"apology", "enter")
        await pilot.press(*"for the late numbers", "enter")
        await settle(pilot)
    entries = stored(demo_path)["entries"]
    newest = entries[max(entries, key=int)]
    assert (newest["person"], newest["kind"], newest["text"]) == (1, "apology",
                                                                  "for the late numbers")


async def test_a_adds_a_person_and_refuses_a_duplicate(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a", *"Priya Raman", "enter", *"VP Engineering", "enter", "enter")
        await pilot.press(*["backspace"] * 7, *"skeptic", "enter", *"every 2 weeks on tue",
                          "enter", "enter", *"early warning on slips", "enter", "enter")
        await settle(pilot)
        assert "Priya Raman" in shown(pilot)
        await pilot.press("a", *"dana whitfield", "enter", "enter", "enter", "enter", "enter",
                          "enter")
        await settle(pilot)
    people = stored(demo_path)["people"]
    names = [p["name"] for p in people.values()]
    assert names.count("Priya Raman") == 1 and names.count("Dana Whitfield") == 1
    priya = next(p for p in people.values() if p["name"] == "Priya Raman")
    assert priya["stance_history"][0]["stance"] == "skeptic"
    assert priya["needs"] == "early warning on slips"
    assert priya["checkin"] == "every 2 weeks on tue" and priya["role"] == "VP Engineering"


async def test_c_adds_a_commitment_serving_a_goal(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select_person(pilot, app, "Marcus Oyelaran")
        await pilot.press("c", *"write the cut-over runbook", "enter", *"nope", "enter")
        await pilot.pause()
        assert "has no goal like that" in shown(pilot)
        await pilot.press(*["backspace"] * 4, *"project foo", "enter", *"runbook reviewed",
                          "enter")
        await settle(pilot)
    commitments = stored(demo_path)["commitments"]
    newest = commitments[max(commitments, key=int)]
    assert newest["text"] == "write the cut-over runbook"
    assert newest["goal"] == "Project Foo: payments migration ships in May"


async def test_e_rewords_the_selected_promise(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        target = ledger_ids(app)[0]
        await pilot.press("e", "end", *" (all of it)", "enter")
        await settle(pilot)
    assert stored(demo_path)["promises"][str(target)]["text"].endswith("(all of it)")


async def test_slash_filters_and_escape_clears(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        everything = ledger_ids(app)
        await pilot.press("slash", *"status note")
        await pilot.pause()
        pane = main_of(app).query_one("#ledger", PromiseLedger)
        assert [row.promise.text for row in pane.items] == ["Monday status note"]
        await pilot.press("escape")
        await pilot.pause()
        assert ledger_ids(app) == everything


async def test_t_shows_closed_promises(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        open_count = len(ledger_ids(app))
        await pilot.press("t")
        await pilot.pause()
        assert len(ledger_ids(app)) == len(stored(demo_path)["promises"]) > open_count
        assert "✗ broken" in shown(pilot)


async def test_u_undoes_the_last_change(demo_path, make_app) -> None:
    before = stored(demo_path)["promises"]
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("k")
        await settle(pilot)
        assert stored(demo_path)["promises"] != before
        await pilot.press("u")
        await settle(pilot)
        assert stored(demo_path)["promises"] == before
        await pilot.press("u")
        await settle(pilot)
    assert stored(demo_path)["promises"] == before


async def test_enter_opens_a_persons_page(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select_person(pilot, app, "Marcus Oyelaran")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PersonScreen)
        page = shown(pilot)
        for fragment in ("Staff Engineer, Payments", "Project Foo", "reconciliation beta",
                         "detractor", "skeptic", "Own the reconciliation test suite",
                         "! OVERDUE", "Track record with them"):
            assert fragment in page, fragment
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_tab_moves_between_panes_and_help_and_quit(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.screen.focused.id == "ledger"
        await pilot.press("tab")
        assert app.screen.focused.id == "commitments"
        await pilot.press("shift+tab", "shift+tab")
        assert app.screen.focused.id == "people"
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert "renegotiate" in shown(pilot)
        await pilot.press("escape", "q")
        await pilot.pause()
    assert app.return_code == 0


async def test_empty_journal_opens_on_a_first_screen(journal_path, make_app) -> None:
    app = make_app(journal_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = shown(pilot)
        assert "Your journal is empty" in screen and "add the first person" in screen
        await pilot.press("a", *"Dana Whitfield", *["enter"] * 8)
        await settle(pilot)
        assert "Dana Whitfield" in shown(pilot) and "Your journal is empty" not in shown(pilot)
    assert journal_path.exists()


async def test_corrupt_journal_is_shown_not_touched(journal_path, make_app) -> None:
    journal_path.parent.mkdir(parents=True)
    journal_path.write_bytes(b"{oops")
    app = make_app(journal_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "not valid JSON" in shown(pilot)
        await pilot.press("p", "k", "a")
        await settle(pilot)
    assert journal_path.read_bytes() == b"{oops"


async def test_a_promise_logged_from_the_shell_appears_and_keeps_the_selection(
        demo_path, make_app) -> None:
    app = make_app(demo_path, poll_seconds=0.1)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", "down")
        pane = main_of(app).query_one("#ledger", PromiseLedger)
        selected = pane.current.promise.id
        with Journal(demo_path).transaction(FROZEN_NOW) as tx:
            tx.add(Promise.make(text="from the shell", person_id=2, made_at=FROZEN_NOW,
                                        due=FROZEN_NOW + timedelta(hours=1), zone="Europe/Berlin"))
        await until(pilot, lambda: "from the shell" in shown(pilot))  # the next poll
        assert "from the shell" in shown(pilot)
        assert pane.current.promise.id == selected


async def test_a_change_from_the_shell_is_never_overwritten(demo_path, make_app) -> None:
    app = make_app(demo_path, poll_seconds=60)  # no reload: the app acts on what it showed
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        target = ledger_ids(app)[0]
        with Journal(demo_path).transaction(FROZEN_NOW) as tx:
            tx.save(tx.get(PROMISES, target).renegotiated(
                FROZEN_NOW, FROZEN_NOW + timedelta(days=2), "agreed in the hallway"))
            tx.add(Person(id=0, name="Added From Shell", created_at=FROZEN_NOW))
        await pilot.press("k")
        await settle(pilot)
    data = stored(demo_path)
    kinds = [e["kind"] for e in data["promises"][str(target)]["events"]]
    assert kinds[-2:] == ["renegotiated", "kept"]
    assert any(p["name"] == "Added From Shell" for p in data["people"].values())


async def test_a_failed_save_is_kept_and_retried(demo_path, make_app, monkeypatch) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        target = ledger_ids(app)[0]

        def full_disk(*args: object) -> None:
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(atomic.os, "replace", full_disk)
        await pilot.press("k")
        await settle(pilot)
        assert "NOT SAVED" in shown(pilot)
        assert stored(demo_path)["promises"][str(target)]["events"][-1]["kind"] != "kept"
        monkeypatch.undo()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "NOT SAVED" not in shown(pilot)
    assert stored(demo_path)["promises"][str(target)]["events"][-1]["kind"] == "kept"


async def test_narrow_terminal_keeps_columns_readable(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = shown(pilot)
        assert "! OVERDUE" in screen and "replay last month" in screen
        assert "Promise ledger" in screen and "People" in screen and "Commitments" in screen


def test_overdue_follows_the_clock(demo_path, make_app, clock: Clock) -> None:
    from trustjournal.tui.rows import promise_rows

    ledger = Journal(demo_path).load()
    later = clock.now + timedelta(days=30)
    rows = promise_rows(ledger, later, BERLIN, person_id=None, show_closed=False)
    assert all(r.overdue for r in rows)


async def test_a_persons_page_acts_on_them_and_redraws(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select_person(pilot, app, "Helen Brandt")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("n", *["backspace"] * 10, *"testimonial", "enter",
                          *"told Dana the canary work was solid", "enter")
        await settle(pilot)
        assert isinstance(app.screen, PersonScreen)
        assert "told Dana the canary work was solid" in shown(pilot)
        await pilot.press("p", *"send Helen the draft by tomorrow", "enter")
        await settle(pilot)
        assert "send Helen the draft" in shown(pilot)
    promises = stored(demo_path)["promises"]
    newest = promises[max(promises, key=int)]
    assert newest["text"] == "send Helen the draft" and newest["to"] == 3


async def open_person(pilot, app, name: str) -> None:
    await select_person(pilot, app, name)
    await pilot.press("enter")
    await pilot.pause()


async def test_face_a_breach_and_watch_the_journal_tick_the_steps(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_person(pilot, app, "Tom Reyes")
        await pilot.press("f", *"renegotiated the canary work a day late", "enter",
                          *"commun", "enter", "enter")
        await settle(pilot)
        page = shown(pilot)
        assert "renegotiated the canary work a day late" in page
        assert "cause: communication breakdown" in page and "☐ acknowledged" in page
        await pilot.press("n", *["backspace"] * 10, *"acknowledgement", "enter",
                          *"told Tom plainly I was late and why", "enter")
        await settle(pilot)
        assert "✓ acknowledged" in shown(pilot)
    repairs = json.loads(demo_path.read_text())["repairs"]
    (repair,) = repairs.values()
    assert repair["cause"] == "communication breakdown" and repair["person"] == 6


async def test_the_fifteen_second_update_is_copied_and_marked_sent(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_person(pilot, app, "Marcus Oyelaran")
        await pilot.press("u")
        await pilot.pause()
        page = shown(pilot)
        assert "Project Foo" in page and "fits the fifteen-second budget" in page
        await pilot.press("c")
        assert app.clipboard.startswith("Project Foo: payments migration ships in May")
        await pilot.press("s")
        await settle(pilot)
    entries = json.loads(demo_path.read_text())["entries"].values()
    sent = [e for e in entries if e["kind"] == "update-sent" and e["person"] == 2]
    assert sent and sent[-1]["text"].startswith("Project Foo")


async def test_i_shows_insights(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await pilot.pause()
        page = shown(pilot)
        assert "Kinds of promise that keep failing" in page and "with Tom Reyes" in page
