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


def late_credit(late: timedelta) -> float:
    if late <= timedelta(0):
        return 1.0
    if late <= timedelta(days=1):
        return 0.75
    if late <= timedelta(days=7):
        return 0.5
    return 0.25


def credit(promise: Promise) -> float | None:
    """What one promise earns; None while open or when they released you."""
    last = promise.events[-1]
    if last.kind is EventKind.KEPT:
        earned = late_credit(last.at - promise.due)
    elif last.kind is EventKind.BROKEN:
        return 0.0
    else:
        return None
    if len(promise.events) > 2 and any(not r.early for r in promise.renegotiations):
        earned = min(earned, LATE_RENEGOTIATION_CAP)
    return earned


def on_time(promise: Promise) -> bool:
    return credit(promise) == 1.0


def follow_through(promises: Iterable[Promise], *, since: datetime | None = None,
                   until: datetime | None = None) -> float | None:
    """Mean credit of promises closed in [since, until); None when nothing was closed there."""
    score = 0.0
    counted = 0
    for p in promises:
        earned = credit(p)
        if earned is None:
            continue
        closed = p.events[-1].at
        if (since is not None and closed < since) or (until is not None and closed >= until):
            continue
        counted += 1
        score += earned
    return score / counted if counted else None


def on_time_streak(promises: Iterable[Promise]) -> int:
    """How many of the most recently closed promises were kept on time, unbroken."""
    closed = sorted((p for p in promises if credit(p) is not None),
                    key=lambda p: p.events[-1].at, reverse=True)
    streak = 0
    for p in closed:
        if not on_time(p):
            break
        streak += 1
    return streak


def weekly_series(
    promises: Sequence[Promise], now: datetime, weeks: int = 12
) -> list[float | None]:
    """Follow-through per week, oldest first, ending with the week that ends now."""
    starts = [now - timedelta(weeks=weeks - i) for i in range(weeks)]
    return [follow_through(promises, since=start, until=start + timedelta(weeks=1))
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

    @property
    def spark(self) -> str:
        return sparkline(self.weekly)


def track_record(promises: Sequence[Promise], now: datetime) -> TrackRecord:
    since_30 = now - timedelta(days=30)
    return TrackRecord(
        last_30=follow_through(promises, since=since_30, until=now + timedelta(seconds=1)),
        last_90=follow_through(promises, since=now - timedelta(days=90),
                               until=now + timedelta(seconds=1)),
        streak=on_time_streak(promises),
        closed_30=sum(1 for p in promises
                      if credit(p) is not None and p.events[-1].at >= since_30),
        weekly=tuple(weekly_series(promises, now)),
    )


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


# --- check-ins (practice 6) -----------------------------------------------------------------

def last_contacts(entries: Iterable[Entry]) -> dict[int, datetime]:
    """When each person last heard from you (a check-in or an update sent)."""
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
