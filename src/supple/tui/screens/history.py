"""History: today against the goal, streaks, a calendar, regions, recent sessions, pain."""

from __future__ import annotations

from datetime import timedelta

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, Label, OptionList, Static
from textual.widgets.option_list import Option

from supple.core import stats
from supple.core.model import Session
from supple.core.routines import region_name
from supple.core.stats import Tally
from supple.store.append import SaveError
from supple.store.breaklog import BreakLog
from supple.store.history import HistoryStore
from supple.tui.plain import plain
from supple.tui.screens.confirm import Confirm
from supple.tui.widgets.footer import FittedFooter
from supple.tui.widgets.heatmap import Heatmap

SPARK = "▁▂▃▄▅▆▇█"


def sparkline(values: list[int]) -> str:
    return "".join(SPARK[min(len(SPARK) - 1, round(v / 10 * (len(SPARK) - 1)))] for v in values)


def section(title: str, body: Content | str | None, id: str) -> ComposeResult:
    """A titled block, left out when there is nothing to show."""
    if body:
        yield Label(title, classes="title", markup=False)
        yield Static(body, id=id, classes="block", markup=False)


class HistoryScreen(Screen):
    BINDINGS = [
        Binding("escape,q,h", "app.pop_screen", "Back"),
        Binding("d,delete", "forget", "Forget session"),
        Binding("u", "undo", "Undo forget"),
    ]
    RECENT = 12  # sessions in the list
    CSS_PATH = "history.tcss"
    SUB_TITLE = "history"

    def __init__(self, store: HistoryStore, break_log: BreakLog, goal: int, now, regions: list[str]) -> None:
        super().__init__()
        self.store, self.break_log, self.goal, self.now, self.regions = store, break_log, goal, now, regions
        self.forgotten: Session | None = None  # the session `u` brings back

    def compose(self) -> ComposeResult:
        self.history = self.store.load()
        self.today = self.now().date()
        self.tally = Tally.of(self.history.sessions)
        self.counts = self.tally.day_counts()
        self.problems = list(self.history.problems)
        yield Header()
        with VerticalScroll(id="body"):
            yield Static(self._headline(), id="headline", classes="block", markup=False)
            yield Label("Calendar", classes="title", markup=False)
            yield Heatmap(self.counts, self.today, self.goal, self.tally.partial_days(), id="calendar")
            yield Static("", id="legend", classes="block", markup=False)
            yield from section("Regions", self._regions(), "regions")
            yield Label("Recent sessions · Tab to the list, d to forget one", classes="title", markup=False)
            yield self._recent()
            yield from section("Stretch breaks", self._breaks(), "breaks")
            yield from section("Pain check-ins", self._pain(), "pain")
            yield from section("Damaged history files (left untouched)",
                               plain("\n".join(p.format(self.store.data_dir) for p in self.problems)), "problems")
        yield FittedFooter()

    def on_mount(self) -> None:
        self.query_one("#legend", Static).update(self.query_one(Heatmap).legend())
        self.query_one("#body").focus()

    # -- forgetting a session (it stays in its file, marked as forgotten) -----
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "forget":
            return self.focused is self.query_one("#recent") and self._chosen() is not None
        if action == "undo":
            return self.forgotten is not None
        return True

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()  # "d Forget session" shows while the list has the focus

    def _chosen(self) -> Session | None:
        recent = self.query_one("#recent", OptionList)
        if recent.highlighted is None or not recent.option_count:
            return None
        sid = recent.get_option_at_index(recent.highlighted).id
        return next((s for s in self.history.sessions if s.id == sid), None)

    def action_forget(self) -> None:
        session = self._chosen()
        if session is None:
            return

        def answer(forget: bool | None) -> None:
            if forget:
                self._correct(session, restore=False)

        self.app.push_screen(ConfirmForget(session), answer)

    def action_undo(self) -> None:
        if self.forgotten is not None:
            self._correct(self.forgotten, restore=True)

    def _correct(self, session: Session, restore: bool) -> None:
        try:
            if restore:
                self.store.restore(session.id)
            else:
                self.store.retract(session.id)
        except SaveError as err:
            self.notify(str(err), title="Not saved", severity="error", timeout=10, markup=False)
            return
        self.forgotten = None if restore else session
        what = f"{session.routine_name} of {session.started:%a %d %b %H:%M}"
        if restore:
            self.notify(f"{what} counts again.", title="Session back", timeout=5, markup=False)
        else:
            self.notify(f"{what} no longer counts. Press u to undo.", title="Session forgotten", timeout=10,
                        markup=False)
        self._reload()

    def _reload(self) -> None:
        """The counts, streak and calendar again, from the history as it is now."""
        focused_list = self.focused is not None and self.focused.id == "recent"
        at = self.query_one("#recent", OptionList).highlighted
        self.refresh(recompose=True)
        self.refresh_bindings()

        def restore_focus() -> None:
            recent = self.query_one("#recent", OptionList)
            if focused_list and recent.option_count:
                recent.focus()
                recent.highlighted = min(at or 0, recent.option_count - 1)

        self.call_after_refresh(restore_focus)

    def _headline(self) -> Content:
        done = self.counts.get(self.today, 0)
        current, longest = stats.streaks(self.counts, self.today)
        boxes = "■" * min(done, self.goal) + "□" * max(0, self.goal - done)
        extra = f" (+{done - self.goal})" if done > self.goal else ""
        return Content.assemble("\n", ("Today", "bold"), f"    {boxes}{extra}  {stats.goal_words(done, self.goal)}",
                                "\n", ("Streak", "bold"), f"   {stats.plural(current, 'day')} · longest {longest}",
                                "\n", (stats.STREAK_MEANS, "dim"))

    def _regions(self) -> Content:
        rows = [Content.styled(f"{'region':<24}{'last done':<16}{'7 days':>5}{'30 days':>9}", "dim")]
        for r in self.tally.region_stats(self.today, self.regions):
            last = stats.last_done_words(r, self.today)
            line = plain(f"{region_name(r.region):<24}{last:<16}{r.last_7:>5}{r.last_30:>9}")
            if r.neglected(self.today):
                ago = r.days_ago(self.today)
                why = "never stretched" if ago is None else f"not stretched for {ago} days"
                line = Content.assemble(line, f"  ⚠ {why}").stylize("$warning")
            rows.append(line)
        return Content("\n").join(rows)

    def _recent(self) -> OptionList:
        recent = list(reversed(self.history.sessions[-self.RECENT:]))
        if not recent:
            listing = OptionList(Option("No sessions yet. Pick a region and start one.", disabled=True), id="recent")
            return listing
        rows = []
        for s in recent:
            took = stats.duration_words((s.ended - s.started).total_seconds())
            how = "done" if s.completed else (f"{s.stretches_done} of {s.stretches_total} done", "$warning")
            manual = (" (logged)", "dim") if s.source == "manual" else ""
            rows.append(Option(Content.assemble((s.id[:8], "dim"), "  ", plain(
                f"{s.started:%a %d %b %H:%M}  {s.routine_name:<26} {took:>6}  "), how, manual), id=s.id))
        listing = OptionList(*rows, id="recent")
        listing.highlighted = 0
        return listing

    def _breaks(self) -> str:
        """Breaks taken, snoozed and skipped on each of the last seven days with any."""
        events, problems = self.break_log.load()
        self.problems += problems
        days = stats.breaks_per_day(events)
        rows = []
        for n in range(6, -1, -1):
            day = self.today - timedelta(days=n)
            if day in days:
                c = days[day]
                rows.append(f"{day:%a %d %b}  {c['taken']} taken · {c['snoozed']} snoozed · {c['skipped']} skipped")
        return "\n".join(rows)

    def _pain(self) -> Content | None:
        points = stats.pain_trend(self.history.sessions)[-40:]
        if not points:
            return None
        before = [p.before for p in points if p.before is not None]
        after = [p.after for p in points if p.after is not None]
        lines: list[Content | str] = []
        if before:
            lines.append(f"before  {sparkline(before)}  average {stats.mean(before):.1f}")
        if after:
            lines.append(f"after   {sparkline(after)}  average {stats.mean(after):.1f}")
        last = stats.plural(len(points), "check-in")
        lines.append(Content.styled(f"0 = no pain, 10 = the worst · the last {last}, oldest first", "dim"))
        return Content("\n").join(lines)


class ConfirmForget(Confirm):
    def __init__(self, session: Session) -> None:
        s = session
        super().__init__("Forget this session? It stays in the file, marked as forgotten.",
                         plain(f"{s.routine_name} · {s.started:%a %d %b %Y %H:%M} · {s.id[:8]}\n"
                               "It will count nowhere: not today, not the streak, not the calendar. "
                               "You can bring it back (u, or supple restore)."), "Forget", "Keep it")
