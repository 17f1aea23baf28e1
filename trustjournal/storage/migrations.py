"""Schema migrations: each step takes a journal one version forward, in place.

A journal of an older version is readable as it is; the first change migrates it, after a
backup of the old file. Every step must keep every record: fields this version doesn't know
are carried along by the codec.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Data = dict[str, Any]


def _v1_to_v2(data: Data) -> None:
    """Version 2 added the daily review's record and repair records (practice 3)."""
    data.setdefault("reviews", {})
    data.setdefault("repairs", {})


MIGRATIONS: dict[int, Callable[[Data], None]] = {1: _v1_to_v2}


def migrate(data: Data, to: int) -> list[int]:
    """Bring `data` up to schema `to`; returns the versions it passed through."""
    meta = data["meta"]["1"]
    passed = []
    while meta["schema"] < to:
        version = meta["schema"]
        MIGRATIONS[version](data)
        meta["schema"] = version + 1
        passed.append(version)
    return passed
