"""The reviews table: one record per daily review, so a review can resume and be counted."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from trustjournal.domain.review import ReviewRecord
from trustjournal.storage.codec import dump_time, load_time
from trustjournal.storage.journal import Transaction

TABLE = "reviews"


def load_review(review_id: int, doc: Mapping[str, Any]) -> ReviewRecord:
    finished = doc.get("finished_at")
    return ReviewRecord(
        id=review_id,
        started_at=load_time(doc.get("started_at")),
        finished_at=load_time(finished) if finished else None,
        handled=tuple(str(key) for key in doc.get("handled", [])),
    )


def dump_review(record: ReviewRecord) -> dict[str, Any]:
    return {
        "started_at": dump_time(record.started_at),
        "finished_at": dump_time(record.finished_at) if record.finished_at else None,
        "handled": list(record.handled),
    }


def all_reviews(data: Mapping[str, Any] | None) -> list[ReviewRecord]:
    if not data:
        return []
    table = data.get(TABLE, {})
    return [load_review(int(key), doc) for key, doc in table.items() if isinstance(doc, dict)]


def start_or_resume(tx: Transaction, now: datetime, same_day: Any) -> ReviewRecord:
    """Today's unfinished review if there is one, else a new one."""
    for record in sorted(all_reviews(tx.staged.data), key=lambda r: r.started_at, reverse=True):
        if record.finished_at is None and same_day(record.started_at):
            return record
    record = ReviewRecord(0, now, None, ())
    record_id = tx.insert(TABLE, dump_review(record))
    return ReviewRecord(record_id, now, None, ())


def mark_handled(tx: Transaction, review_id: int, key: str) -> None:
    doc = tx.raw(TABLE, review_id)
    if doc is None:
        return
    handled = list(doc.get("handled", []))
    if key not in handled:
        handled.append(key)
        tx.put(TABLE, review_id, {**doc, "handled": handled})


def finish(tx: Transaction, review_id: int, now: datetime) -> None:
    doc = tx.raw(TABLE, review_id)
    if doc is not None:
        tx.put(TABLE, review_id, {**doc, "finished_at": dump_time(now)})
