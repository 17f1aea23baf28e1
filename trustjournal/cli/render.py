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


def promise_json(p: Promise, ledger: Ledger, now: datetime) -> dict[str, Any]:
    closed = p.closed_at
    return {
        "id": p.id,
        "text": p.text,
        "to": ledger.name_of(p.person_id),
        "to_id": p.person_id,
        "made_at": dump_time(p.made_at),
        "due": dump_time(p.due),
        "zone": p.zone,
        "status": p.status.value,
        "outcome": p.outcome(now).value,
        "overdue": p.is_overdue(now),
        "closed_at": dump_time(closed) if closed else None,
        "commitment": p.commitment_id,
        "renegotiations": len(p.renegotiations),
        "events": [
            {
                k: v
                for k, v in (
                    ("kind", e.kind.value),
                    ("at", dump_time(e.at)),
                    ("due", dump_time(e.due) if e.due else None),
                    ("note", e.note or None),
                )
                if v is not None
            }
            for e in p.events
        ],
    }


def person_json(person: Person, ledger: Ledger, now: datetime) -> dict[str, Any]:
    promises = ledger.promises_to(person.id)
    return {
        "id": person.id,
        "name": person.name,
        "role": person.role,
        "leader": person.leader,
        "stance": person.stance.value,
        "stance_history": [
            {"stance": h.stance.value, "at": dump_time(h.at), "reason": h.reason}
            for h in person.stance_history
        ],
        "prefers": person.prefers.value,
        "checkin": person.checkin,
        "goals": [
            {
                "name": g.name,
                "milestones": [
                    {
                        "name": m.name,
                        "due": m.due.isoformat() if m.due else None,
                        "reached": m.reached.isoformat() if m.reached else None,
                    }
                    for m in g.milestones
                ],
            }
            for g in person.goals
        ],
        "trusts": [ledger.name_of(i) for i in person.trusts],
        "notes": person.notes,
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
            visible(p.text),
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
