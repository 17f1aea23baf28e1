"""How fast trustjournal is at one, ten and fifty years of promises, next to what it could be.

    python -m tests.benchmarks.bench [--sizes 500,5000,20000,100000] [--runs N] [--json OUT]
                                     [--quick] [--no-app]

For each size it writes a journal with `trustjournal demo --promises N` into a temp folder, then
times whole processes (start to exit, as a person at a shell waits for them): one warm-up run,
then the median of `--runs` runs. Next to each figure stands a floor measured in the same run on
the same machine, so the ratio says how much of the time is ours:

- python startup: `python -c pass` (this interpreter, no pyenv shim in between);
- json capture floor: a bare script that reads the same journal with orjson (the fastest
  parser there is, and the one trustjournal uses), adds one promise and rewrites the file
  atomically (temp file, fsync, os.replace, folder fsync) — the least a capture can do while
  the journal is one JSON file;
- json read floor: a bare script that only parses the journal — the least `due` or `list` can
  do;
- Taskwarrior (optional, when `task` is installed): `task add` on a throwaway TASKDATA holding
  the same number of tasks, most of them completed as most promises are closed.

Peak memory is each child's own ru_maxrss, read with os.wait4. Timings are never asserted in
tests; `--quick` (the smallest size, 2 runs) only shows the table still runs.

The app figures (first frame, keypress-to-saved, show closed, app peak memory) are hooks marked
`APP HOOK` below: first frame and app peak memory are measured once trustjournal/tui/app.py
exposes `TrustJournalApp`; until then they print "n/a (app not built yet)".
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

REPO = Path(__file__).resolve().parents[2]
NOW = "2026-11-25T10:00:00+01:00"
ZONE = "Europe/Berlin"
DEFAULT_SIZES = (500, 5000, 20000, 100000)
DEFAULT_RUNS = 7
APP_NOT_BUILT = "n/a (app not built yet)"


# --- running one child process ------------------------------------------------------------------


@dataclass
class Run:
    seconds: float
    maxrss_mb: float
    code: int
    stderr: str
    ready: bool = True
    after: str = ""
    """What the child printed after READY (the app child's LOAD line)."""
    """For app runs: whether the child said the ledger was on screen."""


class BenchError(RuntimeError):
    pass


def _maxrss_mb(kilo_or_bytes: int) -> float:
    # Linux reports KiB, macOS bytes.
    return kilo_or_bytes / (1024 * 1024) if sys.platform == "darwin" else kilo_or_bytes / 1024


def spawn(argv: Sequence[str], env: dict[str, str], *, check: bool = True) -> Run:
    """Run argv to exit; its wall time and its own peak RSS (not the largest child's so far)."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            list(argv), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err, env=env
        )
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode(errors="replace")
    run = Run(seconds, _maxrss_mb(usage.ru_maxrss), proc.returncode, stderr)
    if check and run.code != 0:
        raise BenchError(f"{' '.join(argv)} exited {run.code}: {stderr.strip()[-2000:]}")
    return run


def spawn_until_ready(argv: Sequence[str], env: dict[str, str]) -> Run | str:
    """Time a child from start to its "READY" line; a "NOAPP reason" line returns the reason."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            list(argv),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=err,
            env=env,
            text=True,
        )
        assert proc.stdout is not None
        seconds = None
        ready = False
        reason = ""
        for line in proc.stdout:
            if line.startswith("READY"):
                seconds = time.perf_counter() - start
                ready = line.split()[1:] == ["1"]
                break
            if line.startswith("NOAPP"):
                reason = line[len("NOAPP") :].strip()
                break
        after = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode(errors="replace")
    if reason:
        return reason
    if seconds is None or proc.returncode != 0:
        raise BenchError(f"{' '.join(argv)} exited {proc.returncode}: {stderr.strip()[-2000:]}")
    return Run(seconds, _maxrss_mb(usage.ru_maxrss), proc.returncode, stderr, ready, after)


def interleaved(runs: int, measures: dict[str, Callable[[], Run]]) -> dict[str, list[Run]]:
    """Each measure once as a warm-up (byte-code cached, files in the page cache), then `runs`
    rounds of all of them, the order turning each round: a figure and its floor see the same
    moments of a busy machine."""
    for once in measures.values():
        once()
    names = list(measures)
    results: dict[str, list[Run]] = {name: [] for name in names}
    for round_ in range(runs):
        turn = round_ % len(names)
        for name in names[turn:] + names[:turn]:
            results[name].append(measures[name]())
    return results


# --- what is measured ---------------------------------------------------------------------------


@dataclass
class Figure:
    figure: str
    size: int | None
    unit: str
    median: float | None
    samples: list[float] = field(default_factory=list)
    floor: float | None = None
    floor_name: str | None = None
    target: str = "-"
    met: bool | None = None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.median is None or not self.floor:
            return None
        return self.median / self.floor


