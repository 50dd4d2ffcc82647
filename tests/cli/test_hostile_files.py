"""Files nested past any sense, and worlds of hostile files, fed to every command and the app:
one `path:line:col` problem for a damaged file, the rest unaffected, no traceback, no session lost."""

from __future__ import annotations

import asyncio
import json
import re
import time
from datetime import datetime, timedelta

import pytest
from conftest import SHORT_ROUTINE, FakeClock, first_screens, write
from faults import make, snapshot
from hostile import CONFIG, THEME, mutated
from hypothesis import HealthCheck, given, settings

from supple.cli import main
from supple.store.history import HistoryStore
from supple.store.paths import Dirs
from supple.store.sessions import HEADER, record_text

DEEP = {
    "arrays": "[" * 600 + "]" * 600,  # tomllib itself overflows here
    "inline tables": "{a=" * 450 + "1" + "}" * 450,
    "25 levels": "[" * 25 + "1" + "]" * 25,  # parses, but no supple file nests like this
}
NESTED = "nested more than 20 levels deep"


def cli(dirs, *args: str) -> list[str]:
    return [*args, "--data-dir", str(dirs.data), "--config-dir", str(dirs.config), "--cache-dir", str(dirs.cache)]


def run(capsys, dirs, *args: str) -> tuple[int, str, str]:
    code = main(cli(dirs, *args))
    out = capsys.readouterr()
    return code, out.out, out.err


def month_now() -> datetime:
    return datetime.now().astimezone().replace(day=1, hour=8, minute=0, second=0, microsecond=0)


@pytest.mark.parametrize("kind", list(DEEP))
def test_a_deep_routine_theme_or_config_is_one_problem_and_the_rest_works(dirs, capsys, kind):
    routine = write(dirs.user_routines / "deep.toml", f'name = "Deep"\nregion = "neck"\nsummary = {DEEP[kind]}\n')
    theme = write(dirs.user_themes / "deep.toml", f'name = "deep"\nprimary = "red"\n[variables]\nx = {DEEP[kind]}\n')
    config = write(dirs.config_file, f"\n\nbell = {DEEP[kind]}\n")
    code, out, err = run(capsys, dirs, "check")
    assert code == 1
    for path, line in ((routine, 3), (theme, 4), (config, 3)):
        assert re.search(rf"^{re.escape(str(path))}:{line}:\d+: .*{NESTED}", out, re.M), out
    code, out, err = run(capsys, dirs, "routines")
    assert code == 0 and "neck" in out and "Deep" not in out
    assert f"{routine}:3:" in err and f"{config}:3:" in err
    code, out, err = run(capsys, dirs, "log", "neck", "--minutes", "3")
    assert code == 0 and "Logged Neck release" in out
    code, out, err = run(capsys, dirs, "history", "--json")
    assert code == 0 and len(json.loads(out)["sessions"]) == 1
    assert config.read_text().endswith(f"bell = {DEEP[kind]}\n")  # never rewritten


@pytest.mark.parametrize("kind", list(DEEP))
def test_a_deep_history_record_is_skipped_with_its_line_and_a_save_goes_to_the_next_file(dirs, capsys, kind):
    write(dirs.config_file, 'device = "laptop"\n')
    month = month_now()
    good = [make(month + timedelta(hours=h)) for h in (1, 2)]
    path = dirs.data / "history" / "laptop" / f"{month:%Y-%m}.toml"
    text = HEADER + "\n" + record_text(good[0]) + "\n[[session]]\nnote = " + DEEP[kind] + "\n\n" + record_text(good[1])
    write(path, text)
    before = snapshot(dirs.data)
    deep_line = text.split("\n").index("note = " + DEEP[kind]) + 1

    code, out, err = run(capsys, dirs, "history", "--json")
    data = json.loads(out)
    assert code == 0 and {s["id"] for s in data["sessions"]} == {s.id for s in good}
    [problem] = data["problems"]
    assert problem.startswith(f"history/laptop/{month:%Y-%m}.toml:{deep_line}:") and NESTED in problem
    code, out, err = run(capsys, dirs, "log", "neck", "--minutes", "2")
    assert code == 0 and out.rstrip().endswith(f"{month:%Y-%m}.1.toml")
    after = snapshot(dirs.data)
    assert all(after[k] == v for k, v in before.items())  # the damaged file is never written
    assert len(HistoryStore(dirs.data, "laptop", dirs.cache).load().sessions) == 3


