"""What the player says about a step: the words, not the drawing."""

from __future__ import annotations

from supple.core.model import Routine
from supple.core.plan import Step

PAIN_KEYS = "press 0 (no pain) to 9, or t (the worst, 10)"


def fmt_seconds(seconds: float) -> str:
    s = int(round(seconds))
    return f"{s // 60}:{s % 60:02d} min" if s >= 60 else f"{s} s"


def side_label(step: Step) -> str:
    return {"left": "LEFT", "right": "RIGHT"}.get(step.side or "", "")


def rep_label(step: Step) -> str:
    return f"Rep {step.rep} of {step.reps}" if step.reps > 1 else ""


def status_line(step: Step) -> str:
    """The big word of the moment, with the rep and the phase."""
    if step.kind == "prepare":
        word = "GET READY"
        if step.side:
            word += f" · {step.side} side first"
    elif step.kind == "hold":
        word = "HOLD"
        if step.phase:
            word += f" · {step.phase}"
    elif step.kind == "switch":
        word = f"SWITCH SIDES · now the {step.side} side"
    else:
        word = "REST"
    rep = rep_label(step)
    return f"{word} · {rep}" if rep and step.kind in ("hold", "rest") else word


def next_line(routine: Routine, steps: list[Step], index: int) -> str:
    """What comes after the current step, said the way a coach would."""
    if index + 1 >= len(steps):
        return "Next: that's the last one, you're done"
    step, nxt = steps[index], steps[index + 1]
    if nxt.stretch != step.stretch:
        return f"Next: {routine.stretches[nxt.stretch].name} ({nxt.stretch + 1} of {len(routine.stretches)})"
    if nxt.kind == "switch":
        return f"Next: switch to the {nxt.side} side"
    if nxt.kind == "rest":
        return f"Next: rest {fmt_seconds(nxt.seconds)}, then rep {nxt.rep} of {nxt.reps}"
    if nxt.kind == "hold":
        where = f"{nxt.side} side, " if nxt.side and (step.kind != "hold" or nxt.side != step.side) else ""
        if nxt.phase and nxt.phase != step.phase:
            return f"Next: {nxt.phase}" + (f" ({where}rep {nxt.rep} of {nxt.reps})" if nxt.reps > 1 else "")
        rep = f", rep {nxt.rep} of {nxt.reps}" if nxt.reps > 1 else ""
        return f"Next: hold {fmt_seconds(nxt.seconds)}{rep}" + (f" · {nxt.side} side" if where else "")
    return f"Next: {nxt.kind}"
