"""The app under duress: a data folder it cannot write, a failing disk, any
terminal size with resizes mid-hold, and a wall clock that jumps.

Each test prints what it tried (see it with `pytest -s`).
"""

from __future__ import annotations

import errno
import os
import re
from datetime import datetime, timedelta, timezone

import pytest
from conftest import SHORT_ROUTINE, FakeClock, write
from faults import Faults, make, make_read_only, snapshot

from supple.context import load_context
from supple.store.history import HistoryStore
from supple.tui.app import make_app
from supple.tui.screens.help import HelpScreen
from supple.tui.screens.history import HistoryScreen
from supple.tui.screens.picker import PickerScreen
from supple.tui.screens.player import ConfirmStop, PlayerScreen
from supple.tui.screens.summary import SummaryScreen
from supple.tui.widgets.countdown import clock_face

CET = timezone(timedelta(hours=1))
QUICK_SECONDS = 2 + 3 + 1 + 3 + 3 + 3 + 1 + 3 + 2 + 2  # the plan of SHORT_ROUTINE
TINY = 'name = "Tiny"\nregion = "neck"\nprepare = 0\n[[stretch]]\nname = "T"\nhow = "Hold it."\nhold = 1\n'
LONG = 'name = "Long"\nregion = "neck"\nprepare = 2\n[[stretch]]\nname = "L"\nhow = "Hold it."\nhold = 30\n'


class World:
    """A monotonic clock the test moves, and a wall clock that moves with it
    unless the test sets it back or forward."""

    def __init__(self) -> None:
        self.clock = FakeClock()
        self.start = datetime(2026, 11, 30, 23, 50, tzinfo=CET)  # near a month's end
        self.jump = timedelta(0)

    def now(self) -> datetime:
        return self.start + self.jump + timedelta(seconds=self.clock.now - 1000)


@pytest.fixture
def world(dirs):
    write(dirs.user_routines / "quick.toml", SHORT_ROUTINE)
    write(dirs.user_routines / "long.toml", LONG)
    write(dirs.user_routines / "tiny.toml", TINY)
    write(dirs.data / ".safety-shown", "")
    write(dirs.config_file, 'device = "laptop"\n')
    return World()


def app_for(dirs, world, routine: str | None = None):
    ctx = load_context(dirs)
    return make_app(ctx, routine=ctx.routines.find(routine) if routine else None,
                    clock=world.clock, now=world.now)


def text(screen, selector: str) -> str:
    return str(screen.query_one(selector).content)


async def advance(pilot, world: World, seconds: float, step: float = 1.0) -> None:
    """Move the monotonic clock, waking the player as its timer would."""
    while seconds > 1e-9:
        d = min(step, seconds)
        world.clock.advance(d)
        seconds -= d
        if isinstance(pilot.app.screen, PlayerScreen):
            pilot.app.screen.tick()
        await pilot.pause()


async def play_to_the_end(pilot, world: World) -> None:
    """Step by step to the end, waking the player at the end of each step."""
    for _ in range(200):
        player = pilot.app.screen
        if not isinstance(player, PlayerScreen):
            return
        world.clock.advance(player.runner.remaining())
        player.tick()
        await pilot.pause()
    raise AssertionError("the routine never ended")


# -- 4. the app with a data folder it cannot write ----------------------------------

async def test_read_only_data_folder_still_plays_and_says_so(dirs, world, monkeypatch) -> None:
    store = HistoryStore(dirs.data, "laptop", dirs.cache)
    earlier = make(datetime(2026, 11, 2, 8, 0, tzinfo=CET))
    store.save(earlier)
    (dirs.data / ".safety-shown").touch()
    how, undo = make_read_only(dirs.data, monkeypatch)
    try:
        before = snapshot(dirs.data)
        app = app_for(dirs, world)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            warning = [n for n in app._notifications if n.title == "Sessions cannot be saved"]
            assert warning and "read-only" in warning[0].message, [n.message for n in app._notifications]
            assert warning[0].severity == "warning"
            for attempt in range(2):
                app.start_routine(app.ctx.routines.find("quick" if attempt else "tiny"))
                await pilot.pause()
                assert isinstance(app.screen, PlayerScreen)
                if attempt == 0:
                    await play_to_the_end(pilot, world)
                else:  # stopped part-way
                    await advance(pilot, world, 5)
                    await pilot.press("q")
                    assert isinstance(app.screen, ConfirmStop)
                    await pilot.press("y")
                assert isinstance(app.screen, SummaryScreen)
                saved = text(app.screen, "#saved")
                assert re.fullmatch(r"NOT SAVED: could not save to history/laptop/2026-11(\.1)?\.toml: "
                                    r"(read-only file system|permission denied); nothing already saved "
                                    r"was changed", saved), saved
                await pilot.press("3")  # the check-in after: nothing to note it in, no crash
                await pilot.press("enter")
                assert isinstance(app.screen, PickerScreen)
            await pilot.press("h")
            assert isinstance(app.screen, HistoryScreen)
            assert app.store.load().sessions[0].id == earlier.id
            await pilot.press("escape")
            assert app.is_running
        assert snapshot(dirs.data) == before
    finally:
        undo()
    print(f"\napp, read-only data folder ({how}): warned at start, played twice, NOT SAVED with the reason, "
          "kept running, data folder unchanged")


