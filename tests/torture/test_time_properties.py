"""Time, tortured: DST changes, a 30-minute DST, a skipped day, and a user who travels.

The zones: Berlin and New York (ordinary one-hour DST), Lord Howe (a 30-minute DST), and Apia
(Samoa skipped 2011-12-30 entirely, jumping from UTC-10 to UTC+14). Instants are drawn both
anywhere in 2005-2035 and within days of each zone's transitions, where the bugs live.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trustjournal.domain.dates import parse_when, resolve_local
from trustjournal.domain.promise import Promise
from trustjournal.storage import codec

ZONES = tuple(
    ZoneInfo(key)
    for key in ("Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Pacific/Apia")
)
START, END = datetime(2005, 1, 1, tzinfo=UTC), datetime(2035, 12, 31, tzinfo=UTC)
NINE = time(9, 0)
EXAMPLES = settings(max_examples=200, deadline=None)


@dataclass(frozen=True)
class Transition:
    zone: ZoneInfo
    at: datetime  # the UTC instant of the change
    before: timedelta  # UTC offset just before it
    after: timedelta  # and just after

    @property
    def wall(self) -> datetime:
        """The local wall clock, naive, just before the change."""
        return (self.at + self.before).replace(tzinfo=None)

    @property
    def jump(self) -> timedelta:
        return self.after - self.before


def _offset(zone: ZoneInfo, instant: datetime) -> timedelta:
    offset = instant.astimezone(zone).utcoffset()
    assert offset is not None
    return offset


def _instant(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


@cache
def transitions(zone: ZoneInfo) -> tuple[Transition, ...]:
    found = []
    day = START
    while day < END:
        following = day + timedelta(days=1)
        if _offset(zone, day) != _offset(zone, following):
            # Bisect over whole seconds: zones change offset on a whole second.
            low, high = int(day.timestamp()), int(following.timestamp())
            while high - low > 1:
                middle = (low + high) // 2
                if _offset(zone, _instant(middle)) == _offset(zone, _instant(low)):
                    low = middle
                else:
                    high = middle
            at = _instant(high)
            found.append(Transition(zone, at, _offset(zone, _instant(low)), _offset(zone, at)))
        day = following
    return tuple(found)


def test_the_zones_have_the_transitions_this_file_is_about() -> None:
    # Guards the premise: an old tz database would make the properties below vacuous.
    lord_howe = transitions(ZoneInfo("Australia/Lord_Howe"))
    assert {abs(t.jump) for t in lord_howe} == {timedelta(minutes=30)}
    apia = transitions(ZoneInfo("Pacific/Apia"))
    skipped = [t for t in apia if t.jump == timedelta(hours=24)]
    assert [t.wall.date() for t in skipped] == [date(2011, 12, 30)]
    assert all(len(transitions(zone)) >= 20 for zone in ZONES)


def gaps() -> Iterator[Transition]:
    return (t for zone in ZONES for t in transitions(zone) if t.jump > timedelta(0))


def folds() -> Iterator[Transition]:
    return (t for zone in ZONES for t in transitions(zone) if t.jump < timedelta(0))


def in_gap(wall: datetime, zone: ZoneInfo) -> Transition | None:
    for t in transitions(zone):
        if t.jump > timedelta(0) and t.wall <= wall < t.wall + t.jump:
            return t
    return None


zones = st.sampled_from(ZONES)
anywhere = st.datetimes(START.replace(tzinfo=None), END.replace(tzinfo=None)).map(
    lambda naive: naive.replace(tzinfo=UTC)
)


@st.composite
def instants(draw: st.DrawFn, zone: ZoneInfo) -> datetime:
    """Any instant, or one within three days of one of the zone's transitions."""
    if draw(st.booleans()):
        return draw(anywhere)
    near = draw(st.sampled_from(transitions(zone)))
    return near.at + timedelta(seconds=draw(st.integers(-3 * 86400, 3 * 86400)))


@st.composite
def zone_and_instant(draw: st.DrawFn) -> tuple[ZoneInfo, datetime]:
    zone = draw(zones)
    # `now` may come in any zone: parse_when must convert it, not read its wall clock.
    return zone, draw(instants(zone)).astimezone(draw(zones))


def expected_wall(wall: datetime, zone: ZoneInfo) -> datetime:
    """What resolve_local documents: a wall time in a gap moves forward by the gap."""
    gap = in_gap(wall, zone)
    return wall + gap.jump if gap else wall


@EXAMPLES
@given(zone_and_instant())
def test_tomorrow_nine_is_nine_on_the_local_wall_clock(case: tuple[ZoneInfo, datetime]) -> None:
    zone, now = case
    due = parse_when("tomorrow 09:00", now, zone)
    tomorrow = now.astimezone(zone).date() + timedelta(days=1)
    wall = datetime.combine(tomorrow, NINE)
    assert due.tzinfo is zone
    assert due.replace(tzinfo=None) == expected_wall(wall, zone)
    # Only Samoa's skipped day has no 09:00 at all; everywhere else it is exactly 09:00.
    if due.time() != NINE:
        assert (zone.key, tomorrow) == ("Pacific/Apia", date(2011, 12, 30))
    assert due.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == due.replace(tzinfo=None)


@EXAMPLES
@given(zone_and_instant())
def test_hours_are_elapsed_time_even_across_a_change(case: tuple[ZoneInfo, datetime]) -> None:
    zone, now = case
    due = parse_when("in 2 hours", now, zone)
    assert due.astimezone(UTC) - now.astimezone(UTC) == timedelta(hours=2)


