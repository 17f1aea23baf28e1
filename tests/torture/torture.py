"""The "never lose a promise" torture run, after SQLite's atomic-commit tests.

    python -m tests.torture.torture [--quick] [--trials N] [--seed S] [--json OUT]

Parts: crash (SIGKILL a writer), concurrency (app + CLI writers, killed lock holders), faults
(failing system calls, read-only and full filesystems), badfiles (damaged journals through the
CLI), fairness (eight writers at once, none refused as busy). Prints a table of figures; exits
1 when any figure breaks its rule, 2 on wrong usage.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.torture import badfiles, concurrency, crash, fairness, faults
from tests.torture.common import Report

PARTS = ("crash", "concurrency", "faults", "badfiles", "fairness")
# The headline figures, summed over the parts that ran; each part's own figures follow them.
TOTALS = (
    ("trials", "trials (crash)", None, ("crash_trials",)),
    ("acked", "acknowledged writes (crash + concurrency)", None, ("crash_acked", "conc_acked")),
    ("lost", "lost", 0, ("crash_lost", "conc_lost")),
    ("corrupt", "corrupt (unreadable journals)", 0, ("crash_corrupt", "conc_corrupt")),
    ("stray", "stray temp files", 0, ("crash_stray", "conc_stray", "fault_stray")),
    ("duplicates", "duplicate ids", 0, ("crash_duplicates", "conc_duplicates")),
)
HEADLINE = (*(key for key, *_ in TOTALS), "lock_wait")


def add_totals(report: Report) -> None:
    for key, label, limit, sources in TOTALS:
        present = [report.figures[s].value for s in sources if s in report.figures]
        if present:
            report.define(key, label, limit)
            report.figures[key].value = sum(present)


@dataclass(frozen=True)
class Sizes:
    promises: int
    trials: int
    app_min: int
    cli_each: int
    kills: int
    fair_each: int
    # None: shell writers with the default lock timeout; else writer processes with this one.
    fair_timeout: float | None


FULL = Sizes(promises=20_000, trials=1000, app_min=700, cli_each=160, kills=3, fair_each=60,
             fair_timeout=None)
# Quick mode must stay under a minute on two cores, and still mean something.
QUICK = Sizes(promises=2_000, trials=100, app_min=140, cli_each=30, kills=2, fair_each=10,
              fair_timeout=3.0)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.torture.torture", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small journal, 100 crash trials")
    parser.add_argument("--trials", type=int, help="crash trials (default 1000, quick 100)")
    parser.add_argument("--seed", type=int, help="seed for every random choice (printed)")
    parser.add_argument("--json", metavar="OUT", type=Path, help="also write the figures here")
    parser.add_argument(
        "--only", metavar="PART", action="append", choices=PARTS, help="run only this part"
    )
    parser.add_argument("--promises", type=int, help="size of the crash journal")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--workdir", type=Path, help="make the work folder in here (default: temp)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    sizes = QUICK if args.quick else FULL
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(10**9)
    trials = args.trials if args.trials is not None else sizes.trials
    promises = args.promises or sizes.promises
    parts = args.only or list(PARTS)
    if args.workdir:
        args.workdir.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="trustjournal-torture-", dir=args.workdir))
    mode = "quick" if args.quick else "full"
    print(f"torture ({mode}): seed {seed}, work folder {workdir}, parts {', '.join(parts)}")

    report = Report()
    runs: dict[str, Callable[[], None]] = {
        "crash": lambda: crash.run(
            report, workdir=workdir, promises=promises, trials=trials, seed=seed
        ),
        "concurrency": lambda: concurrency.run(
            report,
            workdir=workdir,
            app_min=sizes.app_min,
            cli_each=sizes.cli_each,
            kills=sizes.kills,
        ),
        "faults": lambda: faults.run(report, workdir=workdir),
        "badfiles": lambda: badfiles.run(report, workdir=workdir),
        "fairness": lambda: fairness.run(
            report,
            workdir=workdir,
            promises=promises,
            each=sizes.fair_each,
            timeout=sizes.fair_timeout,
        ),
    }
    started = time.monotonic()
    for part in parts:
        began = time.monotonic()
        print(f"-- {part}", flush=True)
        runs[part]()
        report.durations[part] = round(time.monotonic() - began, 2)
        print(f"   {part} took {report.durations[part]:.1f} s", flush=True)
    report.durations["total"] = round(time.monotonic() - started, 2)
    add_totals(report)

    print()
    print(report.table(HEADLINE))
    print()
    print("durations: " + ", ".join(f"{k} {v:.1f} s" for k, v in report.durations.items()))
    if report.failures:
        print(f"\n{len(report.failures)} failures (first 40):")
        for failure in report.failures[:40]:
            print(f"  - {failure}")
    if args.json:
        payload = {"mode": mode, "seed": seed, "trials": trials, "promises": promises}
        args.json.write_text(json.dumps({**payload, **report.as_json()}, indent=2) + "\n")
    # A failing trial keeps its folder for a post-mortem; otherwise nothing is left behind.
    if args.keep or (report.failures and "crash" in parts and _has_trials(workdir)):
        print(f"work folder kept: {workdir}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    print("PASS" if report.ok else "FAIL")
    return 0 if report.ok else 1


def _has_trials(workdir: Path) -> bool:
    return any(name.startswith("crash-0") for name in os.listdir(workdir))


if __name__ == "__main__":
    sys.exit(main())
