"""`supple forget` and `supple restore`, and what `supple history` then shows."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest

from supple.cli import main
from supple.core.model import Session
from supple.store.history import HistoryStore

CET = timezone(timedelta(hours=1))


def run(dirs, capsys, *args: str) -> tuple[int, str, str]:
    rc = main([*args, "--data-dir", str(dirs.data), "--config-dir", str(dirs.config), "--cache-dir", str(dirs.cache)])
    out, err = capsys.readouterr()
    return rc, out, err


def logged(dirs, *ids: str) -> list[Session]:
    """Sessions on the last few days, one per id, saved as `supple log` would."""
    store = HistoryStore(dirs.data, "laptop", dirs.cache)
    today = datetime.now(CET).replace(hour=7, minute=30, second=0, microsecond=0)
    out = []
    for n, sid in enumerate(ids):
        start = today - timedelta(days=len(ids) - 1 - n)
        s = Session(sid, "neck", "Neck release", "neck", start, start + timedelta(minutes=8), 480.0, True, 6, 6)
        store.save(s)
        out.append(s)
    return out


def history(dirs, capsys) -> dict:
    rc, out, _ = run(dirs, capsys, "history", "--json")
    assert rc == 0
    return json.loads(out)


def test_forget_takes_a_session_out_and_restore_brings_it_back(dirs, capsys) -> None:
    a, b, c = logged(dirs, "3f9c0d7e2b8a4c51a6d2e0f4b7c91a08", "77aa0011223344556677889900aabbcc",
                     "77ab0011223344556677889900aabbcc")
    assert history(dirs, capsys)["streak"]["current"] == 3

    rc, out, err = run(dirs, capsys, "forget", "3f9c0d", "--why", "a test run")
    assert (rc, err) == (0, "")
    assert out.startswith(f"Forgot Neck release started {a.started:%Y-%m-%d %H:%M} (3f9c0d7e) -> ")
    assert out.count("\n") == 1
    got = history(dirs, capsys)
    assert [s["id"] for s in got["sessions"]] == [b.id, c.id]
    assert got["streak"]["current"] == 2 and sum(got["days"].values()) == 2
    assert [(r["id"], r["why"]) for r in got["retracted"]] == [(a.id, "a test run")]
    datetime.fromisoformat(got["retracted"][0]["at"])
    rc, out, _ = run(dirs, capsys, "history", "--csv")
    assert [row["id"] for row in csv.DictReader(io.StringIO(out))] == [b.id, c.id]
    rc, out, _ = run(dirs, capsys, "history")
    assert "Streak    2 days" in out and "3f9c0d7e" not in out

    rc, out, err = run(dirs, capsys, "restore", a.id)
    assert (rc, err) == (0, "") and out.startswith("Restored Neck release started ")
    got = history(dirs, capsys)
    assert [s["id"] for s in got["sessions"]] == [a.id, b.id, c.id] and got["retracted"] == []
    assert got["streak"]["current"] == 3


def test_history_lists_recent_sessions_with_short_ids(dirs, capsys) -> None:
    sessions = logged(dirs, *(f"{n:02d}{'e' * 30}" for n in range(3)))
    rc, out, _ = run(dirs, capsys, "history")
    lines = out.splitlines()
    at = lines.index(next(ln for ln in lines if ln.startswith("Recent sessions")))
    assert [ln.split()[0] for ln in lines[at + 1:]] == [s.id[:8] for s in reversed(sessions)]  # newest first
    assert f"{sessions[-1].started:%Y-%m-%d %H:%M}  Neck release" in lines[at + 1]


@pytest.mark.parametrize("args,says", [
    (["forget", "3f9c0"], "at least its first 6 characters"),
    (["forget", "ffffff"], "no session's id starts with 'ffffff'"),
    (["forget", "77aa00"], "more than one session's id starts with '77aa00'"),
    (["restore", "77aa0"], "at least its first 6 characters"),
    (["restore", "77aa00"], "more than one session's id starts with '77aa00'"),
])
def test_an_unknown_short_or_ambiguous_id_is_one_line_and_exit_1(dirs, capsys, args, says) -> None:
    logged(dirs, "3f9c0d7e2b8a4c51a6d2e0f4b7c91a08", "77aa0011223344556677889900aabbcc",
           "77aa0099223344556677889900aabbcc")
    before = sorted(p.read_bytes() for p in dirs.data.rglob("*.toml"))
    rc, out, err = run(dirs, capsys, *args)
    assert (rc, out) == (1, "")
    assert err.count("\n") == 1 and err.startswith(f"supple {args[0]}: ") and says in err, err
    assert sorted(p.read_bytes() for p in dirs.data.rglob("*.toml")) == before
    assert len(history(dirs, capsys)["sessions"]) == 3


def test_forgetting_twice_or_restoring_what_counts_writes_nothing(dirs, capsys) -> None:
    (s,) = logged(dirs, "3f9c0d7e2b8a4c51a6d2e0f4b7c91a08")
    assert run(dirs, capsys, "restore", s.id)[1].endswith("is not forgotten: nothing written\n")
    assert run(dirs, capsys, "forget", s.id)[0] == 0
    before = sorted(p.read_bytes() for p in dirs.data.rglob("*.toml"))
    rc, out, _ = run(dirs, capsys, "forget", s.id[:6])
    assert rc == 0 and out.endswith("is already forgotten: nothing written\n")
    assert sorted(p.read_bytes() for p in dirs.data.rglob("*.toml")) == before


def test_forget_and_restore_do_not_import_textual(dirs) -> None:
    logged(dirs, "3f9c0d7e2b8a4c51a6d2e0f4b7c91a08")
    code = ("import sys\nfrom supple.cli import main\nmain(['forget', '3f9c0d']); main(['restore', '3f9c0d'])\n"
            "print('TEXTUAL', sorted(m for m in sys.modules if m.split('.')[0] == 'textual'), file=sys.stderr)\n")
    env = dict(os.environ, SUPPLE_DATA_DIR=str(dirs.data), SUPPLE_CONFIG_DIR=str(dirs.config),
               SUPPLE_CACHE_DIR=str(dirs.cache))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert "TEXTUAL []" in out.stderr and "Forgot" in out.stdout and "Restored" in out.stdout, out
