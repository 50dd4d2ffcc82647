"""Counting days and streaks from sessions. Pure: no Textual, no file access.

A session's day is the date written in its own `started` — where it was
done, whatever the reader's time zone.
"""

from __future__ import annotations

import os
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:
    from supple.history import History, Session


def day_counts(sessions: Iterable[Session]) -> dict[date, int]:
    """Completed sessions per recorded local date."""
    return dict(Counter(s.started.date() for s in sessions if s.completed))


def streaks(days: Iterable[date], today: date) -> tuple[int, int]:
    """(current, longest) runs of consecutive days.

    `days` are the days with at least one completed session. The current
    streak runs back from today, or from yesterday when today has none yet.
    """
    have = set(days)
    if not have:
        return 0, 0
    longest = 0
    for d in have:
        if d - timedelta(days=1) in have:
            continue  # not the start of a run
        n = 1
        while d + timedelta(days=n) in have:
            n += 1
        longest = max(longest, n)
    day = today if today in have else today - timedelta(days=1)
    current = 0
    while day in have:
        current += 1
        day -= timedelta(days=1)
    return current, longest


def sessions_today(sessions: Iterable[Session], today: date) -> int:
    """Completed sessions started (by their own recorded date) on `today`."""
    return sum(1 for s in sessions if s.completed and s.started.date() == today)


def history_json(history: History, today: date, base: Path | None = None) -> dict:
    """The object `supple history --json` prints; problems relative to `base` (the data folder)."""
    counts = day_counts(history.sessions)
    current, longest = streaks(counts, today)
    if base is not None:
        base = Path(os.path.abspath(base))
    return {
        "sessions": [s.to_json() for s in sorted(history.sessions, key=lambda s: (s.started, s.id))],
        "streak": {"current": current, "longest": longest},
        "days": {d.isoformat(): counts[d] for d in sorted(counts)},
        "problems": [p.format(base) for p in history.problems],
    }
