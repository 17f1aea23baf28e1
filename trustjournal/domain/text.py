"""Text is data: what a person types is checked once, and what the journal holds is shown safely.

A terminal obeys control characters: ESC starts sequences that recolour, retitle the window,
write the clipboard (OSC 52) or clear the screen; BEL, backspace and carriage return move or
sound; C1 controls are ESC in one byte for some terminals; bidi overrides reorder what is shown
so a line reads as something it is not. None of them belongs in a name or a promise, so they are
refused where text enters the journal (`check_text`), and anything already in a journal (edited
by hand, written by an older version) is made visible rather than obeyed (`visible`).
"""

from __future__ import annotations

import re

from trustjournal.domain.errors import InvalidInput

# C0 controls, DEL, C1 controls; and the bidi embeddings, overrides and isolates (U+202A–E,
# U+2066–9) plus the invisible marks that steer them (U+200E, U+200F, U+061C).
_BIDI = "\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c"
_UNSAFE_ONE_LINE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}]")
_UNSAFE_MULTI_LINE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}]")

_BIDI_SET = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A),
                                       0x200E, 0x200F, 0x061C))


_NAMES = {
    0x00: "NUL", 0x07: "BEL", 0x08: "backspace", 0x09: "tab", 0x0A: "newline",
    0x0D: "carriage return", 0x1B: "ESC", 0x7F: "DEL",
}


def describe(char: str) -> str:
    """A control character in words: "ESC (U+001B)"."""
    code = ord(char)
    name = _NAMES.get(code)
    if name is None:
        name = "a bidi control" if char in _BIDI_SET else "a control character"
    return f"{name} (U+{code:04X})"


def unsafe_char(value: str, *, multiline: bool = False) -> str | None:
    """The first character that must not be stored, or None."""
    match = (_UNSAFE_MULTI_LINE if multiline else _UNSAFE_ONE_LINE).search(value)
    return match.group() if match else None


def check_text(value: str, what: str, *, multiline: bool = False) -> str:
    """`value`, unchanged, when it holds no control character; else one line saying which.

    Multi-line fields (notes, what happened, an entry) may hold newlines and tabs; one-line
    fields (a name, a role, a promise) may not, because every listing shows them on one line.
    """
    bad = unsafe_char(value, multiline=multiline)
    if bad is None:
        return value
    form = "plain text" if multiline else "one line of plain text"
    raise InvalidInput(f"{what} holds {describe(bad)}; type it as {form}, without control "
                       "characters")


def _shown(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: ␛ for ESC, ␇ for BEL, ␀ …
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"<U+{code:04X}>"


def visible(text: str, *, multiline: bool = False) -> str:
    """`text` with every control character shown as a visible symbol, never obeyed.

    One-line text shows newlines and tabs as symbols too; multi-line text keeps them.
    """
    pattern = _UNSAFE_MULTI_LINE if multiline else _UNSAFE_ONE_LINE
    return pattern.sub(_shown, text)
