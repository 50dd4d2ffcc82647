"""Files nested past any sense, and worlds of hostile files, fed to every command and the app:
one `path:line:col` problem for a damaged file, the rest unaffected, no traceback, no session lost."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta

import pytest
from conftest import FakeClock, write
from faults import make, snapshot

from supple.cli import main
from supple.store.history import HistoryStore
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
