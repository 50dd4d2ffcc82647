"""The break planner, driven through a simulated day with an injected clock."""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone

from supple.core.breaks import BreakPlanner, BreakSettings, describe_due

CET = timezone(timedelta(hours=1))
MON = datetime(2026, 11, 16, tzinfo=CET)  # a Monday


def at(day: int, hh: int, mm: int = 0) -> datetime:
    return MON + timedelta(days=day, hours=hh, minutes=mm)


WORK = BreakSettings(every=timedelta(minutes=120), hours=(time(9), time(18)), days=frozenset(range(5)))


def test_the_interval_counts_from_the_last_stretch_not_from_start_up():
    p = BreakPlanner(BreakSettings(), last_activity=at(0, 8, 30))
    assert p.due_at(at(0, 9, 45)) == at(0, 10, 30)  # supple opened at 9:45 changes nothing
    assert not p.is_due(at(0, 10, 29)) and p.is_due(at(0, 10, 30))
    p.note_activity(at(0, 10, 40))  # a session ended
    assert p.due_at(at(0, 10, 41)) == at(0, 12, 40)


def test_snooze_is_ten_minutes_and_skip_starts_the_interval_again():
    p = BreakPlanner(BreakSettings(), last_activity=at(0, 8))
    assert p.is_due(at(0, 10, 1))
    p.snooze(at(0, 10, 1))
    assert p.due_at(at(0, 10, 2)) == at(0, 10, 11)
    assert not p.is_due(at(0, 10, 10)) and p.is_due(at(0, 10, 11))
    p.note_activity(at(0, 10, 12))  # skipped: what the app notes for a skip
    assert p.due_at(at(0, 10, 13)) == at(0, 12, 12)


def test_working_hours_and_days():
    p = BreakPlanner(WORK, last_activity=at(-3, 20))  # last stretched on Friday evening
    # Monday 08:00, before work: the first break is two hours into the working day
    assert p.due_at(at(0, 8)) == at(0, 11)
    assert not p.is_due(at(0, 10, 59)) and p.is_due(at(0, 11))
    p.note_activity(at(0, 16, 30))
    assert p.due_at(at(0, 16, 31)) == at(1, 11)  # 18:30 is after work: tomorrow, two hours in
    assert not p.is_due(at(0, 18, 31))
    p.note_activity(at(4, 15))  # Friday afternoon
    assert p.due_at(at(4, 18, 5)) == at(7, 11)  # the weekend has no breaks


def test_a_snooze_past_closing_time_starts_the_next_day_afresh():
    p = BreakPlanner(WORK, last_activity=at(0, 15, 55))
    assert p.is_due(at(0, 17, 55))
    p.snooze(at(0, 17, 55))
    assert p.due_at(at(0, 17, 56)) == at(1, 11)


def test_a_suspended_laptop_wakes_to_one_reminder_not_a_pile():
    p = BreakPlanner(BreakSettings(), last_activity=at(0, 8))
    # asleep from 9:00 to 15:00: three breaks would have been due
    assert p.is_due(at(0, 15))
    assert p.due_at(at(0, 15)) == at(0, 10)  # one due break, whatever the time now
    p.snooze(at(0, 15))
    assert p.due_at(at(0, 15, 1)) == at(0, 15, 10)


def test_off_and_header_words():
    off = BreakPlanner(BreakSettings(every=None), last_activity=at(0, 8))
    assert off.due_at(at(0, 9)) is None and not off.is_due(at(0, 23))
    assert describe_due(None, at(0, 9)) == "breaks off"
    assert describe_due(at(0, 11, 30), at(0, 9)) == "next break 11:30"
    assert describe_due(at(0, 9), at(0, 9, 5)) == "break due"
    assert describe_due(at(1, 11), at(0, 18)) == "next break Tue 11:00"
