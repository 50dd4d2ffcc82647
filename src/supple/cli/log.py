"""`supple log`: a session done away from the keyboard."""

from __future__ import annotations

from datetime import datetime, timedelta

from supple.cli import err
from supple.context import load_context
from supple.core import plan
from supple.core.model import Session
from supple.core.text import one_line
from supple.store.append import SaveError
from supple.store.history import new_session_id


def cmd_log(args, dirs) -> int:
    ctx = load_context(dirs)
    routine = ctx.routines.find(args.routine)
    if routine is None:
        err(f"supple log: no routine or region named '{args.routine}'. Try: {', '.join(ctx.routines.routines)}")
        return 2
    minutes = args.minutes if args.minutes is not None else plan.minutes(routine)
    now = datetime.now().astimezone().replace(microsecond=0)
    if args.at:
        try:
            started = parse_when(args.at, now)
        except ValueError as wrong:
            err(f"supple log: --at: {wrong}")
            return 2
    else:
        started = now - timedelta(minutes=minutes)
    store = ctx.store()
    session = Session(
        id=new_session_id(), routine=routine.id, routine_name=routine.name, region=routine.region,
        started=started, ended=started + timedelta(minutes=minutes), active_seconds=round(minutes * 60, 1),
        completed=True, stretches_done=len(routine.stretches), stretches_total=len(routine.stretches),
        source="manual", device=store.device,
    )
    try:
        path = store.save(session)
    except SaveError as failed:
        err(f"supple log: {failed}")
        return 1
    # what this save appended is read into the history cache now, not at the next start:
    # `supple history` right after a save answers within 0.30x of a first frame
    store.refresh()
    print(f"Logged {one_line(routine.name)} ({minutes:g} min) started {started:%Y-%m-%d %H:%M} -> {path}")
    return 0


def parse_when(text: str, now: datetime) -> datetime:
    """A start time: a full ISO date-time, or HH:MM meaning today."""
    text = text.strip()
    try:
        if len(text) <= 5 and ":" in text:
            when = datetime.combine(now.date(), datetime.strptime(text, "%H:%M").time())
        else:
            when = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"cannot read {text!r} as a date and time; try 2026-11-20T07:30 or 07:30") from None
    if when.tzinfo is None:
        when = when.astimezone()  # the local zone of that moment (daylight saving included)
    if when > now + timedelta(minutes=1):
        raise ValueError(f"{text} is in the future")
    return when.replace(microsecond=0)
