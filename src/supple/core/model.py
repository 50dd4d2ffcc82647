"""The data supple reads and writes, as the store hands it over: problems, routines, sessions, breaks."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any, NamedTuple

from supple.core.pose import Figure


class Problem(NamedTuple):
    """What is wrong in a file, and where: `path:line:col: message`."""

    path: Path
    line: int
    col: int
    message: str

    def format(self, base: Path | None = None) -> str:
        """The path relative to `base` when it lies inside it, else (and for `base` itself) as given."""
        path = self.path
        if base is not None and Path(path) != Path(base) and Path(path).is_relative_to(base):
            path = Path(path).relative_to(base)
        return f"{path}:{self.line}:{self.col}: {self.message}"


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
    side_cue: str = ""  # what a side means, "{side} ear toward your {side} shoulder" ("" for none)
    figure: Figure | None = None  # how it is drawn; None: no figure

    @property
    def both_sides(self) -> bool:
        return self.sides == "both"

    def side_words(self, side: str | None) -> str:
        """The side cue for `side` ("left ear toward your left shoulder"), or "" without one."""
        return self.side_cue.replace("{side}", side) if side and self.side_cue else ""


class Routine(NamedTuple):
    id: str
    name: str
    region: str
    stretches: tuple[Stretch, ...]
    summary: str = ""
    prepare: float = DEFAULT_PREPARE
    path: Path | None = None
    builtin: bool = False


# The keys of a session record, in the order they are exported.
SESSION_KEYS = ("id", "routine", "routine_name", "region", "started", "ended", "active_seconds",
                "completed", "stretches_done", "stretches_total", "source", "device")
SESSION_OPTIONAL = ("pain_before", "pain_after", "note", "stopped")
STOPPED_BY_USER = "stopped by the user"  # a session's `stopped`, when the person stopped it


class Session(NamedTuple):
    id: str
    routine: str
    routine_name: str
    region: str
    started: datetime  # timezone-aware, as recorded (its own UTC offset)
    ended: datetime
    active_seconds: float
    completed: bool
    stretches_done: int
    stretches_total: int
    source: str = "player"
    device: str = ""
    pain_before: int | None = None
    pain_after: int | None = None
    note: str | None = None
    stopped: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {key: getattr(self, key) for key in SESSION_KEYS}
        out["started"] = self.started.isoformat()
        out["ended"] = self.ended.isoformat()
        out["active_seconds"] = float(self.active_seconds)
        out.update((key, getattr(self, key)) for key in SESSION_OPTIONAL if getattr(self, key) is not None)
        return out


class Correction(NamedTuple):
    """A `[[retract]]` (restore False) or `[[restore]]` of one session: for each session the latest
    `at` wins, a restore on a tie."""

    session: str  # the session's id
    at: datetime  # timezone-aware, as recorded
    restore: bool
    why: str | None = None
    device: str = ""
    line: int = 0  # of its table's header in its file
    col: int = 0


BREAK_ACTIONS = ("taken", "snoozed", "skipped")


class BreakEvent(NamedTuple):
    at: datetime  # timezone-aware, as recorded
    action: str  # one of BREAK_ACTIONS
    id: str
    device: str = ""

    def to_json(self) -> dict[str, str]:
        return {"id": self.id, "at": self.at.isoformat(), "action": self.action, "device": self.device}

    @property
    def day(self) -> date:
        return self.at.date()