def _ms(runs: list[Run]) -> list[float]:
    return [r.seconds * 1000 for r in runs]


def _mb(runs: list[Run]) -> list[float]:
    return [r.maxrss_mb for r in runs]


def timed(
    name: str, size: int | None, samples: list[float], unit: str = "ms", **kw: object
) -> Figure:
    return Figure(name, size, unit, statistics.median(samples), samples, **kw)  # type: ignore[arg-type]


def child_env() -> dict[str, str]:
    env = {**os.environ, "TRUSTJOURNAL_NOW": NOW, "TZ": ZONE}
    # PYTHONDONTWRITEBYTECODE (set in some sandboxes and CI images) would make every run compile
    # every module from source, ~35 ms that no installed trustjournal pays: the warm-up run
    # writes the byte-code cache (__pycache__ is git-ignored), as a first run after install does.
    for name in (
        "TRUSTJOURNAL_DB",
        "TRUSTJOURNAL_TZ",
        "PYTHONPROFILEIMPORTTIME",
        "PYTHONDONTWRITEBYTECODE",
    ):
        env.pop(name, None)
    return env


def trustjournal_command() -> list[str]:
    """The installed console script beside this interpreter (what a shell runs, minus any pyenv
    shim, which alone costs more than a capture); `python -m trustjournal` when it is missing."""
    script = Path(sys.executable).with_name("trustjournal")
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script)]
    return [sys.executable, "-m", "trustjournal"]


FLOOR_CAPTURE = r"""
import os, sys
import orjson
path = sys.argv[1]
with open(path, "rb") as handle:
    data = orjson.loads(handle.read())
promises = data["promises"]
new_id = max(map(int, promises), default=0) + 1
promises[str(new_id)] = {"text": "x", "to": 1, "zone": "Europe/Berlin", "commitment": None,
    "events": [{"kind": "made", "at": "2026-11-25T09:00:00Z", "due": "2026-11-28T16:00:00Z"}]}
raw = orjson.dumps(data)
temp = f"{path}.floor-{os.getpid()}"
fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
try:
    view = memoryview(raw)
    while view:
        view = view[os.write(fd, view):]
    os.fsync(fd)
finally:
    os.close(fd)
os.replace(temp, path)
folder = os.open(os.path.dirname(os.path.abspath(path)), os.O_RDONLY)
try:
    os.fsync(folder)
finally:
    os.close(folder)
"""

# The same floor with the cyclic garbage collector off, as trustjournal's command line runs:
# shown for information, so a ratio below 1 is not mistaken for magic.
FLOOR_CAPTURE_NO_GC = "import gc; gc.disable()\n" + FLOOR_CAPTURE

FLOOR_READ = r"""
import sys
import orjson
with open(sys.argv[1], "rb") as handle:
    orjson.loads(handle.read())
"""


def taskwarrior(folder: Path, size: int, env: dict[str, str]
                ) -> tuple[list[str], dict[str, str]] | str:
    """`task add` on a throwaway TASKDATA filled with `size` tasks (nine in ten completed, as
    most promises are closed); or why it cannot be measured here."""
    task = shutil.which("task")
    if task is None:
        return "n/a (Taskwarrior is not installed: apt-get install taskwarrior)"
    data = folder / f"taskdata-{size}"
    data.mkdir()
    rc = folder / f"taskrc-{size}"
    rc.write_text(f"data.location={data}\nconfirmation=no\nverbose=nothing\nhooks=off\n"
                  "news.version=2.6.2\n")
    tasks = []
    for i in range(size):
        item = {"uuid": f"{i:08x}-0000-4000-8000-000000000000", "description": f"task {i}",
                "entry": "20261001T090000Z", "due": "20261128T160000Z"}
        if i < size * 9 // 10:
            item.update(status="completed", end="20261020T090000Z")
        else:
            item["status"] = "pending"
        tasks.append(item)
    source = folder / f"tasks-{size}.json"
    source.write_text(json.dumps(tasks))
    task_env = {**env, "TASKRC": str(rc), "TASKDATA": str(data)}
    done = subprocess.run([task, "import", str(source)], env=task_env, capture_output=True,
                          text=True, timeout=1800)
    if done.returncode != 0:
        return f"n/a (task import failed: {done.stderr.strip()[-200:]})"
    return [task, "add", "x", "due:3d"], task_env


def person_prefix(journal: Path) -> str:
    """An existing person's first name as typed in a hurry, or the whole name if ambiguous."""
    from trustjournal.domain.errors import TrustJournalError
    from trustjournal.domain.ledger import find_person

    people = json.loads(journal.read_bytes())["people"]
    name = people[min(people, key=int)]["name"]
    everyone = [SimpleNamespace(name=p["name"]) for p in people.values()]
    short = name.split()[0].lower()
    try:
        if find_person(everyone, short).name == name:  # type: ignore[arg-type]
            return short
    except TrustJournalError:
        pass
    return name


