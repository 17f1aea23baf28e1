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

from trustjournal.domain.ledger import Ledger
from trustjournal.storage import records
from trustjournal.storage.journal import Change, Journal, Transaction

Clock = Callable[[], datetime]


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
            tx.undo(last.changes)
            return f"Undone: {last.message}"

        with self._lock:
            saved = self.apply(restore, undoable=False)
            self.undo_stack.pop()
            return saved.message

    def _absorb(self, changes: tuple[Change, ...]) -> None:
        """Fold our own saved records into the ledger instead of re-reading the whole file."""
        ledger = self.ledger
        for table in {c.table for c in changes}:
            kind = records.RECORDS[table]
            held = dict(getattr(ledger, table.value))
            for c in changes:
                if c.table is not table:
                    continue
                if c.after is None:
                    held.pop(c.record_id, None)
                else:
                    held[c.record_id] = records.load_record(kind, c.record_id, c.after)
            ledger = replace(ledger, **{table.value: held})
        self.ledger = ledger
