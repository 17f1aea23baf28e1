"""The JSON export and its import: the whole journal as one document, and back, losslessly.

    {
      "format": "trustjournal-export",
      "version": 2,
      "schema": 3,                      # the journal schema the records are in
      "exported_at": "2026-11-25T09:00:00Z",
      "meta": {"created_at": "...", "next_id": {"people": 4, ...}},
      "people": [{"id": 1, ...}],       # each table of storage/records.py, in id order, each
      "promises": [...],                # record in its one JSON shape (records.encode): "id",
      "commitments": [...],             # then exactly the fields the journal file stores
      "entries": [...],
      "repairs": [...],
      "reviews": [...],
      "other_tables": {}                # tables this version does not know (doctor's
    }                                   # quarantine, a newer version's), kept as they are

Export then import into an empty journal then export gives the same document (a test holds
it to that for a journal with every table and field filled).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from trustjournal.domain.errors import InvalidInput
from trustjournal.storage import codec, records
from trustjournal.storage.migrations import SCHEMA_VERSION, current
from trustjournal.storage.records import META, RECORDS, Table

FORMAT = "trustjournal-export"
VERSION = 2
_KNOWN = frozenset({"format", "version", "schema", "exported_at", "meta", "other_tables",
                    *(t.value for t in Table)})


def export_document(data: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    data = current(data)
    meta = {k: v for k, v in data[META]["1"].items() if k not in ("schema", "write")}
    document: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "schema": SCHEMA_VERSION,
        "exported_at": codec.dump_time(now),
        "meta": copy.deepcopy(meta),
    }
    for table, kind in RECORDS.items():
        loaded = records.load_table(kind, data.get(table, {}))
        document[table.value] = [records.encode(kind, loaded[i]) for i in sorted(loaded)]
    document["other_tables"] = copy.deepcopy(
        {name: value for name, value in data.items() if name != META and name not in RECORDS})
    return document


def is_export(value: Any) -> bool:
    return isinstance(value, dict) and value.get("format") == FORMAT


def import_document(document: Any, source: Path) -> dict[str, Any]:
    """The journal data an export holds, checked record by record; one line when it is not."""

    def refuse(what: str) -> InvalidInput:
        return InvalidInput(f"{source} {what}; nothing was imported")

    if not is_export(document):
        raise refuse(f'is not a trustjournal export (no "format": "{FORMAT}")')
    version, schema = document.get("version"), document.get("schema")
    if version != VERSION or not isinstance(schema, int) or isinstance(schema, bool):
        raise refuse(f"is export version {version!r}; this trustjournal reads version {VERSION}")
    if schema > SCHEMA_VERSION:
        raise refuse(f"holds schema {schema}, newer than this trustjournal ({SCHEMA_VERSION}); "
                     "upgrade trustjournal first")
    unknown = sorted(set(document) - _KNOWN)
    if unknown:
        raise refuse(f"has fields this version does not know: {', '.join(unknown)}")
    meta = document.get("meta")
    other = document.get("other_tables", {})
    if not isinstance(meta, dict) or not isinstance(other, dict):
        raise refuse('needs "meta" and "other_tables" objects')
    data: dict[str, Any] = {META: {"1": {**copy.deepcopy(meta), "schema": SCHEMA_VERSION,
                                         "write": "0" * 16}}}
    counters = data[META]["1"].setdefault("next_id", {})
    if not isinstance(counters, dict):
        raise refuse('has a "next_id" in its meta that is not an object')
    for table, kind in RECORDS.items():
        rows = document.get(table.value, [])
        if not isinstance(rows, list):
            raise refuse(f'has a "{table}" that is not a list')
        stored: dict[str, Any] = {}
        for row in rows:
            if not isinstance(row, dict):
                raise refuse(f'has a "{table}" entry that is not an object')
            try:
                record = records.decode(kind, row)
            except codec.RecordError as error:
                raise refuse(f"holds a bad record: {error}") from None
            key = str(getattr(record, "id"))  # noqa: B009
            if key in stored:
                raise refuse(f"holds {kind.noun} #{key} twice")
            stored[key] = kind.dump(record)
        data[table.value] = stored
        highest = max(map(int, stored), default=0)
        next_id = counters.get(table.value, 1)
        if not isinstance(next_id, int) or isinstance(next_id, bool):
            raise refuse(f'has a next {table} id that is not a number ({next_id!r})')
        if stored and next_id <= highest:
            counters[table.value] = highest + 1
    for name, value in other.items():
        if name == META or name in RECORDS:
            raise refuse(f'lists "{name}" among other_tables')
        data[name] = copy.deepcopy(value)
    from trustjournal.storage.doctor import diagnose

    problems = diagnose(data)
    if problems:
        first = problems[0]
        raise refuse(f"holds a record that does not fit: {first.where}: {first.what}")
    return data
