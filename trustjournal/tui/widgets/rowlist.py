"""A list that draws only the rows on screen (Textual's line API).

DataTable measures every cell before its first frame (seconds at 20,000 promises); this draws
the visible rows, so the ledger opens and redraws in the same time at 50 or 50,000 rows.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

Item = TypeVar("Item")

Cell = tuple[str, str]
"""Text and the name of a component class that styles it ("" for the row's own style)."""


class RowList(ScrollView, Generic[Item], can_focus=True):
    COMPONENT_CLASSES = {
        "rowlist--cursor",
        "rowlist--dim",
        "rowlist--alert",
        "rowlist--warn",
        "rowlist--good",
        "rowlist--strong",
    }
    DEFAULT_CSS = """
    RowList { height: 1fr; overflow-x: hidden; background: $surface; }
    RowList > .rowlist--cursor { background: $foreground 12%; }
    RowList:focus > .rowlist--cursor { background: $accent 35%; text-style: bold; }
    RowList > .rowlist--dim { color: $text-muted; }
    RowList > .rowlist--alert { color: $text-error; text-style: bold; }
    RowList > .rowlist--warn { color: $text-warning; text-style: bold; }
    RowList > .rowlist--good { color: $text-success; }
    RowList > .rowlist--strong { text-style: bold; }
    """
    BINDINGS = [
        Binding("up", "cursor(-1)", "Up", show=False),
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "jump(0)", "First", show=False),
        Binding("end", "jump(-1)", "Last", show=False),
    ]

    cursor: reactive[int] = reactive(0, init=False)

    @dataclass
    class Highlighted(Message):
        """The cursor moved onto a row (index into `items`)."""

        rowlist: RowList[object]
        index: int

        @property
        def control(self) -> RowList[object]:
            return self.rowlist

    @dataclass
    class Selected(Highlighted):
        """Enter on a row."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        self._styles_seen: dict[str, Style] = {}  # before super().__init__: styles may update
        super().__init__(id=id, classes=classes)
        self.items: Sequence[Item] = ()

    # --- data ----------------------------------------------------------------------------------

    def set_items(self, items: Sequence[Item], keep: object | None = None) -> None:
        """Show `items`; keep the cursor on the row whose key is `keep` if it is still there."""
        self.items = items
        self._set_rows(len(items))
        index = self.cursor
        if keep is not None:
            index = self.index_of(items, keep, index)
        clamped = max(0, min(index, len(items) - 1))
        if clamped != self.cursor:
            self.cursor = clamped
        else:
            self.post_message(self.Highlighted(self, clamped))  # type: ignore[arg-type]
        self.refresh()

    def _set_rows(self, rows: int) -> None:
        """The scrollable height. Widget.virtual_size is a layout reactive: assigning it lays
        out the whole screen again (20 ms and more a filter key, at any size of journal). Only
        the scrollbar coming or going needs that, and show_vertical_scrollbar (a layout
        reactive too) asks for it then; otherwise the new height and the scrollbar's thumb
        are set without a layout, as Textual does when a widget is resized."""
        size = Size(0, rows)
        if size == self.virtual_size:
            return
        update = getattr(self, "_scroll_update", None)
        if update is None or not self.is_mounted:
            self.virtual_size = size
            return
        self.set_reactive(ScrollView.virtual_size, size)
        update(size)

    @property
    def current(self) -> Item | None:
        return self.items[self.cursor] if 0 <= self.cursor < len(self.items) else None

    def key_of(self, item: Item) -> object:
        return item

    def index_of(self, items: Sequence[Item], key: object, default: int) -> int:
        """Where the row with `key` is in `items`; `default` when it is not there."""
        try:
            return operator.indexOf(map(self.key_of, items), key)
        except ValueError:
            return default

    def cells(self, item: Item, width: int) -> list[Cell]:
        raise NotImplementedError

    def empty_text(self) -> str:
        return ""

    # --- drawing -------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        scroll_y = self.scroll_offset.y
        index = scroll_y + y
        # The cells fit beside the scrollbar, not under it: with 206 people the pane's
        # scrollbar hid the last two columns ("9" for 93%).
        full = self.size.width
        width = min(full, self.scrollable_content_region.width) or full
        base = self.rich_style
        if not self.items:
            if y == 0 and self.empty_text():
                dim = base + self._component("rowlist--dim")
                return Strip([Segment(" " + self.empty_text(), dim)]).crop_extend(0, full, base)
            return Strip.blank(full, base)
        if index >= len(self.items):
            return Strip.blank(full, base)
        row_style = base
        if index == self.cursor:
            row_style = base + self._component("rowlist--cursor")
        segments = []
        for text, klass in self.cells(self.items[index], width):
            style: Style = row_style + self._ink(klass) if klass else row_style
            segments.append(Segment(text, style))
        # One Strip a line (each makes its own caches; crop_extend made two more).
        line = Segment.adjust_line_length(segments, width, row_style)
        if full > width:
            line.append(Segment(" " * (full - width), row_style))
        return Strip(line, full)

    def _component(self, name: str) -> Style:
        """A component class's style, looked up once until the styles or the focus change."""
        style = self._styles_seen.get(name)
        if style is None:
            style = self._styles_seen[name] = self.get_component_rich_style(name)
        return style

    def _ink(self, klass: str) -> Style:
        """Only the foreground of a cell's class, so it reads on the cursor's background too."""
        name = f"ink:{klass}"
        style = self._styles_seen.get(name)
        if style is None:
            whole = self._component(f"rowlist--{klass}")
            style = self._styles_seen[name] = Style(color=whole.color, bold=whole.bold,
                                                    italic=whole.italic)
        return style

    def notify_style_update(self) -> None:
        self._styles_seen.clear()
        super().notify_style_update()
        self.refresh()

    def on_focus(self) -> None:
        self._styles_seen.clear()
        self.refresh()

    def on_blur(self) -> None:
        self._styles_seen.clear()
        self.refresh()

    # --- moving --------------------------------------------------------------------------------

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self.items) - 1))

    def watch_cursor(self, old: int, new: int) -> None:
        for row in (old, new):
            self.refresh(Region(0, row - self.scroll_offset.y, self.size.width, 1))
        self.scroll_to_region(Region(0, new, 1, 1), animate=False, force=True)
        self.post_message(self.Highlighted(self, new))  # type: ignore[arg-type]

    def action_cursor(self, delta: int) -> None:
        self.cursor += delta

    def action_page(self, direction: int) -> None:
        self.cursor += direction * max(1, self.scrollable_content_region.height - 1)

    def action_jump(self, where: int) -> None:
        self.cursor = 0 if where == 0 else len(self.items) - 1

    def on_click(self, event: object) -> None:
        offset = getattr(event, "y", None)
        if isinstance(offset, int):
            self.cursor = self.scroll_offset.y + offset

    def action_select(self) -> None:
        if self.items:
            self.post_message(self.Selected(self, self.cursor))  # type: ignore[arg-type]


def fit(text: str, width: int) -> str:
    """Exactly `width` characters: padded, or cut with an ellipsis so it never reads as nonsense."""
    if width <= 0:
        return ""
    if len(text) <= width:
        return text.ljust(width)
    return text[: max(width - 1, 0)] + "…"