async def test_a_failing_disk_while_the_app_saves(dirs, world, monkeypatch) -> None:
    store = HistoryStore(dirs.data, "laptop", dirs.cache)
    store.save(make(datetime(2026, 11, 2, 8, 0, tzinfo=CET)))
    (dirs.data / ".safety-shown").touch()
    app = app_for(dirs, world)
    faults = [("write", errno.ENOSPC), ("fsync", errno.EIO), ("open", errno.EROFS), ("open", errno.EACCES),
              ("short-write", errno.EDQUOT), ("fsync", errno.ENOSPC)]
    injected = 0
    async with app.run_test(size=(80, 24)) as pilot:
        for point, err in faults + [(None, None)]:
            before = snapshot(dirs.data)
            with monkeypatch.context() as mp:
                if point:
                    f = Faults(mp, dirs.data)
                    f.inject(point, err)
                app.start_routine(app.ctx.routines.find("tiny"))
                await pilot.pause()
                await play_to_the_end(pilot, world)
                assert isinstance(app.screen, SummaryScreen)
                saved = text(app.screen, "#saved")
                if point:
                    assert f.hits, point
                    injected += 1
                    cause = os.strerror(err)
                    assert saved.startswith("NOT SAVED: could not save to history/laptop/"), saved
                    assert f"{cause[0].lower()}{cause[1:]}; nothing already saved was changed" in saved, saved
                    assert snapshot(dirs.data) == before, point
                else:
                    assert saved == "Saved to your history."
            if not point:
                # the check-in after a session, with the disk failing at that moment
                with monkeypatch.context() as mp:
                    f = Faults(mp, dirs.data)
                    f.inject("fsync", errno.EIO)
                    await pilot.press("4")
                    assert f.hits
                    injected += 1
                assert text(app.screen, "#checkin").startswith("Could not note it: could not save to")
                await pilot.press("5")  # the disk is back
                assert text(app.screen, "#checkin").startswith("Noted: 5 of 10")
            await pilot.press("enter")
            assert isinstance(app.screen, PickerScreen) and app.is_running
    loaded = store.load()
    assert len(loaded.sessions) == 2 and loaded.problems == []
    assert loaded.sessions[-1].pain_after == 5
    print(f"\napp, failing disk: {injected} faults injected while saving, NOT SAVED with the reason each time, "
          "then saved once the disk was back; never stopped")


# -- 9. terminal sizes and resizes --------------------------------------------------

SIZES = [(40, 12), (41, 13), (50, 16), (64, 20), (80, 24), (100, 30), (120, 40), (160, 50), (200, 60),
         (250, 70), (250, 12), (40, 70), (133, 17), (57, 41)]


async def test_resizes_during_a_hold_keep_its_time(dirs, world) -> None:
    app = app_for(dirs, world, "long")
    resizes = 0
    async with app.run_test(size=(40, 12)) as pilot:
        player = app.screen
        assert isinstance(player, PlayerScreen)
        await advance(pilot, world, 2)  # into the hold
        assert player.runner.step.kind == "hold"
        elapsed = 0.0
        for w, h in SIZES + [(40, 12)]:
            left = player.runner.remaining()
            face = player.query_one("#countdown").value
            await pilot.resize_terminal(w, h)
            await pilot.pause()
            resizes += 1
            assert app.size == (w, h)
            # a resize alone changes nothing in the countdown
            assert player.runner.remaining() == left and player.query_one("#countdown").value == face
            world.clock.advance(1.3)
            elapsed += 1.3
            player.tick()
            await pilot.pause()
            assert player.runner.remaining() == pytest.approx(30 - elapsed)
            assert player.query_one("#countdown").value == clock_face(30 - elapsed), (w, h)
        await advance(pilot, world, 30 - elapsed + 0.1)
        assert isinstance(app.screen, SummaryScreen)
        [s] = app.store.load().sessions
        assert s.active_seconds == 30.0
    print(f"\nresizes: {resizes} resizes from 40x12 to 250x70 during one 30 s hold, "
          "the countdown right to the tenth every time")


