"""A stretch's `figure` in a routine file -> core.pose.Figure, every mistake at its key.

    figure = "chin-tuck"              a built-in figure, by name
    [stretch.figure]                  or a figure of its own: view, frame, props, like,
    [stretch.figure.start]            a start pose,
    [stretch.figure.hold]             and a hold pose ([[stretch.figure.hold]] once per phase)
"""

from __future__ import annotations

from supple.core.pose import ANGLES, FRAMES, LIMBS, PROPS, VIEWS, Angle, Figure
from supple.core.poses import FIGURES
from supple.store.keypos import KeyPath
from supple.store.toml import TomlDoc, check_keys, fmt, get_str, type_name

FIGURE_KEYS = ("view", "frame", "props", "like", "start", "hold")


def read_figure(doc: TomlDoc, t: dict, where: KeyPath, label: str, phases: tuple[str, ...] | None) -> Figure | None:
    """A stretch's `figure`: the name of a built-in figure, or a [stretch.figure] table of its own
    (`phases`: the stretch's, None when they could not be read)."""
    if "figure" not in t:
        return None
    v, where = t["figure"], where + ("figure",)
    if isinstance(v, str):
        return _builtin(doc, v, where, label)
    if not isinstance(v, dict):
        doc.problem(where, f"{label}'figure' must be a built-in figure's name in quotes, or a [stretch.figure] table")
        return None
    before = len(doc.problems)
    label = f"{label[:-2]}, figure: " if label.endswith(": ") else label
    check_keys(doc, v, FIGURE_KEYS, where, label)
    like = get_str(doc, v, "like", where, label, nonempty=True)
    base = _builtin(doc, like, where + ("like",), label) if like is not None else Figure()
    base = base or Figure()
    view = _choice(doc, v, "view", where, label, VIEWS, base.view)
    frame = _choice(doc, v, "frame", where, label, FRAMES, base.frame, " (head and shoulders)")
    props = _props(doc, v, where, label) if "props" in v else base.props
    angles = ANGLES.get(view or "", {})
    start = base.start
    if "start" in v:
        start = _pose(doc, v["start"], where + ("start",), label, "start", angles, view, "[stretch.figure.start]")
    holds = base.holds
    if "hold" in v:
        holds = _holds(doc, v["hold"], where + ("hold",), label, angles, view, phases)
    elif "like" not in v:
        doc.problem(where, f"{label}a figure needs a hold pose: add a [stretch.figure.hold] table of angles")
    if len(doc.problems) > before:
        return None
    return Figure(view=view, frame=frame, props=props, start=start, holds=holds)