# --- APP HOOKS ----------------------------------------------------------------------------------
# Each returns Figures, with "n/a (why)" in `note` when it cannot measure (no app yet, or the app
# changed under a hook). The child script prints "READY 1" once the ledger is on screen
# (READY 0: gave up waiting for rows), "RESULT <show closed ms> <keypress-to-saved ms>" in
# interact mode, or "NOAPP why" when there is nothing it can measure. Keep the places marked
# "APP HOOK" in step with trustjournal/tui.

APP_CHILD = r"""
import asyncio, inspect, os, sys, time
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

path, mode, who = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
try:
    from trustjournal.tui.app import TrustJournalApp
except ImportError as error:
    print("NOAPP", f"trustjournal.tui.app has no TrustJournalApp ({error})", flush=True)
    sys.exit(0)


def build_app():
    # APP HOOK: how the benchmark constructs the app on a journal. Keep in step with
    # TrustJournalApp.__init__ (matched by parameter name; optional ones are left out).
    from trustjournal.domain.dates import local_zone
    from trustjournal.storage.journal import Journal

    now = datetime.fromisoformat(os.environ["TRUSTJOURNAL_NOW"])
    values = {
        "journal": lambda: Journal(path),
        "path": lambda: path, "db": lambda: path, "db_path": lambda: path,
        "journal_path": lambda: path,
        "zone": local_zone,
        "clock": lambda: (lambda: now),
        "now": lambda: now,
    }
    args, kwargs = [], {}
    for name, param in inspect.signature(TrustJournalApp).parameters.items():
        if name in values:
            value = values[name]()
        elif param.default is not param.empty or param.kind in (param.VAR_POSITIONAL,
                                                                 param.VAR_KEYWORD):
            continue
        else:
            print("NOAPP", f"the bench cannot fill TrustJournalApp's {name!r}", flush=True)
            sys.exit(0)
        if param.kind is param.POSITIONAL_ONLY:
            args.append(value)
        else:
            kwargs[name] = value
    return TrustJournalApp(*args, **kwargs)


def rows(widget):
    items = getattr(widget, "items", None)
    if isinstance(items, Sequence) and not isinstance(items, str):
        return len(items)
    return getattr(widget, "row_count", 0) or 0


def ledger_filled(app):
    # APP HOOK: "the ledger is on screen" = some widget shows rows (RowList.items, DataTable).
    return any(rows(widget) for widget in app.screen.walk_children())


def ledger_pane(app):
    # APP HOOK: the promise ledger widget (id "ledger" in trustjournal/tui/screens/main.py).
    return app.screen.query_one("#ledger")


async def until(pilot, done, what, limit=30.0):
    deadline = time.monotonic() + limit
    while not done():
        if time.monotonic() > deadline:
            print("NOAPP", f"gave up waiting for {what}", flush=True)
            sys.exit(0)
        await pilot.pause()
        await asyncio.sleep(0.001)


async def painted(app, done, what, limit=30.0):
    # Yield to the event loop (no sleeping) until `done`, then paint the frame now.
    deadline = time.monotonic() + limit
    while not done():
        if time.monotonic() > deadline:
            print("NOAPP", f"gave up waiting for {what}", flush=True)
            sys.exit(0)
        await asyncio.sleep(0)
    app.screen._on_timer_update()


def first_row_text(app):
    # APP HOOK: what the ledger's first row shows for sure: its promise's id ("#12").
    items = ledger_pane(app).items
    return f"#{items[0].promise.id}" if items else None


FIRST_PAINT

def file_id():
    info = os.stat(path)
    return info.st_ino, info.st_mtime_ns, info.st_size


async def interact(app, pilot):
    # APP HOOK: show closed = "t" (MainScreen.action_toggle_closed) until the ledger has more rows.
    # Called directly (not through Pilot's ~60 ms a key); the time to the next idle includes
    # the frame that draws the visible rows.
    pane = ledger_pane(app)
    before = rows(pane)
    start = time.perf_counter()
    app.screen.action_toggle_closed()
    await until(pilot, lambda: rows(pane) != before, "closed promises to show")
    show_closed = time.perf_counter() - start
    # APP HOOK: the filter ("/", Input #filter): each key is the filter's value growing by one
    # letter, timed to the ledger holding the new rows and that frame painted, with closed
    # promises shown. Not to Pilot's next idle: pilot.pause() sleeps in steps of about 20 ms
    # until the process looks idle (a bare Textual app's Input measures 22-44 ms a key that
    # way), so it could not see a 16 ms target. The frame is painted at once, as
    # pilot.pause() does last, instead of at the next tick of the 60 Hz refresh timer.
    app.screen.action_filter()
    await pilot.pause()
    box = app.screen.query_one("#filter")
    per_key = []
    for n in range(1, 7):
        shown = pane.items
        start = time.perf_counter()
        box.value = "review"[:n]
        await painted(app, lambda: pane.items is not shown, "the filtered ledger")
        per_key.append(time.perf_counter() - start)
    await pilot.pause()
    box.value = ""
    await pilot.press("escape")  # closes the filter, so the next keys reach the screen
    await pilot.pause()
    app.screen.action_toggle_closed()
    await pilot.pause()
    # APP HOOK: quick capture = "p", one line "who: what by when", Enter saves (in a worker).
    await pilot.press("p")
    await pilot.press(*["backspace"] * 40, *f"{who}: bench promise by fri 5pm")
    await pilot.pause()
    old = file_id()
    start = time.perf_counter()
    await pilot.press("enter")
    await until(pilot, lambda: file_id() != old, "the quick capture to reach the file")
    saved = time.perf_counter() - start
    await until(pilot, lambda: rows(pane) > 0, "the ledger after the capture")
    # APP HOOK: "k" on the selected promise = MainScreen.action_kept: the ledger is redrawn at
    # once from memory and the save runs in a worker thread. Called directly, so Pilot's own
    # ~60 ms per key is not counted; a ticker task measures how long the event loop (and so
    # every frame) is held up while the save runs.
    await until(pilot, lambda: not any(not w.is_finished for w in app.workers), "idle workers")
    gaps = []
    ticking = True

    async def ticker():
        last = time.perf_counter()
        while ticking:
            # 1 ms between ticks: a ticker that never sleeps would hold the GIL the loading
            # and saving threads need, and slow what it measures.
            await asyncio.sleep(0.001)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    task = asyncio.create_task(ticker())
    await asyncio.sleep(0.05)
    gaps.clear()
    old = file_id()
    start = time.perf_counter()
    shown = pane.items
    app.screen.action_kept()
    # Redrawn: the ledger's rows are new (the kept promise has left the open ones) and that
    # frame is painted.
    await painted(app, lambda: pane.items is not shown, "the ledger redrawn after k")
    redrawn = time.perf_counter() - start
    while file_id() == old:
        if time.perf_counter() - start > 30:
            print("NOAPP", "gave up waiting for k to reach the file", flush=True)
            sys.exit(0)
        await asyncio.sleep(0.0005)
    kept_saved = time.perf_counter() - start
    ticking = False
    await task
    longest = max(gaps, default=0.0)
    print(f"RESULT {show_closed * 1000:.3f} {saved * 1000:.3f} {redrawn * 1000:.3f} "
          f"{kept_saved * 1000:.3f} {longest * 1000:.3f} {max(per_key) * 1000:.3f}",
          flush=True)


def rss_mb():
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


async def main():
    gaps = []
    loading = True

    async def ticker():
        # How long the event loop (and so every frame) is held up while the journal loads.
        last = time.perf_counter()
        while loading:
            # 1 ms between ticks: a ticker that never sleeps would hold the GIL the loading
            # and saving threads need, and slow what it measures.
            await asyncio.sleep(0.001)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    task = asyncio.create_task(ticker())
    app = build_app()
    async with app.run_test(size=(160, 50)) as pilot:
        # APP HOOK: the first frame = the first painted frame that shows a ledger row (the
        # text of the first row's id on screen), found the way the floor finds its "hello"
        # (first_paint). Not pilot.pause(): that waits until the whole process is idle, so
        # it would also wait for the history still loading in its thread after that frame.
        filled = await first_paint(app, lambda: ledger_filled(app), first_row_text, 60.0)
        print(f"READY {int(filled)}", flush=True)
        await until(pilot, lambda: not any(not w.is_finished for w in app.workers), "idle")
        loading = False
        await task
        print(f"LOAD {max(gaps, default=0.0) * 1000:.3f} {rss_mb():.1f}", flush=True)
        if mode == "interact" and filled:
            try:
                await interact(app, pilot)
            except Exception as error:  # an app that changed under the hook: say so, go on
                print("NOAPP", f"interaction hook failed: {type(error).__name__}: {error}",
                      flush=True)


asyncio.run(main())
"""

