"""Big digits for the seconds left, changed only when the number changes."""

from __future__ import annotations

import math

from rich.segment import Segment
from textual.renderables.digits import Digits as DigitsFont
from textual.strip import Strip
from textual.widgets import Digits


def clock_face(seconds: float) -> str:
    """Whole seconds left, rounded up: 25, 1:05."""
    s = max(0, math.ceil(seconds - 1e-9))
    return f"{s // 60}:{s % 60:02d}" if s >= 60 else str(s)


class Countdown(Digits):
    """Textual's Digits drawn as three plain lines: Digits draws through Rich each time the
    number changes, about as long as the rest of a redraw together."""

    DEFAULT_CSS = """
    Countdown { width: auto; color: $text; }
    Countdown.-paused { color: $text-muted; }
    """

    _lines: tuple[str, int, list[Strip]] | None = None  # (face, width, the lines drawn)

    def show(self, seconds: float) -> None:
        face = clock_face(seconds)
        if face != self.value:
            self.update(face)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._lines = None  # paused, or another theme: another style

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if self._lines is None or self._lines[:2] != (self.value, width):
            style = self.rich_style  # worked out from every ancestor: once per face
            rows = [s.text for s in DigitsFont(self.value).render(style) if s.text != "\n"]
            strips = [Strip([Segment(row, style)]).adjust_cell_length(width, style) for row in rows]
            self._lines = (self.value, width, strips + [Strip.blank(width, style)])
        lines = self._lines[2]
        return lines[min(y, len(lines) - 1)]
