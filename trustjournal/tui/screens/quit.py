"""Quitting with changes the disk has not taken yet: retry them, discard them, or stay."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from trustjournal.tui import safe
from trustjournal.tui.commands import bindings
from trustjournal.tui.session import Session


class QuitScreen(ModalScreen[None]):
    """Shown by q while changes are queued. The app quits itself once they are saved."""

    SCOPE = "quit"
    BINDINGS = bindings("quit")

    def __init__(self, session: Session, retry: object) -> None:
        super().__init__()
        self.session = session
        self.retry = retry
        self.armed = False

    def compose(self) -> ComposeResult:
        with Vertical(id="form"):
            yield Static(Content("Quit with changes NOT SAVED?"), classes="form-title")
            yield Static(self._listing(), id="quit-list")
            yield Static(Content("r  retry saving them, then quit\n"
                                 "d  discard them and quit (press d twice)\n"
                                 "esc  stay in the app"), id="quit-keys", classes="form-hint")

    def on_mount(self) -> None:
        self.set_interval(0.2, self._check)

    def _listing(self) -> Content:
        unsaved = self.session.unsaved
        rows = [f"  • {safe.line(p.description)} — " + (
            safe.line(p.error) if p.error else "saving…" if p.running
            else "waits behind the one the disk refused" if self.session.stalled
            else "waiting to be saved") for p in unsaved]
        head = "1 change is" if len(unsaved) == 1 else f"{len(unsaved)} changes are"
        return Content(f"{head} not saved in the journal yet:\n" + "\n".join(rows))

    def _check(self) -> None:
        if not self.session.unsaved:
            self.app.exit()
            return
        self.query_one("#quit-list", Static).update(self._listing())

    def action_retry(self) -> None:
        self.armed = False
        if callable(self.retry):
            self.retry()

    def action_discard(self) -> None:
        if not self.armed:
            self.armed = True
            count = len(self.session.unsaved)
            self.query_one("#quit-keys", Static).update(Content.styled(
                f"Press d again to throw away {count} unsaved change"
                f"{'' if count == 1 else 's'} and quit; esc stays.", "bold $text-error"))
            return
        self.session.discard()
        if not self.session.unsaved:
            self.app.exit()

    def action_stay(self) -> None:
        self.dismiss(None)
