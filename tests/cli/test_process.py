"""The command line as a separate process: entry points, exit codes, and what it imports."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

NOW = "2026-11-25T10:00:00+01:00"


def tj(journal: Path, *argv: str, module: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TRUSTJOURNAL_NOW": NOW, "TZ": "Europe/Berlin"}
    env.pop("TRUSTJOURNAL_DB", None)
    cmd = [sys.executable, "-m", "trustjournal"] if module else ["trustjournal"]
    return subprocess.run(
        [*cmd, "--db", str(journal), *argv], capture_output=True, text=True, env=env, timeout=60
    )


def test_python_dash_m_and_the_script_behave_alike(journal_path: Path) -> None:
    assert tj(journal_path, "person", "add", "Dana Whitfield").returncode == 0
    by_module = tj(
        journal_path, "promise", "send the Q3 numbers", "--to", "dana", "--due", "fri 5pm"
    )
    assert by_module.stdout == "#1 to Dana Whitfield, due Fri 27 Nov 17:00\n"
    by_script = tj(journal_path, "list", module=False)
    assert by_script.returncode == 0 and "send the Q3 numbers" in by_script.stdout
    bad = tj(journal_path, "kept", "7", module=False)
    assert (bad.returncode, bad.stderr.count("\n")) == (1, 1)
    usage = tj(journal_path, "promise")
    assert usage.returncode == 2 and "Traceback" not in usage.stderr


PROBE = """
import os, runpy, sys
sys.argv = ["trustjournal", *sys.argv[1:]]
def _exit(status):  # a command ends the process with os._exit: look at what it imported first
    raise SystemExit(status)
os._exit = _exit
try:
    runpy.run_module("trustjournal", run_name="__main__")
except SystemExit:
    pass
heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("textual", "rich"))
print("HEAVY:" + ",".join(heavy), file=sys.stderr)
"""


@pytest.mark.parametrize(
    "argv",
    [
        ("person", "add", "Dana"),
        ("promise", "x", "--to", "dana", "--due", "fri"),
        ("list", "--all", "--json"),
        ("due",),
        ("kept", "1"),
    ],
)
def test_cli_commands_never_import_textual(journal_path: Path, argv: tuple[str, ...]) -> None:
    if argv[0] != "person":
        tj(journal_path, "person", "add", "Dana")
    if argv[0] == "kept":
        tj(journal_path, "promise", "x", "--to", "dana", "--due", "fri")
    env = {**os.environ, "TRUSTJOURNAL_NOW": NOW}
    result = subprocess.run(
        [sys.executable, "-c", PROBE, "--db", str(journal_path), *argv],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert "HEAVY:\n" in result.stderr, result.stderr


def test_domain_and_storage_never_import_textual() -> None:
    code = (
        "import sys, pkgutil, importlib, trustjournal.domain as d, trustjournal.storage as s\n"
        "for pkg in (d, s):\n"
        "    for m in pkgutil.iter_modules(pkg.__path__):\n"
        "        importlib.import_module(pkg.__name__ + '.' + m.name)\n"
        "import trustjournal.cli, trustjournal.cli.commands, trustjournal.demo\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == "[]", result.stderr


@pytest.mark.parametrize("argv", [(), ("review",)])
def test_without_a_terminal_the_app_is_not_opened(journal_path: Path, argv: tuple[str, ...]
                                                  ) -> None:
    env = {**os.environ, "TRUSTJOURNAL_NOW": NOW, "TZ": "Europe/Berlin"}
    result = subprocess.run(
        [sys.executable, "-m", "trustjournal", "--db", str(journal_path), *argv],
        stdin=subprocess.DEVNULL, capture_output=True, env=env, timeout=60,
    )
    assert result.returncode == 2
    assert result.stdout == b"" and b"\x1b" not in result.stderr
    line = result.stderr.decode()
    assert line.count("\n") == 1 and "no terminal here" in line and str(journal_path) in line
    assert not journal_path.exists()


def test_an_unsupported_system_gets_one_line_not_an_import_error(monkeypatch, capsys) -> None:
    from trustjournal import __main__

    monkeypatch.setattr(__main__.os, "name", "nt")
    assert __main__.main() == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Linux and macOS" in err and "WSL" in err


def test_a_command_from_the_shell_flushes_its_output_before_the_fast_exit(
    journal_path: Path,
) -> None:
    # A command leaves with os._exit (no interpreter clean-up): all it printed still arrives
    # through a pipe, the same as in-process, and `list | head` closing early is no error.
    import io
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from trustjournal.cli import run

    assert tj(journal_path, "demo", "--promises", "300").returncode == 0
    listed = tj(journal_path, "list")
    out = io.StringIO()
    assert run(["--db", str(journal_path), "list"], now=datetime.fromisoformat(NOW),
               zone=ZoneInfo("Europe/Berlin"), stdout=out, stderr=io.StringIO()) == 0
    assert listed.returncode == 0 and listed.stdout == out.getvalue()
    assert listed.stdout.count("\n") > 20
    env = {**os.environ, "TRUSTJOURNAL_NOW": NOW, "TZ": "Europe/Berlin"}
    head = subprocess.run(
        f"{sys.executable} -m trustjournal --db {journal_path} list | head -1",
        shell=True, capture_output=True, text=True, env=env, timeout=60,
    )
    assert head.stdout.count("\n") == 1 and "Traceback" not in head.stderr
