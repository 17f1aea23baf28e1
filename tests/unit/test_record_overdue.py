"""An open overdue promise weighs on follow-through at what it would earn if kept now."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from trustjournal.domain.promise import Promise
from trustjournal.domain.record import (
    credit,
    follow_through,
    on_time_streak,
    overdue_weighing,
    rate,
    track_record,
    weekly_series,
)

NOW = datetime(2026, 11, 25, 10, tzinfo=UTC)


def made(days_ago: float, due_in: float = 2, pid: int = 1) -> Promise:
    start = NOW - timedelta(days=days_ago)
    return Promise.make(text="x", person_id=1, made_at=start, due=start + timedelta(days=due_in),
                        zone="UTC", id=pid)


def test_lena_is_not_at_100_percent_while_a_promise_to_her_is_two_days_overdue() -> None:
    kept = made(10, pid=1)
    late = made(4, pid=2)  # due two days ago, still open
    promises = [kept.kept(kept.due), late]
    assert follow_through(promises) == 1.0  # the old figure, without "now"
    assert follow_through(promises, now=NOW) == (1.0 + 0.5) / 2
    figure = rate(promises, NOW)
    assert (figure.value, figure.counted, figure.overdue) == (0.75, 2, 1)
    assert str(figure) == "75%"
    assert overdue_weighing(promises, NOW) == 1


def test_the_weight_grows_as_it_gets_later() -> None:
    p = made(3, due_in=1)
    assert [credit(p, p.due + timedelta(hours=h)) for h in (-1, 0, 5, 30, 24 * 8)] == [
        None, None, 0.75, 0.5, 0.25]
    assert credit(p) is None  # without now: open


def test_a_late_renegotiation_still_caps_it() -> None:
    p = made(20, due_in=2)
    late = p.renegotiated(p.due + timedelta(hours=1), p.due + timedelta(days=1), "asked late")
    assert credit(late, late.due + timedelta(minutes=5)) == 0.75
    early = p.renegotiated(p.due - timedelta(hours=1), p.due + timedelta(days=1), "asked early")
    assert credit(early, early.due - timedelta(minutes=5)) is None  # not due under the new date
    assert credit(early, early.due + timedelta(days=3)) == 0.5


@given(days_late=st.floats(min_value=0.001, max_value=60),
       renegotiate=st.sampled_from([None, "early", "late"]))
def test_overdue_credit_is_exactly_what_keeping_it_now_would_earn(days_late: float,
                                                                   renegotiate: str | None
                                                                   ) -> None:
    p = made(90, due_in=2)
    if renegotiate == "early":
        p = p.renegotiated(p.due - timedelta(hours=1), p.due + timedelta(days=2), "early")
    elif renegotiate == "late":
        p = p.renegotiated(p.due + timedelta(hours=1), p.due + timedelta(days=2), "late")
    now = p.due + timedelta(days=days_late)
    assert credit(p, now) == credit(p.kept(now))
    assert rate([p], now).value == rate([p.kept(now)], now).value


@given(st.lists(st.tuples(st.integers(0, 80), st.integers(1, 20),
                          st.sampled_from(["open", "kept", "late", "broken", "released"])),
                min_size=1, max_size=12))
def test_no_one_shows_100_percent_while_a_promise_is_overdue(specs) -> None:
    promises = []
    for i, (days_ago, due_in, outcome) in enumerate(specs, start=1):
        p = made(days_ago, due_in=due_in, pid=i)
        if p.due > NOW and outcome != "open":
            continue
        if outcome == "kept":
            p = p.kept(p.due)
        elif outcome == "late":
            p = p.kept(p.due + timedelta(hours=3))
        elif outcome == "broken":
            p = p.broken(p.due, "no")
        elif outcome == "released":
            p = p.released(p.due, "not needed")
        promises.append(p)
    record = track_record(promises, NOW)
    weighing = overdue_weighing(promises, NOW)
    assert record.overdue == weighing
    if weighing:
        assert record.last_30 is not None and record.last_30 < 1.0
        assert record.last_90 is not None and record.last_90 < 1.0
        assert record.weekly[-1] is not None and record.weekly[-1] < 1.0
    old = track_record(promises, NOW, overdue=False)
    assert old.overdue == 0 and old.streak == record.streak


def test_it_counts_as_if_kept_now_in_every_window_ending_now() -> None:
    ancient = made(200, due_in=2)  # 198 days overdue: still in the last 30 days' figure
    record = track_record([ancient], NOW)
    assert record.last_30 == record.last_90 == 0.25 and record.overdue == 1
    assert record.closed_30 == 0  # closed_30 counts closed promises only
    assert weekly_series([ancient], NOW, weeks=3) == [None, None, 0.25]
    assert weekly_series([ancient], NOW, weeks=3, overdue=False) == [None, None, None]
    assert follow_through([ancient], now=NOW, until=NOW - timedelta(days=1)) is None


def test_the_streak_counts_closed_promises_only() -> None:
    a, b = made(20, pid=1), made(10, pid=2)
    overdue = made(5, pid=3)
    promises = [a.kept(a.due), b.kept(b.due), overdue]
    assert on_time_streak(promises) == 2
    assert track_record(promises, NOW).streak == 2
    assert on_time_streak([*promises[:2], overdue.kept(NOW)]) == 0
    assert on_time_streak([*promises[:2], overdue.released(NOW, "not needed")]) == 2
