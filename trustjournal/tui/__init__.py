"""The Textual app. Imported only when the app is opened, never by the command line."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from trustjournal.storage.journal import Journal


def launch(journal: Journal, zone: ZoneInfo, *, review: bool = False) -> int:
    from trustjournal.tui.app import TrustJournalApp

    TrustJournalApp(journal, zone=zone, start_review=review).run()
    return 0
