"""The full-screen app. It is handed its journal, clock and zone, so tests can freeze time."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from textual import events
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
        self._held: list[events.Key] | None = None
        self._hold_number = 0

    # --- type-ahead: keys typed while a form opens or closes land where they were meant

    def hold_keys(self) -> None:
        """Keep every key from now on until `release_keys`: a form is opening or closing, and
        the keys typed meanwhile belong to what comes next, in order."""
        if self._held is None:
            self._held = []
        self._hold_number += 1
        number = self._hold_number
        # Never hold keys for good, whatever happens to the form.
        self.set_timer(3.0, lambda: self._flush_keys(number), name="release held keys")

    def release_keys(self) -> None:
        """Hand the held keys on once the screen that is coming has drawn and taken focus."""
        number = self._hold_number
        self.call_after_refresh(lambda: self._flush_keys(number))

    def _flush_keys(self, number: int) -> None:
        if number != self._hold_number:
            return  # a later hold is under way; its own release hands the keys on
        held, self._held = self._held, None
        for key in held or ():
            self.post_message(events.Key(key.key, key.character))

    async def on_event(self, event: events.Event) -> None:
        if (self._held is not None and isinstance(event, events.Key)
                and not event.is_forwarded):
            self._held.append(event)
            return
        await super().on_event(event)

    async def action_quit(self) -> None:
        """Quit, unless changes are waiting to be saved: then ask (retry, discard, or stay)."""
        if self.session.unsaved:
            from trustjournal.tui.screens.quit import QuitScreen

            if not isinstance(self.screen, QuitScreen):
                self.push_screen(QuitScreen(self.session, self.main.action_retry))
            return
        self.exit()

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
