"""The break log: stretch breaks taken, snoozed and skipped, kept as safely as sessions."""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import stat
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from supple.cli import main
from supple.core.model import BREAK_ACTIONS as ACTIONS
from supple.core.model import BreakEvent
from supple.core.stats import breaks_per_day as per_day
from supple.store.append import SaveError
from supple.store.breaklog import BreakLog
from supple.store.history import HistoryStore, new_session_id

IST = timezone(timedelta(hours=5, minutes=30))
BRT = timezone(timedelta(hours=-3))
NPT = timezone(timedelta(hours=5, minutes=45))
CET = timezone(timedelta(hours=1))


def ev(at: datetime, action: str = "taken", **kw) -> BreakEvent:
    return BreakEvent(at=at, action=action, id=kw.pop("id", new_session_id()), **kw)


@pytest.fixture
def log(tmp_path: Path) -> BreakLog:
    return BreakLog(tmp_path / "data", "Laptop", tmp_path / "cache")


def month_file(log: BreakLog, name: str = "2026-11.toml") -> Path:
    return log.data_dir / "breaks" / log.device / name


def snapshot(folder: Path) -> dict[str, object]:
    out: dict[str, object] = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(root) / name
            st = os.lstat(path)
            out[str(path.relative_to(folder))] = path.read_bytes() if stat.S_ISREG(st.st_mode) else "<folder>"
    return out


# -- saving and reading ---------------------------------------------------------

def test_record_and_load_round_trip_keeps_each_offset(log: BreakLog) -> None:
    events = [ev(datetime(2026, 11, 20, 10, 30, tzinfo=IST), "taken"),
              ev(datetime(2026, 11, 20, 7, 5, 9, tzinfo=BRT), "snoozed"),
              ev(datetime(2026, 11, 21, 0, 15, tzinfo=NPT), "skipped"),
              ev(datetime(2026, 11, 21, 12, 0, tzinfo=timezone.utc), "taken")]
    for e in events:
        assert log.record(e) == month_file(log)
    text = month_file(log).read_text("utf-8")
    assert text.startswith('format = "supple-breaks"\nversion = 1\n\n[[break]]\n')
    assert "\nat = 2026-11-20 10:30:00+05:30\naction = \"taken\"\ndevice = \"laptop\"\nid = " in text
    # the id is written last in every record
    for chunk in text.split("[[break]]\n")[1:]:
        assert chunk.strip().splitlines()[-1].startswith("id = ")

    loaded, problems = log.load()
    assert problems == []
    want = sorted((BreakEvent(e.at, e.action, e.id, "laptop") for e in events), key=lambda e: e.at)
    assert loaded == want
    assert [e.at.utcoffset() for e in loaded] == [e.at.utcoffset() for e in want]
    as_json = [e.to_json() for e in loaded]
    assert as_json[0] == {"id": want[0].id, "at": want[0].at.isoformat(), "action": want[0].action,
                          "device": "laptop"}
    assert {j["at"] for j in as_json} == {"2026-11-20T10:30:00+05:30", "2026-11-20T07:05:09-03:00",
                                          "2026-11-21T00:15:00+05:45", "2026-11-21T12:00:00+00:00"}


def test_the_month_is_the_recorded_local_month(log: BreakLog) -> None:
    # 1 December 00:30 in Kathmandu is still November in UTC
    assert log.record(ev(datetime(2026, 12, 1, 0, 30, tzinfo=NPT))) == month_file(log, "2026-12.toml")


def test_appending_never_changes_what_is_saved(log: BreakLog) -> None:
    path = month_file(log)
    before = b""
    for i in range(8):
        log.record(ev(datetime(2026, 11, 1 + i, 9, 0, tzinfo=CET), ACTIONS[i % 3]))
        now = path.read_bytes()
        assert now.startswith(before) and len(now) > len(before)
        before = now
    assert sorted(p.name for p in path.parent.iterdir()) == ["2026-11.toml"]
    assert len(log.load()[0]) == 8
    # a second store object (no memo shared in memory) appends to the same file
    other = BreakLog(log.data_dir, "laptop", log.cache_dir)
    assert other.record(ev(datetime(2026, 11, 20, 9, 0, tzinfo=CET))) == path
    assert path.read_bytes().startswith(before)


