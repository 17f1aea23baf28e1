"""What each pane lists, worked out from the ledger once per change (not per keypress or frame)."""

from __future__ import annotations

import threading
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from trustjournal.domain.commitment import Commitment, CommitmentStatus
from trustjournal.domain.ledger import Ledger, end_of_local_day
from trustjournal.domain.person import Milestone, Person
from trustjournal.domain.promise import Promise
from trustjournal.domain.record import checkins_due, credit
from trustjournal.domain.totals import Totals


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


_BOARD_TOTALS: list[Totals] = []
"""The totals the last build_board kept, brought to each next ledger (see domain/totals.py)."""
_BOARD_LOCK = threading.Lock()
"""The totals are brought up to date in place, by the UI thread or by `warm` in a loader's."""


def build_board(ledger: Ledger, now: datetime, zone: ZoneInfo,
                totals: Totals | None = None) -> Board:
    """The people pane and the summary line, on every change and every minute's redraw.

    What does not depend on the clock (each person's credits, the open promises, the last
    contacts) comes from `totals`, brought up to date with the ledger (only what changed since
    the last call is counted again); without it, from totals this module keeps. Only the open
    promises are looked at against the clock.
    """
    if totals is None:
        with _BOARD_LOCK:
            if not _BOARD_TOTALS:
                _BOARD_TOTALS.append(Totals.count(ledger))
            totals = _BOARD_TOTALS[0]
            return _board(ledger, now, zone, totals.follow(ledger))
    return _board(ledger, now, zone, totals.follow(ledger))


def _board(ledger: Ledger, now: datetime, zone: ZoneInfo, totals: Totals) -> Board:
    overdue: dict[int, int] = {}
    open_count: dict[int, int] = {}
    due_today = 0
    end_today = end_of_local_day(now, zone)
    weighing: dict[int, list[float]] = {}
    for p in totals.open.values():
        open_count[p.person_id] = open_count.get(p.person_id, 0) + 1
        due = p.due
        if due < now:
            overdue[p.person_id] = overdue.get(p.person_id, 0) + 1
            # An overdue promise weighs on follow-through at what it would earn if kept now.
            earned = credit(p, now)
            if earned is not None:
                weighing.setdefault(p.person_id, []).append(earned)
        elif due < end_today:
            due_today += 1
    checkins = checkins_due(ledger.people.values(), totals.contacts, now)
    rows = [
        PersonRow(person, overdue.get(person.id, 0), person.id in checkins,
                  totals.mean(person.id, weighing.get(person.id, ())),
                  open_count.get(person.id, 0))
        for person in ledger.people.values()
    ]
    # People who need attention first: a pane of 200 names is useless if Dana is at the bottom.
    rows.sort(key=lambda r: (not (r.overdue or r.checkin_due), r.person.name.casefold()
                             if r.person else ""))
    total_overdue = sum(overdue.values())
    total_open = sum(open_count.values())
    everyone = PersonRow(None, total_overdue, bool(checkins),
                         totals.mean_of_all([c for cs in weighing.values() for c in cs]),
                         total_open)
    return Board((everyone, *rows), Summary(total_overdue, due_today, len(checkins)))


class _Ledgered:
    """The ledger's promises in the ledger's order, sorted once per ledger: the filter, "show
    closed" and a person's page then pick from lists instead of walking every promise.

    Open promises are sorted by due time, so the overdue ones are a prefix and those due
    today the next run (two bisects per redraw); their rows are made again only when that
    boundary moves. Closed rows do not depend on the clock and are made once, when first
    shown. The search text (promise and name, casefolded) is made once, at the first filter.
    """

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        series_text: dict[int, str] = {}

        def repeats(p: Promise) -> str:
            if p.series_id is None:
                return ""
            text = series_text.get(p.series_id)
            if text is None:
                series = ledger.series_of(p)
                text = series_text[p.series_id] = series.describe() if series else ""
            return text

        self._repeats = repeats
        self.widest_id = max(ledger.promises, default=0)
        opened = [p for p in ledger.promises.values() if p.is_open]
        opened.sort(key=_due_then_id)
        self.open = opened
        self.open_due = [p.due for p in opened]
        self.open_to = [ledger.name_of(p.person_id) for p in opened]
        self.open_repeats = [repeats(p) for p in opened]
        self._open_rows: tuple[int, int, list[PromiseRow]] | None = None
        self._open_hay: list[str] | None = None
        self._closed: list[PromiseRow] | None = None
        self._closed_hay: list[str] | None = None

    def open_rows(self, now: datetime, end_today: datetime) -> list[PromiseRow]:
        overdue = bisect_left(self.open_due, now)
        today = max(bisect_left(self.open_due, end_today), overdue)
        if self._open_rows is None or self._open_rows[:2] != (overdue, today):
            rows = [PromiseRow(p, to, i < overdue, overdue <= i < today, rule)
                    for i, (p, to, rule) in enumerate(zip(self.open, self.open_to,
                                                          self.open_repeats, strict=True))]
            self._open_rows = (overdue, today, rows)
        return self._open_rows[2]

    def closed_rows(self) -> list[PromiseRow]:
        """Made when closed promises are first shown, with their search texts: a filter key
        that follows is then only a scan (a first key that made them was 30 ms at 20,000)."""
        if self._closed is None:
            name_of = self.ledger.name_of
            closed = [p for p in self.ledger.promises.values() if not p.is_open]
            closed.sort(key=_closed_then_id, reverse=True)
            self._closed = [PromiseRow(p, name_of(p.person_id), False, False, self._repeats(p))
                            for p in closed]
            self._closed_hay = self._hays([r.promise for r in self._closed],
                                          [r.to for r in self._closed])
        return self._closed

    def open_hay(self) -> list[str]:
        if self._open_hay is None:
            self._open_hay = self._hays(self.open, self.open_to)
        return self._open_hay

    def closed_hay(self) -> list[str]:
        self.closed_rows()
        assert self._closed_hay is not None
        return self._closed_hay

    def _hays(self, promises: list[Promise], names: list[str]) -> list[str]:
        """Each promise's search text: its words and the name, casefolded (names once)."""
        folded = {name: f"{_SEPARATOR}{name.casefold()}" for name in set(names)}
        return [p.text.casefold() + folded[to] for p, to in zip(promises, names, strict=True)]


