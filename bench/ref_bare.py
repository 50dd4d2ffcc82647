"""The reference for start-up and memory: a bare Textual app with a header,
a list of five regions and a footer. Not part of supple."""

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, OptionList


class Bare(App):
    def compose(self) -> ComposeResult:
        yield Header()
        yield OptionList("Where do you feel it?", "Neck", "Upper back", "Lower back", "Hips & legs", "Posture")
        yield Footer()


if __name__ == "__main__":
    Bare().run()
