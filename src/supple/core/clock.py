"""The session runner: which step is on, and how long it has left. Time comes from an injected monotonic clock,
never counted in ticks: an `update()` that comes late (a busy terminal, a suspended laptop) still gets the right
step and time left. Paused time does not count. A stretch is done when each side was held DONE_SHARE of its
planned hold time over however many tries: skipping it, or moving on a second into its hold, does not count."""

from __future__ import annotations

import time
from typing import Callable, Literal, NamedTuple

from supple.core.plan import Step

Clock = Callable[[], float]
DONE_SHARE = 0.5  # of a side's planned hold time, held, makes that side done
RESTART_WINDOW = 3.0  # seconds into a stretch within which "back" goes to the one before


class Event(NamedTuple):
    kind: Literal["start", "end", "finished"]
    step: Step | None
    index: int


class Runner:
    def __init__(self, steps: list[Step], clock: Clock = time.monotonic) -> None:
        if not steps:
            raise ValueError("a routine with no steps cannot be played")
        self.steps = steps
        self.clock = clock
        self.index = 0
        self.finished = False
        self._run_before = 0.0  # run time banked before the last resume
        self._resumed_at: float | None = clock()
        self._step_start = 0.0  # run time at which the current step began
        self._stretch_start = 0.0  # run time at which the current stretch began (or began again)
        self._extra = 0.0  # seconds added to the current step with "+"
        self._held: dict[tuple[int, str | None], float] = {}  # hold seconds per (stretch, side), steps left
        self._planned: dict[tuple[int, str | None], float] = {}
        self._first: dict[int, int] = {}  # stretch -> the index of its first step
        for i, s in enumerate(steps):
            self._first.setdefault(s.stretch, i)
            if s.kind == "hold":
                self._planned[(s.stretch, s.side)] = self._planned.get((s.stretch, s.side), 0.0) + s.seconds
        self.overshoot = 0.0  # how late the last update came after the plan had ended

    def run_time(self) -> float:
        if self._resumed_at is None:
            return self._run_before
        return self._run_before + max(0.0, self.clock() - self._resumed_at)

    @property
    def paused(self) -> bool:
        return self._resumed_at is None and not self.finished

    def pause(self) -> None:
        if self._resumed_at is not None:
            self._run_before = self.run_time()
            self._resumed_at = None

    def resume(self) -> None:
        if self._resumed_at is None and not self.finished:
            self._resumed_at = self.clock()

    def toggle_pause(self) -> None:
        self.resume() if self.paused else self.pause()

    @property
    def step(self) -> Step:
        return self.steps[self.index]

    def step_length(self) -> float:
        return self.step.seconds + self._extra

    def elapsed(self) -> float:
        if self.finished:
            return self.step_length()
        return min(self.step_length(), max(0.0, self.run_time() - self._step_start))

    def remaining(self) -> float:
        return self.step_length() - self.elapsed()

    def fraction(self) -> float:
        length = self.step_length()
        return 1.0 if length <= 0 else self.elapsed() / length

    def active_seconds(self) -> float:
        return sum(self.held(*side) for side in self._planned)

    def held(self, stretch: int, side: str | None) -> float:
        """Seconds held on one side of a stretch (the hold under way included)."""
        now = self.elapsed() if (self.step.kind == "hold" and not self.finished
                                 and (self.step.stretch, self.step.side) == (stretch, side)) else 0.0
        return self._held.get((stretch, side), 0.0) + now

    @property
    def done_stretches(self) -> set[int]:
        short = {key[0] for key, planned in self._planned.items()
                 if self.held(*key) < DONE_SHARE * planned - 1e-6}  # a side held too little
        return {key[0] for key in self._planned} - short

    def remaining_total(self) -> float:
        later = sum(s.seconds for s in self.steps[self.index + 1 :])
        return (0.0 if self.finished else self.remaining()) + later

    def update(self) -> list[Event]:
        """Advance past every step whose time is up; say what happened."""
        events: list[Event] = []
        now = self.run_time()
        while not self.finished and now - self._step_start >= self.step_length():
            end = self._step_start + self.step_length()
            events.append(Event("end", self.step, self.index))
            self._leave()
            events += self._enter(self.index + 1, at=end)
        return events

    def add_time(self, seconds: float = 10.0) -> None:
        if not self.finished:
            self._extra += seconds

    def next_stretch(self) -> list[Event]:
        current = self.step.stretch
        later = range(self.index + 1, len(self.steps))
        target = next((i for i in later if self.steps[i].stretch > current), len(self.steps))
        return self._jump(target)

    def previous_stretch(self) -> list[Event]:
        return self._jump(self._first[max(0, self.step.stretch - 1)])

    def back(self) -> list[Event]:
        """As a music player's back key: this stretch from its start, or the one before within RESTART_WINDOW."""
        if self.run_time() - self._stretch_start < RESTART_WINDOW:
            return self.previous_stretch()
        return self._jump(self._first[self.step.stretch])

    def finish_now(self) -> None:
        """Stop here (the person quit): bank the hold time spent so far."""
        if not self.finished:
            self._leave()
            self.pause()
            self.finished = True

    def _jump(self, target: int) -> list[Event]:
        if self.finished:
            return []
        self._leave()
        return self._enter(target, at=self.run_time())

    def _leave(self) -> None:
        """Bank the time held in the step being left."""
        step = self.step
        if step.kind == "hold":
            self._held[(step.stretch, step.side)] = self._held.get((step.stretch, step.side), 0.0) + self.elapsed()

    def _enter(self, index: int, at: float) -> list[Event]:
        # a stretch (re)starts at its first step, whether reached in order or by a jump
        if index >= len(self.steps) or index == self._first[self.steps[index].stretch]:
            self._stretch_start = at
        self._step_start = at
        self._extra = 0.0
        if index >= len(self.steps):
            self.index = len(self.steps) - 1
            self.finished = True
            self.pause()
            self.overshoot = max(0.0, self._run_before - at)
            self._run_before = min(self._run_before, at)
            return [Event("finished", None, index)]
        self.index = index
        return [Event("start", self.steps[index], index)]