_SEPARATOR = "\x00"
"""Between a promise's text and the name in its search text: never in what is searched for."""


def _due_then_id(p: Promise) -> tuple[datetime, int]:
    return p.due, p.id


def _closed_then_id(p: Promise) -> tuple[datetime, int]:
    return p.closed_at or p.due, p.id


_LEDGERED: list[_Ledgered] = []
"""The last ledger's sorted promises (one: the screens show one ledger at a time)."""


def _ledgered(ledger: Ledger) -> _Ledgered:
    if not _LEDGERED or _LEDGERED[0].ledger is not ledger:
        _LEDGERED[:] = [_Ledgered(ledger)]
    return _LEDGERED[0]


def widest_id(ledger: Ledger) -> int:
    """The largest promise id in the ledger (worked out once per ledger)."""
    return _ledgered(ledger).widest_id


def warm(ledger: Ledger, now: datetime, zone: ZoneInfo) -> None:
    """Work out, ahead of the redraw, what drawing `ledger` costs most: the totals and the
    sorted open promises. Called in the thread that loaded it, so the UI thread's redraw
    finds them done (at 100,000 promises they were 200 ms of one frame)."""
    build_board(ledger, now, zone)
    _ledgered(ledger).open_rows(now, end_of_local_day(now, zone))


_Picked = tuple[list[PromiseRow], list[str]]
_LAST_PICKS: dict[int, tuple[list[PromiseRow], int | None, str, _Picked]] = {}
"""Per list of rows (by identity, open or closed), the last filter's matches: the next key
of the same search adds a letter, and only what matched before can match it."""


def _pick(rows: list[PromiseRow], hay: Callable[[], list[str]], person_id: int | None,
          needle: str) -> list[PromiseRow]:
    if not needle:
        if person_id is None:
            return list(rows)
        return [r for r in rows if r.promise.person_id == person_id]
    last = _LAST_PICKS.get(id(rows))
    if last is not None and last[0] is rows and last[1] == person_id and needle.startswith(
            last[2]):
        among, hays = last[3]  # narrowing the last search: a scan of its matches only
    else:
        among, hays = rows, hay()
        if person_id is not None:
            mine = [i for i, r in enumerate(among) if r.promise.person_id == person_id]
            among, hays = [among[i] for i in mine], [hays[i] for i in mine]
    matched = [i for i, h in enumerate(hays) if needle in h]
    picked = [among[i] for i in matched], [hays[i] for i in matched]
    _LAST_PICKS.pop(id(rows), None)
    _LAST_PICKS[id(rows)] = (rows, person_id, needle, picked)
    while len(_LAST_PICKS) > 2:  # the open and the closed rows of the search under way
        del _LAST_PICKS[next(iter(_LAST_PICKS))]
    return picked[0]


def promise_rows(
    ledger: Ledger,
    now: datetime,
    zone: ZoneInfo,
    *,
    person_id: int | None,
    show_closed: bool,
    query: str = "",
) -> list[PromiseRow]:
    """Overdue first (most overdue first), then due today, then the rest by due; closed last.

    A filter key is a scan of short strings (see _Ledgered): at 100,000 promises it was a
    walk, a casefold of every text and a sort of the closed ones, per key.
    """
    end_today = end_of_local_day(now, zone)
    needle = query.casefold().strip()
    if _SEPARATOR in needle:
        return _promise_rows_walked(ledger, now, end_today, person_id, show_closed, needle)
    ledgered = _ledgered(ledger)
    rows = _pick(ledgered.open_rows(now, end_today), ledgered.open_hay, person_id, needle)
    if show_closed:
        rows += _pick(ledgered.closed_rows(), ledgered.closed_hay, person_id, needle)
    return rows


def _promise_rows_walked(ledger: Ledger, now: datetime, end_today: datetime,
                         person_id: int | None, show_closed: bool, needle: str
                         ) -> list[PromiseRow]:
    """promise_rows the long way, for a needle the search text cannot answer."""
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
