"""A progress bar that redraws only when a cell changes."""

from __future__ import annotations

from rich.text import Text
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

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._fraction = 0.0
        self._drawn: tuple[int, int] | None = None

    def _cells(self) -> int:
        return int(self._fraction * self.size.width + 1e-9)

    def set_fraction(self, fraction: float) -> None:
        self._fraction = min(1.0, max(0.0, fraction))
        if (self._cells(), self.size.width) != self._drawn:
            self.refresh()

    def render(self) -> Text:
        width = self.size.width
        done = self._cells()
        self._drawn = (done, width)
        text = Text(no_wrap=True, overflow="crop")
        text.append("━" * done, self.get_component_rich_style("hold-bar--done", partial=True))
        text.append("━" * (width - done), self.get_component_rich_style("hold-bar--todo", partial=True))
        return text
