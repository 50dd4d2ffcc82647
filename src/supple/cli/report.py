"""`supple history` as plain text, JSON and CSV: no Textual, no colour, readable in a pipe."""

from __future__ import annotations

import os
import sys
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Iterable

from supple.core import stats
from supple.core.model import BreakEvent, Problem, Session
from supple.core.routines import region_name
from supple.core.stats import Tally
from supple.core.text import one_line


def history_text(tally: Tally, today: date, goal: int, days: int, regions: list[str],
                 events: list[BreakEvent] | None = None, recent: list[Session] | None = None) -> str:
    """The report; with `events` (break events) a Breaks line follows the Sessions line; with
    `recent` (newest first) the sessions, each with the start of its id (`supple forget` takes it)."""
    current, longest = tally.streaks(today)
    out = [
        f"Today     {stats.goal_words(tally.on(today), goal)}",
        f"Streak    {stats.plural(current, 'day')} (longest {longest})",
        f"Sessions  {tally.completed} completed, {tally.stopped} stopped early",
        *([] if events is None else [breaks_line(events, today)]),
        stats.STREAK_MEANS,
        "",
        f"Last {days} days",
        *strip(tally, today, goal, days),
        "",
        f"{'Region':<24}{'last done':<16}{'7 days':>5}{'30 days':>9}",
    ]
    for r in tally.region_stats(today, regions):
        line = f"{region_name(r.region):<24}{stats.last_done_words(r, today):<16}{r.last_7:>5}{r.last_30:>9}"
        if r.neglected(today):
            line += "  <- neglected"
        out.append(line.rstrip())
    if recent:
        out += ["", "Recent sessions (supple forget ID takes one out of every count)"]
        out += [recent_line(s) for s in recent]
    return "\n".join(out)


def recent_line(s: Session) -> str:
    how = "completed" if s.completed else f"stopped early ({s.stretches_done} of {s.stretches_total})"
    return f"{s.id[:8]}  {s.started:%Y-%m-%d %H:%M}  {one_line(s.routine_name or s.routine)} · {how}"


def breaks_line(events: list[BreakEvent], today: date) -> str:
    """Stretch breaks taken, snoozed and skipped today and in the last 7 days (by recorded date)."""
    def said(first: date) -> str:
        c = Counter(e.action for e in events if first <= e.day <= today)
        return f"{c['taken']} taken, {c['snoozed']} snoozed, {c['skipped']} skipped"

    return f"Breaks    today {said(today)} · last 7 days {said(today - timedelta(days=6))}"


def strip(tally: Tally, today: date, goal: int, days: int) -> list[str]:
    """Weeks as columns, Monday..Sunday as rows, the count of each day in its cell."""
    first = today - timedelta(days=days - 1)
    span = (today - (first - timedelta(days=first.weekday()))).days
    weeks = stats.calendar_weeks(today, span // 7 + 1)
    header = [" "] * (5 + 3 * len(weeks) + 3)
    for w, month in stats.month_starts(weeks, first):
        name, at = month.strftime("%b"), 5 + 3 * w + 1
        if all(c == " " for c in header[at - 1: at + 4]):
            header[at: at + 3] = list(name)
    rows = ["".join(header).rstrip()]
    for row, name in enumerate(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")):
        line = f"{name}  "
        for week in weeks:
            day = week[row]
            if day > today or day < first:
                line += "   "
                continue
            n = tally.on(day)
            cell = ("~" if tally.partial_on(day) else "·") if n == 0 else str(n) if n < 10 else "+"
            line += f"[{cell}]" if day == today else f" {cell} "
        rows.append(line.rstrip())
    rows.append(f"completed sessions a day (goal {goal}) · '~' stopped early only (not in goal or streak) · "
                "'·' none · [ ] today")
    return rows


def history_json(history, today: date, base: Path | None = None, events: list[BreakEvent] | None = None,
                 break_problems: list[Problem] = ()) -> dict:
    """The object `supple history --json` prints; problems relative to `base` (the data folder).
    With `events`, the break events per recorded day too, and the break files' problems after the others."""
    counts = stats.day_counts(history.sessions)
    current, longest = stats.streaks(counts, today)
    if base is not None:
        base = Path(os.path.abspath(base))
    out = {
        "sessions": [s.to_json() for s in sorted(history.sessions, key=lambda s: (s.started, s.id))],
        "streak": {"current": current, "longest": longest},
        "days": {d.isoformat(): n for d, n in counts.items()},
        "problems": [p.format(base) for p in history.problems],
        "retracted": [{"id": c.session, "at": c.at.isoformat(), "why": c.why}
                      for c in history.retracted],
    }
    if events is not None:
        out["breaks"] = {d.isoformat(): c for d, c in stats.breaks_per_day(events).items()}
        out["problems"] += [p.format(base) for p in break_problems]
    return out


def write_csv(fields: list[str], rows: Iterable[dict]) -> None:
    import csv  # only for --csv: `supple history` answers within 0.30x of a first frame

    w = csv.DictWriter(sys.stdout, fieldnames=fields, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
