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


# --- output: one writer per kind of destination -------------------------------------------------

# These two are used once per whole document: kept as text, compiled (and cached by re) on
# first use rather than at import by every command (~0.3 ms).

# What a terminal must never be handed raw, for whole documents: every control but newline and
# tab, and a carriage return unless it ends a line (CSV and iCalendar end their lines CRLF).
_UNSAFE_DOCUMENT = f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_BIDI}]|\r(?!\n)"

# What JSON text must not carry raw: the same, plus the line and paragraph separators that
# end a line in JavaScript. JSON whitespace (newline, tab, CR) stays: outside strings it is
# layout, and inside a string json.dumps has escaped it already.
_UNSAFE_JSON = f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_BIDI}\u2028\u2029]"


def terminal_text(text: str, *, crlf: bool = False) -> str:
    """`text` fit to write to a terminal: newlines and tabs kept, every other control visible.

    `crlf` keeps a carriage return that ends a line (an exported CSV or iCalendar file).
    """
    if crlf:
        return re.sub(_UNSAFE_DOCUMENT, _shown, text)
    return _UNSAFE_MULTI_LINE.sub(_shown, text)


def json_text(text: str) -> str:
    """JSON text (as `json.dumps(..., ensure_ascii=False)` writes it) with no raw control.

    DEL, C1 controls and bidi controls, which json.dumps leaves raw, become `\\uXXXX` escapes:
    the JSON stays valid and parses back to the very same strings.
    """
    return re.sub(_UNSAFE_JSON, lambda m: f"\\u{ord(m.group()):04x}", text)


# Markdown that means something anywhere in a line: escapes, code, emphasis, links and images,
# raw HTML and entities, tables, strikethrough.
_MD_INLINE = re.compile(r"([\\`*_\[\]<>&|~])")
# ... and at the start of a line: headings, quotes, list items, thematic breaks, setext rules.
_MD_LEADING = re.compile(r"^([#>+=-]|\d{1,9}(?=[.)]))")


def md_text(text: str) -> str:
    """`text` as literal Markdown inline text: shown as typed, never read as Markdown or HTML.

    One line (newlines and other controls are shown as symbols, so no text can start a block
    of its own), without surrounding whitespace, every Markdown-significant character escaped
    with a backslash: `<script>` stays text, `[x](javascript:…)` is not a link, `# x` is not a
    heading wherever the text lands in the line.
    """
    shown = _MD_INLINE.sub(r"\\\1", visible(text.strip()))
    match = _MD_LEADING.match(shown)
    if match is None:
        return shown
    if match.group(1).isdigit():  # "1. x": escape the dot or parenthesis after the number
        end = match.end()
        return f"{shown[:end]}\\{shown[end:]}"
    return "\\" + shown
