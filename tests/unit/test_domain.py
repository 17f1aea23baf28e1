from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from trustjournal.domain.cadence import parse_cadence
from trustjournal.domain.entry import EntryKind
from trustjournal.domain.errors import AmbiguousPerson, InvalidInput, PromiseClosed, UnknownPerson
from trustjournal.domain.ledger import Ledger, end_of_local_day, find_person
from trustjournal.domain.person import Person
from trustjournal.domain.promise import Outcome, Promise, Status
from trustjournal.domain.stance import Stance

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
DUE = T0 + timedelta(days=2)


def promise(pid: int = 1, person: int = 1, due: datetime = DUE) -> Promise:
    return Promise.make(
        text="send the Q3 numbers",
        person_id=person,
        made_at=T0,
        due=due,
        zone="Europe/Berlin",
        id=pid,
    )


def person(pid: int, name: str) -> Person:
    return Person(id=pid, name=name, created_at=T0)


def test_new_promise_is_open_and_overdue_only_after_due() -> None:
    p = promise()
    assert p.status is Status.OPEN and p.is_open
    assert not p.is_overdue(DUE)
    assert p.is_overdue(DUE + timedelta(seconds=1))
    assert p.outcome(DUE + timedelta(hours=1)) is Outcome.OVERDUE


def test_kept_on_time_and_late_are_derived() -> None:
    on_time = promise().kept(DUE - timedelta(hours=1))
    assert on_time.status is Status.KEPT and on_time.lateness == timedelta(0)
    assert on_time.outcome(DUE + timedelta(days=9)) is Outcome.KEPT
    late = promise().kept(DUE + timedelta(hours=5))
    assert late.lateness == timedelta(hours=5)
    assert late.outcome(DUE + timedelta(days=9)) is Outcome.KEPT_LATE


def test_renegotiation_moves_due_and_knows_if_it_was_early() -> None:
    early = promise().renegotiated(DUE - timedelta(hours=3), DUE + timedelta(days=3), "data late")
    assert early.due == DUE + timedelta(days=3)
    assert early.renegotiations[0].early
    late = promise().renegotiated(DUE + timedelta(hours=3), DUE + timedelta(days=3), "sorry")
    assert not late.renegotiations[0].early
    twice = early.renegotiated(DUE, DUE + timedelta(days=5), "again")
    assert [r.old_due for r in twice.renegotiations] == [DUE, DUE + timedelta(days=3)]
    assert twice.kept(DUE + timedelta(days=4)).lateness == timedelta(0)


def test_renegotiation_needs_a_future_due_and_a_note() -> None:
    with pytest.raises(InvalidInput):
        promise().renegotiated(DUE, DUE - timedelta(hours=1), "x")
    with pytest.raises(InvalidInput, match="say why"):
        promise().renegotiated(T0, DUE + timedelta(days=1), "  ")


def test_a_closed_promise_cannot_be_closed_again() -> None:
    for closed in (
        promise().kept(DUE),
        promise().broken(DUE, "missed"),
        promise().released(DUE, "not needed"),
    ):
        with pytest.raises(PromiseClosed, match="already"):
            closed.kept(DUE)
        with pytest.raises(PromiseClosed):
            closed.renegotiated(DUE, DUE + timedelta(days=1), "x")


def test_events_cannot_predate_the_promise() -> None:
    with pytest.raises(InvalidInput):
        promise().kept(T0 - timedelta(days=1))


def test_empty_text_and_due_before_made_are_refused() -> None:
    with pytest.raises(InvalidInput):
        Promise.make(text="   ", person_id=1, made_at=T0, due=DUE, zone="UTC")
    with pytest.raises(InvalidInput):
        Promise.make(text="x", person_id=1, made_at=DUE, due=T0, zone="UTC")


def test_find_person_exact_then_prefix_then_word() -> None:
    people = [person(1, "Dana Whitfield"), person(2, "Dan Brown"), person(3, "Marcus Oyelaran")]
    assert find_person(people, "dan").id == 2  # exact beats prefix
    assert find_person(people, "DANA").id == 1
    assert find_person(people, "oye").id == 3
    assert find_person(people, "whit").id == 1
    with pytest.raises(AmbiguousPerson, match="Dana Whitfield, Danielle Ko"):
        find_person([person(1, "Dana Whitfield"), person(2, "Danielle Ko")], "dan")
    with pytest.raises(UnknownPerson, match="person add"):
        find_person(people, "zed")


def test_ledger_overdue_most_overdue_first_and_due_today(zone, now) -> None:
    a = Promise.make(
        text="a",
        person_id=1,
        made_at=now - timedelta(days=9),
        due=now - timedelta(days=1),
        zone="UTC",
        id=1,
    )
    b = Promise.make(
        text="b",
        person_id=1,
        made_at=now - timedelta(days=9),
        due=now - timedelta(days=5),
        zone="UTC",
        id=2,
    )
    c = Promise.make(
        text="c", person_id=1, made_at=now, due=now + timedelta(hours=6), zone="UTC", id=3
    )
    d = Promise.make(
        text="d", person_id=1, made_at=now, due=now + timedelta(days=1), zone="UTC", id=4
    )
    ledger = Ledger(promises={p.id: p for p in (a, b, c, d)})
    assert [p.id for p in ledger.overdue(now)] == [2, 1]
    assert [p.id for p in ledger.due_today(now, zone)] == [3]


def test_end_of_local_day_is_next_local_midnight(zone, now) -> None:
    end = end_of_local_day(now, zone)
    assert (end.astimezone(zone).day, end.astimezone(zone).hour) == (26, 0)


def test_stance_and_entry_kind_parsing() -> None:
    assert Stance.parse("Detr") is Stance.DETRACTOR
    assert Stance.PROMOTER.rank == 2 and Stance.DETRACTOR.rank == -2
    with pytest.raises(InvalidInput, match="detractor, skeptic"):
        Stance.parse("enemy")
    assert EntryKind.parse("checkin") is EntryKind.CHECK_IN
    assert EntryKind.parse("plan shared") is EntryKind.PLAN_SHARED
    assert EntryKind.parse("apol") is EntryKind.APOLOGY
    with pytest.raises(InvalidInput, match="check-in"):
        EntryKind.parse("gossip")


def test_cadence_words() -> None:
    weekly_mon = parse_cadence("every 2 weeks on mon")
    assert (weekly_mon.interval, weekly_mon.unit, weekly_mon.weekday) == (2, "weeks", 0)
    assert parse_cadence("Monthly").unit == "months"
    last = datetime(2026, 11, 25, 10, tzinfo=UTC)  # a Wednesday
    assert parse_cadence("weekly on fri").next_after(last).weekday() == 4
    for bad in ("sometimes", "every 0 days", "weekly on funday", ""):
        with pytest.raises(InvalidInput, match="weekly"):
            parse_cadence(bad)
