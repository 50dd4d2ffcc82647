"""A progress bar that redraws only when a half cell changes."""

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

    @property
    def steps(self) -> int:
        """How many distinct pictures the bar has at its current width."""
        return max(1, self.size.width * 2)

    def set_fraction(self, fraction: float) -> None:
        self._fraction = min(1.0, max(0.0, fraction))
        halves = int(self._fraction * self.steps)
        if (halves, self.size.width) != self._drawn:
            self.refresh()

    def on_resize(self) -> None:
        self.refresh()

    def render(self) -> Text:
        width = self.size.width
        halves = int(self._fraction * width * 2)
        self._drawn = (halves, width)
        full, half = divmod(halves, 2)
        done = self.get_component_rich_style("hold-bar--done", partial=True)
        todo = self.get_component_rich_style("hold-bar--todo", partial=True)
        text = Text(no_wrap=True, overflow="crop")
        text.append("━" * full, done)
        if half:
            text.append("╸", done)
        text.append("━" * (width - full - half), todo)
        return text
