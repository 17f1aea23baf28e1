"""The commands that keep people in the loop and look after the journal file."""

from __future__ import annotations

import json
import shutil
import stat
from datetime import timedelta
from pathlib import Path

from icalendar import Calendar

from tests.cli.conftest import Cli
from tests.conftest import FROZEN_NOW
from trustjournal.storage.journal import SCHEMA_VERSION

FIXTURES = Path(__file__).parent.parent / "fixtures"


def demo(cli: Cli) -> None:
    assert cli("demo").code == 0


def test_update_prints_the_draft_and_can_log_it_sent(cli: Cli, journal_path: Path) -> None:
    demo(cli)
    draft = cli("update", "marcus")
    assert draft.code == 0
    assert draft.out.startswith("Project Foo: payments migration ships in May")
    assert "Late: replay last month's data" in draft.out
    assert "words; fits the fifteen-second budget" in draft.err
    sent = cli("update", "marcus", "--sent")
    assert "Logged the update as sent" in sent.err
    entries = json.loads(journal_path.read_text())["entries"].values()
    assert any(e["kind"] == "update-sent" and e["person"] == 2 for e in entries)


def test_brief_is_markdown_for_the_check_in(cli: Cli) -> None:
    demo(cli)
    brief = cli("brief", "dana").out
    assert brief.startswith("# Check-in with Dana Whitfield")
    assert "Platform reliability to 99.9%" in brief


def test_export_formats(cli: Cli, tmp_path: Path) -> None:
    demo(cli)
    everything = json.loads(cli("export", "--format", "json").out)
    assert len(everything["promises"]) == 23 and len(everything["people"]) == 6
    rows = cli("export", "--format", "csv").out.strip().splitlines()
    assert len(rows) == 1 + 23
    ics = tmp_path / "trust.ics"
    assert cli("export", "--format", "ics", "-o", str(ics)).code == 0
    calendar = Calendar.from_ical(ics.read_bytes())
    todos = [c for c in calendar.walk("VTODO") if str(c["status"]) == "NEEDS-ACTION"]
    assert len(todos) == len(json.loads(cli("list", "--json").out))
    closed = [c for c in calendar.walk("VTODO") if str(c["status"]) != "NEEDS-ACTION"]
    assert closed and all(str(c["status"]) in ("COMPLETED", "CANCELLED") for c in closed)
    assert stat.S_IMODE(ics.stat().st_mode) == 0o600
    assert cli("export", "--format", "xml").code == 2
    folder = cli("export", "--format", "md", "-o", str(tmp_path))
    assert folder.code == 1 and "is a folder" in folder.err


def test_repair_and_insights(cli: Cli, journal_path: Path) -> None:
    demo(cli)
    made = cli("repair", "marcus", "dropped", "the", "hand-off", "--cause", "comm",
               "--promise", "1")
    assert made.code == 0 and "cause: communication breakdown" in made.out
    before = journal_path.read_bytes()
    wrong = cli("repair", "marcus", "x", "--cause", "bad luck")
    assert wrong.code == 1 and "not a cause" in wrong.err and journal_path.read_bytes() == before
    other = cli("repair", "dana", "x", "--promise", "1")
    assert other.code == 1 and "someone else" in other.err
    cli("log", "marcus", "apology", "for the dropped hand-off")
    shown = cli("person", "show", "marcus").out
    assert "Repair #1: dropped the hand-off" in shown
    assert "[x] apologised" in shown and "[ ] plan shared" in shown
    found = cli("insights").out
    assert "1 × communication breakdown" in found and "with Tom Reyes" in found


