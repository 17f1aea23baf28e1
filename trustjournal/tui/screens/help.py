"""Every key, in the order of the day: capture, follow through, review."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("Log a promise", (
        ("p", 'log a promise in one line: "Dana: send the risk list by fri 5pm"'),
        ("", 'one that repeats: "Dana: status note every mon 10am" (↻ in the ledger)'),
    )),
    (
        "Follow through (on the selected promise)",
        (
            ("k", "kept (on time or late is worked out)"),
            ("r", "renegotiate: a new due time and a note, ideally before it is due"),
            ("b", "broken: a note, honestly"),
            ("x", "released by them: a note"),
            ("R", "↻ change the series behind it: day, time or text, from now on"),
            ("X", "↻ stop the series behind it (the next one is released; history stays)"),
        ),
    ),
    (
        "People, commitments, journal",
        (
            ("enter", "open the selected person's page"),
            ("n", "journal entry for the selected person (check-in, apology, feedback …)"),
            ("a", "add a person"),
            ("c", "add a commitment for the selected person"),
            ("e", "edit the selection"),
        ),
    ),
    (
        "Moving around",
        (
            ("tab / shift+tab", "next / previous pane"),
            ("↑ ↓ pgup pgdn home end", "move within a pane"),
            ("/", "filter the ledger by words; esc clears"),
            ("t", "show or hide closed promises"),
            ("u", "undo the last change made in this session"),
            ("ctrl+s", "save again what the disk refused (the top line says NOT SAVED), in order"),
            ("ctrl+p", "command palette: every action by name"),
            ("?", "this help"),
            ("q", "quit; with changes not saved it asks: retry, discard (d twice) or stay"),
        ),
    ),
)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "close", "Close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(Content("Keys"), classes="form-title")
            for section, keys in KEYS:
                yield Static(Content(section), classes="help-section")
                for key, what in keys:
                    yield Static(Content.assemble((f"{key:>22}", "bold"), "  ", what))
            yield Static(Content("Esc closes this help."), classes="form-hint")

    def action_close(self) -> None:
        self.dismiss(None)
