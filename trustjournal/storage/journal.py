"""The journal file: one TinyDB JSON document, read strictly, changed only inside a lock.

The file is TinyDB's format (one object per table, records keyed by their id as text) and
`JournalStorage` is a TinyDB storage, so TinyDB itself can open a journal
(tests/unit/test_records.py does). Every change is a transaction: take the lock, re-read the
file (or reuse the parsed copy when the file provably has not changed), apply typed changes,
write the result atomically once, release. Two processes therefore never clobber each other,
and a crash at any moment leaves the previous journal or the new one.

Speed (tests/benchmarks/bench.py measures it): a capture must not pay for the size of the
journal beyond parsing and writing it once. So adding or replacing a record changes the staged
dict directly, exactly as TinyDB's insert and update would but without their two rebuilds of
the whole table. Parsing and encoding use orjson (see `decode_journal`, `encode_journal`).

What the first frame needs comes first in the file, and a reader that needs only that parses
only that (`Journal.read_open`; the layout and why: storage/layout.py).
"""

from __future__ import annotations

import _thread
import copy
import gc
import json
import os
import re
from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NamedTuple, TypeVar
from zoneinfo import ZoneInfo

import orjson

from trustjournal.domain.errors import DuplicatePerson, InvalidInput, UnknownRecord
from trustjournal.domain.ledger import Ledger, find_person
from trustjournal.domain.text import check_text
from trustjournal.storage import backup, codec, layout, records
from trustjournal.storage.atomic import atomic_write, remove_stale_temps, target_of
from trustjournal.storage.errors import (
    CorruptJournal,
    JournalError,
    JournalWriteError,
    NewerJournal,
)
from trustjournal.storage.lock import JournalLock
from trustjournal.storage.migrations import SCHEMA_VERSION, current, migrate
from trustjournal.storage.pieces import loads_in_pieces
from trustjournal.storage.records import META, RecordType, Table, new_uid
from trustjournal.storage.validate import check_counters, check_records

if TYPE_CHECKING:
    from trustjournal.domain.person import Person

R = TypeVar("R")
SAMPLE = "sample"
"""The meta record's mark on a journal written by `trustjournal demo`."""

Data = dict[str, Any]
_TOKEN = re.compile(rb'"write":"([0-9a-f]{16})"')
_HEAD = layout.HEAD


# --- reading and writing the file ------------------------------------------------------------


def _reject_constant(name: str) -> None:
    raise ValueError(name)


_BOM = "\ufeff".encode()
_CONSTANTS = (b"NaN", b"Infinity", b"-Infinity")


def decode_journal(raw: bytes, path: Path) -> Data:
    """Parse and check the file's shape. Anything unexpected is an error, never 'empty'.

    orjson parses 2–3× faster than the json module (the whole file, on every read that the
    cache cannot answer); where it refuses the file, the reason is found and said in words.
    In pieces (storage/pieces.py), so the app's UI thread is never held up for the whole
    parse: one orjson.loads held the GIL 235 ms at 100,000 promises; a piece, 7 ms.
    """
    if not raw.strip():
        raise CorruptJournal(path, f"is empty ({len(raw)} bytes)")
    # Tolerated: a byte-order mark some editors add. It is dropped on the next save.
    body = raw[len(_BOM):] if raw.startswith(_BOM) else raw
    try:
        data = loads_in_pieces(body)
    except orjson.JSONDecodeError as error:
        raise CorruptJournal(path, _why_not_json(body, error)) from None
    check_shape(data, path)
    layout.settle(data, len(raw))  # as it was before the head layout: no hint, id order
    return data  # type: ignore[no-any-return]


def _why_not_json(body: bytes, error: orjson.JSONDecodeError) -> str:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as bad:
        return f"is not UTF-8 text (bad byte at offset {bad.start})"
    if "depth" in error.msg or "recursion" in error.msg.lower():
        return "is nested too deeply to be a journal"
    at = body[error.pos:error.pos + 9]
    for constant in _CONSTANTS:
        if at.startswith(constant) or at.startswith(constant[1:]):
            return f"holds {constant.decode()}, which a journal never does"
    return f"is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"