FIRST_PAINT = r"""
def screen_text(app):
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def first_paint(app, ready, text_of, limit):
    # Yield to the event loop until `ready`, then paint what is pending at once (as the
    # 60 Hz refresh timer would at its next tick) until the screen shows `text_of(app)`.
    # True once shown; False when it gave up after `limit` seconds.
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if ready():
            app.screen._on_timer_update()
            text = text_of(app)
            if text and text in screen_text(app):
                return True
        await asyncio.sleep(0.001)
    return False
"""

TEXTUAL_FLOOR = r"""
import asyncio, time
from textual.app import App
from textual.widgets import Static

FIRST_PAINT


class Minimal(App[None]):
    def compose(self):
        yield Static("hello")


async def main():
    app = Minimal()
    async with app.run_test(size=(160, 50)) as pilot:
        # The same probe as the app's first frame (first_paint): its one text painted.
        shown = await first_paint(app, lambda: True, lambda app: "hello", 60.0)
        print(f"READY {int(shown)}", flush=True)


asyncio.run(main())
"""

APP_CHILD = APP_CHILD.replace("FIRST_PAINT", FIRST_PAINT)
TEXTUAL_FLOOR = TEXTUAL_FLOOR.replace("FIRST_PAINT", FIRST_PAINT)

TEXTUAL_INPUT_FLOOR = r"""
import asyncio, statistics, time
from textual.app import App
from textual.widgets import Input, Static


class Minimal(App[None]):
    seen = 0

    def compose(self):
        yield Static("hello")
        yield Input(id="box")

    def on_input_changed(self, event):
        self.seen += 1


async def main():
    app = Minimal()
    async with app.run_test(size=(160, 50)) as pilot:
        box = app.query_one("#box")
        box.focus()
        await pilot.pause()
        per_key = []
        for n in range(1, 7):
            seen = app.seen
            start = time.perf_counter()
            box.value = "review"[:n]
            while app.seen == seen:
                await asyncio.sleep(0)
            app.screen._on_timer_update()
            per_key.append(time.perf_counter() - start)
        print("READY 1", flush=True)
        print(f"RESULT {max(per_key) * 1000:.3f}", flush=True)


asyncio.run(main())
"""


