"""A yes-or-no question over the screen: y, or the red button, says yes; n, Esc or q keep things as they are."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static


class Confirm(ModalScreen[bool]):
    CSS_PATH = "confirm.tcss"
    BINDINGS = [
        Binding("y", "dismiss(True)", "Yes", show=False),
        Binding("n,escape,q", "dismiss(False)", "No", show=False),
    ]

    def __init__(self, question: str, explain: str | Content, yes: str, no: str) -> None:
        super().__init__()
        self.question, self.explain, self.yes, self.no = question, explain, yes, no

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(self.question, id="question", markup=False)
            yield Static(self.explain, id="explain", markup=False)
            with Horizontal(id="buttons"):
                yield Button(f"{self.yes} (y)", id="yes", variant="error")
                yield Button(f"{self.no} (n)", id="keep", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#keep", Button).focus()  # Enter keeps things as they are

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")
