"""Files a person (or a crash, or a sync tool) broke: history files by hand, and
routine, theme and config files by Hypothesis. Never a traceback, every problem
named with its file, line and column, nothing rewritten, and the app starts.

Each test prints what it tried (see it with `pytest -s`).
"""

from __future__ import annotations

import json
import math
import os
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from conftest import SHORT_ROUTINE, FakeClock, first_screens, write
from faults import make, snapshot
from hostile import CONFIG, THEME, mutated
from hypothesis import HealthCheck, given, settings

from supple.cli.check import check_file
from supple.store.append import device_folder_name
from supple.store.config import load_config
from supple.store.history import HistoryStore
from supple.store.routine_files import parse_routine
from supple.store.sessions import HEADER, record_text
from supple.tui.themes import parse_theme

# -- 5. hand-broken history files ---------------------------------------------------


def this_month() -> datetime:
    now = datetime.now().astimezone()
    return now.replace(day=1, hour=0, minute=30, second=0, microsecond=0)


def three_records(month: datetime) -> tuple[list, str]:
    sessions = [make(month + timedelta(days=d, hours=7), routine_name=f"Neck release {d}") for d in range(3)]
    return sessions, HEADER + "".join("\n" + record_text(s) for s in sessions)


def line_no(text: str, needle: str, nth: int = 0) -> int:
    return [i + 1 for i, ln in enumerate(text.split("\n")) if needle in ln][nth]


@dataclass
class Broken:
    name: str
    content: bytes | str | None  # None: something other than a file (made by `make`)
    survivors: list[int]  # which of the three records still count
    where: tuple[int, int | None] | None  # (line, col) of the one problem; None: the file is fine
    says: str = ""  # a word the problem's message has
    special: str = ""  # "folder", "loop", "fifo"


def broken_files(month: datetime) -> list[Broken]:
    sessions, text = three_records(month)
    b = text.split("\n")
    out: list[Broken] = []

    unclosed = text.replace('routine_name = "Neck release 1"', 'routine_name = "Neck release 1')
    out.append(Broken("an unclosed string", unclosed, [0, 2], (line_no(text, "Neck release 1"), None),
                      "closing quote"))

    n = line_no(text, "region = ", 1)
    dup = "\n".join(b[:n] + ['region = "neck"'] + b[n:])
    out.append(Broken("a duplicate key", dup, [0, 2], (n + 1, None)))

    raw = text.encode()
    at = raw.index(b"Neck release 1") + 4
    nul = raw[:at] + b"\0" * 20 + raw[at + 20:]
    out.append(Broken("NUL bytes", nul, [0, 2], (line_no(text, "Neck release 1"), len('routine_name = "Neck') + 1), "NUL"))

    out.append(Broken("a byte-order mark", b"\xef\xbb\xbf" + raw, [0, 1, 2], None))
    out.append(Broken("CRLF line ends", text.replace("\n", "\r\n"), [0, 1, 2], None))

    bad = raw[:at] + b"\xff\xfe" + raw[at + 2:]
    out.append(Broken("invalid UTF-8", bad, [0, 1, 2], (line_no(text, "Neck release 1"), len('routine_name = "Neck') + 1),
                      "UTF-8"))
    out.append(Broken("a folder where a file should be", None, [], (1, 1), "folder", special="folder"))
    out.append(Broken("an empty file", b"", [], (1, 1), "empty"))
    out.append(Broken("a file of blanks", b"\n  \n\t\n", [], (1, 1), "empty"))
    out.append(Broken("a header-only file", HEADER, [], None))
    newer = text.replace("version = 1", "version = 2")
    out.append(Broken("a file from a newer version", newer, [], (2, 1), "newer supple"))
    out.append(Broken("no header", text[len(HEADER):].lstrip("\n"), [0, 1, 2], (1, 1), "header"))
    out.append(Broken("a torn last record", text[: text.rindex("Neck release 2") + 6], [0, 1],
                      (line_no(text, "Neck release 2"), None)))
    out.append(Broken("a symbolic link to itself", None, [], (1, 1), "cannot read", special="loop"))
    if hasattr(os, "mkfifo"):
        out.append(Broken("a named pipe", None, [], (1, 1), "not a regular file", special="fifo"))
    return out


