"""Schema migrations: each step takes a journal one version forward, in place.

A journal of an older version is readable as it is (`current` migrates a copy for reading);
the first change migrates the file itself, after a backup of the old file. Every step must
keep every record: fields this version doesn't know are carried along by the codec.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import Any

Data = dict[str, Any]

SCHEMA_VERSION = 4


def _v1_to_v2(data: Data) -> None:
    """Version 2 added the daily review's record and repair records (practice 3).

    Table names are spelled out: a migration describes the journal as it was then.
    """
    data.setdefault("reviews", {})
    data.setdefault("repairs", {})


def _v2_to_v3(data: Data) -> None:
    """Version 3 gives every record a uid beside its number, so journals can one day merge.

    The uid of a migrated record is derived from the journal's creation time, its table and its
    id, so reading an old journal (which migrates a copy) shows the uids the file will get.
    """
    import uuid

    created = str(data["meta"]["1"].get("created_at", ""))
    for table in ("people", "promises", "commitments", "entries", "repairs", "reviews"):
        for key, doc in data.setdefault(table, {}).items():
            if isinstance(doc, dict) and not doc.get("uid"):
                doc["uid"] = uuid.uuid5(uuid.NAMESPACE_URL,
                                        f"trustjournal:{created}/{table}/{key}").hex


def _v3_to_v4(data: Data) -> None:
    """Version 4 added series of recurring promises (a table; a promise may name its series)."""
    data.setdefault("series", {})


MIGRATIONS: dict[int, Callable[[Data], None]] = {1: _v1_to_v2, 2: _v2_to_v3, 3: _v3_to_v4}


def migrate(data: Data, to: int = SCHEMA_VERSION) -> list[int]:
    """Bring `data` up to schema `to`; returns the versions it passed through."""
    meta = data["meta"]["1"]
    passed = []
    while meta["schema"] < to:
        version = meta["schema"]
        MIGRATIONS[version](data)
        meta["schema"] = version + 1
        passed.append(version)
    return passed


def current(data: Mapping[str, Any]) -> Mapping[str, Any]:
    """`data` as this version reads it: itself when current, else a migrated copy."""
    if data["meta"]["1"]["schema"] >= SCHEMA_VERSION:
        return data
    fresh = copy.deepcopy(dict(data))
    migrate(fresh)
    return fresh
