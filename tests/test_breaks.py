"""The break planner, driven through a simulated day with an injected clock."""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone

import pytest

from supple.breaks import BreakPlanner, BreakSettings, describe_due, parse_hours

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
    p.skip(at(0, 10, 12))
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


@pytest.mark.parametrize("text, ok", [("09:00-18:00", True), ("7:30 - 16:15", True), ("18:00-09:00", False),
                                      ("9-5", False), ("25:00-26:00", False)])
def test_parse_hours(text, ok):
    if ok:
        start, end = parse_hours(text)
        assert start < end
    else:
        with pytest.raises(ValueError):
            parse_hours(text)


def test_break_settings_come_from_the_config(tmp_path):
    from supple.config import load_config

    path = tmp_path / "config.toml"
    path.write_text('break_every = 90\nwork_hours = "08:30-17:00"\nwork_days = ["mon", "Tuesday", "wed"]\n'
                    'break_routine = "neglected"\n')
    s = load_config(path).break_settings()
    assert s.every == timedelta(minutes=90) and s.hours == (time(8, 30), time(17))
    assert s.days == frozenset({0, 1, 2}) and s.routine == "neglected"
    path.write_text('break_every = 0\nwork_hours = "late"\nwork_days = ["someday"]\n')
    cfg = load_config(path)
    assert not cfg.break_settings().on
    assert [(p.line, p.message.split("'")[1]) for p in cfg.problems] == [(2, "work_hours"), (3, "work_days")]


def test_remind_loop_through_a_simulated_day():
    from supple.remind import remind_loop

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
    from supple.remind import remind_loop

    clock = {"now": at(0, 9, 0)}

    def sleep(seconds: float) -> None:
        clock["now"] += timedelta(seconds=seconds)

    lines = []
    p = BreakPlanner(BreakSettings(every=timedelta(minutes=30)), last_activity=clock["now"])
    remind_loop(p, lambda: clock["now"], sleep, lines.append, lambda t, b: None, lambda now: None,
                lambda: ("Desk break", "desk-break", 5), reminders=2)
    assert [line[:5] for line in lines] == ["09:30", "10:00"]