EXTREMES = [(40, 12), (250, 70), (250, 12), (40, 70)]


async def test_every_screen_resized_to_the_extremes(dirs, world) -> None:
    app = app_for(dirs, world)
    resizes = 0

    async def resize_through() -> None:
        nonlocal resizes
        for w, h in EXTREMES[1:] + EXTREMES[:1]:
            await pilot.resize_terminal(w, h)
            await pilot.pause()
            assert app.size == (w, h)
            resizes += 1

    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        await resize_through()
        app.start_routine(app.ctx.routines.find("quick"))
        await pilot.pause()
        await advance(pilot, world, 3)
        await resize_through()
        await play_to_the_end(pilot, world)
        assert isinstance(app.screen, SummaryScreen)
        await resize_through()
        await pilot.press("h")
        assert isinstance(app.screen, HistoryScreen)
        await resize_through()
        await pilot.press("escape")
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await resize_through()
        await pilot.press("escape")
        assert app.is_running
    print(f"\nterminal sizes: picker, player, summary, history and help each resized to 40x12, 250x70, "
          f"250x12 and 40x70 ({resizes} resizes), no crash")


@pytest.mark.parametrize("size", EXTREMES[1:])
async def test_starting_at_an_extreme_size(dirs, world, size) -> None:
    app = app_for(dirs, world, "tiny")
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PlayerScreen)
        await play_to_the_end(pilot, world)
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("h")
        assert isinstance(app.screen, HistoryScreen)
        await pilot.press("escape", "enter")
        assert isinstance(app.screen, PickerScreen) and app.is_running


# -- 10. the wall clock jumps -----------------------------------------------------------

JUMPS = [timedelta(hours=-3), timedelta(hours=3), timedelta(days=-40), timedelta(days=1), timedelta(minutes=-10),
         timedelta(days=365), timedelta(seconds=-1)]


@pytest.mark.parametrize("finish", ["completed", "stopped"])
async def test_wall_clock_jumps_change_nothing(dirs, world, finish) -> None:
    app = app_for(dirs, world, "quick")
    async with app.run_test(size=(80, 24)) as pilot:
        player = app.screen
        await advance(pilot, world, 2.5)  # into the first hold
        spent = 2.5
        for jump in JUMPS:
            face = player.query_one("#countdown").value
            left = player.runner.remaining()
            world.jump += jump
            player.tick()
            await pilot.pause()
            assert player.runner.remaining() == left and player.query_one("#countdown").value == face, jump
            await advance(pilot, world, 0.2, step=0.2)
            spent += 0.2
        await pilot.press("space")  # a pause, and the clock set back during it
        world.jump -= timedelta(hours=5)
        await advance(pilot, world, 60, step=60)
        paused = 60.0
        await pilot.press("space")
        if finish == "completed":
            await play_to_the_end(pilot, world)
            took = QUICK_SECONDS + paused
        else:
            await advance(pilot, world, 1)
            spent += 1
            await pilot.press("q", "y")
            took = spent + paused
        # (with the wall clock a year on, a stretch break may be due: its prompt comes over the summary)
        assert isinstance(app.screen_stack[1], SummaryScreen)
        [s] = app.store.load().sessions
        assert s.started == world.start  # when it began, by the wall clock then
        assert s.ended - s.started == timedelta(seconds=round(took)), (s.ended - s.started, took)
        assert 0 < s.active_seconds <= (s.ended - s.started).total_seconds()
        assert app.store.load().sessions[0].started.strftime("%Y-%m") == "2026-11"
        assert "2026-11.toml" in os.listdir(app.store.device_dir)
    if finish == "stopped":
        print(f"\nclock jumps: {len(JUMPS) + 1} wall-clock jumps (from -40 days to +1 year) during a hold and a "
              "pause, twice: the countdown never moved, start and end saved from the monotonic clock")