@st.composite
def promise_checks(draw: st.DrawFn) -> tuple[Promise, ZoneInfo, timedelta, ZoneInfo]:
    zone = draw(zones)
    made = draw(instants(zone))
    due = parse_when("tomorrow 09:00", made, zone)
    promise = Promise.make(text="t", person_id=1, made_at=made, due=due, zone=zone.key)
    # Seconds around the due instant, tiny ones often: the flip must happen exactly there.
    delta = draw(st.one_of(st.integers(-3, 3), st.integers(-3 * 86400, 3 * 86400)))
    return promise, zone, timedelta(seconds=delta), draw(zones)


@EXAMPLES
@given(promise_checks())
def test_overdue_flips_exactly_at_the_due_instant_wherever_the_user_is(
    case: tuple[Promise, ZoneInfo, timedelta, ZoneInfo],
) -> None:
    promise, zone, delta, travelled_to = case
    # Stored and read back, as the journal does: UTC instants plus the zone it was said in.
    stored = codec.load_promise(1, json.loads(json.dumps(codec.dump_promise(promise))))
    # Instant arithmetic (in UTC): adding to an aware datetime moves its *wall clock*, which
    # across Samoa's skipped day lands on a different instant than `delta` away.
    now = (promise.due.astimezone(UTC) + delta).astimezone(travelled_to)
    for seen in (promise, stored):
        assert seen.is_overdue(now) is (delta > timedelta(0))
        assert seen.is_overdue(now.astimezone(zone)) is seen.is_overdue(now)
    # Travelling changes how the due time is shown, never the promise's own wall clock.
    back_home = stored.due.astimezone(ZoneInfo(stored.zone))
    assert back_home.replace(tzinfo=None) == promise.due.astimezone(zone).replace(tzinfo=None)


@pytest.mark.parametrize(
    ("zone", "made", "due_wall", "due_utc"),
    [
        # Made the day before spring-forward: 24 hours later would say 10:00.
        ("Europe/Berlin", "2026-03-28T10:00+01:00", "2026-03-29 09:00", "2026-03-29T07:00Z"),
        # Made the day before fall-back: 24 hours later would say 08:00.
        ("America/New_York", "2026-10-31T10:00-04:00", "2026-11-01 09:00", "2026-11-01T14:00Z"),
        ("Australia/Lord_Howe", "2026-10-03T10:00+10:30", "2026-10-04 09:00", "2026-10-03T22:00Z"),
        ("Pacific/Apia", "2011-12-29T10:00-10:00", "2011-12-31 09:00", "2011-12-30T19:00Z"),
    ],
)
def test_overdue_across_a_change_by_example(
    zone: str, made: str, due_wall: str, due_utc: str
) -> None:
    tz = ZoneInfo(zone)
    due = parse_when("tomorrow 09:00", datetime.fromisoformat(made), tz)
    assert due.strftime("%Y-%m-%d %H:%M") == due_wall
    assert due == datetime.fromisoformat(due_utc)
    promise = Promise.make(
        text="t", person_id=1, made_at=datetime.fromisoformat(made), due=due, zone=zone
    )
    one_second = timedelta(seconds=1)
    assert not promise.is_overdue(due)
    assert promise.is_overdue(due + one_second)
    assert not promise.kept(due).lateness


@st.composite
def wall_in_gap(draw: st.DrawFn) -> tuple[Transition, datetime]:
    gap = draw(st.sampled_from(list(gaps())))
    minutes = draw(st.integers(0, int(gap.jump.total_seconds() // 60) - 1))
    return gap, gap.wall + timedelta(minutes=minutes)


@EXAMPLES
@given(wall_in_gap(), anywhere)
def test_a_skipped_wall_time_moves_forward_by_the_gap(
    case: tuple[Transition, datetime], now: datetime
) -> None:
    gap, wall = case
    resolved = resolve_local(wall, gap.zone)
    assert resolved.replace(tzinfo=None) == wall + gap.jump
    # The same instant as reading the wall with the offset in force before the jump.
    assert resolved.astimezone(UTC) == (wall - gap.before).replace(tzinfo=UTC)
    typed = parse_when(wall.strftime("%Y-%m-%d %H:%M"), now, gap.zone)
    assert typed.astimezone(UTC) == resolved.astimezone(UTC)


@st.composite
def wall_in_fold(draw: st.DrawFn) -> tuple[Transition, datetime]:
    fold = draw(st.sampled_from(list(folds())))
    minutes = draw(st.integers(1, int(-fold.jump.total_seconds() // 60)))
    return fold, fold.wall - timedelta(minutes=minutes)


@EXAMPLES
@given(wall_in_fold(), anywhere)
def test_a_repeated_wall_time_means_its_first_occurrence(
    case: tuple[Transition, datetime], now: datetime
) -> None:
    fold, wall = case
    resolved = resolve_local(wall, fold.zone)
    assert resolved.replace(tzinfo=None) == wall
    assert resolved.utcoffset() == fold.before  # still on the offset before the clocks went back
    second = wall.replace(tzinfo=fold.zone, fold=1).astimezone(UTC)
    assert resolved.astimezone(UTC) == second + fold.jump
    typed = parse_when(wall.strftime("%Y-%m-%d %H:%M"), now, fold.zone)
    assert typed.astimezone(UTC) == resolved.astimezone(UTC)


@EXAMPLES
@given(zones, st.datetimes(START.replace(tzinfo=None), END.replace(tzinfo=None)))
def test_any_wall_time_survives_a_round_trip_through_utc(zone: ZoneInfo, wall: datetime) -> None:
    resolved = resolve_local(wall, zone)
    assert resolved.replace(tzinfo=None) == expected_wall(wall, zone)
    again = resolved.astimezone(UTC).astimezone(zone)
    assert again.replace(tzinfo=None) == resolved.replace(tzinfo=None)
    assert again.utcoffset() == resolved.utcoffset()
