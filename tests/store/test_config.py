"""config.toml: the break settings and their working hours."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from supple.context import load_context
from supple.store.config import parse_hours


@pytest.mark.parametrize("text, ok", [("09:00-18:00", True), ("7:30 - 16:15", True), ("18:00-09:00", False),
                                      ("9-5", False), ("25:00-26:00", False)])
def test_parse_hours(text, ok):
    if ok:
        start, end = parse_hours(text)
        assert start < end
    else:
        with pytest.raises(ValueError):
            parse_hours(text)


def test_break_settings_come_from_the_config(dirs):
    path = dirs.config_file
    path.write_text('break_every = 90\nwork_hours = "08:30-17:00"\nwork_days = ["mon", "Tuesday", "wed"]\n'
                    'break_routine = "neglected"\n')
    s = load_context(dirs).break_settings()
    assert s.every == timedelta(minutes=90) and s.hours == (time(8, 30), time(17))
    assert s.days == frozenset({0, 1, 2}) and s.routine == "neglected"
    path.write_text('break_every = 0\nwork_hours = "late"\nwork_days = ["someday"]\n')
    ctx = load_context(dirs)
    assert not ctx.break_settings().on
    assert [(p.line, p.message.split("'")[1]) for p in ctx.config.problems] == [(2, "work_hours"), (3, "work_days")]
