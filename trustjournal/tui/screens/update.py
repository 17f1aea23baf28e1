"""The fifteen-second update for one person (practice 6): read it, copy it, mark it sent."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from trustjournal.domain.update import Update
from trustjournal.tui import safe
from trustjournal.tui.commands import bindings
from trustjournal.tui.widgets.keybar import KeyBar


class UpdateScreen(ModalScreen[bool]):
    """Dismissed with True when the person marked it sent."""

    SCOPE = "update"
    BINDINGS = bindings("update")

    def __init__(self, name: str, draft: Update) -> None:
        super().__init__()
        self.person_name = name
        self.draft = draft

    def compose(self) -> ComposeResult:
        fits = self.draft.fits
        limit = self.draft.budget
        budget = (f"{self.draft.words} words — fits the fifteen-second budget ({limit})"
                  if fits else f"{self.draft.words} words — over the {limit}-word budget; "
                  "trim it before you send it")
        with Vertical(id="form"):
            yield Static(Content(f"Update for {safe.line(self.person_name)}"),
                         classes="form-title")
            yield Static(safe.plain(self.draft.text), id="update-text")
            yield Static(Content.styled(budget, "$text-success" if fits else "bold $text-error"),
                         classes="form-hint")
            if self.draft.left_out:
                yield Static(safe.plain("Left out to fit: " + "; ".join(self.draft.left_out)),
                             classes="form-hint")
            yield Static(Content("c copies it · s marks it sent (their check-in clock resets) · "
                                 "esc closes"), classes="form-hint")
        yield KeyBar()

    def action_copy(self) -> None:
        # OSC 52: the terminal may take it, or quietly not; the app cannot tell which.
        self.app.copy_to_clipboard(self.draft.text)
        safe.say(self, copied_text(self.person_name), timeout=12)

    def action_sent(self) -> None:
        self.dismiss(True)

    def action_close(self) -> None:
        self.dismiss(False)


def copied_text(name: str) -> str:
    """What copying says: the terminal may refuse the clipboard without a word, so it says how
    to copy from the shell instead."""
    first = name.split()[0].lower() if name.split() else "NAME"
    if not first.isalnum():
        first = f"'{first}'" if "'" not in first else "NAME"
    return ("Copied — if your terminal allows it. If nothing pastes, copy it from the shell:\n"
            f"  trustjournal update {first} | pbcopy    (macOS)\n"
            f"  trustjournal update {first} | wl-copy   (Wayland)\n"
            f"  trustjournal update {first} | xclip -selection clipboard   (X11)")
