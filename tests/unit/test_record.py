from __future__ import annotations

from datetime import UTC, datetime, timedelta

from trustjournal.domain.promise import Promise
from trustjournal.domain.record import (
    credit,
    follow_through,
    on_time_streak,
    sparkline,
    track_record,
    weekly_series,
)

NOW = datetime(2026, 11, 25, 10, tzinfo=UTC)


def made(days_ago: float, due_in: float = 2, pid: int = 1) -> Promise:
    start = NOW - timedelta(days=days_ago)
    return Promise.make(text="x", person_id=1, made_at=start, due=start + timedelta(days=due_in),
                        zone="UTC", id=pid)


def test_no_promises_means_no_rate_not_zero() -> None:
    assert follow_through([]) is None
    assert track_record([], NOW).last_30 is None
    assert on_time_streak([]) == 0
    assert sparkline(weekly_series([], NOW, weeks=4)) == "    "


def test_credit_for_each_outcome() -> None:
    p = made(10)
    assert credit(p) is None
    assert credit(p.kept(p.due)) == 1.0
    assert credit(p.kept(p.due + timedelta(hours=5))) == 0.75
    assert credit(p.kept(p.due + timedelta(days=3))) == 0.5
    assert credit(p.kept(p.due + timedelta(days=9))) == 0.25
    assert credit(p.broken(p.due, "no")) == 0.0
    assert credit(p.released(p.due, "not needed")) is None


def test_renegotiation_early_is_not_a_breach_late_is_a_lesser_one() -> None:
    p = made(10)
    early = p.renegotiated(p.due - timedelta(hours=1), p.due + timedelta(days=2), "asked early")
    assert credit(early.kept(p.due + timedelta(days=1))) == 1.0
    late = p.renegotiated(p.due + timedelta(hours=1), p.due + timedelta(days=2), "asked late")
    assert credit(late.kept(p.due + timedelta(days=1))) == 0.75
    twice = early.renegotiated(p.due + timedelta(days=1), p.due + timedelta(days=4), "again")
    assert credit(twice.kept(p.due + timedelta(days=4))) == 1.0
    assert credit(twice.kept(p.due + timedelta(days=6))) == 0.5  # two days past the new due


def test_all_broken_is_zero_and_windows_count_by_closing_time() -> None:
    old = made(60)
    recent = made(5, pid=2)
    broken = [old.broken(old.due, "x"), recent.broken(recent.due, "y")]
    assert follow_through(broken) == 0.0
    mixed = [old.kept(old.due), recent.broken(recent.due, "y")]
    record = track_record(mixed, NOW)
    assert record.last_30 == 0.0 and record.last_90 == 0.5 and record.closed_30 == 1


def test_streak_counts_back_from_the_latest() -> None:
    a, b, c = made(20, pid=1), made(10, pid=2), made(5, pid=3)
    promises = [a.broken(a.due, "x"), b.kept(b.due), c.kept(c.due - timedelta(hours=1))]
    assert on_time_streak(promises) == 2
    promises[1] = b.kept(b.due + timedelta(hours=2))
    assert on_time_streak(promises) == 1


def test_weekly_series_and_sparkline() -> None:
    a, b = made(20), made(3, pid=2)
    series = weekly_series([a.kept(a.due), b.broken(b.due, "x")], NOW, weeks=4)
    assert series[-1] == 0.0 and series[1] == 1.0 and series[0] is None
    assert sparkline(series) == " █ ▁"


def test_a_rescheduled_check_in_wins_while_it_is_later() -> None:
    from dataclasses import replace

    from trustjournal.domain.person import Person
    from trustjournal.domain.record import checkin_due_at

    dana = Person(id=1, name="Dana", created_at=NOW - timedelta(days=30), checkin="weekly")
    last = NOW - timedelta(days=8)
    assert checkin_due_at(dana, last) == last + timedelta(weeks=1)
    moved = replace(dana, checkin_moved_to=NOW + timedelta(days=2))
    assert checkin_due_at(moved, last) == NOW + timedelta(days=2)
    assert checkin_due_at(moved, NOW) == NOW + timedelta(weeks=1)  # a later contact moves past it


def test_credit_across_a_dst_change_uses_instants_not_wall_clocks() -> None:
    from zoneinfo import ZoneInfo

    berlin = ZoneInfo("Europe/Berlin")
    made_at = datetime(2026, 10, 24, 9, tzinfo=berlin)
    due = datetime(2026, 10, 26, 17, tzinfo=berlin)  # the clocks went back in between
    p = Promise.make(text="x", person_id=1, made_at=made_at, due=due, zone="Europe/Berlin")
    assert credit(p.kept(datetime(2026, 10, 26, 16, 59, tzinfo=berlin))) == 1.0
    assert credit(p.kept(datetime(2026, 10, 26, 17, 1, tzinfo=berlin))) == 0.75
