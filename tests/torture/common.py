"""What every torture part shares: the figures it reports, the CLI runner, fault-injecting `os`."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from trustjournal.storage.atomic import TEMP_MARK

REPO = Path(__file__).resolve().parents[2]
# Pinned so demo journals, "in 3 days" and every timestamp are the same on every run.
NOW_TEXT = "2026-11-25T10:00:00+01:00"
NOW = datetime.fromisoformat(NOW_TEXT).astimezone(UTC)
ZONE = "Europe/Berlin"


def cli_env() -> dict[str, str]:
    env = {**os.environ, "TRUSTJOURNAL_NOW": NOW_TEXT, "TZ": ZONE}
    # A developer's own journal must never be the one a torture run touches.
    for name in ("TRUSTJOURNAL_DB", "TRUSTJOURNAL_TZ"):
        env.pop(name, None)
    return env


def run_cli(path: Path, *argv: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "trustjournal", "--db", str(path), *argv],
        capture_output=True,
        text=True,
        env=cli_env(),
        cwd=REPO,
        timeout=timeout,
    )


def temp_files(journal: Path) -> list[str]:
    prefix = f".{journal.name}{TEMP_MARK}"
    return sorted(n for n in os.listdir(journal.parent) if n.startswith(prefix))


# --- figures -------------------------------------------------------------------------------


@dataclass
class Figure:
    label: str
    value: float
    # None: for information only. Otherwise the run fails when value exceeds it.
    limit: float | None = None
    unit: str = ""

    @property
    def ok(self) -> bool:
        return self.limit is None or self.value <= self.limit

    def shown(self) -> str:
        if isinstance(self.value, float):
            return f"{self.value:.3f}{self.unit}"
        return f"{self.value}{self.unit}"

    def rule(self) -> str:
        if self.limit is None:
            return ""
        return "must be 0" if self.limit == 0 else f"must be <= {self.limit:g}{self.unit}"


@dataclass
class Report:
    figures: dict[str, Figure] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    durations: dict[str, float] = field(default_factory=dict)

    def define(self, key: str, label: str, limit: float | None = None, unit: str = "") -> None:
        self.figures.setdefault(key, Figure(label, 0, limit, unit))

    def add(self, key: str, amount: float = 1) -> None:
        self.figures[key].value += amount

    def at_least(self, key: str, value: float) -> None:
        figure = self.figures[key]
        figure.value = max(figure.value, value)

    def fail(self, key: str, message: str) -> None:
        """Count a must-be-zero event and keep its story for the report."""
        self.add(key)
        self.failures.append(message)

    def note(self, message: str) -> None:
        self.notes.append(message)
        print(f"note: {message}", flush=True)

    @property
    def ok(self) -> bool:
        return all(f.ok for f in self.figures.values())

    def table(self, first: tuple[str, ...] = ()) -> str:
        keys = [k for k in first if k in self.figures]
        keys += [k for k in self.figures if k not in keys]
        width = max(len(f.label) for f in self.figures.values())
        lines = [f"{'figure':<{width}}  {'value':>12}  rule", "-" * (width + 30)]
        headline = sum(k in self.figures for k in first)
        for number, f in enumerate(self.figures[k] for k in keys):
            if number == headline and headline:
                lines.append("-" * (width + 30))
            flag = "" if f.ok else "   <-- FAILED"
            lines.append(f"{f.label:<{width}}  {f.shown():>12}  {f.rule()}{flag}")
        return "\n".join(lines)

    def as_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "figures": {
                k: {"label": f.label, "value": f.value, "limit": f.limit, "ok": f.ok}
                for k, f in self.figures.items()
            },
            "failures": self.failures,
            "notes": self.notes,
            "durations": self.durations,
        }


# --- fault injection -----------------------------------------------------------------------

Hook = Callable[[str, Callable[..., Any], tuple[Any, ...]], Any]


class HookedOs:
    """Stands in for `os` inside trustjournal.storage.atomic only.

    Patching the real `os` module would also hit the lock, the ack log and this harness; a
    stand-in bound to one module name reaches exactly the calls the atomic write makes.
    """

    HOOKED = frozenset({"open", "write", "fsync", "close", "replace"})

    def __init__(self, hook: Hook) -> None:
        self._hook = hook

    def __getattr__(self, name: str) -> Any:
        real = getattr(os, name)
        if name not in self.HOOKED:
            return real
        return lambda *args: self._hook(name, real, args)
