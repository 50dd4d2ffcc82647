"""`<config>/config.toml`: every key optional; a bad value is reported and its default used."""

from __future__ import annotations

import os
import re
from datetime import time
from pathlib import Path

from supple.core.model import Problem
from supple.store.files import write_atomic
from supple.store.toml import TomlDoc, check_keys, get_bool, get_number, get_str, get_str_list, read_toml

CONFIG_KEYS = ("theme", "daily_goal", "bell", "device", "break_every", "work_hours", "work_days", "break_routine",
               "reduced_motion")
DEFAULT_THEME = "supple-dusk"
DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_HOURS = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


class Config:
    """The settings of one config.toml: each is its default until the file says otherwise."""

    def __init__(self, path: Path | None = None) -> None:
        self.theme = DEFAULT_THEME
        self.daily_goal = 2
        self.bell = False
        self.device = ""
        self.break_every = 120  # minutes; 0 turns breaks off
        self.work_hours: tuple[time, time] | None = None
        self.work_days: frozenset[int] = frozenset(range(7))  # 0 is Monday
        self.break_routine = "desk-break"  # a routine id, or "neglected"
        self.reduced_motion = False  # no animation: Textual's and the stretch figures'
        self.path = path
        self.problems: list[Problem] = []

    @property
    def device_name(self) -> str:
        return self.device or host_name() or "device"


def host_name() -> str:
    """The host name, as platform.node() gives it; its module costs `supple history` (which
    answers within 0.30x of a first frame) a millisecond, so only where os.uname is missing."""
    if hasattr(os, "uname"):
        return os.uname().nodename
    import platform

    return platform.node()


def parse_hours(text: str) -> tuple[time, time]:
    """'09:00-18:00' -> (09:00, 18:00); ValueError with a plain message otherwise."""
    m = _HOURS.match(text)
    if not m:
        raise ValueError("must look like \"09:00-18:00\"")
    h1, m1, h2, m2 = (int(g) for g in m.groups())
    if h1 > 23 or h2 > 24 or m1 > 59 or m2 > 59 or (h2 == 24 and m2):
        raise ValueError(f"'{text}' is not a time of day")
    start = time(h1, m1)
    end = time(23, 59, 59) if h2 == 24 else time(h2, m2)
    if end <= start:
        raise ValueError("the end must come after the start (overnight hours are not supported)")
    return start, end


def load_config(path: Path) -> Config:
    cfg = Config(path=path)
    if not path.exists():
        return cfg
    doc = read_toml(path)
    if doc.data is None:
        cfg.problems = doc.problems
        return cfg
    d = doc.data
    check_keys(doc, d, CONFIG_KEYS, ())
    cfg.theme = get_str(doc, d, "theme", (), default=DEFAULT_THEME) or DEFAULT_THEME
    goal = get_number(doc, d, "daily_goal", (), 1, 100, default=2, integer=True, unit=" sessions")
    cfg.daily_goal = int(goal) if goal is not None else 2
    cfg.bell = bool(get_bool(doc, d, "bell", (), False))
    cfg.reduced_motion = bool(get_bool(doc, d, "reduced_motion", (), False))
    cfg.device = (get_str(doc, d, "device", ()) or "").strip()
    every = get_number(doc, d, "break_every", (), 0, 24 * 60, default=120, integer=True, unit=" minutes")
    cfg.break_every = int(every) if every is not None else 120
    hours = get_str(doc, d, "work_hours", ())
    if hours is not None:
        try:
            cfg.work_hours = parse_hours(hours)
        except ValueError as err:
            doc.problem(("work_hours",), f"'work_hours' {err}")
    days = get_str_list(doc, d, "work_days", ())
    if days:
        wrong = [x for x in days if x.strip().lower()[:3] not in DAY_NAMES]
        if wrong:
            doc.problem(("work_days",), f"'work_days' has {', '.join(repr(x) for x in wrong)}; use mon, tue, … sun")
        else:
            cfg.work_days = frozenset(DAY_NAMES.index(x.strip().lower()[:3]) for x in days)
    cfg.break_routine = (get_str(doc, d, "break_routine", ()) or "desk-break").strip()
    cfg.problems = doc.sorted_problems()
    return cfg


def remember(path: Path, key: str, value: object) -> str | None:
    """Set one key in config.toml, keeping every other key and comment; a message when it could not
    (a file supple could not read is never rewritten)."""
    read = read_toml(path) if path.exists() else TomlDoc(path, {})
    if read.data is None:
        return f"{path} could not be read, so supple left it as it is"
    import tomlkit  # 20 ms: only when a choice is remembered, never before the first frame

    doc = tomlkit.parse(read.text)
    doc[key] = value
    try:
        write_atomic(path, tomlkit.dumps(doc).encode("utf-8"), sync=True, keep_mode=True)
    except OSError as err:
        return f"could not write {path}: {err.strerror or err}"
    return None
