"""An Input for the ledger's filter whose typing does not lay out the whole screen again.

Textual's Input sets its virtual_size (a layout reactive) on every change of its value, so each
key re-laid out every widget on the screen: 8-10 ms of a filter key on the main screen, where
a bare app's Input key is 3 ms. The new width is set the way Textual sets it when a widget is
resized (no layout); the Input's own scrolling is updated as before. An Input sized by its
content (width: auto) keeps the layout, which it needs.
"""

from __future__ import annotations

from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Input


class FilterInput(Input):
    def _watch_value(self, value: str) -> None:
        update = getattr(self, "_scroll_update", None)
        if update is not None and self.is_mounted and not self.styles.auto_dimensions:
            size = Size(self.content_width, 1)
            if size != self.virtual_size:
                self.set_reactive(Widget.virtual_size, size)
                update(size)
        # Input's own watcher: it assigns the same size again (no change, so no layout),
        # then validates, posts Changed and keeps the selection.
        super()._watch_value(value)
