"""A fast look at every record's shape before a change is written over the file.

Decoding every record into domain values costs as much as the rest of a capture at ten years of
promises, so writes check only what a hand edit or a bug most often breaks: that each record is
an object with the fields that link it to others, of the right JSON types. A journal that fails
is refused for writing (and left as it is); `trustjournal doctor` says more and can mend it.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from trustjournal.storage.errors import CorruptJournal


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check_counters(meta: Mapping[str, Any], path: Path) -> None:
    counters = meta.get("next_id", {})
    if not isinstance(counters, dict) or not all(_is_int(v) for v in counters.values()):
        raise CorruptJournal(path, 'its meta record\'s "next_id" should map tables to numbers')


def check_records(data: Mapping[str, Any], path: Path) -> None:
    """Raise CorruptJournal naming the first record that is not what this version writes."""

    def bad(table: str, key: str, what: str) -> CorruptJournal:
        return CorruptJournal(path, f"{table} record {key} {what} (trustjournal doctor "
                                    "shows every problem)")

    for key, doc in data.get("people", {}).items():
        if not isinstance(doc.get("name"), str) or not isinstance(doc.get("created_at"), str):
            raise bad("people", key, "needs a text name and created_at")
    for key, doc in data.get("promises", {}).items():
        events = doc.get("events")
        if not isinstance(doc.get("text"), str) or not _is_int(doc.get("to")):
            raise bad("promises", key, 'needs text and a person id in "to"')
        if not isinstance(events, list) or not events:
            raise bad("promises", key, "has no events")
        for event in events:
            if (not isinstance(event, dict) or not isinstance(event.get("kind"), str)
                    or not isinstance(event.get("at"), str)
                    or not isinstance(event.get("due", ""), str)):
                raise bad("promises", key, "has an event without a kind and a time")
        if not isinstance(events[0].get("due"), str):
            raise bad("promises", key, "has no due time")
        commitment = doc.get("commitment")
        if commitment is not None and not _is_int(commitment):
            raise bad("promises", key, 'has a "commitment" that is not an id')
    for table in ("commitments", "entries"):
        for key, doc in data.get(table, {}).items():
            if not _is_int(doc.get("person")) or not isinstance(doc.get("text"), str):
                raise bad(table, key, "needs a person id and text")