def test_the_lock_is_kept_apart_from_the_history_lock(log: BreakLog) -> None:
    log.record(ev(datetime(2026, 11, 20, 9, 0, tzinfo=CET)))
    assert (log.cache_dir / "locks" / "breaks" / "laptop.lock").is_file()
    assert not list((log.data_dir / "breaks").rglob("*.lock"))


def test_a_torn_last_record_is_reported_and_never_written_again(tmp_path: Path) -> None:
    template = BreakLog(tmp_path / "template", "laptop", None)
    for d, action in ((1, "taken"), (2, "snoozed"), (3, "skipped")):
        template.record(ev(datetime(2026, 11, d, 9, 0, tzinfo=CET), action))
    earlier, _ = template.load()
    earlier_ids = [e.id for e in earlier[:2]]
    full = month_file(template).read_bytes()
    start = full.rindex(b"[[break]]")
    record_line = full[:start].count(b"\n") + 1
    cuts = range(start + 1, len(full) - 1)  # len - 1: only the final newline missing is a whole record
    assert len(cuts) > 80
    for n, cut in enumerate(cuts):
        data = tmp_path / f"cut-{n}" / "data"
        shutil.copytree(template.data_dir, data)
        log = BreakLog(data, "laptop", tmp_path / f"cut-{n}" / "cache")
        path = month_file(log)
        torn = full[:cut]
        path.write_bytes(torn)

        events, problems = log.load()
        case = f"cut at {cut}: {torn[start:]!r}"
        assert [e.id for e in events] == earlier_ids, case
        assert len(problems) == 1, f"{case}: {problems}"
        p = problems[0]
        assert p.path == path, case
        last_line = torn.count(b"\n") + 1
        assert p.line in (record_line, last_line), f"{case}: {p}"
        assert p.format(data).startswith(f"breaks/laptop/2026-11.toml:{p.line}:{p.col}: "), case

        new = ev(datetime(2026, 11, 4, 9, 0, tzinfo=CET), "taken")
        assert log.record(new) == month_file(log, "2026-11.1.toml"), case
        assert path.read_bytes() == torn, case
        events, problems = log.load()
        assert [e.id for e in events] == earlier_ids + [new.id], case
        assert len(problems) == 1, case
        shutil.rmtree(tmp_path / f"cut-{n}")


def test_a_damaged_file_says_where_for_each_part(log: BreakLog) -> None:
    path = month_file(log)
    path.parent.mkdir(parents=True)
    path.write_text('format = "supple-breaks"\nversion = 1\n\n'
                    '[[break]]\nat = 2026-11-20T09:00:00+01:00\naction = "nap"\nid = "a"\n\n'
                    '[[break]]\nat = 2026-11-20T10:00:00+01:00\naction = "taken"\nid = "b"\n\n'
                    '[[break]]\nat = 2026-11-20T11:00:00\naction = "taken"\nid = "c"\n\n'
                    '[[break]]\nat = 2026-11-20T12:00:00+01:00\naction = "skipped"\n', "utf-8")
    events, problems = log.load()
    assert [e.id for e in events] == ["b"]
    assert [(p.line, p.col) for p in problems] == [(6, 1), (15, 1), (19, 1)]
    assert "'action' must be one of taken, snoozed, skipped, got 'nap'" in problems[0].message
    assert "UTC offset" in problems[1].message
    assert "missing 'id'" in problems[2].message
    assert log.record(ev(datetime(2026, 11, 21, 9, 0, tzinfo=CET))) == month_file(log, "2026-11.1.toml")


def test_a_file_from_a_newer_supple_is_not_read_nor_written(log: BreakLog) -> None:
    path = month_file(log)
    path.parent.mkdir(parents=True)
    text = 'format = "supple-breaks"\nversion = 2\n\n[[break]]\nat = 2026-11-20T09:00:00+01:00\nid = "x"\n'
    path.write_text(text, "utf-8")
    events, problems = log.load()
    assert events == [] and len(problems) == 1
    assert problems[0].line == 2 and "newer supple (break log version 2" in problems[0].message
    assert "see these breaks" in problems[0].message
    log.record(ev(datetime(2026, 11, 21, 9, 0, tzinfo=CET)))
    assert path.read_text("utf-8") == text


