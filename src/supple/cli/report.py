"""`supple history` as plain text, JSON and CSV: no Textual, no colour, readable in a pipe."""

from __future__ import annotations

import os
import sys
from datetime import date, timedelta
from pathlib import Path

from supple.core import stats
from supple.core.model import SESSION_KEYS, SESSION_OPTIONAL, BreakEvent, Problem, Session
from supple.core.routines import region_name
from supple.core.stats import Tally


def history_text(tally: Tally, today: date, goal: int, days: int, regions: list[str],
                 events: list[BreakEvent] | None = None) -> str:
    """The report; with `events` (break events) a Breaks line follows the Sessions line."""
    done = tally.on(today)
    current, longest = tally.streaks(today)
    mark = "goal met" if done >= goal else f"{goal - done} to go"
    out = [
        f"Today     {done} of {goal} sessions ({mark})",
        f"Streak    {current} day{'s' if current != 1 else ''} (longest {longest})",
        f"Sessions  {tally.completed} completed, {tally.stopped} stopped early",
        *([] if events is None else [breaks_line(events, today)]),
        "",
        f"Last {days} days",
        *strip(tally, today, goal, days),
        "",
        f"{'Region':<24}{'last done':<14}{'7 days':>7}{'30 days':>9}",
    ]
    for r in tally.region_stats(today, regions):
        line = f"{region_name(r.region):<24}{stats.ago(r.last_done, today):<14}{r.last_7:>7}{r.last_30:>9}"
        if r.neglected(today):
            line += "  <- neglected"
        out.append(line.rstrip())
    return "\n".join(out)


def breaks_line(events: list[BreakEvent], today: date) -> str:
    """Stretch breaks taken, snoozed and skipped today and in the last 7 days (by recorded date)."""
    days = stats.breaks_per_day(events)

    def said(c: dict[str, int]) -> str:
        return f"{c['taken']} taken, {c['snoozed']} snoozed, {c['skipped']} skipped"

    week = stats.break_totals(days, today - timedelta(days=6), today)
    return f"Breaks    today {said(stats.break_totals(days, today, today))} · last 7 days {said(week)}"


def strip(tally: Tally, today: date, goal: int, days: int) -> list[str]:
    """Weeks as columns, Monday..Sunday as rows, the count of each day in its cell."""
    first = today - timedelta(days=days - 1)
    span = (today - (first - timedelta(days=first.weekday()))).days
    weeks = stats.calendar_weeks(today, span // 7 + 1)
    header = [" "] * (5 + 3 * len(weeks))
    for w, week in enumerate(weeks):
        # a month is named over the first week whose Monday is in it
        if w == 0:
            start = max(first, week[0])
            if len(weeks) > 1 and weeks[1][0].month != start.month:
                continue  # too little of it to name
        elif week[0].month != weeks[w - 1][0].month:
            start = week[0]
        else:
            continue
        name, at = start.strftime("%b"), 5 + 3 * w + 1
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
            cell = "·" if n == 0 else str(n) if n < 10 else "+"
            line += f"[{cell}]" if day == today else f" {cell} "
        rows.append(line.rstrip())
    rows.append(f"completed sessions a day (goal {goal}) · '·' none · [ ] today")
    return rows


def history_json(history, today: date, base: Path | None = None, events: list[BreakEvent] | None = None,
                 break_problems: list[Problem] = ()) -> dict:
    """The object `supple history --json` prints; problems relative to `base` (the data folder).

    With `events` it also has "breaks", the events per recorded day, and the
    break files' problems after the others.
    """
    counts = stats.day_counts(history.sessions)
    current, longest = stats.streaks(counts, today)
    if base is not None:
        base = Path(os.path.abspath(base))
    out = {
        "sessions": [s.to_json() for s in sorted(history.sessions, key=lambda s: (s.started, s.id))],
        "streak": {"current": current, "longest": longest},
        "days": {d.isoformat(): n for d, n in counts.items()},
        "problems": [p.format(base) for p in history.problems],
    }
    if events is not None:
        out["breaks"] = {d.isoformat(): c for d, c in stats.breaks_per_day(events).items()}
        out["problems"] += [p.format(base) for p in break_problems]
    return out


def write_sessions_csv(sessions: list[Session]) -> None:
    import csv  # only for --csv: `supple history` answers within 0.30x of a first frame

    w = csv.DictWriter(sys.stdout, fieldnames=[*SESSION_KEYS, *SESSION_OPTIONAL], lineterminator="\n")
    w.writeheader()
    for s in sessions:
        row = s.to_json()
        row["completed"] = "true" if s.completed else "false"
        w.writerow(row)


def write_breaks_csv(events: list[BreakEvent]) -> None:
    import csv  # as above

    w = csv.DictWriter(sys.stdout, fieldnames=["id", "at", "action", "device"], lineterminator="\n")
    w.writeheader()
    for e in events:
        w.writerow(e.to_json())
