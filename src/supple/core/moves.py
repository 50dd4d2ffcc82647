"""How a stretch's figure moves through the player's steps: it eases from the start position into
the hold while the player says "get ready" (and again on the other side after a switch), shows the
start position while resting, and holds still during a hold, when a still figure costs nothing."""

from __future__ import annotations

from typing import NamedTuple

from supple.core.model import Stretch
from supple.core.plan import Step

MOVE_SECONDS = 3.0  # the ease into the hold takes this long at most, then the figure is still
# Five frames a second while it moves: an animated figure then costs under 0.05 of a core
# (docs/notes/figures/README.md measured 4 to 8 frames a second).
FRAME_SECONDS = 0.2


class Moment(NamedTuple):
    mirror: bool  # the right side: the figure's mirror image
    phase: int  # which hold pose, for a stretch held in phases
    moved: float  # 0: the start position, 1: the hold
    moving: bool = False  # later frames differ: draw again in FRAME_SECONDS


def moment(step: Step, stretch: Stretch, elapsed: float, still: bool = False) -> Moment:
    """The figure `elapsed` seconds into `step`; `still` (reduced motion) shows the hold at once."""
    mirror = step.side == "right"
    phase = stretch.phases.index(step.phase) if step.phase in stretch.phases else 0
    if step.kind == "rest":
        return Moment(mirror, phase, 0.0)
    if step.kind == "hold" or still:
        return Moment(mirror, phase, 1.0)
    span = min(MOVE_SECONDS, step.seconds)
    moved = 1.0 if span <= 0 else min(1.0, max(0.0, elapsed) / span)
    return Moment(mirror, phase, moved, moved < 1.0)
