"""One modal form for every small question the app asks: typed fields, parsed as you type.

A field's `parse` raises InvalidInput with a line that says what is wrong and an example of
right; the form shows it under the field, keeps focus there, and saves nothing.

The form fits any terminal: each field is a label over a one-line input, its message shows
only when there is one, the fields scroll (the focused one is kept in view) and the title and
the Enter/Esc hint are docked, so they never scroll away.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.css.query import NoMatches
from textual.events import DescendantFocus
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, Static, TextArea

from trustjournal.domain.errors import TrustJournalError
from trustjournal.tui import safe

T = TypeVar("T")

Answers = dict[str, Any]
"""What each field parsed to, by key: the form's `answer` turns it into its typed result."""


def _text(widget: Input | TextArea) -> str:
    return widget.text if isinstance(widget, TextArea) else widget.value


def _as_text(value: str) -> object:
    return value.strip()


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    value: str = ""
    """Text already in the input (an edit form's current value): selected, so typing replaces it."""
    placeholder: str = ""
    parse: Callable[[str], object] = _as_text
    preview: Callable[[Any], str] | None = None
    """Shown under the field once it parses: how the app understood what was typed."""
    suggestions: Sequence[str] = ()
    default: str = ""
    """What an empty input means (a choice's usual answer). Shown as the placeholder, never as
    text, so typing `detractor` gives `detractor`."""
    check: Callable[[Any, FormScreen[Any]], None] | None = None
    """A check that needs the running app (a name already taken): raises InvalidInput."""
    multiline: bool = False
    """Long free text (what happened, an apology, notes): a few lines to write in, wrapped
    as you type. Enter moves on (or saves) as everywhere; ctrl+j starts a new line."""

    @property
    def shown_placeholder(self) -> str:
        if self.default and not self.placeholder:
            return f"{self.default} (Enter keeps it)"
        return self.placeholder


