"""The full-screen app. It is handed its journal, clock and zone, so tests can freeze time."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from trustjournal.domain.dates import local_zone
from trustjournal.storage.journal import Journal
from trustjournal.tui.screens.main import MainScreen
from trustjournal.tui.session import Session


def _system_now() -> datetime:
    return datetime.now(UTC)


class TrustJournalApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "trustjournal"
    BINDINGS = [Binding("q", "quit", "Quit")]

    def __init__(
        self,
        journal: Journal,
        *,
        clock: Callable[[], datetime] = _system_now,
        zone: ZoneInfo | None = None,
        poll_seconds: float = 1.0,
        start_review: bool = False,
    ) -> None:
        super().__init__()
        self.session = Session(journal, clock, zone or local_zone())
        self.poll_seconds = poll_seconds
        self.start_review = start_review

    def on_mount(self) -> None:
        self.push_screen(MainScreen(self.session, self.poll_seconds,
                                    start_review=self.start_review))

    @property
    def main(self) -> MainScreen:
        return next(s for s in self.screen_stack if isinstance(s, MainScreen))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        main = self.main
        for title, help_text, action in (
            ("Log a promise", "p — one line: who, what, by when", main.action_promise),
            ("Mark kept", "k — the selected promise was kept", main.action_kept),
            ("Renegotiate", "r — a new due time and a note", main.action_renegotiate),
            ("Mark broken", "b — say what happened", main.action_broken),
            ("Released", "x — they released you from it", main.action_released),
            (
                "Journal entry",
                "n — check-in, apology, feedback … for the selected person",
                main.action_entry,
            ),
            ("Add a person", "a", main.action_add_person),
            ("Add a commitment", "c — for the selected person", main.action_add_commitment),
            ("Edit the selection", "e", main.action_edit),
            ("Filter the ledger", "/", main.action_filter),
            ("Show or hide closed promises", "t", main.action_toggle_closed),
            ("Undo", "u — the last change made in this session", main.action_undo),
            ("Open the selected person", "enter on a person", main.action_open_person),
            ("Help: every key", "?", main.action_help),
        ):
            yield SystemCommand(title, help_text, action)
