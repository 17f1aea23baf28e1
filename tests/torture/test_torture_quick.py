"""The torture run in quick mode, as tests: every must-be-zero figure is zero.

It runs once per module (about 45 s on two cores); each part then passes or fails on its own
figures, so a bug in one part does not hide whether the others hold.
"""

from __future__ import annotations

import json
import subprocess
import sys
import warnings
from typing import Any

import pytest

from tests.torture.common import REPO, cli_env

PARTS = {
    "crash": (
        "crash_lost",
        "crash_collateral",
        "crash_torn",
        "crash_corrupt",
        "crash_stray",
        "crash_duplicates",
        "writer_errors",
    ),
    "concurrency": (
        "conc_lost",
        "conc_corrupt",
        "conc_stray",
        "conc_duplicates",
        "conc_refused",
        "lock_wait",
        "lock_not_exclusive",
    ),
    "faults": ("fault_stray", "fault_failures"),
    "badfiles": ("bad_cases", "bad_failures"),
    "fairness": ("fair_refused", "fair_lost", "fair_overtaken"),
}


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("torture") / "figures.json"
    # A separate interpreter: the crash part forks writers and the fault part swaps a module
    # attribute, neither of which belongs inside the pytest process.
    done = subprocess.run(
        [sys.executable, "-m", "tests.torture.torture", "--quick", "--json", str(out)],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=cli_env(),
        timeout=110,
    )
    assert out.exists(), done.stdout[-3000:] + done.stderr[-3000:]
    figures: dict[str, Any] = json.loads(out.read_text())
    figures["stdout"] = done.stdout
    figures["returncode"] = done.returncode
    # Sub-checks this machine cannot run (not root, no mount) are said out loud, not hidden.
    for note in figures["notes"]:
        if note.startswith("SKIPPED"):
            warnings.warn(note, stacklevel=1)
    return figures


def _broken(run: dict[str, Any], part: str) -> dict[str, float]:
    figures = run["figures"]
    return {key: figures[key]["value"] for key in PARTS[part] if not figures[key]["ok"]}


def _failures(run: dict[str, Any], *words: str) -> str:
    return "\n".join(f for f in run["failures"] if any(w in f for w in words))


def test_a_killed_writer_never_loses_an_acknowledged_promise(quick_run: dict[str, Any]) -> None:
    assert quick_run["figures"]["crash_trials"]["value"] >= 100
    assert quick_run["figures"]["crash_acked"]["value"] > 0
    assert _broken(quick_run, "crash") == {}, _failures(quick_run, "crash trial")


def test_concurrent_writers_and_a_killed_lock_holder(quick_run: dict[str, Any]) -> None:
    assert quick_run["figures"]["conc_acked"]["value"] >= 200
    assert _broken(quick_run, "concurrency") == {}, _failures(quick_run, "concurrency", "cli ")


def test_failing_system_calls_leave_the_old_journal(quick_run: dict[str, Any]) -> None:
    assert quick_run["figures"]["fault_cases"]["value"] >= 10
    shown = _failures(quick_run, "failing with", "read-only", "full disk", "short writes")
    assert _broken(quick_run, "faults") == {}, shown


def test_bad_files_are_named_and_never_overwritten(quick_run: dict[str, Any]) -> None:
    assert quick_run["figures"]["bad_cases"]["value"] >= 30
    assert _broken(quick_run, "badfiles") == {}, _failures(quick_run, "bad file")


def test_eight_writers_at_once_are_all_served(quick_run: dict[str, Any]) -> None:
    assert quick_run["figures"]["fair_writers"]["value"] == 8
    assert quick_run["figures"]["fair_writes"]["value"] >= 80
    assert _broken(quick_run, "fairness") == {}, _failures(quick_run, "fairness")


def test_the_run_as_a_whole_passes(quick_run: dict[str, Any]) -> None:
    # Also catches a figure no part above claims, and the script's own exit status.
    assert quick_run["returncode"] == 0, quick_run["stdout"][-4000:]
