"""One modal form for every small question the app asks: typed fields, parsed as you type.

A field's `parse` raises InvalidInput with a line that says what is wrong and an example of
right; the form shows it under the field, keeps focus there, and saves nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, Static

from trustjournal.domain.errors import TrustJournalError
from trustjournal.tui import safe


def _as_text(value: str) -> object:
    return value.strip()


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    value: str = ""
    placeholder: str = ""
    parse: Callable[[str], object] = _as_text
    preview: Callable[[Any], str] | None = None
    """Shown under the field once it parses: how the app understood what was typed."""
    suggestions: Sequence[str] = ()


class FormScreen(ModalScreen[dict[str, Any] | None]):
    """Enter moves to the next field, and on the last one saves; Escape cancels."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        # Enter is taken here, as it is pressed, not when the Input's Submitted message comes
        # round: the keys typed after it must not land in this form.
        Binding("enter", "submit", "Next / save", show=False, priority=True),
    ]

    def __init__(self, title: str, fields: Sequence[Field], *, hint: str = "") -> None:
        super().__init__()
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
        release = getattr(self.app, "release_keys", None)
        while self._holds and callable(release):
            release(self._holds.pop())

    def compose(self) -> ComposeResult:
        with Vertical(id="form"):
            yield Static(Content(safe.line(self.form_title)), classes="form-title")
            for spec in self.fields:
                yield Label(Content(safe.line(spec.label)), classes="form-label")
                suggester = (
                    SuggestFromList(spec.suggestions, case_sensitive=False)
                    if spec.suggestions
                    else None
                )
                field = Input(
                    value=safe.line(spec.value),
                    placeholder=spec.placeholder,
                    id=f"f-{spec.key}",
                    suggester=suggester,
                    select_on_focus=False,
                )
                field.cursor_blink = False  # steady caret: calmer, and snapshots stay stable
                yield field
                yield Static("", id=f"m-{spec.key}", classes="form-message")
            yield Static(
                Content(self.hint or "Enter: next / save   Esc: cancel"), classes="form-hint"
            )

    def on_mount(self) -> None:
        for spec in self.fields:
            if spec.value:
                self._check(spec, spec.value, quiet=True)
        if self.fields:
            self.query_one(f"#f-{self.fields[0].key}", Input).focus()
        self._release()

    def _spec(self, input_id: str | None) -> Field:
        key = (input_id or "")[2:]
        return next(f for f in self.fields if f.key == key)

    def _check(self, spec: Field, value: str, *, quiet: bool = False) -> tuple[bool, object]:
        message = self.query_one(f"#m-{spec.key}", Static)
        try:
            parsed = spec.parse(value)
        except (TrustJournalError, ValueError) as error:
            if not quiet:
                message.update(Content(f"✗ {safe.line(error)}"))
                message.set_classes("form-message -error")
            return False, None
        text = spec.preview(parsed) if spec.preview else ""
        message.update(Content(f"→ {safe.line(text)}" if text else ""))
        message.set_classes("form-message -ok")
        return True, parsed

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        spec = self._spec(event.input.id)
        if event.value or spec.preview:
            self._check(spec, event.value)
        else:
            self.query_one(f"#m-{spec.key}", Static).update("")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._submit(event.input)

    def action_submit(self) -> None:
        focused = self.focused
        if isinstance(focused, Input):
            self._submit(focused)

    def _submit(self, field: Input) -> None:
        index = self.fields.index(self._spec(field.id))
        ok, _ = self._check(self.fields[index], field.value)
        if not ok:
            return
        if index + 1 < len(self.fields):
            # Keys typed after Enter belong in the next field, once it has the focus.
            self._hold()
            self.query_one(f"#f-{self.fields[index + 1].key}", Input).focus()
            self._release()
            return
        self.action_save()

    def action_save(self) -> None:
        values: dict[str, Any] = {}
        for spec in self.fields:
            field = self.query_one(f"#f-{spec.key}", Input)
            ok, parsed = self._check(spec, field.value)
            if not ok:
                field.focus()
                return
            values[spec.key] = parsed
        # Keys typed after the last Enter belong to the screen below, once it is back.
        self._hold()
        self.dismiss(values)
        self._release()

    def action_cancel(self) -> None:
        self._hold()
        self.dismiss(None)
        self._release()
