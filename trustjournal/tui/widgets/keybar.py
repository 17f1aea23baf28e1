"""The keys a person can press now, as one line at the foot of each screen.

Textual's Footer composes a widget per key and composes them all again whenever the screen's
bindings change, which is every focus change and every `refresh_bindings`: five of those were
80 ms of the app's first frame at 500 promises (of 280 ms after the imports), and a focus
change later cost as much again. This is the same line drawn as one piece of text: a change
of bindings is a repaint.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget


@dataclass(frozen=True, slots=True)
class _Key:
    key: str
    display: str
    description: str
    enabled: bool


class KeyBar(Widget, can_focus=False):
    """The screen's keys shown (Binding.show) with their words; those that cannot act now are
    dimmed (check_action answered None). A click on one presses it, as in Textual's Footer."""

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $footer-background;
        color: $footer-foreground;
        text-wrap: nowrap;
        text-overflow: clip;
    }
    """

    NARROW = 100
    """Below this many columns the keys are drawn closer together."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._spans: list[tuple[int, int, _Key]] = []
        """Where each key was drawn on the line (start, end), for clicks."""

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        self.refresh()

    @property
    def _compact(self) -> bool:
        return self.size.width < self.NARROW

    def on_resize(self) -> None:
        self.refresh()

    def _keys(self) -> tuple[list[_Key], _Key | None, _Key | None]:
        """The keys to show, the palette's, and the help's (shown or not)."""
        app = self.app
        shown: list[_Key] = []
        seen: set[str] = set()
        palette = help_key = None
        for key, (_node, binding, enabled, _tooltip) in self.screen.active_bindings.items():
            if key == app.COMMAND_PALETTE_BINDING and app.ENABLE_COMMAND_PALETTE:
                palette = _Key(key, app.get_key_display(binding), binding.description, enabled)
                continue
            if binding.action.endswith("help") and help_key is None:
                help_key = _Key(key, app.get_key_display(binding), binding.description,
                                enabled)
            if binding.show and binding.action not in seen:
                seen.add(binding.action)  # one entry per action, as the Footer shows it
                shown.append(_Key(key, app.get_key_display(binding), binding.description,
                                  enabled))
        return shown, palette, help_key

    def render(self) -> Content:
        keys, palette, help_key = self._keys()
        gap = 1 if self._compact else 0
        drawn_keys = [(key, self._drawn(key)) for key in keys]
        if sum(d.cell_length + gap for _, d in drawn_keys) > self.size.width and help_key:
            # Too many for the line: as many as fit, then "…" and the key that lists them all.
            more = Content("… ")
            tail = self._drawn(help_key)
            room = self.size.width - more.cell_length - tail.cell_length
            fitted: list[tuple[_Key, Content]] = []
            for key, drawn in drawn_keys:
                room -= drawn.cell_length + gap
                if room < 0 or key.key == help_key.key:
                    break
                fitted.append((key, drawn))
            drawn_keys = [*fitted, (help_key, Content.assemble(more, tail))]
            palette = None
        parts: list[Content] = []
        spans: list[tuple[int, int, _Key]] = []
        x = 0
        for key, drawn in drawn_keys:
            spans.append((x, x + drawn.cell_length, key))
            parts.append(drawn)
            x += drawn.cell_length
            if gap:
                parts.append(Content(" "))
                x += 1
        if palette is not None:  # at the right end, when there is room for it
            drawn = Content.assemble(("▏", "$foreground 20%"), self._drawn(palette))
            room = self.size.width - x - drawn.cell_length
            if room >= 0:
                parts.append(Content(" " * room))
                spans.append((x + room, x + room + drawn.cell_length, palette))
                parts.append(drawn)
        self._spans = spans
        return Content("").join(parts)

    def _drawn(self, key: _Key) -> Content:
        # Spaced as Textual's Footer spaces its keys.
        if self._compact:
            shown, words = key.display, f" {key.description}" if key.description else ""
        else:
            shown, words = f" {key.display} ", f"{key.description} " if key.description else ""
        style = "" if key.enabled else " dim"
        return Content.assemble(
            (shown, f"bold $footer-key-foreground{style}"),
            (words, f"$footer-description-foreground{style}"),
        )

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end:
                if key.enabled:
                    self.app.simulate_key(key.key)
                else:
                    self.app.bell()
                return
