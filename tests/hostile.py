"""A journal planted with hostile text, and the checks that none of it reaches a reader raw.

The journal file is written directly, as a hand edit or an older version would leave it: the
front door refuses such text now, but a journal that already holds it must still be shown,
listed and exported safely (issues 9 and 13). Escape sequences that set the window title,
write the clipboard (OSC 52) and clear the screen; BEL, NUL, backspace, DEL, CR, a C1 CSI,
bidi overrides; newlines in one-line fields that would forge a Markdown heading or raw HTML;
Markdown links to javascript:; and cells a spreadsheet would run as formulas.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

TITLE = "\x1b]0;pwned title\x07"
OSC52 = "\x1b]52;c;ZWNobyBwd25lZA==\x07"
CLEAR = "\x1b[2J"
RLO = "\u202e"
CSI_C1 = "\x9b"

DANA = f"Dana{TITLE} Whitfield{RLO}"
EVE = '=HYPERLINK("http://evil.example","click") Eve'
DANIEL = f"Daniel{OSC52}"
ROLE = "x\n# Injected\n<script>alert(1)</script>"
LEADER = f"{OSC52}Helen Brandt"
NOTES = f"line one\r{CLEAR}overwritten\x00\x08\x7f"
LINK = "[x](javascript:alert(1))"
GOAL = f"{LINK} goal"
MILESTONE = f"{CSI_C1}31m milestone{RLO}live"

OVERDUE = f"=cmd|' /C calc'!A0 {CLEAR}"
LINKED = f"{LINK} {RLO}evil\u202c"
KEPT = "send\n# Injected heading\n<script>alert(1)</script>"
DUE_TODAY = "@SUM(1+1)\x07\x08\x00"
BROKEN = "+1 the renegotiated one"
LATER = "-2+3 \x7f"
PROMISE_TEXTS = (OVERDUE, LINKED, KEPT, DUE_TODAY, BROKEN, LATER)
FORMULA_TEXTS = (OVERDUE, DUE_TODAY, BROKEN, LATER, EVE)

RENEGOTIATE_NOTE = f"{TITLE}moved"
BROKEN_NOTE = f"{CSI_C1}2J broken"
REASON = "\x1b[31mred\x07"
COMMITMENT = f"{CLEAR}commit <b>bold</b>"
MEASURE = "\x07measure | a | table"
COMMITMENT_MILESTONE = "# cm\n<script>"
REACHED = f"{TITLE}reached"
CHECKIN_TEXT = f"{OSC52} checkin"
FEEDBACK = f"feedback\n# Injected{CLEAR}"
TESTIMONIAL = "<script>alert(1)</script> ![img](javascript:alert(2))"
BREACH = f"{CLEAR}breach\x07"

NOW_ISO = "2026-11-25T10:00:00+01:00"


def _made(at: str, due: str) -> dict[str, Any]:
    return {"kind": "made", "at": at, "due": due}


def _promise(text: str, to: int, events: list[dict[str, Any]],
             commitment: int | None = None) -> dict[str, Any]:
    return {"text": text, "to": to, "zone": "Europe/Berlin", "commitment": commitment,
            "events": events}


def planted() -> dict[str, Any]:
    """The journal document, in the schema the storage layer writes today (2)."""
    created = "2026-10-01T08:00:00Z"
    return {
        "meta": {"1": {
            "schema": 2,
            "next_id": {"people": 4, "commitments": 3, "promises": 7, "entries": 4,
                        "repairs": 2},
            "created_at": created,
        }},
        "people": {
            "1": {
                "name": DANA, "role": ROLE, "leader": LEADER,
                "stance_history": [
                    {"stance": "skeptic", "at": created, "reason": "first noted"},
                    {"stance": "neutral", "at": "2026-11-10T09:00:00Z", "reason": REASON},
                ],
                "goals": [{"name": GOAL, "milestones": [
                    {"name": MILESTONE, "due": "2026-12-05", "reached": None}]}],
                "prefers": "written", "checkin": "weekly", "checkin_moved_to": None,
                "trusts": [2], "notes": NOTES, "created_at": created,
            },
            "2": {
                "name": EVE, "role": "+1", "leader": "", "stance_history": [
                    {"stance": "detractor", "at": created, "reason": "-2+3"}],
                "goals": [], "prefers": "meeting", "checkin": "", "checkin_moved_to": None,
                "trusts": [], "notes": "@SUM(A1)", "created_at": created,
            },
            "3": {
                "name": DANIEL, "role": "", "leader": "", "stance_history": [],
                "goals": [], "prefers": "meeting", "checkin": "", "checkin_moved_to": None,
                "trusts": [], "notes": "", "created_at": created,
            },
        },
        "promises": {
            "1": _promise(OVERDUE, 1, [_made("2026-11-10T09:00:00Z", "2026-11-20T16:00:00Z")]),
            "2": _promise(LINKED, 1, [_made("2026-11-20T09:00:00Z", "2026-11-27T16:00:00Z")]),
            "3": _promise(KEPT, 1, [_made("2026-11-10T09:00:00Z", "2026-11-21T16:00:00Z"),
                                    {"kind": "kept", "at": "2026-11-22T16:00:00Z"}]),
            "4": _promise(DUE_TODAY, 2, [_made("2026-11-20T09:00:00Z",
                                               "2026-11-25T17:00:00Z")]),
            "5": _promise(BROKEN, 1, [
                _made("2026-11-01T09:00:00Z", "2026-11-05T16:00:00Z"),
                {"kind": "renegotiated", "at": "2026-11-10T09:00:00Z",
                 "due": "2026-11-15T16:00:00Z", "note": RENEGOTIATE_NOTE},
                {"kind": "broken", "at": "2026-11-19T09:00:00Z", "note": BROKEN_NOTE},
            ]),
            "6": _promise(LATER, 2, [_made("2026-11-20T09:00:00Z", "2026-12-10T16:00:00Z")],
                          commitment=2),
        },
        "commitments": {
            "1": {"person": 1, "text": COMMITMENT, "goal": GOAL, "measure": MEASURE,
                  "milestones": [{"name": COMMITMENT_MILESTONE, "due": "2026-12-07",
                                  "reached": None}],
                  "status": "active", "created_at": created},
            "2": {"person": 1, "text": f"c2{RLO}", "goal": "", "measure": "",
                  "milestones": [{"name": REACHED, "due": "2026-11-20",
                                  "reached": "2026-11-24"}],
                  "status": "active", "created_at": created},
        },
        "entries": {
            "1": {"person": 1, "kind": "check-in", "text": CHECKIN_TEXT,
                  "at": "2026-11-18T15:30:00Z"},
            "2": {"person": 1, "kind": "feedback-received", "text": FEEDBACK,
                  "at": "2026-11-24T10:00:00Z"},
            "3": {"person": 2, "kind": "testimonial", "text": TESTIMONIAL,
                  "at": "2026-11-23T10:00:00Z"},
        },
        "reviews": {},
        "repairs": {
            "1": {"person": 1, "breach": BREACH, "at": "2026-11-19T10:00:00Z",
                  "cause": "communication breakdown", "promise": 5},
        },
    }


def write_planted(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(planted()), encoding="utf-8")
    os.chmod(path, 0o600)
    return path


# --- what must never come out ----------------------------------------------------------------

_BIDI = "\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c"
_RAW = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}]")
_RAW_BUT_CRLF = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_BIDI}]|\r(?!\n)")


def raw_controls(text: str, *, crlf: bool = False) -> list[str]:
    """Every control character in `text` a terminal would obey (a CR ending a line is allowed
    with `crlf`, for CSV and iCalendar)."""
    return [repr(m.group()) for m in (_RAW_BUT_CRLF if crlf else _RAW).finditer(text)]


def raw_control_bytes(data: bytes, *, crlf: bool = False) -> list[str]:
    """The same for real output bytes: it must also be valid UTF-8 (no lone C1 byte)."""
    text = data.decode("utf-8")  # strict: a raw 0x9b byte is refused here
    return raw_controls(text, crlf=crlf)


def markdown_injections(md: str, *, headings: re.Pattern[str]) -> list[str]:
    """Lines or spans of `md` that Markdown would read as something the journal text forged:
    a heading not in `headings`, raw HTML, a link or image (above all to javascript:)."""
    found = []
    for line in md.splitlines():
        if re.match(r" {0,3}#", line) and not headings.match(line):
            found.append(f"heading: {line!r}")
        if re.match(r" {0,3}(>|=+\s*$|-{3,}\s*$)", line):
            found.append(f"block: {line!r}")
    found += [f"html: {m.group()!r}" for m in re.finditer(r"(?<!\\)<[A-Za-z/!]", md)]
    found += [f"link: {m.group()!r}" for m in re.finditer(r"(?<!\\)\]\(", md)]
    found += [f"javascript link: {m.group()!r}"
              for m in re.finditer(r"(?<!\\)\]\(\s*javascript:", md, re.IGNORECASE)]
    return found
