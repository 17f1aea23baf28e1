"""Part a: SIGKILL a writer at random moments; no acknowledged change may ever be lost.

Like SQLite's crash tests, the writer logs what it is about to commit (inside the transaction,
before the commit starts) and acknowledges it once `transaction()` has returned, fsyncing the
log each time. After the kill, every acknowledged change must be in the journal, the one
change in flight must be wholly there or wholly absent, and nothing else may differ.

Half the kills come from a timer (anywhere, often mid-write on a large journal); the rest are
aimed at each step of the atomic write, so every step is hit on every run, not just by luck.
"""

from __future__ import annotations

import json
import math
import os
import random
import select
import shutil
import signal
import sys
import time
import traceback
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from tests.torture.common import NOW, ZONE, HookedOs, Report, run_cli, temp_files
from trustjournal.domain.promise import Promise
from trustjournal.storage import atomic
from trustjournal.storage.errors import JournalError
from trustjournal.storage.journal import Journal, Transaction, decode_journal
from trustjournal.storage.records import PROMISES

# Where a targeted kill lands; the rename is the commit point.
POINTS = (
    "before-write",
    "mid-write",
    "before-fsync",
    "before-replace",
    "after-replace",
    "before-ack",
)
APPLIED_AT = frozenset({"after-replace", "before-ack"})
OPS = ("insert", "insert", "kept", "renegotiate", "delete", "batch")
TABLE = "promises"
NOT_REACHED = 75


@dataclass
class Plan:
    seed: int
    point: str | None  # None: a timer kill after `delay`
    op: int  # for a targeted kill: which transaction (1-based)
    delay: float


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


