"""Stretch breaks in the app: the header says when the next is due; then a nudge offers a routine."""

from __future__ import annotations

from datetime import timedelta
from functools import partial
from typing import TYPE_CHECKING

from supple.core import plan
from supple.core.breaks import BreakPlanner, ago_words, describe_due
from supple.core.model import BreakEvent, Routine, Session
from supple.notify import desktop_notify
from supple.store.activity import last_activity
from supple.store.append import SaveError
from supple.store.history import new_session_id
from supple.tui.screens.break_prompt import BreakPrompt

if TYPE_CHECKING:
    from supple.tui.app import SuppleApp


class BreakWatch:
    CHECK_EVERY = 30.0  # seconds at most between looks; what is due is computed from the clock each time
    # Whoever just opened supple is about to stretch: a break that is already
    # due shows in the header, and nudges only if it is still due this much later
    # (never more than half the interval, so a short one is seen to work).
    GRACE = timedelta(minutes=10)

    def __init__(self, app: SuppleApp, planner: BreakPlanner, stretched_before: bool,
                 neglected: str | None) -> None:
        self.app = app
        self.planner = planner
        self.stretched_before = stretched_before
        self.neglected = neglected  # the region left longest, for break_routine = "neglected"
        self.opened = app.now()
        self._timer = None

    @property
    def grace(self) -> timedelta:
        every = self.planner.settings.every
        return min(self.GRACE, every / 2) if every else self.GRACE

    @classmethod
    def find(cls, app: SuppleApp) -> BreakWatch:
        """When the person last stretched (reads the history: run it off the UI thread)."""
        now = app.now()
        found = last_activity(app.ctx.dirs.data, now)
        settings = app.ctx.break_settings()
        neglected = app.ctx.neglected_region(app.store, now.date())
        return cls(app, BreakPlanner(settings, found or now), found is not None, neglected)

    def check(self) -> None:
        """Show when the next break is due, nudge if it is (never over a routine: its end looks again)."""
        app, planner, now = self.app, self.planner, self.app.now()
        due = planner.due_at(now)
        title = f"supple · {describe_due(due, now)}"
        if app.title != title:
            app.title = title
        wake = self.CHECK_EVERY
        if due is not None and due > now:
            wake = min(wake, (due - now).total_seconds() + 0.5)
        elif due is not None and now - self.opened < self.grace:
            wake = min(wake, (self.opened + self.grace - now).total_seconds() + 0.5)
        if self._timer is not None:
            self._timer.stop()
        self._timer = app.set_timer(max(1.0, wake), self.check, name="break-check")
        asking = any(isinstance(s, BreakPrompt) for s in app.screen_stack)
        if not planner.is_due(now) or now - self.opened < self.grace or asking or app.playing:
            return
        self.offer(now)

    def offer(self, now) -> None:
        app, planner = self.app, self.planner
        routine = self.break_routine()
        if routine is None:
            return
        if app.ctx.config.bell:
            app.bell()
        desktop_notify("Time for a stretch break", f"{routine.name}, about {plan.minutes(routine)} min")
        since = ago_words(now - planner.last_activity)
        since = (f"You last stretched {since}." if self.stretched_before
                 else f"You opened supple {since} and have not stretched since.")
        app.push_screen(BreakPrompt(routine, since), partial(self.answered, routine))

    def break_routine(self) -> Routine | None:
        return self.app.ctx.routines.for_break(self.planner.settings.routine, self.neglected)

    def answered(self, routine: Routine | None, answer: str | None) -> None:
        """Note what the person chose (in the break log too); start the routine if asked."""
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
        if answer == "taken" and routine is not None:
            self.app.start_routine(routine)

    def note_session(self, session: Session) -> None:
        """A session ended (saved or not): with a stretch done, the interval starts again."""
        if session.stretches_done > 0:
            self.stretched_before = True
            self.planner.note_activity(session.ended)
        self.check()
