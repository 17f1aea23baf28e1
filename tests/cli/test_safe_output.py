"""No text from a journal reaches the terminal as an escape sequence (issue 13, items 9 and 10).

Every command that prints journal text runs on a journal planted with hostile text
(`tests.hostile`); no ESC, BEL, backspace, DEL, NUL, CR, C1 control or bidi override may come
out, JSON must still parse back to the very strings the journal holds, and the Markdown must
hold no heading, HTML or link that the journal's text forged.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from icalendar import Calendar

from tests import hostile
from tests.cli.conftest import Cli
from trustjournal.domain.text import check_text, visible

TEXT_COMMANDS = [
    ("list",),
    ("list", "--all"),
    ("list", "--overdue"),
    ("due",),
    ("person", "list"),
    ("person", "show", "dana"),
    ("person", "show", "eve"),
    ("brief", "dana"),
    ("update", "dana"),
    ("insights",),
    ("commitment", "list"),
    ("export", "--format", "md"),
]
JSON_COMMANDS = [
    ("list", "--all", "--json"),
    ("due", "--json"),
    ("person", "list", "--json"),
    ("person", "show", "dana", "--json"),
    ("commitment", "list", "--json"),
]
DOCUMENT_COMMANDS = [  # formats whose lines end CRLF by their own rules
    ("export", "--format", "csv"),
    ("export", "--format", "ics"),
]


@pytest.fixture
def planted(cli: Cli, journal_path: Path) -> Cli:
    hostile.write_planted(journal_path)
    return cli


@pytest.mark.parametrize("argv", TEXT_COMMANDS, ids=" ".join)
def test_text_output_holds_no_raw_control(planted: Cli, argv: tuple[str, ...]) -> None:
    result = planted(*argv)
    assert result.code == 0, result.err
    assert result.out.strip()
    assert hostile.raw_controls(result.out) == []
    assert hostile.raw_controls(result.err) == []


@pytest.mark.parametrize("argv", JSON_COMMANDS, ids=" ".join)
def test_json_output_holds_no_raw_control_and_parses_back(
    planted: Cli, argv: tuple[str, ...]
) -> None:
    result = planted(*argv)
    assert result.code == 0, result.err
    assert hostile.raw_controls(result.out) == []
    assert "\\u009b" in result.out or "\\u202e" in result.out  # escaped, not dropped
    json.loads(result.out)


@pytest.mark.parametrize("argv", DOCUMENT_COMMANDS, ids=" ".join)
def test_csv_and_ics_output_hold_no_raw_control_but_their_crlf(
    planted: Cli, argv: tuple[str, ...]
) -> None:
    result = planted(*argv)
    assert result.code == 0, result.err
    assert "\r\n" in result.out
    assert hostile.raw_controls(result.out, crlf=True) == []


def test_json_export_holds_no_raw_control_and_parses(planted: Cli) -> None:
    # The json writer is being rewritten (issue 9): only the safety of its output is asserted.
    result = planted("export", "--format", "json")
    assert result.code == 0, result.err
    assert hostile.raw_controls(result.out) == []
    assert json.loads(result.out)


def test_json_gives_back_the_journals_own_strings(planted: Cli) -> None:
    promises = json.loads(planted("list", "--all", "--json").out)
    assert {p["text"] for p in promises} == set(hostile.PROMISE_TEXTS)
    assert {p["to_name"] for p in promises} == {hostile.DANA, hostile.EVE}
    notes = {e.get("note") for p in promises for e in p["events"]} - {None}
    assert notes == {hostile.RENEGOTIATE_NOTE, hostile.BROKEN_NOTE}
    dana = json.loads(planted("person", "show", "dana", "--json").out)
    assert (dana["name"], dana["role"], dana["leader"], dana["notes"]) == (
        hostile.DANA, hostile.ROLE, hostile.LEADER, hostile.NOTES)
    assert dana["goals"][0]["name"] == hostile.GOAL
    assert dana["goals"][0]["milestones"][0]["name"] == hostile.MILESTONE
    assert dana["stance_history"][-1]["reason"] == hostile.REASON
    commitments = json.loads(planted("commitment", "list", "--json").out)
    assert commitments[0]["text"] == hostile.COMMITMENT
    assert commitments[0]["milestones"][0]["name"] == hostile.COMMITMENT_MILESTONE
    due = json.loads(planted("due", "--json").out)
    assert [p["text"] for p in due["overdue"] + due["due_today"]] == [hostile.OVERDUE,
                                                                       hostile.DUE_TODAY]


def test_controls_are_shown_as_symbols_not_dropped(planted: Cli) -> None:
    show = planted("person", "show", "dana").out
    assert "Dana␛]0;pwned title␇ Whitfield<U+202E>" in show
    assert "Their leader: ␛]52;c;ZWNobyBwd25lZA==␇Helen Brandt" in show
    assert "line one␍␛[2Joverwritten␀␈␡" in show
    assert "<U+009B>31m milestone<U+202E>live" in show


def test_a_promise_is_one_row_whatever_its_text_holds(planted: Cli) -> None:
    rows = planted("list", "--all").out.splitlines()
    assert len(rows) == len(hostile.PROMISE_TEXTS)
    assert all(re.match(r"#\d+ ", row) for row in rows)
    assert any(row.endswith(visible(hostile.KEPT)) for row in rows)


def test_brief_and_markdown_export_forge_no_heading_html_or_link(planted: Cli) -> None:
    brief = planted("brief", "dana").out
    assert brief.startswith("# Check-in with Dana␛\\]0;pwned title␇ Whitfield\\<U+202E\\> — ")
    assert hostile.markdown_injections(brief, headings=re.compile(
        r"# Check-in with |## (Their goals|Open promises|Kept since|Feedback|Questions)")) == []
    md = planted("export", "--format", "md").out
    names = {visible(n) for n in (hostile.DANA, hostile.EVE, hostile.DANIEL)}
    assert len([line for line in md.splitlines() if line.startswith("## ")]) == len(names)
    assert hostile.markdown_injections(md, headings=re.compile(
        r"# trustjournal — |## |### (Goals|Commitments|Open promises|Closed promises|"
        r"Recent entries)$")) == []
    assert "<script>" not in brief.replace("\\<script\\>", "")
    assert "<script>" not in md.replace("\\<script\\>", "")


def test_csv_export_neutralises_formulas(planted: Cli) -> None:
    rows = list(csv.DictReader(io.StringIO(planted("export", "--format", "csv").out,
                                           newline="")))
    assert len(rows) == len(hostile.PROMISE_TEXTS)
    cells = [cell for row in rows for key, cell in row.items() if key in ("to", "text")]
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]
    by_text = {row["text"] for row in rows}
    for text in hostile.PROMISE_TEXTS:
        shown = visible(text, multiline=True)
        assert (f"'{shown}" if text in hostile.FORMULA_TEXTS else shown) in by_text
    assert f"'{hostile.EVE}" in {row["to"] for row in rows}


def test_ics_export_parses_with_controls_shown(planted: Cli) -> None:
    calendar = Calendar.from_ical(planted("export", "--format", "ics").out)
    summaries = [str(todo["summary"]) for todo in calendar.walk("VTODO")]
    assert f"{visible(hostile.LINKED)} (to {visible(hostile.DANA)})" in summaries
    texts = summaries + [str(e["summary"]) + str(e["description"])
                         for e in calendar.walk("VEVENT")]
    assert all(hostile.raw_controls(text) == [] for text in texts)


def test_update_sent_logs_a_draft_with_no_control_in_it(planted: Cli, journal_path: Path) -> None:
    sent = planted("update", "dana", "--sent")
    assert sent.code == 0 and "Logged the update as sent to Dana␛]0;" in sent.err
    assert hostile.raw_controls(sent.out + sent.err) == []
    entries = json.loads(journal_path.read_text())["entries"].values()
    draft = next(e["text"] for e in entries if e["kind"] == "update-sent")
    assert check_text(draft, "the update", multiline=True) == draft


def test_an_error_naming_people_holds_no_raw_control(planted: Cli) -> None:
    result = planted("person", "show", "dan")
    assert result.code == 1 and "could be" in result.err
    assert hostile.raw_controls(result.err) == []


# --- the real stdout of a process ----------------------------------------------------------


def test_a_real_process_writes_no_escape_byte(journal_path: Path) -> None:
    hostile.write_planted(journal_path)
    env = {**os.environ, "TRUSTJOURNAL_NOW": hostile.NOW_ISO, "TZ": "Europe/Berlin"}
    env.pop("TRUSTJOURNAL_DB", None)
    for argv, crlf in [
        (("list", "--all"), False),
        (("person", "show", "dana"), False),
        (("brief", "dana"), False),
        (("update", "dana"), False),
        (("list", "--all", "--json"), False),
        (("export", "--format", "md"), False),
        (("export", "--format", "csv"), True),
    ]:
        done = subprocess.run(
            [sys.executable, "-m", "trustjournal", "--db", str(journal_path), *argv],
            capture_output=True, env=env, timeout=60,
        )
        assert done.returncode == 0, done.stderr
        for forbidden in (b"\x1b", b"\x07", b"\x08", b"\x7f", b"\x00", b"\xc2\x9b",
                          "\u202e".encode()):
            assert forbidden not in done.stdout + done.stderr, (argv, forbidden)
        assert hostile.raw_control_bytes(done.stdout, crlf=crlf) == [], argv
        assert hostile.raw_control_bytes(done.stderr) == [], argv
