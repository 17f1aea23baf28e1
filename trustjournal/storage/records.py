"""The registry of record types: the one place that knows what the journal holds.

Each record type is declared once (`RecordType`): its table, the word a person reads for it,
how it loads and dumps (storage/codec.py), which fields link to other records, which fields
must be there for the quick pre-write check, and which text may span lines. Loading the
ledger, the pre-write check (validate.py), `doctor` (doctor.py), undo and the app's absorb
(Transaction, tui/session.py), the demo writer, export and import all walk `RECORDS`; adding a
table is one entry here, and tests/unit/test_records.py fails when an entry is incomplete.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from trustjournal.domain.ledger import Ledger
from trustjournal.domain.promise import CLOSING
from trustjournal.storage import codec

if TYPE_CHECKING:
    from trustjournal.domain.commitment import Commitment
    from trustjournal.domain.entry import Entry
    from trustjournal.domain.person import Person
    from trustjournal.domain.promise import Promise
    from trustjournal.domain.repair import Repair
    from trustjournal.domain.review import ReviewRecord
    from trustjournal.domain.series import Series

R = TypeVar("R")
Doc = dict[str, Any]


class Table(StrEnum):
    """Every table of the journal file; also the name of the Ledger field that holds it."""

    PEOPLE = "people"
    PROMISES = "promises"
    COMMITMENTS = "commitments"
    ENTRIES = "entries"
    REPAIRS = "repairs"
    REVIEWS = "reviews"
    SERIES = "series"


META = "meta"
"""The table holding the one meta record: schema version, write token, id counters."""


@dataclass(frozen=True, slots=True)
class Link:
    """A field holding the id of another record (or, `many`, a list of ids).

    `required` links point at a person who must exist: doctor mends a dangling one with a
    placeholder person. Optional links are unlinked, the old id kept as `lost_<field>`.
    """

    field: str
    target: Table
    required: bool = False
    many: bool = False

    def ids(self, doc: Mapping[str, Any]) -> list[Any]:
        value = doc.get(self.field)
        if value is None:
            return []
        return list(value) if self.many and isinstance(value, list) else [value]


@dataclass(frozen=True, slots=True)
class RecordType(Generic[R]):
    table: Table
    noun: str
    """What a person calls one record: "that entry was changed elsewhere"."""
    record_class: str
    """The domain class's name: Transaction.add(record) finds the type from it without
    importing every domain module on the capture path."""
    load: Callable[[int, Mapping[str, Any]], R]
    dump: Callable[[R], Doc]
    required: tuple[tuple[str, type], ...]
    """Fields every stored record has, with their JSON type: the quick pre-write check."""
    links: tuple[Link, ...] = ()
    multiline: frozenset[str] = frozenset()
    """Text fields that may hold newlines and tabs; every other text is one line."""
    check: Callable[[Mapping[str, Any]], str | None] | None = None
    """A further quick shape check for what a hand edit most often breaks; returns what is
    wrong, in words."""


def _check_promise(doc: Mapping[str, Any]) -> str | None:
    events = doc.get("events")
    if not isinstance(events, list) or not events:
        return "has no events"
    for event in events:
        if (not isinstance(event, dict) or not isinstance(event.get("kind"), str)
                or not isinstance(event.get("at"), str)
                or not isinstance(event.get("due", ""), str)):
            return "has an event without a kind and a time"
    if not isinstance(events[0].get("due"), str):
        return "has no due time"
    return None


def _check_series(doc: Mapping[str, Any]) -> str | None:
    events = doc.get("events")
    if not isinstance(events, list) or not events:
        return "has no events"
    for event in events:
        if (not isinstance(event, dict) or not isinstance(event.get("kind"), str)
                or not isinstance(event.get("at"), str)):
            return "has an event without a kind and a time"
    rule = doc.get("rule")
    if not isinstance(rule, dict) or not isinstance(rule.get("freq"), str) \
            or not isinstance(rule.get("at"), str):
        return "has a rule without a frequency and a time"
    return None


PEOPLE: RecordType[Person] = RecordType(
    Table.PEOPLE, "person", "Person", codec.load_person, codec.dump_person,
    required=(("name", str), ("created_at", str)),
    links=(Link("trusts", Table.PEOPLE, many=True), Link("leader_id", Table.PEOPLE)),
    multiline=frozenset({"notes", "needs"}),
)
PROMISES: RecordType[Promise] = RecordType(
    Table.PROMISES, "promise", "Promise", codec.load_promise, codec.dump_promise,
    required=(("text", str), ("to", int)),
    links=(Link("to", Table.PEOPLE, required=True), Link("commitment", Table.COMMITMENTS),
           Link("series", Table.SERIES)),
    multiline=frozenset({"note"}),
    check=_check_promise,
)
COMMITMENTS: RecordType[Commitment] = RecordType(
    Table.COMMITMENTS, "commitment", "Commitment", codec.load_commitment,
    codec.dump_commitment,
    required=(("person", int), ("text", str)),
    links=(Link("person", Table.PEOPLE, required=True),),
    multiline=frozenset({"why"}),
)
ENTRIES: RecordType[Entry] = RecordType(
    Table.ENTRIES, "entry", "Entry", codec.load_entry, codec.dump_entry,
    required=(("person", int), ("text", str)),
    links=(Link("person", Table.PEOPLE, required=True), Link("answers", Table.ENTRIES)),
    multiline=frozenset({"text"}),
)
REPAIRS: RecordType[Repair] = RecordType(
    Table.REPAIRS, "repair", "Repair", codec.load_repair, codec.dump_repair,
    required=(("person", int), ("breach", str), ("at", str)),
    links=(Link("person", Table.PEOPLE, required=True), Link("promise", Table.PROMISES)),
    multiline=frozenset({"breach"}),
)
REVIEWS: RecordType[ReviewRecord] = RecordType(
    Table.REVIEWS, "review", "ReviewRecord", codec.load_review, codec.dump_review,
    required=(("started_at", str),),
)

SERIES: RecordType[Series] = RecordType(
    Table.SERIES, "series", "Series", codec.load_series, codec.dump_series,
    required=(("text", str), ("to", int), ("rule", dict), ("start", str)),
    links=(Link("to", Table.PEOPLE, required=True), Link("commitment", Table.COMMITMENTS),
           Link("current", Table.PROMISES)),
    multiline=frozenset({"note"}),
    check=_check_series,
)

RECORDS: dict[Table, RecordType[Any]] = {
    t.table: t for t in (PEOPLE, PROMISES, COMMITMENTS, ENTRIES, REPAIRS, REVIEWS, SERIES)
}
BY_CLASS: dict[str, RecordType[Any]] = {t.record_class: t for t in RECORDS.values()}


def new_uid() -> str:
    """A random (version 4) UUID as 32 hex digits, without importing uuid
    (8 ms of every capture)."""
    raw = bytearray(os.urandom(16))
    raw[6] = (raw[6] & 0x0F) | 0x40
    raw[8] = (raw[8] & 0x3F) | 0x80
    return raw.hex()


def record_type(record: object) -> RecordType[Any]:
    try:
        return BY_CLASS[type(record).__name__]
    except KeyError:
        raise TypeError(f"{type(record).__name__} is not a journal record") from None


# --- reading tables ------------------------------------------------------------------------


def load_record(kind: RecordType[R], doc_id: int, doc: Mapping[str, Any]) -> R:
    """One stored record as a domain value; anything unexpected is one RecordError line."""
    try:
        return kind.load(doc_id, doc)
    except codec.RecordError as error:
        raise codec.RecordError(f"{kind.table} record {doc_id}: {error}") from None
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as error:
        raise codec.RecordError(f"{kind.table} record {doc_id} is malformed ({error})") from None


def load_table(kind: RecordType[R], raw: Mapping[str, Any]) -> dict[int, R]:
    return {int(key): load_record(kind, int(key), doc) for key, doc in raw.items()}


def load_ledger(data: Mapping[str, Any]) -> Ledger:
    return Ledger(**{t.value: load_table(kind, data.get(t, {})) for t, kind in RECORDS.items()})


_CLOSING_KINDS = frozenset(kind.value for kind in CLOSING)


def is_closed(doc: Mapping[str, Any]) -> bool:
    """A stored promise whose last event closes it, seen without decoding the record.

    Anything unexpected answers False, so the caller decodes that record and reports it.
    """
    events = doc.get("events")
    if not isinstance(events, list) or not events:
        return False
    last = events[-1]
    return isinstance(last, dict) and isinstance(kind := last.get("kind"), str) \
        and kind in _CLOSING_KINDS


def share_strings(data: Mapping[str, Any]) -> None:
    """Replace the repeated words of a parsed journal (each event's and entry's kind, each
    promise's zone) by one string object each: the parse makes a new string for every one
    (4 MB at 20,000 promises, ~20 MB at 100,000) and the app keeps the parse for its saves.
    Equal strings replace equal strings: what is read or written does not change."""
    pool: dict[str, str] = {}
    share = pool.setdefault
    for doc in data.get(Table.PROMISES, {}).values():
        zone = doc.get("zone")
        if type(zone) is str:
            doc["zone"] = share(zone, zone)
        events = doc.get("events")
        if type(events) is list:
            for event in events:
                if type(event) is dict and type(kind := event.get("kind")) is str:
                    event["kind"] = share(kind, kind)
    for doc in data.get(Table.ENTRIES, {}).values():
        if type(kind := doc.get("kind")) is str:
            doc["kind"] = share(kind, kind)


def load_open_ledger(data: Mapping[str, Any]) -> Ledger:
    """The people, the open promises, the commitments and the series, nothing else: what
    `due` and an app's first frame show.

    At a decade of use nearly every promise is closed; decoding only the open ones (and no
    entries) makes `due` cost little more than reading what it shows, and the journal file
    holds exactly this first (storage/layout.py: `data` may be that head alone). Records it
    skips are not checked here; `load_ledger` checks every one.
    """
    promises = data.get(Table.PROMISES, {})
    return Ledger(
        people=load_table(PEOPLE, data.get(Table.PEOPLE, {})),
        promises={
            int(key): load_record(PROMISES, int(key), doc)
            for key, doc in promises.items()
            if not is_closed(doc)
        },
        commitments=load_table(COMMITMENTS, data.get(Table.COMMITMENTS, {})),
        series=load_table(SERIES, data.get(Table.SERIES, {})),
    )


def last_contacts(data: Mapping[str, Any]) -> dict[int, datetime]:
    """When each person last heard from you, read straight from the stored entries.

    `due` decodes no entries (ten years of them), yet must flag check-ins: this looks only at
    the kind and time of each entry.
    """
    from trustjournal.domain.entry import CONTACT_KINDS

    contact = {kind.value for kind in CONTACT_KINDS}
    latest: dict[int, str] = {}
    for doc in data.get(Table.ENTRIES, {}).values():
        if doc.get("kind") in contact and isinstance(doc.get("at"), str):
            person = doc.get("person")
            if isinstance(person, int) and doc["at"] > latest.get(person, ""):
                latest[person] = doc["at"]
    return {person: codec.load_time(at) for person, at in latest.items()}


def strings(value: Any, key: str = "") -> Iterator[tuple[str, str]]:
    """Every text in a stored record, with the name of the field it sits in."""
    if isinstance(value, str):
        yield key, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from strings(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v, key)


# --- the one JSON shape of a record ----------------------------------------------------------


def encode(kind: RecordType[R], record: R) -> Doc:
    """A record as JSON, for export and every --json: its number, then exactly what is stored
    (fields a newer version stored are kept, at the top level, as they are in the file)."""
    return {"id": getattr(record, "id"), **kind.dump(record)}  # noqa: B009


def decode(kind: RecordType[R], obj: Mapping[str, Any]) -> R:
    """The inverse of `encode`; anything unexpected is one RecordError line."""
    record_id = obj.get("id")
    if not isinstance(record_id, int) or isinstance(record_id, bool) or record_id < 1:
        raise codec.RecordError(f"a {kind.noun} has no valid id ({record_id!r})")
    return load_record(kind, record_id, {k: v for k, v in obj.items() if k != "id"})


# --- which journal it is -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Stamp:
    """Which journal, and which version of it, a reader last saw: its creation time and the
    uids of its people tell one journal from another (a file replaced by a copy of another
    journal keeps the path), the write token tells our own write from someone else's, and the
    schema says whether this version may change it."""

    created_at: object
    token: object
    schema: object
    people_uids: tuple[tuple[str, object], ...]

    def same_journal(self, other: Stamp) -> bool:
        if self.created_at != other.created_at:
            return False
        # A person we know under an id is someone else there: another journal's records.
        known = dict(self.people_uids)
        return all(known.get(key, uid) == uid for key, uid in other.people_uids if uid)


def stamp_of(data: Mapping[str, Any] | None) -> Stamp | None:
    if data is None:
        return None
    meta = data.get(META, {}).get("1", {})
    people = data.get(Table.PEOPLE, {})
    uids = tuple(sorted((key, doc.get("uid")) for key, doc in people.items()))
    return Stamp(meta.get("created_at"), meta.get("write"), meta.get("schema"), uids)