def put(path: Path, case: Broken) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if case.special == "folder":
        path.mkdir()
        (path / "inside.txt").write_text("a folder named like a history file")
    elif case.special == "loop":
        path.symlink_to(path.name)
    elif case.special == "fifo":
        os.mkfifo(path)
    else:
        data = case.content.encode() if isinstance(case.content, str) else case.content
        path.write_bytes(data)


def cli(dirs, *args: str) -> list[str]:
    return [*args, "--data-dir", str(dirs.data), "--config-dir", str(dirs.config), "--cache-dir", str(dirs.cache)]


def test_hand_broken_history_files(tmp_path: Path, capsys) -> None:
    from supple.cli import main
    from supple.store.paths import Dirs

    month = this_month()
    cases = broken_files(month)
    for i, case in enumerate(cases):
        dirs = Dirs(tmp_path / f"c{i}" / "data", tmp_path / f"c{i}" / "config", tmp_path / f"c{i}" / "cache")
        write(dirs.config_file, 'device = "laptop"\n')
        store = HistoryStore(dirs.data, "laptop", dirs.cache)
        # every other session: an earlier month of this device, and another device
        others = [make(month - timedelta(days=20)), make(month - timedelta(days=19))]
        for s in others[:1]:
            store.save(s)
        HistoryStore(dirs.data, "desktop", None).save(others[1])
        path = store.device_dir / f"{month:%Y-%m}.toml"
        put(path, case)
        before = snapshot(dirs.data)
        label = case.name
        wanted_ids = {s.id for s in others}

        # reading: the store, twice (the second time from the cache)
        for _ in range(2):
            loaded = store.load()
            ids = {s.id for s in loaded.sessions}
            assert wanted_ids <= ids, f"{label}: another session is hidden"
            in_file = [s for s in loaded.sessions if s.id not in wanted_ids]
            assert len(in_file) == len(case.survivors), f"{label}: {len(in_file)} records of the file read"
            if case.where is None:
                assert loaded.problems == [], f"{label}: {loaded.problems}"
            else:
                assert len(loaded.problems) == 1, f"{label}: {loaded.problems}"
                p = loaded.problems[0]
                line, col = case.where
                assert p.path == path and p.line == line, f"{label}: {p}"
                assert col is None or p.col == col, f"{label}: {p}"
                assert case.says in p.message, f"{label}: {p.message}"
        assert snapshot(dirs.data) == before, f"{label}: reading changed a file"

        # the CLI: every session and every problem with path:line:col
        assert main(cli(dirs, "history", "--json")) == 0
        out = json.loads(capsys.readouterr().out)
        assert wanted_ids <= {s["id"] for s in out["sessions"]}
        assert len(out["sessions"]) == len(wanted_ids) + len(case.survivors)
        rel = f"history/laptop/{month:%Y-%m}.toml"
        if case.where is None:
            assert out["problems"] == [], label
        else:
            [problem] = out["problems"]
            assert re.match(rf"{re.escape(rel)}:{case.where[0]}:\d+: \S", problem), (label, problem)
        assert main(cli(dirs, "history")) == 0
        text_out = capsys.readouterr()
        if case.where is not None:
            assert f"{rel}:{case.where[0]}:" in text_out.err, label
        assert snapshot(dirs.data) == before, f"{label}: the CLI changed a file"

        # saving goes on: `supple log` files the session; a damaged file is never written
        assert main(cli(dirs, "log", "neck", "--minutes", "1")) == 0, label
        logged = capsys.readouterr().out
        after = snapshot(dirs.data)
        key = f"history/laptop/{month:%Y-%m}.toml"
        if case.where is None and case.special == "":
            assert after[key].startswith(before[key]), f"{label}: not appended"
            assert logged.rstrip().endswith(f"{month:%Y-%m}.toml"), logged
        else:
            assert all(after[k] == v for k, v in before.items()), f"{label}: a damaged file was written"
            assert logged.rstrip().endswith(f"{month:%Y-%m}.1.toml"), (label, logged)
        again = store.load()
        assert len(again.sessions) == len(wanted_ids) + len(case.survivors) + 1, label
        assert len(again.problems) == (0 if case.where is None else 1), label
    print(f"\nhand-broken history files: {len(cases)} kinds tried (store, cache, `supple history`, "
          f"`supple log`), every problem at its line, files untouched, 0 sessions lost")


