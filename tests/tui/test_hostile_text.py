"""Text from files and arguments full of markup, actions, escapes and stray brackets,
walked through every screen: shown exactly as written, nothing crashes, nothing runs."""

from __future__ import annotations

import shutil
import tempfile
from datetime import timedelta, timezone
from pathlib import Path

import pytest
from conftest import screen_text, write
from test_app import World

from supple.context import load_context
from supple.store.paths import Dirs
from supple.tui.app import SuppleApp, make_app
from supple.tui.screens.break_prompt import BreakPrompt
from supple.tui.screens.player import PlayerScreen

CET = timezone(timedelta(hours=1))

# as written in the TOML file -> as the screen must show it
NAME = "Evil [@click=app.quit]quit[/] [/]"
SUMMARY_TOML, SUMMARY = r"Sum [bold red]red[/] \u001b[2J done", r"Sum [bold red]red[/] \x1b[2J done"
STRETCH = "Tilt [/] [$accent]x"
HOW_TOML, HOW = r"How [@click=app.bell]ring[/] \u202eשלום", r"How [@click=app.bell]ring[/] \u202eשלום"
TIP_TOML, TIP = r"Tip [i]i[/i] \u0007 bell", r"Tip [i]i[/i] \x07 bell"
SECOND = "[b]Second[/b]"
THEME = "[@click=app.quit]Theme[/]"
OLD_NAME, OLD_REGION = "Old [@click=app.quit]one[/]", "[b]reg[/b]"

ROUTINE = f'''name = "{NAME}"
region = "neck"
summary = "{SUMMARY_TOML}"
prepare = 1
rest = 1

[[stretch]]
name = "{STRETCH}"
how = "{HOW_TOML}"
hold = 2
tips = ["{TIP_TOML}"]

[[stretch]]
name = "{SECOND}"
how = "Plain."
hold = 1
'''

OLD_SESSION = f'''format = "supple-history"
version = 1

[[session]]
routine = "old"
routine_name = "{OLD_NAME}"
region = "{OLD_REGION}"
started = 2026-11-19T07:00:00+01:00
ended = 2026-11-19T07:05:00+01:00
active_seconds = 200.0
completed = true
stretches_done = 3
stretches_total = 3
source = "player"
id = "6c1f3a52-0d5e-4e55-9a43-3f1f2f4f5a01"
'''


@pytest.fixture
def hostile(monkeypatch):
    """A world whose every text is hostile; actions that a link could run are recorded, not run."""
    tmp_path = Path(tempfile.mkdtemp(prefix="s"))  # short: each folder fits on a line of the help
    dirs = Dirs(data=tmp_path / "[b]data[/b]", config=tmp_path / "[@click=app.quit]cfg[/]", cache=tmp_path / "cache")
    write(dirs.user_routines / "[b]evil[x].toml", ROUTINE)
    write(dirs.user_themes / "mine.toml", f'name = "{THEME}"\ndark = true\nprimary = "#aa3355"\n')
    write(dirs.config_file, 'theme = "[b]nope[/b] \\u001b[31m"\n')
    write(dirs.data / "history" / "dev" / "2026-11.toml", OLD_SESSION)
    write(dirs.data / "history" / "dev" / "2026-10.toml",
          'format = "supple-history"\nversion = 1\n[[session]]\nroutine = "[@click=app.quit]x[/]\n')
    (dirs.data / ".safety-shown").touch()
    ran: list[str] = []
    monkeypatch.setattr(SuppleApp, "action_quit", lambda self: ran.append("quit"))
    monkeypatch.setattr(SuppleApp, "action_bell", lambda self: ran.append("bell"))
    yield dirs, ran
    shutil.rmtree(tmp_path)


def shows(app, *texts: str) -> str:
    screen = screen_text(app)
    for text in texts:
        assert text in screen, f"{text!r} is not on the screen:\n{screen}"
    return screen


async def click_every_cell_of(pilot, text: str) -> None:
    """Click each character where `text` stands on the screen, as a curious person would."""
    for y, line in enumerate(screen_text(pilot.app).split("\n")):
        x = line.find(text)
        if x >= 0:
            for dx in range(0, len(text), 2):  # a link is at least two cells wide
                await pilot.click(offset=(x + dx, y))


async def test_every_screen_shows_hostile_texts_as_written_and_runs_nothing(hostile):
    dirs, ran = hostile
    world = World()
    app = make_app(load_context(dirs), clock=world.clock, now=world.now)
    async with app.run_test(size=(110, 36), notifications=True) as pilot:
        # the picker, and a notification quoting the config's theme
        await pilot.pause()
        shows(app, r"No theme named '[b]nope[/b] \x1b[31m'")
        await pilot.press("enter")  # Neck
        await pilot.press("down")
        await pilot.pause()
        shows(app, NAME, SUMMARY, f"1. {STRETCH}", f"2. {SECOND}")
        await click_every_cell_of(pilot, SUMMARY)

        # help: the folders, as typed
        await pilot.press("question_mark")
        await pilot.pause()
        app.screen.query_one("#folders").scroll_visible(animate=False)
        await pilot.pause()
        shows(app, "[b]data[/b]", "[@click=app.quit]cfg[/]")
        await pilot.press("escape")

        # the palette: a routine found by typing, and the theme list
        await pilot.press("ctrl+p", *"evil")
        await pilot.pause(0.3)
        shows(app, f"Start: {NAME}", "[b]evil[x]")
        await click_every_cell_of(pilot, "[@click=app.quit]quit[/]")
        await pilot.press("escape")
        app.search_themes()
        await pilot.pause(0.3)
        shows(app, THEME)
        await pilot.press("escape")
        await pilot.pause()

        # the player, every step to the end
        app.start_routine(app.ctx.routines.routines["[b]evil[x]"])
        await pilot.pause()
        player = app.screen
        assert isinstance(player, PlayerScreen)
        shows(app, NAME, f"Stretch 1 of 2 · {STRETCH}", HOW, f"• {TIP}")
        await click_every_cell_of(pilot, "[@click=app.bell]ring[/]")
        seen_next = False
        for _ in range(20):
            if not isinstance(app.screen, PlayerScreen):
                break
            seen_next = seen_next or SECOND in screen_text(app)
            world.clock.advance(player.runner.remaining())
            player.tick()
            await pilot.pause()
        assert seen_next

        # the summary, then the history with a session and a damaged file from elsewhere
        await app.workers.wait_for_complete()
        await pilot.pause()
        shows(app, f"Well done: {NAME} is done")
        await pilot.press("h")
        await pilot.pause()
        shows(app, NAME, OLD_NAME, OLD_REGION, "2026-10.toml:4:33")
        await click_every_cell_of(pilot, OLD_NAME)
        await pilot.press("escape", "escape")

        # the break prompt
        app.push_screen(BreakPrompt(app.ctx.routines.routines["[b]evil[x]"], "You last stretched an hour ago."))
        await pilot.pause()
        shows(app, NAME)
        await click_every_cell_of(pilot, NAME)
        assert app.is_running
    assert ran == []
