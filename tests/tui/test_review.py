"""Walking the daily review by keyboard, then reading the journal it left behind."""

from __future__ import annotations

import json
from datetime import timedelta

from tests.tui.conftest import settle, shown
from trustjournal.tui.screens.main import MainScreen
from trustjournal.tui.screens.review import ReviewScreen

SIZE = (140, 40)


def review_of(app) -> ReviewScreen:
    assert isinstance(app.screen, ReviewScreen), app.screen
    return app.screen


async def test_a_whole_review_by_keyboard(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        review = review_of(app)
        steps = [item.step.value for item in review.items]
        overdue_ids = [i.promise_id for i in review.items if i.step.value == "overdue"]
        assert steps[:3] == ["overdue", "overdue", "today"]
        assert steps[-1] == "summary" and "checkins" in steps and "one-thing" in steps
        assert "step 1 of 8: Overdue promises, 1 of 2" in shown(pilot)
        assert "kept (late)" in shown(pilot)
        await pilot.press("k")  # the most overdue: kept, late
        await settle(pilot)
        await pilot.press("r", *"fri", "enter", *"told Lena it slips to Friday", "enter")
        await settle(pilot)
        assert "Due today" in shown(pilot)
        await pilot.press("s")  # still on track
        await settle(pilot)
        assert review.item.step.value == "checkins"
        await pilot.press("l", *"quick sync on the canary work", "enter")
        await settle(pilot)
        while review.item.step.value in ("checkins", "silent", "leader"):
            await pilot.press("s")
        assert review.item.step.value == "stance"
        first_stance = review.item.person_id
        planned = list(review.items)
        await pilot.press("c", *["backspace"] * 12, *"supporter", "enter",
                          *"defended my plan to Priya", "enter")
        await settle(pilot)
        # The steps still to come follow the change: no "one thing" for a supporter now.
        assert f"one-thing:{first_stance}" in {i.key for i in planned}
        assert f"one-thing:{first_stance}" not in {i.key for i in review.items}
        while review.item.step.value == "stance":
            await pilot.press("enter")
        assert review.item.step.value == "one-thing"
        one_thing_for = review.item.person_id
        await pilot.press("w", *"bring her the on-call numbers unasked", "enter")
        await settle(pilot)
        while review.item.step.value == "one-thing":
            await pilot.press("s")
        page = shown(pilot)
        assert "Follow-through" in page and "On-time streak" in page and "Still overdue" in page
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)

    data = json.loads(demo_path.read_text())
    first, second = (data["promises"][str(i)]["events"][-1] for i in overdue_ids)
    assert first["kind"] == "kept"
    assert second["kind"] == "renegotiated" and second["note"] == "told Lena it slips to Friday"
    entries = list(data["entries"].values())
    assert any(e["kind"] == "check-in" and e["text"] == "quick sync on the canary work"
               for e in entries)
    one_thing = next(e for e in entries if e["kind"] == "empathy" and e.get("one_thing"))
    assert one_thing["person"] == one_thing_for and one_thing["one_thing"] == "open"
    stance = data["people"][str(first_stance)]["stance_history"][-1]
    assert stance["stance"] == "supporter" and stance["reason"] == "defended my plan to Priya"
    (record,) = data["reviews"].values()
    assert record["finished_at"] == "2026-11-25T09:00:00Z"
    assert f"overdue:{overdue_ids[0]}" in record["handled"]


async def test_quitting_halfway_resumes_and_tomorrow_asks_about_one_thing(
        demo_path, make_app, clock) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        first = review_of(app).items[0].key
        await pilot.press("s", "s")
        await settle(pilot)
        await pilot.press("escape")
        await pilot.press("d")
        await settle(pilot)
        resumed = review_of(app)
        assert resumed.items[0].key != first and resumed.items[0].step.value == "today"
        while resumed.item.step.value != "one-thing":
            await pilot.press("enter" if resumed.item.step.value == "stance" else "s")
        await pilot.press("w", *"take Tom's Friday pager slot", "enter")
        await settle(pilot)
        while resumed.item.step.value != "summary":
            await pilot.press("s")
        await pilot.press("enter")
        await settle(pilot)

    clock.now += timedelta(days=1)
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        review = review_of(app)
        while review.item.entry_id is None and review.item.step.value != "summary":
            await pilot.press("enter" if review.item.step.value == "stance" else "s")
        assert "Did you do it? take Tom's Friday pager slot" in shown(pilot)
        await pilot.press("y")
        await settle(pilot)
        while review.item.step.value != "summary":
            await pilot.press("s")
        assert "2 days in a row" in shown(pilot)
        await pilot.press("enter")
        await settle(pilot)
    entries = json.loads(demo_path.read_text())["entries"].values()
    assert any(e.get("one_thing") == "done" for e in entries)


async def test_the_app_can_open_on_the_review(demo_path, make_app) -> None:
    app = make_app(demo_path, start_review=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Daily review" in shown(pilot)


async def test_a_check_in_can_be_rescheduled(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        review = review_of(app)
        while review.item.step.value != "checkins":
            await pilot.press("s")
        person_id = review.item.person_id
        await pilot.press("r", *"mon 10am", "enter")
        await settle(pilot)
        assert review.item.key != f"checkin:{person_id}"
    person = json.loads(demo_path.read_text())["people"][str(person_id)]
    assert person["checkin_moved_to"] == "2026-11-30T09:00:00Z"


async def test_the_leaders_step_plans_a_meeting_after_a_milestone(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        review = review_of(app)
        while review.item.step.value != "leader":
            await pilot.press("enter" if review.item.step.value == "stance" else "s")
        item = review.item
        assert "p" in {key for key, _ in review.choices()}
        await pilot.press("p", *"next thu", "enter")
        await settle(pilot)
        assert review.item.key != item.key
    person = json.loads(demo_path.read_text())["people"][str(item.person_id)]
    milestone = next(m for g in person["goals"] if g["name"] == item.goal
                     for m in g["milestones"] if m["name"] == item.milestone)
    assert milestone["leader_meeting"]["answer"] == "planned"
    assert milestone["leader_meeting"]["on"] == "2026-12-03"
