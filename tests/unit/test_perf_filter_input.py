"""FilterInput types like an Input, without laying out the screen again on every key."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Input, Static

from trustjournal.tui.widgets.filter_input import FilterInput


class _Typing(App[None]):
    def __init__(self, kind: type[Input]) -> None:
        super().__init__()
        self.kind = kind
        self.changes: list[str] = []

    def compose(self) -> ComposeResult:
        yield Static("ledger")
        yield self.kind(id="box")

    def on_input_changed(self, event: Input.Changed) -> None:
        self.changes.append(event.value)


async def _type(kind: type[Input], text: str) -> tuple[_Typing, int]:
    app = _Typing(kind)
    async with app.run_test(size=(16, 6)) as pilot:
        box = app.query_one("#box", Input)
        box.focus()
        await pilot.pause()
        layouts = 0
        real = app.screen._refresh_layout

        def counted(*args: object, **kwargs: object) -> None:
            nonlocal layouts
            layouts += 1
            real(*args, **kwargs)  # type: ignore[arg-type]

        app.screen._refresh_layout = counted  # type: ignore[method-assign]
        await pilot.press(*text)
        await pilot.pause()
        assert box.value == text and box.cursor_position == len(text)
        # A value longer than the box scrolls so the cursor stays in view.
        assert box.scroll_offset.x > 0 if len(text) > box.content_size.width else True
    return app, layouts


async def test_typing_gives_the_value_and_a_change_a_key_without_a_layout() -> None:
    text = "review the numbers"
    app, layouts = await _type(FilterInput, text)
    assert app.changes == [text[:n] for n in range(1, len(text) + 1)]
    _, plain_layouts = await _type(Input, text)
    assert layouts < plain_layouts