def check_shape(data: Any, path: Path) -> None:
    if not isinstance(data, dict):
        raise CorruptJournal(path, f"should hold a JSON object, found {type(data).__name__}")
    meta = data.get(META)
    if not isinstance(meta, dict) or not isinstance(meta.get("1"), dict):
        raise CorruptJournal(path, "is not a trustjournal journal (it has no meta record)")
    schema = meta["1"].get("schema")
    if not isinstance(schema, int) or isinstance(schema, bool) or schema < 1:
        raise CorruptJournal(path, "has no valid schema version in its meta record")
    for name in Table:
        table = data.get(name, {})
        if not isinstance(table, dict):
            raise CorruptJournal(path, f'its "{name}" table should be an object')
        # Looked at in C (map, set) on every read: a loop in Python was 5 ms at 20,000 promises.
        if all(map(str.isdigit, table)) and set(map(type, table.values())) <= _DICT:
            continue
        for key, doc in table.items():
            if not key.isdigit() or not isinstance(doc, dict):
                raise CorruptJournal(path, f'its "{name}" table has a malformed record {key!r}')


_DICT = {dict}


def encode_journal(data: Data) -> bytes:
    """The file's bytes for `data`: the head layout (storage/layout.py), meta first."""
    return b"".join(layout.encode_parts(data))


def read_bytes(path: Path) -> bytes | None:
    return _reading(path, lambda handle: handle.read())


def _reading(path: Path, read: Callable[[IO[bytes]], R]) -> R | None:
    """`read` on the open file; None when there is none; a JournalError when it cannot be."""
    # A FIFO or a device at the path is refused before it is opened: reading it would hang.
    from trustjournal.storage.files import NotAFile, open_regular

    try:
        with open(open_regular(path), "rb") as handle:
            return read(handle)
    except FileNotFoundError:
        return None
    except NotAFile as error:
        raise JournalError(path, f"is {error.kind}, not a journal file") from None
    except OSError as error:
        raise JournalError(path, f"cannot be read ({error.strerror})") from None


def _read_head(path: Path) -> tuple[Data | None, bytes] | None:
    """(the file's head document, b"") when it carries a hint that holds, else (None, every
    byte of the file), from one open file: the head is a few hundred kB at most, and reading
    40 MB costs 19 ms here. None: there is no file."""

    def read(handle: IO[bytes]) -> tuple[Data | None, bytes]:
        first = handle.read(_HEAD)
        hint = layout.hint_in(first, os.fstat(handle.fileno()).st_size)
        if hint is None:
            return None, first + handle.read()
        # The head and the byte after it, which says the head ends where a record ends.
        chunk = first + handle.read(max(0, hint.length + 1 - len(first)))
        head = layout.head_document(chunk, hint, path)
        return (head, b"") if head is not None else (None, chunk + handle.read())

    return _reading(path, read)


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
        **{name.value: {} for name in Table},
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

    def write(self, data: Data, *, opened: Collection[str] | None = None) -> list[str] | None:
        """Write `data` over the file; returns the keys of the open promises its head holds
        (None: written without the head layout). `opened`: those keys when known."""
        try:
            encoded, held = layout.encode(data, opened)
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
        return held

    def close(self) -> None:
        pass


class _Staged:
    """The parsed journal one transaction changes; the journal commits it once."""

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


# --- the garbage collector while loading ------------------------------------------------------

