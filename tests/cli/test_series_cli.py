"""Recurring promises from the shell: promise --every, kept making the next, series commands."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.cli.conftest import Cli
from tests.conftest import BERLIN


def test_done_when_kept_makes_the_following_monday(dana: Cli) -> None:
    started = dana("promise", "status note", "--to", "dana", "--every", "mon 10am")
    assert started.code == 0, started.err
    assert started.out == ("↻ series #1 to Dana Whitfield, every Mon 10:00; first: #1 due "
                           "Mon 30 Nov 10:00\n")
    monday = datetime(2026, 11, 30, 9, 0, tzinfo=BERLIN)
    due = dana("due", at=monday)
    assert "↻ status note (every Mon 10:00)" in due.out and "Mon 30 Nov 10:00" in due.out
    kept = dana("kept", "1", at=monday)
    assert kept.out.splitlines() == [
        "#1 to Dana Whitfield: kept on time (due Mon 30 Nov 10:00).",
        "Next in the series: #2 due Mon 7 Dec 10:00.",
    ]
    listed = dana("list", at=monday).out.splitlines()
    assert len(listed) == 1 and listed[0].startswith("#2  Mon 7 Dec 10:00")
    rows = json.loads(dana("list", "--json", at=monday).out)
    assert rows[0]["series"] == 1 and rows[0]["rule"] == "every Mon 10:00"
    assert rows[0]["rrule"] == "FREQ=WEEKLY;BYDAY=MO;BYHOUR=10;BYMINUTE=0"
    assert "↻ status note (every Mon 10:00)" in dana("person", "show", "dana", at=monday).out


def test_list_makes_the_next_once_the_previous_is_due(dana: Cli, journal_path: Path) -> None:
    dana("promise", "status note", "--to", "dana", "--every", "mon", "10am")
    after = datetime(2026, 11, 30, 11, 0, tzinfo=BERLIN)
    shown = dana("list", at=after).out
    assert "#1" in shown and "OVERDUE" in shown and "#2  Mon 7 Dec 10:00" in shown
    before = journal_path.read_bytes()
    assert dana("list", at=after).code == 0 and journal_path.read_bytes() == before


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--every", "blue", "moon"], 'could not read "blue moon" as a repeat; try: every mon'),
        (["--every", "mon", "--due", "fri"], "not both"),
        (["--every", "mon", "--made", "yesterday"], "a series starts now"),
        (["--every", "mon", "--until", "yesterday"], "already past"),
        (["--every", "mon", "--until", "fri", "--times", "3"], "not both"),
        (["--due", "fri", "--times", "3"], "go with --every"),
    ],
)
def test_bad_rules_are_one_line_and_change_nothing(dana: Cli, journal_path: Path,
                                                   args: list[str], says: str) -> None:
    before = journal_path.read_bytes()
    result = dana("promise", "status note", "--to", "dana", *args)
    assert result.code == 1 and says in result.err and result.err.count("\n") == 1
    assert result.out == "" and journal_path.read_bytes() == before


def test_neither_due_nor_every_is_wrong_usage(dana: Cli) -> None:
    result = dana("promise", "x", "--to", "dana")
    assert result.code == 2 and "--every RULE" in result.err


def test_series_list_show_edit_stop(dana: Cli, journal_path: Path) -> None:
    dana("promise", "status note", "--to", "dana", "--every", "mon 10am", "--times", "6")
    listed = dana("series", "list").out
    assert listed.startswith("↻ #1  Dana Whitfield  status note — every Mon 10:00, 6 times")
    assert "next #1 Mon 30 Nov 10:00" in listed
    edited = dana("series", "edit", "1", "--every", "tue 9am", "--text", "the status note")
    assert edited.code == 0, edited.err
    assert "every Tue 09:00, 6 times" in edited.out
    assert "The upcoming #1 follows it: due Tue 1 Dec 09:00." in edited.out
    shown = dana("series", "show", "1").out
    assert "changed — " in shown and "was every Mon 10:00" in shown
    assert "open, renegotiated" in shown
    data = json.loads(dana("series", "show", "1", "--json").out)
    assert data["rule_words"] == "every Tue 09:00, 6 times" and data["occurrences"] == [1]
    before = journal_path.read_bytes()
    missing = dana("series", "stop", "1")
    assert missing.code == 2 and journal_path.read_bytes() == before
    unknown = dana("series", "stop", "9", "--note", "x")
    assert unknown.code == 1 and "no series #9" in unknown.err
    stopped = dana("series", "stop", "1", "--note", "Dana reads the dashboard now")
    assert stopped.code == 0 and "stopped; its history (1 occurrence) stays" in stopped.out
    assert "The upcoming #1 (Tue 1 Dec 09:00) is released." in stopped.out
    assert dana("series", "list").out.startswith("No active series")
    assert "[stopped]" in dana("series", "list", "--all").out
    again = dana("series", "stop", "1", "--note", "again")
    assert again.code == 1 and "already stopped" in again.err
    later = datetime(2027, 1, 10, tzinfo=BERLIN)
    assert dana("list", "--all", at=later).out.count("#") == 1  # nothing new after the stop


def test_renegotiating_one_occurrence_leaves_the_series(dana: Cli) -> None:
    dana("promise", "status note", "--to", "dana", "--every", "mon 10am")
    moved = dana("renegotiate", "1", "--due", "tue 10am", "--note", "Dana is out Monday")
    assert moved.code == 0 and "now due Tue 1 Dec 10:00" in moved.out
    assert "every Mon 10:00" in dana("series", "list").out
    kept = dana("kept", "1", at=datetime(2026, 12, 1, 9, 0, tzinfo=BERLIN))
    assert "Next in the series: #2 due Mon 7 Dec 10:00." in kept.out


def test_ics_carries_the_rule(dana: Cli) -> None:
    from icalendar import Calendar

    dana("promise", "status note", "--to", "dana", "--every", "2 weeks on fri 5pm")
    dana("promise", "one-off", "--to", "dana", "--due", "fri")
    cal = Calendar.from_ical(dana("export", "--format", "ics").out)
    todos = {str(t["uid"]): t for t in cal.walk("VTODO")}
    assert set(todos) == {"series-1@trustjournal", "promise-2@trustjournal"}
    series = todos["series-1@trustjournal"]
    rule = series["rrule"]
    assert rule["FREQ"] == ["WEEKLY"] and rule["INTERVAL"] == [2] and rule["BYDAY"] == ["FR"]
    start = series["dtstart"].dt
    assert start.tzinfo is not None and str(start.tzinfo) == "Europe/Berlin"
    assert (start.weekday(), start.hour) == (4, 17)
    assert [str(z["tzid"]) for z in cal.walk("VTIMEZONE")] == ["Europe/Berlin"]
    expanded = series["rrule"].to_ical().decode()
    assert expanded == "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR"


def test_ics_rule_stays_at_wall_time_across_dst(dana: Cli) -> None:
    from dateutil.rrule import rrulestr
    from icalendar import Calendar

    march = datetime(2027, 3, 10, 12, 0, tzinfo=BERLIN)
    dana("promise", "status note", "--to", "dana", "--every", "mon 10am", "--times", "4",
         at=march)
    cal = Calendar.from_ical(dana("export", "--format", "ics", at=march).out)
    todo = next(iter(cal.walk("VTODO")))
    start = todo["dtstart"].dt
    rule = rrulestr(todo["rrule"].to_ical().decode(), dtstart=start)
    assert [d.hour for d in rule] == [10, 10, 10, 10]
    assert len({d.utcoffset() for d in rule}) == 2  # CET, then CEST after 28 March
    last = list(rule)[-1].astimezone(UTC)
    assert last - start.astimezone(UTC) == timedelta(weeks=3) - timedelta(hours=1)


RRULE_PROBE = """
import sys
from trustjournal.cli import run
code = run(sys.argv[1:])
print("RRULE:" + str("dateutil.rrule" in sys.modules), file=sys.stderr)
"""


@pytest.mark.parametrize("argv", [("promise", "x", "--to", "dana", "--due", "fri"),
                                  ("due",), ("list",), ("kept", "2")])
def test_capture_and_due_do_not_import_rrule_while_no_series_is_due(
        dana: Cli, journal_path: Path, argv: tuple[str, ...]) -> None:
    import os
    import subprocess
    import sys

    dana("promise", "status note", "--to", "dana", "--every", "mon 10am")
    dana("promise", "one-off", "--to", "dana", "--due", "fri")
    env = {**os.environ, "TRUSTJOURNAL_NOW": "2026-11-25T10:00:00+01:00", "TZ": "Europe/Berlin"}
    result = subprocess.run([sys.executable, "-c", RRULE_PROBE, "--db", str(journal_path), *argv],
                            capture_output=True, text=True, env=env, check=False)
    assert "RRULE:False" in result.stderr, result.stderr
