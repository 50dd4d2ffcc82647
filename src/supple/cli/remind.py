"""`supple remind`: the break nudges without the full-screen app (no Textual): a line and a desktop notification.
The loop sleeps at most a minute at a time, so a suspended laptop or a changed clock is noticed."""

from __future__ import annotations

import gc
import time
from datetime import datetime
from typing import Callable

from supple.cli import print_problems
from supple.context import load_context
from supple.core import plan
from supple.core.breaks import BreakPlanner, describe_due
from supple.core.text import one_line
from supple.notify import desktop_notify
from supple.store.activity import last_activity

MAX_SLEEP = 60.0


def remind_loop(planner: BreakPlanner, now: Callable[[], datetime], sleep: Callable[[float], None],
                say: Callable[[str], None], notify: Callable[[str, str], None],
                last_activity: Callable[[datetime], datetime | None], offer: Callable[[], tuple[str, str, int]],
                reminders: int | None = None) -> int:
    """Remind until interrupted (or `reminders` times, for tests); the count of reminders."""
    count = 0
    while reminders is None or count < reminders:
        t = now()
        if planner.is_due(t):
            last = last_activity(t)
            if last is not None:
                planner.note_activity(last)  # a session played elsewhere meanwhile
            if planner.is_due(t):
                name, rid, minutes = offer()
                say(f"{t:%H:%M}  Time for a stretch break: {name}, about {minutes} min  ·  supple play {rid}")
                notify("Time for a stretch break", f"{name}, about {minutes} min")
                planner.note_activity(t)  # offered: the next one comes a whole interval later
                count += 1
                continue
        due = planner.due_at(t)
        wait = MAX_SLEEP if due is None else min(MAX_SLEEP, max(1.0, (due - t).total_seconds()))
        sleep(wait)
    return count


def describe_settings(planner: BreakPlanner, now: datetime) -> str:
    s = planner.settings
    if not s.on:
        return "breaks are off (break_every = 0 in config.toml)"
    hours = f", {s.hours[0]:%H:%M}-{s.hours[1]:%H:%M}" if s.hours else ""
    return f"{describe_due(planner.due_at(now), now)} (every {int(s.every.total_seconds() // 60)} min{hours})"


def cmd_remind(args, dirs) -> int:
    gc.enable()
    ctx = load_context(dirs)
    print_problems(ctx.problems)
    settings = ctx.break_settings()
    now = lambda: datetime.now().astimezone()  # noqa: E731
    store = ctx.store()
    planner = BreakPlanner(settings, last_activity(dirs.data, now()) or now())
    print(f"supple remind: {describe_settings(planner, now())}. Ctrl-C stops.", flush=True)
    if not settings.on:
        return 0

    def offer() -> tuple[str, str, int]:
        r = ctx.routines.for_break(settings.routine, ctx.neglected_region(store, now().date()))
        return r.name, r.id, plan.minutes(r)

    try:
        remind_loop(planner, now, time.sleep, lambda line: print(one_line(line), flush=True), desktop_notify,
                    lambda t: last_activity(dirs.data, t), offer)
    except KeyboardInterrupt:
        print("\nsupple remind: stopped.")
    return 0
