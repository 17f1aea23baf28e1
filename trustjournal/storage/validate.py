"""A fast look at every record's shape before a change is written over the file.

Decoding every record into domain values costs as much as the rest of a capture at ten years of
promises, so writes check only what a hand edit or a bug most often breaks: that each record is
an object with the fields each record type declares (storage/records.py), of the right JSON
types, and links that are ids. A journal that fails is refused for writing (and left as it is);
`trustjournal doctor` says more and can mend it.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from trustjournal.storage.errors import CorruptJournal
from trustjournal.storage.records import RECORDS, RecordType


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check_counters(meta: Mapping[str, Any], path: Path) -> None:
    counters = meta.get("next_id", {})
    if not isinstance(counters, dict) or not all(_is_int(v) for v in counters.values()):
        raise CorruptJournal(path, 'its meta record\'s "next_id" should map tables to numbers')


def shape_problem(kind: RecordType[Any], doc: Mapping[str, Any]) -> str | None:
    """What is wrong with one stored record's shape, in words; None when it looks right."""
    for field, json_type in kind.required:
        value = doc.get(field)
        if not isinstance(value, json_type) or (json_type is int and not _is_int(value)):
            return f'needs "{field}" ({"a number" if json_type is int else "text"})'
    for link in kind.links:
        value = doc.get(link.field)
        if value is None and not link.required:
            continue
        values = value if link.many and isinstance(value, list) else [value]
        if (link.many and not isinstance(value, list)) or not all(map(_is_int, values)):
            return f'has a "{link.field}" that is not {"a list of ids" if link.many else "an id"}'
    if not isinstance(doc.get("uid", ""), str):
        return 'has a "uid" that is not text'
    return kind.check(doc) if kind.check else None


def check_records(data: Mapping[str, Any], path: Path) -> None:
    """Raise CorruptJournal naming the first record that is not what this version writes."""
    for table, kind in RECORDS.items():
        for key, doc in data.get(table, {}).items():
            problem = shape_problem(kind, doc)
            if problem is not None:
                raise CorruptJournal(path, f"{table} record {key} {problem} (trustjournal "
                                           "doctor shows every problem)")
