"""The command line under attack (issue 13): FIFOs at the journal's or a backup's path, pinned
clocks out of range, dates that overflow, bad zone names, text that looks like an option,
links planted in backups/, a folder others can write to.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.cli.conftest import Cli
from tests.conftest import FROZEN_NOW
from trustjournal.cli import run

PROMISE = ("promise", "send the numbers", "--to", "dana", "--due", "fri")


def tj(journal: Path, *argv: str, env: dict[str, str] | None = None,
       timeout: float = 30) -> subprocess.CompletedProcess[str]:
    """The real command in its own process, so a hang is a timeout, not a stuck test run."""
    return subprocess.run(
        [sys.executable, "-m", "trustjournal", "--db", str(journal), *argv],
        capture_output=True, text=True, timeout=timeout,
        env={**os.environ, "TRUSTJOURNAL_NOW": "2026-11-25T10:00:00+01:00", **(env or {})},
    )


def one_line(err: str) -> bool:
    return err.count("\n") == 1 and "Traceback" not in err


# --- 7. FIFOs --------------------------------------------------------------------------------


@pytest.mark.parametrize("argv", [("list",), ("due",), PROMISE, ("doctor",)])
def test_a_fifo_at_the_journal_path_is_one_line_not_a_hang(
    journal_path: Path, argv: tuple[str, ...]
) -> None:
    journal_path.parent.mkdir(parents=True)
    os.mkfifo(journal_path)
    done = tj(journal_path, *argv)
    assert done.returncode == 1 and one_line(done.stderr), done.stderr
    assert "named pipe (FIFO), not a journal file" in done.stderr


def test_restore_from_a_fifo_is_refused_not_a_hang(dana: Cli, journal_path: Path,
                                                   tmp_path: Path) -> None:
    pipe = tmp_path / "backup.json"
    os.mkfifo(pipe)
    done = tj(journal_path, "restore", str(pipe))
    assert done.returncode == 1 and one_line(done.stderr), done.stderr


# --- 8. instants out of range ----------------------------------------------------------------


@pytest.mark.parametrize("pinned", ["9999-12-31T23:59:59+00:00", "0001-01-01T00:00:00+00:00"])
@pytest.mark.parametrize("argv", [("due",), ("list",), PROMISE])
def test_a_pinned_clock_out_of_range_is_one_line(
    dana: Cli, journal_path: Path, monkeypatch: pytest.MonkeyPatch, pinned: str,
    argv: tuple[str, ...]
) -> None:
    monkeypatch.setenv("TRUSTJOURNAL_NOW", pinned)
    out, err = io.StringIO(), io.StringIO()
    code = run(["--db", str(journal_path), *argv], stdout=out, stderr=err)
    assert code == 2 and one_line(err.getvalue()), err.getvalue()
    assert "out of range" in err.getvalue() and "e.g. 2026-11-25T10:00:00+01:00" in err.getvalue()


def test_the_app_refuses_a_pinned_clock_out_of_range(journal_path: Path) -> None:
    done = tj(journal_path, env={"TRUSTJOURNAL_NOW": "9999-12-31T23:59:59+00:00"})
    assert done.returncode == 2 and one_line(done.stderr) and "out of range" in done.stderr


@pytest.mark.parametrize("argv", [("due",), ("list",), ("due", "--json")])
def test_an_overflow_inside_a_command_is_one_line(dana: Cli, journal_path: Path,
                                                  argv: tuple[str, ...]) -> None:
    dana(*PROMISE)
    out, err = io.StringIO(), io.StringIO()
    # An instant passed in directly skips the TRUSTJOURNAL_NOW check: whatever overflows in
    # the command must still end as one line.
    code = run(["--db", str(journal_path), *argv],
               now=datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC), stdout=out, stderr=err)
    assert code == 1 and one_line(err.getvalue()), err.getvalue()
    assert "out of the range" in err.getvalue()


# --- 14. a bad zone name, text that starts with a dash ---------------------------------------


@pytest.mark.parametrize("variable", ["TRUSTJOURNAL_TZ", "TZ"])
def test_an_invalid_zone_is_said_once(dana: Cli, journal_path: Path,
                                      monkeypatch: pytest.MonkeyPatch, variable: str) -> None:
    monkeypatch.delenv("TZ", raising=False)
    monkeypatch.setenv(variable, "Mars/Olympus")
    out, err = io.StringIO(), io.StringIO()
    code = run(["--db", str(journal_path), "list"], now=FROZEN_NOW, stdout=out, stderr=err)
    lines = err.getvalue().splitlines()
    assert code == 0
    assert len(lines) == 1 and f"{variable}='Mars/Olympus' is not a time zone" in lines[0]
    assert "using" in lines[0]


def test_a_valid_zone_says_nothing(dana: Cli, journal_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRUSTJOURNAL_TZ", "Asia/Tokyo")
    err = io.StringIO()
    assert run(["--db", str(journal_path), "list"], now=FROZEN_NOW, stdout=io.StringIO(),
               stderr=err) == 0
    assert err.getvalue() == ""


@pytest.mark.parametrize("text", [("-2+3",), ("-2+3", "is", "five"), ("-10%", "on", "the", "bill")])
def test_text_starting_with_a_dash_and_a_digit_is_text(dana: Cli, text: tuple[str, ...]) -> None:
    done = dana("promise", *text, "--to", "dana", "--due", "fri")
    assert done.code == 0, done.err
    listed = dana("list")
    assert " ".join(text) in listed.out


def test_an_unknown_option_is_still_refused(dana: Cli) -> None:
    done = dana("promise", "x", "-z", "--to", "dana", "--due", "fri")
    assert done.code == 2 and "-z" in done.err


# --- 11. planted links, folders others can write ---------------------------------------------


def test_doctor_fix_never_writes_through_a_link_in_backups(
    dana: Cli, journal_path: Path, tmp_path: Path
) -> None:
    import json

    data = json.loads(journal_path.read_text())
    data["meta"]["1"]["next_id"] = {}  # a problem doctor --fix mends
    journal_path.write_text(json.dumps(data))
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    folder = journal_path.parent / "backups"
    folder.mkdir(mode=0o700, exist_ok=True)
    day = FROZEN_NOW.date().isoformat()
    os.symlink(victim, folder / f"journal.{day}-before-fix.json")
    done = dana("doctor", "--fix")
    assert victim.read_text() == "precious\n"
    assert not (folder / f"journal.{day}-before-fix.json").is_symlink()
    assert "Backup of the journal before mending" in done.out


def test_a_folder_others_can_write_gets_one_warning(dana: Cli, journal_path: Path) -> None:
    os.chmod(journal_path.parent, 0o777)
    try:
        done = dana("list")
        assert done.code == 0
        lines = done.err.splitlines()
        assert len(lines) == 1 and "can be written by other users" in lines[0]
        assert str(journal_path.parent) in lines[0]
        # An error keeps its one line.
        refused = dana("kept", "99")
        assert refused.code == 1 and one_line(refused.err)
        assert "other users" not in refused.err
    finally:
        os.chmod(journal_path.parent, 0o700)
    assert dana("list").err == ""
