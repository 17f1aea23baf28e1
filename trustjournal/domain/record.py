"""The track record: follow-through and check-ins, as plain numbers a person can check by hand."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from trustjournal.domain.cadence import parse_cadence
from trustjournal.domain.entry import Entry
from trustjournal.domain.errors import InvalidInput
from trustjournal.domain.person import Person
from trustjournal.domain.promise import EventKind, Promise

LATE_CREDIT = 0.5
"""A late promise still delivered something: it counts half (the track record may refine it)."""


def credit(promise: Promise) -> float | None:
    """What one promise earns: kept on time 1, late half, broken 0; None if open or released."""
    last = promise.events[-1]
    if last.kind is EventKind.KEPT:
        return LATE_CREDIT if last.at > promise.due else 1.0
    if last.kind is EventKind.BROKEN:
        return 0.0
    return None


def follow_through(promises: Iterable[Promise]) -> float | None:
    """Share of closed promises kept, with half credit for late; released ones don't count."""
    score = 0.0
    counted = 0
    for p in promises:
        earned = credit(p)
        if earned is not None:
            counted += 1
            score += earned
    return score / counted if counted else None


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
    return cadence.next_after(last_contact or person.created_at)


def checkins_due(
    people: Iterable[Person], contacts: Mapping[int, datetime], now: datetime
) -> dict[int, datetime]:
    due: dict[int, datetime] = {}
    for person in people:
        at = checkin_due_at(person, contacts.get(person.id))
        if at is not None and at <= now:
            due[person.id] = at
    return due
