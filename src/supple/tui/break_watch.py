"""Stretch breaks in the app: the header says when the next one is due, and when it
is, a nudge (never over a routine being played) offers a routine to start, snooze or skip."""

from __future__ import annotations

from datetime import timedelta
from functools import partial
from typing import TYPE_CHECKING

from supple.core import plan
from supple.core.breaks import BreakPlanner, ago_words, describe_due
from supple.core.model import BreakEvent, Routine, Session
from supple.core.stats import Tally, neglected_region
from supple.notify import desktop_notify
from supple.store.activity import last_activity
from supple.store.append import SaveError
from supple.store.history import new_session_id
from supple.tui.screens.break_prompt import BreakPrompt
from supple.tui.screens.player import PlayerScreen

if TYPE_CHECKING:
    from supple.tui.app import SuppleApp


class BreakWatch:
    CHECK_EVERY = 30.0  # seconds; what is due is computed from the clock each time
    # Whoever just opened supple is about to stretch: a break that is already
    # due shows in the header, and nudges only if it is still due this much later.
    GRACE = timedelta(minutes=10)

    def __init__(self, app: SuppleApp, planner: BreakPlanner, stretched_before: bool,
                 neglected: str | None) -> None:
        self.app = app
        self.planner = planner
        self.stretched_before = stretched_before
        self.neglected = neglected  # the region left longest, for break_routine = "neglected"
        self.opened = app.now()

    @classmethod
    def find(cls, app: SuppleApp) -> BreakWatch:
        """When the person last stretched (reads the history: run it off the UI thread)."""
        now = app.now()
        found = last_activity(app.ctx.dirs.data, now)
        settings = app.ctx.break_settings()
        neglected = None
        if settings.routine == "neglected":
            counts = app.store.counts()
            tally = Tally(counts.done, counts.stopped, counts.partial)
            stats = tally.region_stats(now.date(), app.ctx.routines.regions())
            neglected = neglected_region(stats, now.date())
        return cls(app, BreakPlanner(settings, found or now), found is not None, neglected)

    def check(self) -> None:
        """Show when the next break is due; when it is, nudge (unless a routine is playing)."""
        app, planner, now = self.app, self.planner, self.app.now()
        title = f"supple · {describe_due(planner.due_at(now), now)}"
        if app.title != title:
            app.title = title
        if not planner.is_due(now) or isinstance(app.screen, (PlayerScreen, BreakPrompt)):
            return
        if now - self.opened < self.GRACE:
            return
        routine = app.ctx.routines.for_break(planner.settings.routine, self.neglected)
        if routine is None:
            return
        if app.ctx.config.bell:
            app.bell()
        desktop_notify("Time for a stretch break", f"{routine.name}, about {plan.minutes(routine)} min")
        since = ago_words(now - planner.last_activity)
        since = (f"You last stretched {since}." if self.stretched_before
                 else f"You opened supple {since} and have not stretched since.")
        app.push_screen(BreakPrompt(routine, since), partial(self._answered, routine))

    def _answered(self, routine: Routine, answer: str | None) -> None:
        now = self.app.now()
        answer = answer or "snoozed"
        if answer == "snoozed":
            self.planner.snooze(now)
        else:
            self.planner.note_activity(now)
            self.stretched_before = True
        try:
            self.app.ctx.break_log().record(BreakEvent(at=now.replace(microsecond=0), action=answer,
                                                       id=new_session_id()))
        except SaveError as err:
            self.app.notify(f"The break was not noted: {err}", severity="warning")
        self.check()
        if answer == "taken":
            self.app.start_routine(routine)

    def note_session(self, session: Session) -> None:
        """A session ended (saved or not): the interval starts again."""
        self.stretched_before = True
        self.planner.note_activity(session.ended)
        self.check()
