"""Every key, screen by screen, from the command table (`tui/commands.py`); then the method's
practices in the product's own words (`trustjournal help method`), each with its keys here."""

from __future__ import annotations

import re
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from trustjournal.tui.commands import bindings, help_sections

# The keys in the app for each practice of the method, by its number in METHOD.
PRACTICE_KEYS: dict[int, str] = {
    1: "enter opens their page; a adds a person, e edits them (role, leader, needs, notes); "
       "g adds a goal, m a milestone",
    2: "s on their page changes the stance, with why; the review's stance step asks",
    3: "f on their page names a breach and its cause (e on it names the cause later); n logs "
       "the acknowledgement, the apology and the plan you shared",
    4: "c adds a commitment to their goals; on it m a milestone, n progress against its "
       "measure, y done, x drop (saying why)",
    5: "p logs a promise (\"… every mon 10am\" repeats it); k kept, r renegotiate, "
       "b broken, x released, on the main screen and their page; R and X change or stop a "
       "series",
    6: "u on their page drafts the fifteen-second update; i the brief for a check-in; n logs "
       "a check-in",
    7: "n logs feedback asked, received, and acted on (it answers the feedback); the review "
       "names who you haven't asked in twice their cadence",
    8: "t on their page notes whom they trust; n logs a testimonial (it shows in the brief); "
       "y on a milestone asks about meeting their leader",
    9: "n logs going first and empathy; the review asks for one thing for today",
    10: "d the daily review; i insights; follow-through on every page counts what is overdue",
    11: "i insights: which causes and kinds keep failing",
}


@dataclass(frozen=True, slots=True)
class Practice:
    number: int
    title: str
    text: str
    shell: str
    """The commands the manual names for it, from the shell."""


_PRACTICE = re.compile(r"^  (\d+)\s+(\S.*?)\s{2,}(\S.*)$")


def practices(method: str) -> tuple[str, list[Practice], str]:
    """The manual's METHOD text read back into its parts: the opening line, each numbered
    practice (its words and the shell commands in the right-hand column), the closing lines."""
    lines = method.rstrip().splitlines()
    found: list[tuple[int, str, list[str], list[str]]] = []
    closing: list[str] = []
    opening = lines[0] if lines else ""
    for line in lines[1:]:
        if not line.strip():
            if found:
                closing = []
            continue
        match = _PRACTICE.match(line)
        if match:
            words, _, shell = match.group(3).partition("   ")
            found.append((int(match.group(1)), match.group(2), [words.strip()],
                          [shell.strip()] if shell.strip() else []))
            continue
        indent = len(line) - len(line.lstrip())
        if found and indent > 40:
            found[-1][3].append(line.strip())
        elif found and indent > 4 and not closing:
            words, _, shell = line.strip().partition("   ")
            found[-1][2].append(words.strip())
            if shell.strip():
                found[-1][3].append(shell.strip())
        else:
            closing.append(line.strip())
    return (opening, [Practice(n, title, " ".join(w), " ".join(sh))
                      for n, title, w, sh in found], " ".join(closing))


class HelpScreen(ModalScreen[None]):
    SCOPE = "help"
    BINDINGS = bindings("help")

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(Content("Keys"), classes="form-title")
            for section, keys in help_sections():
                yield Static(Content(section), classes="help-section")
                for key, what in keys:
                    yield Static(Content.assemble((f"{key:>22}", "bold"), "  ", what))
            from trustjournal.cli.manual import METHOD

            opening, steps, closing = practices(METHOD)
            yield Static(Content("The method"), classes="form-title")
            yield Static(Content(opening))
            for step in steps:
                yield Static(Content(f"{step.number:>2}  {step.title}"), classes="help-section")
                yield Static(Content.assemble("    ", step.text))
                here = PRACTICE_KEYS.get(step.number)
                if here:
                    yield Static(Content.assemble(("    here: ", "bold"), here))
                if step.shell:
                    yield Static(Content.assemble(("    shell (trustjournal …): ", "$text-muted"),
                                                  (step.shell, "$text-muted")))
            if closing:
                yield Static(Content.assemble("\n", closing))
            yield Static(Content("Esc closes this help; trustjournal help method prints the "
                                 "method."), classes="form-hint")

    def action_close(self) -> None:
        self.dismiss(None)
