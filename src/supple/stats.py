"""Counting days and streaks from sessions. Pure: no Textual, no file access.

A session's day is the date written in its own `started` — where it was
done, whatever the reader's time zone.
"""

from __future__ import annotations

import os
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, NamedTuple

if TYPE_CHECKING:
    from supple.breaklog import BreakEvent
    from supple.history import History, Session
    from supple.problems import Problem


def day_counts(sessions: Iterable[Session]) -> dict[date, int]:
    """Completed sessions per recorded local date, in date order."""
    return dict(sorted(Counter(s.started.date() for s in sessions if s.completed).items()))


def streaks(days: Iterable[date], today: date) -> tuple[int, int]:
    """(current, longest) runs of consecutive days.

    `days` are the days with at least one completed session. The current
    streak runs back from today, or from yesterday when today has none yet.
    """
    have = {d.toordinal() for d in days}  # whole numbers: ten years of days in a millisecond
    if not have:
        return 0, 0
    longest = 0
    for d in have:
        if d - 1 in have:
            continue  # not the start of a run
        n = 1
        while d + n in have:
            n += 1
        longest = max(longest, n)
    day = today.toordinal()
    if day not in have:
        day -= 1
    current = 0
    while day in have:
        current += 1
        day -= 1
    return current, longest


def sessions_today(sessions: Iterable[Session], today: date) -> int:
    """Completed sessions started (by their own recorded date) on `today`."""
    return sum(1 for s in sessions if s.completed and s.started.date() == today)


def history_json(history: History, today: date, base: Path | None = None,
                 breaks: tuple[Iterable[BreakEvent], Iterable[Problem]] | None = None) -> dict:
    """The object `supple history --json` prints; problems relative to `base` (the data folder).

    With `breaks` (what `BreakLog.load()` returns) it also has "breaks", the
    events per recorded day, and the break files' problems after the others.
    """
    counts = day_counts(history.sessions)
    current, longest = streaks(counts, today)
    if base is not None:
        base = Path(os.path.abspath(base))
    out = {
        "sessions": [s.to_json() for s in sorted(history.sessions, key=lambda s: (s.started, s.id))],
        "streak": {"current": current, "longest": longest},
        "days": {d.isoformat(): counts[d] for d in sorted(counts)},
        "problems": [p.format(base) for p in history.problems],
    }
    if breaks is not None:
        from supple.breaklog import per_day

        events, problems = breaks
        out["breaks"] = {d.isoformat(): c for d, c in per_day(events).items()}
        out["problems"] += [p.format(base) for p in problems]
    return out


# -- what the history screen and `supple history` show ------------------------

NEGLECTED_AFTER = 7  # days without a completed session before a region is flagged


class RegionStat(NamedTuple):
    region: str
    last_done: date | None
    last_7: int
    last_30: int

    def days_ago(self, today: date) -> int | None:
        return None if self.last_done is None else (today - self.last_done).days

    def neglected(self, today: date) -> bool:
        ago = self.days_ago(today)
        return ago is None or ago >= NEGLECTED_AFTER


def region_stats(sessions: Iterable[Session], today: date, regions: Iterable[str]) -> list[RegionStat]:
    """Per region: last completed day and completed sessions in the last 7 and 30 days.

    `regions` are listed first in their order (so a never-done region shows);
    regions found only in the history follow.
    """
    last: dict[str, date] = {}
    week: Counter[str] = Counter()
    month: Counter[str] = Counter()
    for s in sessions:
        if not s.completed:
            continue
        day = s.started.date()
        if day > today:
            continue
        if s.region not in last or day > last[s.region]:
            last[s.region] = day
        age = (today - day).days
        if age < 7:
            week[s.region] += 1
        if age < 30:
            month[s.region] += 1
    order = list(dict.fromkeys(regions))
    order += sorted(set(last) - set(order))
    return [RegionStat(r, last.get(r), week[r], month[r]) for r in order]


def ago(day: date | None, today: date) -> str:
    if day is None:
        return "never"
    n = (today - day).days
    if n <= 0:
        return "today"
    if n == 1:
        return "yesterday"
    return f"{n} days ago"


class PainPoint(NamedTuple):
    day: date
    before: int | None
    after: int | None


def pain_trend(sessions: Iterable[Session]) -> list[PainPoint]:
    """Every session with a check-in, oldest first."""
    return [PainPoint(s.started.date(), s.pain_before, s.pain_after)
            for s in sorted(sessions, key=lambda s: s.started)
            if s.pain_before is not None or s.pain_after is not None]


def mean(values: Iterable[int | None]) -> float | None:
    got = [v for v in values if v is not None]
    return sum(got) / len(got) if got else None


def calendar_weeks(today: date, weeks: int) -> list[list[date]]:
    """`weeks` columns of Monday..Sunday, the last one holding today."""
    monday = today - timedelta(days=today.weekday())
    first = monday - timedelta(weeks=weeks - 1)
    return [[first + timedelta(weeks=w, days=d) for d in range(7)] for w in range(weeks)]