def test_history_readers_never_see_break_files(log: BreakLog) -> None:
    log.record(ev(datetime(2026, 11, 20, 9, 0, tzinfo=CET)))
    loaded = HistoryStore(log.data_dir, "laptop", log.cache_dir).load()
    assert loaded.sessions == [] and loaded.problems == []


# -- faults ---------------------------------------------------------------------

def _under(root: Path, fd: int) -> bool:
    try:
        return os.readlink(f"/proc/self/fd/{fd}").startswith(str(root) + os.sep)
    except OSError:
        return True


@pytest.mark.parametrize("point", ["write", "short-write", "fsync", "link", "mkdir"])
@pytest.mark.parametrize("situation", ["append", "new month", "first save"])
def test_a_failing_disk_changes_nothing_and_says_why(tmp_path: Path, monkeypatch, point, situation) -> None:
    data = tmp_path / "data"
    log = BreakLog(data, "laptop", tmp_path / "cache")
    if situation != "first save":
        log.record(ev(datetime(2026, 11, 1, 9, 0, tzinfo=CET)))
        log.record(ev(datetime(2026, 11, 2, 9, 0, tzinfo=CET), "skipped"))
    event = ev(datetime(2026, 12 if situation == "new month" else 11, 5, 9, 0, tzinfo=CET), "snoozed")
    before = snapshot(data)
    real_write, real_fsync, real_link, real_mkdir = os.write, os.fsync, os.link, os.mkdir
    hits = []

    def full(*_):
        hits.append(point)
        return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with monkeypatch.context() as mp:
        if point in ("write", "short-write"):
            def write(fd, b):
                if _under(data, fd):
                    if point == "short-write" and not hits and len(b) > 1:
                        hits.append("half")
                        return real_write(fd, bytes(b)[: len(b) // 2])
                    raise full()
                return real_write(fd, b)
            mp.setattr(os, "write", write)
        elif point == "fsync":
            mp.setattr(os, "fsync", lambda fd: (_ for _ in ()).throw(full()) if _under(data, fd) else real_fsync(fd))
        elif point == "link":
            mp.setattr(os, "link", lambda s, d, *a, **k: (_ for _ in ()).throw(full())
                       if str(d).startswith(str(data)) else real_link(s, d, *a, **k))
        else:
            mp.setattr(os, "mkdir", lambda p, *a, **k: (_ for _ in ()).throw(full())
                       if str(p).startswith(str(data)) and not os.path.lexists(p) else real_mkdir(p, *a, **k))
        try:
            log.record(event)
            error = None
        except SaveError as err:
            error = str(err)
    if not hits:
        assert error is None  # the fault was never reached (no folder or file to make)
        assert (point, situation) in {("link", "append"), ("mkdir", "append"), ("mkdir", "new month")}
        return
    assert error is not None
    assert re.fullmatch(r"could not save to breaks/laptop(/2026-1[12]\.toml)?: no space left on device; "
                        r"nothing already saved was changed", error), error
    assert snapshot(data) == before
    # the disk has room again: the same event saves, nothing else changed
    log.record(event)
    events, problems = log.load()
    assert problems == [] and event.id in {e.id for e in events}
    assert len(events) == (1 if situation == "first save" else 3)


def test_an_unwritable_data_folder_is_a_save_error(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "breaks").write_text("not a folder")
    log = BreakLog(tmp_path / "data", "laptop", tmp_path / "cache")
    with pytest.raises(SaveError, match=r"^could not save to breaks/laptop: .*; nothing already saved was changed$"):
        log.record(ev(datetime(2026, 11, 20, 9, 0, tzinfo=CET)))
    events, problems = log.load()
    assert events == [] and len(problems) == 1 and "breaks must be a folder" in problems[0].message


def test_an_invalid_event_is_a_save_error(log: BreakLog) -> None:
    with pytest.raises(SaveError, match="the break is not valid"):
        log.record(ev(datetime(2026, 11, 20, 9, 0, tzinfo=CET), "nap"))
    with pytest.raises(SaveError, match="the break is not valid"):
        log.record(ev(datetime(2026, 11, 20, 9, 0, tzinfo=CET), id=""))
    assert not (log.data_dir / "breaks").exists()


def test_two_processes_recording_at_once_lose_nothing(tmp_path: Path) -> None:
    code = (
        "import sys\nfrom datetime import datetime, timezone\n"
        "from supple.core.model import BreakEvent\nfrom supple.store.breaklog import BreakLog\nfrom supple.store.history import new_session_id\n"
        "log = BreakLog(sys.argv[1], 'laptop', sys.argv[2])\n"
        "for i in range(25):\n"
        "    log.record(BreakEvent(datetime(2026, 11, 20, 9, i, tzinfo=timezone.utc), 'taken', new_session_id()))\n"
    )
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(Path(__file__).parents[2] / "src"),
                                                       os.environ.get("PYTHONPATH", "")]))
    procs = [subprocess.Popen([sys.executable, "-c", code, str(tmp_path / "data"), str(tmp_path / "cache")],
                              env=env) for _ in range(3)]
    assert [p.wait(timeout=60) for p in procs] == [0, 0, 0]
    events, problems = BreakLog(tmp_path / "data", "laptop", None).load()
    assert problems == [] and len(events) == 75
    assert [p.name for p in (tmp_path / "data" / "breaks" / "laptop").iterdir()] == ["2026-11.toml"]


