"""`supple remind`'s loop, driven through a simulated day with an injected clock."""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone

from supple.cli.remind import remind_loop
from supple.core.breaks import BreakPlanner, BreakSettings

CET = timezone(timedelta(hours=1))
MON = datetime(2026, 11, 16, tzinfo=CET)  # a Monday
WORK = BreakSettings(every=timedelta(minutes=120), hours=(time(9), time(18)), days=frozenset(range(5)))


def at(day: int, hh: int, mm: int = 0) -> datetime:
    return MON + timedelta(days=day, hours=hh, minutes=mm)


def test_remind_loop_through_a_simulated_day():
    clock = {"now": at(0, 8, 0)}
    lines, notes, sleeps = [], [], []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        clock["now"] += timedelta(seconds=seconds)

    played_elsewhere = {"at": at(0, 8, 0)}
    p = BreakPlanner(WORK, last_activity=at(0, 8, 0))
    # a session played in another terminal at 10:30 moves the 11:00 break to 12:30
    def last(now):
        return at(0, 10, 30) if now >= at(0, 10, 30) else played_elsewhere["at"]

    n = remind_loop(p, lambda: clock["now"], sleep, lines.append, lambda t, b: notes.append(t), last,
                    lambda: ("Desk break", "desk-break", 5), reminders=3)
    assert n == 3
    assert [line[:5] for line in lines] == ["12:30", "14:30", "16:30"]
    assert "supple play desk-break" in lines[0] and len(notes) == 3
    assert max(sleeps) <= 60  # it looks at the clock at least once a minute
    assert clock["now"] == at(0, 16, 30)


def test_remind_with_no_history_at_all_still_reminds():
    clock = {"now": at(0, 9, 0)}

    def sleep(seconds: float) -> None:
        clock["now"] += timedelta(seconds=seconds)

    lines = []
    p = BreakPlanner(BreakSettings(every=timedelta(minutes=30)), last_activity=clock["now"])
    remind_loop(p, lambda: clock["now"], sleep, lines.append, lambda t, b: None, lambda now: None,
                lambda: ("Desk break", "desk-break", 5), reminders=2)
    assert [line[:5] for line in lines] == ["09:30", "10:00"]
