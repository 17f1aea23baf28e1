from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar

from tests.conftest import BERLIN, FROZEN_NOW
from trustjournal.demo import write_demo
from trustjournal.domain.ledger import Ledger
from trustjournal.domain.person import Goal, Milestone, Person
from trustjournal.domain.promise import EventKind, Promise, PromiseEvent
from trustjournal.export import CSV_COLUMNS, FORMATS, export
from trustjournal.storage.journal import Journal
from trustjournal.storage.migrations import SCHEMA_VERSION
from trustjournal.storage.records import PROMISES

NOW = FROZEN_NOW


@pytest.fixture(scope="module")
def demo_journal(tmp_path_factory: pytest.TempPathFactory) -> Journal:
    journal = Journal(Path(tmp_path_factory.mktemp("demo")) / "journal.json")
    write_demo(journal, NOW, BERLIN)
    return journal


@pytest.fixture(scope="module")
def demo(demo_journal: Journal) -> Ledger:
    return demo_journal.load()


def tricky_ledger() -> Ledger:
    """Text a calendar or a spreadsheet could choke on, in a promise made by hand."""
    start = NOW - timedelta(days=3)
    text = 'send "numbers", risks; and\nthe plan, é'
    promise = Promise(1, text, 1, (PromiseEvent(EventKind.MADE, start, due=NOW + timedelta(
        days=1)),), "Europe/Berlin")
    return Ledger(people={1: Person(1, "Ada, Quinn; Jr", start, checkin="weekly")},
                  promises={1: promise})


def test_unknown_format_lists_the_ones_there_are() -> None:
    with pytest.raises(ValueError) as error:
        export(Ledger(), "xml", NOW, BERLIN)
    message = str(error.value)
    assert "\n" not in message
    assert all(name in message for name in FORMATS)


def test_format_names_forgive_case_and_spaces(demo: Ledger) -> None:
    assert export(demo, " CSV ", NOW, BERLIN) == export(demo, "csv", NOW, BERLIN)


# --- json (storage/exchange.py) -----------------------------------------------------------


def test_json_holds_everything_and_counts_match(demo_journal: Journal) -> None:
    demo = demo_journal.load()
    doc = json.loads(json.dumps(demo_journal.export_document(NOW)))
    assert doc["format"] == "trustjournal-export" and doc["version"] == 2
    assert doc["schema"] == SCHEMA_VERSION and doc["exported_at"] == "2026-11-25T09:00:00Z"
    assert doc["meta"]["next_id"]["promises"] == len(demo.promises) + 1
    for table in ("people", "commitments", "promises", "entries", "repairs", "reviews"):
        assert len(doc[table]) == len(getattr(demo, table))
        assert [r["id"] for r in doc[table]] == sorted(getattr(demo, table))

    replay = next(p for p in doc["promises"] if p["id"] == 15)
    assert replay["to"] == 2 and replay["uid"] and replay["zone"]
    canary = next(p for p in doc["promises"] if p["id"] == 7)
    assert [e["kind"] for e in canary["events"]] == ["made", "renegotiated", "kept"]
    assert canary["events"][1]["note"] == "renegotiated a day late, my fault"
    for p in doc["promises"]:
        assert len(p["events"]) == len(demo.promises[p["id"]].events)

    dana = doc["people"][0]
    assert dana["name"] == "Dana Whitfield"
    assert [h["stance"] for h in dana["stance_history"]] == ["skeptic", "neutral"]
    assert dana["trusts"] == [3]
    milestones = dana["goals"][0]["milestones"]
    assert milestones[0] == {"name": "incident runbooks reviewed", "due": "2026-11-15",
                             "reached": "2026-11-14"}
    assert doc["commitments"][0]["person"] == 2
    assert doc["entries"][0]["kind"] == "acknowledgement"


def test_json_of_an_empty_journal(tmp_path: Path) -> None:
    doc = Journal(tmp_path / "none.json").export_document(NOW)
    assert [doc[t] for t in ("people", "commitments", "promises", "entries", "repairs",
                             "reviews")] == [[]] * 6