# -- several devices --------------------------------------------------------------

def test_devices_and_conflict_copies_merge_by_id(tmp_path: Path) -> None:
    data = tmp_path / "data"
    laptop = BreakLog(data, "laptop", tmp_path / "cache-a")
    desktop = BreakLog(data, "desktop", tmp_path / "cache-b")
    a1 = ev(datetime(2026, 11, 20, 9, 0, tzinfo=CET), "taken")
    a2 = ev(datetime(2026, 11, 20, 11, 0, tzinfo=CET), "snoozed")
    b1 = ev(datetime(2026, 11, 20, 10, 0, tzinfo=BRT), "skipped")
    laptop.record(a1)
    laptop.record(a2)
    desktop.record(b1)
    folder = data / "breaks" / "laptop"
    # a sync tool's conflict copy (both events again) and its temporary files
    shutil.copy(folder / "2026-11.toml", folder / "2026-11.sync-conflict-20261120-120000-ABCDEFG.toml")
    (folder / ".syncthing.2026-11.toml.tmp").write_text("garbage [[")
    (folder / "~syncthing~2026-11.toml.tmp").write_text("garbage [[")
    (data / "breaks" / ".stversions").mkdir()
    (data / "breaks" / ".stversions" / "2026-11.toml").write_text("garbage [[")

    for log in (laptop, desktop):
        events, problems = log.load()
        assert problems == []
        assert [e.id for e in events] == [a1.id, a2.id, b1.id]  # sorted by the moment
        assert [e.device for e in events] == ["laptop", "laptop", "desktop"]
    assert per_day(events) == {date(2026, 11, 20): {"taken": 1, "snoozed": 1, "skipped": 1}}


def test_per_day_counts_by_the_recorded_local_date() -> None:
    events = [
        ev(datetime(2026, 11, 20, 23, 30, tzinfo=BRT), "taken"),  # 21 November in UTC
        ev(datetime(2026, 11, 21, 0, 30, tzinfo=IST), "snoozed"),  # 20 November in UTC
        ev(datetime(2026, 11, 21, 0, 40, tzinfo=IST), "snoozed"),
        ev(datetime(2026, 11, 23, 8, 0, tzinfo=CET), "skipped"),
    ]
    days = per_day(events)
    assert list(days) == [date(2026, 11, 20), date(2026, 11, 21), date(2026, 11, 23)]
    assert days[date(2026, 11, 20)] == {"taken": 1, "snoozed": 0, "skipped": 0}
    assert days[date(2026, 11, 21)] == {"taken": 0, "snoozed": 2, "skipped": 0}
    assert days[date(2026, 11, 23)] == {"taken": 0, "snoozed": 0, "skipped": 1}
    assert per_day([]) == {}


# -- supple history ------------------------------------------------------------------

def _args(dirs, *args: str) -> list[str]:
    return [*args, "--data-dir", str(dirs.data), "--config-dir", str(dirs.config), "--cache-dir", str(dirs.cache)]


