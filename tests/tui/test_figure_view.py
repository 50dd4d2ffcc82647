"""The stretch figure on screen: it eases into the hold while the player says "get ready", stands
still through the hold, mirrors for the right side, and is left out where it would be too small."""

from __future__ import annotations

import pytest
from conftest import screen_text, write
from test_app import World, advance

from supple.context import load_context
from supple.core.drawing import Sketch
from supple.core.moves import FRAME_SECONDS
from supple.core.poses import FIGURES
from supple.tui.app import make_app
from supple.tui.widgets.figure import FigureView

ROUTINE = '''name = "Figures"
region = "neck"
prepare = 5
rest = 4

[[stretch]]
name = "Bend"
how = "Stand tall and bend to the side."
hold = 10
sides = "both"
figure = "side-bend"

[[stretch]]
name = "No picture"
how = "Breathe."
hold = 5
'''
BRAILLE = range(0x2801, 0x2900)


def has_braille(text: str) -> bool:
    return any(ord(c) in BRAILLE for c in text)


def player(dirs, **kw):
    write(dirs.user_routines / "figures.toml", ROUTINE)
    write(dirs.data / ".safety-shown", "")
    world = World()
    ctx = load_context(dirs)
    return make_app(ctx, routine=ctx.routines.find("figures"), clock=world.clock, now=world.now, **kw), world


def expected(view: FigureView, mirror: bool = False, **pose) -> list[str]:
    picture = view.picture
    assert picture is not None, "no figure on screen"
    rows, cols = len(picture.rows), len(picture.rows[0])
    return Sketch(FIGURES["side-bend"], mirror).draw(cols, rows, **pose).rows


async def test_the_figure_eases_from_the_start_into_the_hold_then_stands_still(dirs):
    app, world = player(dirs)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        view = screen.query_one(FigureView)
        assert view.picture.rows == expected(view, start=True)
        assert screen.next_wake <= FRAME_SECONDS + 0.01  # it moves: a few frames a second
        await advance(pilot, world, 1.5)
        halfway = view.picture.rows
        assert halfway not in (expected(view, start=True), expected(view))
        await advance(pilot, world, 1.6)  # past the ease (3 s): the hold, still
        assert view.picture.rows == expected(view)
        assert screen.next_wake > FRAME_SECONDS + 0.01  # still: back to a wake a second
        await advance(pilot, world, 3)  # into the hold
        assert "HOLD" in str(screen.query_one("#status").content)
        assert view.picture.rows == expected(view)
        assert screen.next_wake > FRAME_SECONDS + 0.01


async def test_the_figure_mirrors_for_the_right_side(dirs):
    app, world = player(dirs)
    async with app.run_test(size=(100, 30)) as pilot:
        view = app.screen.query_one(FigureView)
        await advance(pilot, world, 5 + 10)  # get ready, the left side's hold: now the switch
        assert "SWITCH" in str(app.screen.query_one("#status").content)
        await advance(pilot, world, 3.5)
        right = view.picture.rows
        assert right == expected(view, mirror=True)
        assert right != expected(view)


async def test_reduced_motion_shows_the_hold_at_once_and_never_animates(dirs):
    app, world = player(dirs, reduced_motion=True)
    async with app.run_test(size=(100, 30)):
        view = app.screen.query_one(FigureView)
        assert view.picture.rows == expected(view)
        assert app.screen.next_wake > FRAME_SECONDS + 0.01


async def test_a_stretch_without_a_figure_shows_none(dirs):
    app, world = player(dirs)
    async with app.run_test(size=(100, 30)) as pilot:
        assert has_braille(screen_text(app))
        await pilot.press("n")
        await pilot.pause()
        assert "No picture" in screen_text(app)
        assert app.screen.query_one(FigureView).picture is None
        assert not has_braille(screen_text(app))


@pytest.mark.parametrize("size, shown", [((40, 12), False), ((60, 20), True), ((80, 24), True),
                                         ((120, 40), True), ((200, 60), True)])
async def test_the_figure_is_left_out_where_it_would_be_too_small(dirs, size, shown):
    app, world = player(dirs)
    async with app.run_test(size=size):
        assert (app.screen.query_one(FigureView).picture is not None) == shown
        assert has_braille(screen_text(app)) == shown
        assert "Stand tall and bend" in screen_text(app)  # the words stay, figure or not


async def test_the_picker_previews_the_first_stretch_of_the_highlighted_routine(dirs):
    write(dirs.user_routines / "figures.toml", ROUTINE)
    write(dirs.user_routines / "plain.toml", ROUTINE.replace('figure = "side-bend"\n', "")
          .replace('name = "Figures"', 'name = "Zzz plain"'))
    write(dirs.data / ".safety-shown", "")
    app = make_app(load_context(dirs), clock=World().clock, now=World().now)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter")  # Neck: its routines, the highlighted one previewed
        listing = app.screen.query_one("#routines")
        ids = [listing.get_option_at_index(i).id for i in range(listing.option_count)]
        preview = app.screen.query_one("#preview", FigureView)
        for rid in ("figures", "plain"):
            while ids[listing.highlighted] != rid:
                await pilot.press("down")
            await pilot.pause()
            figure = app.ctx.routines.find(rid).stretches[0].figure
            if figure is None:
                assert preview.picture is None
            else:
                cols, rows = len(preview.picture.rows[0]), len(preview.picture.rows)
                assert preview.picture.rows == Sketch(figure).draw(cols, rows).rows


@pytest.mark.parametrize("size, shown", [((80, 24), False), ((100, 30), True)])
async def test_the_picker_preview_gives_way_to_the_routine_s_words_on_a_narrow_terminal(dirs, size, shown):
    write(dirs.data / ".safety-shown", "")
    app = make_app(load_context(dirs), clock=World().clock, now=World().now)
    async with app.run_test(size=size) as pilot:
        await pilot.press("enter")  # Neck: its first stretch, the chin tuck, has a figure
        await pilot.pause()
        assert has_braille(screen_text(app)) == shown
        assert "6. Levator scapula · 2×25s each side" in screen_text(app)  # on one line, figure or not
