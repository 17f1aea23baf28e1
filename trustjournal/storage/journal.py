"""The journal file: one TinyDB JSON document, read strictly, changed only inside a lock.

Every change is a transaction: take the lock, re-read the file (or reuse the parsed copy when
the file provably has not changed), apply the change with TinyDB, write the result atomically
once, release. Two processes therefore never clobber each other, and a crash at any moment
leaves the previous journal or the new one.

Speed (tests/benchmarks/bench.py measures it): a capture must not pay for the size of the
journal beyond parsing and writing it once. So adding or replacing a record changes the staged
dict directly, exactly as TinyDB's insert and update would but without their two rebuilds of
the whole table, and TinyDB is imported only for the rest (`Transaction.table`, undoing an
insert). The cyclic garbage collector is paused while a journal is encoded (see `gc_paused`).
"""

from __future__ import annotations

import gc
import json
import os
import re
from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from trustjournal.domain.errors import DuplicatePerson, UnknownRecord
from trustjournal.domain.ledger import Ledger, find_person
from trustjournal.storage import backup, codec
from trustjournal.storage.atomic import atomic_write, remove_stale_temps, target_of
from trustjournal.storage.errors import (
    CorruptJournal,
    JournalError,
    JournalWriteError,
    NewerJournal,
)
from trustjournal.storage.lock import JournalLock
from trustjournal.storage.migrations import migrate
from trustjournal.storage.validate import check_counters, check_records

if TYPE_CHECKING:
    from tinydb import TinyDB
    from tinydb.table import Table

    from trustjournal.domain.commitment import Commitment
    from trustjournal.domain.entry import Entry
    from trustjournal.domain.person import Person
    from trustjournal.domain.promise import Promise

SCHEMA_VERSION = 2
META = "meta"
TABLES = ("people", "promises", "commitments", "entries", "reviews", "repairs")

Data = dict[str, Any]
_TOKEN = re.compile(rb'"write":"([0-9a-f]{16})"')
_HEAD = 256


# --- reading and writing the file ------------------------------------------------------------


