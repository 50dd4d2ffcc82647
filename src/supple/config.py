"""`<config>/config.toml`: every key optional; a bad value is reported and its default used."""

from __future__ import annotations

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
        import socket

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
