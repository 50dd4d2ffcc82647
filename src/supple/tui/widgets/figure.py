"""A stretch's figure in braille dots, coloured from the theme, fitted to the room it is given.

Too small to read, it draws nothing and takes no room (never a figure cropped into nonsense).
It sizes itself from its shape: given a height (beside text) it asks for the width it needs,
given a width (above text) the height.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Size
from textual.strip import Strip
from textual.widget import Widget

from supple.core.drawing import FAR, HEAD, NEAR, PROP, Picture, Sketch
from supple.core.pose import Figure

MAX_ROWS = 14  # past this a figure only grows, it tells nothing more
MAX_SHARE = 0.45  # of the width beside it, so the words keep the most of the line
GAP = 2  # columns between the figure and the words beside it (a line when above them): none when left out


class FigureView(Widget):
    DEFAULT_CSS = """
    FigureView { width: auto; height: 1fr; max-height: 14; }
    FigureView > .figure--body { color: $foreground; text-style: bold; }
    FigureView > .figure--far { color: $foreground 55%; }
    FigureView > .figure--prop { color: $secondary 70%; }
    """
    COMPONENT_CLASSES = {"figure--body", "figure--far", "figure--prop"}

    def __init__(self, *, min_words: int = 0, id: str | None = None, classes: str | None = None) -> None:
        """`min_words`: the columns the words beside it keep; where they would get fewer, no figure."""
        super().__init__(id=id, classes=classes)
        self.min_words = min_words
        self._sketch: Sketch | None = None
        self._pose: tuple[float, int, bool] = (1.0, 0, False)  # moved, phase, start
        self._picture: Picture | None = None
        self._drawn_for: tuple | None = None
        self._styles: dict[int, Style] | None = None

    # -- what to draw ---------------------------------------------------------
    def show(self, figure: Figure | None, mirror: bool = False, moved: float = 1.0, phase: int = 0,
             start: bool = False) -> None:
        """Draw `figure` (None: nothing) `moved` of the way from its start into the hold."""
        same = self._sketch is not None and (self._sketch.figure, self._sketch.mirror) == (figure, mirror)
        if not same:
            had_one = self._sketch is not None
            self._sketch = Sketch(figure, mirror) if figure is not None else None
            self._pose = (moved, phase, start)
            self._picture = None
            if had_one or self._sketch is not None:
                self.refresh(layout=True)  # another shape asks for another size
            return
        if (moved, phase, start) != self._pose:
            self._pose = (moved, phase, start)
            self._picture = None
            self.refresh()

    @property
    def picture(self) -> Picture | None:
        """What is on screen: None without a figure, or without room enough to read one."""
        return self._picture_now()

    def _fit(self, cols: int, rows: int) -> tuple[int, int] | None:
        if self._sketch is None:
            return None
        return self._sketch.size_for(cols, min(rows, MAX_ROWS))

    # -- the room it asks for ------------------------------------------------
    def _above(self) -> bool:
        """Above the words (its parent lays out top to bottom), rather than beside them."""
        layout = self.parent.styles.layout if self.parent is not None else None
        return layout is not None and layout.name == "vertical"

    def get_content_width(self, container: Size, viewport: Size) -> int:
        if self._above():
            return container.width
        room = min(int(container.width * MAX_SHARE), container.width - self.min_words) - GAP
        fit = self._fit(room, container.height)
        return fit[0] + GAP if fit else 0

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        if not self._above():
            return container.height
        fit = self._fit(width, max(0, container.height // 2 - 1))
        return fit[1] + 1 if fit else 0

    def _room(self) -> tuple[int, int]:
        """Where the figure may draw: its size less the gap to the words."""
        above = self._above()
        return self.size.width - (0 if above else GAP), self.size.height - (1 if above else 0)

    # -- drawing --------------------------------------------------------------
    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles = None  # another theme

    def _picture_now(self) -> Picture | None:
        size = self._room()
        fit = self._fit(*size)
        if self._sketch is None or fit is None:
            return None
        if self._picture is None or self._drawn_for != size:  # drawn at the top left, as the words beside it
            moved, phase, start = self._pose
            self._picture = self._sketch.draw(*fit, moved, phase, start)
            self._drawn_for = size
        return self._picture

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        picture = self._picture_now()
        if picture is None or y >= len(picture.rows):
            return Strip.blank(width, base)
        if self._styles is None:
            body = base + self.get_component_rich_style("figure--body", partial=True)
            self._styles = {0: base, PROP: base + self.get_component_rich_style("figure--prop", partial=True),
                            FAR: base + self.get_component_rich_style("figure--far", partial=True),
                            NEAR: body, HEAD: body}
        row, cols = picture.rows[y], len(picture.rows[y])
        layers = picture.layers[y * cols:(y + 1) * cols]
        segments: list[Segment] = []
        start = 0
        for x in range(1, cols + 1):  # one segment a run of one colour
            if x == cols or layers[x] != layers[start]:
                segments.append(Segment(row[start:x], self._styles[layers[start]]))
                start = x
        return Strip(segments, cols).extend_cell_length(width, base)
