"""`supple figure`: a routine's stretch figures as plain text, for a quick look or for docs."""

from __future__ import annotations

from supple.cli import err, print_problems
from supple.context import load_context
from supple.core.drawing import Sketch
from supple.core.model import Routine, Stretch
from supple.core.poses import FIGURES
from supple.core.text import one_line

UPRIGHT = (24, 12)  # characters for a figure taller than wide
WIDE = (32, 8)  # for one lying down or reaching out
GAP = "    "  # between the start and the hold


def cmd_figure(args, dirs) -> int:
    if args.list:
        print("\n".join(FIGURES))
        return 0
    if args.routine is None:
        err("supple figure: name a routine (or a region), or give --list for the built-in figures")
        return 2
    ctx = load_context(dirs)
    print_problems(ctx.problems)  # a routine missing here may be one whose file is broken
    routine = ctx.routines.find(args.routine)
    if routine is None:
        err(f"supple figure: no routine or region named '{args.routine}'. Try: {', '.join(ctx.routines.routines)}")
        return 2
    if args.stretch is None:
        chosen = list(enumerate(routine.stretches, 1))
    else:
        found = pick(routine, args.stretch)
        if isinstance(found, str):
            err(f"supple figure: {found}")
            return 2
        chosen = [found]
    print("\n\n".join("\n".join(stretch_text(n, s)) for n, s in chosen))
    return 0


def pick(routine: Routine, wanted: str) -> tuple[int, Stretch] | str:
    """The stretch `wanted` names (a number from 1, or its name or the start of it, in any case), or what is wrong."""
    stretches = routine.stretches
    name = one_line(routine.name)
    text = wanted.strip()
    if text.isdecimal():
        n = int(text)
        if 1 <= n <= len(stretches):
            return n, stretches[n - 1]
        return f"{name} has stretches 1 to {len(stretches)}, not {one_line(text)}"
    key = text.casefold()
    exact = [(i, s) for i, s in enumerate(stretches, 1) if s.name.casefold() == key]
    starts = [(i, s) for i, s in enumerate(stretches, 1) if key and s.name.casefold().startswith(key)]
    if len(exact) == 1 or (not exact and len(starts) == 1):
        return (exact or starts)[0]
    if len(exact) > 1 or len(starts) > 1:
        which = ", ".join(f"{i}. {one_line(s.name)}" for i, s in (exact or starts))
        return f"'{one_line(text)}' could be more than one stretch of {name}: {which}; give its number"
    names = ", ".join(f"{i}. {one_line(s.name)}" for i, s in enumerate(stretches, 1))
    return f"{name} has no stretch called '{one_line(text)}'. Try: {names}"


def stretch_text(number: int, stretch: Stretch) -> list[str]:
    """A stretch's heading, its start and its hold (or each phase) side by side, and which side is shown."""
    lines = [f"{number}. {one_line(stretch.name)}"]
    figure = stretch.figure
    if figure is None:
        return [*lines, "(no figure)"]
    sketch = Sketch(figure)  # unmirrored: the left side, the one the player shows first
    cols, rows = WIDE if sketch.shape() > 1.5 else UPRIGHT
    cols, rows = sketch.size_for(cols, rows) or (cols, rows)
    columns = [("start", sketch.draw(cols, rows, start=True).rows)]
    if stretch.phases:
        columns += [(one_line(p), sketch.draw(cols, rows, phase=i).rows) for i, p in enumerate(stretch.phases)]
    else:
        columns.append(("hold", sketch.draw(cols, rows).rows))
    lines += side_by_side(columns, cols)
    if stretch.both_sides:
        lines.append("left side shown; the right side is its mirror image")
    return lines


def side_by_side(columns: list[tuple[str, list[str]]], cols: int) -> list[str]:
    """Labelled pictures in a row, blank rows above and below them all left out, trailing spaces stripped."""
    height = len(columns[0][1])
    used = [r for r in range(height) if any(pic[r].strip() for _, pic in columns)]
    rows = range(used[0], used[-1] + 1) if used else range(0)
    widths = [max(cols, len(label)) for label, _ in columns]
    out = [GAP.join(label.ljust(w) for (label, _), w in zip(columns, widths)).rstrip()]
    out += [GAP.join(pic[r].ljust(w) for (_, pic), w in zip(columns, widths)).rstrip() for r in rows]
    return out
