"""`supple check`: which kind of file each path is, and its problems (themes are checked
with Textual's colour parser, as the app would read them)."""

from __future__ import annotations

from pathlib import Path

from supple.cli import err
from supple.context import load_context
from supple.core.model import Problem
from supple.core.stats import plural
from supple.store.config import load_config
from supple.store.files import toml_files
from supple.store.keypos import key_positions, locate
from supple.store.paths import Dirs, package_data
from supple.store.routine_files import parse_routine
from supple.tui.themes import parse_theme


def default_paths(dirs: Dirs) -> list[Path]:
    paths = [package_data("routines"), dirs.user_routines, package_data("themes"), dirs.user_themes]
    paths = [p for p in paths if p.is_dir()]
    if dirs.config_file.exists():
        paths.append(dirs.config_file)
    return paths


def kind_of(path: Path) -> str:
    if path.name == "config.toml":
        return "config"
    if path.parent.name in ("themes", "routines"):
        return path.parent.name[:-1]
    try:
        lines = path.read_text("utf-8", errors="replace").splitlines()
    except OSError:
        return "routine"
    has = lambda key: any(line.lstrip().startswith(key) for line in lines)  # noqa: E731
    return "theme" if has("primary") and not has("[[stretch]]") else "routine"


def check_file(path: Path) -> list[Problem]:
    if not path.exists():
        return [Problem(path, 1, 1, "no such file")]
    kind = kind_of(path)
    if kind == "config":
        return load_config(path).problems
    if kind == "theme":
        return parse_theme(path)[1]
    return parse_routine(path)[1]


def region_warnings(dirs: Dirs, files: list[Path]) -> list[Problem]:
    """Among `files`, a routine whose region no other routine shares and that is a slip away
    from a known one: a warning at its region, with the region meant. Warnings do not fail a check."""
    ctx = load_context(dirs)
    checked = {f.resolve() for f in files}
    out = []
    for r in ctx.routines.routines.values():
        meant = ctx.routines.lone_region_typo(r)
        if meant is None or r.path is None or r.path.resolve() not in checked:
            continue
        line, col = locate(key_positions(r.path.read_text("utf-8", errors="replace")), ("region",))
        out.append(Problem(r.path, line, col, f"warning: region '{r.region}' is shared by no other routine "
                                              f"(did you mean '{meant}'?)"))
    return out


def cmd_check(args, dirs) -> int:
    problems: list[Problem] = []
    checked: list[Path] = []
    for path in [Path(p) for p in args.paths] if args.paths else default_paths(dirs):
        # a folder named like a file (config.toml made a folder) is checked as the file it should be
        folder = path.is_dir() and path.suffix != ".toml"
        files = toml_files(path) if folder else [path]
        for f in files:
            checked.append(f)
            problems += sorted(check_file(f), key=lambda p: (p.line, p.col))
    warnings = region_warnings(dirs, checked)
    for p in problems + warnings:
        print(p.format())
    files = plural(len(checked), "file")
    warned = f", {plural(len(warnings), 'warning')}" if warnings else ""
    if problems:
        err(f"{plural(len(problems), 'problem')} in {files}{warned}")
        return 1
    err(f"{files} checked, no problems{warned}")
    return 0
