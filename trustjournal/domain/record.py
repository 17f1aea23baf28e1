"""The track record (practice 10): numbers a person can check by hand against the ledger.

Credit per closed promise, judged against the due time in force when it closed:
  kept on time                         1.0
  kept late, by up to a day            0.75
  kept late, by up to a week           0.5
  kept later than that                 0.25
  broken                               0.0
  released by them                     not counted
A renegotiation *before* the due time is communication, not a breach: the promise is judged
against the new time. One made *after* the due time is a lesser breach: the credit is capped
at 0.75.
An open promise past its due time counts too, at the credit it would earn if kept now, so it
weighs more the longer it waits (a day late 0.75, a week 0.5, later 0.25), and no one is shown
at 100% while a promise to them is overdue. It counts in the windows as if closed now (the
last 30 and 90 days, this week of the sparkline); the on-time streak counts closed promises
only, and an overdue one ends it when it closes late or broken.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from trustjournal.domain.cadence import parse_cadence
from trustjournal.domain.entry import Entry
from trustjournal.domain.errors import InvalidInput
from trustjournal.domain.person import Person
from trustjournal.domain.promise import EventKind, Promise

LATE_RENEGOTIATION_CAP = 0.75
SPARKS = "▁▂▃▄▅▆▇█"
_UP_TO_NOW = timedelta(seconds=1)
"""Windows that end "now" end a second after it, so a promise closed (or counted) at now is in."""


def late_credit(late: timedelta) -> float:
    if late <= timedelta(0):
        return 1.0
    if late <= timedelta(days=1):
        return 0.75
    if late <= timedelta(days=7):
        return 0.5
    return 0.25


def credit(promise: Promise, now: datetime | None = None) -> float | None:
    """What one promise earns; None while open or when they released you.

    With `now`, an open promise past its due time earns what it would if kept at `now`
    (late renegotiations still cap it); an open one not yet due is still None."""
    last = promise.events[-1]
    if last.kind is EventKind.KEPT:
        earned = late_credit(last.at - promise.due)
    elif last.kind is EventKind.BROKEN:
        return 0.0
    elif now is not None and promise.is_overdue(now):
        earned = late_credit(now - promise.due)
    else:
        return None
    if len(promise.events) > 2 and any(not r.early for r in promise.renegotiations):
        earned = min(earned, LATE_RENEGOTIATION_CAP)
    return earned


def counted_at(promise: Promise, now: datetime | None = None) -> datetime | None:
    """The moment a promise counts in a window: when it closed, or `now` for an open overdue
    one (as if kept now); None when it does not count."""
    if credit(promise, now) is None:
        return None
    closed = promise.closed_at
    return closed if closed is not None else now


def on_time(promise: Promise) -> bool:
    return credit(promise) == 1.0


@dataclass(frozen=True, slots=True)
class Rate:
    """A follow-through figure with what it is made of."""

    value: float | None
    """Mean credit; None when nothing counts in the window."""
    counted: int
    """Promises in the figure, the overdue ones included."""
    overdue: int
    """Of those, open promises past their due time, counted at what they would earn if kept
    now: what the screen says weighs on the figure ("2 overdue weigh on it")."""

    def __str__(self) -> str:
        return percent(self.value)


def rate(promises: Iterable[Promise], now: datetime | None = None, *,
         since: datetime | None = None, until: datetime | None = None) -> Rate:
    """Follow-through over the promises that count in [since, until): closed ones by when they
    closed and, with `now`, overdue open ones as if kept at `now`."""
    score = 0.0
    counted = 0
    overdue = 0
    for p in promises:
        earned = credit(p, now)
        if earned is None:
            continue
        moment = counted_at(p, now)
        assert moment is not None
        if (since is not None and moment < since) or (until is not None and moment >= until):
            continue
        counted += 1
        score += earned
        overdue += p.is_open
    return Rate(score / counted if counted else None, counted, overdue)


def follow_through(promises: Iterable[Promise], *, since: datetime | None = None,
                   until: datetime | None = None, now: datetime | None = None) -> float | None:
    """Mean credit of promises closed in [since, until); None when nothing was closed there.

    With `now`, open overdue promises count too, as if kept at `now` (see `rate`)."""
    return rate(promises, now, since=since, until=until).value


def overdue_weighing(promises: Iterable[Promise], now: datetime) -> int:
    """How many open promises are past their due time at `now`: each weighs on every
    follow-through figure that ends now."""
    return sum(1 for p in promises if p.is_overdue(now))


def on_time_streak(promises: Iterable[Promise]) -> int:
    """How many of the most recently closed promises were kept on time, unbroken.

    Open promises, overdue ones too, are not in it until they close: one that is released by
    them after its due time costs nothing, any other outcome of an overdue one ends it."""
    closed = sorted((p for p in promises if credit(p) is not None),
                    key=lambda p: p.events[-1].at, reverse=True)
    streak = 0
    for p in closed:
        if not on_time(p):
            break
        streak += 1
    return streak


def weekly_series(
    promises: Sequence[Promise], now: datetime, weeks: int = 12, *, overdue: bool = True
) -> list[float | None]:
    """Follow-through per week, oldest first, ending with the week that ends now (open overdue
    promises count in that last week, as if kept now, unless `overdue` is False)."""
    end = now + _UP_TO_NOW
    starts = [end - timedelta(weeks=weeks - i) for i in range(weeks)]
    at = now if overdue else None
    return [follow_through(promises, since=start, until=start + timedelta(weeks=1), now=at)
            for start in starts]


def sparkline(series: Sequence[float | None]) -> str:
    """A week with nothing closed is a gap, not a zero: silence is not failure."""
    return "".join(" " if v is None else SPARKS[min(int(v * len(SPARKS)), len(SPARKS) - 1)]
                   for v in series)


@dataclass(frozen=True, slots=True)
class TrackRecord:
    last_30: float | None
    last_90: float | None
    streak: int
    closed_30: int
    weekly: tuple[float | None, ...]
    overdue: int = 0
    """Open promises past their due time, in last_30, last_90 and this week's figure at the
    credit they would earn if kept now: "2 overdue weigh on these"."""

    @property
    def spark(self) -> str:
        return sparkline(self.weekly)


def track_record(promises: Sequence[Promise], now: datetime, *, overdue: bool = True
                 ) -> TrackRecord:
    """The figures at `now`. Open overdue promises count in them (`overdue=False`: only
    closed promises, as before they did)."""
    since_30 = now - timedelta(days=30)
    at = now if overdue else None
    return TrackRecord(
        last_30=follow_through(promises, since=since_30, until=now + _UP_TO_NOW, now=at),
        last_90=follow_through(promises, since=now - timedelta(days=90),
                               until=now + _UP_TO_NOW, now=at),
        streak=on_time_streak(promises),
        closed_30=sum(1 for p in promises
                      if credit(p) is not None and p.events[-1].at >= since_30),
        weekly=tuple(weekly_series(promises, now, overdue=overdue)),
        overdue=overdue_weighing(promises, now) if overdue else 0,
    )


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


# --- check-ins (practice 6) -----------------------------------------------------------------

def last_contacts(entries: Iterable[Entry]) -> dict[int, datetime]:
    """When each person last heard from you: the latest entry of talking with them (the one
    contact rule, entry.CONTACT_KINDS: not a note, empathy, testimonial or contribution)."""
    latest: dict[int, datetime] = {}
    for e in entries:
        if e.kind.is_contact and (e.person_id not in latest or e.at > latest[e.person_id]):
            latest[e.person_id] = e.at
    return latest


def checkin_due_at(person: Person, last_contact: datetime | None) -> datetime | None:
    """When the next check-in is due, or None when the person has no cadence."""
    if not person.checkin:
        return None
    try:
        cadence = parse_cadence(person.checkin)
    except InvalidInput:
        return None  # a hand-edited cadence we can't read must not hide the rest of the screen
    due = cadence.next_after(last_contact or person.created_at)
    if person.checkin_moved_to is not None and person.checkin_moved_to > due:
        return person.checkin_moved_to
    return due


def checkins_due(people: Iterable[Person], contacts: Mapping[int, datetime],
                 now: datetime) -> dict[int, datetime]:
    due: dict[int, datetime] = {}
    for person in people:
        at = checkin_due_at(person, contacts.get(person.id))
        if at is not None and at <= now:
            due[person.id] = at
    return due