def _builtin(doc: TomlDoc, name: str, at: KeyPath, label: str) -> Figure | None:
    if name in FIGURES:
        return FIGURES[name]
    import difflib  # only for a mistake

    close = difflib.get_close_matches(name, list(FIGURES), n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else " (`supple figure --list` names them)"
    doc.problem(at, f"{label}no built-in figure is called '{name}'{hint}")
    return None


def _choice(doc: TomlDoc, v: dict, key: str, where: KeyPath, label: str, allowed: tuple[str, ...],
            default: str, note: str = "") -> str | None:
    value = get_str(doc, v, key, where, label, default=default)
    if value is not None and value not in allowed:
        doc.problem(where + (key,), f"{label}'{key}' must be {_either(allowed)}{note}, got \"{value}\"")
        return None
    return value


def _props(doc: TomlDoc, v: dict, where: KeyPath, label: str) -> tuple[str, ...] | None:
    props, at = v["props"], where + ("props",)
    if not isinstance(props, list) or not all(isinstance(p, str) for p in props):
        doc.problem(at, f"{label}'props' must be a list of props in quotes, like [\"floor\", \"wall\"]")
        return None
    for k, p in enumerate(props):
        if p not in PROPS:
            doc.problem(at, f"{label}no prop is called '{p}'{_hint(p, PROPS)}; there are: {', '.join(PROPS)}")
            return None
        if p in props[:k]:
            doc.problem(at, f"{label}'props' names '{p}' twice")
            return None
    return tuple(props)


def _holds(doc: TomlDoc, v: object, at: KeyPath, label: str, angles: dict, view: str | None,
           phases: tuple[str, ...] | None) -> tuple[dict, ...]:
    """One hold pose (every phase holds it), or a list of one a phase."""
    if phases is None and isinstance(v, list):  # the phases' own problem is said: check the poses alone
        phases = ("",) * len(v)
    if not isinstance(v, list):
        header = "[stretch.figure.hold] (or [[stretch.figure.hold]] once per phase)" if phases \
            else "[stretch.figure.hold]"
        return (_pose(doc, v, at, label, "hold", angles, view, header),)
    if not phases:
        doc.problem(at + (0,), f"{label}this stretch has no phases, so its figure takes one hold pose, "
                               f"written as [stretch.figure.hold] (single brackets)")
        return ()
    if len(v) != len(phases):
        doc.problem(at + (min(len(phases), len(v) - 1),),
                    f"{label}give one hold pose per phase: {_count(len(phases), 'phase')}, {_count(len(v), 'pose')}")
        return ()
    return tuple(_pose(doc, pose, at + (k,), label, f"hold {k + 1}" + (f" ({phases[k]})" if phases[k] else ""),
                       angles, view, "[[stretch.figure.hold]]") for k, pose in enumerate(v))


def _pose(doc: TomlDoc, v: object, at: KeyPath, label: str, which: str, angles: dict, view: str | None,
          header: str) -> dict[str, Angle]:
    """The angles of one pose, each checked against its view; {} when something is wrong."""
    if not isinstance(v, dict):
        name = f"'{at[-1]}'" if isinstance(at[-1], str) else which
        doc.problem(at, f"{label}{name} must be a table of angles, written as {header}, got {type_name(v)}")
        return {}
    label = f"{label[:-2]} {which}: "
    pose: dict[str, Angle] = {}
    for key, value in v.items():
        if view is None:  # an unknown view: its problem is said already
            continue
        if key not in angles:
            other = [w for w in VIEWS if w != view and key in ANGLES[w]]
            only = f" (only the {other[0]} view has it)" if other else _hint(key, tuple(angles))
            doc.problem(at + (key,), f"{label}'{key}' is not an angle of the {view} view{only}; "
                                     f"it has: {', '.join(angles)}")
            continue
        angle = _angle(doc, at + (key,), label, key, value, angles[key][:2], view)
        if angle is not None:
            pose[key] = angle
    return pose


def _angle(doc: TomlDoc, at: KeyPath, label: str, key: str, v: object, span: tuple[float, float],
           view: str) -> Angle | None:
    is_pair = isinstance(v, list)
    if is_pair and key not in LIMBS:
        limbs = ", ".join(k for k in ANGLES[view] if k in LIMBS)
        doc.problem(at, f"{label}'{key}' takes one number, not a pair; a pair [working side, other side] "
                        f"is for {limbs}")
        return None
    values = v if is_pair else [v]
    if (is_pair and len(values) != 2) or not all(_is_number(x) for x in values):
        pair = " or a pair [working side, other side]" if key in LIMBS else ""
        got = f"a list of {len(values)}" if is_pair and len(values) != 2 else type_name(v)
        doc.problem(at, f"{label}'{key}' must be a number of degrees{pair}, got {got}")
        return None
    lo, hi = span
    for x in values:
        if not lo <= x <= hi:  # NaN too
            doc.problem(at, f"{label}'{key}' must be from {fmt(lo)} to {fmt(hi)} degrees, got {fmt(x)}")
            return None
    return (values[0], values[1]) if is_pair else v


def _is_number(x: object) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _hint(word: str, known: tuple[str, ...]) -> str:
    import difflib  # only for a mistake

    close = difflib.get_close_matches(word, known, n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _either(allowed: tuple[str, ...]) -> str:
    quoted = [f'"{a}"' for a in allowed]
    return " or ".join(quoted) if len(quoted) <= 2 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"