def textual_input_floor(env: dict[str, str], runs: int) -> Figure:
    """The floor for the filter: a key into a bare Textual app's Input, to that frame painted,
    timed as the app's filter key is (the slowest of six keys, median of runs)."""
    samples = []
    for i in range(runs + 1):
        done = subprocess.run([sys.executable, "-c", TEXTUAL_INPUT_FLOOR], env=env,
                              capture_output=True, text=True, timeout=300)
        result = next((line.split()[1] for line in done.stdout.splitlines()
                       if line.startswith("RESULT")), None)
        if result is None:
            raise BenchError(f"the Textual input floor failed: {done.stderr.strip()[-500:]}")
        if i:
            samples.append(float(result))
    return timed("textual minimal input per key", None, samples)


def app_exists() -> bool:
    return (REPO / "trustjournal" / "tui" / "app.py").is_file()


def textual_floor(env: dict[str, str], runs: int) -> tuple[Figure, Figure]:
    """The floor for the app: a minimal Textual app (one Static) to its first frame."""
    samples: list[Run] = []
    for i in range(runs + 1):
        run = spawn_until_ready([sys.executable, "-c", TEXTUAL_FLOOR], env)
        assert isinstance(run, Run)
        if i:
            samples.append(run)
    return (
        timed("textual minimal first frame", None, _ms(samples)),
        timed("textual minimal peak memory", None, _mb(samples), unit="MB"),
    )


def app_first_frame(
    journal: Path, env: dict[str, str], runs: int, floors: tuple[Figure, Figure] | None
) -> tuple[Figure, ...]:
    """APP HOOK: process start to the first screen with the ledger filled, headless
    (App.run_test), and the same child's peak memory."""
    size = _size_of(journal)
    if not app_exists():
        return (
            Figure("app first frame", size, "ms", None, note=APP_NOT_BUILT),
            Figure("app peak memory", size, "MB", None, note=APP_NOT_BUILT),
        )
    samples: list[Run] = []
    argv = [sys.executable, "-c", APP_CHILD, str(journal), "frame", "-"]
    for i in range(runs + 1):
        run = spawn_until_ready(argv, env)
        if isinstance(run, str):
            note = f"n/a ({run})"
            return (
                Figure("app first frame", size, "ms", None, note=note),
                Figure("app peak memory", size, "MB", None, note=note),
            )
        if i:
            samples.append(run)
    note = "" if all(r.ready for r in samples) else "ledger rows never seen; timed to give-up"
    loads = [line.split()[1:] for r in samples for line in r.after.splitlines()
             if line.startswith("LOAD")]
    frame_floor, memory_floor = floors or (None, None)
    frame = timed(
        "app first frame",
        size,
        _ms(samples),
        floor=frame_floor.median if frame_floor else None,
        floor_name="textual minimal first frame",
        note=note,
    )
    memory = timed(
        "app peak memory",
        size,
        _mb(samples),
        unit="MB",
        floor=memory_floor.median if memory_floor else None,
        floor_name="textual minimal peak memory",
    )
    extra = []
    if loads:
        extra = [timed("app longest loop gap while loading", size, [float(g) for g, _ in loads]),
                 timed("app memory after load", size, [float(m) for _, m in loads], unit="MB")]
    return frame, memory, *extra


