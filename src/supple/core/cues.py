"""What the player says about a step: the words, not the drawing."""

from __future__ import annotations

import math

from supple.core.model import Routine
from supple.core.plan import Step

PAIN_KEYS = "press 0 (no pain) to 9, or t (the worst, 10)"


def fmt_seconds(seconds: float) -> str:
    s = int(round(seconds))
    return f"{s // 60}:{s % 60:02d} min" if s >= 60 else f"{s} s"


def side_label(step: Step) -> str:
    return (step.side or "").upper()


def status_line(step: Step) -> str:
    """The big word of the moment, with the phase and the rep (the side's cue is the player's next line)."""
    if step.kind == "prepare":
        return "GET READY" + (f" · {step.side} side first" if step.side else "")
    if step.kind == "switch":
        return f"SWITCH SIDES · now the {step.side} side"
    if step.kind == "rest":
        return f"REST · ease back to neutral and breathe · rep {step.rep} of {step.reps} next"
    hold = "HOLD" + (f" · {step.phase}" if step.phase else "")
    return hold + (f" · Rep {step.rep} of {step.reps}" if step.reps > 1 else "")


def seconds_left_words(seconds: float) -> str:
    """The countdown in words, for a screen reader or a copy of the screen: "18 seconds left"."""
    s = max(0, math.ceil(seconds - 1e-9))
    return "1 second left" if s == 1 else f"{s} seconds left"


def overall_line(done_seconds: float, total_seconds: float, width: int = 10) -> str:
    """Where the whole routine stands: "▰▰▰▱▱▱▱▱▱▱ about 5 min left"."""
    share = 0.0 if total_seconds <= 0 else min(1.0, max(0.0, done_seconds / total_seconds))
    filled = int(share * width)
    left = max(0.0, total_seconds - done_seconds)
    words = "under a minute left" if left < 60 else f"about {round(left / 60)} min left"
    return "▰" * filled + "▱" * (width - filled) + f" {words} in all"


def next_line(routine: Routine, steps: list[Step], index: int) -> str:
    """What comes after the current step, said the way a coach would."""
    if index + 1 >= len(steps):
        return "Next: that's the last one, you're done"
    step, nxt = steps[index], steps[index + 1]
    if nxt.stretch != step.stretch:
        return f"Next: {routine.stretches[nxt.stretch].name} ({nxt.stretch + 1} of {len(routine.stretches)})"
    if nxt.kind == "switch":
        cue = routine.stretches[nxt.stretch].side_words(nxt.side)
        return f"Next: switch sides, {cue}" if cue else f"Next: switch to the {nxt.side} side"
    if nxt.kind == "rest":
        return f"Next: rest {fmt_seconds(nxt.seconds)}, then rep {nxt.rep} of {nxt.reps}"
    if nxt.kind == "hold":
        where = f"{nxt.side} side, " if nxt.side and (step.kind != "hold" or nxt.side != step.side) else ""
        if nxt.phase and nxt.phase != step.phase:
            return f"Next: {nxt.phase}" + (f" ({where}rep {nxt.rep} of {nxt.reps})" if nxt.reps > 1 else "")
        rep = f", rep {nxt.rep} of {nxt.reps}" if nxt.reps > 1 else ""
        return f"Next: hold {fmt_seconds(nxt.seconds)}{rep}" + (f" · {nxt.side} side" if where else "")
    return f"Next: {nxt.kind}"
