"""--json on every command that prints data, each shape as the README documents it."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.conftest import Cli


def _demo(cli: Cli) -> None:
    assert cli("demo").code == 0


def test_insights_json(cli: Cli) -> None:
    _demo(cli)
    cli("repair", "marcus", "dropped the hand-off", "--cause", "communication")
    found = json.loads(cli("insights", "--json").out)
    assert set(found) == {"follow_through", "causes", "failing_kinds", "late_renegotiations"}
    assert {"cause": "communication breakdown", "count": 1} in found["causes"]
    assert set(found["follow_through"]) == {"last_30", "last_90", "streak", "weekly"}
    assert all(set(r) == {"person", "name", "count"} for r in found["late_renegotiations"])


def test_update_and_brief_json(cli: Cli, journal_path: Path) -> None:
    _demo(cli)
    draft = json.loads(cli("update", "marcus", "--json").out)
    assert draft["name"] == "Marcus Oyelaran" and draft["sent"] is False
    assert draft["words"] == len(draft["text"].split()) or draft["words"] > 0
    assert isinstance(draft["fits"], bool) and draft["budget"] > 0
    before = journal_path.read_bytes()
    assert journal_path.read_bytes() == before
    sent = json.loads(cli("update", "marcus", "--json", "--sent").out)
    assert sent["sent"] is True
    brief = json.loads(cli("brief", "dana", "--json").out)
    assert brief["person"] == 1 and brief["markdown"].startswith("#")


def test_doctor_and_restore_json(cli: Cli, journal_path: Path) -> None:
    empty = json.loads(cli("doctor", "--json").out)
    assert empty["exists"] is False and empty["healthy"] is True
    _demo(cli)
    healthy = json.loads(cli("doctor", "--json").out)
    assert healthy["healthy"] is True and healthy["problems"] == [] and healthy["records"] > 30
    data = json.loads(journal_path.read_text())
    data["promises"]["3"]["to"] = 99
    journal_path.write_text(json.dumps(data))
    sick = cli("doctor", "--json")
    report = json.loads(sick.out)
    assert sick.code == 1 and report["healthy"] is False
    assert report["problems"][0]["where"] == "promises #3"
    fixed = cli("doctor", "--fix", "--json")
    mended = json.loads(fixed.out)
    assert fixed.code == 0 and mended["healthy"] is True and mended["left"] == []
    assert "added placeholder person #99" in mended["fixed"] and mended["backup"]
    backups = json.loads(cli("restore", "--json").out)
    assert backups and {"label", "day", "size", "path"} == set(backups[0])
    restored = json.loads(cli("restore", backups[0]["path"], "--json").out)
    assert restored["from"] == backups[0]["path"] and restored["kept"]


def test_doctor_reports_a_temp_file_left_in_backups(cli: Cli, journal_path: Path) -> None:
    _demo(cli)
    cli("person", "add", "Someone New")  # makes today's backup, so backups/ exists
    stray = journal_path.parent / "backups" / f".{journal_path.stem}.2026-11-25.json.tmp-12345"
    stray.write_bytes(b"x" * 10)
    report = cli("doctor", "--json")
    problems = json.loads(report.out)["problems"]
    assert report.code == 1 and any(str(stray) in p["what"] and p["fix"] for p in problems)
    assert cli("doctor", "--fix").code == 0 and not stray.exists()
    assert cli("doctor").code == 0


def test_restore_refuses_a_typed_path_planted_by_someone_else(cli: Cli, journal_path: Path,
                                                               tmp_path: Path) -> None:
    import os
    import shutil

    import pytest

    _demo(cli)
    before = journal_path.read_bytes()
    link = tmp_path / "link.json"
    copy = tmp_path / "copy.json"
    shutil.copy(journal_path, copy)
    link.symlink_to(copy)
    refused = cli("restore", str(link))
    assert refused.code == 1 and "not a backup" in refused.err and refused.err.count("\n") == 1
    if os.getuid() != 0:
        pytest.skip("giving a file to another user needs root")
    os.chown(copy, 12345, 12345)
    foreign = cli("restore", str(copy))
    assert foreign.code == 1 and "owned by another user" in foreign.err
    assert journal_path.read_bytes() == before


def test_restore_refuses_what_is_not_a_journal_and_changes_nothing(cli: Cli, journal_path: Path,
                                                                    tmp_path: Path) -> None:
    _demo(cli)
    before = journal_path.read_bytes()
    for content, says in ((b"[1, 2]", "should hold a JSON object"), (b"{nope", "not valid JSON"),
                          (b'{"people": {}}', "no meta record")):
        bad = tmp_path / "bad.json"
        bad.write_bytes(content)
        result = cli("restore", str(bad))
        assert result.code == 1 and says in result.err and result.err.count("\n") == 1, result
        assert journal_path.read_bytes() == before
