"""The brief for the ten-minute check-in with one person (practices 1, 6, 7, 8): their goals
and milestones, what you committed to, your promises to them, feedback and testimonials from
people they trust. The same Markdown as `trustjournal brief NAME`, shown as text."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from trustjournal.tui import safe
from trustjournal.tui.commands import bindings
from trustjournal.tui.widgets.keybar import KeyBar


class BriefScreen(ModalScreen[None]):
    SCOPE = "brief"
    BINDINGS = bindings("brief")

    def __init__(self, name: str, markdown: str) -> None:
        super().__init__()
        self.person_name = name
        self.markdown = markdown

    def compose(self) -> ComposeResult:
        with Vertical(id="form"):
            yield Static(Content(f"Brief for a check-in with {safe.line(self.person_name)}"),
                         classes="form-title")
            with VerticalScroll(id="brief-text"):
                # Journal text is shown, never obeyed or read as markup.
                yield Static(safe.plain(self.markdown))
            yield Static(Content("c copies it (Markdown) · ↑↓ scroll · esc closes"),
                         classes="form-hint")
        yield KeyBar()

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.markdown)
        first = self.person_name.split()[0].lower() if self.person_name.split() else "NAME"
        safe.say(self, "Copied — if your terminal allows it. If nothing pastes: "
                 f"trustjournal brief {first} > brief.md", timeout=10)

    def action_close(self) -> None:
        self.dismiss(None)
