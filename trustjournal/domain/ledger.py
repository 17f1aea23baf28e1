"""The whole journal as one read-only value, with the questions the daily moments ask of it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from trustjournal.domain.dates import resolve_local
from trustjournal.domain.errors import AmbiguousPerson, UnknownPerson, UnknownRecord

if TYPE_CHECKING:
    # Only named in annotations: importing them here would put every domain module on the
    # start-up path of a capture, which needs none of commitments and entries.
    from trustjournal.domain.commitment import Commitment
    from trustjournal.domain.entry import Entry
    from trustjournal.domain.person import Person
    from trustjournal.domain.promise import Promise
    from trustjournal.domain.repair import Repair
    from trustjournal.domain.review import ReviewRecord
    from trustjournal.domain.series import Series


@dataclass(frozen=True, slots=True)
class Ledger:
    """The journal's records, by table and id (a partial load, as `due` does, leaves some
    tables empty)."""

    people: Mapping[int, Person] = field(default_factory=dict)
    promises: Mapping[int, Promise] = field(default_factory=dict)
    commitments: Mapping[int, Commitment] = field(default_factory=dict)
    entries: Mapping[int, Entry] = field(default_factory=dict)
    repairs: Mapping[int, Repair] = field(default_factory=dict)
    reviews: Mapping[int, ReviewRecord] = field(default_factory=dict)
    series: Mapping[int, Series] = field(default_factory=dict)

    def person(self, person_id: int) -> Person:
        try:
            return self.people[person_id]
        except KeyError:
            raise UnknownRecord(f"there is no person with id {person_id}") from None

    def promise(self, promise_id: int) -> Promise:
        try:
            return self.promises[promise_id]
        except KeyError:
            raise UnknownRecord(
                f"there is no promise #{promise_id}; `trustjournal list --all` shows them all"
            ) from None

    def find_person(self, query: str) -> Person:
        return find_person(self.people.values(), query)

    def series_of(self, promise: Promise) -> Series | None:
        """The series a promise is an occurrence of; None for a one-off."""
        return None if promise.series_id is None else self.series.get(promise.series_id)

    def one_series(self, series_id: int) -> Series:
        try:
            return self.series[series_id]
        except KeyError:
            raise UnknownRecord(
                f"there is no series #{series_id}; `trustjournal series list --all` shows them"
            ) from None

    def occurrences(self, series_id: int) -> list[Promise]:
        """Every occurrence of a series the ledger holds, by due time."""
        return sorted((p for p in self.promises.values() if p.series_id == series_id),
                      key=_due_then_id)

    def leader_of(self, person: Person) -> str:
        """Their leader's name: the person in the journal when linked, else as written."""
        if person.leader_id is not None:
            return self.name_of(person.leader_id)
        return person.leader

    def trusted_by(self, person_id: int) -> list[Person]:
        """Who trusts this person: the other direction of the trust links."""
        return sorted((p for p in self.people.values() if person_id in p.trusts),
                      key=lambda p: p.name.casefold())

    def repairs_for(self, person_id: int) -> list[Repair]:
        return sorted((r for r in self.repairs.values() if r.person_id == person_id),
                      key=lambda r: r.at)

    def name_of(self, person_id: int) -> str:
        person = self.people.get(person_id)
        return person.name if person else f"(person {person_id})"

    def open_promises(self) -> list[Promise]:
        return sorted((p for p in self.promises.values() if p.is_open), key=_due_then_id)

    def overdue(self, now: datetime) -> list[Promise]:
        """Most overdue first: the oldest breach is the one to face first."""
        return [p for p in self.open_promises() if p.due < now]

    def due_today(self, now: datetime, zone: ZoneInfo) -> list[Promise]:
        end = end_of_local_day(now, zone)
        return [p for p in self.open_promises() if now <= p.due < end]

    def promises_to(self, person_id: int) -> list[Promise]:
        return sorted(
            (p for p in self.promises.values() if p.person_id == person_id), key=_due_then_id
        )

    def entries_for(self, person_id: int) -> list[Entry]:
        return sorted(
            (e for e in self.entries.values() if e.person_id == person_id), key=lambda e: e.at
        )

    def commitments_for(self, person_id: int) -> list[Commitment]:
        return [c for c in self.commitments.values() if c.person_id == person_id]


def _due_then_id(promise: Promise) -> tuple[datetime, int]:
    return promise.due, promise.id


def end_of_local_day(now: datetime, zone: ZoneInfo) -> datetime:
    local = now.astimezone(zone)
    # Local calendar arithmetic, then explicit DST resolution: some zones skip midnight itself.
    next_midnight = datetime(local.year, local.month, local.day) + timedelta(days=1)
    return resolve_local(next_midnight, zone)


def find_person(people: Iterable[Person], query: str) -> Person:
    """Match a name as typed in a hurry: the whole name, a whole word of it, then prefixes."""
    key = " ".join(query.split()).casefold()
    if not key:
        raise UnknownPerson("name a person, e.g. --to Dana")
    everyone = list(people)
    for rule in (
        lambda name: name == key,
        lambda name: key in name.split(),
        lambda name: name.startswith(key),
        lambda name: any(word.startswith(key) for word in name.split()),
    ):
        matches = [p for p in everyone if rule(p.name.casefold())]
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            names = ", ".join(sorted(p.name for p in matches))
            raise AmbiguousPerson(f'"{query}" could be {names}; type more of the name')
    raise UnknownPerson(
        f'no one called "{query}" in the journal; add them first: trustjournal person add "{query}"'
    )
