"""Series of recurring promises inside a journal transaction: start, advance, change, stop.

Where occurrences are made, and why here: the next occurrence of a series must exist as soon
as the previous one is due or closed, whoever looks first — a shell command, the app, a cron
job running `due --check`. Nothing runs in the background, so every reader brings the journal
up to date before it shows promises: `advance_journal` looks at the parsed file without
decoding it (`pending`: one look per series, no rrule) and only takes the lock and writes when
a series is due for its next occurrence. Every change that can close an occurrence calls
`advance` in its own transaction, so `kept 23` makes the next one in the same atomic write
(and the app's undo of that change takes both back). The app calls `advance_journal` when it
loads and once a minute.

The functions here are the typed operations on series; the rules themselves (what the next
slot is, what a change or a stop means) are in domain/series.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from trustjournal.domain.errors import UnknownRecord
from trustjournal.storage import codec
from trustjournal.storage.records import PROMISES, SERIES, Table

if TYPE_CHECKING:
    from trustjournal.domain.promise import Promise
    from trustjournal.domain.series import Rule, Series
    from trustjournal.storage.journal import Journal, Transaction

_ACTIVE_ENDS = frozenset({"stopped", "ended"})


def pending(data: Mapping[str, Any], now: datetime, *, whole: bool = True) -> bool:
    """True when some series is due for its next occurrence, seen without decoding records.

    Anything unexpected answers True, so `advance` decodes the series and reports it. `whole`
    false: `data` is the file's head (Journal.read_open), which holds the open promises only,
    so a latest occurrence not in it is closed or gone: True, and `advance` looks at the
    whole journal.
    """
    series = data.get(Table.SERIES) or {}
    if not series:
        return False
    promises = data.get(Table.PROMISES, {})
    stamp = codec.dump_time(now)
    for doc in series.values():
        events = doc.get("events")
        if not isinstance(events, list) or not events or not isinstance(events[-1], dict):
            return True
        if events[-1].get("kind") in _ACTIVE_ENDS:
            continue
        current = doc.get("current")
        if current is None:
            return True
        latest = promises.get(str(current))
        if latest is None:
            if not whole:
                return True
            continue  # a dangling link: doctor's to mend, not a reason to write
        trail = latest.get("events")
        if not isinstance(trail, list) or not trail or not isinstance(trail[-1], dict):
            return True
        if trail[-1].get("kind") in ("kept", "released", "broken"):
            return True
        due = next((e.get("due") for e in reversed(trail)
                    if isinstance(e, dict) and e.get("due") is not None), None)
        if not isinstance(due, str) or due <= stamp:
            return True
    return False


def _latest(tx: Transaction, series: Series) -> Promise | None:
    if series.current is None:
        return None
    return tx.get(PROMISES, series.current)


def advance(tx: Transaction, now: datetime) -> list[Promise]:
    """Make every occurrence that is due to exist by `now`; returns them, oldest first.

    One per series normally; more when the journal was not opened while several fell due
    (each missed one is made, overdue, because it was promised), at most CATCH_UP_LIMIT.
    A series whose rule has no more occurrences is marked ended.
    """
    made: list[Promise] = []
    for series in tx.all(SERIES):
        try:
            made += advance_one(tx, series, now)
        except UnknownRecord:
            continue  # its latest occurrence was removed by hand: doctor reports the link
    return sorted(made, key=lambda p: (p.due, p.id))


def is_pending(journal: Journal, now: datetime) -> bool:
    """Whether some series of the journal on disk is due for its next occurrence (cheap: no
    record is decoded, and only the file's head is parsed when it can be), for a reader
    deciding whether to write at all."""
    from trustjournal.storage.migrations import current

    data, whole = journal.read_open()
    return data is not None and pending(current(data), now, whole=whole)


def advance_journal(journal: Journal, now: datetime) -> list[Promise]:
    """Bring the journal's series up to date before showing promises; writes only when one
    is due for its next occurrence. A journal this version may not change (a newer one) is
    shown as it is."""
    from trustjournal.storage.errors import NewerJournal

    if not is_pending(journal, now):
        return []
    try:
        with journal.transaction(now) as tx:
            return advance(tx, now)
    except NewerJournal:
        return []


def start_series(tx: Transaction, series: Series, now: datetime) -> tuple[Series, Promise]:
    """Store a new series and make its first occurrence; returns both as stored."""
    stored = tx.add(series)
    first = advance_one(tx, stored, now)
    if not first:
        raise UnknownRecord("that series has no occurrence at all; check its end")
    return tx.get(SERIES, stored.id), first[0]


def advance_one(tx: Transaction, series: Series, now: datetime) -> list[Promise]:
    """`advance` for one series."""
    from trustjournal.domain.series import CATCH_UP_LIMIT

    latest = _latest(tx, series)
    made: list[Promise] = []
    for _ in range(CATCH_UP_LIMIT):
        if not series.needs_next(latest, now):
            break
        step = series.next_occurrence(now)
        if step is None:
            series = series.ended(max(now, series.made_at))
            tx.save(series)
            break
        latest = tx.add(step.promise)
        series = series.issued_as(latest, step.slot)
        tx.save(series)
        made.append(latest)
    return made


def change_series(tx: Transaction, series_id: int, at: datetime, *, rule: Rule | None = None,
                  text: str | None = None) -> tuple[Series, Promise | None]:
    """Change a series from `at` on (its time, days, end or text); returns it and the upcoming
    occurrence when that moved with it.

    Occurrences already due or closed keep what they were: they are history. The upcoming one,
    not yet due, follows the change: a new text is its text, and a new time is agreed with a
    renegotiation before it was due (communication, not a breach), noting the new rule.
    """
    series = tx.get(SERIES, series_id)
    new = series.changed(at, rule=rule, text=text)
    latest = _latest(tx, series)
    moved = None
    if latest is not None and latest.is_open and latest.due > at:
        moved = latest
        if new.text != latest.text:
            moved = replace(moved, text=new.text)
        if new.start != series.start:
            # The rule's first slot from its new start, counted as the same occurrence.
            slot = replace(new, slot=None, issued=new.issued - 1).next_slot()
            if slot is None:
                moved = moved.released(at, f"the series changed: {new.describe()}")
                new = new.ended(at)
            elif slot != latest.due:
                moved = moved.renegotiated(at, slot, f"the series changed: {new.describe()}")
                new = replace(new, slot=slot)
        if moved == latest:
            moved = None
        else:
            tx.save(moved)
    tx.save(new)
    advance_one(tx, tx.get(SERIES, series_id), at)
    return tx.get(SERIES, series_id), moved


def stop_series(tx: Transaction, series_id: int, at: datetime, note: str
                ) -> tuple[Series, Promise | None]:
    """Stop a series; its history stays. The upcoming occurrence, not yet due, is released
    with the same note (you agreed to stop); one already overdue stays open, to be faced like
    any overdue promise. Returns the series and the occurrence released, if any."""
    series = tx.get(SERIES, series_id)
    stopped = series.stopped(at, note)
    latest = _latest(tx, series)
    released = None
    if latest is not None and latest.is_open and latest.due > at:
        released = latest.released(at, f"the series stopped: {stopped.events[-1].note}")
        tx.save(released)
    tx.save(stopped)
    return stopped, released