async def test_the_app_starts_and_shows_history_beside_deep_files(dirs):
    from supple.context import load_context
    from supple.tui.app import make_app
    from supple.tui.screens.history import HistoryScreen

    write(dirs.config_file, f"device = \"laptop\"\nbell = {DEEP['arrays']}\n")
    write(dirs.user_routines / "deep.toml", f'name = "Deep"\nregion = "neck"\nsummary = {DEEP["arrays"]}\n')
    month = month_now()
    write(dirs.data / "history" / "laptop" / f"{month:%Y-%m}.toml",
          HEADER + "\n[[session]]\nnote = " + DEEP["inline tables"] + "\n")
    ctx = load_context(dirs)
    assert {p.path.name for p in ctx.problems} == {"config.toml", "deep.toml"}
    app = make_app(ctx, clock=FakeClock())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        assert NESTED in str(app.screen.query_one("#problems").content)
        assert app.is_running


# -- numbers out of range, and quiet oddities ---------------------------------------------

@pytest.mark.parametrize(("args", "says"), [
    (["history", "--days", "100000000"], "argument --days: must be from 1 to 3660, got 100000000"),
    (["history", "--days", "12345678901234567890"], "argument --days: must be from 1 to 3660"),
    (["history", "--days", "0"], "argument --days: must be from 1 to 3660, got 0"),
    (["history", "--days", "two"], "argument --days: must be a whole number from 1 to 3660, got 'two'"),
    (["log", "neck", "--minutes", "1e400"], "argument --minutes: must be more than 0 and at most 1440"),
    (["log", "neck", "--minutes", "nan"], "argument --minutes: must be more than 0 and at most 1440"),
    (["serve", "--port", "70000"], "argument --port: must be from 1 to 65535, got 70000"),
])
def test_every_number_argument_has_a_range_and_says_it(dirs, capsys, args, says):
    with pytest.raises(SystemExit) as ended:
        main(cli(dirs, *args))
    assert ended.value.code == 2
    err = capsys.readouterr().err
    assert f"supple {args[0]}: error: {says}" in err and "Traceback" not in err


@pytest.fixture
def berlin(monkeypatch):
    """This machine in Central European time, daylight saving included (a POSIX rule: no tz database needed)."""
    monkeypatch.setenv("TZ", "CET-1CEST,M3.5.0,M10.5.0/3")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize(("at", "code", "says"), [
    ("", 2, "--at: needs a time, like 07:30"),
    ("   ", 2, "--at: needs a time, like 07:30"),
    ("2026-03-29 02:30", 2, "--at: 2026-03-29 02:30 does not exist here: the clocks skipped that time "
                            "(did you mean 01:30 or 03:30?)"),
    ("2026-03-29 03:00", 0, "started 2026-03-29 03:00"),
    ("2026-10-25 02:30", 0, "started 2026-10-25 02:30"),  # comes twice: the first, summer time
])
def test_at_empty_or_in_a_daylight_saving_gap_is_an_error_that_says_why(dirs, capsys, berlin, at, code, says):
    assert main(cli(dirs, "log", "neck", "--at", at)) == code
    out = capsys.readouterr()
    assert says in (out.err if code else out.out)
    if code == 0:
        [session] = json.loads(run(capsys, dirs, "history", "--json")[1])["sessions"]
        offset = "+02:00"  # summer time on both days
        assert session["started"] == at.replace(" ", "T") + ":00" + offset
    else:
        assert not (dirs.data / "history").exists()


def test_a_record_that_ends_before_it_starts_is_a_problem(dirs, capsys):
    month = month_now()
    backwards = make(month + timedelta(hours=2))._replace(ended=month + timedelta(hours=1))
    good = make(month + timedelta(hours=3))
    text = HEADER + "\n" + record_text(backwards) + "\n" + record_text(good)
    write(dirs.data / "history" / "laptop" / f"{month:%Y-%m}.toml", text)
    data = json.loads(run(capsys, dirs, "history", "--json")[1])
    assert [s["id"] for s in data["sessions"]] == [good.id]
    line = next(i for i, ln in enumerate(text.split("\n"), 1) if ln.startswith("ended = "))  # the first record's
    [problem] = data["problems"]
    assert problem.startswith(f"history/laptop/{month:%Y-%m}.toml:{line}:1: 'ended' (")
    assert "is before 'started'" in problem


