"""What each pane lists, worked out from the ledger once per change (not per keypress or frame)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from trustjournal.domain.commitment import Commitment, CommitmentStatus
from trustjournal.domain.ledger import Ledger, end_of_local_day
from trustjournal.domain.person import Milestone, Person
from trustjournal.domain.promise import EventKind, Promise
from trustjournal.domain.record import checkins_due, credit, last_contacts


@dataclass(frozen=True, slots=True)
class PersonRow:
    person: Person | None
    """None is the "Everyone" row."""
    overdue: int = 0
    checkin_due: bool = False
    follow_through: float | None = None
    open_count: int = 0


@dataclass(frozen=True, slots=True)
class PromiseRow:
    promise: Promise
    to: str
    overdue: bool
    today: bool
    repeats: str = ""
    """For an occurrence of a series: its rule in words ("every Mon 10:00"); else ""."""


@dataclass(frozen=True, slots=True)
class CommitmentRow:
    commitment: Commitment
    to: str
    next_milestone: Milestone | None


@dataclass(frozen=True, slots=True)
class Summary:
    overdue: int
    due_today: int
    checkins_due: int


@dataclass(frozen=True, slots=True)
class Board:
    """The people pane and the summary line, worked out in one pass per redraw."""

    people: tuple[PersonRow, ...]
    summary: Summary


def build_board(ledger: Ledger, now: datetime, zone: ZoneInfo) -> Board:
    """One pass over the promises: at ten years of them this runs on every redraw."""
    overdue: dict[int, int] = {}
    open_count: dict[int, int] = {}
    earned: dict[int, list[float]] = {}
    due_today = 0
    end_today = end_of_local_day(now, zone)
    for p in ledger.promises.values():
        last = p.events[-1].kind
        if last is EventKind.MADE or last is EventKind.RENEGOTIATED:
            open_count[p.person_id] = open_count.get(p.person_id, 0) + 1
            due = p.due
            if due < now:
                overdue[p.person_id] = overdue.get(p.person_id, 0) + 1
            elif due < end_today:
                due_today += 1
            continue
        score = credit(p)
        if score is not None:
            earned.setdefault(p.person_id, []).append(score)
    checkins = checkins_due(ledger.people.values(), last_contacts(ledger.entries.values()), now)
    rows = [
        PersonRow(person, overdue.get(person.id, 0), person.id in checkins,
                  _mean(earned.get(person.id, [])), open_count.get(person.id, 0))
        for person in ledger.people.values()
    ]
    # People who need attention first: a pane of 200 names is useless if Dana is at the bottom.
    rows.sort(key=lambda r: (not (r.overdue or r.checkin_due), r.person.name.casefold()
                             if r.person else ""))
    everything = [score for scores in earned.values() for score in scores]
    total_overdue = sum(overdue.values())
    total_open = sum(open_count.values())
    everyone = PersonRow(None, total_overdue, bool(checkins), _mean(everything), total_open)
    return Board((everyone, *rows), Summary(total_overdue, due_today, len(checkins)))


def _mean(scores: list[float]) -> float | None:
    return sum(scores) / len(scores) if scores else None


def promise_rows(
    ledger: Ledger,
    now: datetime,
    zone: ZoneInfo,
    *,
    person_id: int | None,
    show_closed: bool,
    query: str = "",
) -> list[PromiseRow]:
    """Overdue first (most overdue first), then due today, then the rest by due; closed last."""
    end_today = end_of_local_day(now, zone)
    needle = query.casefold().strip()
    open_rows: list[PromiseRow] = []
    closed_rows: list[PromiseRow] = []
    for p in ledger.promises.values():
        if person_id is not None and p.person_id != person_id:
            continue
        is_open = p.is_open
        if not is_open and not show_closed:
            continue
        to = ledger.name_of(p.person_id)
        if needle and needle not in p.text.casefold() and needle not in to.casefold():
            continue
        due = p.due
        series = ledger.series_of(p)
        row = PromiseRow(p, to, is_open and due < now, is_open and now <= due < end_today,
                         series.describe() if series is not None else "")
        (open_rows if is_open else closed_rows).append(row)
    open_rows.sort(key=lambda r: (r.promise.due, r.promise.id))
    closed_rows.sort(
        key=lambda r: (r.promise.closed_at or r.promise.due, r.promise.id), reverse=True
    )
    return open_rows + closed_rows


def commitment_rows(ledger: Ledger, person_id: int | None) -> list[CommitmentRow]:
    rows = [
        CommitmentRow(c, ledger.name_of(c.person_id), c.next_milestone())
        for c in ledger.commitments.values()
        if person_id is None or c.person_id == person_id
    ]
    order = {CommitmentStatus.ACTIVE: 0, CommitmentStatus.DONE: 1, CommitmentStatus.DROPPED: 2}
    rows.sort(key=lambda r: (order[r.commitment.status], r.to.casefold(), r.commitment.id))
    return rows