def _reject_constant(name: str) -> None:
    raise ValueError(name)


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection inside, for work that makes millions of short-lived
    containers and no cycles (encoding a journal: the encoder makes a list of item tuples for
    every record).

    Not used around parsing or decoding: what they make outlives the pause, so the collector
    would walk all of it soon after instead, in the middle of whatever the app does next (the
    app's "show closed" went from 0.28 s to 0.67 s at 100,000 promises). The command line turns
    the collector off for the whole command instead (trustjournal.cli.run); a long-lived
    process that wants the same for a load can pause around it and then call gc.freeze(), so
    the loaded journal is never walked at all.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def decode_journal(raw: bytes, path: Path) -> Data:
    """Parse and check the file's shape. Anything unexpected is an error, never 'empty'."""
    if not raw.strip():
        raise CorruptJournal(path, f"is empty ({len(raw)} bytes)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise CorruptJournal(
            path, f"is not UTF-8 text (bad byte at offset {error.start})"
        ) from None
    # Tolerated: a byte-order mark some editors add. It is dropped on the next save.
    text = text.removeprefix("\ufeff")
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        raise CorruptJournal(
            path, f"is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
        ) from None
    except ValueError as error:
        raise CorruptJournal(path, f"holds {error}, which a journal never does") from None
    except RecursionError:
        raise CorruptJournal(path, "is nested too deeply to be a journal") from None
    check_shape(data, path)
    return data  # type: ignore[no-any-return]


def check_shape(data: Any, path: Path) -> None:
    if not isinstance(data, dict):
        raise CorruptJournal(path, f"should hold a JSON object, found {type(data).__name__}")
    meta = data.get(META)
    if not isinstance(meta, dict) or not isinstance(meta.get("1"), dict):
        raise CorruptJournal(path, "is not a trustjournal journal (it has no meta record)")
    schema = meta["1"].get("schema")
    if not isinstance(schema, int) or isinstance(schema, bool) or schema < 1:
        raise CorruptJournal(path, "has no valid schema version in its meta record")
    for name in TABLES:
        table = data.get(name, {})
        if not isinstance(table, dict):
            raise CorruptJournal(path, f'its "{name}" table should be an object')
        for key, doc in table.items():
            if not key.isdigit() or not isinstance(doc, dict):
                raise CorruptJournal(path, f'its "{name}" table has a malformed record {key!r}')


def encode_journal(data: Data) -> bytes:
    # The meta record goes first so a reader can see the write token in the file's head.
    ordered = {META: data[META], **{k: v for k, v in data.items() if k != META}}
    with gc_paused():  # the encoder makes an items list of tuples for every record
        text = json.dumps(
            ordered,
            ensure_ascii=False,
            separators=(",", ":"),
            allow_nan=False,
            check_circular=False,  # parsed JSON and codec output: trees, never cycles
        )
    return text.encode()


def read_bytes(path: Path) -> bytes | None:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise JournalError(path, "is a folder, not a journal file") from None
    except OSError as error:
        raise JournalError(path, f"cannot be read ({error.strerror})") from None


def new_journal_data(now: datetime) -> Data:
    return {
        META: {
            "1": {
                "schema": SCHEMA_VERSION,
                "write": "0" * 16,
                "next_id": {},
                "created_at": codec.dump_time(now),
            }
        },
        **{name: {} for name in TABLES},
    }


class JournalStorage:
    """TinyDB's storage interface over the journal file: strict reads, atomic durable writes.

    Duck-typed (read, write, close) rather than subclassing tinydb.Storage, so reading a journal
    does not import TinyDB.
    """

    def __init__(self, path: Path) -> None:
        self.path = path

    def read(self) -> Data | None:
        raw = read_bytes(self.path)
        return None if raw is None else decode_journal(raw, self.path)

    def write(self, data: Data) -> None:
        try:
            encoded = encode_journal(data)
        except (RecursionError, ValueError, TypeError) as error:
            raise JournalWriteError(
                self.path, f"could not be saved: a record cannot be written as JSON ({error}); "
                "nothing changed on disk",
            ) from None
        try:
            atomic_write(self.path, encoded)
        except OSError as error:
            raise JournalWriteError(
                self.path,
                f"could not be saved ({error.strerror or error}); nothing changed on disk",
            ) from error

    def close(self) -> None:
        pass


class _Staged:
    """What TinyDB reads and writes inside one transaction; the journal commits it once."""

    def __init__(self, data: Data) -> None:
        self.data = data
        self.dirty = False

    def read(self) -> Data:
        return self.data

    def write(self, data: Data) -> None:
        self.data = data
        self.dirty = True

    def close(self) -> None:
        pass


# --- the journal -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Identity:
    """Enough to tell that the file on disk is the very one we parsed last."""

    device: int
    inode: int
    size: int
    mtime_ns: int
    token: bytes


def _identity(path: Path) -> _Identity | None:
    try:
        with open(path, "rb") as handle:
            info = os.fstat(handle.fileno())
            head = handle.read(_HEAD)
    except OSError:
        return None
    match = _TOKEN.search(head)
    if match is None:
        return None
    return _Identity(info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, match.group(1))


@dataclass(frozen=True, slots=True)
class Change:
    """One record as it was before and after a transaction touched it (None: absent)."""

    table: str
    record_id: int
    before: Data | None
    after: Data | None


class Journal:
    def __init__(self, path: Path | str, *, lock_timeout: float = 10.0) -> None:
        self.path = Path(path)
        self.storage = JournalStorage(self.path)
        self.lock_timeout = lock_timeout
        self._cache: tuple[_Identity, Data] | None = None

    def exists(self) -> bool:
        return os.path.exists(target_of(self.path))

    def read_data(self) -> Data | None:
        """The parsed file, or None when there is no journal yet. Needs no lock: writes replace."""
        if self._cache is not None and _identity(self.path) == self._cache[0]:
            return self._cache[1]
        data = self.storage.read()
        self._cache = None
        if data is not None:
            identity = _identity(self.path)
            if identity is not None and identity.token == _token_of(data):
                self._cache = (identity, data)
        return data

    def loose_mode(self) -> int | None:
        """The file's mode when people other than you can read or write it, else None."""
        try:
            mode = os.stat(target_of(self.path)).st_mode & 0o777
        except OSError:
            return None
        return mode if mode & 0o077 else None

    def is_current(self) -> bool:
        """True while the file is still the one this object last read or wrote.

        Cheap enough to poll every second: one open, one fstat and a 256-byte read.
        """
        return self._cache is not None and _identity(self.path) == self._cache[0]

    def load(self) -> Ledger:
        data = self.read_data()
        if data is None:
            return Ledger()
        try:
            return codec.load_ledger(data)
        except codec.RecordError as error:
            raise CorruptJournal(self.path, str(error)) from None

    def load_open(self) -> Ledger:
        """Only the people and the open promises (see codec.load_open_ledger): for `due`."""
        data = self.read_data()
        if data is None:
            return Ledger()
        try:
            return codec.load_open_ledger(data)
        except codec.RecordError as error:
            raise CorruptJournal(self.path, str(error)) from None

    @contextmanager
    def transaction(self, now: datetime | None = None) -> Iterator[Transaction]:
        """Hold the lock, see the latest file, commit once on success, change nothing on error."""
        now = now or datetime.now(UTC)
        with JournalLock(self.path, self.lock_timeout):
            remove_stale_temps(self.path)
            data = self.read_data()
            if data is None:
                data = new_journal_data(now)
            schema = data[META]["1"]["schema"]
            if schema > SCHEMA_VERSION:
                raise NewerJournal(
                    self.path,
                    f"was written by a newer trustjournal (schema {schema}; this one knows "
                    f"{SCHEMA_VERSION}); upgrade trustjournal before changing it",
                )
            staged = _Staged(data)
            tx = Transaction(staged, self.path)
            try:
                # Never write over a journal whose records this version would misread.
                check_counters(data[META]["1"], self.path)
                check_records(data, self.path)
                if schema < SCHEMA_VERSION:
                    self._migrate(data, schema, now)
                    staged.dirty = True
                yield tx
                if staged.dirty:
                    meta = staged.data[META]["1"]
                    meta["write"] = os.urandom(8).hex()  # what secrets.token_hex(8) does
                    self._backup_once_a_day(now)
                    self.storage.write(staged.data)
                    identity = _identity(self.path)
                    self._cache = (identity, staged.data) if identity else None
            except BaseException:
                # TinyDB changed the parsed copy in place; it no longer matches the file.
                self._cache = None
                raise


    def _backup_once_a_day(self, now: datetime) -> None:
        """Keep the journal as it was before today's first change (the last seven days)."""
        if backup.has_backup_for(self.path, now):
            return
        raw = read_bytes(self.path)
        if raw is not None:
            try:
                backup.daily_backup(self.path, raw, now)
            except OSError as error:
                raise JournalWriteError(
                    self.path, f"could not keep today's backup ({error.strerror or error}); "
                    "nothing changed on disk",
                ) from None

    def _migrate(self, data: Data, schema: int, now: datetime) -> None:
        raw = read_bytes(self.path)
        if raw is not None:
            backup.write_backup(self.path, raw, now.astimezone().date(),
                                f"-before-v{SCHEMA_VERSION}")
        migrate(data, SCHEMA_VERSION)


def _token_of(data: Data) -> bytes:
    return str(data[META]["1"].get("write", "")).encode()


class Transaction:
    """Changes to the journal, made through TinyDB tables on the freshly read data.

    Adding a record writes the staged dict directly: TinyDB's insert would rebuild the whole
    table (int keys, then str keys again) for one new record, O(journal) per capture.
    """

    def __init__(self, staged: _Staged, path: Path) -> None:
        self.staged = staged
        self.path = path
        self.changes: list[Change] = []
        self._db: TinyDB | None = None

    @property
    def db(self) -> TinyDB:
        """TinyDB over the staged data, made (and TinyDB imported) on first use."""
        if self._db is None:
            from tinydb import TinyDB

            staged = self.staged
            self._db = TinyDB(storage=lambda: staged)
        return self._db

    # raw records -----------------------------------------------------------------------------

    def table(self, name: str) -> Table:
        return self.db.table(name, cache_size=0)

    @property
    def meta(self) -> Data:
        return self.staged.data[META]["1"]  # type: ignore[no-any-return]

    def _next_id(self, name: str) -> int:
        counters = self.meta.setdefault("next_id", {})
        highest = max(map(int, self.staged.data.get(name, {})), default=0)
        # The counter survives deletions, so an id once shown is never given to another record.
        record_id = max(int(counters.get(name, 1)), highest + 1)
        counters[name] = record_id + 1
        self.staged.dirty = True
        return record_id

    def raw(self, name: str, record_id: int) -> Data | None:
        doc = self.staged.data.get(name, {}).get(str(record_id))
        return dict(doc) if doc is not None else None

    def _add(self, name: str, record_id: int, doc: Data) -> None:
        """What TinyDB's insert does to the staged data, without rebuilding the table."""
        table = self.staged.data.setdefault(name, {})
        key = str(record_id)
        if key in table:
            raise ValueError(f"Document with ID {key} already exists")
        table[key] = dict(doc)
        self.staged.dirty = True

    def insert(self, name: str, doc: Data) -> int:
        record_id = self._next_id(name)
        self._add(name, record_id, doc)
        self.changes.append(Change(name, record_id, None, doc))
        return record_id

    def insert_many(self, name: str, docs: list[Data]) -> list[int]:
        ids = [self._next_id(name) for _ in docs]
        for doc, record_id in zip(docs, ids, strict=True):
            self._add(name, record_id, doc)
        self.changes.extend(Change(name, i, None, d) for d, i in zip(docs, ids, strict=True))
        return ids

    def put(self, name: str, record_id: int, doc: Data) -> None:
        before = self.raw(name, record_id)
        if before is None:
            raise UnknownRecord(f"{name} record {record_id} is no longer in the journal")
        # What TinyDB's update(doc_ids=[record_id]) does to the stored record, in place,
        # without its two rebuilds of the whole table (45 ms at 100,000 promises).
        stored: MutableMapping[str, Any] = self.staged.data[name][str(record_id)]
        stored.clear()
        stored.update(doc)
        self.staged.dirty = True
        self.changes.append(Change(name, record_id, before, doc))

    def restore(self, change: Change) -> None:
        """Put one record back as it was before `change` (used by undo)."""
        if change.before is None:
            if self.raw(change.table, change.record_id) is not None:
                self.table(change.table).remove(doc_ids=[change.record_id])
                self.changes.append(Change(change.table, change.record_id, change.after, None))
        elif self.raw(change.table, change.record_id) is None:
            self._add(change.table, change.record_id, change.before)
            self.changes.append(Change(change.table, change.record_id, None, change.before))
        else:
            self.put(change.table, change.record_id, change.before)

    def _load(self, name: str, record_id: int, what: str) -> Any:
        doc = self.staged.data.get(name, {}).get(str(record_id))
        if doc is None:
            raise UnknownRecord(f"there is no {what} #{record_id}")
        try:
            return codec.load_record(name, record_id, doc)
        except codec.RecordError as error:
            raise CorruptJournal(self.path, str(error)) from None

    # people ----------------------------------------------------------------------------------

    def people(self) -> list[Person]:
        try:
            return list(codec.load_table("people", self.staged.data.get("people", {})).values())
        except codec.RecordError as error:
            raise CorruptJournal(self.path, str(error)) from None

    def find_person(self, query: str) -> Person:
        return find_person(self.people(), query)

    def person(self, person_id: int) -> Person:
        return self._load("people", person_id, "person")  # type: ignore[no-any-return]

    def add_person(self, person: Person) -> Person:
        for other in self.people():
            if other.name.casefold() == person.name.casefold():
                raise DuplicatePerson(f'"{other.name}" is already in the journal')
        record_id = self.insert("people", codec.dump_person(person))
        return replace(person, id=record_id)

    def save_person(self, person: Person) -> None:
        self.put("people", person.id, codec.dump_person(person))

    # promises, commitments, entries ----------------------------------------------------------

    def promise(self, promise_id: int) -> Promise:
        return self._load("promises", promise_id, "promise")  # type: ignore[no-any-return]

    def add_promise(self, promise: Promise) -> Promise:
        self.person(promise.person_id)
        if promise.commitment_id is not None:
            self.commitment(promise.commitment_id)
        return replace(promise, id=self.insert("promises", codec.dump_promise(promise)))

    def save_promise(self, promise: Promise) -> None:
        self.put("promises", promise.id, codec.dump_promise(promise))

    def commitment(self, commitment_id: int) -> Commitment:
        return self._load("commitments", commitment_id, "commitment")  # type: ignore[no-any-return]

    def add_commitment(self, commitment: Commitment) -> Commitment:
        self.person(commitment.person_id)
        record_id = self.insert("commitments", codec.dump_commitment(commitment))
        return replace(commitment, id=record_id)

    def save_commitment(self, commitment: Commitment) -> None:
        self.put("commitments", commitment.id, codec.dump_commitment(commitment))

    def add_entry(self, entry: Entry) -> Entry:
        self.person(entry.person_id)
        return replace(entry, id=self.insert("entries", codec.dump_entry(entry)))
