"""After a milestone, meet their leader (practice 8); and the daily review's new nudges."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import BERLIN, FROZEN_NOW
from trustjournal.domain.entry import Entry, EntryKind
from trustjournal.domain.errors import InvalidInput
from trustjournal.domain.ledger import Ledger
from trustjournal.domain.person import (
    Goal,
    LeaderMeeting,
    MeetingAnswer,
    Milestone,
    Person,
    awaiting_leader_answer,
    decline_leader_meeting,
    leader_meeting_done,
    leader_meetings_due,
    leader_question,
    plan_leader_meeting,
)
from trustjournal.domain.review import (
    OFFER_FEEDBACK,
    OFFER_FOLLOW_UP,
    OFFER_LEADER_ASK,
    OFFER_LEADER_DUE,
    Item,
    Step,
    leader_name,
    plan_review,
)
from trustjournal.domain.settings import parse_review_skip
from trustjournal.storage.journal import Journal
from trustjournal.storage.records import PEOPLE

NOW = FROZEN_NOW
TODAY = NOW.astimezone(BERLIN).date()
GOAL = "Project Foo ships in May"


def dana(**changes: object) -> Person:
    person = Person(1, "Dana Whitfield", NOW - timedelta(days=60), leader_id=2, goals=(
        Goal(GOAL, (Milestone("beta", TODAY + timedelta(days=20)),
                    Milestone("design review", TODAY - timedelta(days=5),
                              TODAY - timedelta(days=3)))),))
    return replace(person, **changes)  # type: ignore[arg-type]


PRIYA = Person(2, "Priya Raman", NOW - timedelta(days=60))


def meeting_of(person: Person, milestone: str = "design review") -> LeaderMeeting | None:
    return next(m for m in person.goals[0].milestones if m.name == milestone).leader_meeting


def test_the_question_names_their_leader() -> None:
    assert leader_question("Priya Raman") == (
        "Plan to meet Priya Raman to share how you work together and ask for feedback?")


def test_a_reached_milestone_of_someone_with_a_leader_awaits_an_answer() -> None:
    found = awaiting_leader_answer([dana(), PRIYA], TODAY - timedelta(days=7))
    assert [(f.person.id, f.goal.name, f.milestone.name) for f in found] == [
        (1, GOAL, "design review")]
    assert awaiting_leader_answer([dana()], TODAY - timedelta(days=2)) == []  # reached before
    assert awaiting_leader_answer([dana(leader_id=None)], TODAY - timedelta(days=7)) == []
    assert awaiting_leader_answer([dana(leader_id=None, leader="Priya, VP")],
                                  TODAY - timedelta(days=7))


def test_yes_plans_it_then_it_comes_due_then_it_is_done() -> None:
    on = TODAY + timedelta(days=4)
    planned = plan_leader_meeting(dana(), "project foo", "design", on, NOW)
    assert meeting_of(planned) == LeaderMeeting(MeetingAnswer.PLANNED, NOW, on=on)
    assert meeting_of(planned, "beta") is None  # the other milestone is untouched
    assert awaiting_leader_answer([planned], TODAY - timedelta(days=30)) == []
    assert leader_meetings_due([planned], TODAY) == []
    (due,) = leader_meetings_due([planned], on)
    assert due.milestone.name == "design review"
    later = NOW + timedelta(days=4)
    done = leader_meeting_done(planned, GOAL, "design review", later)
    assert meeting_of(done) == LeaderMeeting(MeetingAnswer.DONE, later, on=on, done_at=later)
    assert leader_meetings_due([done], on + timedelta(days=9)) == []
    with pytest.raises(InvalidInput, match="already done"):
        plan_leader_meeting(done, GOAL, "design review", on, later)


def test_no_declines_and_a_planned_one_can_be_moved_or_dropped() -> None:
    declined = decline_leader_meeting(dana(), GOAL, "design review", NOW)
    assert meeting_of(declined) == LeaderMeeting(MeetingAnswer.DECLINED, NOW)
    assert awaiting_leader_answer([declined], TODAY - timedelta(days=30)) == []
    on = TODAY + timedelta(days=2)
    planned = plan_leader_meeting(dana(), GOAL, "design review", on, NOW)
    moved = plan_leader_meeting(planned, GOAL, "design review", on + timedelta(days=7), NOW)
    meeting = meeting_of(moved)
    assert meeting is not None and meeting.on == on + timedelta(days=7)
    dropped = meeting_of(decline_leader_meeting(planned, GOAL, "design review", NOW))
    assert dropped == LeaderMeeting(MeetingAnswer.DECLINED, NOW, on=on)


@pytest.mark.parametrize(("act", "says"), [
    (lambda p: plan_leader_meeting(p, GOAL, "beta", TODAY, NOW), '"beta" is not reached yet'),
    (lambda p: plan_leader_meeting(replace(p, leader_id=None), GOAL, "design review", TODAY,
                                   NOW), "has no leader noted"),
    (lambda p: leader_meeting_done(p, GOAL, "design review", NOW), "is not planned"),
    (lambda p: plan_leader_meeting(p, "nope", "design review", TODAY, NOW), 'no goal "nope"'),
    (lambda p: decline_leader_meeting(p, GOAL, "gamma", NOW), 'no milestone "gamma"'),
])
def test_what_cannot_be_answered_says_why_in_one_line(act, says: str) -> None:
    with pytest.raises(InvalidInput, match=says) as error:
        act(dana())
    assert "\n" not in str(error.value)


def test_the_answer_is_stored_and_read_back(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "journal.json")
    with journal.transaction(NOW) as tx:
        tx.add(replace(PRIYA, id=0))
        person = tx.add(replace(dana(), id=0, leader_id=1))
    on = TODAY + timedelta(days=3)
    with journal.transaction(NOW) as tx:
        tx.save(plan_leader_meeting(tx.get(PEOPLE, person.id), GOAL, "design review", on, NOW))
    stored = json.loads(journal.path.read_text())["people"][str(person.id)]["goals"][0]
    beta, review = stored["milestones"]
    assert "leader_meeting" not in beta  # unanswered: stored as before
    assert review["leader_meeting"] == {"answer": "planned", "answered_at": "2026-11-25T09:00:00Z",
                                        "on": on.isoformat(), "done_at": None}
    assert meeting_of(journal.load().people[person.id]) == LeaderMeeting(
        MeetingAnswer.PLANNED, NOW, on=on)


# --- the daily review ---------------------------------------------------------------------


def ledger(*people: Person, entries: tuple[Entry, ...] = ()) -> Ledger:
    return Ledger(people={p.id: p for p in people}, entries={e.id: e for e in entries})


def items(book: Ledger, since: datetime | None = None) -> list[Item]:
    return [i for i in plan_review(book, NOW, BERLIN, since=since) if i.step is not Step.SUMMARY]


def test_the_review_asks_about_a_milestone_reached_since_the_last_review() -> None:
    (item,) = [i for i in items(ledger(dana(), PRIYA)) if i.step is Step.LEADER]
    assert item.offers == OFFER_LEADER_ASK and item.person_id == 1
    assert (item.goal, item.milestone) == (GOAL, "design review")
    assert "Plan to meet Priya Raman to share how you work together" in item.detail
    assert item.key == f"leader-ask:1:{GOAL}/design review"
    answered = decline_leader_meeting(dana(), GOAL, "design review", NOW)
    assert not [i for i in items(ledger(answered, PRIYA)) if i.step is Step.LEADER]


def test_the_review_looks_back_a_month_or_to_the_last_review() -> None:
    old = dana(goals=(Goal(GOAL, (Milestone("alpha", None, TODAY - timedelta(days=45)),)),))
    assert not [i for i in items(ledger(old, PRIYA)) if i.step is Step.LEADER]
    long_ago = NOW - timedelta(days=60)
    assert [i.milestone for i in items(ledger(old, PRIYA), since=long_ago)
            if i.step is Step.LEADER] == ["alpha"]


def test_the_review_brings_up_a_planned_meeting_whose_day_has_come() -> None:
    planned = plan_leader_meeting(dana(), GOAL, "design review", TODAY, NOW - timedelta(days=2))
    (item,) = [i for i in items(ledger(planned, PRIYA)) if i.step is Step.LEADER]
    assert item.offers == OFFER_LEADER_DUE and item.title == "Meet Priya Raman"
    assert "planned today" in item.detail and "ask for feedback" in item.detail
    assert item.key == f"leader-due:1:{GOAL}/design review:{TODAY.isoformat()}"
    ahead = plan_leader_meeting(dana(), GOAL, "design review", TODAY + timedelta(days=1), NOW)
    assert not [i for i in items(ledger(ahead, PRIYA)) if i.step is Step.LEADER]


def test_leader_words_are_read_up_to_a_comma() -> None:
    words = dana(leader_id=None, leader="Priya Raman, VP Engineering")
    assert leader_name(ledger(words), words) == "Priya Raman"
    assert leader_name(ledger(dana(), PRIYA), dana()) == "Priya Raman"
    (item,) = [i for i in items(ledger(words)) if i.step is Step.LEADER]
    assert "Plan to meet Priya Raman to share" in item.detail


def silent(book: Ledger) -> list[Item]:
    return [i for i in items(book) if i.step is Step.SILENT and i.person_id == 1]


def test_the_silent_step_names_who_has_not_been_asked_for_feedback() -> None:
    weekly = dana(checkin="weekly", goals=())
    talked = Entry(1, 1, EntryKind.CHECK_IN, "sync", NOW - timedelta(days=1))
    (item,) = silent(ledger(weekly, PRIYA, entries=(talked,)))
    assert item.key == "feedback:1" and item.offers == OFFER_FEEDBACK
    assert item.detail.startswith("never asked for feedback in the 8 weeks")
    assert "twice their cadence (weekly) is 2 weeks" in item.detail
    asked = Entry(2, 1, EntryKind.FEEDBACK_ASKED, "how was it?", NOW - timedelta(days=20))
    (item,) = silent(ledger(weekly, PRIYA, entries=(talked, asked)))
    assert item.detail.startswith("not asked for feedback since Thu 5 Nov")
    recent = replace(asked, at=NOW - timedelta(days=13))
    assert silent(ledger(weekly, PRIYA, entries=(talked, recent))) == []
    # Received feedback is not asking for it; no cadence, no nudge.
    got = Entry(3, 1, EntryKind.FEEDBACK_RECEIVED, "fine", NOW - timedelta(days=1))
    assert [i.key for i in silent(ledger(weekly, PRIYA, entries=(talked, got)))] == [
        "feedback:1"]
    assert silent(ledger(dana(goals=()), PRIYA, entries=(talked,))) == []


def test_silence_follows_the_contact_rule() -> None:
    # No cadence: 30 days without a word is silence. A note about them is not a word with
    # them; an apology is.
    person = dana(goals=())
    note = Entry(1, 1, EntryKind.NOTE, "she seemed busy", NOW - timedelta(days=1))
    apology = Entry(2, 1, EntryKind.APOLOGY, "for the outage", NOW - timedelta(days=1))
    assert [i.key for i in silent(ledger(person, PRIYA, entries=(note,)))] == ["silent:1"]
    assert silent(ledger(person, PRIYA, entries=(apology,))) == []


def test_every_offer_is_named_and_the_new_step_can_be_skipped() -> None:
    assert [s.value for s in Step].index("leader") == [s.value for s in Step].index("silent") + 1
    assert "leader" in parse_review_skip(["leader"])
    assert Item(Step.ONE_THING, "k", "t").offers == "one-thing"
    assert {OFFER_FOLLOW_UP, OFFER_FEEDBACK, OFFER_LEADER_ASK, OFFER_LEADER_DUE} == {
        "follow-up", "feedback", "leader-ask", "leader-due"}
    skipped = plan_review(ledger(dana(), PRIYA), NOW, BERLIN, since=None,
                          skip=frozenset({"leader"}))
    assert not [i for i in skipped if i.step is Step.LEADER]


def test_the_demo_review_asks_about_its_reached_milestones(journal_path: Path) -> None:
    from trustjournal.demo import write_demo

    write_demo(Journal(journal_path), NOW, BERLIN)
    book = Journal(journal_path).load()
    leader = [i for i in plan_review(book, NOW, BERLIN, since=None) if i.step is Step.LEADER]
    assert leader and all(i.offers == OFFER_LEADER_ASK for i in leader)
    assert all(book.people[i.person_id].has_leader for i in leader if i.person_id)
