"""A promise and its history (practice 5). Status and lateness are derived, never stored."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum

from trustjournal.domain.errors import InvalidInput, PromiseClosed


class EventKind(StrEnum):
    MADE = "made"
    RENEGOTIATED = "renegotiated"
    KEPT = "kept"
    RELEASED = "released"
    BROKEN = "broken"


CLOSING = frozenset({EventKind.KEPT, EventKind.RELEASED, EventKind.BROKEN})


class Status(StrEnum):
    OPEN = "open"
    KEPT = "kept"
    RELEASED = "released"
    BROKEN = "broken"


class Outcome(StrEnum):
    """The finer verdict a person reads in the ledger."""

    OPEN = "open"
    OVERDUE = "overdue"
    KEPT = "kept"
    KEPT_LATE = "kept late"
    RELEASED = "released"
    BROKEN = "broken"


@dataclass(frozen=True, slots=True)
class PromiseEvent:
    """One step in a promise's history: made, renegotiated, kept, released or broken."""

    kind: EventKind
    at: datetime
    due: datetime | None = None
    """The due time this event set: for *made* and *renegotiated* only."""
    note: str = ""


@dataclass(frozen=True, slots=True)
class Promise:
    """What you promised, to whom, and everything that happened to it since (`events`)."""

    id: int
    text: str
    person_id: int
    events: tuple[PromiseEvent, ...]
    zone: str = "UTC"
    """The zone the due time was said in, so "fri 5pm" can be shown as it was meant."""
    commitment_id: int | None = None
    uid: str = ""
    series_id: int | None = None
    """The series (domain/series.py) this promise is one occurrence of; None for a one-off."""
    extra: dict[str, object] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def make(
        cls,
        *,
        text: str,
        person_id: int,
        made_at: datetime,
        due: datetime,
        zone: str,
        commitment_id: int | None = None,
        id: int = 0,
        series_id: int | None = None,
    ) -> Promise:
        text = " ".join(text.split())
        if not text:
            raise InvalidInput('a promise needs words, e.g. "send the Q3 numbers"')
        if due < made_at:
            raise InvalidInput("a promise cannot be due before it was made")
        return cls(
            id=id,
            text=text,
            person_id=person_id,
            events=(PromiseEvent(EventKind.MADE, made_at, due=due),),
            zone=zone,
            commitment_id=commitment_id,
            series_id=series_id,
        )

    @property
    def made_at(self) -> datetime:
        return self.events[0].at

    @property
    def due(self) -> datetime:
        for event in reversed(self.events):
            if event.due is not None:
                return event.due
        raise ValueError(f"promise #{self.id} has no due time")  # codec guarantees one

    @property
    def closing(self) -> PromiseEvent | None:
        last = self.events[-1]
        return last if last.kind in CLOSING else None

    @property
    def status(self) -> Status:
        closing = self.closing
        return Status.OPEN if closing is None else Status(closing.kind.value)

    @property
    def is_open(self) -> bool:
        return self.closing is None

    @property
    def closed_at(self) -> datetime | None:
        closing = self.closing
        return closing.at if closing else None

    def is_overdue(self, now: datetime) -> bool:
        return self.is_open and self.due < now

    @property
    def lateness(self) -> timedelta | None:
        """How late it was kept (zero when on time); None unless kept."""
        closing = self.closing
        if closing is None or closing.kind is not EventKind.KEPT:
            return None
        return max(closing.at - self.due, timedelta(0))

    def outcome(self, now: datetime) -> Outcome:
        status = self.status
        if status is Status.OPEN:
            return Outcome.OVERDUE if self.due < now else Outcome.OPEN
        if status is Status.KEPT:
            return Outcome.KEPT_LATE if self.lateness else Outcome.KEPT
        return Outcome(status.value)

    @property
    def renegotiations(self) -> tuple[Renegotiation, ...]:
        found: list[Renegotiation] = []
        due = self.events[0].due
        for event in self.events[1:]:
            if event.kind is EventKind.RENEGOTIATED and event.due is not None and due is not None:
                found.append(Renegotiation(event.at, due, event.due, event.note))
                due = event.due
        return tuple(found)

    def _closed_error(self) -> PromiseClosed:
        return PromiseClosed(f"#{self.id} is already {self.status.value}; nothing changed")

    def _append(self, event: PromiseEvent) -> Promise:
        if not self.is_open:
            raise self._closed_error()
        if event.at < self.made_at:
            raise InvalidInput(f"#{self.id} was made later than that; pick a time after it")
        return replace(self, events=(*self.events, event))

    def kept(self, at: datetime) -> Promise:
        return self._append(PromiseEvent(EventKind.KEPT, at))

    def released(self, at: datetime, note: str) -> Promise:
        return self._append(PromiseEvent(EventKind.RELEASED, at, note=_need_note(note)))

    def broken(self, at: datetime, note: str) -> Promise:
        return self._append(PromiseEvent(EventKind.BROKEN, at, note=_need_note(note)))

    def renegotiated(self, at: datetime, new_due: datetime, note: str) -> Promise:
        if new_due <= at:
            raise InvalidInput("the new due time has to be in the future, e.g. --due 'next mon'")
        return self._append(
            PromiseEvent(EventKind.RENEGOTIATED, at, due=new_due, note=_need_note(note))
        )


@dataclass(frozen=True, slots=True)
class Renegotiation:
    """One agreed move of a due time, read from the events."""

    at: datetime
    old_due: datetime
    new_due: datetime
    note: str

    @property
    def early(self) -> bool:
        """Said before it was due: communication, not a breach."""
        return self.at <= self.old_due


def _need_note(note: str) -> str:
    note = " ".join(note.split())
    if not note:
        raise InvalidInput('say why in a few words, e.g. --note "blocked on the data export"')
    return note