class FormScreen(ModalScreen[T | None]):
    """Enter moves to the next field, and on the last one saves; Escape cancels (None).

    Typed by its result: `answer` turns what the fields parsed into it (an act, a dataclass).
    When `answer` raises InvalidInput the form stays open and says why under the first field.
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        # Enter is taken here, as it is pressed, not when the Input's Submitted message comes
        # round: the keys typed after it must not land in this form.
        Binding("enter", "submit", "Next / save", show=False, priority=True),
        Binding("ctrl+s", "save", "Save", show=False, priority=True),
        Binding("ctrl+j,alt+enter", "new_line", "New line", show=False, priority=True),
    ]

    def __init__(self, title: str, fields: Sequence[Field], answer: Callable[[Answers], T], *,
                 hint: str = "") -> None:
        super().__init__()
        self.answer = answer
        self.form_title = title
        self.fields = list(fields)
        self.hint = hint
        # The key that opened this form was just pressed: what is typed next belongs in it.
        self._holds: list[int] = []
        self._hold()

    def _hold(self) -> None:
        try:
            app = self.app
        except Exception:  # made outside a running app (a test): no keys to hold
            return
        hold = getattr(app, "hold_keys", None)
        if callable(hold):
            self._holds.append(hold())

    def _release(self) -> None:
        try:
            app = self.app
        except Exception:
            return
        release = getattr(app, "release_keys", None)
        while self._holds and callable(release):
            release(self._holds.pop())

    def compose(self) -> ComposeResult:
        with Vertical(id="form"):
            yield Static(Content(safe.line(self.form_title)), classes="form-title")
            default_hint = ("Enter: next / save   Esc: cancel" if len(self.fields) > 1
                            else "Enter: save   Esc: cancel")
            if any(f.multiline for f in self.fields):
                default_hint = ("Enter: next / save   ctrl+j: new line in the text   "
                                "Esc: cancel")
            yield Static(Content(self.hint or default_hint), classes="form-hint")
            with VerticalScroll(id="form-fields", can_focus=False):
                for spec in self.fields:
                    with Vertical(classes="form-field", id=f"w-{spec.key}"):
                        yield Label(Content(safe.line(spec.label)), classes="form-label")
                        suggester = (
                            SuggestFromList(spec.suggestions, case_sensitive=False)
                            if spec.suggestions
                            else None
                        )
                        if spec.multiline:
                            text = TextArea(safe.lines(spec.value), id=f"f-{spec.key}",
                                            compact=True, show_line_numbers=False,
                                            highlight_cursor_line=False,
                                            placeholder=safe.line(spec.shown_placeholder),
                                            classes="form-text")
                            yield text
                            yield Static("", id=f"m-{spec.key}", classes="form-message")
                            continue
                        field = Input(
                            value=safe.line(spec.value),
                            placeholder=safe.line(spec.shown_placeholder),
                            id=f"f-{spec.key}",
                            suggester=suggester,
                            # An edit form's current value is selected: typing replaces it,
                            # an arrow key keeps it to change a word.
                            select_on_focus=bool(spec.value),
                            compact=True,
                        )
                        field.cursor_blink = False  # steady caret: calm, and snapshots stable
                        yield field
                        yield Static("", id=f"m-{spec.key}", classes="form-message")

    def on_mount(self) -> None:
        for spec in self.fields:
            if spec.value:
                self._check(spec, spec.value, quiet=True)
        if self.fields:
            first = self._input(self.fields[0])
            if first is not None:
                first.focus()
        self._release()

    @on(DescendantFocus)
    def _keep_in_view(self, event: DescendantFocus) -> None:
        """The focused field, its label and its message stay in view as focus moves."""
        widget = event.widget
        if isinstance(widget, (Input, TextArea)) and isinstance(widget.parent, Vertical):
            widget.parent.scroll_visible(animate=False)

    def _spec(self, input_id: str | None) -> Field | None:
        key = (input_id or "")[2:]
        return next((f for f in self.fields if f.key == key), None)

    def _input(self, spec: Field) -> Input | TextArea | None:
        try:
            found = self.query_one(f"#f-{spec.key}")
        except NoMatches:  # not composed (the app is closing), or already gone
            return None
        return found if isinstance(found, (Input, TextArea)) else None

    def _message(self, spec: Field) -> Static | None:
        try:
            return self.query_one(f"#m-{spec.key}", Static)
        except NoMatches:
            return None

    def _parse(self, spec: Field, value: str) -> object:
        text = value if value.strip() or not spec.default else spec.default
        parsed = spec.parse(text)
        if spec.check is not None:
            spec.check(parsed, self)
        return parsed

    def _check(self, spec: Field, value: str, *, quiet: bool = False) -> tuple[bool, object]:
        message = self._message(spec)
        try:
            parsed = self._parse(spec, value)
        except (TrustJournalError, ValueError) as error:
            if not quiet and message is not None:
                self._show_error(spec, error)
            return False, None
        if message is not None:
            text = spec.preview(parsed) if spec.preview else ""
            message.update(Content(f"→ {safe.line(text)}" if text else ""))
            message.set_classes("form-message -ok" if text else "form-message")
        return True, parsed

    def _show_error(self, spec: Field, error: object) -> None:
        message = self._message(spec)
        if message is None:
            return
        message.update(Content(f"✗ {safe.line(safe.for_app(error))}"))
        message.set_classes("form-message -error")
        box = message.parent
        if isinstance(box, Vertical):  # the error, once laid out, is in view with its field
            self.call_after_refresh(box.scroll_visible, animate=False)

    def show_error(self, key: str, error: object) -> None:
        """Show `error` under the field `key` and put the focus there (the form stays open)."""
        spec = next((f for f in self.fields if f.key == key), None)
        if spec is None:
            return
        self._show_error(spec, error)
        field = self._input(spec)
        if field is not None:
            field.focus()

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        spec = self._spec(event.input.id)
        if spec is None:
            return
        if event.value or spec.preview:
            self._check(spec, event.value)
        else:
            message = self._message(spec)
            if message is not None:
                message.update("")
                message.set_classes("form-message")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._submit(event.input)

    @on(TextArea.Changed)
    def _text_changed(self, event: TextArea.Changed) -> None:
        spec = self._spec(event.text_area.id)
        if spec is not None:
            self._check(spec, event.text_area.text)

    def action_submit(self) -> None:
        focused = self.focused
        if isinstance(focused, (Input, TextArea)):
            self._submit(focused)

    def action_new_line(self) -> None:
        focused = self.focused
        if isinstance(focused, TextArea):
            focused.insert("\n")

    def _submit(self, field: Input | TextArea) -> None:
        spec = self._spec(field.id)
        if spec is None:
            return
        index = self.fields.index(spec)
        ok, _ = self._check(spec, _text(field))
        if not ok:
            return
        if index + 1 < len(self.fields):
            following = self._input(self.fields[index + 1])
            if following is None:
                return
            # Keys typed after Enter belong in the next field, once it has the focus.
            self._hold()
            following.focus()
            self._release()
            return
        self.action_save()

    def action_save(self) -> None:
        values: Answers = {}
        for spec in self.fields:
            field = self._input(spec)
            if field is None:
                return
            ok, parsed = self._check(spec, _text(field))
            if not ok:
                field.focus()
                return
            values[spec.key] = parsed
        try:
            result = self.answer(values)
        except (TrustJournalError, ValueError) as error:
            self.show_error(self.fields[-1].key, error)
            return
        # Keys typed after the last Enter belong to the screen below, once it is back.
        self._hold()
        self.dismiss(result)
        self._release()

    def action_cancel(self) -> None:
        self._hold()
        self.dismiss(None)
        self._release()