def test_doctor_finds_and_mends_without_losing_anything(cli: Cli, journal_path: Path) -> None:
    demo(cli)
    assert cli("doctor").code == 0 and "healthy" in cli("doctor").out
    data = json.loads(journal_path.read_text())
    data["promises"]["3"]["to"] = 99              # a person who is not there
    data["promises"]["4"]["commitment"] = 77      # a commitment that is not there
    data["meta"]["1"]["next_id"]["promises"] = 2  # would reuse an id
    journal_path.write_text(json.dumps(data))
    journal_path.chmod(0o644)
    found = cli("doctor")
    assert found.code == 1 and "promises #3" in found.out and "--fix" in found.out
    assert "other users can read it" in found.out
    assert "can be read by other users" in cli("list").err
    fixed = cli("doctor", "--fix")
    assert fixed.code == 0, fixed.out
    assert "can be read by other users" not in fixed.err  # it was just mended
    mended = json.loads(journal_path.read_text())
    assert mended["people"]["99"]["name"] == "Unknown person #99"
    assert mended["promises"]["4"]["lost_commitment"] == 77
    assert len(mended["promises"]) == len(data["promises"])
    assert stat.S_IMODE(journal_path.stat().st_mode) == 0o600
    assert "Backup of the journal before mending" in fixed.out
    assert cli("doctor").code == 0


def test_backups_and_restore(cli: Cli, journal_path: Path) -> None:
    demo(cli)
    assert "No backups yet" in cli("restore").out
    cli("promise", "first today", "--to", "dana", "--due", "fri")
    cli("promise", "second today", "--to", "dana", "--due", "fri")
    listed = cli("restore").out
    assert "2026-11-25" in listed
    tomorrow = FROZEN_NOW + timedelta(days=1)
    cli("promise", "tomorrow's", "--to", "dana", "--due", "fri", at=tomorrow)
    backups = sorted((journal_path.parent / "backups").iterdir())
    assert len(backups) == 2
    assert all(stat.S_IMODE(b.stat().st_mode) == 0o600 for b in backups)
    restored = cli("restore", "2026-11-25", at=tomorrow)
    assert restored.code == 0 and "Kept the current journal" in restored.out
    texts = [p["text"] for p in json.loads(cli("list", "--json", at=tomorrow).out)]
    assert "first today" not in texts and "tomorrow's" not in texts  # the state before day one
    missing = cli("restore", "1999-01-01")
    assert missing.code == 1 and "no backup" in missing.err


def test_an_old_journal_is_read_then_migrated_with_a_backup(cli: Cli, journal_path: Path) -> None:
    journal_path.parent.mkdir(parents=True)
    shutil.copy(FIXTURES / "journal-v1.json", journal_path)
    shown = json.loads(cli("list", "--all", "--json").out)
    assert [p["text"] for p in shown] == ["send the Q3 numbers", "review the Foo plan"]
    # Reading changes nothing.
    assert json.loads(journal_path.read_text())["meta"]["1"]["schema"] == 1
    assert cli("kept", "2").code == 0
    data = json.loads(journal_path.read_text())
    assert data["meta"]["1"]["schema"] == SCHEMA_VERSION
    assert data["reviews"] == {} and data["repairs"] == {}
    assert data["people"]["2"]["trusts"] == [1] and data["entries"]["1"]["kind"] == "apology"
    uids = [doc["uid"] for name in ("people", "promises", "entries") for doc in data[name].values()]
    assert len(uids) == len(set(uids)) and all(len(uid) == 32 for uid in uids) and len(uids) > 3
    saved = list((journal_path.parent / "backups").glob(f"*before-v{SCHEMA_VERSION}*"))
    assert len(saved) == 1 and json.loads(saved[0].read_text())["meta"]["1"]["schema"] == 1


def test_a_command_parses_the_journal_once(cli: Cli, monkeypatch) -> None:
    """due and person show look at the file twice (promises, then entries or repairs)."""
    from trustjournal.storage import journal as journal_module

    demo(cli)
    parses = []
    real = journal_module.decode_journal
    monkeypatch.setattr(journal_module, "decode_journal",
                        lambda raw, path: parses.append(path) or real(raw, path))
    for argv in (("due",), ("person", "show", "marcus"), ("update", "dana", "--sent")):
        parses.clear()
        assert cli(*argv).code == 0
        assert len(parses) == 1, argv
