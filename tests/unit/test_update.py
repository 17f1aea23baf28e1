from __future__ import annotations

from dataclasses import FrozenInstanceError
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import BERLIN, FROZEN_NOW
from trustjournal.demo import write_demo
from trustjournal.domain.commitment import Commitment
from trustjournal.domain.entry import Entry, EntryKind
from trustjournal.domain.errors import UnknownRecord
from trustjournal.domain.ledger import Ledger
from trustjournal.domain.person import Goal, Milestone, Person
from trustjournal.domain.promise import Promise
from trustjournal.domain.update import (
    DEFAULT_LOOKBACK,
    WORD_BUDGET,
    Update,
    compose_update,
    words_in,
)
from trustjournal.storage.journal import Journal

NOW = FROZEN_NOW  # Wed 25 Nov 2026 10:00 Berlin
TODAY = NOW.date()
DANA, MARCUS = 1, 2


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Ledger:
    journal = Journal(Path(tmp_path_factory.mktemp("demo")) / "journal.json")
    write_demo(journal, NOW, BERLIN)
    return journal.load()


def person(goals: tuple[Goal, ...] = (), pid: int = 1) -> Person:
    return Person(id=pid, name="Ada Quinn", created_at=NOW - timedelta(days=60), goals=goals)


def promise(pid: int, text: str, *, made_days: float = -10, due_days: float = 3,
            to: int = 1) -> Promise:
    return Promise.make(text=text, person_id=to, made_at=NOW + timedelta(days=made_days),
                        due=NOW + timedelta(days=due_days), zone="Europe/Berlin", id=pid)


def ledger(*promises: Promise, goals: tuple[Goal, ...] = (), entries: tuple[Entry, ...] = (),
           commitments: tuple[Commitment, ...] = ()) -> Ledger:
    return Ledger(
        people={1: person(goals)},
        promises={p.id: p for p in promises},
        entries={e.id: e for e in entries},
        commitments={c.id: c for c in commitments},
    )


