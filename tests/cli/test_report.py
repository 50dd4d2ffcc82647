"""The `supple history --json` object."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from supple.cli.report import history_json
from supple.core.model import Problem, Session
from supple.store.history import History, HistoryStore, new_session_id

CET = timezone(timedelta(hours=1))


def at(y: int, m: int, d: int, hh: int = 8, mm: int = 0, tz: timezone = CET, **kw) -> Session:
    started = datetime(y, m, d, hh, mm, tzinfo=tz)
    base = dict(
        id=new_session_id(), routine="neck", routine_name="Neck release", region="neck",
        started=started, ended=started + timedelta(minutes=8), active_seconds=400.0,
        completed=True, stretches_done=6, stretches_total=6, device="laptop",
    )
    base.update(kw)
    return Session(**base)


# -- supple history --json --------------------------------------------------

def test_history_json_object(tmp_path: Path) -> None:
    s1 = at(2026, 11, 20, 7, 31, id="b")
    s2 = at(2026, 11, 18, 7, id="a", pain_before=4, note="stiff")
    s3 = at(2026, 11, 19, 7, id="c", completed=False, stopped="phone rang")
    s4 = at(2026, 11, 19, 20, id="d")
    problem = Problem(tmp_path / "history" / "laptop" / "2026-10.toml", 14, 9, "damaged session record")
    out = history_json(History([s1, s2, s3, s4], [problem]), date(2026, 11, 20), tmp_path)
    assert list(out) == ["sessions", "streak", "days", "problems", "retracted"]
    assert [s["id"] for s in out["sessions"]] == ["a", "c", "d", "b"]  # sorted by started
    assert out["sessions"][-1]["started"] == "2026-11-20T07:31:00+01:00"
    assert out["sessions"][0]["note"] == "stiff" and "note" not in out["sessions"][1]
    assert out["streak"] == {"current": 3, "longest": 3}
    assert out["days"] == {"2026-11-18": 1, "2026-11-19": 1, "2026-11-20": 1}
    assert list(out["days"]) == sorted(out["days"])
    assert out["problems"] == ["history/laptop/2026-10.toml:14:9: damaged session record"]
    json.dumps(out)  # printable as is


def test_history_json_from_saved_files(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "data", "laptop", tmp_path / "cache")
    for d in (18, 19, 20):
        store.save(at(2026, 11, d))
    path = store.log_dir / "laptop" / "2026-11.toml"
    with open(path, "a", encoding="utf-8") as f:
        f.write("\n[[session]]\nid = \n")
    out = history_json(store.load(), date(2026, 11, 21), store.data_dir)
    assert out["streak"] == {"current": 3, "longest": 3}
    assert len(out["sessions"]) == 3
    assert len(out["problems"]) == 1
    assert out["problems"][0].startswith("history/laptop/2026-11.toml:")
