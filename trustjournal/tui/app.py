"""The full-screen app. It is handed its journal, clock and zone, so tests can freeze time."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen

from trustjournal.domain.dates import local_zone
from trustjournal.storage.journal import Journal
from trustjournal.tui.screens.main import MainScreen
from trustjournal.tui.session import Session


@dataclass
class KeyDone(Message):
    """Follows a key up the widgets it bubbles through: when it reaches the app, that key and
    whatever it started are done."""

    token: int


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
        self._held: list[events.Key] = []
        self._holds: set[int] = set()
        self._hold_number = 0

    # --- type-ahead: keys typed while a form opens or closes land where they were meant
    #
    # Textual hands a key to the focused widget's queue and runs a screen's binding only when
    # the key has bubbled back up to the app; a key typed meanwhile is handed on at once, to
    # whatever has focus *then*. So the app takes one key at a time: the next waits until the
    # last has gone all the way up (a KeyDone sentinel follows it), and until every form it
    # opened or closed has taken the focus (hold_keys / release_keys).

    def hold_keys(self, watchdog: float = 3.0) -> int:
        """Keep every key from now on until `release_keys(token)`; returns the token."""
        self._hold_number += 1
        token = self._hold_number
        self._holds.add(token)
        # Never hold keys for good, whatever happens to what asked.
        self.set_timer(watchdog, lambda: self._drop_hold(token), name="release held keys")
        return token

    def release_keys(self, token: int) -> None:
        """Hand the held keys on once the screen that is coming has drawn and taken focus."""
        self.call_after_refresh(lambda: self._drop_hold(token))

    def _drop_hold(self, token: int) -> None:
        self._holds.discard(token)
        if self._holds or not self._held:
            return
        held, self._held = self._held, []
        for key in held:
            self.post_message(events.Key(key.key, key.character))

    async def on_event(self, event: events.Event) -> None:
        if not isinstance(event, events.Key) or event.is_forwarded:
            await super().on_event(event)
            return
        if self._holds:
            self._held.append(event)
            return
        token = self.hold_keys(watchdog=1.0)
        target = self.focused or self.screen
        await super().on_event(event)
        if not (event.is_forwarded and target.post_message(KeyDone(token))):
            self._drop_hold(token)  # handled here and now (a priority binding)

    def on_key_done(self, message: KeyDone) -> None:
        self._drop_hold(message.token)

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
            ("Retry saving", "ctrl+s — what the disk refused, in order", main.action_retry),
            ("Open the selected person", "enter on a person", main.action_open_person),
            ("Help: every key", "?", main.action_help),
        ):
            yield SystemCommand(title, help_text, action)
