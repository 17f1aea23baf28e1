from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest

from tests.conftest import BERLIN
from trustjournal.cli import run


@dataclass
class Result:
    code: int
    out: str
    err: str


Cli = Callable[..., Result]


@pytest.fixture
def cli(journal_path: Path, now: datetime) -> Cli:
    """Run one command in-process against the temp journal, at a frozen `now` (or `at=`)."""

    def invoke(*argv: str, at: datetime | None = None) -> Result:
        out, err = io.StringIO(), io.StringIO()
        code = run(
            ["--db", str(journal_path), *argv], now=at or now, zone=BERLIN, stdout=out, stderr=err
        )
        return Result(code, out.getvalue(), err.getvalue())

    return invoke


@pytest.fixture
def dana(cli: Cli) -> Cli:
    assert (
        cli(
            "person",
            "add",
            "Dana Whitfield",
            "--role",
            "Director of Platform",
            "--stance",
            "skeptic",
        ).code
        == 0
    )
    return cli
