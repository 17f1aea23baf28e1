"""The repairs table: one record per breach faced head-on (practice 3)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from trustjournal.domain.repair import Cause, Repair
from trustjournal.storage.codec import RecordError, dump_time, load_time

TABLE = "repairs"
_FIELDS = frozenset({"person", "breach", "at", "cause", "promise"})


def load_repair(repair_id: int, doc: Mapping[str, Any]) -> Repair:
    person = doc.get("person")
    promise = doc.get("promise")
    cause = doc.get("cause")
    if not isinstance(person, int) or isinstance(person, bool):
        raise RecordError(f'repairs record {repair_id}: field "person" should be a person id')
    try:
        return Repair(
            id=repair_id,
            person_id=person,
            breach=str(doc.get("breach", "")),
            at=load_time(doc.get("at")),
            cause=Cause(cause) if cause else None,
            promise_id=promise if isinstance(promise, int) else None,
            extra={k: v for k, v in doc.items() if k not in _FIELDS},
        )
    except (ValueError, TypeError) as error:
        raise RecordError(f"repairs record {repair_id} is malformed ({error})") from None


def dump_repair(repair: Repair) -> dict[str, Any]:
    return {
        **repair.extra,
        "person": repair.person_id,
        "breach": repair.breach,
        "at": dump_time(repair.at),
        "cause": repair.cause.value if repair.cause else None,
        "promise": repair.promise_id,
    }


def all_repairs(data: Mapping[str, Any] | None) -> list[Repair]:
    if not data:
        return []
    return [load_repair(int(key), doc) for key, doc in data.get(TABLE, {}).items()]
