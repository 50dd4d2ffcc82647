"""What a person sees, screen by screen, in the default and the light theme.

The clock is frozen, the folders fixed and the history made up, so the
pictures only change when the app does. After a deliberate change to the
look: `pytest tests/tui/test_snapshots.py --snapshot-update`, then look at the
report before committing.
"""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from conftest import FakeClock

from supple.context import load_context
from supple.core.model import Session
from supple.store.history import HistoryStore
from supple.store.paths import Dirs
from supple.tui.app import make_app

CET = timezone(timedelta(hours=1))
NOW = datetime(2026, 11, 20, 18, 30, tzinfo=CET)
ROOT = Path("/tmp/supple-snapshots")  # fixed, because the help screen shows the folders

THEMES = ["supple-dusk", "supple-paper"]
# one worker takes them all (pytest-xdist): they share ROOT
pytestmark = pytest.mark.xdist_group("snapshots")


def made_up_history(store: HistoryStore) -> None:
    routines = [("neck", "Neck release", "neck"), ("lower-back", "Lower back ease", "lower-back"),
                ("desk-break", "Desk break", "posture"), ("morning", "Morning stretch", "lower-back")]
    n = 0
    for back in range(0, 150):
        day = NOW.date() - timedelta(days=back)
        per_day = (back * 7 % 5) % 3 if back > 2 else 2 - (back == 0)
        for k in range(per_day):
            rid, name, region = routines[(back + k) % len(routines)]
            start = datetime(day.year, day.month, day.day, 7 + 11 * k, 15, tzinfo=CET)
            n += 1
            store.save(Session(id=f"s{n:05d}", routine=rid, routine_name=name, region=region, started=start,
                               ended=start + timedelta(minutes=7), active_seconds=330.0,
                               completed=(back % 11 != 5), stretches_done=5, stretches_total=5,
                               pain_before=(6 - back // 30) if back % 4 == 0 else None,
                               pain_after=(3 - back // 60) if back % 4 == 0 else None))


@pytest.fixture
def app_factory():
    shutil.rmtree(ROOT, ignore_errors=True)
    dirs = Dirs(data=ROOT / "data", config=ROOT / "config", cache=ROOT / "cache")
    dirs.data.mkdir(parents=True)
    (dirs.data / ".safety-shown").touch()
    dirs.config.mkdir(parents=True)
    # breaks off: the header's "next break" comes from a worker thread, which a snapshot would race
    (dirs.config / "config.toml").write_text("break_every = 0\n")
    made_up_history(HistoryStore(dirs.data, "laptop", dirs.cache))
    clock = FakeClock()

    def now() -> datetime:
        return NOW + timedelta(seconds=clock.now - 1000)

    def make(theme: str, routine: str | None = None):
        ctx = load_context(dirs)
        ctx.config.device = "laptop"
        return make_app(ctx, routine=ctx.routines.find(routine) if routine else None,
                        clock=clock, now=now, theme=theme)

    make.clock = clock
    yield make
    shutil.rmtree(ROOT, ignore_errors=True)


@pytest.mark.parametrize("theme", THEMES)
def test_picker(snap_compare, app_factory, theme):
    assert snap_compare(app_factory(theme), press=["down", "down"], terminal_size=(80, 24))


@pytest.mark.parametrize("theme", THEMES)
def test_player_mid_hold(snap_compare, app_factory, theme):
    async def mid_hold(pilot):
        app_factory.clock.advance(5 + 12.5)  # past the first prepare, into the first hold... of Chin tuck
        pilot.app.screen.tick()
        await pilot.pause()

    assert snap_compare(app_factory(theme, routine="upper-back"), run_before=mid_hold, terminal_size=(80, 24))


@pytest.mark.parametrize("theme", THEMES)
def test_summary(snap_compare, app_factory, theme):
    async def to_the_end(pilot):
        app_factory.clock.advance(3600)
        pilot.app.screen.tick()
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(app_factory(theme, routine="desk-break"), run_before=to_the_end, terminal_size=(80, 24))


@pytest.mark.parametrize("theme", THEMES)
def test_history(snap_compare, app_factory, theme):
    assert snap_compare(app_factory(theme), press=["h"], terminal_size=(100, 40))


@pytest.mark.parametrize("theme", THEMES)
def test_help(snap_compare, app_factory, theme):
    assert snap_compare(app_factory(theme), press=["question_mark"], terminal_size=(80, 24))


# -- every screen at a small, a middling and a large terminal ----------------------------

SIZES = [(40, 12), (60, 20), (200, 60)]


async def _to_player(pilot):
    pilot.app.start_routine(pilot.app.ctx.routines.find("neck"))
    await pilot.pause()
    pilot.app.screen.tick()
    await pilot.pause()


async def _to_summary(pilot):
    await _to_player(pilot)
    pilot.app.screen.runner.clock.advance(3600)
    pilot.app.screen.tick()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def _to_history(pilot):
    await pilot.press("h")
    await pilot.pause()


async def _to_help(pilot):
    await pilot.press("question_mark")
    await pilot.pause()


async def _to_break_prompt(pilot):
    from supple.tui.screens.break_prompt import BreakPrompt

    pilot.app.push_screen(BreakPrompt(pilot.app.ctx.routines.find("desk-break"), "You last stretched 2 h ago."))
    await pilot.pause()


async def _to_picker_routines(pilot):
    await pilot.press("down", "enter")
    await pilot.pause()


SCREENS = {"picker": _to_picker_routines, "player": _to_player, "summary": _to_summary, "history": _to_history,
           "help": _to_help, "break": _to_break_prompt}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("screen", list(SCREENS))
def test_every_screen_at_every_size(snap_compare, app_factory, screen, size):
    assert snap_compare(app_factory("supple-dusk"), run_before=SCREENS[screen], terminal_size=size)


@pytest.mark.parametrize("size", [(60, 20), (200, 60)], ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("theme", THEMES)
def test_player_with_the_figure_mirrored_for_the_right_side(snap_compare, app_factory, theme, size):
    async def right_side_hold(pilot):  # Lateral flexion (the fourth stretch), into its right side's hold
        from supple.core.plan import plan

        steps = plan(pilot.app.screen.routine)
        at = next(i for i, s in enumerate(steps) if (s.stretch, s.side, s.kind) == (3, "right", "hold"))
        app_factory.clock.advance(sum(s.seconds for s in steps[:at]) + 2)
        pilot.app.screen.tick()
        await pilot.pause()

    assert snap_compare(app_factory(theme, routine="neck"), run_before=right_side_hold, terminal_size=size)
