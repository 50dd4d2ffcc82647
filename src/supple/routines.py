"""Routine files -> Routine, with every problem located in its file."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from supple.problems import Problem

if TYPE_CHECKING:
    from supple.parsecache import ParseCache
    from supple.tomlfile import TomlDoc

REGIONS = ("neck", "upper-back", "lower-back", "hips-legs", "posture")
REGION_NAMES = {
    "neck": "Neck",
    "upper-back": "Upper back, shoulders",
    "lower-back": "Lower back",
    "hips-legs": "Hips & legs",
    "posture": "Posture",
}
_SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"  # compiled when first used
ROUTINE_KEYS = ("name", "region", "summary", "prepare", "rest", "stretch")
STRETCH_KEYS = ("name", "how", "hold", "reps", "sides", "tips", "phases", "rest")
DEFAULT_PREPARE = 5
DEFAULT_REST = 3


class Stretch(NamedTuple):
    name: str
    how: str
    hold: float
    reps: int = 1
    sides: str = "none"  # "none" | "both"
    tips: tuple[str, ...] = ()
    phases: tuple[str, ...] = ()
    rest: float = DEFAULT_REST

    @property
    def both_sides(self) -> bool:
        return self.sides == "both"


class Routine(NamedTuple):
    id: str
    name: str
    region: str
    stretches: tuple[Stretch, ...]
    summary: str = ""
    prepare: float = DEFAULT_PREPARE
    path: Path | None = None
    builtin: bool = False
    # Planned when the file is read, and kept with the routine in the parse
    # cache: the picker asks every routine for its length on the first frame.
    planned_seconds: float | None = None

    @property
    def seconds(self) -> float:
        if self.planned_seconds is not None:
            return self.planned_seconds
        from supple.plan import plan_seconds

        return plan_seconds(self)

    @property
    def minutes(self) -> int:
        return max(1, round(self.seconds / 60))


def region_name(slug: str) -> str:
    return REGION_NAMES.get(slug) or slug.replace("-", " ").capitalize()


def parse_routine(path: Path, raw: bytes | None = None, builtin: bool = False) -> tuple[Routine | None, list[Problem]]:
    from supple.tomlfile import parse_toml, read_toml  # not needed when the routine is cached

    doc = read_toml(path) if raw is None else parse_toml(path, raw)
    if doc.data is None:
        return None, doc.problems
    routine = _build(doc, Path(path).stem, builtin)
    return (routine if not doc.problems else None), sorted(doc.problems, key=lambda p: (p.line, p.col))


def _build(doc: TomlDoc, rid: str, builtin: bool) -> Routine | None:
    from supple.tomlfile import check_keys, get_number, get_str

    d = doc.data
    assert d is not None
    check_keys(doc, d, ROUTINE_KEYS, ())
    name = get_str(doc, d, "name", (), required=True)
    region = get_str(doc, d, "region", (), required=True)
    if region is not None and region.strip() and not re.match(_SLUG, region):
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
    from supple.plan import plan_seconds

    routine = Routine(
        id=rid, name=name, region=region, stretches=tuple(stretches), summary=summary or "",
        prepare=prepare, path=doc.path, builtin=builtin,
    )
    return routine._replace(planned_seconds=plan_seconds(routine))


def _build_stretch(doc: TomlDoc, t: dict, i: int, routine_rest: float) -> Stretch | None:
    from supple.tomlfile import check_keys, get_number, get_str, get_str_list

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
    tips = get_str_list(doc, t, "tips", where, label)
    phases = get_str_list(doc, t, "phases", where, label)
    if phases is not None and "phases" in t and (not phases or not all(p.strip() for p in phases)):
        doc.problem(where + ("phases",), f"{label}'phases' must name at least one phase, none empty")
    rest = get_number(doc, t, "rest", where, 0, 600, label, default=routine_rest, unit=" seconds")
    if len(doc.problems) > before:
        return None
    return Stretch(name=name.strip(), how=how.strip(), hold=hold, reps=int(reps), sides=sides,
                   tips=tips, phases=phases, rest=rest)


class RoutineSet:
    __slots__ = ("routines", "problems")

    def __init__(self, routines: dict[str, Routine], problems: list[Problem]) -> None:
        self.routines = routines  # id -> routine, built-ins first, then the user's
        self.problems = problems

    def find(self, name: str) -> Routine | None:
        """A routine by id, or else the first routine of a region."""
        if name in self.routines:
            return self.routines[name]
        for r in self.routines.values():
            if r.region == name:
                return r
        return None

    def regions(self) -> list[str]:
        seen = [r for r in REGIONS if any(x.region == r for x in self.routines.values())]
        extra = sorted({x.region for x in self.routines.values()} - set(seen))
        return seen + extra

    def in_region(self, region: str) -> list[Routine]:
        return [r for r in self.routines.values() if r.region == region]


def routine_files(folder: Path) -> list[Path]:
    try:
        return sorted(p for p in Path(folder).glob("*.toml") if not p.name.startswith("."))
    except OSError:
        return []


def _parse_builtin(path: Path) -> tuple[Routine | None, list[Problem]]:
    return parse_routine(path, builtin=True)


def load_routines(builtin_dir: Path, user_dir: Path | None, cache: ParseCache | None = None) -> RoutineSet:
    routines: dict[str, Routine] = {}
    problems: list[Problem] = []
    folders = [(builtin_dir, _parse_builtin)] + ([(user_dir, parse_routine)] if user_dir is not None else [])
    for folder, parse in folders:
        for path in routine_files(folder):
            r, probs = cache.get(path, parse) if cache is not None else parse(path)
            problems += probs
            if r:
                routines[r.id] = r
    return RoutineSet(routines, problems)
