"""`<config>/config.toml`: every key optional; a bad value is reported and its default used."""

from __future__ import annotations

import socket
from dataclasses import dataclass, field
from pathlib import Path

from supple.problems import Problem
from supple.tomlfile import check_keys, get_bool, get_number, get_str, read_toml

CONFIG_KEYS = ("theme", "daily_goal", "bell", "device")
DEFAULT_THEME = "supple-dusk"


@dataclass
class Config:
    theme: str = DEFAULT_THEME
    daily_goal: int = 2
    bell: bool = False
    device: str = ""
    path: Path | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def device_name(self) -> str:
        return self.device or socket.gethostname() or "device"


def load_config(path: Path) -> Config:
    if not path.exists():
        return Config(path=path)
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
    cfg.problems = doc.problems
    return cfg
