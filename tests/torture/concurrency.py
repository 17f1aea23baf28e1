"""Part b: the app and shell commands write at once; nothing is lost, no id is given twice.

One long-lived "app" process keeps a `Journal` (and so its parsed cache) across hundreds of
transactions while separate `python -m trustjournal` processes add and keep promises under it.
Meanwhile a process that holds the lock is SIGKILLed: the others must not wait on a dead
holder for more than a second.
"""

from __future__ import annotations

import json
import os
import random
import re
import signal
import subprocess
import sys
import textwrap
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from tests.torture.common import NOW, REPO, ZONE, Report, cli_env, run_cli, temp_files
from trustjournal.domain.promise import Promise
from trustjournal.storage.errors import JournalError
from trustjournal.storage.journal import Journal

PERSON = "Dana Whitfield"
ADDED = re.compile(r"^#(\d+) to Dana Whitfield, due ")
LOCK_WAIT_LIMIT = 1.0

# The app-like writer: one Journal object for its whole life, as the full-screen app keeps one.
APP = textwrap.dedent("""
    import json, os, random, sys
    from datetime import timedelta
    from tests.torture.common import NOW, ZONE
    from trustjournal.domain.promise import Promise
    from trustjournal.storage.journal import Journal
    from trustjournal.storage.records import PROMISES

    path, acks, stop, minimum, seed = sys.argv[1:6]
    rng = random.Random(int(seed))
    journal = Journal(path)
    journal.load()
    mine, n, parent = [], 0, os.getppid()
    with open(acks, "a", encoding="utf-8") as log:
        while (n < int(minimum) or not os.path.exists(stop)) and os.getppid() == parent:
            n += 1
            at = NOW + timedelta(seconds=n)
            with journal.transaction(at) as tx:
                if mine and rng.random() < 0.2:
                    pid = mine.pop(rng.randrange(len(mine)))
                    tx.save(tx.get(PROMISES, pid).kept(at))
                    entry = {"op": "kept", "id": pid}
                else:
                    dana = tx.find_person("dana")
                    added = tx.add(Promise.make(text=f"app {n}", person_id=dana.id,
                        made_at=at, due=at + timedelta(days=3), zone=ZONE))
                    mine.append(added.id)
                    entry = {"op": "add", "id": added.id, "text": f"app {n}"}
            log.write(json.dumps(entry) + "\\n")
            log.flush()
            os.fsync(log.fileno())
""")

HOLDER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from trustjournal.storage.lock import JournalLock
    with JournalLock(Path(sys.argv[1]), timeout=30):
        print("held", flush=True)
        time.sleep(120)
