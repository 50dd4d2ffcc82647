"""Big digits for the seconds left, changed only when the number changes."""

from __future__ import annotations

import math

from textual import events
from textual.message import Message
from textual.widgets import Digits


def clock_face(seconds: float) -> str:
    """Whole seconds left, rounded up: 25, 1:05."""
    s = max(0, math.ceil(seconds - 1e-9))
    return f"{s // 60}:{s % 60:02d}" if s >= 60 else str(s)


class Countdown(Digits):
    DEFAULT_CSS = """
    Countdown { width: auto; color: $text; }
    Countdown.-paused { color: $text-muted; }
    """

    class Clicked(Message):
        """The person clicked the timer (to pause or resume)."""

    def show(self, seconds: float) -> None:
        face = clock_face(seconds)
        if face != self.value:
            self.update(face)

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.post_message(self.Clicked())
