"""A simulated working day of break nudges in the app, on an injected clock."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from conftest import FakeClock, write

from supple.context import load_context
from supple.core.model import Session
from supple.core.stats import breaks_per_day
from supple.store import activity
from supple.store.breaklog import BreakLog
from supple.store.history import HistoryStore
from supple.tui.app import make_app
from supple.tui.screens.break_prompt import BreakPrompt
from supple.tui.screens.picker import PickerScreen
from supple.tui.screens.player import PlayerScreen

CET = timezone(timedelta(hours=1))


class Day:
    def __init__(self, start: datetime) -> None:
        self.clock = FakeClock()
        self.start = start

    def now(self) -> datetime:
        return self.start + timedelta(seconds=self.clock.now - 1000)


async def settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_a_day_of_breaks_nudge_snooze_skip_and_take(dirs):
    write(dirs.config_file, 'break_every = 120\nwork_hours = "09:00-18:00"\nbell = true\n')
    day = Day(datetime(2026, 11, 16, 8, 50, tzinfo=CET))  # a Monday, before work
    rings = []
    app = make_app(load_context(dirs), clock=day.clock, now=day.now)
    app.bell = lambda: rings.append(day.now())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.breaks is not None
        assert app.title == "supple · next break 11:00"  # two hours into the working day

        day.clock.advance(2 * 3600 + 10 * 60)  # 11:00
        app.check_break()
        await settle(pilot)
        assert isinstance(app.screen, BreakPrompt) and app.title == "supple · break due"
        assert "Desk break" in str(app.screen.query_one("#why").content)
        assert len(rings) == 1
        await pilot.press("s")  # snooze
        await settle(pilot)
        assert isinstance(app.screen, PickerScreen)
        assert app.title == "supple · next break 11:10"

        day.clock.advance(5 * 60)
        app.check_break()
        assert isinstance(app.screen, PickerScreen)  # not yet
        day.clock.advance(5 * 60)
        app.check_break()
        await settle(pilot)
        assert isinstance(app.screen, BreakPrompt)
        await pilot.press("k")  # skip: counted, and the interval starts again
        await settle(pilot)
        assert app.title == "supple · next break 13:10"

        day.clock.advance(2 * 3600)  # 13:10
        app.check_break()
        await settle(pilot)
        await pilot.press("enter")  # take it: the desk break starts
        await settle(pilot)
        assert isinstance(app.screen, PlayerScreen) and app.screen.routine.id == "desk-break"
        day.clock.advance(4 * 3600)  # no nudge while a routine plays
        app.check_break()
        assert isinstance(app.screen, PlayerScreen)

    events, problems = BreakLog(dirs.data, app.ctx.config.device_name, dirs.cache).load()
    assert problems == []
    assert [e.action for e in events] == ["snoozed", "skipped", "taken"]
    assert breaks_per_day(events)[day.start.date()] == {"taken": 1, "snoozed": 1, "skipped": 1}


async def test_a_long_sleep_brings_one_nudge_and_breaks_can_be_off(dirs):
    write(dirs.config_file, "break_every = 60\n")
    day = Day(datetime(2026, 11, 16, 9, 0, tzinfo=CET))
    app = make_app(load_context(dirs), clock=day.clock, now=day.now)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        day.clock.advance(7 * 3600)  # the lid was closed all day
        app.check_break()
        app.check_break()
        await settle(pilot)
        assert len(app.screen_stack) == 2 and isinstance(app.screen, BreakPrompt)
        assert "You opened supple 7 h 00 min ago and have not stretched since" in str(
            app.screen.query_one("#why").content)
    write(dirs.config_file, "break_every = 0\n")
    off = make_app(load_context(dirs), clock=day.clock, now=day.now)
    async with off.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert off.breaks is None and off.title == "supple"


async def test_a_break_already_due_on_opening_waits_ten_minutes_to_nudge(dirs):
    store = HistoryStore(dirs.data, "laptop", dirs.cache)
    then = datetime(2026, 11, 13, 7, 0, tzinfo=CET)
    store.save(Session(id="old", routine="neck", routine_name="Neck release", region="neck", started=then,
                       ended=then + timedelta(minutes=8), active_seconds=400.0, completed=True,
                       stretches_done=6, stretches_total=6))
    write(dirs.config_file, 'device = "laptop"\n')
    day = Day(datetime(2026, 11, 16, 10, 0, tzinfo=CET))
    app = make_app(load_context(dirs), clock=day.clock, now=day.now)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.title == "supple · break due" and isinstance(app.screen, PickerScreen)
        day.clock.advance(10 * 60)
        app.check_break()
        await settle(pilot)
        assert isinstance(app.screen, BreakPrompt)
        assert "3 days ago" in str(app.screen.query_one("#why").content)


def test_last_activity_reads_only_the_newest_months(dirs, monkeypatch):
    store = HistoryStore(dirs.data, "laptop", dirs.cache)
    for month in range(1, 12):
        start = datetime(2026, month, 10, 7, 0, tzinfo=CET)
        store.save(Session(id=f"m{month}", routine="neck", routine_name="Neck", region="neck", started=start,
                           ended=start + timedelta(minutes=8), active_seconds=400.0, completed=True,
                           stretches_done=6, stretches_total=6))
    read = []
    real = activity.read_log_file
    monkeypatch.setattr(activity, "read_log_file", lambda path, *a, **k: read.append(path.name) or real(path, *a, **k))
    got = activity.last_activity(dirs.data, datetime(2026, 11, 20, tzinfo=CET))
    assert got == datetime(2026, 11, 10, 7, 8, tzinfo=CET)
    assert sorted(read) == ["2026-10.toml", "2026-11.toml"]


async def test_a_short_interval_is_seen_to_work_on_every_screen_but_the_player(dirs):
    """break_every = 1: the grace after opening is half a minute, not ten; the prompt comes over
    the history and the summary, never over a routine, which brings it at its end."""
    write(dirs.config_file, "break_every = 1\n")
    day = Day(datetime(2026, 11, 16, 10, 0, tzinfo=CET))
    app = make_app(load_context(dirs), clock=day.clock, now=day.now)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("h")
        day.clock.advance(61)  # due, and past the grace
        app.check_break()
        await settle(pilot)
        assert isinstance(app.screen, BreakPrompt) and app.screen_stack[-2].__class__.__name__ == "HistoryScreen"
        await pilot.press("k")  # skipped: the interval starts again
        await pilot.press("escape")
        app.start_routine(app.ctx.routines.find("neck"))
        await settle(pilot)
        player = app.screen
        await pilot.press("n", "n", "n", "n", "n")  # five of six skipped: not a break
        day.clock.advance(120)
        app.check_break()
        assert app.screen is player
        await pilot.press("n")
        for _ in range(10):  # the summary takes a few frames to make, the prompt comes over it after
            await settle(pilot)
            if isinstance(app.screen, BreakPrompt):
                break
        assert isinstance(app.screen, BreakPrompt) and app.screen_stack[-2].__class__.__name__ == "SummaryScreen"
        await pilot.press("s")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "SummaryScreen"
    events, _ = BreakLog(dirs.data, app.ctx.config.device_name, dirs.cache).load()
    assert [e.action for e in events] == ["skipped", "snoozed"]


async def test_the_palette_takes_or_snoozes_a_break(dirs):
    write(dirs.config_file, "break_every = 60\n")
    day = Day(datetime(2026, 11, 16, 10, 0, tzinfo=CET))
    app = make_app(load_context(dirs), clock=day.clock, now=day.now)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"snooze break")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert "the next nudge comes at 11:00" in "\n".join(n.message for n in app._notifications)
        assert app.title == "supple · next break 11:00"  # snoozing never brings a break sooner
        day.clock.advance(65 * 60)
        await pilot.press("ctrl+p", *"snooze break")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert app.title == "supple · next break 11:15"
        await pilot.press("ctrl+p", *"take a break now")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PlayerScreen) and app.screen.routine.id == "desk-break"
    events, _ = BreakLog(dirs.data, app.ctx.config.device_name, dirs.cache).load()
    assert sorted(e.action for e in events) == ["snoozed", "snoozed", "taken"]


async def test_a_narrow_header_keeps_when_the_next_break_is(dirs):
    from conftest import screen_text

    write(dirs.config_file, "break_every = 120\n")
    day = Day(datetime(2026, 11, 16, 10, 0, tzinfo=CET))
    app = make_app(load_context(dirs), clock=day.clock, now=day.now)
    async with app.run_test(size=(40, 12)) as pilot:
        await settle(pilot)
        assert "next break 12:00" in screen_text(app).split("\n")[0]  # whole, not "next break 1…"
        app.start_routine(app.ctx.routines.find("neck"))
        await settle(pilot)
        assert "next break 12:00" in screen_text(app).split("\n")[0]  # not cut for the routine's name
        await pilot.resize_terminal(100, 30)
        await settle(pilot)
        assert "next break 12:00 — Neck release" in screen_text(app).split("\n")[0]
