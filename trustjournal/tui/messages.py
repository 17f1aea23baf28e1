"""Messages that travel up from the workers to the screens."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from textual.message import Message

from trustjournal.domain.ledger import Ledger


@dataclass
class LedgerChanged(Message):
    """The ledger was (re)loaded or changed: every pane redraws from it."""

    ledger: Ledger
    external: bool = False
    """True when another process (the shell) changed the journal."""


@dataclass
class LoadFailed(Message):
    """The journal could not be read; nothing may be changed until it is fixed."""

    error: str


@dataclass
class SaveFailed(Message):
    """The disk refused a change; the screen keeps it and offers a retry."""

    error: str
    description: str
    change: Callable[[Any], str]
