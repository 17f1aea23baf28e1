"""The record layer from the shell: the model's commands, doctor, export and import, on a journal
holding every table and field."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from tests.cli.conftest import Cli
from tests.full import build_full_journal


def test_a_repair_survives_doctor_fix(cli: Cli, journal_path: Path) -> None:
    assert cli("person", "add", "Ann Lee").code == 0
    assert cli("repair", "ann", "missed the hand-off", "--cause", "communication").code == 0
    checked = cli("doctor")
    assert checked.code == 0 and "healthy" in checked.out, checked.out
    before = journal_path.read_bytes()
    fixed = cli("doctor", "--fix")
    assert fixed.code == 0 and journal_path.read_bytes() == before
    assert "1 × communication breakdown" in cli("insights").out


@pytest.fixture
def full(journal_path: Path, now: datetime) -> Path:
    build_full_journal(journal_path, now)
    return journal_path


def test_whole_journal_commands_on_the_full_journal(cli: Cli, full: Path, tmp_path: Path) -> None:
    before = full.read_bytes()
    doctor = cli("doctor")
    assert doctor.code == 0 and "healthy (28 records checked)" in doctor.out, doctor.out
    assert cli("doctor", "--fix").code == 0 and full.read_bytes() == before
    for fmt in ("json", "csv", "md", "ics"):
        result = cli("export", "--format", fmt)
        assert result.code == 0 and result.out, fmt
    assert full.read_bytes() == before
    exported = cli("export", "--format", "json").out
    document = json.loads(exported)
    assert {"people", "promises", "commitments", "entries", "repairs", "reviews", "meta",
            "schema"} <= set(document)
    source = tmp_path / "export.json"
    source.write_text(exported)
    other = tmp_path / "other.json"
    imported = cli("--db", str(other), "import", str(source))
    assert imported.code == 0 and "Imported 28 records" in imported.out
    assert cli("--db", str(other), "export", "--format", "json").out == exported
    refused = cli("import", str(source))
    assert refused.code == 1 and "already holds 28 records" in refused.err
    assert refused.err.count("\n") == 1 and full.read_bytes() == before
    restored = cli("--db", str(other), "restore", str(source))
    assert restored.code == 0 and "Kept the current journal" in restored.out
    assert cli("--db", str(other), "export", "--format", "json").out == exported


def test_person_edit_and_trust_links(dana: Cli, journal_path: Path) -> None:
    assert dana("person", "add", "Helen Brandt").code == 0
    assert dana("person", "add", "Priya Raman").code == 0
    edited = dana("person", "edit", "dana", "--role", "VP Platform", "--leader", "priya",
                  "--needs", "no surprises", "--notes", "line one", "--checkin", "weekly")
    assert edited.code == 0
    assert edited.out == "Updated Dana Whitfield: role, needs, notes, leader, check-in.\n"
    assert dana("person", "trusts", "dana", "helen").out == "Dana Whitfield trusts Helen Brandt.\n"
    shown = dana("person", "show", "dana").out
    assert "VP Platform" in shown and "Their leader: Priya Raman" in shown
    assert "Trusts: Helen Brandt" in shown and "Needs from you: no surprises" in shown
    assert "Trusted by: Dana Whitfield" in dana("person", "show", "helen").out
    stored = json.loads(journal_path.read_text())["people"]["1"]
    assert stored["leader_id"] == 3 and stored["trusts"] == [2]
    assert dana("person", "edit", "dana", "--leader", "Someone Outside").code == 0
    assert "Their leader: Someone Outside" in dana("person", "show", "dana").out
    assert dana("person", "trusts", "dana", "helen", "--remove").code == 0
    assert "Trusts:" not in dana("person", "show", "dana").out


def test_goals_and_milestones(dana: Cli, journal_path: Path) -> None:
    assert dana("goal", "add", "dana", "Project Foo ships", "--due", "may 30",
                "--milestone", "beta@dec 15").code == 0
    assert dana("milestone", "add", "dana", "foo", "design review", "--due", "dec 1").code == 0
    reached = dana("milestone", "reached", "dana", "foo", "design")
    assert reached.out == ('Milestone "design review" of the goal "Project Foo ships": reached '
                           "on 2026-11-25.\n")
    shown = dana("person", "show", "dana").out
    assert "Project Foo ships (due 2027-05-30)" in shown
    assert "design review (reached 2026-11-25)" in shown and "beta (2026-12-15)" in shown
    assert dana("milestone", "unreach", "dana", "foo", "design").code == 0
    assert dana("milestone", "edit", "dana", "foo", "beta", "--to", "public beta",
                "--due", "none").code == 0
    assert "public beta (no date)" in dana("person", "show", "dana").out
    assert dana("goal", "edit", "dana", "foo", "--to", "Foo ships in June").code == 0
    assert dana("milestone", "remove", "dana", "foo", "public").code == 0
    goals = json.loads(journal_path.read_text())["people"]["1"]["goals"]
    assert goals == [{"name": "Foo ships in June", "due": "2027-05-30",
                      "milestones": [{"name": "design review", "due": "2026-12-01",
                                      "reached": None}]}]
    assert dana("goal", "remove", "dana", "foo").code == 0
    assert json.loads(journal_path.read_text())["people"]["1"]["goals"] == []


def test_commitment_lifecycle_and_its_milestones(dana: Cli, journal_path: Path) -> None:
    assert dana("goal", "add", "dana", "Reliability").code == 0
    assert dana("commitment", "add", "dana", "cut", "my", "pages").code == 0
    assert dana("milestone", "add", "--commitment", "1", "half the pages").code == 0
    assert dana("milestone", "reached", "--commitment", "1", "half").code == 0
    assert dana("commitment", "edit", "1", "--goal", "rel", "--measure", "pages/week").code == 0
    assert dana("commitment", "done", "1").out == "Commitment #1 done: cut my pages\n"
    again = dana("commitment", "done", "1")
    assert again.code == 1 and "already done" in again.err
    assert dana("commitment", "reopen", "1").code == 0
    dropped = dana("commitment", "drop", "1", "--why", "they", "moved", "the", "launch")
    assert dropped.code == 0
    stored = json.loads(journal_path.read_text())["commitments"]["1"]
    assert stored["status"] == "dropped" and stored["why"] == "they moved the launch"
    assert stored["goal"] == "Reliability" and stored["milestones"][0]["reached"] == "2026-11-25"
    listed = json.loads(dana("commitment", "list", "--json").out)
    assert listed[0]["id"] == 1 and listed[0]["status"] == "dropped" and listed[0]["uid"]


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["person", "edit", "dana"], "say what to change"),
        (["person", "edit", "dana", "--role", "a\nb"], "role holds newline"),
        (["person", "edit", "dana", "--checkin", "sometimes"], "cadence"),
        (["person", "edit", "nobody", "--role", "x"], "no one called"),
        (["person", "trusts", "dana", "dana"], "other people"),
        (["goal", "add", "dana", "  "], "a goal needs words"),
        (["goal", "edit", "dana", "nothing", "--due", "fri"], 'no goal "nothing"'),
        (["goal", "remove", "dana", "zzz"], "no goal"),
        (["milestone", "reached", "dana", "foo"], "takes NAME GOAL MILESTONE"),
        (["milestone", "reached", "dana", "foo", "nope"], "no milestone"),
        (["milestone", "reached", "dana", "foo", "beta", "--at", "next fri"], "in the future"),
        (["milestone", "add", "dana", "foo", "beta"], "already has a milestone"),
        (["milestone", "add", "--commitment", "9", "x"], "no commitment #9"),
        (["commitment", "drop", "1", "--why", " "], "say why"),
        (["commitment", "edit", "1"], "say what to change"),
        (["promise", "\x1b[31mRED alert", "--to", "dana", "--due", "fri"], "ESC (U+001B)"),
        (["promise", "look \u202eright", "--to", "dana", "--due", "fri"], "U+202E"),
        (["log", "dana", "note", "bell\x07"], "BEL (U+0007)"),
        (["person", "add", "Bob\x1b]0;x\x07"], "ESC"),
        (["import", "/nonexistent/export.json"], "there is no file"),
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(dana: Cli, journal_path: Path, argv: list[str],
                                                   says: str) -> None:
    dana("goal", "add", "dana", "Project Foo", "--milestone", "beta@dec 15")
    dana("commitment", "add", "dana", "weekly risk review")
    before = journal_path.read_bytes()
    result = dana(*argv)
    assert result.code == 1, result
    assert says in result.err and result.err.count("\n") == 1, result.err
    assert "Traceback" not in result.err and journal_path.read_bytes() == before


def test_import_of_a_file_that_is_not_an_export(cli: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    for content, says in (("{nope", "does not parse"), ('{"a": 1}', "not a trustjournal export")):
        bad.write_text(content)
        result = cli("import", str(bad))
        assert result.code == 1 and says in result.err and result.err.count("\n") == 1


def test_feedback_acted_on_answers_the_feedback_it_acts_on(cli: Cli, journal_path: Path) -> None:
    assert cli("person", "add", "Ann Lee").code == 0
    before = journal_path.read_bytes()
    none_yet = cli("log", "ann", "feedback-acted-on", "numbers first now")
    assert none_yet.code == 1 and "no feedback from Ann Lee to act on yet" in none_yet.err
    assert "Traceback" not in none_yet.err and journal_path.read_bytes() == before
    assert cli("log", "ann", "feedback-received", "lead with the numbers").code == 0
    acted = cli("log", "ann", "feedback-acted-on", "status notes lead with the numbers")
    assert acted.code == 0 and "answers #" in acted.out
    entries = json.loads(journal_path.read_text())["entries"]
    feedback = next(k for k, e in entries.items() if e["kind"] == "feedback-received")
    answer = next(e for e in entries.values() if e["kind"] == "feedback-acted-on")
    assert answer["answers"] == int(feedback)
    before = journal_path.read_bytes()
    wrong = cli("log", "ann", "note", "a note", "--answers", feedback)
    assert wrong.code == 1 and "only a feedback-acted-on entry answers" in wrong.err
    assert journal_path.read_bytes() == before


def test_progress_against_a_commitments_measure(cli: Cli, journal_path: Path) -> None:
    assert cli("person", "add", "Ann Lee").code == 0
    assert cli("commitment", "add", "ann", "own the nightly run", "--measure",
               "green 5 nights in a row").code == 0
    noted = cli("commitment", "progress", "1", "green", "3", "nights")
    assert noted.code == 0 and "measured by green 5 nights in a row" in noted.out
    (commitment,) = json.loads(journal_path.read_text())["commitments"].values()
    assert [p["text"] for p in commitment["progress"]] == ["green 3 nights"]
    assert cli("commitment", "drop", "1", "--why", "moved teams").code == 0
    before = journal_path.read_bytes()
    late = cli("commitment", "progress", "1", "green", "4", "nights")
    assert late.code == 1 and "already dropped" in late.err and "Traceback" not in late.err
    assert journal_path.read_bytes() == before