def lines_after(text: str, header: str) -> list[str]:
    """The bullet lines of one section."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(header))
    section = []
    for line in lines[start + 1:]:
        if not line.startswith("- "):
            break
        section.append(line)
    return section


# --- words --------------------------------------------------------------------------------


def test_words_are_what_a_reader_counts() -> None:
    assert words_in("") == 0
    assert words_in("Fri 27 Nov 17:00 — done.") == 5
    assert words_in("- Monday status note\nNext:") == 4
    assert words_in("99.9% this quarter — next: on-call") == 5


# --- the demo journal ---------------------------------------------------------------------


def test_dana_names_her_goal_milestone_and_what_was_kept(demo: Ledger) -> None:
    update = compose_update(demo, DANA, NOW, BERLIN)
    first = update.text.splitlines()[0]
    assert "Platform reliability to 99.9% this quarter" in first
    assert "on-call load halved" in first and "Mon 7 Dec" in first
    # since: her last check-in, Wed 18 Nov 16:30
    assert update.since == datetime(2026, 11, 18, 16, 30, tzinfo=BERLIN)
    assert "Done since Wed 18 Nov:" in update.text
    assert lines_after(update.text, "Done since") == ["- Monday status note"]
    upcoming = lines_after(update.text, "Next:")
    assert "- canary checks live on every deploy — Mon 30 Nov" in upcoming
    # soonest first: the series' next occurrence, made once Monday's was kept
    assert upcoming.index("- Monday status note — Mon 30 Nov 10:00") < \
        upcoming.index("- canary checks live on every deploy — Mon 30 Nov")
    assert update.fits and update.words == words_in(update.text) <= WORD_BUDGET
    assert "Late" not in update.text


def test_marcus_hears_about_the_overdue_replay_honestly(demo: Ledger) -> None:
    update = compose_update(demo, MARCUS, NOW, BERLIN)
    lines = update.text.splitlines()
    assert "Project Foo: payments migration ships in May" in lines[0]
    assert "reconciliation beta, Fri 11 Dec" in lines[0]
    assert lines[1] == (
        "Late: replay last month's data through the harness — due Sun 22 Nov, I owe you this."
    )
    assert "- walk Marcus through the beta replay results — Fri 27 Nov 11:00" in lines
    assert "- beta data replayed — Wed 9 Dec" in lines  # his commitment's next milestone
    assert update.fits


@pytest.mark.parametrize("pid", [1, 2, 3, 4, 5, 6])
def test_every_demo_update_fits_and_keeps_every_overdue_promise(demo: Ledger, pid: int) -> None:
    update = compose_update(demo, pid, NOW, BERLIN)
    assert update.fits and update.words <= WORD_BUDGET
    for p in demo.promises_to(pid):
        if p.is_overdue(NOW):
            assert f"Late: {p.text}" in update.text


def test_since_can_be_given(demo: Ledger) -> None:
    since = NOW - timedelta(days=30)
    update = compose_update(demo, DANA, NOW, BERLIN, since=since)
    assert update.since == since
    done = lines_after(update.text, "Done since Mon 26 Oct:")
    assert "- Monday status note (late)" in done  # #8, kept 1.5 h late
    assert "- incident runbooks reviewed — reached" in done


def test_unknown_person_is_refused() -> None:
    with pytest.raises(UnknownRecord):
        compose_update(Ledger(), 7, NOW, BERLIN)


# --- hand-built ledgers -------------------------------------------------------------------


def test_nothing_to_say_is_said_plainly() -> None:
    update = compose_update(ledger(), 1, NOW, BERLIN)
    assert update.text == "Nothing new since Wed 11 Nov."
    assert update.since == NOW - DEFAULT_LOOKBACK
    assert update.fits and update.left_out == ()


def test_since_is_the_last_update_or_check_in_never_a_later_note() -> None:
    entries = (
        Entry(1, 1, EntryKind.CHECK_IN, "1:1", NOW - timedelta(days=9)),
        Entry(2, 1, EntryKind.UPDATE_SENT, "status", NOW - timedelta(days=4)),
        Entry(3, 1, EntryKind.NOTE, "a note", NOW - timedelta(days=1)),
        Entry(4, 1, EntryKind.UPDATE_SENT, "not sent yet", NOW + timedelta(days=1)),
    )
    kept_before = promise(1, "old thing", made_days=-8, due_days=-6).kept(NOW - timedelta(days=6))
    kept_after = promise(2, "new thing", made_days=-8, due_days=-2).kept(NOW - timedelta(days=2))
    update = compose_update(ledger(kept_before, kept_after, entries=entries), 1, NOW, BERLIN)
    assert update.since == NOW - timedelta(days=4)
    assert lines_after(update.text, "Done since Sat 21 Nov:") == ["- new thing"]


def test_goal_without_dated_milestones_and_with_all_reached() -> None:
    goals = (
        Goal("Ship Foo", (Milestone("beta"),)),
        Goal("Hire two SREs", (Milestone("first hire", date(2026, 11, 1), date(2026, 11, 1)),)),
        Goal("Stay sane"),
    )
    lines = compose_update(ledger(goals=goals), 1, NOW, BERLIN).text.splitlines()
    assert lines[:3] == [
        "Ship Foo — next: beta.",
        "Hire two SREs — every milestone reached.",
        "Stay sane.",
    ]


def test_overdue_and_slipped_promises_are_named_never_hidden() -> None:
    overdue = promise(1, "send the risk list", due_days=-2)
    moved = promise(2, "draft the runbook", due_days=-1).renegotiated(
        NOW - timedelta(days=2), NOW + timedelta(days=2), "asked early"
    )
    moved_early = promise(3, "review the plan", due_days=1).renegotiated(
        NOW - timedelta(days=1), NOW + timedelta(days=3), "asked early"
    )
    text = compose_update(ledger(overdue, moved, moved_early), 1, NOW, BERLIN).text
    assert "Late: send the risk list — due Mon 23 Nov 10:00, I owe you this." in text
    assert "Late: draft the runbook, new date Fri 27 Nov 10:00." in text
    # moved before it was ever due: not late, just the next date
    assert lines_after(text, "Next:") == ["- review the plan — Sat 28 Nov 10:00"]


def test_a_promise_broken_since_the_last_update_is_owned() -> None:
    broken = promise(1, "send the export", due_days=-3).broken(NOW - timedelta(days=1), "dropped")
    old = promise(2, "old miss", made_days=-40, due_days=-30).broken(
        NOW - timedelta(days=30), "long ago"
    )
    text = compose_update(ledger(broken, old), 1, NOW, BERLIN).text
    assert "Missed: send the export — I broke this promise." in text
    assert "old miss" not in text


def test_a_late_commitment_milestone_is_named() -> None:
    commitment = Commitment(
        1, 1, "Own the test suite", NOW - timedelta(days=20),
        milestones=(Milestone("harness merged", date(2026, 11, 20)),),
    )
    text = compose_update(ledger(commitments=(commitment,)), 1, NOW, BERLIN).text
    assert text == "Late: harness merged — due Fri 20 Nov, I owe you this."


def test_trimming_drops_far_next_items_then_older_done_never_late() -> None:
    goal = (Goal("Ship the payments migration in May", (Milestone("beta", date(2026, 12, 11)),)),)
    overdue = promise(1, "send the reconciliation numbers for October", due_days=-1)
    done = [
        promise(10 + i, f"finished task number {i} of the cleanup", made_days=-12,
                due_days=-11 + i).kept(NOW - timedelta(days=11 - i))
        for i in range(4)
    ]
    soon = [promise(20 + i, f"deliver near item {i} for review", due_days=1 + i) for i in range(3)]
    far = [promise(30 + i, f"deliver far item {i} for review", due_days=40 + i) for i in range(3)]
    update = compose_update(ledger(overdue, *done, *soon, *far, goals=goal), 1, NOW, BERLIN)

    assert update.fits and update.words <= WORD_BUDGET
    assert update.text.splitlines()[0].startswith("Ship the payments migration in May")
    assert "Late: send the reconciliation numbers for October" in update.text
    assert update.left_out  # something had to go, and we say what
    assert all("far item" in line for line in update.left_out[:3])  # far-off went first
    assert "- deliver near item 0 for review — Thu 26 Nov 10:00" in update.text
    assert "- finished task number 3 of the cleanup" in update.text  # the newest done stays
    assert not any(line in update.text for line in update.left_out)


def test_when_it_cannot_fit_it_says_so_and_still_hides_nothing_late() -> None:
    overdue = [
        promise(i, f"deliver the quarterly capacity plan part {i} with numbers", due_days=-i)
        for i in range(1, 8)
    ]
    update = compose_update(ledger(*overdue), 1, NOW, BERLIN)
    assert not update.fits
    assert update.words > WORD_BUDGET
    for p in overdue:
        assert f"Late: {p.text}" in update.text


def test_update_is_a_frozen_value() -> None:
    update = Update(text="x", words=1, since=NOW)
    with pytest.raises(FrozenInstanceError):
        update.text = "y"
    assert Update(text="x", words=61, since=NOW).fits is False
