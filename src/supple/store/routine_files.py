"""Routine files -> Routine, with every problem located in its file."""

from __future__ import annotations

import re
from functools import partial
from pathlib import Path

from supple.core.model import DEFAULT_PREPARE, DEFAULT_REST, Problem, Routine, Stretch
from supple.store.figure_files import read_figure
from supple.store.files import toml_files
from supple.store.parsecache import ParseCache
from supple.store.toml import TomlDoc, check_keys, get_number, get_str, get_str_list, read_toml

_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
ROUTINE_KEYS = ("name", "region", "summary", "prepare", "rest", "stretch")
STRETCH_KEYS = ("name", "how", "hold", "reps", "sides", "side_cue", "tips", "phases", "rest", "figure")


def parse_routine(path: Path, builtin: bool = False) -> tuple[Routine | None, list[Problem]]:
    doc = read_toml(path)
    if doc.data is None:
        return None, doc.problems
    return _build(doc, Path(path).stem, builtin), doc.sorted_problems()


def _build(doc: TomlDoc, rid: str, builtin: bool) -> Routine | None:
    d = doc.data
    assert d is not None
    check_keys(doc, d, ROUTINE_KEYS, ())
    name = get_str(doc, d, "name", (), required=True)
    region = get_str(doc, d, "region", (), required=True)
    if region is not None and region.strip() and not _SLUG.match(region):
        doc.problem(("region",), f"'region' must be a lower-case slug like 'neck' or 'upper-back', got '{region}'")
    summary = get_str(doc, d, "summary", (), default="")
    prepare = get_number(doc, d, "prepare", (), 0, 600, default=DEFAULT_PREPARE, unit=" seconds")
    rest = get_number(doc, d, "rest", (), 0, 600, default=DEFAULT_REST, unit=" seconds")
    raw_stretches = d.get("stretch")
    stretches: list[Stretch] = []
    if raw_stretches is None:
        doc.problem((), "no stretches: add at least one [[stretch]] table")
    elif not isinstance(raw_stretches, list) or not all(isinstance(s, dict) for s in raw_stretches):
        doc.problem(("stretch",), "'stretch' must be a list of tables, written as [[stretch]]")
    else:
        if not raw_stretches:
            doc.problem(("stretch",), "no stretches: add at least one [[stretch]] table")
        for i, table in enumerate(raw_stretches):
            s = _build_stretch(doc, table, i, rest if rest is not None else DEFAULT_REST)
            if s is not None:
                stretches.append(s)
    if doc.problems:
        return None
    return Routine(id=rid, name=name, region=region, stretches=tuple(stretches), summary=summary or "",
                   prepare=prepare, path=doc.path, builtin=builtin)


def _build_stretch(doc: TomlDoc, t: dict, i: int, routine_rest: float) -> Stretch | None:
    where = ("stretch", i)
    label = f"stretch {i + 1}"
    if isinstance(t.get("name"), str) and t["name"].strip():
        label += f" ({t['name']})"
    label += ": "
    before = len(doc.problems)
    check_keys(doc, t, STRETCH_KEYS, where, label)
    name = get_str(doc, t, "name", where, label, required=True)
    how = get_str(doc, t, "how", where, label, required=True)
    hold = get_number(doc, t, "hold", where, 1, 600, label, required=True, unit=" seconds")
    reps = get_number(doc, t, "reps", where, 1, 50, label, default=1, integer=True)
    sides = get_str(doc, t, "sides", where, label, default="none")
    if sides is not None and sides not in ("none", "both"):
        doc.problem(where + ("sides",), f"{label}'sides' must be \"none\" or \"both\", got \"{sides}\"")
    side_cue = get_str(doc, t, "side_cue", where, label, default="", nonempty=True)
    if side_cue and "{side}" not in side_cue:
        doc.problem(where + ("side_cue",), f"{label}'side_cue' must say where the side goes with {{side}}, "
                                           f'like "{{side}} ear toward your {{side}} shoulder"')
    elif side_cue and sides != "both":
        doc.problem(where + ("side_cue",), f"{label}'side_cue' needs sides = \"both\"")
    tips = get_str_list(doc, t, "tips", where, label)
    phases = get_str_list(doc, t, "phases", where, label)
    if phases is not None and "phases" in t and (not phases or not all(p.strip() for p in phases)):
        doc.problem(where + ("phases",), f"{label}'phases' must name at least one phase, none empty")
    rest = get_number(doc, t, "rest", where, 0, 600, label, default=routine_rest, unit=" seconds")
    figure = read_figure(doc, t, where, label, phases)
    if len(doc.problems) > before:
        return None
    return Stretch(name=name.strip(), how=how.strip(), hold=hold, reps=int(reps), sides=sides,
                   tips=tips, phases=phases, rest=rest, side_cue=side_cue.strip(), figure=figure)


def folder_stamp(folder: Path) -> tuple:
    """What changes when a routine file in `folder` is added, removed or edited."""
    out = []
    for path in toml_files(folder):
        try:
            st = path.stat()
        except OSError:
            continue
        out.append((path.name, st.st_size, st.st_mtime_ns, st.st_ino))
    return tuple(out)


def load_routines(builtin_dir: Path, user_dir: Path | None,
                  cache: ParseCache | None = None) -> tuple[dict[str, Routine], list[Problem]]:
    """Every routine by id (a user's file replaces a built-in of the same id), and the problems."""
    routines: dict[str, Routine] = {}
    problems: list[Problem] = []
    for folder, builtin in ((builtin_dir, True), (user_dir, False)):
        parse = partial(parse_routine, builtin=builtin)
        for path in toml_files(folder) if folder is not None else []:
            r, probs = cache.get(path, parse) if cache is not None else parse(path)
            problems += probs
            if r:
                routines[r.id] = r
    return routines, problems
