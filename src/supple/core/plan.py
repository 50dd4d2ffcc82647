"""A routine as the player runs it: a flat list of timed steps. Each stretch: prepare; each side (left, then
right, or just once), within it each rep holding each phase, a rest between reps; a switch between the sides."""

from __future__ import annotations

from typing import Literal, NamedTuple

from supple.core.model import Routine

MIN_SWITCH = 3.0  # seconds to change sides even when a routine asks for no rest


class Step(NamedTuple):
    kind: Literal["prepare", "hold", "rest", "switch"]
    seconds: float
    stretch: int  # index into routine.stretches
    side: str | None = None  # "left" | "right" | None
    rep: int = 1  # 1-based, counted within a side
    reps: int = 1
    phase: str | None = None


def plan(routine: Routine) -> list[Step]:
    steps: list[Step] = []
    for index, s in enumerate(routine.stretches):
        sides: tuple[str | None, ...] = ("left", "right") if s.both_sides else (None,)
        phases: tuple[str | None, ...] = s.phases or (None,)
        if routine.prepare > 0:
            steps.append(Step("prepare", routine.prepare, index, sides[0], 1, s.reps, phases[0]))
        for n, side in enumerate(sides):
            if n > 0:
                steps.append(Step("switch", max(s.rest, MIN_SWITCH), index, side, 1, s.reps, phases[0]))
            for rep in range(1, s.reps + 1):
                if rep > 1 and s.rest > 0:
                    steps.append(Step("rest", s.rest, index, side, rep, s.reps, phases[0]))
                for phase in phases:
                    steps.append(Step("hold", s.hold, index, side, rep, s.reps, phase))
    return steps


def seconds(routine: Routine) -> float:
    """What `plan(routine)` adds up to, worked out without making its steps (the picker
    shows the length of every routine on its first frame)."""
    total = 0.0
    for s in routine.stretches:
        sides = 2 if s.both_sides else 1
        rests = (s.reps - 1) * s.rest if s.rest > 0 else 0.0
        total += max(routine.prepare, 0) + sides * (s.reps * len(s.phases or (None,)) * s.hold + rests)
        total += max(s.rest, MIN_SWITCH) if s.both_sides else 0.0
    return total


def minutes(routine: Routine) -> int:
    """The sum of the prepares, holds and rests, rounded to the nearest minute (at least 1)."""
    return max(1, round(seconds(routine) / 60))
