"""Messages that travel up from the workers to the screens."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from trustjournal.domain.ledger import Ledger
from trustjournal.tui.session import Outcome


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
class SaveReport(Message):
    """One queued change was saved, refused, or kept because the disk said no."""

    outcome: Outcome


@dataclass
class SeriesNotAdvanced(Message):
    """Making the next occurrence of a recurring promise failed (the disk, another journal)."""

    error: str
