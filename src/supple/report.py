"""`supple history` as plain text: no Textual, no colour, readable in a pipe."""

from __future__ import annotations

from datetime import date, timedelta

from supple import stats
from supple.routines import region_name

def history_text(history, today: date, goal: int, days: int, regions: list[str], events=None) -> str:
    """The report; with `events` (break events) a Breaks line follows the Sessions line."""
    # the tally, not the sessions: with a warm cache no Session object is built
    tally = history.tally()
    counts = tally.day_counts()
    done = counts.get(today, 0)
    current, longest = stats.streaks(counts, today)
    mark = "goal met" if done >= goal else f"{goal - done} to go"
    out = [
        f"Today     {done} of {goal} sessions ({mark})",
        f"Streak    {current} day{'s' if current != 1 else ''} (longest {longest})",
        f"Sessions  {tally.completed} completed, {tally.stopped} stopped early",
        *([] if events is None else [breaks_line(events, today)]),
        "",
        f"Last {days} days",
        *strip(counts, today, goal, days),
        "",
        f"{'Region':<24}{'last done':<14}{'7 days':>7}{'30 days':>9}",
    ]
    for r in tally.region_stats(today, regions):
        line = f"{region_name(r.region):<24}{stats.ago(r.last_done, today):<14}{r.last_7:>7}{r.last_30:>9}"
        if r.neglected(today):
            line += "  <- neglected"
        out.append(line.rstrip())
    return "\n".join(out)


def breaks_line(events, today: date) -> str:
    """Stretch breaks taken, snoozed and skipped today and in the last 7 days (by recorded date)."""
    from supple.breaklog import per_day, totals

    days = per_day(events)

    def said(c: dict[str, int]) -> str:
        return f"{c['taken']} taken, {c['snoozed']} snoozed, {c['skipped']} skipped"

    week = totals(days, today - timedelta(days=6), today)
    return f"Breaks    today {said(totals(days, today, today))} · last 7 days {said(week)}"


def strip(counts: dict[date, int], today: date, goal: int, days: int) -> list[str]:
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
            n = counts.get(day, 0)
            cell = "·" if n == 0 else str(n) if n < 10 else "+"
            line += f"[{cell}]" if day == today else f" {cell} "
        rows.append(line.rstrip())
    rows.append(f"completed sessions a day (goal {goal}) · '·' none · [ ] today")
    return rows