def app_interactions(
    journal: Path, env: dict[str, str], runs: int, who: str
) -> tuple[Figure, ...]:
    """APP HOOK: "show closed" (the key that adds closed promises to the ledger, to the ledger
    redrawn with them), "quick capture to saved" (Enter on a quick capture, to the new journal
    file on disk, through Pilot), and for "k": keypress to redrawn, keypress to saved, and the
    longest the event loop was held up while saving. Timed inside a headless app on a copy of
    the journal (it grows a promise and closes one a run)."""
    size = _size_of(journal)
    names = ("app show closed", "app quick capture to saved", "app k keypress-to-redrawn",
             "app k keypress-to-saved", "app longest loop gap while saving",
             "app filter per key, closed shown")
    if not app_exists():
        return tuple(Figure(name, size, "ms", None, note=APP_NOT_BUILT) for name in names)
    copy = journal.with_name(f"app-{journal.name}")
    shutil.copyfile(journal, copy)
    argv = [sys.executable, "-c", APP_CHILD, str(copy), "interact", who]
    samples: list[list[float]] = [[] for _ in names]
    for i in range(runs + 1):
        done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=300)
        lines = done.stdout.splitlines()
        reason = next((line[6:] for line in lines if line.startswith("NOAPP")), None)
        result = next((line.split()[1:] for line in lines if line.startswith("RESULT")), None)
        if reason is not None or result is None:
            why = reason or f"exit {done.returncode}: {done.stderr.strip()[-300:]}"
            return tuple(Figure(name, size, "ms", None, note=f"n/a ({why})") for name in names)
        if i:
            for column, value in zip(samples, result, strict=True):
                column.append(float(value))
    return tuple(timed(name, size, column) for name, column in zip(names, samples, strict=True))


# The targets for the app, by figure and size: (limit, on the ratio or the median).
APP_TARGETS: dict[str, dict[int, tuple[float, str]]] = {
    "app first frame": {500: (1.2, "ratio"), 20000: (1.5, "ratio"), 100000: (2.0, "ratio")},
    "app k keypress-to-redrawn": {500: (16, "ms"), 20000: (30, "ms"), 100000: (60, "ms")},
    "app k keypress-to-saved": {500: (40, "ms"), 20000: (120, "ms"), 100000: (400, "ms")},
    "app longest loop gap while saving": {500: (50, "ms"), 20000: (50, "ms"),
                                          100000: (100, "ms")},
    "app longest loop gap while loading": {500: (50, "ms"), 20000: (50, "ms"),
                                           100000: (100, "ms")},
    "app filter per key, closed shown": {500: (16, "ms"), 20000: (16, "ms"), 100000: (30, "ms")},
    "app peak memory": {500: (50, "MB"), 20000: (100, "MB"), 100000: (350, "MB")},
}


def _judge_app(fig: Figure) -> None:
    limit = APP_TARGETS.get(fig.figure, {}).get(fig.size or 0)
    if limit is None or fig.median is None:
        return
    value, kind = limit
    if kind == "ratio":
        fig.target = f"<={value}x floor"
        fig.met = fig.ratio is not None and fig.ratio <= value
    else:
        fig.target = f"<={value:g} {kind}"
        fig.met = fig.median <= value


_SIZES: dict[Path, int] = {}
_INPUT_FLOOR: list[Figure] = []
"""The bare Textual Input's key to painted, once per run: the floor of the filter figure."""


def _size_of(journal: Path) -> int | None:
    return _SIZES.get(journal)


# --- one size -----------------------------------------------------------------------------------


