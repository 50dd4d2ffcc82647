"""The reference for a hold's cost: the stopwatch pattern from Textual's
tutorial (a 60 Hz interval updating the time), drawing big digits and a
progress bar, as Textual workout timers do. Not part of supple."""

from time import monotonic

from textual.app import App, ComposeResult
from textual.reactive import reactive
from textual.widgets import Digits, Footer, Header, ProgressBar

HOLD = 40.0


class Stopwatch(App):
    start = monotonic()
    left = reactive(HOLD)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Digits("40.00", id="digits")
        yield ProgressBar(total=HOLD, show_eta=False, id="bar")
        yield Footer()

    def on_mount(self) -> None:
        self.set_interval(1 / 60, self.update_time)

    def update_time(self) -> None:
        self.left = max(0.0, HOLD - (monotonic() - self.start))

    def watch_left(self, left: float) -> None:
        self.query_one(Digits).update(f"{left:05.2f}")
        self.query_one(ProgressBar).update(progress=HOLD - left)


if __name__ == "__main__":
    Stopwatch().run()
