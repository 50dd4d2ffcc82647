"""The footer, fitted to the terminal: in a narrow one its keys close up and the
palette's hint goes (ctrl+p still opens it), so "q Stop" is never the key cut off."""

from __future__ import annotations

from textual import events
from textual.widgets import Footer

NARROW = 80  # columns below which the keys close up
TIGHT = 64  # and below which the palette's hint makes way


class FittedFooter(Footer):
    def on_resize(self, event: events.Resize) -> None:
        width = self.app.size.width
        self.compact = width < NARROW
        self.show_command_palette = width >= TIGHT