def _seed(dirs) -> tuple[list[BreakEvent], date]:
    dirs.config_file.write_text('device = "laptop"\n', "utf-8")
    now = datetime.now().astimezone().replace(microsecond=0)
    today = now.date()
    noon = datetime.combine(today, datetime.min.time()).astimezone() + timedelta(hours=12)
    log = BreakLog(dirs.data, "laptop", dirs.cache)
    events = [ev(noon, "taken"),
              ev(noon - timedelta(days=2), "taken"), ev(noon - timedelta(days=2, hours=1), "snoozed"),
              ev(noon - timedelta(days=6), "skipped"),
              ev(noon - timedelta(days=7), "taken")]  # a week ago: not in the last 7 days
    for e in events:
        log.record(e)
    other = BreakLog(dirs.data, "desktop", None)
    other.record(events[1])  # the same break, synced twice: counted once
    return events, today


def test_history_json_counts_breaks_per_day(dirs, capsys) -> None:
    events, today = _seed(dirs)
    assert main(_args(dirs, "history", "--json")) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"sessions", "streak", "days", "problems", "retracted", "breaks"}
    days = [e.at.date().isoformat() for e in events]
    assert list(data["breaks"]) == sorted(set(days))
    assert data["breaks"][today.isoformat()] == {"taken": 1, "snoozed": 0, "skipped": 0}
    assert data["breaks"][days[1]] == {"taken": 1, "snoozed": 1, "skipped": 0}
    assert data["problems"] == [] and data["sessions"] == []

    damaged = dirs.data / "breaks" / "laptop" / "2020-01.toml"
    damaged.write_text('format = "supple-breaks"\nversion = 1\n\n[[break]]\nat = 2020-01-01T09:00:00Z\n'
                       'action = "taken"\nid = "x\n', "utf-8")
    assert main(_args(dirs, "history", "--json")) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["problems"] == [f"{os.path.join('breaks', 'laptop', '2020-01.toml')}:7:8: damaged break "
                                "record, skipped: a line ends inside a quoted text (a closing quote is missing)"]
    assert "2020-01-01" not in data["breaks"]


def test_history_csv_breaks_has_one_row_per_event(dirs, capsys) -> None:
    events, _ = _seed(dirs)
    assert main(_args(dirs, "history", "--csv", "--breaks")) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "id,at,action,device"
    want = sorted(events, key=lambda e: e.at)
    assert lines[1:] == [f"{e.id},{e.at.isoformat()},{e.action},laptop" for e in want]
    # without --breaks the CSV is still the sessions
    assert main(_args(dirs, "history", "--csv")) == 0
    assert capsys.readouterr().out.startswith("id,routine,routine_name,")
    assert main(_args(dirs, "history", "--breaks")) == 2
    assert "--breaks goes with --csv" in capsys.readouterr().err


def test_history_text_has_a_breaks_line(dirs, capsys) -> None:
    _seed(dirs)
    assert main(_args(dirs, "history")) == 0
    lines = capsys.readouterr().out.splitlines()
    i = next(n for n, line in enumerate(lines) if line.startswith("Sessions  "))
    assert lines[i + 1] == ("Breaks    today 1 taken, 0 snoozed, 0 skipped · "
                            "last 7 days 2 taken, 1 snoozed, 1 skipped")


def test_history_text_without_breaks(dirs, capsys) -> None:
    assert main(_args(dirs, "history")) == 0
    assert "Breaks    today 0 taken, 0 snoozed, 0 skipped · last 7 days 0 taken, 0 snoozed, 0 skipped" \
        in capsys.readouterr().out.splitlines()


@pytest.mark.parametrize("command", [["history"], ["history", "--csv", "--breaks"], ["history", "--json"]])
def test_history_with_breaks_does_not_import_textual(dirs, command) -> None:
    _seed(dirs)
    code = (
        "import sys\nfrom supple.cli import main\n"
        f"rc = main({_args(dirs, *command)!r})\n"
        "loaded = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print('TEXTUAL', rc, loaded, file=sys.stderr)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert "TEXTUAL 0 []" in out.stderr, out.stderr[-500:]
