"""History: today against the goal, the streak, the last two weeks, recent sessions."""

from __future__ import annotations

from datetime import timedelta

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static


class HistoryScreen(Screen):
    BINDINGS = [Binding("escape,q,h", "app.pop_screen", "Back")]
    DEFAULT_CSS = """
    HistoryScreen #body { padding: 1 2; }
    HistoryScreen .block { margin-bottom: 1; height: auto; }
    HistoryScreen #problems { color: $warning; }
    """

    def __init__(self, store, goal: int, now) -> None:
        super().__init__()
        self.store = store
        self.goal = goal
        self.now = now

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="body"):
            yield Static("", id="headline", classes="block")
            yield Static("", id="days", classes="block")
            yield Static("", id="recent", classes="block")
            yield Static("", id="problems", classes="block")
        yield Footer()

    def on_mount(self) -> None:
        from supple import stats

        self.sub_title = "history"
        history = self.store.load()
        today = self.now().date()
        days = stats.day_counts(history.sessions)
        done = days.get(today, 0)
        current, longest = stats.streaks(days, today)
        met = "[b]goal met[/b]" if done >= self.goal else f"{self.goal - done} to go"
        self.query_one("#headline", Static).update(
            f"[b]Today[/b]   {done} of {self.goal} sessions · {met}\n"
            f"[b]Streak[/b]  {current} day{'s' if current != 1 else ''} · longest {longest}"
        )
        rows = ["[b]Last 14 days[/b]"]
        for n in range(13, -1, -1):
            day = today - timedelta(days=n)
            count = days.get(day, 0)
            mark = " ✓" if count >= self.goal else ""
            rows.append(f"{day:%a %d %b}  {'■' * min(count, 20):<20} {count}{mark}")
        self.query_one("#days", Static).update("\n".join(rows))
        recent = ["[b]Recent sessions[/b]"]
        for s in reversed(history.sessions[-10:]):
            minutes = max(1, round((s.ended - s.started).total_seconds() / 60))
            how = "done" if s.completed else "stopped early"
            recent.append(f"{s.started:%a %d %b %H:%M}  {s.routine_name}  {minutes} min  {how}")
        if len(recent) == 1:
            recent.append("No sessions yet. Pick a region and start one.")
        self.query_one("#recent", Static).update("\n".join(recent))
        problems = self.query_one("#problems", Static)
        if history.problems:
            problems.update("[b]Damaged history files[/b] (left untouched)\n" + "\n".join(
                p.format(self.store.data_dir) for p in history.problems))
        else:
            problems.display = False
