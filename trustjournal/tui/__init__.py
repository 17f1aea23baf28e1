"""The Textual app. Imported only when the app is opened, never by the command line."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from trustjournal.storage.journal import Journal


def launch(journal: Journal, zone: ZoneInfo, *, review: bool = False,
           clock: Callable[[], datetime] | None = None) -> int:
    """Run the app; `clock` pins "now" (TRUSTJOURNAL_NOW), else the app follows the real time."""
    from trustjournal.tui.app import TrustJournalApp

    if clock is None:
        TrustJournalApp(journal, zone=zone, start_review=review).run()
    else:
        TrustJournalApp(journal, zone=zone, start_review=review, clock=clock).run()
    return 0
