"""A person's page as a workspace: each act, pressed as a person would, checked in the journal
file afterwards (issue 11)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.tui.conftest import settle, shown
from tests.tui.test_app import open_person
from trustjournal.tui.screens.form import FormScreen
from trustjournal.tui.screens.person import PersonScreen, Section

SIZE = (140, 40)


def stored(path: Path) -> dict:
    return json.loads(path.read_text())


def person_doc(path: Path, name: str) -> tuple[int, dict]:
    return next((int(k), p) for k, p in stored(path)["people"].items() if p["name"] == name)


def said(app) -> str:
    """Every notice the app has shown and not yet taken down."""
    return "\n".join(n.message for n in app._notifications)


async def go_to(pilot, section: str) -> Section:
    """Tab (or shift+tab) to a section, as a person would, and return it."""
    screen = pilot.app.screen
    assert isinstance(screen, PersonScreen)
    for _ in range(12):
        if screen.focused is not None and screen.focused.id == section:
            break
        await pilot.press("tab")
    focused = screen.focused
    assert isinstance(focused, Section) and focused.id == section
    return focused


async def row_to(pilot, section: Section, kind: str, text: str = "") -> None:
    """From the section's top, arrow down to the first row of `kind` whose prompt holds
    `text` (down from its last row goes on to the next section)."""
    await pilot.press("home")
    for _ in range(60):
        row = section.row
        option = section.highlighted_option
        if row is not None and row.kind == kind and option is not None and (
                text in str(option.prompt)):
            return
        if section.highlighted is not None and section.highlighted >= len(section.rows) - 1:
            break
        await pilot.press("down")
    raise AssertionError(f"no {kind} row with {text!r} in {section.id}")


async def test_keep_a_promise_from_their_page(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_person(pilot, app, "Marcus Oyelaran")
        promises = await go_to(pilot, "s-promises")
        await row_to(pilot, promises, "promise", "replay last month")
        await pilot.press("k")
        await settle(pilot)
        assert "kept" in shown(pilot)
    replay = next(p for p in stored(demo_path)["promises"].values()
                  if p["text"].startswith("replay last month"))
    assert replay["events"][-1]["kind"] == "kept"


async def test_goal_milestone_reached_and_the_leader_meeting_in_one_step(demo_path,
                                                                         make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_person(pilot, app, "Marcus Oyelaran")
        await pilot.press("g", *"Ledger v2 in production", "enter", *"dec 20", "enter")
        await settle(pilot)
        goals = await go_to(pilot, "s-goals")
        await row_to(pilot, goals, "goal", "Ledger v2")
        await pilot.press("m", *"dry run on staging", "enter", *"dec 10", "enter")
        await settle(pilot)
        await row_to(pilot, goals, "milestone", "dry run")
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        assert "Meet Dana Whitfield to share how you work" in shown(pilot)
        await pilot.press("enter", *"next thu", "enter")
        await settle(pilot)
        assert isinstance(app.screen, PersonScreen)
        assert "leader meeting planned" in shown(pilot)
    _, marcus = person_doc(demo_path, "Marcus Oyelaran")
    goal = next(g for g in marcus["goals"] if g["name"] == "Ledger v2 in production")
    assert goal["due"] == "2026-12-20"
    (milestone,) = goal["milestones"]
    assert milestone["name"] == "dry run on staging" and milestone["due"] == "2026-12-10"
    assert milestone["reached"] == "2026-11-25"
    assert milestone["leader_meeting"]["answer"] == "planned"
    assert milestone["leader_meeting"]["on"] == "2026-12-03"  # next week's thursday


async def test_no_to_the_leader_meeting_is_logged_too(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_person(pilot, app, "Marcus Oyelaran")
        goals = await go_to(pilot, "s-goals")
        await row_to(pilot, goals, "milestone", "reconciliation beta")
        await pilot.press("y", "enter", *"fortnight", "enter")
        await pilot.pause()
        assert "or \"no\"" in shown(pilot) or "could not read" in shown(pilot)
        await pilot.press(*["backspace"] * 9, *"no", "enter")
        await settle(pilot)
    _, marcus = person_doc(demo_path, "Marcus Oyelaran")
    beta = next(m for g in marcus["goals"] for m in g["milestones"]
                if m["name"] == "reconciliation beta")
    assert beta["reached"] == "2026-11-25" and beta["leader_meeting"]["answer"] == "declined"


async def test_trust_is_added_opened_and_removed(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_person(pilot, app, "Dana Whitfield")
        await pilot.press("t", *"Sam Iqbal", "enter")
        await settle(pilot)
        sam_id, _ = person_doc(demo_path, "Sam Iqbal")
        _, dana = person_doc(demo_path, "Dana Whitfield")
        assert sam_id in dana["trusts"]
        trusts = await go_to(pilot, "s-trusts")
        await row_to(pilot, trusts, "trusts", "Sam Iqbal")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PersonScreen) and app.screen.person.name == "Sam Iqbal"
        await pilot.press("escape")
        await pilot.pause()
        trusts = await go_to(pilot, "s-trusts")
        await row_to(pilot, trusts, "trusts", "Sam Iqbal")
        await pilot.press("delete")
        await settle(pilot)
    _, dana = person_doc(demo_path, "Dana Whitfield")
    assert sam_id not in dana["trusts"]


async def test_the_journal_is_a_list_you_edit_and_remove_from_and_undo(demo_path,
                                                                      make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_person(pilot, app, "Sam Iqbal")
        await pilot.press("n", "enter", *"asked how the on-call rota feels", "enter")
        await settle(pilot)
        journal = await go_to(pilot, "s-journal")
        await row_to(pilot, journal, "entry", "on-call rota")
        await pilot.press("e", "end", *", honestly", "enter")
        await settle(pilot)
        texts = [e["text"] for e in stored(demo_path)["entries"].values()]
        assert "asked how the on-call rota feels, honestly" in texts
        await row_to(pilot, journal, "entry", "on-call rota")
        await pilot.press("delete")
        await settle(pilot)
        texts = [e["text"] for e in stored(demo_path)["entries"].values()]
        assert not any("on-call rota" in t for t in texts)
        await pilot.press("ctrl+z")
        await settle(pilot)
    texts = [e["text"] for e in stored(demo_path)["entries"].values()]
    assert "asked how the on-call rota feels, honestly" in texts


async def test_a_commitment_is_dropped_with_why_and_done(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_person(pilot, app, "Marcus Oyelaran")
        commitments = await go_to(pilot, "s-commitments")
        await row_to(pilot, commitments, "commitment", "reconciliation test suite")
        await pilot.press("x", *"Foo moved to the platform team", "enter")
        await settle(pilot)
        (suite,) = [c for c in stored(demo_path)["commitments"].values()
                    if "reconciliation test suite" in c["text"]]
        assert suite["status"] == "dropped" and suite["why"] == "Foo moved to the platform team"
        await row_to(pilot, commitments, "commitment", "reconciliation test suite")
        await pilot.press("y")  # a dropped one: asks first, and esc leaves it dropped
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)
        assert "It is dropped since" in shown(pilot) and "Foo moved to the platform" in shown(
            pilot)
        await pilot.press("escape")
        await settle(pilot)
        (suite,) = [c for c in stored(demo_path)["commitments"].values()
                    if "reconciliation test suite" in c["text"]]
        assert suite["status"] == "dropped"
        await pilot.press("y", *"platform handed it back", "enter")  # active again
        await settle(pilot)
        (suite,) = [c for c in stored(demo_path)["commitments"].values()
                    if "reconciliation test suite" in c["text"]]
        assert suite["status"] == "active"
        assert suite["progress"][-1]["text"] == "taken up again: platform handed it back"
        await pilot.press("y")  # and now done
        await settle(pilot)
    (suite,) = [c for c in stored(demo_path)["commitments"].values()
                if "reconciliation test suite" in c["text"]]
    assert suite["status"] == "done"


async def test_a_key_with_nothing_to_act_on_says_why(demo_path, make_app) -> None:
    before = demo_path.read_bytes()
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_person(pilot, app, "Marcus Oyelaran")
        await go_to(pilot, "s-profile")
        await pilot.press("k")
        await pilot.pause()
        assert "Pick an open promise first" in said(app)
        await pilot.press("y")
        await pilot.pause()
        assert "Pick a milestone" in said(app)
    assert demo_path.read_bytes() == before


async def test_enter_on_their_leader_opens_the_leaders_page(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_person(pilot, app, "Marcus Oyelaran")
        profile = await go_to(pilot, "s-profile")
        await row_to(pilot, profile, "leader")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PersonScreen)
        assert app.screen.person.name == "Dana Whitfield"


async def test_e_on_a_repair_names_its_root_cause(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_person(pilot, app, "Tom Reyes")
        await pilot.press("f", *"renegotiated the canary work a day late", "enter", "enter",
                          "enter")
        await settle(pilot)
        repairs = await go_to(pilot, "s-repairs")
        await row_to(pilot, repairs, "repair", "canary work")
        await pilot.press("e", *"commun", "enter")
        await settle(pilot)
    (repair,) = [r for r in stored(demo_path)["repairs"].values()
                 if r["breach"] == "renegotiated the canary work a day late"]
    assert repair["cause"] == "communication breakdown"


async def test_n_on_a_commitment_notes_progress_against_its_measure(demo_path,
                                                                   make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_person(pilot, app, "Marcus Oyelaran")
        commitments = await go_to(pilot, "s-commitments")
        await row_to(pilot, commitments, "commitment", "reconciliation test suite")
        await pilot.press("n")
        await pilot.pause()
        assert "Progress against: nightly reconciliation run green" in shown(pilot)
        await pilot.press(*"green 3 nights in a row", "enter")
        await settle(pilot)
        assert "green 3 nights in a row" in shown(pilot)
    (suite,) = [c for c in stored(demo_path)["commitments"].values()
                if "reconciliation test suite" in c["text"]]
    assert [p["text"] for p in suite["progress"]] == ["green 3 nights in a row"]


async def test_a_testimonial_from_someone_they_trust_shows_in_their_brief(demo_path,
                                                                         make_app) -> None:
    """The Dana story's last step: Dana trusts Helen; Helen's testimonial is in Dana's brief."""
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_person(pilot, app, "Helen Brandt")
        await pilot.press("n", *["backspace"] * 10, *"testimonial", "enter",
                          *"told Dana the canary work was careful", "enter")
        await settle(pilot)
        await pilot.press("escape")
        await pilot.pause()
        people = app.main.query_one("#people")
        people.focus()
        await pilot.press("home")
        for _ in range(10):  # Dana sits above Helen in People: from the top, down to her
            if people.current.person is not None and people.current.person.name.startswith(
                    "Dana"):
                break
            await pilot.press("down")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        assert "Brief for a check-in with Dana Whitfield" in shown(pilot)
        brief = app.screen.markdown  # what the screen shows, scrolled or not
        assert "testimonial from Helen Brandt, whom they trust" in brief
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PersonScreen)


