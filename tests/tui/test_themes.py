"""Themes: shipped ones readable, broken ones reported, the choice remembered."""

from __future__ import annotations

import pytest
from conftest import FakeClock, write

from supple.context import load_context
from supple.store.config import load_config, remember
from supple.store.paths import package_data
from supple.tui.app import make_app
from supple.tui.themes import load_theme_files, parse_theme


def luminance(hex_colour: str) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_shipped_themes_are_readable():
    files, problems = load_theme_files(package_data("themes"), None)
    assert problems == []
    names = {f.name: f for f in files}
    assert {"supple-dusk", "supple-paper", "supple-contrast"} <= set(names) and len(names) >= 4
    assert not names["supple-paper"].dark
    for f in files:
        assert contrast(f.colors["foreground"], f.colors["background"]) >= 4.5, f.name
    assert contrast(names["supple-contrast"].colors["foreground"], names["supple-contrast"].colors["background"]) >= 7


def test_a_broken_theme_names_file_and_line(tmp_path):
    path = write(tmp_path / "themes" / "bad.toml", 'name = "bad"\nprimary = "#12345"\nbackgrund = "#000000"\n')
    theme, problems = parse_theme(path)
    assert theme is None
    assert [(p.line, p.message.split(":")[0]) for p in problems] == [
        (2, "'primary' is not a colour"), (3, "unknown key 'backgrund' (did you mean 'background'?)")]


def test_remember_keeps_comments_and_other_keys(tmp_path):
    path = write(tmp_path / "config.toml", "# my settings\ndaily_goal = 3  # mornings too\nbell = true\n")
    assert remember(path, "theme", "supple-paper") is None
    text = path.read_text()
    assert "# my settings" in text and "daily_goal = 3  # mornings too" in text
    cfg = load_config(path)
    assert (cfg.theme, cfg.daily_goal, cfg.bell) == ("supple-paper", 3, True)


def test_a_config_that_cannot_be_read_is_never_rewritten(tmp_path):
    path = write(tmp_path / "config.toml", 'theme = "dusk\n')
    before = path.read_bytes()
    assert "left it as it is" in remember(path, "theme", "supple-paper")
    assert path.read_bytes() == before


async def test_theme_flag_palette_commands_and_remembered_choice(dirs):
    write(dirs.config_file, "# mine\ndaily_goal = 1\n")
    app = make_app(load_context(dirs), clock=FakeClock(), theme="supple-forest")
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.theme == "supple-forest"
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "History" in titles and "Help" in titles and "Theme" in titles
        app.theme = "supple-paper"
        await pilot.pause()
    cfg = load_config(dirs.config_file)
    assert cfg.theme == "supple-paper" and cfg.daily_goal == 1
    assert dirs.config_file.read_text().startswith("# mine")


async def test_start_a_routine_from_the_palette(dirs):
    app = make_app(load_context(dirs), clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*"desk break")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        from supple.tui.screens.player import PlayerScreen

        assert isinstance(app.screen, PlayerScreen) and app.screen.routine.id == "desk-break"


@pytest.mark.parametrize("name", ["supple-dusk", "supple-paper", "supple-contrast", "supple-forest", "textual-light"])
async def test_every_screen_draws_in_every_theme(dirs, name):
    app = make_app(load_context(dirs), clock=FakeClock(), theme=name)
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.theme == name
        await pilot.press("h")
        await pilot.press("escape", "enter", "enter")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "PlayerScreen"


@pytest.mark.parametrize("name", ["supple-dusk", "supple-paper", "mine", "nord"])
async def test_a_theme_looks_as_textual_would_draw_it_from_the_start_and_after_a_switch(dirs, name):
    """The design variables kept in the parse cache are the ones Textual makes from the theme."""
    from textual.app import App
    from textual.color import Color

    write(dirs.user_themes / "mine.toml", 'name = "mine"\ndark = false\nprimary = "#aa3355"\n'
                                          'background = "#fdf6e3"\n[variables]\n"footer-key-foreground" = "#112233"\n')
    for ctx in (load_context(dirs), load_context(dirs)):  # parsed, then from the cache
        app = make_app(ctx, clock=FakeClock(), theme=name)
        async with app.run_test(size=(80, 24)) as pilot:
            for theme in (name, "supple-forest", name):
                app.theme = theme
                await pilot.pause()
                assert app.get_css_variables() == App.get_css_variables(app), theme
                background = app.current_theme.background
                if background:
                    assert app.screen.styles.background == Color.parse(background), theme
