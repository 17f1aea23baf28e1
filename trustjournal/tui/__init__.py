"""The Textual app. Imported only when the app is opened, never by the command line."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from trustjournal.storage.journal import Journal

if TYPE_CHECKING:
    from trustjournal.storage.config import Loaded


def launch(journal: Journal, zone: ZoneInfo, *, review: bool = False,
           clock: Callable[[], datetime] | None = None, config: Loaded | None = None) -> int:
    """Run the app; `clock` pins "now" (TRUSTJOURNAL_NOW), else the app follows the real time.
    `config` is the settings as the command line loaded them (else the app loads them).

    Returns the exit status: 1 when the app ended by an unhandled exception (Textual prints
    the traceback and sets `return_code` to 1), so a crash never looks like a clean quit.
    """
    from trustjournal.tui.app import TrustJournalApp

    if clock is None:
        app = TrustJournalApp(journal, zone=zone, start_review=review, config=config)
    else:
        app = TrustJournalApp(journal, zone=zone, start_review=review, clock=clock,
                              config=config)
    app.run()
    return 1 if app.return_code else 0
