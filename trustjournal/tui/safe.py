"""Text from the journal (or from an error) reaches the screen as text: never as markup, and
never with a control character the terminal would obey.

`line` and `lines` make control characters visible (trustjournal.domain.text.visible);
`content` does the same to a whole Content, keeping its styles; `say` notifies without markup.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from textual.content import Content

from trustjournal.domain.text import unsafe_char, visible

Severity = Literal["information", "warning", "error"]

# What `visible(..., multiline=True)` rewrites: every control but newline and tab, and bidi.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def line(text: object) -> str:
    """One line of journal text, its control characters (newlines too) shown as symbols."""
    return visible(str(text))


def lines(text: object) -> str:
    """Journal text that may span lines: newlines and tabs kept, other controls shown."""
    return visible(str(text), multiline=True)


def plain(text: object) -> Content:
    """Journal text as Content, never parsed as markup."""
    return Content(lines(text))


def content(value: Content) -> Content:
    """`value` with every control character made visible (styles kept where they can be)."""
    text = value.plain
    if unsafe_char(text, multiline=True) is None:
        return value
    pieces: list[Content] = []
    last = 0
    for match in _UNSAFE.finditer(text):
        pieces.append(value[last:match.start()])
        pieces.append(Content(visible(match.group())))
        last = match.end()
    pieces.append(value[last:])
    return Content("").join(pieces)


def title(*parts: object) -> Content:
    """A border title from journal text: one line, no markup."""
    return Content(line("".join(str(p) for p in parts)))


def say(widget: Any, message: object, *, severity: Severity = "information",
        timeout: float | None = None) -> None:
    """notify() with journal or error text: shown as typed, never as markup."""
    widget.notify(lines(message), severity=severity, timeout=timeout, markup=False)


# The domain's errors are written for the shell; in the app the same advice is a key.
_FOR_APP = (
    (re.compile(r'add them first: trustjournal person add "[^"]*"'), "add them first: press a"),
    (re.compile(r'e\.g\. trustjournal person add "([^"]*)"'), r"e.g. \1"),
)


def for_app(message: object) -> str:
    """A domain error as the app says it: shell commands in its advice become the app's keys."""
    text = str(message)
    for pattern, replacement in _FOR_APP:
        text = pattern.sub(replacement, text)
    return text
