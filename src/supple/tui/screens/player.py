"""The player: one stretch at a time, hands-free. Nothing counts ticks: each wake asks the runner the time."""

from __future__ import annotations

import asyncio
import math
from datetime import datetime, timedelta
from typing import Callable, NamedTuple

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, Label, Static

from supple.core.clock import Clock, Event, Runner
from supple.core.cues import PAIN_KEYS, next_line, overall_line, seconds_left_words, side_label, status_line
from supple.core.model import STOPPED_BY_USER, Routine, Session
from supple.core.moves import FRAME_SECONDS, Moment, moment
from supple.core.plan import plan
from supple.core.text import printable
from supple.store.append import SaveError
from supple.store.history import HistoryStore, new_session_id
from supple.tui.plain import plain
from supple.tui.screens.confirm import Confirm
from supple.tui.screens.summary import PAIN_BINDINGS, SummaryScreen
from supple.tui.widgets.countdown import Countdown
from supple.tui.widgets.figure import FigureView
from supple.tui.widgets.footer import FittedFooter
from supple.tui.widgets.hold_bar import HoldBar

Now = Callable[[], datetime]


class Outcome(NamedTuple):  # what the player hands to the summary
    session: Session | None  # None when nothing was done
    error: str | None


class PlayerScreen(Screen):
    CSS_PATH = "player.tcss"
    # A wide terminal puts the instructions beside the timer, the figure above them until there
    # is room for both side by side (-wider); a short one drops the spacing.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide"), (155, "-wider")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (22, "-tall")]
    BINDINGS = [
        # one key, two names: the footer says what space will do now (see check_action)
        Binding("space", "pause", "Pause"),
        Binding("space", "resume", "Resume"),
        Binding("n,right", "next", "Next"),
        Binding("p,left", "previous", "Back"),
        Binding("plus,equals_sign", "more_time", "+10s", key_display="+"),
        Binding("q,escape", "stop", "Stop"),
        *PAIN_BINDINGS,
    ]

    def __init__(self, routine: Routine, clock: Clock, now: Now, store: HistoryStore, bell: bool = False) -> None:
        super().__init__()
        self.routine = routine
        self.steps = plan(routine)
        self.runner = Runner(self.steps, clock)
        self.now = now
        self.store = store
        self.bell = bell
        self.started = now().replace(microsecond=0)
        self._started_mono = clock()
        self._timer: asyncio.TimerHandle | None = None
        self.next_wake: float | None = None  # seconds until the next redraw is due
        self.pain_before: int | None = None
        self.checkin_open = True  # until the first stretch is over
        self._shown_step = -1
        self._outcome: Outcome | None = None
        self._total = sum(s.seconds for s in self.steps)
        self._status = self._overall = ""
        self._moment: Moment | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Container(id="stage"):
            with Vertical(id="timer-pane"):
                with Horizontal(id="title-row"):
                    yield Label("", id="title", markup=False)
                    yield Label("", id="side", markup=False)
                yield Label("", id="status", markup=False)
                yield Label("", id="cue", markup=False)
                with Horizontal(id="timer-row"):
                    yield Countdown("", id="countdown")
                yield HoldBar(id="bar")
                yield Label("", id="overall", markup=False)
                yield Label("", id="next", markup=False)
                yield Label(f"How does it feel right now? {PAIN_KEYS} · optional", id="checkin", markup=False)
            with Container(id="guide"):
                yield FigureView(min_words=30, id="figure")
                with VerticalScroll(id="instructions"):
                    yield Static("", id="how", markup=False)
                    yield Static("", id="tips", markup=False)
        yield FittedFooter()

    def on_mount(self) -> None:
        self.sub_title = printable(self.routine.name)
        self._show_step()
        self._ring_for(Event("start", self.runner.step, 0))
        self.tick()
        self.call_after_refresh(self.tick)  # laid out: the figure knows whether it has room to move

    # -- the clock ------------------------------------------------------------
    def tick(self) -> None:
        """Catch up with the clock, redraw what changed, sleep until the next change."""
        for event in self.runner.update():
            self._ring_for(event)
        if self.runner.finished:
            self._finish(stopped=False)
            return
        if self.runner.index != self._shown_step:
            self._show_step()
        self._show_time()
        self._show_figure()
        self._schedule()

    def _schedule(self) -> None:
        self._cancel_wake()
        self.next_wake = None
        if self.runner.paused or self.runner.finished:
            return
        remaining = self.runner.remaining()
        # Wake when the digits change, at each whole second of the countdown,
        # and move the bar (drawn from the exact elapsed time) with them: one
        # redraw a second at any terminal width. Every redraw repaints each
        # widget on the screen from its cache, so each one saved counts.
        delay = remaining - (math.ceil(remaining) - 1) if remaining > 0 else 0.0
        if self._moment is not None and self._moment.moving and self.query_one(FigureView).picture:
            delay = min(delay, FRAME_SECONDS)  # the figure easing into the hold: a few frames a second
        # A bare loop callback, not a Textual Timer: no task and no message
        # per wake, which is most of what a wake would otherwise cost.
        self.next_wake = max(0.005, delay + 0.002)
        self._timer = asyncio.get_running_loop().call_later(self.next_wake, self.tick)

    def _cancel_wake(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def on_unmount(self) -> None:
        self._cancel_wake()

    # -- drawing --------------------------------------------------------------
    def _show_step(self) -> None:
        step = self.runner.step
        self._shown_step = self.runner.index
        stretch = self.routine.stretches[step.stretch]
        self.query_one("#title", Label).update(Content.assemble(
            f"Stretch {step.stretch + 1} of {len(self.routine.stretches)} · ", plain(stretch.name, "bold")))
        # Classes go on the widgets they colour, each changed in one go: a
        # class on the screen would make Textual style all of it again.
        side = self.query_one("#side", Label)
        side.update(side_label(step))
        side.update_classes({"-left": step.side == "left", "-right": step.side == "right"})
        self._status = ""  # the words of the moment, drawn with the seconds left by _show_time
        cue = stretch.side_words(step.side)
        self.query_one("#cue", Label).update(plain(cue[:1].upper() + cue[1:]))
        self.query_one("#cue", Label).display = bool(cue)
        kinds = ("prepare", "hold", "rest", "switch")
        self.query_one("#status", Label).update_classes({f"-{kind}": step.kind == kind for kind in kinds})
        self.query_one(HoldBar).set_class(step.kind != "hold", "-rest")
        self.query_one("#how", Static).update(plain(stretch.how))
        tips = "\n".join(f"• {tip}" for tip in stretch.tips)
        self.query_one("#tips", Static).update(plain(tips))
        self.query_one("#tips", Static).display = bool(tips)
        self.query_one("#next", Label).update(plain(next_line(self.routine, self.steps, self.runner.index)))
        if step.stretch > 0:
            self.checkin_open = False
            self.query_one("#checkin", Label).display = False

    def _show_time(self) -> None:
        remaining = self.runner.remaining()
        self.query_one(Countdown).show(remaining)
        self.query_one(HoldBar).set_fraction(self.runner.fraction())
        words = status_line(self.runner.step)
        if self.runner.paused:
            status = f"PAUSED · space to go on · {words}"
        else:  # the seconds in words too: what a screen reader or a copy of the screen can read
            status = f"{words} · {seconds_left_words(remaining)}"
        if status != self._status:
            self._status = status
            self.query_one("#status", Label).update(status)
        overall = overall_line(self._total - self.runner.remaining_total(), self._total)
        if overall != self._overall:
            self._overall = overall
            self.query_one("#overall", Label).update(overall)

    def _show_figure(self) -> None:
        step = self.runner.step
        stretch = self.routine.stretches[step.stretch]
        self._moment = moment(step, stretch, self.runner.elapsed(), still=self.app.reduced_motion)
        mirror, phase, moved, _ = self._moment
        self.query_one(FigureView).show(stretch.figure, mirror, moved, phase)

    def _show_paused(self) -> None:
        """After a pause or a resume: the footer's space key, the dimmed timer, and the clock."""
        paused = self.runner.paused
        self.refresh_bindings()
        self.query_one(Countdown).set_class(paused, "-paused")
        self.query_one(HoldBar).set_class(paused, "-paused")
        self.tick()

    def _ring_for(self, event: Event) -> None:
        if not self.bell or event.step is None:
            return
        if event.step.kind == "hold" or (event.kind == "start" and event.step.kind == "switch"):
            self.app.bell()

    # -- keys -----------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("pause", "resume"):
            return self.runner.paused == (action == "resume")
        return True

    def action_toggle_pause(self) -> None:
        if not self.runner.finished:
            self.runner.toggle_pause()
            self._show_paused()

    action_pause = action_resume = action_toggle_pause  # space's two names: the footer says which one it is now

    @on(events.Click, "#countdown")
    def _timer_clicked(self) -> None:
        self.action_toggle_pause()

    def on_screen_suspend(self) -> None:
        """Help, the palette or any dialog over the player pauses it; space resumes."""
        if not self.runner.finished and not self.runner.paused:
            self.runner.pause()
            self._show_paused()

    def action_next(self) -> None:
        self._move(self.runner.next_stretch())

    def action_previous(self) -> None:
        self._move(self.runner.back())

    def _move(self, events: list[Event]) -> None:
        for event in events:
            self._ring_for(event)
        self._shown_step = -1
        self.tick()

    def action_pain(self, level: int) -> None:
        """The optional check-in before the first stretch is over."""
        if not self.checkin_open:  # not `display`: a short terminal hides it, and the keys still work
            return
        self.pain_before = level
        self.query_one("#checkin", Label).update(f"Pain before: {level} of 10 · thanks (another key changes it)")

    def action_more_time(self) -> None:
        self.runner.add_time(10)  # the digits say so
        self.tick()

    def action_stop(self) -> None:
        if self.runner.finished:
            return
        was_paused = self.runner.paused
        self.on_screen_suspend()  # paused behind the question, as behind any dialog

        def answer(stop: bool | None) -> None:
            if stop:
                self._finish(stopped=True)
            else:
                if not was_paused:
                    self.runner.resume()
                self._show_paused()

        self.app.push_screen(ConfirmStop(), answer)

    # -- the end --------------------------------------------------------------
    def _finish(self, stopped: bool) -> None:
        """The last step ran out, or the person stopped; completed only with every stretch done."""
        if self._outcome is not None:
            return
        self._cancel_wake()
        if stopped:
            self.runner.finish_now()
        self._outcome = self.save(stopped)
        # Say it is over on this screen at once (the summary takes a few frames
        # to make), then go on to the summary once that has been drawn.
        if not stopped:
            self.query_one(Countdown).show(0)
            self.query_one(HoldBar).set_fraction(1.0)
        session = self._outcome.session
        saved = "NOT SAVED" if self._outcome.error else "saved" if session else "nothing to save"
        end = "DONE" if session is not None and session.completed else "STOPPED" if stopped else "ENDED"
        self.query_one("#status", Label).update(f"{end} · {saved}")
        self.call_after_refresh(self._to_summary)

    def _to_summary(self) -> None:  # a callback of its own: awaiting the switch from this screen would never end
        assert self._outcome is not None
        self.app.switch_screen(SummaryScreen(self.routine, self._outcome, self.store, self.now))

    def save(self, stopped: bool) -> Outcome:
        """Save the session the moment it ends (before anything else is asked)."""
        active = round(self.runner.active_seconds(), 1)
        if stopped and active <= 0:
            return Outcome(None, None)
        done, total = len(self.runner.done_stretches), len(self.routine.stretches)
        completed = done == total
        why = None if completed else STOPPED_BY_USER if stopped else f"skipped {total - done} of {total} stretches"
        # The end is measured on the monotonic clock from the start, so a wall
        # clock set back or forward meanwhile cannot make it absurd; a late
        # wake-up (a suspended laptop) does not stretch it either.
        took = max(0.0, self.runner.clock() - self._started_mono - self.runner.overshoot)
        ended = self.started + timedelta(seconds=round(took))
        session = Session(
            id=new_session_id(), routine=self.routine.id, routine_name=self.routine.name,
            region=self.routine.region, started=self.started, ended=ended, active_seconds=active,
            completed=completed, stretches_done=done, stretches_total=total, source="player",
            device=self.store.device, stopped=why, pain_before=self.pain_before,
        )
        self.app.note_session(session)
        try:
            self.store.save(session)
        except SaveError as err:
            return Outcome(session, str(err))
        return Outcome(session, None)


class ConfirmStop(Confirm):
    def __init__(self) -> None:
        super().__init__("Stop this session?", "What you have done so far is saved as stopped early.",
                         "Stop", "Keep going")
