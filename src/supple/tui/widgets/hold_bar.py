"""A progress bar that redraws only when a cell changes."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip
from textual.widget import Widget


class HoldBar(Widget):
    DEFAULT_CSS = """
    HoldBar { height: 1; width: 1fr; }
    HoldBar > .hold-bar--done { color: $primary; }
    HoldBar > .hold-bar--todo { color: $foreground 25%; }
    HoldBar.-rest > .hold-bar--done { color: $secondary; }
    HoldBar.-paused > .hold-bar--done { color: $foreground 50%; }
    """
    COMPONENT_CLASSES = {"hold-bar--done", "hold-bar--todo"}
    _fraction = 0.0
    _drawn: tuple[int, int] | None = None  # (cells done, width) last drawn
    _styles: tuple[Style, Style, Style] | None = None

    def _cells(self) -> int:
        return int(self._fraction * self.size.width + 1e-9)

    def set_fraction(self, fraction: float) -> None:
        self._fraction = min(1.0, max(0.0, fraction))
        if (self._cells(), self.size.width) != self._drawn:
            self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles = None  # paused, resting, or another theme

    def render_line(self, y: int) -> Strip:
        # One line of two runs, made directly: a Rich Text would be laid out
        # and wrapped on every redraw for the same result.
        width = self.size.width
        if self._styles is None:
            base = self.rich_style  # worked out from every ancestor: once per style change
            self._styles = (base, base + self.get_component_rich_style("hold-bar--done", partial=True),
                            base + self.get_component_rich_style("hold-bar--todo", partial=True))
        base, done_style, todo_style = self._styles
        if y > 0:
            return Strip.blank(width, base)
        done = self._cells()
        self._drawn = (done, width)
        return Strip([Segment("━" * done, done_style), Segment("━" * (width - done), todo_style)], width)