def bench_size(
    size: int,
    runs: int,
    folder: Path,
    env: dict[str, str],
    app_floors: tuple[Figure, Figure] | None,
    with_app: bool,
) -> list[Figure]:
    tj = trustjournal_command()
    journal = folder / f"journal-{size}.json"
    _SIZES[journal] = size

    demo_runs = 1 if size > 20000 else min(3, runs)
    demo_samples = []
    for i in range(demo_runs):
        target = journal if i == 0 else folder / f"demo-{size}-{i}.json"
        run = spawn([*tj, "--db", str(target), "demo", "--promises", str(size)], env)
        demo_samples.append(run.seconds * 1000)
        if target != journal:
            target.unlink()
            target.with_name(target.name + ".lock").unlink(missing_ok=True)
    demo = timed("demo generation", size, demo_samples)

    # Captures grow a copy by one promise per run; each floor grows its own copy the same way.
    capture_copy = folder / f"capture-{size}.json"
    floor_copy = folder / f"floor-{size}.json"
    floor_copy_no_gc = folder / f"floor-no-gc-{size}.json"
    for copy in (capture_copy, floor_copy, floor_copy_no_gc):
        shutil.copyfile(journal, copy)
    who = person_prefix(journal)
    capture_argv = [
        *tj,
        "--db",
        str(capture_copy),
        "promise",
        "x",
        "--to",
        who,
        "--due",
        "in 3 days",
    ]
    py = sys.executable
    task = taskwarrior(folder, size, env)
    extra: dict[str, Callable[[], Run]] = {}
    if not isinstance(task, str):
        task_argv, task_env = task
        extra["taskwarrior add"] = lambda: spawn(task_argv, task_env)
    measured = interleaved(
        runs,
        {
            **extra,
            "list": lambda: spawn([*tj, "--db", str(journal), "list"], env),
            "floor capture": lambda: spawn([py, "-c", FLOOR_CAPTURE, str(floor_copy)], env),
            "floor capture, gc off": lambda: spawn(
                [py, "-c", FLOOR_CAPTURE_NO_GC, str(floor_copy_no_gc)], env
            ),
            "capture": lambda: spawn(capture_argv, env),
            "floor read": lambda: spawn([py, "-c", FLOOR_READ, str(journal)], env),
            "due": lambda: spawn([*tj, "--db", str(journal), "due"], env),
            "python startup": lambda: spawn([py, "-c", "pass"], env),
        },
    )
    startup = timed("python startup", size, _ms(measured["python startup"]))
    floor_capture, capture = measured["floor capture"], measured["capture"]
    floor_read, due = measured["floor read"], measured["due"]

    floor_ms = statistics.median(_ms(floor_capture))
    floor_mb = statistics.median(_mb(floor_capture))
    read_ms = statistics.median(_ms(floor_read))
    cap = timed("capture", size, _ms(capture), floor=floor_ms, floor_name="json capture floor")
    _judge_capture(cap)
    figures = [
        startup,
        demo,
        cap,
        timed(
            "json capture floor",
            size,
            _ms(floor_capture),
            floor=startup.median,
            floor_name="python startup",
        ),
        timed(
            "json capture floor, gc off",
            size,
            _ms(measured["floor capture, gc off"]),
            floor=startup.median,
            floor_name="python startup",
        ),
        timed(
            "capture peak memory",
            size,
            _mb(capture),
            unit="MB",
            floor=floor_mb,
            floor_name="json capture floor peak memory",
        ),
        timed("due", size, _ms(due), floor=read_ms, floor_name="json read floor"),
        _judged(timed("list", size, _ms(measured["list"]), floor=read_ms,
                      floor_name="json read floor"), LIST_TARGETS),
        timed(
            "json read floor",
            size,
            _ms(floor_read),
            floor=startup.median,
            floor_name="python startup",
        ),
        timed(
            "due peak memory",
            size,
            _mb(due),
            unit="MB",
            floor=statistics.median(_mb(floor_read)),
            floor_name="json read floor peak memory",
        ),
    ]
    if isinstance(task, str):
        figures.append(Figure("capture vs taskwarrior", size, "ms", None, note=task))
    else:
        task_ms = statistics.median(_ms(measured["taskwarrior add"]))
        figures.append(timed("taskwarrior add", size, _ms(measured["taskwarrior add"])))
        figures.append(_judged(timed("capture vs taskwarrior", size, _ms(capture),
                                     floor=task_ms, floor_name="taskwarrior add"),
                               TASKWARRIOR_TARGETS))
    if with_app:
        frame, memory, *loading = app_first_frame(journal, env, runs, app_floors)
        interactions = app_interactions(journal, env, runs, who)
        for fig in interactions:
            if fig.figure == "app filter per key, closed shown" and _INPUT_FLOOR:
                fig.floor, fig.floor_name = _INPUT_FLOOR[0].median, _INPUT_FLOOR[0].figure
        figures += [frame, *loading, *interactions, memory]
        for fig in (frame, *loading, *interactions, memory):
            _judge_app(fig)
    return figures


CAPTURE_TARGETS = {500: 1.6, 20000: 1.1, 100000: 1.1}
LIST_TARGETS = {500: 1.5, 20000: 1.2, 100000: 1.2}
TASKWARRIOR_TARGETS = {20000: 1.5, 100000: 1.2}


def _judged(fig: Figure, targets: dict[int, float]) -> Figure:
    """Judge a ratio against issue 14's target for its size (sizes without one are shown)."""
    limit = targets.get(fig.size or 0)
    if limit is not None and fig.ratio is not None:
        fig.target = f"<={limit}x floor"
        fig.met = fig.ratio <= limit
    return fig


