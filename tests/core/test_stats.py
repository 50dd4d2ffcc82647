"""Days, streaks and the `supple history --json` object."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from supple.core.model import Session
from supple.core.stats import day_counts, streaks

CET = timezone(timedelta(hours=1))


def at(y: int, m: int, d: int, hh: int = 8, mm: int = 0, tz: timezone = CET, **kw) -> Session:
    started = datetime(y, m, d, hh, mm, tzinfo=tz)
    base = dict(
        id=uuid.uuid4().hex, routine="neck", routine_name="Neck release", region="neck",
        started=started, ended=started + timedelta(minutes=8), active_seconds=400.0,
        completed=True, stretches_done=6, stretches_total=6, device="laptop",
    )
    base.update(kw)
    return Session(**base)


def run(start: date, n: int) -> list[date]:
    return [start + timedelta(days=i) for i in range(n)]


# -- streaks ----------------------------------------------------------------

def test_streak_across_a_month_end() -> None:
    days = run(date(2026, 1, 29), 5)  # Jan 29 .. Feb 2
    assert streaks(days, date(2026, 2, 2)) == (5, 5)


def test_streak_across_a_year_end() -> None:
    days = run(date(2026, 12, 30), 4)  # Dec 30 .. Jan 2
    assert streaks(days, date(2027, 1, 2)) == (4, 4)


def test_streak_over_a_leap_day() -> None:
    assert streaks([date(2028, 2, 28), date(2028, 2, 29), date(2028, 3, 1)], date(2028, 3, 1)) == (3, 3)
    # without Feb 29 the run breaks in a leap year ...
    assert streaks([date(2028, 2, 28), date(2028, 3, 1)], date(2028, 3, 1)) == (1, 1)
    # ... and does not in a common year
    assert streaks([date(2027, 2, 28), date(2027, 3, 1)], date(2027, 3, 1)) == (2, 2)


def test_today_without_a_session_yet_keeps_yesterdays_streak() -> None:
    days = run(date(2026, 11, 17), 3)  # up to yesterday, Nov 19
    assert streaks(days, date(2026, 11, 20)) == (3, 3)


def test_streak_is_broken_after_a_missed_day() -> None:
    days = run(date(2026, 11, 10), 6)  # Nov 10 .. 15
    assert streaks(days, date(2026, 11, 20)) == (0, 6)


def test_current_and_longest_differ() -> None:
    days = run(date(2026, 10, 1), 12) + run(date(2026, 11, 18), 3)
    assert streaks(days, date(2026, 11, 20)) == (3, 12)


def test_no_days_no_streak() -> None:
    assert streaks([], date(2026, 11, 20)) == (0, 0)


@settings(database=None)
@given(st.sets(st.integers(min_value=0, max_value=60)), st.integers(min_value=0, max_value=70))
def test_streak_properties(offsets: set[int], today_offset: int) -> None:
    origin = date(2028, 2, 1)
    days = {origin + timedelta(days=o) for o in offsets}
    today = origin + timedelta(days=today_offset)
    current, longest = streaks(days, today)
    # the longest run, counted the slow way
    best = run_len = 0
    for i in range(0, 62):
        run_len = run_len + 1 if origin + timedelta(days=i) in days else 0
        best = max(best, run_len)
    assert longest == best
    assert current <= longest or today < max(days, default=today)
    start = today if today in days else today - timedelta(days=1)
    assert all(start - timedelta(days=k) in days for k in range(current))
    assert start - timedelta(days=current) not in days


# -- which day a session counts on ------------------------------------------

def test_stopped_early_sessions_do_not_count() -> None:
    sessions = [at(2026, 11, 19), at(2026, 11, 20, completed=False, stretches_done=2, stopped="quit")]
    assert day_counts(sessions) == {date(2026, 11, 19): 1}
    assert day_counts(sessions).get(date(2026, 11, 20), 0) == 0
    assert streaks(day_counts(sessions), date(2026, 11, 20)) == (1, 1)


def test_session_past_midnight_counts_on_its_start_date() -> None:
    s = at(2026, 11, 19, 23, 55)  # ends 00:03 on Nov 20
    assert s.ended.date() == date(2026, 11, 20)
    assert day_counts([s]) == {date(2026, 11, 19): 1}
    assert day_counts([s]).get(date(2026, 11, 20), 0) == 0


def test_recorded_local_date_whatever_the_offset() -> None:
    la = timezone(timedelta(hours=-8))
    tokyo = timezone(timedelta(hours=9))
    evening_la = at(2026, 11, 20, 23, 30, tz=la)  # already Nov 21 in UTC
    morning_tokyo = at(2026, 11, 21, 6, 0, tz=tokyo)  # still Nov 20 in UTC
    assert day_counts([evening_la, morning_tokyo]) == {date(2026, 11, 20): 1, date(2026, 11, 21): 1}
    assert day_counts([evening_la, morning_tokyo]).get(date(2026, 11, 21), 0) == 1


def test_morning_and_evening_make_two_on_one_day() -> None:
    sessions = [at(2026, 11, 20, 7), at(2026, 11, 20, 21), at(2026, 11, 19, 7)]
    assert day_counts(sessions).get(date(2026, 11, 20), 0) == 2
    assert day_counts(sessions) == {date(2026, 11, 20): 2, date(2026, 11, 19): 1}


def test_words_for_the_goal_a_length_and_a_count():
    from supple.core.stats import duration_words, goal_words, plural

    assert goal_words(1, 2) == "1 of 2 sessions · 1 to go"
    assert goal_words(2, 2) == "2 of 2 sessions · goal met"
    assert goal_words(3, 2) == "3 sessions · goal of 2 met"  # never "3 of 2"
    assert goal_words(0, 1) == "0 of 1 session · 1 to go"
    assert duration_words(3) == "3 s" and duration_words(59) == "59 s" and duration_words(8 * 60 + 10) == "8 min"
    assert plural(1, "check-in") == "1 check-in" and plural(4, "check-in") == "4 check-ins"


def test_the_calendar_names_the_month_of_today_even_when_it_began_midweek():
    from datetime import date

    from supple.core.stats import calendar_weeks, month_starts

    today = date(2026, 12, 3)  # December began on a Tuesday
    weeks = calendar_weeks(today, 8)
    named = [(w, m.strftime("%b")) for w, m in month_starts(weeks)]
    # October as the first month shown, November over the week of its 1st (a Sunday), December over today's
    assert named == [(0, "Oct"), (2, "Nov"), (7, "Dec")]