class _Killer:
    """Kills the writer at one chosen step of one chosen transaction's atomic write."""

    def __init__(self, point: str) -> None:
        self.point = point
        self.armed = False

    def __call__(self, name: str, real: Any, args: tuple[Any, ...]) -> Any:
        if not self.armed or _is_backup(name, args):
            return real(*args)
        if name == "write" and self.point == "before-write":
            _die()
        if name == "write" and self.point == "mid-write":
            data = args[1]
            real(args[0], data[: max(1, len(data) // 2)])
            _die()
        if name == "fsync" and self.point == "before-fsync":
            _die()
        if name == "replace" and self.point == "before-replace":
            _die()
        result = real(*args)
        if name == "replace" and self.point == "after-replace":
            _die()
        return result


def _is_backup(name: str, args: tuple[Any, ...]) -> bool:
    """The first change of a day also writes a backup copy, through the same atomic steps.

    The kill points are about the journal's own write, so the backup's steps pass through.
    """
    if name == "replace":
        target = str(args[1])
    else:
        try:
            target = os.readlink(f"/proc/self/fd/{args[0]}")
        except OSError:
            return False
    return f"{os.sep}backups{os.sep}" in target


# --- the writer (a forked child) --------------------------------------------------------------


@dataclass
class _Pools:
    people: list[int]
    open_ids: list[int]
    all_ids: list[int]
    touched: set[int] = field(default_factory=set)

    def take(self, rng: random.Random, pool: list[int]) -> int | None:
        # A batch touches each record at most once, so every change has one before and after.
        for _ in range(8):
            if not pool:
                return None
            candidate = rng.choice(pool)
            if candidate not in self.touched:
                self.touched.add(candidate)
                return candidate
        return None


def _one_change(
    kind: str, tx: Transaction, rng: random.Random, label: str, n: int, pools: _Pools
) -> dict[str, Any]:
    at = NOW + timedelta(minutes=n)
    record: int | None = None
    if kind in ("kept", "renegotiate"):
        record = pools.take(rng, pools.open_ids)
    elif kind == "delete":
        record = pools.take(rng, pools.all_ids)
    if record is None:
        kind = "insert"
    if kind == "insert":
        added = tx.add(
            Promise.make(
                text=f"torture {label}",
                person_id=rng.choice(pools.people),
                made_at=at,
                due=at + timedelta(days=rng.randint(1, 20), hours=rng.randint(0, 23)),
                zone=ZONE,
            )
        )
        pools.touched.add(added.id)
        pools.open_ids.append(added.id)
        pools.all_ids.append(added.id)
        return {"op": kind, "id": added.id, "before": None, "after": tx.changes[-1].after}
    assert record is not None
    if kind == "kept":
        tx.save(tx.get(PROMISES, record).kept(at))
        pools.open_ids.remove(record)
    elif kind == "renegotiate":
        new_due = at + timedelta(days=rng.randint(1, 30))
        tx.save(tx.get(PROMISES, record).renegotiated(at, new_due, f"moved by {label}"))
    else:
        tx.remove(PROMISES, record)
        pools.all_ids.remove(record)
        if record in pools.open_ids:
            pools.open_ids.remove(record)
    change = tx.changes[-1]
    return {"op": kind, "id": record, "before": change.before, "after": change.after}


def _append(fd: int, entry: dict[str, Any]) -> None:
    os.write(fd, (json.dumps(entry, separators=(",", ":")) + "\n").encode())
    os.fsync(fd)


def writer(path: Path, log_path: Path, plan: Plan, ready_fd: int) -> None:
    """Runs in the forked child until it is killed."""
    rng = random.Random(plan.seed)
    journal = Journal(path)
    ledger = journal.load()  # as the app does at start: the parsed copy is then reused
    pools = _Pools(
        people=sorted(ledger.people),
        open_ids=sorted(i for i, p in ledger.promises.items() if p.is_open),
        all_ids=sorted(ledger.promises),
    )
    log = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    killer = _Killer(plan.point) if plan.point else None
    if killer is not None:
        atomic.os = HookedOs(killer)  # type: ignore[assignment]
    os.write(ready_fd, b"r")
    os.close(ready_fd)
    parent = os.getppid()
    n = 0
    while os.getppid() == parent:  # an orphaned writer would otherwise loop forever
        n += 1
        if killer is not None:
            killer.armed = n == plan.op
        pools.touched.clear()
        with journal.transaction(NOW + timedelta(minutes=n)) as tx:
            kind = rng.choice(OPS)
            kinds = (
                [rng.choice(OPS[:-1]) for _ in range(rng.randint(2, 4))]
                if kind == "batch"
                else [kind]
            )
            changes = [
                _one_change(k, tx, rng, f"s{plan.seed}-op{n}.{i}", n, pools)
                for i, k in enumerate(kinds)
            ]
            _append(log, {"n": n, "kind": kind, "changes": changes})
        if plan.point == "before-ack" and n == plan.op:
            _die()
        if killer is not None and n == plan.op:
            os._exit(NOT_REACHED)  # the armed write finished without meeting its kill point
        _append(log, {"n": n, "ack": True})


# --- the parent -------------------------------------------------------------------------------


@dataclass
class _Log:
    acked: list[dict[str, Any]]
    in_flight: dict[str, Any] | None


def _read_log(log_path: Path) -> _Log:
    try:
        lines = log_path.read_bytes().split(b"\n")
    except FileNotFoundError:
        return _Log([], None)
    entries = []
    for line in lines:
        try:
            entries.append(json.loads(line))
        except ValueError:
            # Only the last line can be torn (killed mid-append); an unacknowledged ack line
            # leaves its change in flight, which is exactly how it is checked.
            break
    acked: list[dict[str, Any]] = []
    pending: dict[str, Any] | None = None
    for entry in entries:
        if entry.get("ack"):
            assert pending is not None and pending["n"] == entry["n"], "ack without intent"
            acked.append(pending)
            pending = None
        else:
            assert pending is None, "two intents in flight"
            pending = entry
    return _Log(acked, pending)


def _spawn(path: Path, log_path: Path, plan: Plan) -> tuple[int, bool]:
    """Fork the writer; returns its pid and whether it said it was ready."""
    read_fd, write_fd = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child never returns
        os.close(read_fd)
        code = 0
        try:
            writer(path, log_path, plan, write_fd)
        except BaseException:
            traceback.print_exc()
            code = 70
        finally:
            os._exit(code)
    os.close(write_fd)
    ready, _, _ = select.select([read_fd], [], [], 60)
    said = bool(ready) and os.read(read_fd, 1) == b"r"
    os.close(read_fd)
    return pid, said


def _reap(pid: int, timeout: float) -> int | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return status
        time.sleep(0.002)
    return None


def _plan(rng: random.Random, trial_seed: int, max_delay: float) -> Plan:
    roll = rng.random()
    if roll < 0.25:
        # Log-uniform from 2 ms: most of these land in the first transaction's write window.
        delay = math.exp(rng.uniform(math.log(0.002), math.log(max_delay)))
        return Plan(trial_seed, None, 0, delay)
    if roll < 0.5:
        # Uniform: kills after one or more commits, so acknowledged writes pile up.
        return Plan(trial_seed, None, 0, rng.uniform(0.002, max_delay))
    return Plan(trial_seed, rng.choice(POINTS), rng.randint(1, 3), 0.0)


def define_figures(report: Report) -> None:
    report.define("crash_trials", "crash: trials")
    report.define("crash_acked", "crash: acknowledged writes")
    report.define("crash_changes", "crash: acknowledged record changes")
    report.define("crash_in_window", "crash: kills with a temp file on disk")
    report.define("crash_applied", "crash: in-flight change applied")
    report.define("crash_absent", "crash: in-flight change absent")
    report.define("crash_lost", "crash: lost (acknowledged change missing)", 0)
    report.define("crash_collateral", "crash: damaged (untouched record changed)", 0)
    report.define("crash_torn", "crash: torn (in-flight half applied / wrong)", 0)
    report.define("crash_corrupt", "crash: corrupt (unreadable journals)", 0)
    report.define("crash_stray", "crash: stray temp files after the next tx", 0)
    report.define("crash_duplicates", "crash: duplicate (reused) ids", 0)
    report.define("writer_errors", "crash: writer died other than by SIGKILL", 0)


def build_demo(path: Path, promises: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    done = run_cli(path, "demo", "--promises", str(promises), timeout=300)
    if done.returncode != 0:
        raise RuntimeError(f"demo failed: {done.stderr.strip()}")


def run(
    report: Report, *, workdir: Path, promises: int, trials: int, seed: int, max_delay: float = 1.0
) -> None:
    define_figures(report)
    base = workdir / "crash-base" / "journal.json"
    build_demo(base, promises)
    base_data = decode_journal(base.read_bytes(), base)
    base_max_id = max(
        max((int(k) for k in base_data[TABLE]), default=0),
        int(base_data["meta"]["1"]["next_id"].get(TABLE, 1)) - 1,
    )
    rng = random.Random(seed)
    points: dict[str, int] = dict.fromkeys(["timer", *POINTS], 0)
    kept_failures = 0
    started = time.monotonic()
    for trial in range(trials):
        trial_dir = workdir / f"crash-{trial:05d}"
        trial_dir.mkdir(mode=0o700)
        path = trial_dir / "journal.json"
        shutil.copyfile(base, path)
        plan = _plan(rng, seed * 1_000_003 + trial, max_delay)
        points[plan.point or "timer"] += 1
        failures_before = len(report.failures)
        _trial(report, path, trial_dir / "acks.log", plan, base_data, base_max_id, trial)
        report.add("crash_trials")
        if len(report.failures) == failures_before or kept_failures >= 5:
            shutil.rmtree(trial_dir)
        else:
            kept_failures += 1  # kept for a post-mortem, named in the failure messages
        if (trial + 1) % 100 == 0:
            rate = (time.monotonic() - started) / (trial + 1)
            print(f"  crash: {trial + 1}/{trials} trials, {rate:.2f} s each", flush=True)
    shown = ", ".join(f"{k} {v}" for k, v in points.items())
    report.note(f"crash kill points: {shown}")


def _trial(
    report: Report,
    path: Path,
    log_path: Path,
    plan: Plan,
    base: dict[str, Any],
    base_max_id: int,
    trial: int,
) -> None:
    where = f"crash trial {trial} (seed {plan.seed}, kill {plan.point or f'{plan.delay:.3f} s'})"
    pid, ready = _spawn(path, log_path, plan)
    if ready and plan.point is None:
        time.sleep(plan.delay)
    if not ready or plan.point is None:
        os.kill(pid, signal.SIGKILL)
    status = _reap(pid, 60)
    if status is None:
        os.kill(pid, signal.SIGKILL)
        status = _reap(pid, 10)
        report.fail("writer_errors", f"{where}: the writer did not die within 60 s")
        return
    if os.WIFEXITED(status) and os.WEXITSTATUS(status) == NOT_REACHED:
        report.fail("writer_errors", f"{where}: the write never reached its kill point")
        return
    if not (os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL) or not ready:
        report.fail("writer_errors", f"{where}: writer ended with status {status}, see stderr")
        return
    if temp_files(path):
        report.add("crash_in_window")

    log = _read_log(log_path)
    report.add("crash_acked", len(log.acked))
    report.add("crash_changes", sum(len(e["changes"]) for e in log.acked))

    try:
        journal = Journal(path)
        journal.load()
        data = journal.read_data()
        assert data is not None
    except JournalError as error:
        report.fail("crash_corrupt", f"{where}: {error}")
        return

    expected: dict[str, Any] = dict(base[TABLE])
    for entry in log.acked:
        for change in entry["changes"]:
            _apply(expected, change)
    actual = data[TABLE]
    if log.in_flight is not None:
        _judge_in_flight(report, where, plan, log.in_flight, expected, actual)
    acked_ids = {c["id"] for e in log.acked for c in e["changes"]}
    if actual != expected:
        for key in sorted(set(actual) | set(expected), key=int):
            if actual.get(key) != expected.get(key):
                figure = "crash_lost" if int(key) in acked_ids else "crash_collateral"
                report.fail(
                    figure,
                    f"{where}: promise {key} is {actual.get(key)!r}, "
                    f"expected {expected.get(key)!r}; kept in {path.parent}",
                )
    for name in ("people", "commitments", "entries"):
        if data.get(name) != base.get(name):
            report.fail("crash_collateral", f"{where}: the {name} table changed")

    inserted = [c["id"] for e in log.acked for c in e["changes"] if c["before"] is None]
    duplicate = len(inserted) - len(set(inserted)) + sum(i <= base_max_id for i in inserted)
    if duplicate:
        report.fail("crash_duplicates", f"{where}: {duplicate} inserted ids were not new")

    # The next transaction must clean up whatever the killed writer left behind.
    try:
        with journal.transaction(NOW + timedelta(days=1)) as tx:
            after = tx.add(
                Promise.make(
                    text="after the crash",
                    person_id=int(min(data["people"], key=int)),
                    made_at=NOW + timedelta(days=1),
                    due=NOW + timedelta(days=2),
                    zone=ZONE,
                )
            )
        reloaded = Journal(path).load()
    except JournalError as error:
        report.fail("crash_corrupt", f"{where}: the transaction after the crash failed: {error}")
        return
    stray = temp_files(path)
    if stray:
        report.fail("crash_stray", f"{where}: left {stray}")
    if after.id <= max([base_max_id, *inserted]) or after.id not in reloaded.promises:
        report.fail(
            "crash_duplicates", f"{where}: the id {after.id} given after the crash was not new"
        )


def _apply(table: dict[str, Any], change: dict[str, Any]) -> None:
    key = str(change["id"])
    if change["after"] is None:
        table.pop(key, None)
    else:
        table[key] = change["after"]


def _judge_in_flight(
    report: Report,
    where: str,
    plan: Plan,
    entry: dict[str, Any],
    expected: dict[str, Any],
    actual: dict[str, Any],
) -> None:
    """All of the in-flight transaction or none of it; a targeted kill says which one."""
    changes = entry["changes"]
    keys = [str(c["id"]) for c in changes]
    applied = all(actual.get(k) == c["after"] for k, c in zip(keys, changes, strict=True))
    absent = all(
        expected.get(k) == c["before"] for k, c in zip(keys, changes, strict=True)
    ) and all(actual.get(k) == expected.get(k) for k in keys)
    if applied and not absent:
        for change in changes:
            _apply(expected, change)  # so the whole-table comparison accepts it
        report.add("crash_applied")
    elif absent and not applied:
        report.add("crash_absent")
    else:
        report.fail("crash_torn", f"{where}: in-flight transaction {entry['n']} is half applied")
        return
    if plan.point is not None and plan.op == entry["n"] and applied != (plan.point in APPLIED_AT):
        should = "applied" if plan.point in APPLIED_AT else "absent"
        report.fail(
            "crash_torn", f"{where}: in-flight change should be {should} after {plan.point}"
        )