def test_json_keeps_fields_from_a_newer_version(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.json")
    with journal.transaction(NOW) as tx:
        tx.add(Person(1, "Ada", NOW, extra={"pronouns": "she/her"}))
    doc = journal.export_document(NOW)
    assert doc["people"][0]["pronouns"] == "she/her"


# --- csv ----------------------------------------------------------------------------------


def test_csv_is_one_row_per_promise_under_a_header(demo: Ledger) -> None:
    rows = list(csv.reader(io.StringIO(export(demo, "csv", NOW, BERLIN))))
    assert rows[0] == list(CSV_COLUMNS)
    assert len(rows) == 1 + len(demo.promises)
    by_id = {row[0]: dict(zip(CSV_COLUMNS, row, strict=True)) for row in rows[1:]}
    assert by_id["15"]["outcome"] == "overdue" and by_id["15"]["closed_at"] == ""
    assert by_id["15"]["commitment"] == "1"
    assert by_id["3"]["outcome"] == "kept late" and by_id["3"]["commitment"] == ""
    assert by_id["7"]["renegotiations"] == "1"


def test_csv_quotes_what_needs_quoting() -> None:
    rows = list(csv.reader(io.StringIO(export(tricky_ledger(), "csv", NOW, BERLIN),
                                       newline="")))
    assert len(rows) == 2 and rows[1][2] == 'send "numbers", risks; and\nthe plan, é'
    assert rows[1][1] == "Ada, Quinn; Jr"
    assert export(Ledger(), "csv", NOW, BERLIN).splitlines() == [",".join(CSV_COLUMNS)]


# --- md -----------------------------------------------------------------------------------


def test_markdown_report_by_person_with_overdue_first(demo: Ledger) -> None:
    md = export(demo, "md", NOW, BERLIN)
    names = [line[3:] for line in md.splitlines() if line.startswith("## ")]
    assert names == sorted(p.name for p in demo.people.values())
    marcus = md[md.index("## Marcus Oyelaran"):md.index("## Sam Iqbal")]
    open_part = marcus[marcus.index("### Open promises"):marcus.index("### Closed promises")]
    assert open_part.index("**OVERDUE** #15") < open_part.index("#19 ")
    assert "- #1 send Marcus the ledger export hand-off notes — broken" in marcus
    assert "**Stance:** skeptic" in marcus
    assert "### Recent entries" in marcus and "feedback received" in marcus


def test_markdown_of_an_empty_journal_and_a_bare_person() -> None:
    assert export(Ledger(), "md", NOW, BERLIN).startswith("# trustjournal — Wed 25 Nov 2026")
    md = export(Ledger(people={1: Person(1, "Ada Quinn", NOW)}), "md", NOW, BERLIN)
    assert "## Ada Quinn" in md and md.count("_None._") == 5


# --- ics ----------------------------------------------------------------------------------


def test_ics_parses_back_with_crlf_and_one_todo_per_open_promise(demo: Ledger) -> None:
    text = export(demo, "ics", NOW, BERLIN)
    assert text.count("\n") == text.count("\r\n")
    cal = Calendar.from_ical(text)
    assert str(cal["prodid"]) == "-//trustjournal//EN" and str(cal["version"]) == "2.0"
    todos = cal.walk("VTODO")
    # The series' upcoming occurrence is the first instance of the series' own VTODO.
    recurring = [t for t in todos if str(t["uid"]) == "series-1@trustjournal"]
    assert len(recurring) == 1 and str(recurring[0]["rrule"].to_ical().decode()) == \
        "FREQ=WEEKLY;BYDAY=MO"
    todos = [t for t in todos if t not in recurring and str(t["status"]) == "NEEDS-ACTION"]
    open_ = [p for p in demo.open_promises() if p.series_id is None]
    assert len(todos) == len(open_)
    for todo, p in zip(todos, open_, strict=True):
        assert str(todo["uid"]) == f"promise-{p.id}@trustjournal"
        assert str(todo["summary"]) == f"{p.text} (to {demo.name_of(p.person_id)})"
        assert todo.decoded("due") == p.due and todo.decoded("due").tzinfo is not None
        assert str(todo["status"]) == "NEEDS-ACTION"
        assert todo.decoded("dtstamp") == NOW
    replay = next(t for t in todos if str(t["uid"]) == "promise-15@trustjournal")
    assert "OVERDUE" in str(replay["description"])


def test_ics_milestones_are_upcoming_all_day_events_with_stable_uids(demo: Ledger) -> None:
    events = Calendar.from_ical(export(demo, "ics", NOW, BERLIN)).walk("VEVENT")
    milestones = [e for e in events if str(e["uid"]).startswith("milestone-")]
    summaries = {str(e["summary"]) for e in milestones}
    assert "on-call load halved (Dana Whitfield's milestone)" in summaries
    assert "beta data replayed (my commitment to Marcus Oyelaran)" in summaries
    reached = {s for s in summaries if s.startswith("✓ ")}
    # Reached in the last 30 days: they come back marked reached, so a calendar updates them.
    assert any("runbooks" in s and "reached" in s for s in reached)
    for e in milestones:
        start = e.decoded("dtstart")
        assert type(start) is date
        assert start >= NOW.date() or str(e["summary"]) in reached
        assert int(e["sequence"]) == (1 if str(e["summary"]) in reached else 0)
    again = Calendar.from_ical(export(demo, "ics", NOW + timedelta(days=1), BERLIN))
    uids = {str(e["uid"]) for e in milestones}
    assert uids <= {str(e["uid"]) for e in again.walk("VEVENT")}
    assert len(uids) == len(milestones)


def test_ics_stays_true_when_a_promise_is_kept(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.json")
    with journal.transaction(NOW) as tx:
        ada = tx.add(Person(0, "Ada", NOW))
        made = tx.add(Promise.make(text="send it", person_id=ada.id, made_at=NOW,
                                   due=NOW + timedelta(days=2), zone="Europe/Berlin"))
    first = Calendar.from_ical(export(journal.load(), "ics", NOW, BERLIN))
    [todo] = first.walk("VTODO")
    assert str(todo["status"]) == "NEEDS-ACTION" and int(todo["sequence"]) == 0
    [alarm] = todo.walk("VALARM")
    assert alarm.decoded("trigger") == -timedelta(hours=1) and str(alarm["action"]) == "DISPLAY"
    later = NOW + timedelta(days=1)
    with journal.transaction(later) as tx:
        tx.save(tx.get(PROMISES, made.id).kept(later))
    second = Calendar.from_ical(export(journal.load(), "ics", later, BERLIN))
    [done] = second.walk("VTODO")
    assert str(done["uid"]) == str(todo["uid"])
    assert str(done["status"]) == "COMPLETED" and done.decoded("completed") == later
    assert int(done["sequence"]) == 1 and done.decoded("last-modified") == later
    assert done.walk("VALARM") == []
    # A month on, it is no longer sent at all.
    gone = Calendar.from_ical(export(journal.load(), "ics", later + timedelta(days=31), BERLIN))
    assert gone.walk("VTODO") == []


def test_ics_broken_is_cancelled_and_the_reminder_follows_the_setting(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.json")
    with journal.transaction(NOW) as tx:
        ada = tx.add(Person(0, "Ada", NOW))
        one = tx.add(Promise.make(text="one", person_id=ada.id, made_at=NOW,
                                  due=NOW + timedelta(days=2), zone="UTC"))
        tx.add(Promise.make(text="two", person_id=ada.id, made_at=NOW,
                            due=NOW + timedelta(days=3), zone="UTC"))
        tx.save(tx.get(PROMISES, one.id).broken(NOW, "said no in time"))
    cal = Calendar.from_ical(export(journal.load(), "ics", NOW, BERLIN,
                                    reminder=timedelta(minutes=30)))
    by_summary = {str(t["summary"]): t for t in cal.walk("VTODO")}
    assert str(by_summary["one (to Ada)"]["status"]) == "CANCELLED"
    assert by_summary["two (to Ada)"].walk("VALARM")[0].decoded("trigger") == \
        -timedelta(minutes=30)
    silent = Calendar.from_ical(export(journal.load(), "ics", NOW, BERLIN,
                                       reminder=timedelta(0)))
    assert all(t.walk("VALARM") == [] for t in silent.walk("VTODO"))


def test_an_overdue_check_in_is_today_not_in_the_past() -> None:
    person = Person(1, "Ada", NOW - timedelta(days=30), checkin="weekly")
    events = Calendar.from_ical(export(Ledger(people={1: person}), "ics", NOW, BERLIN)
                                ).walk("VEVENT")
    [checkin] = events
    assert checkin.decoded("dtstart") == NOW.date() and "(overdue)" in str(checkin["summary"])
    assert "Due since" in str(checkin["description"])


def test_a_second_parser_reads_every_item_alike(demo_journal: Journal) -> None:
    import vobject

    text = export(demo_journal.load(), "ics", NOW, BERLIN)
    ours = Calendar.from_ical(text)
    theirs = vobject.readOne(text)
    for name, kind in (("vtodo", "VTODO"), ("vevent", "VEVENT")):
        parsed = {c.uid.value: c for c in theirs.contents.get(name, [])}
        expected = {str(c["uid"]): c for c in ours.walk(kind)}
        assert set(parsed) == set(expected) and parsed
        for uid, component in parsed.items():
            assert component.summary.value == str(expected[uid]["summary"])
            assert int(component.sequence.value) == int(expected[uid]["sequence"])
            assert component.contents.get("last-modified")


def test_ics_has_each_next_check_in_for_half_an_hour(demo: Ledger) -> None:
    events = Calendar.from_ical(export(demo, "ics", NOW, BERLIN)).walk("VEVENT")
    checkins = {str(e["uid"]): e for e in events if str(e["uid"]).startswith("checkin-")}
    assert set(checkins) == {f"checkin-{pid}@trustjournal" for pid in demo.people}
    dana = checkins["checkin-1@trustjournal"]
    assert str(dana["summary"]) == "Check-in with Dana Whitfield"
    # weekly on mon, a week after the Wed 18 Nov 16:30 check-in: Mon 30 Nov 16:30
    assert dana.decoded("dtstart") == datetime(2026, 11, 30, 15, 30, tzinfo=UTC)
    assert dana.decoded("dtend") - dana.decoded("dtstart") == timedelta(minutes=30)


def test_ics_text_with_commas_semicolons_and_newlines_round_trips() -> None:
    ledger = tricky_ledger()
    text = export(ledger, "ics", NOW, BERLIN)
    assert "\\," in text and "\\;" in text and "\\n" in text
    todo = Calendar.from_ical(text).walk("VTODO")[0]
    assert str(todo["summary"]) == 'send "numbers", risks; and\nthe plan, é (to Ada, Quinn; Jr)'
    checkin = Calendar.from_ical(text).walk("VEVENT")[0]
    assert str(checkin["summary"]) == "Check-in with Ada, Quinn; Jr"


def test_ics_of_an_empty_journal_parses() -> None:
    cal = Calendar.from_ical(export(Ledger(), "ics", NOW, BERLIN))
    assert cal.walk("VTODO") == [] and cal.walk("VEVENT") == []


def test_ics_skips_undated_and_past_milestones() -> None:
    goal = Goal("Ship Foo", (Milestone("undated"), Milestone("past", date(2026, 11, 1)),
                             Milestone("today", NOW.date())))
    ledger = Ledger(people={1: Person(1, "Ada", NOW, goals=(goal,))})
    events = Calendar.from_ical(export(ledger, "ics", NOW, BERLIN)).walk("VEVENT")
    assert [str(e["summary"]) for e in events] == ["today (Ada's milestone)"]


def test_icalendar_is_imported_only_for_ics() -> None:
    code = ("import sys, trustjournal.export as e; "
            "assert 'icalendar' not in sys.modules, 'imported eagerly'")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=30)
