"""How long `orjson.loads` and `loads_in_pieces` take, and how long each holds the GIL.

    python -m tests.benchmarks.pieces_bench [JOURNAL ...] [--pieces 65536,262144,...] [--runs 7]

For each journal (read only; default: scratch/b20k.json and scratch/b100k.json) it times
`orjson.loads(body)` and `loads_in_pieces(body, piece)` for each piece size, garbage
collection off, the median of `--runs` runs (in turns, so drift hits both alike). During each
run a second thread ticks every 1 ms (`time.sleep(0.001)`); the longest gap between two of its
ticks is the longest time it could not get the GIL (plus its 1 ms sleep), which is what a UI
thread feels while a worker thread parses. The longest gap is the median over the runs of each
run's maximum. Not a test: timings are never asserted.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import orjson

from trustjournal.storage.pieces import PIECE, parse_in_pieces

DEFAULT_FILES = ("scratch/b20k.json", "scratch/b100k.json")


class Ticker:
    """A thread that ticks every 1 ms and keeps the longest gap between two ticks."""

    def __init__(self) -> None:
        self.longest = 0.0
        self._stop = threading.Event()
        self._started = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        last = time.perf_counter()
        self._started.set()
        while not self._stop.is_set():
            time.sleep(0.001)
            now = time.perf_counter()
            self.longest = max(self.longest, now - last)
            last = now

    def __enter__(self) -> Ticker:
        self._thread.start()
        self._started.wait()
        time.sleep(0.01)
        self.longest = 0.0
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


def run_once(parse: Callable[[], Any]) -> tuple[float, float]:
    """(seconds the parse took, longest tick gap during it). The result is freed only after the
    ticker stopped: freeing 100,000 records holds the GIL for tens of ms, which is not the
    parse's doing."""
    with Ticker() as ticker:
        start = time.perf_counter()
        result = parse()
        took = time.perf_counter() - start
        longest = ticker.longest
    del result
    return took, longest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("journals", nargs="*", default=list(DEFAULT_FILES))
    parser.add_argument("--pieces", default="32768,65536,131072,262144,524288,1048576")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.pieces.split(",")]
    print(
        f"python {sys.version.split()[0]}, orjson {orjson.__version__}, "
        f"switch interval {sys.getswitchinterval() * 1000:g} ms, default piece {PIECE}"
    )
    for name in args.journals:
        body = Path(name).read_bytes()
        expected = orjson.loads(body)
        for size in sizes:
            result, count = parse_in_pieces(body, size)
            if result != expected:
                raise SystemExit(f"{name}: loads_in_pieces(piece={size}) differs from orjson")
            del result
        del expected
        ways: list[tuple[str, Callable[[], Any]]] = [("orjson.loads", partial(orjson.loads, body))]
        for size in sizes:
            count = parse_in_pieces(body, size)[1]
            label = f"pieces {size:>8} ({count:>4} pieces)"
            ways.append((label, partial(parse_in_pieces, body, size)))
        times: dict[str, list[float]] = {label: [] for label, _ in ways}
        gaps: dict[str, list[float]] = {label: [] for label, _ in ways}
        gc.collect()
        gc.disable()
        try:
            for _ in range(args.runs):
                for label, parse in ways:
                    took, longest = run_once(parse)
                    times[label].append(took)
                    gaps[label].append(longest)
                    gc.enable()
                    gc.collect()
                    gc.disable()
        finally:
            gc.enable()
        base = statistics.median(times["orjson.loads"])
        print(f"\n{name}: {len(body):,} bytes, median of {args.runs}")
        print(f"  {'':34} {'total ms':>9} {'vs loads':>9} {'longest gap ms':>15}")
        for label, _ in ways:
            took = statistics.median(times[label])
            gap = statistics.median(gaps[label])
            print(
                f"  {label:34} {took * 1000:9.1f} {took / base - 1:+9.1%} "
                f"{gap * 1000:15.1f}  (max {max(gaps[label]) * 1000:.1f})"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