_paused_lock = _thread.allocate_lock()  # threading itself is 1 ms of a capture's start
_paused = [0, False]
"""How many loads are under way, and whether the collector was on before the first began."""


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off while a journal is parsed and decoded.

    A load makes millions of objects and no cycles; the collector, triggered every few
    hundred allocations, walked them again and again: a third of a load at 100,000 promises
    (gc on: parse 1.1 s, decode 1.9 s; off: 0.76 s and 1.15 s). It is switched back on when
    the last load under way ends, if it was on before the first began (the command line
    keeps it off throughout). Process-wide, so other threads' allocations are not collected
    meanwhile either: for the length of a load, which is what they would wait for anyway.
    """
    with _paused_lock:
        if _paused[0] == 0:
            _paused[1] = gc.isenabled()
            gc.disable()
        _paused[0] += 1
    try:
        yield
    finally:
        with _paused_lock:
            _paused[0] -= 1
            if _paused[0] == 0 and _paused[1]:
                gc.enable()


def freeze_loaded() -> None:
    """Move everything alive now out of the collector's sight (gc.freeze): call after each
    load of the journal the app shows, inside `collector_paused` (else the first allocation
    after the load walks the whole journal: 150 ms at 100,000 promises). The ledger and the
    parsed file live as long as the app and hold no cycles, so a collection need never walk
    them again: after a load at 100,000 promises, collections paused the app up to 429 ms;
    104 ms once frozen. Objects frozen and later dropped are still freed by reference
    counting.
    """
    gc.freeze()


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
    from trustjournal.storage.files import open_regular

    try:
        with open(open_regular(path), "rb") as handle:  # never a FIFO or a device: no hang
            info = os.fstat(handle.fileno())
            head = handle.read(_HEAD)
    except OSError:
        return None
    match = _TOKEN.search(head)
    if match is None:
        return None
    return _Identity(info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, match.group(1))


@dataclass(slots=True)
class _OpenPromises:
    """Which promises of one parsed journal are open, known without looking at each of them
    (6-13 ms at 100,000) for the next write's head: the head of the file it was parsed from
    (parsed only when a write needs it: 1-2 ms), then what each write put in its head, kept
    up to date with the changes of the transactions between."""

    data: Data
    keys: set[str] | None = None
    head: tuple[bytes, layout.Hint] | None = None

    def of(self, data: Data, path: Path) -> set[str] | None:
        if data is not self.data:
            return None
        if self.keys is None and self.head is not None:
            doc = layout.head_document(*self.head, path)
            self.keys = None if doc is None else set(doc.get(Table.PROMISES, ()))
            self.head = None
        return self.keys


class Opened(NamedTuple):
    """What `Journal.read_open` found: the parsed journal, or its head alone (`whole` false:
    the meta record, people, series, commitments and only the open promises)."""

    data: Data | None
    whole: bool


@dataclass(frozen=True, slots=True)
class Change:
    """One record as it was before and after a transaction touched it (None: absent)."""

    table: Table
    record_id: int
    before: Data | None
    after: Data | None


class Journal:
    def __init__(self, path: Path | str, *, lock_timeout: float = 10.0,
                 remember_checks: bool = False) -> None:
        self.path = Path(path)
        self.storage = JournalStorage(self.path)
        self.lock_timeout = lock_timeout
        self.remember_checks = remember_checks
        self.share_strings = False
        """Make the kinds and zones of the parsed file one string each (records.share_strings):
        for a journal kept in memory for long, as the app's; not worth its walk to a command."""
        """Keep a note in the lock file of the journal that last passed the pre-write check,
        and trust it (see `_note`): what the command line does, where every command is a
        new process. Off, every process checks its first parse in full."""
        self._cache: tuple[_Identity, Data] | None = None
        self._opened: _OpenPromises | None = None
        self._checked: Data | None = None
        """The parsed journal whose every record passed the pre-write check: a transaction on
        it (the cache, after our own write) checks only what it changes, not every record
        again (84–137 ms a save at 100,000 promises)."""

    def exists(self) -> bool:
        return os.path.exists(target_of(self.path))

    def read_data(self) -> Data | None:
        """The parsed file, or None when there is no journal yet. Needs no lock: writes replace."""
        if self._cache is not None and _identity(self.path) == self._cache[0]:
            return self._cache[1]
        with collector_paused():
            raw = read_bytes(self.path)
            data = None if raw is None else decode_journal(raw, self.path)
            if data is not None and self.share_strings:
                records.share_strings(data)
        return self._keep(data, raw)

    def read_open(self) -> Opened:
        """What the first frame needs: the parse of the whole file while it is unchanged, else
        the file's head alone (the meta record, people, series, commitments and the open
        promises: storage/layout.py) when its hint holds, else the whole file parsed as
        `read_data` does. Only a whole parse is kept for `read_data`; the head costs 1-2 ms
        at 100,000 promises where the whole file costs 250-480."""
        if self._cache is not None and _identity(self.path) == self._cache[0]:
            return Opened(self._cache[1], whole=True)
        with collector_paused():
            read = _read_head(self.path)
            if read is None:
                return Opened(self._keep(None, None), whole=True)
            head, raw = read
            if head is not None:
                return Opened(head, whole=False)
            data = decode_journal(raw, self.path)
        return Opened(self._keep(data, raw), whole=True)

    def _keep(self, data: Data | None, raw: bytes | None) -> Data | None:
        """Remember a whole parse for as long as the file is the one it came from, and the
        file's head, which says which of its promises are open (for the next write)."""
        self._cache = None
        self._opened = None
        if data is not None and raw is not None:
            identity = _identity(self.path)
            if identity is not None and identity.token == _token_of(data):
                self._cache = (identity, data)
                hint = layout.hint_in(raw[:_HEAD], len(raw))
                if hint is not None:
                    self._opened = _OpenPromises(data, head=(raw[:hint.length + 1], hint))
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
        """Every record, decoded (the parse is reused when the file has not changed)."""
        with collector_paused():
            return self._ledger(self.read_data(), records.load_ledger)

    def load_stamped(self) -> tuple[records.Stamp | None, Ledger]:
        """`stamp` and `load` from one parse of the file (the app's reload)."""
        with collector_paused():
            data = self.read_data()
            return records.stamp_of(data), self._ledger(data, records.load_ledger)

    def load_open(self) -> Ledger:
        """Only the people, the open promises, the commitments and the series
        (records.load_open_ledger): for `due` and `list`, and for an app's first frame, with
        `load` after it. Read from the file's head when it can be (`read_open`)."""
        return self.load_open_stamped()[1]

    def load_open_stamped(self) -> tuple[records.Stamp | None, Ledger]:
        """`stamp` and `load_open` from one read of the file (the app's first frame)."""
        with collector_paused():
            data = self.read_open().data
            return records.stamp_of(data), self._ledger(data, records.load_open_ledger)

    def _ledger(self, data: Data | None, load: Callable[[Mapping[str, Any]], Ledger]
                ) -> Ledger:
        if data is None:
            return Ledger()
        try:
            return load(current(data))
        except codec.RecordError as error:
            raise CorruptJournal(self.path, str(error)) from None

    @contextmanager
    def transaction(self, now: datetime | None = None) -> Iterator[Transaction]:
        """Hold the lock, see the latest file, commit once on success, change nothing on error."""
        now = now or datetime.now(UTC)
        with JournalLock(self.path, self.lock_timeout) as lock:
            remove_stale_temps(self.path)
            data = self.read_data()
            found = data is not None
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
            tx = Transaction(staged, self.path, found=found)
            try:
                # Never write over a journal whose records this version would misread.
                if data is not self._checked:
                    known = (self._cache[0] if self.remember_checks and self._cache
                             and self._cache[1] is data else None)
                    if known is None or lock.read_note() != _note(known):
                        check_counters(data[META]["1"], self.path)
                        check_records(data, self.path)
                        if known is not None:
                            lock.write_note(_note(known))
                    self._checked = data
                if schema < SCHEMA_VERSION:
                    self._migrate(data, schema, now)
                    staged.dirty = True
                yield tx
                if staged.dirty:
                    meta = staged.data[META]["1"]
                    meta["write"] = os.urandom(8).hex()  # what secrets.token_hex(8) does
                    # Kept as a fresh parse of the file will read it (the cache below).
                    layout.in_file_order(staged.data)
                    self._backup_once_a_day(now)
                    held = self.storage.write(
                        staged.data,
                        opened=self._open_after(staged.data, tx, schema < SCHEMA_VERSION))
                    identity = _identity(self.path)
                    self._cache = (identity, staged.data) if identity else None
                    self._opened = (_OpenPromises(staged.data, keys=set(held))
                                    if identity and held is not None else None)
                    # Typed changes dump records in the shape the check wants; a whole
                    # replacement (restore, import, doctor's mend) is checked next time.
                    self._checked = None if tx.replaced_whole else staged.data
                    if self.remember_checks:
                        lock.write_note(_note(identity) if identity and self._checked else b"")
            except BaseException:
                # The parsed copy was changed in place; it no longer matches the file.
                self._cache = None
                self._checked = None
                self._opened = None
                raise

    def _open_after(self, data: Data, tx: Transaction, migrated: bool) -> set[str] | None:
        """The keys of the open promises of `data`, which `tx` changed, when the journal
        knows them without looking at every promise (None: the writer looks)."""
        known = (None if tx.replaced_whole or migrated or self._opened is None
                 else self._opened.of(data, self.path))
        if known is None:
            return None
        keys = set(known)
        for change in tx.changes:
            if change.table is Table.PROMISES:
                key = str(change.record_id)
                if change.after is None or records.is_closed(change.after):
                    keys.discard(key)
                else:
                    keys.add(key)
        return keys


    def record_count(self) -> int:
        data = self.read_data() or {}
        return sum(len(data.get(table, {})) for table in Table)

    def stamp(self) -> records.Stamp | None:
        """Which journal the file holds now, and which version (None: no file). It needs the
        meta record and the people only: read from the head when it can be (`read_open`)."""
        return records.stamp_of(self.read_open().data)

    def is_sample(self) -> bool:
        """True when `trustjournal demo` wrote this journal (the meta record says: the head
        is enough)."""
        data = self.read_open().data
        return bool(data and data[META]["1"].get(SAMPLE) is True)

    def export_document(self, now: datetime) -> dict[str, Any]:
        """The whole journal as the JSON export (storage/exchange.py)."""
        from trustjournal.storage.exchange import export_document

        data = self.read_data()
        try:
            return export_document(data or new_journal_data(now), now)
        except codec.RecordError as error:
            raise CorruptJournal(self.path, f"{error} (trustjournal doctor shows every "
                                 "problem)") from None

    def mend(self, now: datetime, zone: ZoneInfo) -> tuple[list[str], Path | None]:
        """doctor --fix: back the file up, then mend it; returns what was done and the backup."""
        with self.transaction(now) as tx:
            current_raw = read_bytes(self.path) or b""
            kept = backup.write_backup(self.path, current_raw, now.astimezone(zone).date(),
                                       "-before-fix")
            done = tx.mend()
        return done, kept

    def import_export(self, source: Path, now: datetime) -> int:
        """Fill a new or empty journal from a JSON export; returns how many records it held."""
        from trustjournal.storage.exchange import import_document

        data = import_document(_parse_export(source), source)
        with self.transaction(now) as tx:
            held = tx.record_count()
            if held:
                raise InvalidInput(
                    f"{self.path} already holds {held} records; import only fills a new or "
                    f"empty journal. To replace this one (it is kept as a backup): "
                    f"trustjournal restore {source}"
                )
            tx.replace_all(data)
        return sum(len(data.get(table, {})) for table in Table)

    def restore_from(self, source: Path, raw: bytes, now: datetime, zone: ZoneInfo
                     ) -> Path | None:
        """Make the journal what a backup or a JSON export holds; returns where the current
        journal was kept (None when there was none)."""
        from trustjournal.storage.exchange import import_document, is_export

        # Parsed once (a backup is the whole journal): an export is imported, a journal is
        # checked; what does not parse goes through decode_journal for the reason in words.
        # An unreadable backup or export is refused before anything changes.
        try:
            parsed = orjson.loads(raw)
        except orjson.JSONDecodeError:
            parsed = None
        if is_export(parsed):
            data = import_document(parsed, source)
        elif parsed is None:
            data = decode_journal(raw, source)
        else:
            check_shape(parsed, source)
            layout.settle(parsed, len(raw))
            data = parsed
        kept = None
        with self.transaction(now) as tx:
            current_raw = read_bytes(self.path)
            if current_raw is not None:
                kept = backup.write_backup(self.path, current_raw, now.astimezone(zone).date(),
                                           "-before-restore")
            tx.replace_all(data)
        return kept

    def last_contacts(self) -> dict[int, datetime]:
        """When each person last heard from you, without decoding entries (for `due`)."""
        return records.last_contacts(self.read_data() or {})

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


