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
    if args.at is not None:
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
    """A start time: a full ISO date-time, or HH:MM meaning today. A local time that
    does not exist (the hour skipped when clocks go forward) is refused with the
    nearest time that does; one that comes twice (clocks go back) is the first."""
    text = text.strip()
    if not text:
        raise ValueError("needs a time, like 07:30 (today) or 2026-11-20T07:30")
    try:
        if len(text) <= 5 and ":" in text:
            when = datetime.combine(now.date(), datetime.strptime(text, "%H:%M").time())
        else:
            when = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"cannot read {text!r} as a date and time; try 2026-11-20T07:30 or 07:30") from None
    if when.tzinfo is None:
        naive, when = when, when.replace(fold=0).astimezone()  # this machine's zone, daylight saving included
        if when.replace(tzinfo=None) != naive:
            # in a gap each reading of the time lands on one side of it
            sides = sorted({when.replace(tzinfo=None), naive.replace(fold=1).astimezone().replace(tzinfo=None)})
            near = " or ".join(f"{t:%H:%M}" for t in sides)
            raise ValueError(f"{text} does not exist here: the clocks skipped that time (did you mean {near}?)")
    if when > now + timedelta(minutes=1):
        raise ValueError(f"{text} is in the future")
    return when.replace(microsecond=0)
