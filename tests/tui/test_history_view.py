"""What the history screen, `supple history` and the check-ins show."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from conftest import SHORT_ROUTINE, screen_text, write
from test_app import World, advance

from supple.cli.report import history_text
from supple.context import load_context
from supple.core import stats
from supple.core.model import Session
from supple.core.stats import Tally
from supple.store.history import HistoryStore, new_session_id
from supple.tui.app import make_app
from supple.tui.screens.history import ConfirmForget, HistoryScreen
from supple.tui.screens.player import PlayerScreen
from supple.tui.screens.summary import SummaryScreen
from supple.tui.widgets.heatmap import Heatmap

CET = timezone(timedelta(hours=1))
TODAY = date(2026, 11, 20)


def session(day: date, region: str = "neck", completed: bool = True, hour: int = 7, **kw) -> Session:
    start = datetime(day.year, day.month, day.day, hour, 0, tzinfo=CET)
    kw.setdefault("stretches_done", 5)
    return Session(id=new_session_id(), routine=region, routine_name=region.title(), region=region,
                   started=start, ended=start + timedelta(minutes=6), active_seconds=300.0,
                   completed=completed, stretches_total=5, **kw)


def test_region_stats_flag_regions_left_for_a_week_or_never_done():
    sessions = [session(TODAY, "neck"), session(TODAY - timedelta(days=3), "neck"),
                session(TODAY - timedelta(days=7), "lower-back"), session(TODAY - timedelta(days=20), "posture"),
                session(TODAY, "posture", completed=False, stretches_done=0),
                session(TODAY - timedelta(days=2), "hips-legs", completed=False, stretches_done=0)]
    regions = ["neck", "lower-back", "hips-legs", "posture"]
    got = {r.region: r for r in Tally.of(sessions).region_stats(TODAY, regions)}
    assert (got["neck"].last_done, got["neck"].last_7, got["neck"].last_30) == (TODAY, 2, 2)
    assert not got["neck"].neglected(TODAY)
    assert got["lower-back"].neglected(TODAY) and got["lower-back"].days_ago(TODAY) == 7
    assert got["hips-legs"].last_done is None and got["hips-legs"].neglected(TODAY)
    assert got["posture"].last_done == TODAY - timedelta(days=20)  # stopped with nothing done: not counted
    # partial work (stopped early, a stretch done) is real work: the region was done that day
    partial = Tally.of(sessions + [session(TODAY - timedelta(days=1), "posture", completed=False, stretches_done=2)])
    got = {r.region: r for r in partial.region_stats(TODAY, regions)}
    assert (got["posture"].last_done, got["posture"].partial) == (TODAY - timedelta(days=1), True)
    assert not got["posture"].neglected(TODAY) and got["posture"].last_7 == 0
    assert stats.last_done_words(got["posture"], TODAY) == "yesterday (part)"
    assert partial.on(TODAY - timedelta(days=1)) == 0 and partial.streaks(TODAY) == (1, 1)  # goal and streak: no
    assert stats.ago(TODAY - timedelta(days=1), TODAY) == "yesterday"


def test_calendar_weeks_end_with_the_week_of_today():
    weeks = stats.calendar_weeks(TODAY, 26)
    assert len(weeks) == 26 and all(len(w) == 7 for w in weeks)
    assert weeks[-1][0] == date(2026, 11, 16) and TODAY in weeks[-1]
    assert all(w[0].weekday() == 0 for w in weeks)


def test_text_report_has_streak_strip_and_regions():
    sessions = [session(TODAY - timedelta(days=n)) for n in range(4)] + [session(TODAY, hour=19)]
    text = history_text(Tally.of(sessions), TODAY, 2, 14, ["neck", "hips-legs"])
    assert "Today     2 of 2 sessions · goal met" in text
    assert "Streak    4 days (longest 4)" in text
    assert "[2]" in text
    assert "Hips & legs" in text and "never" in text


async def test_history_screen_shows_calendar_regions_recent_and_pain(dirs):
    store = HistoryStore(dirs.data, "laptop", dirs.cache)
    for n in (0, 1, 1, 2, 9):
        store.save(session(TODAY - timedelta(days=n), pain_before=6, pain_after=3))
    store.save(session(TODAY - timedelta(days=40), "lower-back"))
    world = World()
    world.start = datetime(2026, 11, 20, 12, 0, tzinfo=CET)
    app = make_app(load_context(dirs), clock=world.clock, now=world.now)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("h")
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        headline = str(screen.query_one("#headline").content)
        assert "1 of 2 sessions" in headline and "3 days" in headline
        heatmap = screen.query_one(Heatmap)
        assert heatmap.weeks_for(heatmap.size.width) >= 26
        drawn = heatmap.render().plain
        assert drawn.count("■") == 1  # yesterday met the goal
        assert "Nov" in drawn and "goal met (2+)" in str(screen.query_one("#legend").content)
        regions = str(screen.query_one("#regions").content)
        lower = next(line for line in regions.splitlines() if "Lower back" in line)
        assert "40 days ago" in lower and "not stretched for 40 days" in lower
        neck = next(line for line in regions.splitlines() if "Neck" in line)
        assert "today" in neck and "⚠" not in neck
        recent = recent_rows(screen)
        assert len(recent) == 6 and "Fri 20 Nov 07:00" in recent[0] and "Lower-Back" in recent[-1]
        pain = str(screen.query_one("#pain").content)
        assert "average 6.0" in pain and "average 3.0" in pain


def all_bytes(dirs) -> bytes:
    return b"".join(p.read_bytes() for p in sorted((dirs.data / "history").rglob("*.toml")))


def recent_rows(screen) -> list[str]:
    listing = screen.query_one("#recent")
    return [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]


async def test_forgetting_a_session_on_the_history_screen_takes_it_out_of_every_count_and_u_brings_it_back(dirs):
    store = HistoryStore(dirs.data, "laptop", dirs.cache)
    for n in (0, 1, 2):
        store.save(session(TODAY - timedelta(days=n)))
    path = next((dirs.data / "history").rglob("*.toml"))
    before = path.read_bytes()
    world = World()
    world.start = datetime(2026, 11, 20, 12, 0, tzinfo=CET)
    app = make_app(load_context(dirs), clock=world.clock, now=world.now)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("h")
        assert "3 days" in str(app.screen.query_one("#headline").content)
        await pilot.press("d")  # the page has the focus, not the list: nothing is asked
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        await pilot.press("tab", "d")  # today's session, the first of the list
        await pilot.pause()
        assert isinstance(app.screen, ConfirmForget)
        assert "Forget this session? It stays in the file, marked as forgotten" in str(
            app.screen.query_one("#question").content)
        await pilot.press("n")  # kept
        await pilot.pause()
        assert "3 days" in str(app.screen.query_one("#headline").content)
        await pilot.press("d", "y")
        await pilot.pause()
        headline = str(app.screen.query_one("#headline").content)
        assert "0 of 2 sessions" in headline and "2 days" in headline
        assert len(recent_rows(app.screen)) == 2 and "Fri 20 Nov" not in "".join(recent_rows(app.screen))
        assert any("Press u to undo" in n.message for n in app._notifications)
        assert path.read_bytes() == before  # the session stands in its file, byte for byte
        assert b"[[retract]]" in all_bytes(dirs)
        assert store.counts().done[-1][0] == (TODAY - timedelta(days=1)).toordinal()
        await pilot.press("u")
        await pilot.pause()
        assert "1 of 2 sessions" in str(app.screen.query_one("#headline").content)
        assert "3 days" in str(app.screen.query_one("#headline").content)
        assert len(recent_rows(app.screen)) == 3
        assert b"[[restore]]" in all_bytes(dirs) and path.read_bytes() == before


async def test_a_year_of_calendar_on_a_wide_terminal(dirs):
    world = World()
    app = make_app(load_context(dirs), clock=world.clock, now=world.now)
    async with app.run_test(size=(130, 40)) as pilot:
        await pilot.press("h")
        heatmap = app.screen.query_one(Heatmap)
        assert heatmap.weeks_for(heatmap.size.width) == 53


def quick_player(dirs):
    """An app straight into the two-stretch routine "quick", and the world its clocks come from."""
    write(dirs.user_routines / "quick.toml", SHORT_ROUTINE)
    write(dirs.data / ".safety-shown", "")
    world = World()
    ctx = load_context(dirs)
    return make_app(ctx, routine=ctx.routines.find("quick"), clock=world.clock, now=world.now), world


async def test_pain_check_in_before_and_after_is_saved_without_rewriting(dirs):
    app, world = quick_player(dirs)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, PlayerScreen)
        assert "How does it feel" in str(app.screen.query_one("#checkin").content)
        await pilot.press("7")
        assert "7 of 10" in str(app.screen.query_one("#checkin").content)
        await advance(pilot, world, 23)
        assert isinstance(app.screen, SummaryScreen)
        [path] = list((dirs.data / "history").rglob("*.toml"))
        saved = path.read_bytes()
        await pilot.press("t")
        assert "10 of 10" in str(app.screen.query_one("#checkin").content)
        assert path.read_bytes().startswith(saved)  # appended, nothing rewritten
    [s] = app.store.load().sessions
    assert (s.pain_before, s.pain_after) == (7, 10)


async def test_a_short_terminal_hides_the_check_in_but_its_keys_still_note_the_pain(dirs):
    app, world = quick_player(dirs)
    async with app.run_test(size=(80, 12)) as pilot:
        assert not app.screen.query_one("#checkin").display  # no room: the instructions come first
        await pilot.press("3")
        await advance(pilot, world, 23)
        assert isinstance(app.screen, SummaryScreen)
    [s] = app.store.load().sessions
    assert s.pain_before == 3


def test_streak_runs_through_a_daylight_saving_change_and_travel():
    cest, cet, tokyo = timezone(timedelta(hours=2)), CET, timezone(timedelta(hours=9))
    days = [
        datetime(2026, 10, 24, 23, 30, tzinfo=cest),  # summer time
        datetime(2026, 10, 25, 2, 30, tzinfo=cet),    # the night the clocks went back
        datetime(2026, 10, 26, 7, 0, tzinfo=cet),
        datetime(2026, 10, 27, 8, 0, tzinfo=tokyo),   # travelling: the recorded local date counts
    ]
    sessions = [Session(id=str(i), routine="neck", routine_name="Neck", region="neck", started=d,
                        ended=d + timedelta(minutes=5), active_seconds=280.0, completed=True,
                        stretches_done=5, stretches_total=5) for i, d in enumerate(days)]
    counts = stats.day_counts(sessions)
    assert sorted(counts) == [date(2026, 10, 24), date(2026, 10, 25), date(2026, 10, 26), date(2026, 10, 27)]
    assert stats.streaks(counts, date(2026, 10, 27)) == (4, 4)


async def test_a_logged_session_counts_in_the_summary_and_history_like_a_played_one(dirs):
    from supple.cli import main

    write(dirs.user_routines / "quick.toml", SHORT_ROUTINE)
    args = ["--data-dir", str(dirs.data), "--config-dir", str(dirs.config), "--cache-dir", str(dirs.cache)]
    world = World()
    today = world.now().date()
    assert main([*args, "log", "desk-break", "--at", f"{today}T06:00:00+01:00"]) == 0
    ctx = load_context(dirs)
    app = make_app(ctx, routine=ctx.routines.find("quick"), clock=world.clock, now=world.now)
    async with app.run_test(size=(80, 24)) as pilot:
        await advance(pilot, world, 23)
        assert "2 of 2 sessions · goal met" in str(app.screen.query_one("#today").content)
        await pilot.press("h")
        recent = "\n".join(recent_rows(app.screen))
        assert "Desk break" in recent and "(logged)" in recent


async def test_a_month_name_at_the_calendar_edge_is_left_out_not_cut(dirs):
    # on 3 December the last week shown starts December, one column short of room for "Dec" at 80 columns
    app = make_app(load_context(dirs), now=lambda: datetime(2026, 12, 3, 9, 0, tzinfo=CET))
    months = {date(2026, m, 1).strftime("%b") for m in range(1, 13)}
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("h")
        await pilot.pause()
        lines = screen_text(app).splitlines()
        header = lines[lines.index(next(ln for ln in lines if ln.strip() == "Calendar")) + 1]
        assert header.split() and set(header.split()) <= months, header
