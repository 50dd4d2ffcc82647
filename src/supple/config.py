"""`<config>/config.toml`: every key optional; a bad value is reported and its default used."""

from __future__ import annotations

from pathlib import Path

from supple.problems import Problem

CONFIG_KEYS = ("theme", "daily_goal", "bell", "device", "break_every", "work_hours", "work_days", "break_routine")
DEFAULT_THEME = "supple-dusk"


class Config:
    """The settings of one config.toml: each is its default until the file says otherwise."""

    __slots__ = ("theme", "daily_goal", "bell", "device", "break_every", "work_hours", "work_days",
                 "break_routine", "path", "problems")

    def __init__(self, path: Path | None = None) -> None:
        self.theme = DEFAULT_THEME
        self.daily_goal = 2
        self.bell = False
        self.device = ""
        self.break_every = 120  # minutes; 0 turns breaks off
        self.work_hours: tuple | None = None  # (start, end) times of day
        self.work_days: frozenset[int] = frozenset(range(7))
        self.break_routine = "desk-break"  # a routine id, or "neglected"
        self.path = path
        self.problems: list[Problem] = []

    def break_settings(self):
        from datetime import timedelta

        from supple.breaks import BreakSettings

        return BreakSettings(every=timedelta(minutes=self.break_every) if self.break_every else None,
                             hours=self.work_hours, days=self.work_days, routine=self.break_routine)

    @property
    def device_name(self) -> str:
        if self.device:
            return self.device
        import os

        if hasattr(os, "uname"):  # the host name without importing socket (~2 ms)
            return os.uname().nodename or "device"
        import socket

        return socket.gethostname() or "device"


def load_config(path: Path) -> Config:
    if not path.exists():
        return Config(path=path)
    from supple.tomlfile import check_keys, get_bool, get_number, get_str, get_str_list, read_toml

    doc = read_toml(path)
    cfg = Config(path=path)
    if doc.data is None:
        cfg.problems = doc.problems
        return cfg
    d = doc.data
    check_keys(doc, d, CONFIG_KEYS, ())
    cfg.theme = get_str(doc, d, "theme", (), default=DEFAULT_THEME) or DEFAULT_THEME
    goal = get_number(doc, d, "daily_goal", (), 1, 100, default=2, integer=True, unit=" sessions")
    cfg.daily_goal = int(goal) if goal is not None else 2
    cfg.bell = get_bool(doc, d, "bell", (), False)
    cfg.device = (get_str(doc, d, "device", ()) or "").strip()
    every = get_number(doc, d, "break_every", (), 0, 24 * 60, default=120, integer=True, unit=" minutes")
    cfg.break_every = int(every) if every is not None else 120
    hours = get_str(doc, d, "work_hours", ())
    if hours is not None:
        from supple.breaks import parse_hours

        try:
            cfg.work_hours = parse_hours(hours)
        except ValueError as err:
            doc.problem(("work_hours",), f"'work_hours' {err}")
    days = get_str_list(doc, d, "work_days", ())
    if days:
        from supple.breaks import DAY_NAMES

        wrong = [x for x in days if x.strip().lower()[:3] not in DAY_NAMES]
        if wrong:
            doc.problem(("work_days",), f"'work_days' has {', '.join(repr(x) for x in wrong)}; use mon, tue, … sun")
        else:
            cfg.work_days = frozenset(DAY_NAMES.index(x.strip().lower()[:3]) for x in days)
    cfg.break_routine = (get_str(doc, d, "break_routine", ()) or "desk-break").strip()
    cfg.problems = sorted(doc.problems, key=lambda p: (p.line, p.col))
    return cfg


def remember(path: Path, key: str, value: object) -> str | None:
    """Set one key in config.toml, keeping every other key and comment.

    Returns a message when it could not (the file is broken or cannot be
    written); a file supple could not read is never rewritten.
    """
    import os
    import tempfile
    import tomllib

    import tomlkit

    try:
        text = path.read_text("utf-8") if path.exists() else ""
        tomllib.loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return f"{path} could not be read, so supple left it as it is"
    doc = tomlkit.parse(text)
    doc[key] = value
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".config-", suffix=".toml")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(tomlkit.dumps(doc))
                f.flush()
                os.fsync(f.fileno())
            if path.exists():
                os.chmod(tmp, path.stat().st_mode & 0o777)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError as err:
        return f"could not write {path}: {err.strerror or err}"
    return None
