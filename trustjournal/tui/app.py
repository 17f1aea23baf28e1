"""The full-screen app. It is handed its journal, clock and zone, so tests can freeze time."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Coroutine, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from textual import events, work
from textual.actions import ActionParseResult
from textual.actions import parse as parse_action
from textual.app import App, SystemCommand
from textual.dom import DOMNode
from textual.message import Message
from textual.reactive import var
from textual.screen import Screen
from textual.theme import Theme
from textual.worker import Worker

from trustjournal.domain.dates import local_zone
from trustjournal.domain.errors import TrustJournalError
from trustjournal.domain.ledger import Ledger
from trustjournal.storage.config import Loaded
from trustjournal.storage.journal import Journal, collector_paused, freeze_loaded
from trustjournal.tui import safe
from trustjournal.tui.commands import ScreenCommands, bindings
from trustjournal.tui.messages import LedgerChanged, LoadFailed, SaveReport, SeriesNotAdvanced
from trustjournal.tui.rows import warm
from trustjournal.tui.screens.main import MainScreen
from trustjournal.tui.session import Outcome, Result, Session

if TYPE_CHECKING:
    from trustjournal.tui.acts import Act
    from trustjournal.tui.flows import Flows


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
    BINDINGS = bindings("app")
    COMMANDS = App.COMMANDS | {ScreenCommands}

    ledger: var[Ledger | None] = var(None, always_update=True)
    """The journal as the app shows it: every screen watches it and redraws from it. Set on
    the UI thread only; replaced, never mutated (and never compared: it may be large)."""
    now: var[datetime] = var(datetime.min.replace(tzinfo=UTC), always_update=True)
    """The minute, for what depends on the clock as much as on the file (overdue, due today)."""
    load_error: var[str | None] = var(None)
    """Why the journal could not be opened (nothing can be changed then)."""

    def __init__(
        self,
        journal: Journal,
        *,
        clock: Callable[[], datetime] = _system_now,
        zone: ZoneInfo | None = None,
        poll_seconds: float = 1.0,
        start_review: bool = False,
        config: Loaded | None = None,
    ) -> None:
        super().__init__()
        if config is None:
            from trustjournal.storage.config import load

            config = load()
        self.config = config
        """The settings (end of day, week, review steps, update words, theme) and their file."""
        self.session = Session(journal, clock, zone or local_zone(), config.settings)
        self._ask_holds: list[int] = []
        self._reloading = False
        self._first_frame = threading.Event()
        """Set once a ledger has been drawn: the full load waits for it (see load)."""
        self._saved_theme: str | None = None
        self.poll_seconds = poll_seconds
        self.start_review = start_review
        self._held: list[events.Key] = []
        self._replays: set[int] = set()
        """The keys handed back from `_held` (by id) and not yet taken."""
        self._holds: set[int] = set()
        self._hold_number = 0

    @cached_property
    def flows(self) -> Flows:
        """The questions the app asks, each ending in one act (see flows.py)."""
        # Imported by the loading thread after the first frame (see load): the questions,
        # their forms and the acts are 40 ms of imports the first frame need not wait for.
        from trustjournal.tui.flows import Flows

        return Flows(self)

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
        if token not in self._holds:
            # Dropped already (its watchdog fired, then the key was done, or the other way
            # round): handing back another key now put several in flight at once, and under
            # load they arrived reversed ("thr eeby").
            return
        self._holds.discard(token)
        if self._holds or not self._held:
            return
        # One key at a time, the oldest first: handed back to the queue, it may land behind
        # keys typed meanwhile, and those wait behind it (on_event), so the order holds.
        key = self._held.pop(0)
        replay = events.Key(key.key, key.character)
        self._replays.add(id(replay))
        self.post_message(replay)

    async def on_event(self, event: events.Event) -> None:
        if not isinstance(event, events.Key) or event.is_forwarded:
            await super().on_event(event)
            return
        replayed = id(event) in self._replays
        self._replays.discard(id(event))
        if self._holds or (self._held and not replayed):
            if replayed:  # held again: it is still the oldest
                self._held.insert(0, event)
            else:
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
                self.push_screen(QuitScreen(self.session, self.action_retry))
            return
        self.exit()

    def on_mount(self) -> None:
        theme = self.config.settings.theme
        if theme and theme in self.available_themes:
            self.theme = theme
        elif theme:
            safe.say(self, f"The theme {theme!r} in {self.config.path} is not one this app "
                     "knows; ctrl+p, Theme picks one (and saves it).", severity="warning")
        self._saved_theme = self.theme
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        self.now = self.session.now()
        self.push_screen(MainScreen(self.session, start_review=self.start_review))
        self.load()
        self.set_interval(self.poll_seconds, self._poll)
        # Overdue is a matter of the clock as much as of the file; so is a series' next one.
        self.set_interval(60, self._tick)

    def _tick(self) -> None:
        self.now = self.session.now()
        self.advance_series()

    # --- the journal: loaded, watched for changes from the shell, saved in order

    @work(thread=True, group="load")
    def load(self, external: bool = False) -> None:
        first = self.ledger is None
        try:
            if first:
                # People and open promises first: the screen a person acts on, drawn before
                # the history is decoded (seconds at 100,000 promises), and the history read
                # once that frame is painted: read meanwhile, it held up the screen's mount
                # and first paint for the GIL (60-80 ms at 100,000).
                self.post_message(LedgerChanged(self.session.reload(open_only=True)))
                self._first_frame.wait(timeout=2.0)
            # Frozen before the collector is back on: decoded with it off, the journal's
            # million objects sat in its youngest generation, and the first allocation after
            # walked them all (29 ms at 20,000 promises, 150 ms at 100,000, UI held up). The
            # journal holds no cycles, so they never need collecting; once dropped,
            # reference counting frees them.
            with collector_paused():
                ledger = self.session.reload()
                freeze_loaded()
            # The questions' modules (40 ms of imports), here rather than on the UI thread.
            import trustjournal.tui.flows  # noqa: F401
        except TrustJournalError as error:
            self.post_message(LoadFailed(str(error)))
            self._reloading = False
            return
        try:
            if self.session.advance():
                ledger = self.session.ledger
        except TrustJournalError as error:
            self.post_message(SeriesNotAdvanced(str(error)))
        finally:
            self._reloading = False
        warm(ledger, self.session.now(), self.session.zone)
        self.post_message(LedgerChanged(ledger, external=external))

    @work(thread=True, exclusive=True, group="advance")
    def advance_series(self) -> None:
        """Once a minute: the next occurrence of a series that fell due since is made."""
        if self.ledger is None or not self.ledger.series:
            return
        try:
            made = self.session.advance()
        except TrustJournalError as error:
            self.post_message(SeriesNotAdvanced(str(error)))
            return
        if made:
            self.post_message(LedgerChanged(self.session.ledger))

    def on_series_not_advanced(self, message: SeriesNotAdvanced) -> None:
        safe.say(self, f"The next occurrence of a recurring promise was not made: "
                 f"{message.error}", severity="warning", timeout=8)

    def _poll(self) -> None:
        if self.ledger is None or self._reloading or self.session.busy:
            return
        if not self.session.is_current():
            self._reloading = True
            self.load(external=True)

    def on_ledger_changed(self, message: LedgerChanged) -> None:
        self.load_error = None
        # The minute without its watchers: the screens redraw once, for the ledger, and read
        # the time then (else each change was drawn twice: 200 ms at 100,000 promises).
        self.set_reactive(TrustJournalApp.now, self.session.now())
        self.ledger = message.ledger
        if not self._first_frame.is_set():
            self.call_after_refresh(self._first_frame.set)  # once this frame is on the screen

    def on_load_failed(self, message: LoadFailed) -> None:
        self.load_error = message.error

    def perform(self, act: Act) -> bool:
        """Show the act at once and queue it: saved off the UI thread, in order, and kept in
        the queue (and on the top line) if the disk says no. False when it cannot be taken."""
        if self.session.read_only:
            safe.say(self, self.session.notice or "This journal is read-only.", severity="error")
            return False
        if self.ledger is not None:
            self.ledger = act.preview(self.ledger) or self.ledger
        self.session.act(act)
        if self.session.stalled:
            safe.say(self, f"Not saved yet: {act.description} waits behind the change the "
                     "disk refused; ctrl+s saves them all, in order.", severity="warning")
            self.ledger = self.ledger  # the top line shows what waits
            self.screen.refresh_bindings()
        self._drain()
        return True

    @work(thread=True, group="save")
    def _drain(self) -> None:
        def report(outcome: Outcome) -> None:
            warm(self.session.ledger, self.session.now(), self.session.zone)
            self.post_message(SaveReport(outcome))

        self.session.drain(report)

    def on_save_report(self, message: SaveReport) -> None:
        outcome = message.outcome
        self.ledger = self.session.ledger
        if outcome.result is Result.SAVED:
            if outcome.message:
                safe.say(self, outcome.message, timeout=4)
        elif outcome.result is Result.FAILED:
            safe.say(self, f"Not saved: {outcome.message}", severity="error", timeout=10)
        elif outcome.result is Result.REFUSED:
            safe.say(self, outcome.message, severity="error", timeout=8)
        else:
            safe.say(self, self.session.notice or outcome.message, severity="error", timeout=15)
        self.screen.refresh_bindings()

    def action_retry(self) -> None:
        """Save again what the disk refused, in order."""
        self.session.retry()
        self._drain()
        self.screen.refresh_bindings()

    def action_undo(self) -> None:
        """Undo exactly the last change made: queued behind every change made before it."""
        queued = self.session.submit_undo()
        if isinstance(queued, str):
            safe.say(self, queued)
            self.ledger = self.session.ledger
            self.screen.refresh_bindings()
            return
        self._drain()

    # --- questions: each flow runs in a worker, so it can wait for each answer in turn

    def ask(self, flow: Coroutine[Any, Any, bool]) -> Worker[bool]:
        """Run a flow (flows.py). The keys typed from now on wait for its first question."""
        self._ask_holds.append(self.hold_keys())

        async def run() -> bool:
            try:
                return await flow
            finally:
                self.release_ask_hold()

        return self.run_worker(run(), group="ask")

    def release_ask_hold(self) -> None:
        while self._ask_holds:
            self.release_keys(self._ask_holds.pop())

    # --- settings the app itself changes

    def _theme_changed(self, theme: Theme) -> None:
        """A theme picked in the app (ctrl+p, Theme) is the one it opens with next time."""
        if theme.name != self._saved_theme:
            self._saved_theme = theme.name
            self._save_theme(theme.name)

    @work(thread=True, exclusive=True, group="theme")
    def _save_theme(self, name: str) -> None:
        from trustjournal.domain.errors import TrustJournalError
        from trustjournal.storage.config import save_theme

        try:
            save_theme(self.config.path, name)
        except (OSError, TrustJournalError) as error:
            self.call_from_thread(safe.say, self, f"The theme was not saved to "
                                  f"{self.config.path}: {error}", severity="warning")

    # --- screenshots: into the data folder, readable by you alone

    @property
    def screenshot_folder(self) -> Path:
        return self.session.journal.path.parent / "screenshots"

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        """Save an SVG of the screen in the data folder's screenshots/ (made 0700), 0600."""
        svg = self.export_screenshot()
        folder = Path(path) if path else self.screenshot_folder
        stamp = datetime.now().strftime("%Y-%m-%dT%H_%M_%S_%f")
        self._write_screenshot(svg, folder / (filename or f"trustjournal_{stamp}.svg"))

    @work(thread=True, group="screenshot")
    def _write_screenshot(self, svg: str, target: Path) -> None:
        try:
            target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(svg)
            os.chmod(target, 0o600)
        except OSError as error:
            self.call_from_thread(safe.say, self, f"The screenshot was not saved: {error}",
                                  severity="error")
            return
        self.call_from_thread(safe.say, self, f"Screenshot saved to {target}", timeout=8)

    @property
    def main(self) -> MainScreen:
        """The main screen, under whatever is on top (tests and the quit screen look at it)."""
        return next(s for s in self.screen_stack if isinstance(s, MainScreen))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        for command in super().get_system_commands(screen):
            if command.title == "Screenshot":
                yield SystemCommand(
                    "Screenshot",
                    f"Save an SVG of this screen in {self.screenshot_folder}",
                    # After the palette has closed, so it is not in the picture.
                    lambda: self.set_timer(0.1, self.action_screenshot),
                )
            elif command.title != "Quit":  # the table's Quit asks first when not saved
                yield command

    # --- never silent: a key that cannot act says why

    async def run_action(
        self,
        action: str | ActionParseResult,
        default_namespace: DOMNode | None = None,
        namespaces: Mapping[str, DOMNode] | None = None,
    ) -> bool:
        """Run an action; when the screen it is meant for cannot act on it now
        (`check_action`), the screen's `why_not` says why in a notice instead of silence."""
        namespace, name, params = (parse_action(action) if isinstance(action, str)
                                   else action)
        target = default_namespace
        if not namespace and target is not None and not target.check_action(name, params):
            why_not = getattr(target, "why_not", None)
            reason = why_not(name, params) if callable(why_not) else None
            if reason:
                safe.say(target, reason, severity="warning")
                return True
        return await super().run_action(action, default_namespace, namespaces)
