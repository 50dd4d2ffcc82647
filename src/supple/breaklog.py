"""The break log: every stretch break taken, snoozed or skipped, kept for good.

    <data>/breaks/<device>/<YYYY-MM>.toml

A sibling of the history folder (so history readers never see these files),
kept by the same rules and the same code (`history.AppendLog`): a file
starts with `format = "supple-breaks"` and `version = 1`, then one
`[[break]]` table per event (`at`, `action`, `device`, and `id` last, so a
record cut short is always reported). Saving appends under a lock and
fsyncs; a file that does not parse is never written again. Reading takes
every device's folder and sync-conflict copies, merges events by id, and
turns each damaged part into one `Problem` with its line and column.

Part of the pure core: no Textual.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any, NamedTuple

from supple.history import (
    AppendLog,
    KeyPath,
    LogFormat,
    SaveError,
    _fit_moment,
    _type_name,
    read_log_file,
)
from supple.problems import Problem

__all__ = ["ACTIONS", "BREAKS", "BreakEvent", "BreakLog", "SaveError", "event_from_record", "per_day",
           "record_text"]

ACTIONS = ("taken", "snoozed", "skipped")


class BreakEvent(NamedTuple):
    at: datetime  # timezone-aware, as recorded (its own UTC offset)
    action: str  # one of ACTIONS
    id: str  # uuid4 hex
    device: str = ""

    def to_json(self) -> dict:
        return {"id": self.id, "at": self.at.isoformat(), "action": self.action, "device": self.device}

    @property
    def day(self) -> date:
        """The date as recorded, in the zone where the break came up."""
        return self.at.date()


def event_from_record(rec: Any, device_hint: str = "") -> tuple[BreakEvent | None, list[tuple[KeyPath, str]]]:
    """A BreakEvent, or the errors as (key path inside the record, message)."""
    if not isinstance(rec, dict):
        return None, [((), f"a break must be a [[break]] table, got {_type_name(rec)}")]
    errors: list[tuple[KeyPath, str]] = []
    missing = [k for k in ("at", "action", "id") if k not in rec]
    vals: dict[str, Any] = {}
    if "at" in rec:
        v = rec["at"]
        if not isinstance(v, datetime) or v.tzinfo is None:
            errors.append((("at",), "'at' must be a date-time with a UTC offset, "
                                    f"like 2026-11-20T10:30:00+01:00, got {_type_name(v)}"))
        else:
            vals["at"] = v
    if "action" in rec:
        v = rec["action"]
        if not isinstance(v, str):
            errors.append((("action",), f"'action' must be text in quotes, got {_type_name(v)}"))
        elif v not in ACTIONS:
            errors.append((("action",), f"'action' must be one of {', '.join(ACTIONS)}, got {v!r}"))
        else:
            vals["action"] = v
    for key in ("device", "id"):
        if key not in rec:
            continue
        v = rec[key]
        if not isinstance(v, str):
            errors.append(((key,), f"'{key}' must be text in quotes, got {_type_name(v)}"))
        elif key == "id" and not v.strip():
            errors.append(((key,), f"'{key}' must not be empty"))
        else:
            vals[key] = v
    if missing:
        names = ", ".join(f"'{k}'" for k in missing)
        errors.insert(0, ((), f"break record is missing {names}"))
    if errors:
        return None, errors
    if not vals.get("device"):
        vals["device"] = device_hint  # the folder names the device
    return BreakEvent(**vals), []


def record_text(event: BreakEvent) -> str:
    """One `[[break]]` table as written to a file."""
    import tomli_w

    rec: dict[str, Any] = {"at": _fit_moment(event.at), "action": event.action}
    if event.device:
        rec["device"] = event.device
    # The id, a required text, goes last: a record cut short anywhere (a
    # crash mid-append) then lacks it or ends inside its quotes, so a torn
    # record is always reported, never read as a complete one.
    rec["id"] = event.id
    return "[[break]]\n" + tomli_w.dumps(rec)


BREAKS = LogFormat(format="supple-breaks", version=1, table="break", folder="breaks", noun="break log",
                   items="breaks", from_record=event_from_record, lock_dir="breaks")


class BreakLog(AppendLog):
    """The break events of every device; this device appends to its own folder."""

    KIND = BREAKS

    def record(self, event: BreakEvent) -> Path:
        """Append `event` to its month's file; the path written. Raises SaveError, never anything else."""
        if event.device != self.device:
            event = BreakEvent(at=event.at, action=event.action, id=event.id, device=self.device)
        return self._save_record(event, record_text, event.at, "break")

    def load(self) -> tuple[list[BreakEvent], list[Problem]]:
        """Every event below the breaks folder, merged by id, oldest first, and the problems found."""
        events, problems = self._load_all(lambda path, hint: read_log_file(path, BREAKS, hint),
                                          lambda e: e.id)
        events.sort(key=lambda e: (e.at, e.id))
        return events, problems


def per_day(events: Iterable[BreakEvent]) -> dict[date, dict[str, int]]:
    """Events per recorded local date (oldest first), each day counting every action."""
    days: dict[date, dict[str, int]] = {}
    for e in events:
        counts = days.get(e.at.date())
        if counts is None:
            counts = days[e.at.date()] = dict.fromkeys(ACTIONS, 0)
        if e.action in counts:
            counts[e.action] += 1
    return dict(sorted(days.items()))


def totals(days: dict[date, dict[str, int]], first: date, last: date) -> dict[str, int]:
    """Every action counted over the days from `first` to `last`, both included."""
    out = dict.fromkeys(ACTIONS, 0)
    for day, counts in days.items():
        if first <= day <= last:
            for action in ACTIONS:
                out[action] += counts.get(action, 0)
    return out