async def test_the_app_with_every_broken_history_file_at_once(dirs) -> None:
    """One data folder holding every broken file (each in its own month): the app starts,
    lists each problem with its path:line:col, shows the rest, and saves a new session."""
    from supple.context import load_context
    from supple.tui.app import make_app
    from supple.tui.screens.history import HistoryScreen
    from supple.tui.screens.summary import SummaryScreen

    write(dirs.config_file, 'device = "laptop"\n')
    write(dirs.user_routines / "quick.toml", SHORT_ROUTINE)
    now_month = this_month()
    cases = broken_files(now_month)
    store = HistoryStore(dirs.data, "laptop", dirs.cache)
    expected_problems = []
    months = []
    for i, case in enumerate(cases):
        # the first case takes this month (where the app saves), the others months before it
        m = (now_month.replace(day=15) - timedelta(days=31 * i)).replace(day=1)
        broken = broken_files(m)[i]
        path = store.device_dir / f"{m:%Y-%m}.toml"
        put(path, broken)
        months.append(m)
        if broken.where is not None:
            expected_problems.append(f"history/laptop/{m:%Y-%m}.toml:{broken.where[0]}:")
    good = make(now_month - timedelta(days=400))
    HistoryStore(dirs.data, "desktop", None).save(good)
    before = snapshot(dirs.data)
    loaded = store.load()
    assert good.id in {s.id for s in loaded.sessions}

    clock = FakeClock()
    start = datetime.now().astimezone().replace(microsecond=0)
    app = make_app(load_context(dirs), clock=clock, now=lambda: start + timedelta(seconds=clock.now - 1000))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("h")
        assert isinstance(app.screen, HistoryScreen)
        shown = str(app.screen.query_one("#problems").content)
        for where in expected_problems:
            assert where in shown, where
        await pilot.press("escape")
        app.start_routine(app.ctx.routines.find("quick"))
        await pilot.pause()
        for _ in range(40):
            clock.advance(1)
            if not hasattr(app.screen, "tick"):
                break
            app.screen.tick()
            await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert "Saved to your history." in str(app.screen.query_one("#saved").content)
        await pilot.press("enter")
        assert app.is_running
    after = snapshot(dirs.data)
    assert all(after[k] == v for k, v in before.items()), "a broken file was written"
    assert f"history/laptop/{now_month:%Y-%m}.1.toml" in after
    final = store.load()
    assert len(final.sessions) == len(loaded.sessions) + 1
    print(f"\napp with {len(cases)} broken history files at once: started, {len(expected_problems)} "
          f"problems shown with path:line:col, new session saved beside them")


# -- 8. routine, theme and config files, broken by Hypothesis ------------------------

TRIED = {"routine": 0, "theme": 0, "config": 0}
SAMPLES: dict[str, list[bytes]] = {"routine": [], "theme": [], "config": []}


@pytest.fixture(scope="module")
def work(tmp_path_factory) -> Path:
    """One folder for every generated file (Hypothesis runs many examples in one test call)."""
    return tmp_path_factory.mktemp("bad-files")


def check_located(path: Path, raw: bytes, problems) -> None:
    lines = raw.split(b"\n")
    for p in problems:
        assert Path(p.path) == path, p
        assert 1 <= p.line <= len(lines), (p, len(lines))
        assert 1 <= p.col <= len(lines[p.line - 1]) + 2, (p, lines[p.line - 1])
        assert p.message.strip() and p.message.isprintable(), p  # one line, no terminal escapes
        text = p.format()
        assert text.startswith(f"{path}:{p.line}:{p.col}: "), text


def remember_sample(kind: str, raw: bytes, problems) -> None:
    TRIED[kind] += 1
    if problems and len(SAMPLES[kind]) < 12:
        SAMPLES[kind].append(raw)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated("routine", SHORT_ROUTINE))
def test_broken_routine_files(work: Path, raw: bytes) -> None:
    path = work / "routines" / "fuzzed.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(raw)
    routine, problems = parse_routine(path)
    check_located(path, raw, problems)
    assert (routine is None) == bool(problems)
    if routine is not None:
        from supple.core.plan import plan, seconds

        assert routine.stretches and plan(routine)
        assert all(1 <= s.hold <= 600 and 1 <= s.reps <= 50 for s in routine.stretches)
        assert 0 <= routine.prepare <= 600 and math.isfinite(seconds(routine))
    assert check_file(path) == problems
    remember_sample("routine", raw, problems)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated("theme", THEME))
