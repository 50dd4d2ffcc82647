"""When the next stretch break is due: from the `now` given and the last session or break, never by counting
ticks (a laptop that slept through three due breaks wakes to one reminder). With working hours set, the first
break of a working day comes one interval after the day starts."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Iterator, NamedTuple

SEARCH_DAYS = 14  # how far ahead a due time is looked for before giving up


class BreakSettings(NamedTuple):
    every: timedelta | None = timedelta(minutes=120)  # None: breaks are off
    hours: tuple[time, time] | None = None  # None: any time of day
    days: frozenset[int] = frozenset(range(7))  # 0 is Monday
    routine: str = "desk-break"  # a routine id, or "neglected"
    snooze: timedelta = timedelta(minutes=10)

    @property
    def on(self) -> bool:
        return self.every is not None and self.every > timedelta(0) and bool(self.days)


class BreakPlanner:
    def __init__(self, settings: BreakSettings, last_activity: datetime) -> None:
        self.settings = settings
        self.last_activity = last_activity
        self.snoozed_until: datetime | None = None

    def note_activity(self, at: datetime) -> None:
        """A session ended, or a break was taken or skipped: the interval starts again."""
        if at > self.last_activity:
            self.last_activity = at
        self.snoozed_until = None

    def snooze(self, now: datetime) -> None:
        """No nudge for a while: a break due sooner waits `snooze`; one due later stays as it was."""
        due, later = self.due_at(now), now + self.settings.snooze
        self.snoozed_until = later if due is None or due < later else due

    def due_at(self, now: datetime) -> datetime | None:
        """When the next break is due (possibly already past), or None when breaks are off."""
        if not self.settings.on:
            return None
        tz = now.tzinfo
        base = self.last_activity.astimezone(tz)
        if self.snoozed_until is not None:
            snoozed = self.snoozed_until.astimezone(tz)
            if self._in_hours(snoozed, start_fresh=False) == snoozed:
                return snoozed
            # a snooze past the end of working time: the next working period starts afresh
            opens = self._open_at_or_after(snoozed)
            if opens is not None:
                base = max(base, opens)
        if self.settings.hours is not None or len(self.settings.days) < 7:
            # A working period starts its own interval: no break is carried over
            # from yesterday evening, and none is shown as due while off work.
            opens = self._open_at_or_after(now)
            if opens is not None and base < opens:
                base = opens
        return self._in_hours(base, start_fresh=True)

    def is_due(self, now: datetime) -> bool:
        due = self.due_at(now)
        return due is not None and now >= due and any(open_ <= now < close for open_, close in self._periods(now))

    def _in_hours(self, base: datetime, start_fresh: bool) -> datetime | None:
        """The first moment, one interval after `base` (or at `base` when not fresh), inside working time."""
        assert self.settings.every is not None
        for open_, close in self._periods(base):
            start = max(base, open_)
            due = start + self.settings.every if start_fresh else start
            if due < close:
                return due
        return None

    def _open_at_or_after(self, now: datetime) -> datetime | None:
        """The start of the working period `now` is in, or of the next one."""
        return next((open_ for open_, close in self._periods(now) if now < close), None)

    def _periods(self, start: datetime) -> Iterator[tuple[datetime, datetime]]:
        """(open, close) of each working period from the day of `start`, for SEARCH_DAYS days."""
        s, tz, day = self.settings, start.tzinfo, start.date()
        for _ in range(SEARCH_DAYS + 1):
            if day.weekday() in s.days:
                if s.hours is None:
                    yield datetime.combine(day, time(0), tz), datetime.combine(day + timedelta(days=1), time(0), tz)
                else:
                    yield datetime.combine(day, s.hours[0], tz), datetime.combine(day, s.hours[1], tz)
            day += timedelta(days=1)


def describe_due(due: datetime | None, now: datetime) -> str:
    """A few words for the header: 'next break 11:30', 'break due', 'breaks off'."""
    if due is None:
        return "breaks off"
    if now >= due:
        return "break due"
    if due.date() != now.date():
        return f"next break {due:%a %H:%M}"
    return f"next break {due:%H:%M}"


def ago_words(delta: timedelta) -> str:
    """'25 min ago', '2 h 05 min ago', '3 days ago'."""
    minutes = int(delta.total_seconds() // 60)
    if minutes < 60:
        return f"{minutes} min ago"
    hours, minutes = divmod(minutes, 60)
    if hours >= 24:
        return f"{hours // 24} day{'s' if hours >= 48 else ''} ago"
    return f"{hours} h {minutes:02d} min ago"
