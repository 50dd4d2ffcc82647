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
    CSS_PATH = "safety.tcss"

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="card"):
            yield Label(SAFETY_TITLE, id="safety-title", markup=False)
            yield Static(safety_text(), markup=False)
            yield Label("Enter: go on (the routine waits, paused; space starts it)", id="go-on", markup=False)
