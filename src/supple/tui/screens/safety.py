"""The safety rules, before a first session that starts straight in the player
(elsewhere they come as a notice, which would cover the countdown)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from supple.core.safety import SAFETY_TITLE, safety_text


class SafetyScreen(ModalScreen[None]):
    BINDINGS = [Binding("enter,escape,space", "dismiss", "Go on")]
    DEFAULT_CSS = """
    SafetyScreen { align: center middle; background: $background 60%; }
    SafetyScreen #card { width: 70; max-width: 100%; height: auto; max-height: 100%;
                         padding: 1 2; border: round $warning; background: $surface; }
    SafetyScreen #safety-title { text-style: bold; color: $warning; margin-bottom: 1; }
    SafetyScreen #go-on { color: $text-muted; margin-top: 1; }
    """

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="card"):
            yield Label(SAFETY_TITLE, id="safety-title", markup=False)
            yield Static(safety_text(), markup=False)
            yield Label("Enter: go on (the routine waits, paused; space starts it)", id="go-on", markup=False)
