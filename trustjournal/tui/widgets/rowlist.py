"""A list that draws only the rows on screen (Textual's line API).

DataTable measures every cell before its first frame (seconds at 20,000 promises); this draws
the visible rows, so the ledger opens and redraws in the same time at 50 or 50,000 rows.
"""

from __future__ import annotations

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
        super().__init__(id=id, classes=classes)
        self.items: Sequence[Item] = ()

    # --- data ----------------------------------------------------------------------------------

    def set_items(self, items: Sequence[Item], keep: object | None = None) -> None:
        """Show `items`; keep the cursor on the row whose key is `keep` if it is still there."""
        self.items = items
        self.virtual_size = Size(0, len(items))
        index = self.cursor
        if keep is not None:
            keys = [self.key_of(item) for item in items]
            if keep in keys:
                index = keys.index(keep)
        clamped = max(0, min(index, len(items) - 1))
        if clamped != self.cursor:
            self.cursor = clamped
        else:
            self.post_message(self.Highlighted(self, clamped))  # type: ignore[arg-type]
        self.refresh()

    @property
    def current(self) -> Item | None:
        return self.items[self.cursor] if 0 <= self.cursor < len(self.items) else None

    def key_of(self, item: Item) -> object:
        return item

    def cells(self, item: Item, width: int) -> list[Cell]:
        raise NotImplementedError

    def empty_text(self) -> str:
        return ""

    # --- drawing -------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        scroll_y = self.scroll_offset.y
        index = scroll_y + y
        width = self.size.width
        base = self.rich_style
        if not self.items:
            if y == 0 and self.empty_text():
                dim = base + self.get_component_rich_style("rowlist--dim")
                return Strip([Segment(" " + self.empty_text(), dim)]).crop_extend(0, width, base)
            return Strip.blank(width, base)
        if index >= len(self.items):
            return Strip.blank(width, base)
        row_style = base
        if index == self.cursor:
            row_style = base + self.get_component_rich_style("rowlist--cursor")
        segments = []
        for text, klass in self.cells(self.items[index], width):
            style: Style = row_style + self._ink(klass) if klass else row_style
            segments.append(Segment(text, style))
        return Strip(segments).crop_extend(0, width, row_style)

    def _ink(self, klass: str) -> Style:
        """Only the foreground of a cell's class, so it reads on the cursor's background too."""
        full = self.get_component_rich_style(f"rowlist--{klass}")
        return Style(color=full.color, bold=full.bold, italic=full.italic)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self.refresh()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
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
