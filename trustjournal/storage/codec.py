"""The one place that turns stored dicts into domain values and back.

Records keep fields this version does not know (`extra`), so a journal touched by a newer
minor version loses nothing when an older one saves it.

Commitments and entries are imported on first use: a capture and `due` never decode one, and
their modules are a few milliseconds of every start-up.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from trustjournal.domain.person import (
    Goal,
    LeaderMeeting,
    MeetingAnswer,
    Milestone,
    Person,
    UpdatePreference,
)
from trustjournal.domain.promise import EventKind, Promise, PromiseEvent
from trustjournal.domain.stance import Stance, StanceChange

if TYPE_CHECKING:
    from trustjournal.domain.commitment import Commitment, Progress
    from trustjournal.domain.entry import Entry, EntryKind
    from trustjournal.domain.repair import Repair
    from trustjournal.domain.review import ReviewRecord
    from trustjournal.domain.series import Rule, Series

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


def _id(value: Any, key: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise RecordError(f'field "{key}" should hold record ids')
    return value


def _optional_id(doc: Mapping[str, Any], key: str) -> int | None:
    value = doc.get(key)
    return None if value is None else _id(value, key)


def _extra(doc: Mapping[str, Any], known: frozenset[str]) -> dict[str, object]:
    return {k: v for k, v in doc.items() if k not in known}


# --- milestones --------------------------------------------------------------------------


def _load_milestone(doc: Any) -> Milestone:
    if not isinstance(doc, dict):
        raise RecordError("a milestone should be an object")
    meeting = doc.get("leader_meeting")
    return Milestone(_str(doc, "name"), _load_date(doc.get("due")), _load_date(doc.get("reached")),
                     None if meeting is None else _load_meeting(meeting))


def _dump_milestone(m: Milestone) -> Doc:
    doc: Doc = {"name": m.name, "due": _dump_date(m.due), "reached": _dump_date(m.reached)}
    if m.leader_meeting is not None:  # unanswered: stored as it was before
        doc["leader_meeting"] = _dump_meeting(m.leader_meeting)
    return doc


def _load_meeting(doc: Any) -> LeaderMeeting:
    if not isinstance(doc, dict):
        raise RecordError('a milestone\'s "leader_meeting" should be an object')
    done = doc.get("done_at")
    return LeaderMeeting(
        answer=MeetingAnswer(_str(doc, "answer")),
        answered_at=load_time(doc.get("answered_at")),
        on=_load_date(doc.get("on")),
        done_at=None if done is None else load_time(done),
    )


def _dump_meeting(meeting: LeaderMeeting) -> Doc:
    return {
        "answer": meeting.answer.value,
        "answered_at": dump_time(meeting.answered_at),
        "on": _dump_date(meeting.on),
        "done_at": dump_time(meeting.done_at) if meeting.done_at else None,
    }


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
        "leader_id",
        "needs",
        "uid",
    }
)


def load_person(person_id: int, doc: Mapping[str, Any]) -> Person:
    history = tuple(
        StanceChange(Stance(_str(h, "stance")), load_time(h.get("at")), _str(h, "reason", ""))
        for h in _list(doc, "stance_history")
    )
    goals = tuple(
        Goal(_str(g, "name"), tuple(_load_milestone(m) for m in _list(g, "milestones")),
             _load_date(g.get("due")))
        for g in _list(doc, "goals")
    )
    trusts = tuple(_id(i, "trusts") for i in _list(doc, "trusts"))
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
        leader_id=_optional_id(doc, "leader_id"),
        needs=_str(doc, "needs", ""),
        uid=_str(doc, "uid", ""),
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
            {"name": g.name, "due": _dump_date(g.due),
             "milestones": [_dump_milestone(m) for m in g.milestones]}
            for g in p.goals
        ],
        "prefers": p.prefers.value,
        "checkin": p.checkin,
        "checkin_moved_to": dump_time(p.checkin_moved_to) if p.checkin_moved_to else None,
        "trusts": list(p.trusts),
        "notes": p.notes,
        "created_at": dump_time(p.created_at),
        "leader_id": p.leader_id,
        "needs": p.needs,
        "uid": p.uid,
    }


# --- promises ----------------------------------------------------------------------------

PROMISE_FIELDS = frozenset({"text", "to", "zone", "commitment", "events", "uid", "series"})


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
        uid=_str(doc, "uid", ""),
        series_id=_optional_id(doc, "series"),
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
    doc: Doc = {
        **p.extra,
        "text": p.text,
        "to": p.person_id,
        "zone": p.zone,
        "commitment": p.commitment_id,
        "events": events,
        "uid": p.uid,
    }
    if p.series_id is not None:  # a one-off promise is stored as it was before series
        doc["series"] = p.series_id
    return doc


# --- commitments -------------------------------------------------------------------------

COMMITMENT_FIELDS = frozenset(
    {"person", "text", "goal", "measure", "milestones", "status", "created_at", "closed_at",
     "why", "uid", "progress"}
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
        closed_at=load_time(closed) if (closed := doc.get("closed_at")) else None,
        why=_str(doc, "why", ""),
        uid=_str(doc, "uid", ""),
        extra=_extra(doc, COMMITMENT_FIELDS),
        progress=tuple(_load_progress(p) for p in _list(doc, "progress")),
    )


def _load_progress(doc: object) -> Progress:
    from trustjournal.domain.commitment import Progress

    if not isinstance(doc, Mapping):
        raise RecordError('a commitment\'s "progress" should be a list of notes with "at" '
                          'and "text"')
    return Progress(load_time(doc.get("at")), _str(doc, "text"))


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
        "closed_at": dump_time(c.closed_at) if c.closed_at else None,
        "why": c.why,
        "uid": c.uid,
        # Stored only once there is some: a commitment without is stored as it was before.
        **({"progress": [{"at": dump_time(p.at), "text": p.text} for p in c.progress]}
           if c.progress else {}),
    }


# --- entries -----------------------------------------------------------------------------

ENTRY_FIELDS = frozenset({"person", "kind", "text", "at", "uid", "answers"})


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
        uid=_str(doc, "uid", ""),
        extra=_extra(doc, ENTRY_FIELDS),
        answers=_optional_id(doc, "answers"),
    )


def dump_entry(e: Entry) -> Doc:
    doc: Doc = {
        **e.extra,
        "person": e.person_id,
        "kind": e.kind.value,
        "text": e.text,
        "at": dump_time(e.at),
        "uid": e.uid,
    }
    if e.answers is not None:  # an entry that answers nothing is stored as it was before
        doc["answers"] = e.answers
    return doc


# --- repairs (practice 3) -----------------------------------------------------------------

REPAIR_FIELDS = frozenset({"person", "breach", "at", "cause", "promise", "uid"})


def load_repair(repair_id: int, doc: Mapping[str, Any]) -> Repair:
    from trustjournal.domain.repair import Cause, Repair

    cause = doc.get("cause")
    return Repair(
        id=repair_id,
        person_id=_id(doc.get("person"), "person"),
        breach=_str(doc, "breach"),
        at=load_time(doc.get("at")),
        cause=Cause(cause) if cause is not None else None,
        promise_id=_optional_id(doc, "promise"),
        uid=_str(doc, "uid", ""),
        extra=_extra(doc, REPAIR_FIELDS),
    )


def dump_repair(r: Repair) -> Doc:
    return {
        **r.extra,
        "person": r.person_id,
        "breach": r.breach,
        "at": dump_time(r.at),
        "cause": r.cause.value if r.cause else None,
        "promise": r.promise_id,
        "uid": r.uid,
    }


# --- daily reviews -----------------------------------------------------------------------

REVIEW_FIELDS = frozenset({"started_at", "finished_at", "handled", "uid"})


def load_review(review_id: int, doc: Mapping[str, Any]) -> ReviewRecord:
    from trustjournal.domain.review import ReviewRecord

    finished = doc.get("finished_at")
    handled = _list(doc, "handled")
    if not all(isinstance(key, str) for key in handled):
        raise RecordError('field "handled" should be a list of text')
    return ReviewRecord(
        id=review_id,
        started_at=load_time(doc.get("started_at")),
        finished_at=load_time(finished) if finished is not None else None,
        handled=tuple(handled),
        uid=_str(doc, "uid", ""),
        extra=_extra(doc, REVIEW_FIELDS),
    )


def dump_review(r: ReviewRecord) -> Doc:
    return {
        **r.extra,
        "started_at": dump_time(r.started_at),
        "finished_at": dump_time(r.finished_at) if r.finished_at else None,
        "handled": list(r.handled),
        "uid": r.uid,
    }


# --- series of recurring promises ------------------------------------------------------------

SERIES_FIELDS = frozenset({"text", "to", "rule", "start", "events", "zone", "commitment",
                           "current", "slot", "issued", "uid"})
RULE_FIELDS = frozenset({"freq", "at", "interval", "days", "monthday", "until", "count"})


def _load_rule(doc: Any) -> Rule:
    from datetime import time

    from trustjournal.domain.series import Freq, Rule

    if not isinstance(doc, dict):
        raise RecordError('field "rule" should be an object')
    days = _list(doc, "days")
    interval = doc.get("interval", 1)
    monthday = doc.get("monthday")
    count = doc.get("count")
    for value, key in ((interval, "interval"), *((v, "days") for v in days)):
        _id(value, key)
    if not 1 <= interval <= 99 or not all(0 <= d <= 6 for d in days):
        raise RecordError("its rule has an interval or a weekday out of range")
    if monthday is not None and (_id(monthday, "monthday") not in range(-1, 32) or not monthday):
        raise RecordError("its rule has a day of the month out of range")
    until = doc.get("until")
    return Rule(
        freq=Freq(_str(doc, "freq")),
        at=time.fromisoformat(_str(doc, "at")),
        interval=interval,
        days=tuple(days),
        monthday=monthday,
        until=load_time(until) if until is not None else None,
        count=None if count is None else _id(count, "count"),
    )


def _dump_rule(r: Rule) -> Doc:
    return {
        "freq": r.freq.value,
        "at": r.at.isoformat(timespec="minutes"),
        "interval": r.interval,
        "days": list(r.days),
        "monthday": r.monthday,
        "until": dump_time(r.until) if r.until else None,
        "count": r.count,
    }


def load_series(series_id: int, doc: Mapping[str, Any]) -> Series:
    from trustjournal.domain.series import Series, SeriesEvent, SeriesEventKind

    events = []
    for raw in _list(doc, "events"):
        if not isinstance(raw, dict):
            raise RecordError("an event should be an object")
        events.append(SeriesEvent(SeriesEventKind(_str(raw, "kind")), load_time(raw.get("at")),
                                  _str(raw, "note", "")))
    if not events or events[0].kind is not SeriesEventKind.STARTED:
        raise RecordError('its first event should be "started"')
    start = _load_date(doc.get("start"))
    if start is None:
        raise RecordError('field "start" should be a date')
    slot = doc.get("slot")
    issued = doc.get("issued", 0)
    return Series(
        id=series_id,
        text=_str(doc, "text"),
        person_id=_id(doc.get("to"), "to"),
        rule=_load_rule(doc.get("rule")),
        start=start,
        events=tuple(events),
        zone=_str(doc, "zone", "UTC"),
        commitment_id=_optional_id(doc, "commitment"),
        current=_optional_id(doc, "current"),
        slot=load_time(slot) if slot is not None else None,
        issued=_id(issued, "issued"),
        uid=_str(doc, "uid", ""),
        extra=_extra(doc, SERIES_FIELDS),
    )


def dump_series(s: Series) -> Doc:
    events: list[Doc] = []
    for e in s.events:
        event: Doc = {"kind": e.kind.value, "at": dump_time(e.at)}
        if e.note:
            event["note"] = e.note
        events.append(event)
    return {
        **s.extra,
        "text": s.text,
        "to": s.person_id,
        "rule": _dump_rule(s.rule),
        "start": s.start.isoformat(),
        "events": events,
        "zone": s.zone,
        "commitment": s.commitment_id,
        "current": s.current,
        "slot": dump_time(s.slot) if s.slot else None,
        "issued": s.issued,
        "uid": s.uid,
    }
