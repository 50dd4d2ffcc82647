"""The figures of the history. A session's day is the date written in its own `started`, whatever the reader's
time zone. The goal and the streak count completed sessions only; a session stopped early with a stretch done
is partial work: it marks its day lightly and counts as its region last done."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from datetime import date, timedelta
from typing import Iterable, NamedTuple

from supple.core.model import BREAK_ACTIONS, BreakEvent, Session

NEGLECTED_AFTER = 7  # days without a stretch done before a region is flagged
STREAK_MEANS = ("A streak counts the days in a row with a completed session (every stretch done); "
                "today joins when it has one.")

Rows = Iterable[tuple[int, str, int]]  # (day ordinal, region, how many sessions), in day order


class RegionStat(NamedTuple):
    region: str
    last_done: date | None  # the last day with a stretch done, partial work included
    last_7: int  # completed sessions
    last_30: int
    partial: bool = False  # the last day done had only sessions stopped early

    def days_ago(self, today: date) -> int | None:
        return None if self.last_done is None else (today - self.last_done).days

    def neglected(self, today: date) -> bool:
        ago = self.days_ago(today)
        return ago is None or ago >= NEGLECTED_AFTER


class Tally:
    """Completed sessions and partial work per day and per region, and how many were stopped early."""

    @classmethod
    def from_counts(cls, counts) -> Tally:
        """From the store's counts (anything with `done`, `partial` and `stopped`: store.history.Counts)."""
        return cls(counts.done, counts.stopped, counts.partial)

    def __init__(self, done: Rows, stopped: int = 0, partial: Rows = ()) -> None:
        self._days: dict[int, int] = {}
        # per region: its days in order, and the running count of its sessions up to each
        self._regions: dict[str, tuple[list[int], list[int]]] = {}
        days, regions = self._days, self._regions
        for day, region, n in done:
            days[day] = days.get(day, 0) + n
            have = regions.get(region)
            if have is None:
                have = regions[region] = ([], [0])
            have[0].append(day)
            have[1].append(have[1][-1] + n)
        self._partial: dict[int, int] = {}
        self._partial_regions: dict[str, list[int]] = {}
        for day, region, n in partial:
            self._partial[day] = self._partial.get(day, 0) + n
            self._partial_regions.setdefault(region, []).append(day)
        self.completed = sum(days.values())
        self.stopped = stopped

    @classmethod
    def of(cls, sessions: Iterable[Session]) -> Tally:
        sessions = list(sessions)
        done = Counter((s.started.toordinal(), s.region) for s in sessions if s.completed)
        partial = Counter((s.started.toordinal(), s.region) for s in sessions
                          if not s.completed and s.stretches_done > 0)
        return cls(sorted((day, region, n) for (day, region), n in done.items()),
                   sum(not s.completed for s in sessions),
                   sorted((day, region, n) for (day, region), n in partial.items()))

    def on(self, day: date) -> int:
        return self._days.get(day.toordinal(), 0)

    def day_counts(self) -> dict[date, int]:
        """Completed sessions per recorded local date, in date order."""
        return {date.fromordinal(d): n for d, n in self._days.items()}

    def partial_on(self, day: date) -> int:
        return self._partial.get(day.toordinal(), 0)

    def partial_days(self) -> set[date]:
        return {date.fromordinal(d) for d in self._partial}

    def streaks(self, today: date) -> tuple[int, int]:
        return _streaks(self._days.keys(), today.toordinal())

    def region_stats(self, today: date, regions: Iterable[str]) -> list[RegionStat]:
        """`regions` first (a region never done shows too), then those found only in the history.
        Days after today do not count."""
        now = today.toordinal()
        found: dict[str, RegionStat] = {}
        for region, (days, upto) in self._regions.items():
            end = bisect_right(days, now)
            if end:
                found[region] = RegionStat(region, date.fromordinal(days[end - 1]),
                                           upto[end] - upto[bisect_left(days, now - 6, 0, end)],
                                           upto[end] - upto[bisect_left(days, now - 29, 0, end)])
        for region, days in self._partial_regions.items():
            end = bisect_right(days, now)
            have = found.get(region)
            if end and (have is None or have.last_done is None or days[end - 1] > have.last_done.toordinal()):
                last = date.fromordinal(days[end - 1])
                found[region] = (have or RegionStat(region, None, 0, 0))._replace(last_done=last, partial=True)
        order = list(dict.fromkeys(regions))
        order += sorted(set(found) - set(order))
        return [found.get(r, RegionStat(r, None, 0, 0)) for r in order]


def day_counts(sessions: Iterable[Session]) -> dict[date, int]:
    return Tally.of(sessions).day_counts()


def streaks(days: Iterable[date], today: date) -> tuple[int, int]:
    """(current, longest) runs of days; the current one runs back from today, or yesterday when today has none."""
    return _streaks((d.toordinal() for d in days), today.toordinal())


def _streaks(days: Iterable[int], today: int) -> tuple[int, int]:
    have = set(days)
    longest = 0
    for d in have:
        if d - 1 not in have:  # the start of a run
            n = 1
            while d + n in have:
                n += 1
            longest = max(longest, n)
    day = today if today in have else today - 1
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


def goal_words(done: int, goal: int) -> str:
    """Today against the goal: "1 of 2 sessions · 1 to go", "3 sessions · goal of 2 met"."""
    if done > goal:
        return f"{done} sessions · goal of {goal} met"
    left = "goal met" if done >= goal else f"{goal - done} to go"
    return f"{done} of {plural(goal, 'session')} · {left}"


def last_done_words(r: RegionStat, today: date) -> str:
    return ago(r.last_done, today) + (" (part)" if r.partial else "")


def duration_words(seconds: float) -> str:
    """A session's length for a list: "40 s" under a minute, else whole minutes."""
    return f"{max(0, round(seconds))} s" if seconds < 59.5 else f"{round(seconds / 60)} min"


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def ago(day: date | None, today: date) -> str:
    if day is None:
        return "never"
    n = (today - day).days
    return "today" if n <= 0 else "yesterday" if n == 1 else f"{n} days ago"


class PainPoint(NamedTuple):
    before: int | None
    after: int | None


def pain_trend(sessions: Iterable[Session]) -> list[PainPoint]:
    """Every session with a check-in, oldest first."""
    return [PainPoint(s.pain_before, s.pain_after)
            for s in sorted(sessions, key=lambda s: s.started)
            if s.pain_before is not None or s.pain_after is not None]


def mean(values: Iterable[int | None]) -> float | None:
    got = [v for v in values if v is not None]
    return sum(got) / len(got) if got else None


def month_starts(weeks: list[list[date]], first: date | None = None) -> list[tuple[int, date]]:
    """(week index, month) for each month that begins in the weeks shown (over the week holding
    its 1st), and for the month shown first, unless the next month begins a week later."""
    first = first or weeks[0][0]
    out = []
    for w, week in enumerate(weeks):
        days = [d for d in week if d >= first]
        starts = [d for d in days if d.day == 1]
        if starts:
            out.append((w, starts[0]))
        elif w == 0 and days and not (len(weeks) > 1 and any(d.day == 1 for d in weeks[1])):
            out.append((w, days[0].replace(day=1)))
    return out


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
