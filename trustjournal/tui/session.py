"""What the app knows and changes, without Textual: the loaded ledger, the save queue, undo.

Every change the person makes goes through one queue, in the order it was made, each as its own
`Pending` (compared by identity, never by what it says). A change the disk refuses stays at the
head of the queue, and the ones after it wait behind it, until `retry` or `discard`. Undo is an
operation in the same queue: it undoes exactly the change the person made last.

All the blocking methods here do file I/O; the app calls them from worker threads. The ledger is
replaced, never mutated, so the UI thread always reads a consistent value.

After every write the session reconciles with the file: when anything but its own last write
changed the journal (its write token says so), the ledger is re-read; when the file is another
journal altogether (created at another moment, or its records have other uids), nothing is
written onto it by id.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from trustjournal.domain.errors import TrustJournalError
from trustjournal.domain.ledger import Ledger
from trustjournal.domain.promise import Promise
from trustjournal.domain.settings import Settings
from trustjournal.storage import records
from trustjournal.storage.errors import JournalError
from trustjournal.storage.journal import Change, Journal, Transaction
from trustjournal.storage.migrations import SCHEMA_VERSION
from trustjournal.storage.records import Stamp

if TYPE_CHECKING:
    from trustjournal.tui.acts import Act

Clock = Callable[[], datetime]
ChangeFn = Callable[[Transaction], str]

_numbers = itertools.count(1)


class JournalReplaced(TrustJournalError):
    """The file at the journal's path is another journal than the one shown: never write onto it
    by id."""


class JournalVanished(JournalError):
    """The journal file is gone (deleted or moved) since the app read it."""


@dataclass(frozen=True, slots=True)
class Saved:
    """The outcome of one change: what to tell the person, and the records it touched."""

    message: str
    changes: tuple[Change, ...]


@dataclass(eq=False)
class Pending:
    """One change the person made, queued to be saved. Two are never equal unless the same."""

    description: str
    change: ChangeFn | None
    """None for an undo."""
    target: Pending | None = None
    """For an undo: the change it undoes."""
    undoable: bool = True
    number: int = field(default_factory=lambda: next(_numbers))
    error: str | None = None
    """Why the disk refused it the last time (it stays queued)."""
    saved: Saved | None = None
    running: bool = False


class Result(StrEnum):
    SAVED = "saved"
    FAILED = "failed"
    """The disk refused it: it stays queued, and the queue waits behind it."""
    REFUSED = "refused"
    """The change itself was refused (bad input, a record that moved on): it is dropped."""
    REPLACED = "replaced"
    """The file is another journal: this change and every queued one were not applied."""


@dataclass(frozen=True, slots=True)
class Outcome:
    pending: Pending
    result: Result
    message: str
    reloaded: bool = False
    """The ledger was re-read because something else had changed the file."""
    dropped: tuple[Pending, ...] = ()


class Session:
    def __init__(self, journal: Journal, clock: Clock, zone: ZoneInfo,
                 settings: Settings | None = None) -> None:
        self.journal = journal
        journal.share_strings = True  # the app keeps the parse as long as it runs
        self.clock = clock
        self.zone = zone
        self.settings = settings or Settings()
        """What the person set once (end of day, week, review steps, update words)."""
        self.ledger = Ledger()
        self.complete = False
        """The ledger holds every record (not only what the first frame needs)."""
        self.notice: str | None = None
        """Something about the file itself the person must see (vanished, replaced, newer)."""
        self.read_only = False
        # Saves, undos and reloads run in worker threads; one at a time keeps the ledger coherent.
        self._lock = threading.RLock()
        self._stamp: Stamp | None = None
        # The queue: its own small lock, never held across file I/O.
        self._queue_lock = threading.Lock()
        self._queue: list[Pending] = []
        self._stalled = False
        self._draining = False
        self._undoable: list[Pending] = []

    @property
    def busy(self) -> bool:
        """True while a save or reload holds the session (the poll then waits a second)."""
        if self._lock.acquire(blocking=False):
            self._lock.release()
            return bool(self._queue) and not self._stalled
        return True

    def now(self) -> datetime:
        return self.clock()

    def when(self, text: str, now: datetime | None = None) -> datetime:
        """Read a date as the person set up their days (end of day, week), in their zone;
        raises DateParseError."""
        from trustjournal.domain.dates import parse_when

        return parse_when(text, now or self.now(), self.zone,
                          end_of_day=self.settings.end_of_day, week=self.settings.week)

    # --- reading ----------------------------------------------------------------------------

    def reload(self, *, open_only: bool = False) -> Ledger:
        """Read the journal again. With `open_only`, only what the first frame needs (people,
        open promises, series, commitments), read from the head of the file alone when its
        layout allows (storage/layout.py); `complete` says whether the ledger holds every
        record. The stamp and the ledger come from one read, so they are of one version."""
        with self._lock:
            seen, ledger = (self.journal.load_open_stamped() if open_only
                            else self.journal.load_stamped())
            if seen is None and self._stamp is not None:
                self.notice = (f"The journal file vanished: {self.journal.path} is gone. "
                               "Showing what was last read; nothing can be saved until it is "
                               "back.")
                return self.ledger
            replaced = (seen is not None and self._stamp is not None
                        and not self._stamp.same_journal(seen))
            self.ledger = ledger
            self.complete = not open_only
            self._stamp = seen
            self.notice = None
            if replaced:
                dropped = self._forget_old_journal()
                self.notice = ("The journal file was replaced by another journal; showing that "
                               "one now." + _dropped_text(dropped))
            self._check_schema(seen)
            return ledger

    def _check_schema(self, seen: Stamp | None) -> None:
        schema = seen.schema if seen is not None else SCHEMA_VERSION
        self.read_only = isinstance(schema, int) and schema > SCHEMA_VERSION
        if self.read_only:
            self.notice = (f"Read-only: this journal was written by a newer trustjournal "
                           f"(schema {schema}; this one knows {SCHEMA_VERSION}). Upgrade "
                           "trustjournal to change it.")

    def advance(self) -> list[Promise]:
        """Bring the recurring promises up to date: make each series' next occurrence once the
        last is due or closed. Writes only when one is due, in a transaction of its own that
        checks the file is still the journal shown (like every change), and not through the
        undo queue: nobody asked for it. Returns what was made (the ledger then holds it)."""
        from trustjournal.storage.recurring import advance, is_pending

        with self._lock:
            if self.read_only or self._stamp is None:
                return []
            now = self.now()
            if not is_pending(self.journal, now):
                return []
            made: list[Promise] = []

            def change(tx: Transaction) -> str:
                made.extend(advance(tx, now))
                return ""

            self._apply(change)
            return made

    def is_current(self) -> bool:
        """False when another process has changed the file since we last read or wrote it."""
        return self.journal.is_current()

    # --- writing ----------------------------------------------------------------------------

    def apply(self, change: ChangeFn, *, undoable: bool = True) -> Saved:
        """Run one change in a transaction now (not queued); the text is what the person is
        told. The queue uses this; so does the review's own bookkeeping."""
        saved, _ = self._apply(change)
        return saved

    def _apply(self, change: ChangeFn) -> tuple[Saved, bool]:
        with self._lock:
            with self.journal.transaction(self.now()) as tx:
                seen = tx.stamp  # the file as this transaction read it
                ours = self._stamp
                if ours is not None:
                    if seen is None:
                        raise JournalVanished(
                            self.journal.path, "is gone (deleted or moved since the app read "
                            "it); nothing was written. Put it back and press ctrl+s, or quit")
                    if not ours.same_journal(seen):
                        raise JournalReplaced(
                            f"{self.journal.path} is now another journal (replaced since the "
                            "app read it); nothing was written onto it")
                external = ours is None or seen is None or seen.token != ours.token
                message = change(tx)
                changes = tuple(tx.changes)
            self._stamp = self.journal.stamp()
            if external:
                self.ledger = self.journal.load()
                self.complete = True
            else:
                self._absorb(changes)
            return Saved(message, changes), external

    # --- the queue --------------------------------------------------------------------------

    def act(self, act: Act) -> Pending:
        """Queue one act the person made: one transaction, one undo step."""
        zone = self.zone
        return self.submit(act.description, lambda tx: act.apply(tx, zone))

    def submit(self, description: str, change: ChangeFn, *, undoable: bool = True) -> Pending:
        """Queue a change; `drain` saves it after every change queued before it."""
        item = Pending(description, change, undoable=undoable)
        with self._queue_lock:
            self._queue.append(item)
            if undoable:
                self._undoable.append(item)
        return item

    def submit_undo(self) -> Pending | str:
        """Queue the undo of the person's last change, or say at once why there is none.

        A last change still waiting in the queue (the disk refused it) is simply taken out.
        """
        with self._queue_lock:
            if not self._undoable:
                return "Nothing to undo in this session."
            target = self._undoable.pop()
            if target in self._queue and not target.running:
                self._queue.remove(target)
                if not self._queue:
                    self._stalled = False
                return f"Undone: {target.description} (it had not been saved)"
            item = Pending(f"undo {target.description}", None, target=target, undoable=False)
            self._queue.append(item)
            return item

    @property
    def unsaved(self) -> tuple[Pending, ...]:
        """Every change not saved yet, in order (being saved, refused, or waiting)."""
        with self._queue_lock:
            return tuple(self._queue)

    @property
    def stalled(self) -> bool:
        """True when the disk refused the change at the head of the queue."""
        return self._stalled

    def retry(self) -> None:
        """Let the queue run again, from the change the disk refused, in order."""
        with self._queue_lock:
            self._stalled = False
            for item in self._queue:
                item.error = None

    def discard(self) -> tuple[Pending, ...]:
        """Drop every change not saved (and not being saved); returns what was dropped."""
        with self._queue_lock:
            dropped = tuple(i for i in self._queue if not i.running)
            self._queue = [i for i in self._queue if i.running]
            self._undoable = [i for i in self._undoable if i not in dropped]
            self._stalled = False
            return dropped

    def drain(self, report: Callable[[Outcome], object]) -> None:
        """Save the queue in order until it is empty or the disk refuses; one drainer at a time.

        `report` is told each outcome (from this thread).
        """
        with self._queue_lock:
            if self._draining:
                return
            self._draining = True
        try:
            while True:
                with self._queue_lock:
                    if self._stalled or not self._queue:
                        self._draining = False
                        return
                    item = self._queue[0]
                    item.running = True
                outcome = self._run(item)
                with self._queue_lock:
                    item.running = False
                    if outcome.result is Result.FAILED:
                        item.error = outcome.message
                        self._stalled = True
                    else:
                        self._queue.remove(item)
                report(outcome)
        except BaseException:
            with self._queue_lock:
                self._draining = False
            raise

    def _run(self, item: Pending) -> Outcome:
        try:
            if item.change is None:
                saved, reloaded = self._undo(item)
            else:
                saved, reloaded = self._apply(item.change)
        except JournalReplaced as error:
            with self._lock:
                dropped = (item, *self._forget_old_journal(keep=item))
                self.reload()
                self.notice = ("The journal file was replaced by another journal; showing that "
                               "one now." + _dropped_text(dropped))
            return Outcome(item, Result.REPLACED, f"Not saved: {error}", True, dropped)
        except JournalError as error:
            return Outcome(item, Result.FAILED, str(error))
        except TrustJournalError as error:
            if item.target is not None:  # a refused undo: the change can still be undone later
                with self._queue_lock:
                    self._undoable.append(item.target)
                    self._undoable.sort(key=lambda p: p.number)
            return Outcome(item, Result.REFUSED, str(error))
        item.saved = saved
        if not saved.changes and item.undoable:
            with self._queue_lock:  # nothing changed: nothing for undo to put back
                if item in self._undoable:
                    self._undoable.remove(item)
        return Outcome(item, Result.SAVED, saved.message, reloaded)

    def _undo(self, item: Pending) -> tuple[Saved, bool]:
        target = item.target
        assert target is not None
        if target.saved is None:
            raise TrustJournalError(f"Nothing undone: {target.description} was never saved")
        done = target.saved

        def restore(tx: Transaction) -> str:
            tx.undo(done.changes)
            return "Undone: " + done.message.replace(" (ctrl+z undoes)", "")

        return self._apply(restore)

    def _forget_old_journal(self, keep: Pending | None = None) -> tuple[Pending, ...]:
        """The journal was replaced: no queued change or undo may be applied to it by id."""
        with self._queue_lock:
            dropped = tuple(i for i in self._queue if not i.running and i is not keep)
            self._queue = [i for i in self._queue if i.running or i is keep]
            self._undoable = []
            self._stalled = False
            return dropped

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


def _dropped_text(dropped: tuple[Pending, ...]) -> str:
    if not dropped:
        return ""
    return (" Not applied to it (made on the other journal): "
            + ", ".join(p.description for p in dropped) + ".")
