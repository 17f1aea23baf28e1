"""What a capture and a list import: start-up is most of their time (tests/benchmarks/bench.py),
so a module only some commands need is imported where they need it, and stays out of these."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.test_process import NOW, PROBE, tj

# Month arithmetic and month names only (domain/dates.py): "in 3 days" and a list need neither.
NOT_ON_THE_HOT_PATH = ("dateutil", "calendar", "tomllib", "textual", "rich")


@pytest.mark.parametrize(
    "argv",
    [("promise", "x", "--to", "dana", "--due", "in", "3", "days"), ("list",)],
)
def test_a_capture_and_a_list_import_only_what_they_use(journal_path: Path,
                                                         tmp_path: Path,
                                                         argv: tuple[str, ...]) -> None:
    assert tj(journal_path, "person", "add", "Dana").returncode == 0
    probe = PROBE.replace('("textual", "rich")', repr(NOT_ON_THE_HOT_PATH))
    # No config file (the common case): the environment names one that is not there.
    env = {**os.environ, "TRUSTJOURNAL_NOW": NOW, "TZ": "Europe/Berlin",
           "TRUSTJOURNAL_CONFIG": str(tmp_path / "no-config.toml")}
    result = subprocess.run(
        [sys.executable, "-c", probe, "--db", str(journal_path), *argv],
        capture_output=True, text=True, env=env, timeout=60,
    )
    assert "HEAVY:\n" in result.stderr, result.stderr
