"""After the last hold: what was done, today against the goal, the streak."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widgets import Header, Label, Static

from supple.core import stats
from supple.core.cues import PAIN_KEYS, fmt_seconds
from supple.core.model import STOPPED_BY_USER, Routine, Session
from supple.core.stats import Tally
from supple.core.text import printable
from supple.store.append import SaveError
from supple.store.history import HistoryStore
from supple.tui.plain import plain
from supple.tui.widgets.footer import FittedFooter

# the check-in keys (PAIN_KEYS), here and in the player: 0 to 9, and t for 10
PAIN_BINDINGS = [*(Binding(str(n), f"pain({n})", show=False) for n in range(10)), Binding("t", "pain(10)", show=False)]


def what_happened(session: Session, name: Content) -> tuple[Content, str]:
    """The headline and the stretches line: "Well done" only when every stretch was done."""
    done, total = session.stretches_done, session.stretches_total
    if session.completed:
        return Content.assemble("Well done: ", name, " is done"), f"{done} of {total} done"
    if session.stopped == STOPPED_BY_USER:
        return Content.assemble(name, ": stopped early"), f"{done} of {total} done, {total - done} not done"
    return Content.assemble(name, ": not every stretch was done"), f"{done} of {total} done, {total - done} skipped"


class SummaryScreen(Screen):
    BINDINGS = [
        Binding("enter,escape,q", "app.pop_screen", "Back to routines"),
        Binding("h", "app.history", "History"),
        *PAIN_BINDINGS,
    ]
    CSS_PATH = "summary.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (56, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (22, "-tall")]

    def __init__(self, routine: Routine, outcome, store: HistoryStore, now) -> None:
        super().__init__()
        self.routine = routine
        self.outcome = outcome
        self.store = store
        self.now = now

    def compose(self) -> ComposeResult:
        session, error = self.outcome.session, self.outcome.error
        name = plain(self.routine.name)
        if session is None:
            headline, done, saved = Content.assemble(name, ": stopped before the first hold"), "", "Nothing to save."
        else:
            headline, stretches = what_happened(session, name)
            took = (session.ended - session.started).total_seconds()
            done = (f"Stretches  {stretches}\n"
                    f"Time       {fmt_seconds(took)} in all, {fmt_seconds(session.active_seconds)} holding")
            saved = plain(f"NOT SAVED: {error}") if error else "Saved to your history."
        checkin = f"How does it feel now? {PAIN_KEYS} · optional" if session and not error else ""
        yield Header()
        with Vertical(id="card"):
            stopped = "" if session and session.completed else "-stopped"
            yield Label(headline, id="headline", classes=stopped, markup=False)
            yield Static(done, id="done", classes="figure", markup=False)
            yield Static("Today      counting…", id="today", classes="figure", markup=False)
            yield Static("", id="streak", classes="figure", markup=False)
            yield Static(saved, id="saved", classes="-error" if error else "", markup=False)
            yield Static(checkin, id="checkin", markup=False)
            yield Label("Enter: back to the routines · h: history", id="hint", markup=False)
        yield FittedFooter()

    def on_mount(self) -> None:
        self.sub_title = printable(self.routine.name)
        self.call_after_refresh(self.app.check_break)  # a break that came due while the routine played
        self.call_after_refresh(self.app.release_notices)  # and what was said meanwhile
        # After this screen is drawn: the worker would hold the interpreter
        # half the time while the screen that says "done" is being made.
        self.call_after_refresh(self._count_progress)

    @work(thread=True, exclusive=True)
    def _count_progress(self) -> None:
        """Today and the streak, read off the UI thread: a long history must not delay this screen."""
        goal = self.app.ctx.config.daily_goal
        today = self.now().date()
        counts = self.store.counts()
        tally = Tally.from_counts(counts)
        current, longest = tally.streaks(today)
        self.app.call_from_thread(self._show_counts, f"Today      {stats.goal_words(tally.on(today), goal)}",
                                  f"Streak     {stats.plural(current, 'day')} (longest {longest})")

    def _show_counts(self, today: str, streak: str) -> None:
        try:
            self.query_one("#today", Static).update(today)
            self.query_one("#streak", Static).update(streak)
        except NoMatches:  # the person left the summary before the counts came
            pass

    def action_pain(self, level: int) -> None:
        """Note how it feels after: a new record for the same session id, nothing rewritten."""
        session = self.outcome.session
        if session is None or self.outcome.error:
            return
        checkin = self.query_one("#checkin", Static)
        try:
            self.store.save(session._replace(pain_after=level))
        except SaveError as err:
            checkin.update(plain(f"Could not note it: {err}"))
            return
        before = f" (before: {session.pain_before})" if session.pain_before is not None else ""
        checkin.update(f"Noted: {level} of 10 now{before}. Another key changes it.")
