"""The break log, `<data>/breaks/<device>/<YYYY-MM>.toml`: every stretch break taken, snoozed or
skipped, kept by the history's rules and code, in a sibling folder that history readers never see."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import tomli_w

from supple.core.model import BREAK_ACTIONS, BreakEvent, Problem
from supple.store.append import AppendLog, fit_moment
from supple.store.logs import LogFormat, load_all
from supple.store.toml import Errors, get_moment, get_str


def event_from_record(rec: dict, errors: Errors, device_hint: str) -> BreakEvent | None:
    at = get_moment(errors, rec, "at", ())
    action = get_str(errors, rec, "action", ())
    if action is not None and action not in BREAK_ACTIONS:
        errors.problem(("action",), f"'action' must be one of {', '.join(BREAK_ACTIONS)}, got {action!r}")
    device = get_str(errors, rec, "device", ())
    event_id = get_str(errors, rec, "id", (), nonempty=True)
    if errors:
        return None
    return BreakEvent(at=at, action=action, id=event_id, device=device or device_hint)


def record_text(event: BreakEvent) -> str:
    """One `[[break]]` table as written to a file."""
    rec: dict[str, Any] = {"at": fit_moment(event.at), "action": event.action}
    if event.device:
        rec["device"] = event.device
    rec["id"] = event.id  # last: a record cut short is always reported (see sessions.record_text)
    return "[[break]]\n" + tomli_w.dumps(rec)


BREAKS = LogFormat(format="supple-breaks", version=1, table="break", folder="breaks", noun="break log",
                   items="breaks", required=("at", "action", "id"), build=event_from_record,
                   lock_name="breaks")


class BreakLog(AppendLog):
    """The break events of every device; this device appends to its own folder."""

    KIND = BREAKS

    def record(self, event: BreakEvent) -> Path:
        """Append `event` to its month's file; the path written. Raises SaveError, never anything else."""
        return self.save_record(event._replace(device=self.device), record_text, event.at)

    def load(self) -> tuple[list[BreakEvent], list[Problem]]:
        """Every event below the breaks folder, merged by id, oldest first, and the problems found."""
        events, problems = load_all(self.log_dir, BREAKS, self.device, lambda e: e.id)
        events.sort(key=lambda e: (e.at, e.id))
        return events, problems