""")


@dataclass
class _Acks:
    added: dict[int, list[str]] = field(default_factory=dict)  # id -> texts claimed for it
    kept: list[int] = field(default_factory=list)
    writes: int = 0
    cli: int = 0  # of the writes, those made by CLI processes
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, record: int, text: str, *, cli: bool = False) -> None:
        with self.lock:
            self.added.setdefault(record, []).append(text)
            self.writes += 1
            self.cli += cli

    def keep(self, record: int, *, cli: bool = False) -> None:
        with self.lock:
            self.kept.append(record)
            self.writes += 1
            self.cli += cli


def define_figures(report: Report) -> None:
    report.define("conc_writers", "concurrency: writer processes at once")
    report.define("conc_acked", "concurrency: acknowledged writes")
    report.define("conc_cli", "concurrency: of which CLI processes")
    report.define("conc_lost", "concurrency: lost (acknowledged write missing)", 0)
    report.define("conc_corrupt", "concurrency: corrupt (unreadable journal)", 0)
    report.define("conc_stray", "concurrency: stray temp files", 0)
    report.define("conc_duplicates", "concurrency: duplicate ids", 0)
    report.define("conc_refused", "concurrency: writes refused (busy / error)", 0)
    report.define("lock_rounds", "lock: killed holders")
    report.define("lock_wait", "max lock wait after a killed holder", LOCK_WAIT_LIMIT, " s")
    report.define("lock_not_exclusive", "lock: waiter got in while the holder lived", 0)


def _cli_worker(path: Path, worker: int, count: int, acks: _Acks, report: Report) -> None:
    rng = random.Random(worker)
    mine: list[int] = []
    for i in range(count):
        if mine and rng.random() < 0.15:
            record = mine.pop(rng.randrange(len(mine)))
            done = run_cli(path, "kept", str(record))
            if done.returncode == 0:
                acks.keep(record, cli=True)
            else:
                report.fail("conc_refused", f"cli kept {record}: {done.stderr.strip()}")
            continue
        text = f"cli {worker}-{i}"
        done = run_cli(path, "promise", text, "--to", "dana", "--due", "in 3 days")
        match = ADDED.match(done.stdout)
        if done.returncode == 0 and match:
            acks.add(int(match[1]), text, cli=True)
            mine.append(int(match[1]))
        else:
            report.fail("conc_refused", f"cli promise {text}: {done.stderr.strip()}")


def _hold_and_kill(path: Path, hold: float, acks: _Acks) -> tuple[float, bool]:
    """Kill a process that holds the lock while a writer waits; return the writer's wait.

    The wait is measured from the kill to the end of the waiting transaction, so it is what a
    person at the keyboard would feel. Returns (seconds, whether the lock was exclusive).
    """
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
        env=cli_env(),
    )
    assert holder.stdout is not None
    if holder.stdout.readline().strip() != "held":
        holder.kill()
        holder.wait()
        raise RuntimeError("lock holder did not start")
    finished: list[float] = []

    def wait_and_write() -> None:
        text = f"after a killed holder {time.monotonic_ns()}"
        with Journal(path).transaction(NOW) as tx:
            dana = tx.find_person("dana")
            added = tx.add(
                Promise.make(
                    text=text,
                    person_id=dana.id,
                    made_at=NOW,
                    due=NOW + timedelta(days=1),
                    zone=ZONE,
                )
            )
        finished.append(time.monotonic())
        acks.add(added.id, text)

    waiter = threading.Thread(target=wait_and_write)
    waiter.start()
    time.sleep(hold)
    exclusive = not finished
    killed_at = time.monotonic()
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    holder.stdout.close()
    waiter.join(30)
    if not finished:
        return float("inf"), exclusive
    return finished[0] - killed_at, exclusive


def run(report: Report, *, workdir: Path, app_min: int, cli_each: int, kills: int) -> None:
    define_figures(report)
    folder = workdir / "concurrency"
    folder.mkdir()
    path = folder / "journal.json"
    made = run_cli(path, "person", "add", PERSON)
    if made.returncode != 0:
        raise RuntimeError(made.stderr)
    acks = _Acks()
    app_log, stop = folder / "app.acks", folder / "stop"
    app = subprocess.Popen(
        [sys.executable, "-c", APP, str(path), str(app_log), str(stop), str(app_min), "7"],
        cwd=REPO,
        env=cli_env(),
    )
    workers = [
        threading.Thread(target=_cli_worker, args=(path, w, cli_each, acks, report))
        for w in range(2)
    ]
    for w in workers:
        w.start()
    report.at_least("conc_writers", 1 + len(workers))

    # Killed holders while everyone else is writing: the wait includes fair queueing.
    waits: list[float] = []
    for _ in range(kills):
        time.sleep(0.5)
        wait, exclusive = _hold_and_kill(path, hold=0.3, acks=acks)
        waits.append(wait)
        if not exclusive:
            report.fail("lock_not_exclusive", "a writer finished while a live holder had the lock")
    for w in workers:
        w.join()
    stop.touch()
    if app.wait(600) != 0:
        report.fail("conc_refused", f"the app-like writer exited with {app.returncode}")
    # And on a quiet journal, where any wait beyond a few ms would be the dead holder's fault.
    for _ in range(kills):
        wait, exclusive = _hold_and_kill(path, hold=0.2, acks=acks)
        waits.append(wait)
        if not exclusive:
            report.fail("lock_not_exclusive", "a writer finished while a live holder had the lock")
    report.add("lock_rounds", len(waits))
    report.at_least("lock_wait", max(waits, default=0.0))
    report.note("lock waits after a kill: " + ", ".join(f"{w * 1000:.0f} ms" for w in waits))

    for line in app_log.read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        if entry["op"] == "add":
            acks.add(entry["id"], entry["text"])
        else:
            acks.keep(entry["id"])
    report.add("conc_cli", acks.cli)
    report.add("conc_acked", acks.writes)
    _verify(report, path, acks)


def _verify(report: Report, path: Path, acks: _Acks) -> None:
    try:
        ledger = Journal(path).load()
    except JournalError as error:
        report.fail("conc_corrupt", f"concurrency: {error}")
        return
    for record, texts in acks.added.items():
        if len(texts) > 1:
            report.fail("conc_duplicates", f"concurrency: id {record} was given to {texts}")
        promise = ledger.promises.get(record)
        if promise is None or promise.text != texts[0]:
            found = promise.text if promise else None
            report.fail("conc_lost", f"concurrency: #{record} should be {texts[0]!r}, is {found!r}")
    for record in acks.kept:
        promise = ledger.promises.get(record)
        if promise is None or promise.status.value != "kept":
            report.fail("conc_lost", f"concurrency: #{record} was acknowledged kept but is not")
    counts: dict[str, int] = {}
    for promise in ledger.promises.values():
        counts[promise.text] = counts.get(promise.text, 0) + 1
    for text, count in counts.items():
        if count > 1:
            report.fail("conc_duplicates", f"concurrency: {text!r} is in the journal {count} times")
    stray = temp_files(path)
    if stray:
        report.fail("conc_stray", f"concurrency: left {stray}")
