"""The full-screen app driven like a person would, with a clock the test moves."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from conftest import SHORT_ROUTINE, FakeClock, screen_text, write

from supple.context import load_context
from supple.tui.app import make_app
from supple.tui.screens.picker import PickerScreen
from supple.tui.screens.player import ConfirmStop, PlayerScreen
from supple.tui.screens.summary import SummaryScreen

CET = timezone(timedelta(hours=1))


def text(screen, selector: str) -> str:
    return str(screen.query_one(selector).content)


class World:
    """A fake monotonic clock and a wall clock that moves with it."""

    def __init__(self) -> None:
        self.clock = FakeClock()
        self.start = datetime(2026, 11, 20, 7, 30, tzinfo=CET)

    def now(self) -> datetime:
        return self.start + timedelta(seconds=self.clock.now - 1000)


@pytest.fixture
def world(dirs):
    write(dirs.user_routines / "quick.toml", SHORT_ROUTINE)
    write(dirs.data / ".safety-shown", "")  # the first run has a test of its own
    return World()


def app_for(dirs, world, **kw):
    ctx = load_context(dirs)
    return make_app(ctx, clock=world.clock, now=world.now, **kw)


async def advance(pilot, world: World, seconds: float) -> None:
    world.clock.advance(seconds)
    pilot.app.screen.tick()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()  # the summary counts today's sessions in a thread
    await pilot.pause()


async def test_picker_player_summary_saves_a_completed_session(dirs, world):
    app = app_for(dirs, world)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, PickerScreen)
        await pilot.press("enter")  # choose the first region: Neck
        await pilot.press("down", "enter")  # the second neck routine: Quick test
        player = app.screen
        assert isinstance(player, PlayerScreen)
        assert player.routine.id == "quick"
        assert "Stretch 1 of 2" in text(player, "#title") and "Tilt" in text(player, "#title")
        assert text(player, "#status").startswith("GET READY")
        assert text(player, "#side") == "LEFT"
        assert "Tip your head" in text(player, "#how")
        assert player.query_one("#countdown").value == "2"

        await advance(pilot, world, 2)
        assert text(player, "#status") == "HOLD · Rep 1 of 2 · 3 seconds left"
        assert player.query_one("#countdown").value == "3"
        assert "rest 1 s, then rep 2 of 2" in text(player, "#next")
        await advance(pilot, world, 1.2)
        assert player.query_one("#countdown").value == "2"

        await advance(pilot, world, 1.8 + 1 + 1)  # the rest, then into rep 2 on the left
        assert text(player, "#status").startswith("HOLD · Rep 2 of 2 · ")
        assert "switch to the right side" in text(player, "#next")
        await advance(pilot, world, 2)
        assert text(player, "#status").startswith("SWITCH SIDES")
        assert text(player, "#side") == "RIGHT"
        await advance(pilot, world, 3 + 3 + 1 + 3)  # switch, both right reps
        assert "Stretch 2 of 2" in text(player, "#title")
        assert text(player, "#side") == ""
        await advance(pilot, world, 2 + 2)  # prepare, the last hold
        assert isinstance(app.screen, SummaryScreen)
        assert "done" in text(app.screen, "#headline")
        assert "2 of 2" in text(app.screen, "#done")
        assert "1 of 2 sessions" in text(app.screen, "#today")

        history = app.store.load()
        assert len(history.sessions) == 1
        s = history.sessions[0]
        assert (s.routine, s.completed, s.stretches_done, s.stretches_total) == ("quick", True, 2, 2)
        assert s.active_seconds == 14
        assert s.started == world.start
        assert s.ended - s.started == timedelta(seconds=2 + 3 + 1 + 3 + 3 + 3 + 1 + 3 + 2 + 2)

        await pilot.press("enter")
        assert isinstance(app.screen, PickerScreen)


async def test_pause_holds_the_countdown_and_plus_adds_ten_seconds(dirs, world):
    app = app_for(dirs, world, routine=load_context(dirs).routines.find("quick"))
    async with app.run_test(size=(80, 24)) as pilot:
        player = app.screen
        assert isinstance(player, PlayerScreen)
        await advance(pilot, world, 2.5)
        await pilot.press("space")
        assert text(player, "#status").startswith("PAUSED")
        await advance(pilot, world, 60)
        assert player.query_one("#countdown").value == "3"
        await pilot.press("space")
        await advance(pilot, world, 1)
        assert player.query_one("#countdown").value == "2"
        await pilot.press("plus")
        assert player.query_one("#countdown").value == "12"


async def test_next_and_previous_keys_move_between_stretches(dirs, world):
    app = app_for(dirs, world, routine=load_context(dirs).routines.find("quick"))
    async with app.run_test(size=(80, 24)) as pilot:
        player = app.screen
        await pilot.press("n")
        assert "Stretch 2 of 2" in text(player, "#title")
        await pilot.press("left")
        assert "Stretch 1 of 2" in text(player, "#title")
        await pilot.press("right", "n")
        assert isinstance(app.screen, SummaryScreen)


async def test_skipping_through_is_not_a_completed_session(dirs, world):
    app = app_for(dirs, world, routine=load_context(dirs).routines.find("quick"))
    async with app.run_test(size=(80, 24)) as pilot:
        await advance(pilot, world, 2 + 3)  # prepare, and the first hold on the left
        await pilot.press("n", "n")  # skip the rest of Tilt, and all of Tuck
        await app.workers.wait_for_complete()
        await pilot.pause()
        summary = app.screen
        assert isinstance(summary, SummaryScreen)
        assert text(summary, "#headline") == "Quick test: not every stretch was done"
        assert "0 of 2 done, 2 skipped" in text(summary, "#done")
        assert "0 of 2 sessions" in text(summary, "#today") and "Streak     0 days" in text(summary, "#streak")
    [s] = app.store.load().sessions
    assert (s.completed, s.stretches_done, s.stretches_total, s.stopped) == (False, 0, 2, "skipped 2 of 2 stretches")
    assert s.active_seconds == 3


async def test_stopping_asks_first_then_saves_what_was_done(dirs, world):
    app = app_for(dirs, world, routine=load_context(dirs).routines.find("quick"))
    async with app.run_test(size=(80, 24)) as pilot:
        await advance(pilot, world, 2 + 2)
        await pilot.press("q")
        assert isinstance(app.screen, ConfirmStop)
        await pilot.press("n")  # keep going
        assert isinstance(app.screen, PlayerScreen)
        await pilot.press("escape")
        await pilot.press("y")
        assert isinstance(app.screen, SummaryScreen)
        assert "stopped early" in text(app.screen, "#headline")
        [s] = app.store.load().sessions
        assert s.completed is False and s.active_seconds == 2 and s.stretches_done == 0
        assert s.stopped


async def test_bell_rings_at_hold_start_end_and_side_switch(dirs, world):
    write(dirs.config_file, "bell = true\n")
    app = app_for(dirs, world, routine=load_context(dirs).routines.find("quick"))
    rings = []
    app.bell = lambda: rings.append(world.clock.now - 1000)
    async with app.run_test(size=(80, 24)) as pilot:
        await advance(pilot, world, 2)  # hold starts
        await advance(pilot, world, 3)  # hold ends
        await advance(pilot, world, 1)  # the rest ends, hold 2 starts
        await advance(pilot, world, 3)  # hold 2 ends; the switch starts
        assert rings == [2, 5, 6, 9, 9]


async def test_a_broken_user_routine_is_reported_and_the_rest_still_start(dirs, world):
    write(dirs.user_routines / "broken.toml", 'name = "Broken"\nregion = "neck"\n[[stretch]]\nname = "x"\nhow = "y"\nhold = 0\n')
    app = app_for(dirs, world)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        messages = [n.message for n in app._notifications]
        assert any("broken.toml:6:1" in m and "'hold'" in m for m in messages)
        assert "quick" in app.ctx.routines.routines


async def test_first_run_shows_the_safety_rules_once(dirs, world):
    (dirs.data / ".safety-shown").unlink()
    app = app_for(dirs, world, routine=load_context(dirs).routines.find("quick"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.screen.__class__.__name__ == "SafetyScreen" and "bounce" in screen_text(app)
        assert "Stretch 1 of 2" in screen_text(app)  # the paused player shows through, as behind every dialog
        await pilot.press("enter")
        assert isinstance(app.screen, PlayerScreen) and app.screen.runner.paused  # it waited for the reading
    again = app_for(dirs, world)
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not any("bounce" in n.message for n in again._notifications)


@pytest.mark.parametrize("size", [(50, 16), (60, 20), (80, 24), (120, 40)])
async def test_the_player_fits_small_and_large_terminals(dirs, world, size):
    app = app_for(dirs, world, routine=load_context(dirs).routines.find("quick"))
    async with app.run_test(size=size) as pilot:
        await advance(pilot, world, 2)
        player = app.screen
        for selector in ("#title", "#status", "#countdown", "#bar", "#next"):
            region = player.query_one(selector).region
            assert region.height >= 1 and region.width >= 1, selector
            assert region.bottom <= size[1] - 1, f"{selector} is pushed off screen at {size}"


async def test_a_hold_wakes_once_a_second_and_the_bar_moves_with_the_digits(dirs, world):
    write(dirs.user_routines / "long.toml",
          'name = "Long"\nregion = "neck"\nprepare = 0\n[[stretch]]\nname = "L"\nhow = "Hold."\nhold = 30\n')
    app = app_for(dirs, world, routine=load_context(dirs).routines.find("long"))
    async with app.run_test(size=(80, 24)) as pilot:
        player = app.screen
        bar = player.query_one("#bar")
        width = bar.size.width
        assert width > 60
        seen, wakes, start = [], 0, world.clock()
        while isinstance(app.screen, PlayerScreen) and wakes < 1000:
            seen.append(player.query_one("#countdown").value)
            # the bar as drawn (its first run is the part done) is the time gone, to the cell
            done = len(list(bar.render_line(0))[0].text)
            assert done == int((world.clock() - start) / 30 * width + 1e-9)
            assert player.next_wake is not None
            world.clock.advance(player.next_wake)
            player.tick()
            await pilot.pause()
            wakes += 1
        # once a second, when the digits change; a 60 Hz redraw would be 1800
        assert wakes <= 30 + 1
        assert [str(n) for n in range(30, 0, -1)] == list(dict.fromkeys(seen))
        assert isinstance(app.screen, SummaryScreen)


async def test_mouse_clicks_choose_a_region_and_start_a_routine(dirs, world):
    app = app_for(dirs, world)
    async with app.run_test(size=(80, 24)) as pilot:
        picker = app.screen
        regions = picker.query_one("#regions")
        # each region takes two lines; the third region is Lower back
        await pilot.click("#regions", offset=(4, 1 + 2 * 2))
        assert "Lower back" in picker.query_one("#routines").border_title
        routines = picker.query_one("#routines")
        assert routines.option_count == 3
        await pilot.click("#routines", offset=(4, 1))
        assert isinstance(app.screen, PlayerScreen)
        assert app.screen.routine.region == "lower-back"
        assert regions is not None


@pytest.mark.parametrize("size", [(60, 20), (80, 24)])
async def test_the_picker_shows_every_region_at_small_sizes(dirs, world, size):
    app = app_for(dirs, world)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        regions = app.screen.query_one("#regions")
        assert regions.option_count == 5
        assert regions.region.bottom <= size[1] - 1
        # every region's label fits without wrapping: two lines each
        assert regions.virtual_size.height <= 2 * 5 + 1


async def test_history_and_help_open_from_the_picker(dirs, world):
    app = app_for(dirs, world)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("h")
        assert "Today" in str(app.screen.query_one("#headline").content)
        await pilot.press("escape")
        assert isinstance(app.screen, PickerScreen)
        await pilot.press("question_mark")
        from supple.tui.screens.help import HelpScreen

        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, PickerScreen)
        await pilot.press("q")
    assert app.return_code == 0


async def test_a_wide_terminal_puts_the_instructions_beside_the_timer(dirs, world):
    app = app_for(dirs, world, routine=load_context(dirs).routines.find("quick"))
    async with app.run_test(size=(140, 36)) as pilot:
        await pilot.pause()
        player = app.screen
        timer = player.query_one("#countdown").region
        how = player.query_one("#how").region
        assert how.x > timer.right and how.y < timer.bottom
    narrow = app_for(dirs, world, routine=load_context(dirs).routines.find("quick"))
    async with narrow.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        player = narrow.screen
        assert player.query_one("#how").region.y > player.query_one("#bar").region.y


async def test_clicking_the_timer_pauses_and_resumes(dirs, world):
    app = app_for(dirs, world, routine=load_context(dirs).routines.find("quick"))
    async with app.run_test(size=(80, 24)) as pilot:
        player = app.screen
        await advance(pilot, world, 2.5)
        await pilot.click("#countdown")
        assert player.runner.paused and text(player, "#status").startswith("PAUSED")
        await advance(pilot, world, 30)
        assert player.query_one("#countdown").value == "3"
        await pilot.click("#countdown")
        assert not player.runner.paused


async def test_a_routine_name_with_brackets_shows_as_written(dirs, world):
    write(dirs.user_routines / "odd.toml", SHORT_ROUTINE.replace('name = "Quick test"', 'name = "[b]Mine[/b] [red]x"', 1))
    app = app_for(dirs, world)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        listing = app.screen.query_one("#routines")
        prompts = [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]
        assert any(p.startswith("[b]Mine[/b] [red]x\n") for p in prompts), prompts


async def test_the_end_shows_at_once_and_the_session_is_saved_before_the_summary(dirs, world):
    app = app_for(dirs, world, routine=load_context(dirs).routines.find("quick"))
    async with app.run_test(size=(80, 24)) as pilot:
        player = app.screen
        world.clock.advance(60)  # past the last hold
        player.tick()
        assert text(player, "#status") == "DONE · saved"
        assert player.query_one("#countdown").value == "0"
        assert len(list(player.query_one("#bar").render_line(0))[0].text) == player.query_one("#bar").size.width
        assert [s.completed for s in app.store.load().sessions] == [True]  # saved before anything else
        assert app.screen is player  # the summary comes once this has been drawn
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert "Well done" in str(app.screen.query_one("#headline").content)


async def test_the_status_word_is_coloured_by_what_to_do(dirs, world):
    """GET READY and REST in the secondary colour, HOLD in the primary, SWITCH SIDES in the accent."""
    from textual.color import Color

    app = app_for(dirs, world, routine=load_context(dirs).routines.find("quick"))
    async with app.run_test(size=(80, 24)) as pilot:
        player = app.screen
        colour = {name: Color.parse(app.theme_variables[name]) for name in ("primary", "secondary", "accent")}
        seen = {}
        for seconds in (0, 2, 3, 1, 3):  # prepare, hold, rest, hold, switch
            await advance(pilot, world, seconds)
            word = text(player, "#status").split(" · ")[0]
            seen[word] = player.query_one("#status").styles.color
        assert seen == {"GET READY": colour["secondary"], "HOLD": colour["primary"],
                        "REST": colour["secondary"], "SWITCH SIDES": colour["accent"]}


# -- finding your way ------------------------------------------------------------------

async def test_left_esc_and_backspace_go_back_to_the_regions_and_the_footer_says_so(dirs, world):
    app = app_for(dirs, world)
    async with app.run_test(size=(100, 24)) as pilot:
        regions, routines = app.screen.query_one("#regions"), app.screen.query_one("#routines")
        assert app.focused is regions and "Regions" not in screen_text(app).split("\n")[-1]
        for back in ("left", "escape", "backspace"):
            await pilot.press("right" if back == "left" else "enter")  # into Neck's routines
            assert app.focused is routines
            assert "← Regions" in screen_text(app).split("\n")[-1]
            await pilot.press(back)
            assert app.focused is regions, back


async def test_after_a_session_the_regions_have_the_focus_on_the_region_played(dirs, world):
    app = app_for(dirs, world)
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.press("down", "down", "down", "down", "enter")  # Posture
        await pilot.press("enter")  # its first routine
        assert isinstance(app.screen, PlayerScreen)
        played = app.screen.routine
        await pilot.press("q", "y")
        await pilot.pause()
        await pilot.press("q")  # q leaves the summary too
        assert isinstance(app.screen, PickerScreen)
        regions = app.screen.query_one("#regions")
        assert app.focused is regions and regions.get_option_at_index(regions.highlighted).id == played.region
        await pilot.press("up", "enter", "enter")  # "Down ×4, Enter" now means what it says
        assert isinstance(app.screen, PlayerScreen) and app.screen.routine.region == "hips-legs"


async def test_back_restarts_the_stretch_and_a_second_back_goes_to_the_one_before(dirs, world):
    app = app_for(dirs, world, routine=load_context(dirs).routines.find("quick"))
    async with app.run_test(size=(80, 24)) as pilot:
        player = app.screen
        await pilot.press("n")  # Tuck
        await advance(pilot, world, 2 + 1)  # its prepare, and into its hold
        await pilot.press("p")
        assert "Tuck" in text(player, "#title") and text(player, "#status").startswith("GET READY")
        await pilot.press("p")
        assert "Tilt" in text(player, "#title")


async def test_help_over_the_player_pauses_it_and_space_resumes(dirs, world):
    app = app_for(dirs, world, routine=load_context(dirs).routines.find("quick"))
    async with app.run_test(size=(80, 24)) as pilot:
        player = app.screen
        assert "Pause" in screen_text(app).split("\n")[-1]
        await advance(pilot, world, 1)
        await pilot.press("question_mark")
        world.clock.advance(30)  # reading the help
        await pilot.press("escape")
        player.tick()
        assert app.screen is player and player.runner.paused
        assert player.query_one("#countdown").value == "1"
        assert "Resume" in screen_text(app).split("\n")[-1] and "Pause" not in screen_text(app).split("\n")[-1]
        await pilot.press("ctrl+p")
        await pilot.press("escape")
        assert player.runner.paused
        await pilot.press("space")
        assert not player.runner.paused and "Pause" in screen_text(app).split("\n")[-1]


async def test_the_player_says_what_each_side_means_where_you_are_and_the_seconds_in_words(dirs, world):
    app = app_for(dirs, world, routine=load_context(dirs).routines.find("neck"))
    async with app.run_test(size=(100, 30)) as pilot:
        player = app.screen
        await pilot.press("n", "n", "n")  # Lateral flexion: a stretch done on each side
        assert text(player, "#side") == "LEFT" and text(player, "#cue") == "Left ear toward your left shoulder"
        assert text(player, "#status") == "GET READY · left side first · 5 seconds left"
        assert "min left in all" in text(player, "#overall")
        await advance(pilot, world, 5 + 25)  # the prepare, the first hold
        assert text(player, "#status").startswith("REST · ease back to neutral and breathe · rep 2 of 2 next")
        await advance(pilot, world, 3 + 25)  # the rest, the second hold
        assert text(player, "#status").startswith("SWITCH SIDES · now the right side")
        assert text(player, "#cue") == "Right ear toward your right shoulder"
        assert "seconds left" in screen_text(app)  # a copy of the screen reads the countdown


async def test_reduced_motion_from_the_config_or_the_flag_turns_animation_off(dirs, world):
    from supple.cli.parser import build_parser

    assert build_parser("play").parse_args(["play", "neck", "--no-animation"]).no_animation
    assert build_parser().parse_args(["--no-animation"]).no_animation
    write(dirs.config_file, "reduced_motion = true\n")
    app = app_for(dirs, world)
    async with app.run_test(size=(80, 24)):
        assert app.reduced_motion and app.animation_level == "none"
    write(dirs.config_file, "")
    app = app_for(dirs, world, reduced_motion=True)
    async with app.run_test(size=(80, 24)):
        assert app.animation_level == "none"


async def stop_and_read_summary(pilot) -> str:
    """Stop the session and confirm; what the summary then shows."""
    await pilot.press("q", "y")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    assert isinstance(pilot.app.screen, SummaryScreen)
    return screen_text(pilot.app)


async def test_no_notice_covers_the_countdown_they_wait_for_the_end(dirs, world):
    write(dirs.user_routines / "broken.toml", 'name = "Broken"\n')
    write(dirs.data / ".safety-shown", "")
    app = app_for(dirs, world, routine=load_context(dirs).routines.find("quick"))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PlayerScreen)
        assert "Skipped" not in screen_text(app) and not app.screen.query("Toast")
        assert "Skipped 1 file with problems" in await stop_and_read_summary(pilot)


async def test_notices_on_the_picker_step_aside_for_the_player_and_come_back_after(dirs, world):
    (dirs.data / ".safety-shown").unlink()  # a first run: the safety rules come as a notice on the picker
    app = app_for(dirs, world)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.pause()
        assert "Stretch safely" in screen_text(app)
        await pilot.press("enter", "down", "enter")  # Neck, then its second routine: Quick test
        await pilot.pause()
        assert isinstance(app.screen, PlayerScreen)
        assert "Stretch safely" not in screen_text(app) and not app.screen.query("Toast")
        assert "Stretch safely" in await stop_and_read_summary(pilot)


async def test_a_routine_file_added_meanwhile_shows_when_the_picker_comes_back(dirs, world):
    app = app_for(dirs, world)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("h")
        write(dirs.user_routines / "wrists.toml", SHORT_ROUTINE.replace('region = "neck"', 'region = "wrists"')
              .replace("Quick test", "Wrist circles"))
        await pilot.press("escape")
        await pilot.pause()
        assert "Wrists" in screen_text(app)
        await pilot.press("end", "enter")
        await pilot.pause()
        assert "Wrist circles" in screen_text(app)


async def test_enter_typed_twice_in_one_go_opens_the_region_and_starts_its_first_routine(dirs, world):
    from textual import events

    app = app_for(dirs, world)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for _ in range(2):  # both keys queued before the first is handled, as a quick typist's are
            app.post_message(events.Key("enter", "\r"))
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, PlayerScreen) and app.screen.routine.id == "neck"


async def test_counts_that_come_after_the_person_left_the_summary_are_dropped(dirs, world):
    app = app_for(dirs, world, routine=load_context(dirs).routines.find("quick"))
    async with app.run_test(size=(80, 24)) as pilot:
        await advance(pilot, world, 3)  # into the first hold: something to save
        await pilot.press("q", "y")
        summary = app.screen
        assert isinstance(summary, SummaryScreen)
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        # what the counting thread hands over when it ends after that (a long history, a busy disk):
        # seen in tmux as a traceback that closed the app
        summary._show_counts("Today      1 of 2 sessions · 1 to go", "Streak     1 day (longest 1)")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
