"""The figures of the history: days, streaks, regions, pain and breaks.

Every count is made here, from what the store hands over: sessions, or the
marks the history cache groups them into. A session's day is the date
written in its own `started` — where it was done, whatever the reader's
time zone.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import Iterable, NamedTuple

from supple.core.model import BREAK_ACTIONS, BreakEvent, Session

NEGLECTED_AFTER = 7  # days without a completed session before a region is flagged


class Mark(NamedTuple):
    """`count` sessions of one region on one recorded day, completed or not."""

    day: int  # the date's ordinal
    region: str
    completed: bool
    count: int


def marks_of(sessions: Iterable[Session]) -> list[Mark]:
    counts = Counter((s.started.toordinal(), s.region, s.completed) for s in sessions)
    return [Mark(day, region, done, n) for (day, region, done), n in counts.items()]


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


class Tally:
    """Completed sessions per day and per region, and the totals."""

    def __init__(self, marks: Iterable[tuple[int, str, bool, int]]) -> None:
        """From marks: (day ordinal, region, completed, how many), as `Mark` or a plain tuple."""
        self.total = 0
        self.completed = 0
        days: Counter[int] = Counter()
        self._regions: dict[str, Counter[int]] = {}
        for day, region, done, n in marks:
            self.total += n
            if done:
                self.completed += n
                days[day] += n
                self._regions.setdefault(region, Counter())[day] += n
        self._days = dict(sorted(days.items()))

    @classmethod
    def of(cls, sessions: Iterable[Session]) -> Tally:
        return cls(marks_of(sessions))

    @property
    def stopped(self) -> int:
        return self.total - self.completed

    def day_counts(self) -> dict[date, int]:
        """Completed sessions per recorded local date, in date order."""
        return {date.fromordinal(d): n for d, n in self._days.items()}

    def region_stats(self, today: date, regions: Iterable[str]) -> list[RegionStat]:
        """Per region: the last day done and the completed sessions of the last 7 and 30 days.

        `regions` come first in their order (so a region never done shows);
        regions found only in the history follow. Days after today do not count.
        """
        now = today.toordinal()
        found: dict[str, RegionStat] = {}
        for region, days in self._regions.items():
            past = [(d, n) for d, n in days.items() if d <= now]
            if past:
                found[region] = RegionStat(region, date.fromordinal(max(past)[0]),
                                           sum(n for d, n in past if now - d < 7),
                                           sum(n for d, n in past if now - d < 30))
        order = list(dict.fromkeys(regions))
        order += sorted(set(found) - set(order))
        return [found.get(r, RegionStat(r, None, 0, 0)) for r in order]


def day_counts(sessions: Iterable[Session]) -> dict[date, int]:
    """Completed sessions per recorded local date, in date order."""
    return Tally.of(sessions).day_counts()


def streaks(days: Iterable[date], today: date) -> tuple[int, int]:
    """(current, longest) runs of consecutive days.

    `days` are the days with at least one completed session. The current
    streak runs back from today, or from yesterday when today has none yet.
    """
    have = {d.toordinal() for d in days}
    longest = 0
    for d in have:
        if d - 1 not in have:  # the start of a run
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


def neglected_region(stats: list[RegionStat], today: date) -> str | None:
    """The region left the longest (one never done first)."""
    if not stats:
        return None
    return min(stats, key=lambda r: (r.last_done is not None, r.last_done or today)).region


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


def breaks_per_day(events: Iterable[BreakEvent]) -> dict[date, dict[str, int]]:
    """Break events per recorded local date (oldest first), each day counting every action."""
    days: dict[date, dict[str, int]] = {}
    for e in events:
        counts = days.setdefault(e.day, dict.fromkeys(BREAK_ACTIONS, 0))
        if e.action in counts:
            counts[e.action] += 1
    return dict(sorted(days.items()))


def break_totals(days: dict[date, dict[str, int]], first: date, last: date) -> dict[str, int]:
    """Every action counted over the days from `first` to `last`, both included."""
    out = dict.fromkeys(BREAK_ACTIONS, 0)
    for day, counts in days.items():
        if first <= day <= last:
            for action in BREAK_ACTIONS:
                out[action] += counts.get(action, 0)
    return out