def test_broken_theme_files(work: Path, raw: bytes) -> None:
    path = work / "themes" / "fuzzed.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(raw)
    theme, problems = parse_theme(path)
    check_located(path, raw, problems)
    assert (theme is None) == bool(problems)
    if theme is not None:
        t = theme.to_textual()
        t.to_color_system().generate()  # what the app does with it
    remember_sample("theme", raw, problems)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated("config", CONFIG))
def test_broken_config_files(work: Path, raw: bytes) -> None:
    path = work / "config" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(raw)
    cfg = load_config(path)
    check_located(path, raw, cfg.problems)
    assert isinstance(cfg.theme, str) and cfg.theme
    assert isinstance(cfg.daily_goal, int) and 1 <= cfg.daily_goal <= 100
    assert isinstance(cfg.bell, bool)
    folder = device_folder_name(cfg.device_name)
    assert folder not in (".", "..") and "/" not in folder and "\0" not in folder and folder
    assert check_file(path) == cfg.problems
    assert path.read_bytes() == raw  # never rewritten
    remember_sample("config", raw, cfg.problems)


HAND_BROKEN = {
    "routine": [b'name = "Neck\nregion = "neck"\n', b"name = 'x'\nregion = 'neck'\n[[stretch]]\nname = 1\n",
                b'name = "x"\nregion = "Not A Slug"\n[[stretch]]\nname = "a"\nhow = "b"\nhold = inf\n',
                b"\xff\xfe\x00\x00", b'name = "x"\nname = "y"\n'],
    "theme": [b'name = "t1"\nprimary = "#GGGGGG"\n', b'name = "t2"\nprimary = "red"\n[variables]\n"footer-key-foreground" = "zzz"\n',
              b'name = "t3"\nprimary = "red"\n[variables]\n"block-cursor-text-style" = "blink nonsense"\n',
              b'name = "t4"\nprimary = "red"\nvariables = 3\n', b"[[[["],
    "config": [b'theme = "t2"\ndaily_goal = "two"\nbell = "yes"\ndevice = 3\n'],
}


async def test_the_app_starts_with_every_kind_of_broken_file(dirs) -> None:
    """The broken files above (Hypothesis' and hand-made): the app starts, names them, plays, shows history."""
    from supple.context import load_context
    from supple.tui.app import make_app
    from supple.tui.screens.picker import PickerScreen

    files = []
    for kind in ("routine", "theme"):
        folder = dirs.user_routines if kind == "routine" else dirs.user_themes
        for i, raw in enumerate(HAND_BROKEN[kind] + SAMPLES[kind]):
            path = folder / f"broken-{i:02d}.toml"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(raw)
            files.append(path)
    write(dirs.user_routines / "quick.toml", SHORT_ROUTINE)
    configs = HAND_BROKEN["config"] + SAMPLES["config"][:2]
    tried = 0
    for raw in configs:
        dirs.config_file.write_bytes(raw)
        ctx = load_context(dirs)
        assert ctx.problems, "the broken files were all read as fine"
        for p in ctx.problems:
            assert p.line >= 1 and p.col >= 1 and Path(p.path).exists()
        clock = FakeClock()
        app = make_app(ctx, clock=clock)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, PickerScreen)
            messages = "\n".join(str(n.message) for n in app._notifications)
            assert re.search(r"broken-\d\d\.toml:\d+:\d+: ", messages), messages
            assert "supple check" in messages
            await first_screens(pilot, clock, ctx.routines.find("quick"))
            await pilot.press("question_mark")
            await pilot.pause()
            assert app.is_running
        assert dirs.config_file.read_bytes() == raw  # never rewritten
        tried += 1
    print(f"\nbroken routine/theme/config files: {TRIED['routine']} routines, {TRIED['theme']} themes and "
          f"{TRIED['config']} configs from Hypothesis, each problem with path:line:col, no traceback; "
          f"the app started {tried} times with {len(files)} of them at once")
