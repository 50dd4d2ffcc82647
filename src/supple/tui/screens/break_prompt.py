"""The nudge: time for a stretch break. Start, snooze or skip with one key."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from supple.core import plan
from supple.core.model import Routine
from supple.tui.plain import plain


class BreakPrompt(ModalScreen[str]):
    """Dismisses with "taken", "snoozed" or "skipped"."""

    BINDINGS = [
        Binding("enter,b", "dismiss('taken')", "Start", show=False),
        Binding("s,escape", "dismiss('snoozed')", "Snooze", show=False),
        Binding("k", "dismiss('skipped')", "Skip", show=False),
    ]
    CSS_PATH = "break_prompt.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (60, "-wide")]

    def __init__(self, routine: Routine, since: str) -> None:
        super().__init__()
        self.routine = routine
        self.since = since

    def compose(self) -> ComposeResult:
        with Vertical(id="card"):
            yield Label("Time for a stretch break", id="title", markup=False)
            yield Static(Content.assemble(f"{self.since} ", plain(self.routine.name),
                                          f" takes about {plan.minutes(self.routine)} min. "
                                          "Snoozing waits 10 minutes."), id="why", markup=False)
            with Horizontal(id="buttons"):
                yield Button("Start (Enter)", id="taken", variant="primary")
                yield Button("Snooze (s)", id="snoozed")
                yield Button("Skip (k)", id="skipped")

    def on_mount(self) -> None:
        self.query_one("#taken", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id)