def test_a_data_folder_that_is_a_file_is_named_and_nothing_is_written(dirs, capsys):
    dirs.data.parent.mkdir(parents=True, exist_ok=True)
    dirs.data.write_text("not a folder")
    code, out, err = run(capsys, dirs, "history")
    assert code == 0 and f"{dirs.data}:1:1: is a file where a folder should be" in err
    code, out, err = run(capsys, dirs, "log", "neck")
    assert code == 1 and f"{dirs.data} is a file, not a folder; nothing already saved was changed" in err
    assert dirs.data.read_text() == "not a folder"


def test_a_config_file_that_is_a_folder_fails_check(dirs, capsys):
    dirs.config_file.mkdir(parents=True)
    code, out, err = run(capsys, dirs, "check")
    assert code == 1 and f"{dirs.config_file}:1:1: is a folder, not a file" in out


# -- worlds of hostile files, by Hypothesis ----------------------------------------------

SUMMARY_LINE = re.compile(r"^\d+ (problems? in \d+ files?|files? checked, no problems)(, \d+ warnings?)?$")
PROBLEM_LINE = re.compile(r"^\S.*:\d+:\d+: \S")


def history_base() -> str:
    month = month_now()
    return HEADER + "".join("\n" + record_text(make(month + timedelta(hours=h), routine_name=f"Neck {h}"))
                            for h in (1, 2))


async def start_the_app(dirs) -> None:
    """A headless start: the picker with its notices, the history, the first seconds of a routine."""
    from supple.context import load_context
    from supple.tui.app import make_app

    ctx = load_context(dirs)
    clock = FakeClock()
    app = make_app(ctx, clock=clock)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await first_screens(pilot, clock, ctx.routines.find("neck"))
        assert app.is_running


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(routine=mutated("routine", SHORT_ROUTINE), theme=mutated("theme", THEME),
       config=mutated("config", CONFIG), history=mutated("history", history_base()))
def test_commands_and_the_app_with_worlds_of_hostile_files(tmp_path_factory, capsys, routine, theme, config,
                                                           history):
    root = tmp_path_factory.mktemp("world")
    dirs = Dirs(root / "data", root / "config", root / "cache")
    for path, raw in ((dirs.user_routines / "fuzzed.toml", routine), (dirs.user_themes / "fuzzed.toml", theme),
                      (dirs.config_file, config),
                      (dirs.data / "history" / "laptop" / f"{month_now():%Y-%m}.toml", history)):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(raw)
    kept = make(month_now() - timedelta(days=40))
    HistoryStore(dirs.data, "desktop", None).save(kept)  # saved before: never lost
    before = snapshot(dirs.data)
    counted = None
    for args in (["check"], ["routines"], ["routines", "--json"], ["history"], ["history", "--json"],
                 ["figure", "neck"], ["log", "neck", "--minutes", "1"], ["history", "--json"]):
        code = main(cli(dirs, *args))  # anything raised here would have been a traceback
        out = capsys.readouterr()
        assert code in ((0, 1) if args == ["check"] else (0,)), (args, out.err)
        for line in out.err.splitlines():
            assert PROBLEM_LINE.match(line) or SUMMARY_LINE.match(line), (args, line)
        if args == ["history", "--json"]:
            data = json.loads(out.out)
            ids = {s["id"] for s in data["sessions"]}
            assert kept.id in ids
            assert all(PROBLEM_LINE.match(p) for p in data["problems"])
            if counted is not None:
                assert ids > counted and len(ids) == len(counted) + 1  # the logged one, and every other
            counted = ids
    after = snapshot(dirs.data)
    assert all(after[k] == v or (isinstance(v, bytes) and after[k].startswith(v)) for k, v in before.items())
    asyncio.run(start_the_app(dirs))
    assert dirs.config_file.read_bytes() == config  # never rewritten