def _parse_export(source: Path) -> Any:
    raw = read_bytes(source)
    if raw is None:
        raise InvalidInput(f"there is no file {source}; name a file written by "
                           "trustjournal export --format json")
    try:
        return json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        raise InvalidInput(f"{source} is not a JSON export (it does not parse as JSON); "
                           "nothing was imported") from None


def _note(identity: _Identity) -> bytes:
    """What the lock file keeps about the journal that last passed the pre-write check.

    The check looks at every record (84–137 ms at 100,000 promises), and every command is a
    new process with a fresh parse: without the note each capture paid it again. The note
    names the very file, as the in-process cache does (device, inode, size, mtime to the
    nanosecond, and the random write token), so a hand edit, a restore or a copy, which
    changes one of them, is checked again before anything is written over it.
    """
    return (f"checked {identity.device} {identity.inode} {identity.size} {identity.mtime_ns} "
            f"{identity.token.decode('ascii', 'replace')}\n").encode()


def _token_of(data: Data) -> bytes:
    return str(data[META]["1"].get("write", "")).encode()


class Transaction:
    """Typed changes to the journal, on the freshly read data, for every record type alike.

    `get`, `all`, `add`, `save` and `remove` take or return domain values; the stored dicts
    never leave this class. Adding a record writes the staged dict directly: TinyDB's insert
    would rebuild the whole table (int keys, then str keys again) for one new record,
    O(journal) per capture.
    """

    def __init__(self, staged: _Staged, path: Path, *, found: bool = True) -> None:
        self._staged = staged
        self.path = path
        self.changes: list[Change] = []
        self._highest: dict[Table, int] = {}
        self.replaced_whole = False
        self.stamp = records.stamp_of(staged.data) if found else None
        """The journal as this transaction found it, before any change (None: there was no
        file, so this transaction starts a new journal)."""

    @property
    def _data(self) -> Data:
        return self._staged.data

    def _table(self, table: Table) -> dict[str, Data]:
        return self._data.setdefault(table.value, {})  # type: ignore[no-any-return]

    def _next_id(self, table: Table) -> int:
        counters = self._data[META]["1"].setdefault("next_id", {})
        highest = self._highest.get(table)
        if highest is None:  # once per table and transaction: the demo adds 100,000 in one
            highest = max(map(int, self._data.get(table, {})), default=0)
        # The counter survives deletions, so an id once shown is never given to another record.
        record_id = max(int(counters.get(table.value, 1)), highest + 1)
        counters[table.value] = record_id + 1
        self._highest[table] = record_id
        self._staged.dirty = True
        return record_id

    def _decode(self, kind: RecordType[R], record_id: int, doc: Data) -> R:
        try:
            return records.load_record(kind, record_id, doc)
        except codec.RecordError as error:
            raise CorruptJournal(self.path, str(error)) from None

    # reading ---------------------------------------------------------------------------------

    def get(self, kind: RecordType[R], record_id: int) -> R:
        doc = self._data.get(kind.table, {}).get(str(record_id))
        if doc is None:
            raise UnknownRecord(f"there is no {kind.noun} #{record_id}")
        return self._decode(kind, record_id, doc)

    def all(self, kind: RecordType[R]) -> list[R]:
        return [self._decode(kind, int(key), doc)
                for key, doc in self._data.get(kind.table, {}).items()]

    def people(self) -> list[Person]:
        return self.all(records.PEOPLE)

    def find_person(self, query: str) -> Person:
        return find_person(self.people(), query)

    # changing --------------------------------------------------------------------------------

    def add(self, record: R) -> R:
        """Store a new record; returns it with its id (and a uid when it had none)."""
        return self.add_many([record])[0]

    def add_many(self, batch: list[R]) -> list[R]:
        """Store new records; links may point at records of the same batch (the demo's people
        trust each other), so links are checked once all of them are in."""
        added = []
        for record in batch:
            kind = records.record_type(record)
            if not getattr(record, "uid", ""):
                record = replace(record, uid=new_uid())  # type: ignore[type-var]
            doc = kind.dump(record)
            self._check_text(kind, doc, None)
            record_id = self._next_id(kind.table)
            self._table(kind.table)[str(record_id)] = doc
            self.changes.append(Change(kind.table, record_id, None, doc))
            added.append(replace(record, id=record_id))  # type: ignore[type-var]
        self._staged.dirty = True
        for change in self.changes[len(self.changes) - len(added):]:
            assert change.after is not None
            self._check_links(records.RECORDS[change.table], change.record_id, change.after,
                              None)
        return added

    def record_count(self) -> int:
        return sum(len(self._data.get(table, {})) for table in Table)

    def mark_sample(self) -> None:
        """Note in the meta record that `demo` wrote this journal, so running `demo` again
        opens it instead of refusing (the README's set-up line works every time)."""
        self._data[META]["1"][SAMPLE] = True
        self._staged.dirty = True

    def save(self, record: R) -> None:
        """Write a changed record over the stored one with the same id."""
        kind = records.record_type(record)
        record_id: int = getattr(record, "id")  # noqa: B009 - every record has one
        stored = self._data.get(kind.table, {}).get(str(record_id))
        if stored is None:
            raise UnknownRecord(f"{kind.noun} #{record_id} is no longer in the journal")
        before = dict(stored)
        if not getattr(record, "uid", ""):
            record = replace(record, uid=before.get("uid") or new_uid())  # type: ignore[type-var]
        doc = kind.dump(record)
        if doc == before:
            return
        self._check(kind, record_id, doc, before)
        # What TinyDB's update(doc_ids=[record_id]) does to the stored record, in place,
        # without its two rebuilds of the whole table (45 ms at 100,000 promises).
        stored.clear()
        stored.update(doc)
        self._staged.dirty = True
        self.changes.append(Change(kind.table, record_id, before, doc))

    def remove(self, kind: RecordType[Any], record_id: int) -> None:
        table = self._data.get(kind.table, {})
        before = table.pop(str(record_id), None)
        if before is None:
            raise UnknownRecord(f"there is no {kind.noun} #{record_id}")
        self._staged.dirty = True
        self.changes.append(Change(kind.table, record_id, before, None))

    def undo(self, changes: tuple[Change, ...]) -> None:
        """Put back what `changes` did, unless a record has moved on since."""
        self._highest.clear()
        for change in reversed(changes):
            current = self._data.get(change.table, {}).get(str(change.record_id))
            if current != change.after:
                noun = records.RECORDS[change.table].noun
                raise ChangedElsewhere(f"not undone: that {noun} was changed elsewhere since")
        for change in reversed(changes):
            table = self._table(change.table)
            key = str(change.record_id)
            current = table.get(key)
            if change.before is None:
                del table[key]
            else:
                table[key] = dict(change.before)
                if current is None and change.table is Table.PROMISES:
                    self._promises_in_id_order(key)
            self._staged.dirty = True
            self.changes.append(Change(change.table, change.record_id, current, change.before))

    def replace_all(self, data: Data) -> None:
        """Make the journal hold exactly `data` (restore and import; checked before writing)."""
        check_shape(data, self.path)
        check_counters(data[META]["1"], self.path)
        check_records(data, self.path)
        token = self._data[META]["1"].get("write")
        self.replaced_whole = True
        self._highest.clear()
        self._data.clear()
        self._data.update(copy.deepcopy(data))
        self._data[META]["1"]["write"] = token
        for table in Table:
            self._data.setdefault(table.value, {})
        self._promises_in_id_order()
        self._staged.dirty = True

    def mend(self) -> list[str]:
        """What `doctor --fix` does, on the staged journal; returns what was done."""
        from trustjournal.storage.doctor import mend

        fixed, done = mend(self._data)
        self.replaced_whole = True
        self._highest.clear()
        if done:
            self._data.clear()
            self._data.update(fixed)
            self._promises_in_id_order()
            self._staged.dirty = True
        return done

    def _promises_in_id_order(self, added: str | None = None) -> None:
        """Keep the promises table in id order, as a parse of the file gives it (the file
        holds the open ones first: storage/layout.py). Adding a record keeps the order (its
        id is the highest); putting one back (undo) or a whole new journal may not. `added`:
        the one key put back at the end, so only it needs a look."""
        table = self._data.get(Table.PROMISES)
        if not isinstance(table, dict):
            return
        try:
            if added is not None:
                keys = reversed(table)
                next(keys)
                previous = next(keys, None)
                if previous is None or int(previous) < int(added):
                    return
            ordered = layout.in_id_order(table)
        except ValueError:
            return  # a key that is no number: the check before writing refuses it
        if ordered is not None:
            self._data[Table.PROMISES] = ordered

    def _check(self, kind: RecordType[Any], record_id: int, doc: Data, before: Data | None
               ) -> None:
        self._check_text(kind, doc, before)
        self._check_links(kind, record_id, doc, before)

    def _check_text(self, kind: RecordType[Any], doc: Data, before: Data | None) -> None:
        """No control character in any text the change brings in (text is data)."""
        old = set(records.strings(before)) if before is not None else set()
        for key, value in records.strings(doc):
            if (key, value) not in old:
                check_text(value, f"the {kind.noun}'s {key.replace('_', ' ') or 'text'}",
                           multiline=key in kind.multiline)

    def _check_links(self, kind: RecordType[Any], record_id: int, doc: Data,
                     before: Data | None) -> None:
        """Links name records that are there; no two people share a name."""
        for link in kind.links:
            was = set(link.ids(before)) if before is not None else set()
            for target_id in link.ids(doc):
                if target_id in was:
                    continue
                if str(target_id) not in self._data.get(link.target, {}):
                    noun = records.RECORDS[link.target].noun
                    raise UnknownRecord(f"there is no {noun} #{target_id}")
        if kind is records.PEOPLE:
            name = doc["name"].casefold()
            for key, other in self._data.get(Table.PEOPLE, {}).items():
                if key != str(record_id) and str(other.get("name", "")).casefold() == name:
                    raise DuplicatePerson(f'"{other["name"]}" is already in the journal')


class ChangedElsewhere(InvalidInput):
    """Undo refused because the record moved on since."""
