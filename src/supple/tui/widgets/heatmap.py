"""A GitHub-style calendar: weeks as columns, Monday to Sunday as rows."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.content import Content
from textual.widget import Widget

from supple.core.stats import calendar_weeks, month_starts

DAY_NAMES = ("Mon", "", "Wed", "", "Fri", "", "Sun")
LABEL = 4  # width of the weekday column
MIN_WEEKS, MAX_WEEKS = 4, 53
PARTS = ("label", "none", "some", "goal", "today", "partial")  # each with its own colour


class Heatmap(Widget):
    DEFAULT_CSS = """
    Heatmap { height: 8; width: 1fr; text-wrap: nowrap; text-overflow: clip; }
    Heatmap > .heatmap--label { color: $foreground 70%; }
    Heatmap > .heatmap--none { color: $foreground 25%; }
    Heatmap > .heatmap--some { color: $primary; }
    Heatmap > .heatmap--partial { color: $primary 60%; }
    Heatmap > .heatmap--goal { color: $success; text-style: bold; }
    Heatmap > .heatmap--today { background: $accent 45%; }
    """
    COMPONENT_CLASSES = {f"heatmap--{part}" for part in PARTS}

    def __init__(self, counts: dict[date, int], today: date, goal: int, partial: set[date], *, id: str) -> None:
        super().__init__(id=id)
        self.counts = counts
        self.today = today
        self.goal = max(1, goal)
        self.partial = partial  # days with only sessions stopped early (a stretch done)

    def _styles(self) -> list:  # in the order of PARTS
        return [self.get_component_rich_style(f"heatmap--{part}", partial=True) for part in PARTS]

    def legend(self) -> Content:
        """What the marks mean, in the calendar's colours (a line of its own, free to wrap)."""
        label, none, some, goal, today, partial = self._styles()
        out = Text()
        for glyph, look, words in (("·", none, " none  "), ("▪", some, " done  "),
                                   ("▫", partial, " stopped early (not in goal or streak)  "),
                                   ("■", goal, f" goal met ({self.goal}+)  "), ("  ", today, " today")):
            out.append(glyph, look)
            out.append(words, label)
        return Content.from_rich_text(out)

    def weeks_for(self, width: int) -> int:
        return max(MIN_WEEKS, min(MAX_WEEKS, (width - LABEL) // 2))

    def render(self) -> Text:
        weeks = calendar_weeks(self.today, self.weeks_for(self.size.width))
        label, none, some, goal, today, partial = self._styles()
        out = Text(no_wrap=True, overflow="crop")
        # month names above the week in which each month starts
        months = [" "] * (LABEL + 2 * len(weeks) + 3)
        for w, month in month_starts(weeks):
            name, at = month.strftime("%b"), LABEL + 2 * w
            fits = at + len(name) <= self.size.width  # a name cut at the edge ("De") is left out
            if fits and all(c == " " for c in months[max(0, at - 1): at + len(name) + 1]):
                months[at: at + len(name)] = list(name)
        out.append("".join(months).rstrip() + "\n", label)
        for row in range(7):
            out.append(f"{DAY_NAMES[row]:<{LABEL}}", label)
            for week in weeks:
                day = week[row]
                if day > self.today:
                    out.append("  ")
                    continue
                n = self.counts.get(day, 0)
                if n == 0:
                    glyph, look = ("▫", partial) if day in self.partial else ("·", none)
                else:
                    glyph, look = ("■", goal) if n >= self.goal else ("▪", some)
                cell = Text(glyph, look)
                cell.append(" ")
                if day == self.today:
                    cell.stylize(today)
                out.append(cell)
            if row < 6:
                out.append("\n")
        return out