async def test_r_on_a_series_occurrence_changes_the_series_from_their_page(demo_path,
                                                                          make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_person(pilot, app, "Dana Whitfield")
        promises = await go_to(pilot, "s-promises")
        await row_to(pilot, promises, "promise", "Monday status note")
        await pilot.press("R")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen) and "Change the series" in shown(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PersonScreen)


async def test_a_goal_with_milestones_goes_at_the_second_delete(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_person(pilot, app, "Marcus Oyelaran")
        await pilot.press("g", *"Ledger v2 in production", "enter", *"dec 20", "enter")
        await settle(pilot)
        goals = await go_to(pilot, "s-goals")
        await row_to(pilot, goals, "goal", "Ledger v2")
        await pilot.press("m", *"dry run on staging", "enter", *"dec 10", "enter")
        await settle(pilot)
        await row_to(pilot, goals, "goal", "Ledger v2")
        await pilot.press("delete")
        await settle(pilot)
        assert "has 1 milestone: they go with it" in said(app)
        _, marcus = person_doc(demo_path, "Marcus Oyelaran")
        assert any(g["name"] == "Ledger v2 in production" for g in marcus["goals"])
        await pilot.press("delete")
        await settle(pilot)
    _, marcus = person_doc(demo_path, "Marcus Oyelaran")
    assert not any(g["name"] == "Ledger v2 in production" for g in marcus["goals"])


async def test_down_from_a_sections_last_row_goes_on_to_the_next(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_person(pilot, app, "Marcus Oyelaran")
        profile = await go_to(pilot, "s-profile")
        await pilot.press("end")
        last = profile.highlighted
        await pilot.press("down")
        after = app.screen.focused
        assert isinstance(after, Section) and after is not profile, "down wrapped around"
        assert after.highlighted in (0, None)
        await pilot.press("up")
        assert app.screen.focused is profile and profile.highlighted == last
        await pilot.press("home", "up")  # the page's first row: up stays
        assert app.screen.focused is profile and profile.highlighted == 0
