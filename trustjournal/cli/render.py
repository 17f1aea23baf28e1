"""How the command line shows promises and people: aligned text for eyes, JSON for scripts.

The JSON holds the journal's text as it is (`Context.print_json` escapes what a terminal would
obey); the aligned lines show each text on one line with its control characters made visible,
so a newline in a promise cannot forge a row and an ESC cannot reach the terminal.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from trustjournal.domain import format as fmt
from trustjournal.domain.ledger import Ledger
from trustjournal.domain.person import Person
from trustjournal.domain.promise import Outcome, Promise
from trustjournal.domain.text import visible
from trustjournal.storage.codec import dump_time
from trustjournal.storage.records import PEOPLE, PROMISES, encode


def promise_json(p: Promise, ledger: Ledger, now: datetime) -> dict[str, Any]:
    """A promise as export writes it (records.encode), plus what is derived from it now."""
    closed = p.closed_at
    return {
        **encode(PROMISES, p),
        "to_name": ledger.name_of(p.person_id),
        "made_at": dump_time(p.made_at),
        "due": dump_time(p.due),
        "status": p.status.value,
        "outcome": p.outcome(now).value,
        "overdue": p.is_overdue(now),
        "closed_at": dump_time(closed) if closed else None,
        "renegotiations": len(p.renegotiations),
        **_series_fields(p, ledger),
    }


def _series_fields(p: Promise, ledger: Ledger) -> dict[str, Any]:
    """A recurring promise's series in words and as its RRULE (`series` itself is stored)."""
    series = ledger.series_of(p)
    if series is None:
        return {"rule": None, "rrule": None, "series_status": None}
    return {"rule": series.describe(), "rrule": series.rule.rrule_text(),
            "series_status": series.status.value}


def text_of(p: Promise, ledger: Ledger) -> str:
    """A promise's text as a row shows it: a recurring one marked, with its rule in words."""
    series = ledger.series_of(p)
    if series is None:
        return visible(p.text)
    from trustjournal.domain.series import SYMBOL

    return f"{SYMBOL} {visible(p.text)} ({series.describe()})"


def person_json(person: Person, ledger: Ledger, now: datetime) -> dict[str, Any]:
    """A person as export writes it (records.encode), plus what is derived from it now."""
    promises = ledger.promises_to(person.id)
    return {
        **encode(PEOPLE, person),
        "stance": person.stance.value,
        "leader_name": ledger.leader_of(person),
        "trusts_names": [ledger.name_of(i) for i in person.trusts],
        "trusted_by": [p.id for p in ledger.trusted_by(person.id)],
        "open_promises": sum(1 for p in promises if p.is_open),
        "overdue_promises": sum(1 for p in promises if p.is_overdue(now)),
    }


def _mark(p: Promise, now: datetime) -> str:
    outcome = p.outcome(now)
    if outcome is Outcome.OVERDUE:
        return f"OVERDUE {fmt.span(now - p.due)}"
    if outcome is Outcome.OPEN:
        return "open, renegotiated" if p.renegotiations else "open"
    return outcome.value


def promise_lines(
    promises: list[Promise], ledger: Ledger, now: datetime, zone: ZoneInfo
) -> list[str]:
    rows = [
        (
            f"#{p.id}",
            fmt.when(p.due, zone, now),
            visible(ledger.name_of(p.person_id)),
            _mark(p, now),
            text_of(p, ledger),
        )
        for p in promises
    ]
    if not rows:
        return []
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    return [
        "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:4])) + "  " + row[4]
        for row in rows
    ]