def _judge_capture(fig: Figure) -> None:
    """Issue 14's targets: capture / floor <= 1.6 at 500, <= 1.1 at 20,000 and 100,000."""
    _judged(fig, CAPTURE_TARGETS)


# --- the report ---------------------------------------------------------------------------------


def _value(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "ms":
        return f"{value:.1f} ms" if value < 10000 else f"{value / 1000:.2f} s"
    return f"{value:.1f} {unit}"


def table(figures: list[Figure]) -> str:
    header = ("figure", "size", "median", "floor", "ratio", "target", "met?", "note")
    rows = [header]
    for f in figures:
        if f.median is None:
            rows.append((f.figure, _size(f.size), "n/a", "-", "-", f.target, "-", f.note))
            continue
        floor_unit = f.unit
        ratio = f.ratio
        rows.append(
            (
                f.figure,
                _size(f.size),
                _value(f.median, f.unit),
                _value(f.floor, floor_unit),
                f"{ratio:.2f}x" if ratio is not None else "-",
                f.target,
                "-" if f.met is None else ("yes" if f.met else "NO"),
                f.note,
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = []
    for n, row in enumerate(rows):
        cells = [
            row[i].ljust(widths[i]) if i in (0, 5, 6, 7) else row[i].rjust(widths[i])
            for i in range(len(header))
        ]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    notes = sorted({f"  {f.figure}: floor = {f.floor_name}" for f in figures if f.floor_name})
    return "\n".join([*lines, "", "floors:", *notes])


def _size(size: int | None) -> str:
    return "-" if size is None else f"{size:,}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.benchmarks.bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--sizes",
        default=",".join(map(str, DEFAULT_SIZES)),
        help="comma-separated promise counts (default: %(default)s)",
    )
    parser.add_argument(
        "--runs",
        type=int,
        default=DEFAULT_RUNS,
        help="timed runs per figure after one warm-up (default: %(default)s)",
    )
    parser.add_argument("--json", metavar="OUT", help="also write the figures as JSON here")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="only the smallest size, 3 runs: a smoke test, well under a minute",
    )
    parser.add_argument("--no-app", action="store_true", help="skip the app figures")
    parser.add_argument(
        "--keep", metavar="DIR", help="write the journals into a new folder in DIR and keep them"
    )
    args = parser.parse_args(argv)
    try:
        sizes = sorted({int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()})
    except ValueError:
        parser.error(f"--sizes {args.sizes!r}: use numbers, e.g. 500,5000")
    runs = args.runs
    if args.quick:
        sizes, runs = sizes[:1], 2
    if runs < 1 or not sizes or sizes[0] < 1:
        parser.error("--runs and --sizes need positive numbers")

    env = child_env()
    with_app = not args.no_app
    started = time.perf_counter()
    load_before = os.getloadavg()[0]
    figures: list[Figure] = []
    try:
        with tempfile.TemporaryDirectory(prefix="tj-bench-") as tmp:
            folder = Path(tmp)
            if args.keep:
                Path(args.keep).mkdir(parents=True, exist_ok=True)
                folder = Path(tempfile.mkdtemp(prefix="tj-bench-", dir=args.keep))
            app_floors = None
            if with_app:
                app_floors = textual_floor(env, runs)
                figures += app_floors
                input_floor = textual_input_floor(env, runs)
                _INPUT_FLOOR.append(input_floor)
                figures.append(input_floor)
            for size in sizes:
                print(f"... {size:,} promises", file=sys.stderr, flush=True)
                figures += bench_size(size, runs, folder, env, app_floors, with_app)
    except BenchError as error:
        print(f"bench: {error}", file=sys.stderr)
        return 1
    load_after = os.getloadavg()[0]

    print(table(figures))
    judged = [f for f in figures if f.met is not None]
    print(
        f"\ntargets met: {sum(1 for f in judged if f.met)} of {len(judged)}; "
        f"{runs} runs per figure after a warm-up; {time.perf_counter() - started:.0f} s in all; "
        f"load average {load_before:.2f} -> {load_after:.2f} on {os.cpu_count()} CPUs; "
        f"command: {' '.join(trustjournal_command())}"
    )
    if args.json:
        report = {
            "when": datetime.now(UTC).isoformat(timespec="seconds"),
            "python": sys.version.split()[0],
            "platform": platform.platform(),
            "command": trustjournal_command(),
            "runs": runs,
            "sizes": sizes,
            "cpus": os.cpu_count(),
            "load_average": [load_before, load_after],
            "bytecode": "cached: PYTHONDONTWRITEBYTECODE is dropped for the measured processes",
            "figures": [{**asdict(f), "ratio": f.ratio} for f in figures],
        }
        Path(args.json).write_text(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
