"""The commands people and scripts call, run as a person would."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from conftest import SHORT_ROUTINE, write


def supple(dirs, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = dict(os.environ, SUPPLE_DATA_DIR=str(dirs.data), SUPPLE_CONFIG_DIR=str(dirs.config),
               SUPPLE_CACHE_DIR=str(dirs.cache))
    out = subprocess.run([sys.executable, "-m", "supple", *args], capture_output=True, text=True, env=env)
    if check:
        assert out.returncode == 0, out.stderr
    return out


@pytest.mark.parametrize("command", [
    ["routines"], ["routines", "--json"], ["history"], ["history", "--json"], ["history", "--csv"],
    ["log", "neck", "--minutes", "5"], ["figure", "neck"], ["figure", "--list"],
])
def test_commands_without_ui_do_not_import_textual(dirs, command):
    code = (
        "import sys\nfrom supple.cli import main\n"
        f"rc = main({command!r})\n"
        "loaded = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print('TEXTUAL', loaded, file=sys.stderr)\n"
    )
    env = dict(os.environ, SUPPLE_DATA_DIR=str(dirs.data), SUPPLE_CONFIG_DIR=str(dirs.config),
               SUPPLE_CACHE_DIR=str(dirs.cache))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert "TEXTUAL []" in out.stderr, out.stderr[-500:]


def test_routines_json_lists_builtin_and_user_routines(dirs):
    write(dirs.user_routines / "quick.toml", SHORT_ROUTINE)
    rows = json.loads(supple(dirs, "routines", "--json").stdout)
    by_id = {r["id"]: r for r in rows}
    assert {"neck", "upper-back", "lower-back", "hips-legs", "posture", "desk-break", "quick"} <= set(by_id)
    quick = by_id["quick"]
    assert (quick["name"], quick["region"], quick["stretches"], quick["minutes"]) == ("Quick test", "neck", 2, 1)
    assert quick["path"] == str(dirs.user_routines / "quick.toml")
    text = supple(dirs, "routines").stdout
    assert "desk-break" in text and "Quick test" in text


def test_check_prints_path_line_col_and_exits_1(dirs):
    bad = write(dirs.user_routines / "bad.toml",
                'name = "Bad"\nregion = "neck"\n[[stretch]]\nname = "x"\nhow = "y"\nhold = 0\nrepz = 2\n')
    write(dirs.config_file, 'daily_goal = "two"\n')
    out = supple(dirs, "check", check=False)
    assert out.returncode == 1
    lines = out.stdout.splitlines()
    assert f"{bad}:6:1: stretch 1 (x): 'hold' must be from 1 to 600 seconds, got 0" in lines
    assert any(line.startswith(f"{bad}:7:1:") and "unknown key 'repz'" in line for line in lines)
    assert any(line.startswith(f"{dirs.config_file}:1:1:") for line in lines)
    assert "problems" in out.stderr


def test_check_names_a_figure_angle_out_of_its_range_at_its_line_and_column(dirs, tmp_path):
    bad = write(tmp_path / "doorway.toml", 'name = "Doorway"\nregion = "upper-back"\n[[stretch]]\nname = "Chest"\n'
                'how = "Step through."\nhold = 30\n[stretch.figure]\n[stretch.figure.hold]\n  knee = 200\n')
    out = supple(dirs, "check", str(bad), check=False)
    assert out.returncode == 1
    assert out.stdout.splitlines() == [
        f"{bad}:9:3: stretch 1 (Chest), figure hold: 'knee' must be from -10 to 180 degrees, got 200"]


def test_check_clean_files_exits_0(dirs, tmp_path):
    good = write(tmp_path / "good.toml", SHORT_ROUTINE)
    out = supple(dirs, "check", str(good))
    assert out.stdout == "" and "no problems" in out.stderr
    assert supple(dirs, "check").returncode == 0


def test_log_records_a_manual_session_that_history_shows(dirs):
    out = supple(dirs, "log", "desk-break", "--at", "2026-11-20T07:30:00+01:00", "--minutes", "6")
    assert "Desk break" in out.stdout
    supple(dirs, "log", "neck")  # defaults: now, the routine's length
    data = json.loads(supple(dirs, "history", "--json").stdout)
    first = data["sessions"][0]
    assert first["routine"] == "desk-break" and first["source"] == "manual" and first["completed"] is True
    assert first["started"] == "2026-11-20T07:30:00+01:00"
    assert first["ended"] == "2026-11-20T07:36:00+01:00"
    assert first["active_seconds"] == 360
    assert data["days"]["2026-11-20"] == 1
    assert len(data["sessions"]) == 2
    assert set(data) == {"sessions", "streak", "days", "problems", "retracted", "breaks"}
    assert data["streak"]["current"] >= 1


def test_log_refuses_an_unknown_routine_and_a_bad_time(dirs):
    out = supple(dirs, "log", "shoulderz", check=False)
    assert out.returncode == 2 and "no routine or region named 'shoulderz'" in out.stderr
    out = supple(dirs, "log", "neck", "--at", "yesterday-ish", check=False)
    assert out.returncode == 2 and "--at" in out.stderr
    assert not (dirs.data / "history").exists() or not any((dirs.data / "history").rglob("*.toml"))


def test_history_text_and_csv(dirs):
    supple(dirs, "log", "neck", "--at", "00:00", "--minutes", "8")
    text = supple(dirs, "history", "--days", "3").stdout
    assert "Today     1 of 2 sessions · 1 to go" in text
    assert "Streak    1 day (longest 1)" in text
    strip = text[text.index("Last 3 days"):text.index("Region")]
    rows = [line[5:] for line in strip.splitlines() if line[:3] in ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")]
    assert len(rows) == 7
    cells = [c for row in rows for c in row.split()]
    assert len(cells) == 3 and "[1]" in cells  # today, in brackets
    neck = next(line for line in text.splitlines() if line.startswith("Neck"))
    assert "today" in neck and "neglected" not in neck
    hips = next(line for line in text.splitlines() if line.startswith("Hips"))
    assert "never" in hips and "neglected" in hips
    csv_lines = supple(dirs, "history", "--csv").stdout.splitlines()
    assert csv_lines[0].startswith("id,routine,routine_name,region,started,ended")
    assert len(csv_lines) == 2 and ",neck,Neck release,neck," in csv_lines[1]


def test_history_reports_a_damaged_file_and_still_counts_the_rest(dirs):
    supple(dirs, "log", "neck", "--at", "2026-11-20T07:30:00+01:00")
    write(dirs.data / "history" / "other" / "2026-10.toml",
          'format = "supple-history"\nversion = 1\n\n[[session]]\nid = "x"\nroutine = "neck\n')
    data = json.loads(supple(dirs, "history", "--json").stdout)
    assert len(data["sessions"]) == 1
    assert len(data["problems"]) == 1
    assert data["problems"][0].startswith(os.path.join("history", "other", "2026-10.toml") + ":6:")


def test_play_an_unknown_name_says_what_exists(dirs):
    out = supple(dirs, "play", "nowhere", check=False)
    assert out.returncode == 2 and "desk-break" in out.stderr


def test_version_and_help():
    out = subprocess.run([sys.executable, "-m", "supple", "--version"], capture_output=True, text=True)
    assert out.stdout.startswith("supple ")
    for sub in ("play", "routines", "figure", "check", "history", "log", "themes"):
        out = subprocess.run([sys.executable, "-m", "supple", sub, "--help"], capture_output=True, text=True)
        assert out.returncode == 0 and "--data-dir" in out.stdout


def test_log_says_saved_even_when_the_cache_cannot_be_kept(tmp_path, capsys):
    """`supple log` brings the history cache up to date as it saves; a cache folder that is
    a file costs nothing but that."""
    from supple.cli import main

    blocker = tmp_path / "cache"
    blocker.write_text("not a folder")
    args = ["--data-dir", str(tmp_path / "data"), "--config-dir", str(tmp_path / "config"),
            "--cache-dir", str(blocker)]
    assert main([*args, "log", "neck", "--minutes", "5"]) == 0
    assert "Logged Neck release (5 min)" in capsys.readouterr().out
    assert main([*args, "history", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["sessions"]) == 1
    assert blocker.read_text() == "not a folder"


def test_serve_without_its_extra_gives_the_command_for_this_install(dirs, capsys, monkeypatch):
    from pathlib import Path

    from supple.cli import main

    monkeypatch.setitem(sys.modules, "supple.tui.serve", None)  # as if textual-serve were not installed
    assert main(["serve", "--data-dir", str(dirs.data), "--config-dir", str(dirs.config)]) == 2
    err = capsys.readouterr().err
    root = Path(__file__).resolve().parents[2]  # installed from this folder, as the README says
    assert f"{sys.executable} -m pip install" in err and f"{root}[serve]" in err, err


def test_check_warns_of_a_region_one_slip_from_a_known_one(dirs):
    typo = write(dirs.user_routines / "typo.toml", SHORT_ROUTINE.replace('region = "neck"', 'region = "nek"'))
    mine = write(dirs.user_routines / "mine.toml", SHORT_ROUTINE.replace('region = "neck"', 'region = "wrists"'))
    out = supple(dirs, "check")  # a warning does not fail the check
    assert f"{typo}:2:1: warning: region 'nek' is shared by no other routine (did you mean 'neck'?)" in out.stdout
    assert str(mine) not in out.stdout  # a region of one's own, far from any other: fine
    assert "no problems, 1 warning" in out.stderr
