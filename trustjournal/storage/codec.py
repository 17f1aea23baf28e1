"""The one place that turns stored dicts into domain values and back.

Records keep fields this version does not know (`extra`), so a journal touched by a newer
minor version loses nothing when an older one saves it.

Commitments and entries are imported on first use: a capture and `due` never decode one, and
their modules are a few milliseconds of every start-up.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from trustjournal.domain.ledger import Ledger
from trustjournal.domain.person import Goal, Milestone, Person, UpdatePreference
from trustjournal.domain.promise import CLOSING, EventKind, Promise, PromiseEvent
from trustjournal.domain.stance import Stance, StanceChange

if TYPE_CHECKING:
    from trustjournal.domain.commitment import Commitment
    from trustjournal.domain.entry import Entry, EntryKind

Doc = dict[str, Any]


class RecordError(ValueError):
    """A stored record is not what this version expects; storage names the file around it."""


def dump_time(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def load_time(text: Any) -> datetime:
    if not isinstance(text, str):
        raise RecordError(f"expected a timestamp, found {type(text).__name__}")
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise RecordError(f"timestamp {text!r} has no UTC offset")
    return moment.astimezone(UTC)


def _load_date(text: Any) -> date | None:
    if text is None:
        return None
    if not isinstance(text, str):
        raise RecordError(f"expected a date, found {type(text).__name__}")
    return date.fromisoformat(text)


def _dump_date(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _str(doc: Mapping[str, Any], key: str, default: str | None = None) -> str:
    value = doc.get(key, default)
    if not isinstance(value, str):
        raise RecordError(f'field "{key}" should be text')
    return value


def _list(doc: Mapping[str, Any], key: str) -> list[Any]:
    value = doc.get(key, [])
    if not isinstance(value, list):
        raise RecordError(f'field "{key}" should be a list')
    return value


def _extra(doc: Mapping[str, Any], known: frozenset[str]) -> dict[str, object]:
    return {k: v for k, v in doc.items() if k not in known}


# --- milestones --------------------------------------------------------------------------


def _load_milestone(doc: Any) -> Milestone:
    if not isinstance(doc, dict):
        raise RecordError("a milestone should be an object")
    return Milestone(_str(doc, "name"), _load_date(doc.get("due")), _load_date(doc.get("reached")))


def _dump_milestone(m: Milestone) -> Doc:
    return {"name": m.name, "due": _dump_date(m.due), "reached": _dump_date(m.reached)}


# --- people ------------------------------------------------------------------------------

PERSON_FIELDS = frozenset(
    {
        "name",
        "role",
        "leader",
        "stance_history",
        "goals",
        "prefers",
        "checkin",
        "checkin_moved_to",
        "trusts",
        "notes",
        "created_at",
    }
)


def load_person(person_id: int, doc: Mapping[str, Any]) -> Person:
    history = tuple(
        StanceChange(Stance(_str(h, "stance")), load_time(h.get("at")), _str(h, "reason", ""))
        for h in _list(doc, "stance_history")
    )
    goals = tuple(
        Goal(_str(g, "name"), tuple(_load_milestone(m) for m in _list(g, "milestones")))
        for g in _list(doc, "goals")
    )
    trusts = tuple(int(i) for i in _list(doc, "trusts"))
    return Person(
        id=person_id,
        name=_str(doc, "name"),
        created_at=load_time(doc.get("created_at")),
        role=_str(doc, "role", ""),
        leader=_str(doc, "leader", ""),
        stance_history=history,
        goals=goals,
        prefers=UpdatePreference(_str(doc, "prefers", "meeting")),
        checkin=_str(doc, "checkin", ""),
        checkin_moved_to=load_time(moved) if (moved := doc.get("checkin_moved_to")) else None,
        trusts=trusts,
        notes=_str(doc, "notes", ""),
        extra=_extra(doc, PERSON_FIELDS),
    )


def dump_person(p: Person) -> Doc:
    return {
        **p.extra,
        "name": p.name,
        "role": p.role,
        "leader": p.leader,
        "stance_history": [
            {"stance": h.stance.value, "at": dump_time(h.at), "reason": h.reason}
            for h in p.stance_history
        ],
        "goals": [
            {"name": g.name, "milestones": [_dump_milestone(m) for m in g.milestones]}
            for g in p.goals
        ],
        "prefers": p.prefers.value,
        "checkin": p.checkin,
        "checkin_moved_to": dump_time(p.checkin_moved_to) if p.checkin_moved_to else None,
        "trusts": list(p.trusts),
        "notes": p.notes,
        "created_at": dump_time(p.created_at),
    }


# --- promises ----------------------------------------------------------------------------

PROMISE_FIELDS = frozenset({"text", "to", "zone", "commitment", "events"})


def load_promise(promise_id: int, doc: Mapping[str, Any]) -> Promise:
    events = []
    for raw in _list(doc, "events"):
        if not isinstance(raw, dict):
            raise RecordError("an event should be an object")
        due = raw.get("due")
        events.append(
            PromiseEvent(
                kind=EventKind(_str(raw, "kind")),
                at=load_time(raw.get("at")),
                due=load_time(due) if due is not None else None,
                note=_str(raw, "note", ""),
            )
        )
    if not events or events[0].kind is not EventKind.MADE or events[0].due is None:
        raise RecordError('its first event should be "made", with a due time')
    to = doc.get("to")
    commitment = doc.get("commitment")
    if not isinstance(to, int) or isinstance(to, bool):
        raise RecordError('field "to" should be a person id')
    if commitment is not None and (not isinstance(commitment, int) or isinstance(commitment, bool)):
        raise RecordError('field "commitment" should be a commitment id or null')
    return Promise(
        id=promise_id,
        text=_str(doc, "text"),
        person_id=to,
        events=tuple(events),
        zone=_str(doc, "zone", "UTC"),
        commitment_id=commitment,
        extra=_extra(doc, PROMISE_FIELDS),
    )


def dump_promise(p: Promise) -> Doc:
    events: list[Doc] = []
    for e in p.events:
        event: Doc = {"kind": e.kind.value, "at": dump_time(e.at)}
        if e.due is not None:
            event["due"] = dump_time(e.due)
        if e.note:
            event["note"] = e.note
        events.append(event)
    return {
        **p.extra,
        "text": p.text,
        "to": p.person_id,
        "zone": p.zone,
        "commitment": p.commitment_id,
        "events": events,
    }


# --- commitments -------------------------------------------------------------------------

COMMITMENT_FIELDS = frozenset(
    {"person", "text", "goal", "measure", "milestones", "status", "created_at"}
)


def load_commitment(commitment_id: int, doc: Mapping[str, Any]) -> Commitment:
    from trustjournal.domain.commitment import Commitment, CommitmentStatus

    person = doc.get("person")
    if not isinstance(person, int) or isinstance(person, bool):
        raise RecordError('field "person" should be a person id')
    return Commitment(
        id=commitment_id,
        person_id=person,
        text=_str(doc, "text"),
        created_at=load_time(doc.get("created_at")),
        goal=_str(doc, "goal", ""),
        measure=_str(doc, "measure", ""),
        milestones=tuple(_load_milestone(m) for m in _list(doc, "milestones")),
        status=CommitmentStatus(_str(doc, "status", "active")),
        extra=_extra(doc, COMMITMENT_FIELDS),
    )


def dump_commitment(c: Commitment) -> Doc:
    return {
        **c.extra,
        "person": c.person_id,
        "text": c.text,
        "goal": c.goal,
        "measure": c.measure,
        "milestones": [_dump_milestone(m) for m in c.milestones],
        "status": c.status.value,
        "created_at": dump_time(c.created_at),
    }


# --- entries -----------------------------------------------------------------------------

ENTRY_FIELDS = frozenset({"person", "kind", "text", "at"})


_entry_types: tuple[type[Entry], type[EntryKind]] | None = None


def _entry_classes() -> tuple[type[Entry], type[EntryKind]]:
    # Imported once, then a global read: load_entry runs once per entry, 100,000 times at a
    # decade, where an import statement in its body would cost 0.5 µs each time.
    global _entry_types
    if _entry_types is None:
        from trustjournal.domain.entry import Entry, EntryKind

        _entry_types = (Entry, EntryKind)
    return _entry_types


def load_entry(entry_id: int, doc: Mapping[str, Any]) -> Entry:
    entry_class, kind_class = _entry_classes()
    person = doc.get("person")
    if not isinstance(person, int) or isinstance(person, bool):
        raise RecordError('field "person" should be a person id')
    return entry_class(
        id=entry_id,
        person_id=person,
        kind=kind_class(_str(doc, "kind")),
        text=_str(doc, "text"),
        at=load_time(doc.get("at")),
        extra=_extra(doc, ENTRY_FIELDS),
    )


def dump_entry(e: Entry) -> Doc:
    return {
        **e.extra,
        "person": e.person_id,
        "kind": e.kind.value,
        "text": e.text,
        "at": dump_time(e.at),
    }


# --- the whole journal -------------------------------------------------------------------

LOADERS: dict[str, Callable[[int, Mapping[str, Any]], Any]] = {
    "people": load_person,
    "promises": load_promise,
    "commitments": load_commitment,
    "entries": load_entry,
}


def load_record(table: str, doc_id: int, doc: Mapping[str, Any]) -> Any:
    try:
        return LOADERS[table](doc_id, doc)
    except RecordError as error:
        raise RecordError(f"{table} record {doc_id}: {error}") from None
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as error:
        raise RecordError(f"{table} record {doc_id} is malformed ({error})") from None


def load_table(table: str, raw: Mapping[str, Any]) -> dict[int, Any]:
    return {int(key): load_record(table, int(key), doc) for key, doc in raw.items()}


def load_ledger(data: Mapping[str, Any]) -> Ledger:
    return Ledger(
        people=load_table("people", data.get("people", {})),
        promises=load_table("promises", data.get("promises", {})),
        commitments=load_table("commitments", data.get("commitments", {})),
        entries=load_table("entries", data.get("entries", {})),
    )


_CLOSING_KINDS = frozenset(kind.value for kind in CLOSING)


def is_closed(doc: Mapping[str, Any]) -> bool:
    """A stored promise whose last event closes it, seen without decoding the record.

    Anything unexpected answers False, so the caller decodes that record and reports it.
    """
    events = doc.get("events")
    if not isinstance(events, list) or not events:
        return False
    last = events[-1]
    return isinstance(last, dict) and last.get("kind") in _CLOSING_KINDS


def load_open_ledger(data: Mapping[str, Any]) -> Ledger:
    """The people and the open promises, nothing else: what `due` shows.

    At a decade of use nearly every promise is closed; decoding only the open ones (and no
    commitments or entries) makes `due` cost little more than parsing the file. Records it
    skips are not checked here; `load_ledger` checks every one.
    """
    promises = data.get("promises", {})
    return Ledger(
        people=load_table("people", data.get("people", {})),
        promises={
            int(key): load_record("promises", int(key), doc)
            for key, doc in promises.items()
            if not is_closed(doc)
        },
    )


def last_contacts_raw(data: Mapping[str, Any]) -> dict[int, datetime]:
    """When each person last heard from you, read straight from the stored entries.

    `due` decodes no entries (ten years of them), yet must flag check-ins: this looks only at
    the kind and time of each entry.
    """
    contact = {"check-in", "update-sent"}
    latest: dict[int, str] = {}
    for doc in data.get("entries", {}).values():
        if doc.get("kind") in contact and isinstance(doc.get("at"), str):
            person = doc.get("person")
            if isinstance(person, int) and doc["at"] > latest.get(person, ""):
                latest[person] = doc["at"]
    return {person: load_time(at) for person, at in latest.items()}
