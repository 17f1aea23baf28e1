"""What the app knows and changes, without Textual: the loaded ledger, saves, undo.

All methods here block on file I/O; the app calls them from worker threads. The ledger is
replaced, never mutated, so the UI thread always reads a consistent value.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from trustjournal.domain.errors import InvalidInput
from trustjournal.domain.ledger import Ledger
from trustjournal.domain.repair import Repair
from trustjournal.storage import codec
from trustjournal.storage.journal import Change, Journal, Transaction
from trustjournal.storage.repairs import TABLE as REPAIRS
from trustjournal.storage.repairs import all_repairs

Clock = Callable[[], datetime]

_FIELDS = {
    "people": "people",
    "promises": "promises",
    "commitments": "commitments",
    "entries": "entries",
}


@dataclass(frozen=True, slots=True)
class Saved:
    """The outcome of one change: what to tell the person, and the records it touched."""

    message: str
    changes: tuple[Change, ...]


class Session:
    def __init__(self, journal: Journal, clock: Clock, zone: ZoneInfo) -> None:
        self.journal = journal
        self.clock = clock
        self.zone = zone
        self.ledger = Ledger()
        self.repairs: list[Repair] = []
        self.undo_stack: list[Saved] = []
        # Saves, undos and reloads run in worker threads; one at a time keeps the ledger coherent.
        self._lock = threading.RLock()

    @property
    def busy(self) -> bool:
        """True while a save or reload holds the session (the poll then waits a second)."""
        if self._lock.acquire(blocking=False):
            self._lock.release()
            return False
        return True

    def now(self) -> datetime:
        return self.clock()

    def reload(self) -> Ledger:
        with self._lock:
            self.ledger = self.journal.load()
            self.repairs = all_repairs(self.journal.read_data())
            return self.ledger

    def is_current(self) -> bool:
        """False when another process has changed the file since we last read or wrote it."""
        return self.journal.is_current()

    def apply(self, change: Callable[[Transaction], str], *, undoable: bool = True) -> Saved:
        """Run one change in a transaction; the returned text is what the person is told."""
        with self._lock:
            with self.journal.transaction(self.now()) as tx:
                message = change(tx)
                changes = tuple(tx.changes)
            saved = Saved(message, changes)
            self._absorb(changes)
            if undoable and changes:
                self.undo_stack.append(saved)
            return saved

    def undo(self) -> str:
        """Put back what this session last changed, unless someone has changed it since."""
        if not self.undo_stack:
            return "Nothing to undo in this session."
        last = self.undo_stack[-1]

        def restore(tx: Transaction) -> str:
            for change in reversed(last.changes):
                current = tx.raw(change.table, change.record_id)
                if current != change.after:
                    what = "person" if change.table == "people" else change.table[:-1]
                    raise ChangedElsewhere(f"not undone: that {what} was changed elsewhere since")
            for change in reversed(last.changes):
                tx.restore(change)
            return f"Undone: {last.message}"

        with self._lock:
            saved = self.apply(restore, undoable=False)
            self.undo_stack.pop()
            return saved.message

    def _absorb(self, changes: tuple[Change, ...]) -> None:
        """Fold our own saved records into the ledger instead of re-reading the whole file."""
        if any(c.table == REPAIRS for c in changes):
            self.repairs = all_repairs(self.journal.read_data())
        ledger = self.ledger
        for name in {c.table for c in changes}:
            if name not in _FIELDS:
                continue
            table = dict(getattr(ledger, name))
            for c in changes:
                if c.table != name:
                    continue
                if c.after is None:
                    table.pop(c.record_id, None)
                else:
                    table[c.record_id] = codec.load_record(name, c.record_id, c.after)
            ledger = replace(ledger, **{name: table})
        self.ledger = ledger


class ChangedElsewhere(InvalidInput):
    """Undo refused because the record moved on since."""
