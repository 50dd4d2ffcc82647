"""The session log: what a user would notice if saving or reading went wrong."""

from __future__ import annotations

import errno
import multiprocessing
import os
import subprocess
import sys
import tomllib
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from supple.core.model import Problem, Session
from supple.store import append
from supple.store.append import SaveError, device_folder_name
from supple.store.history import HistoryStore, new_session_id
from supple.store.logs import read_log_file
from supple.store.sessions import HEADER, SESSIONS, record_text

IST = timezone(timedelta(hours=5, minutes=30))
BRT = timezone(timedelta(hours=-3))
CET = timezone(timedelta(hours=1))


def make(started: datetime | None = None, **kw) -> Session:
    started = started or datetime(2026, 11, 20, 7, 31, 2, tzinfo=CET)
    base = dict(
        id=new_session_id(),
        routine="neck",
        routine_name="Neck release",
        region="neck",
        started=started,
        ended=started + timedelta(minutes=8, seconds=38),
        active_seconds=412.0,
        completed=True,
        stretches_done=6,
        stretches_total=6,
    )
    base.update(kw)
    return Session(**base)


@pytest.fixture
def store(tmp_path: Path) -> HistoryStore:
    return HistoryStore(tmp_path / "data", "laptop", tmp_path / "cache")


def read_history_file(path: Path, device_hint: str = "") -> tuple[list[Session], list[Problem]]:
    return read_log_file(path, SESSIONS, device_hint)


def month_file(store: HistoryStore, name: str = "2026-11.toml") -> Path:
    return store.history_dir / store.device / name


def all_files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


# -- saving and reading back ------------------------------------------------

def test_session_ids_are_random_uuids_as_the_format_says() -> None:
    import uuid

    ids = [new_session_id() for _ in range(2000)]
    assert len(set(ids)) == len(ids)
    for i in ids:
        u = uuid.UUID(hex=i)
        assert (u.hex, u.version, u.variant) == (i, 4, uuid.RFC_4122)


def test_round_trip_keeps_every_field(store: HistoryStore) -> None:
    sessions = [
        make(datetime(2026, 11, 20, 7, 31, 2, 123456, tzinfo=IST),
             routine_name="Nacken — Entspannung ✓ 首", region="nacken-ü",
             note='she said "ouch"\nthen C:\\path\ttab', pain_before=7, pain_after=2),
        make(datetime(2026, 11, 21, 22, 5, tzinfo=BRT), completed=False, stretches_done=2,
             stopped="quit at stretch 3", active_seconds=95.5, source="manual"),
        make(datetime(2026, 11, 22, 6, 0, tzinfo=timezone.utc), pain_before=0),
    ]
    for s in sessions:
        assert store.save(s) == month_file(store)
    loaded = store.load()
    assert loaded.problems == []
    assert loaded.sessions == [s._replace(device="laptop") for s in sessions]
    for got, want in zip(loaded.sessions, sessions):
        # the recorded offset is kept, not converted to UTC or to the reader's zone
        assert got.started.isoformat() == want.started.isoformat()
        assert got.ended.isoformat() == want.ended.isoformat()
    assert loaded.sessions[0].note == 'she said "ouch"\nthen C:\\path\ttab'


def test_note_cannot_forge_a_record(store: HistoryStore) -> None:
    note = 'line one\n[[session]]\nid = "forged"\n'
    store.save(make(note=note))
    text = month_file(store).read_text("utf-8")
    assert text.count("[[session]]\n") == 1  # the note stays on one line
    loaded = store.load()
    assert [s.note for s in loaded.sessions] == [note]
    assert loaded.problems == []


def test_file_is_the_month_of_the_local_start(store: HistoryStore) -> None:
    # 23:30 on Nov 30 in New York is already December in UTC
    s = make(datetime(2026, 11, 30, 23, 30, tzinfo=timezone(timedelta(hours=-5))))
    assert store.save(s) == month_file(store, "2026-11.toml")
    s2 = make(datetime(2026, 12, 1, 0, 30, tzinfo=timezone(timedelta(hours=14))))
    assert store.save(s2) == month_file(store, "2026-12.toml")


def test_file_starts_with_the_header(store: HistoryStore) -> None:
    store.save(make())
    data = tomllib.loads(month_file(store).read_text("utf-8"))
    assert data["format"] == "supple-history"
    assert data["version"] == 1
    assert len(data["session"]) == 1


def test_second_save_appends_and_leaves_the_first_bytes_alone(store: HistoryStore) -> None:
    store.save(make())
    first = month_file(store).read_bytes()
    store.save(make(datetime(2026, 11, 25, 19, 0, tzinfo=CET)))
    after = month_file(store).read_bytes()
    assert after.startswith(first) and len(after) > len(first)
    assert all_files(store.history_dir) == ["laptop", "laptop/2026-11.toml"]  # no lock, no temp
    assert len(store.load().sessions) == 2


def test_lock_lives_in_the_cache_folder(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "data", "laptop", tmp_path / "cache")
    store.save(make())
    assert (tmp_path / "cache" / "locks" / "laptop.lock").exists()


def test_saving_without_a_cache_folder_puts_nothing_extra_in_history(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "data", "laptop", None)
    store.save(make())
    store.save(make())
    assert all_files(tmp_path / "data") == ["history", "history/laptop", "history/laptop/2026-11.toml"]


def test_unwritable_cache_folder_still_saves(tmp_path: Path) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder should be")
    store = HistoryStore(tmp_path / "data", "laptop", blocker)
    store.save(make())
    assert len(store.load().sessions) == 1


def test_saving_again_with_the_same_id_updates_the_session(store: HistoryStore) -> None:
    s = make()
    store.save(s)  # saved the moment it ends
    store.save(s._replace(pain_after=1, note="much better"))  # after "how do you feel"
    loaded = store.load()
    assert len(loaded.sessions) == 1
    assert loaded.sessions[0].pain_after == 1
    assert loaded.sessions[0].note == "much better"


def test_append_to_a_file_without_final_newline(store: HistoryStore) -> None:
    store.save(make())
    path = month_file(store)
    path.write_bytes(path.read_bytes().rstrip(b"\n"))
    store.save(make())
    assert store.load().problems == []
    assert len(store.load().sessions) == 2
    assert path.exists() and not month_file(store, "2026-11.1.toml").exists()


def test_device_name_becomes_the_folder(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "data", "Anna's MacBook Pro", None)
    path = store.save(make())
    assert path.parent.name == "anna-s-macbook-pro"
    assert store.load().sessions[0].device == "anna-s-macbook-pro"


@pytest.mark.parametrize(
    "name, folder",
    [
        ("laptop", "laptop"),
        ("My Laptop", "my-laptop"),
        ("work.pc_2-b", "work.pc_2-b"),
        ("a/b\\c:d", "a-b-c-d"),
        ("", "device"),
        ("..", "--"),
        (".hidden", "-hidden"),
    ],
)
def test_device_folder_name(name: str, folder: str) -> None:
    assert device_folder_name(name) == folder


def test_to_json_has_the_contract_keys() -> None:
    s = make(datetime(2026, 11, 20, 7, 31, 2, tzinfo=CET), id="abc", device="laptop")
    assert s.to_json() == {
        "id": "abc", "routine": "neck", "routine_name": "Neck release", "region": "neck",
        "started": "2026-11-20T07:31:02+01:00", "ended": "2026-11-20T07:39:40+01:00",
        "active_seconds": 412.0, "completed": True, "stretches_done": 6, "stretches_total": 6,
        "source": "player", "device": "laptop",
    }
    assert make(pain_before=3, note="x").to_json()["pain_before"] == 3
    assert "pain_after" not in make(pain_before=3).to_json()


def test_problem_format_is_relative_to_the_data_folder(tmp_path: Path) -> None:
    p = Problem(tmp_path / "history" / "laptop" / "2026-10.toml", 14, 9, "bad")
    assert p.format(tmp_path) == "history/laptop/2026-10.toml:14:9: bad"
    assert p.format(tmp_path / "elsewhere") == f"{p.path}:14:9: bad"


# -- damaged files ----------------------------------------------------------

def three_saved(store: HistoryStore) -> list[Session]:
    sessions = [make(datetime(2026, 11, d, 8, 0, tzinfo=CET)) for d in (1, 2, 3)]
    for s in sessions:
        store.save(s)
    return sessions


def line_of(text: str, needle: str, nth: int = 0) -> int:
    lines = text.split("\n")
    hits = [i + 1 for i, ln in enumerate(lines) if needle in ln]
    return hits[nth]


def test_torn_record_hides_nothing_else_and_is_never_written_again(store: HistoryStore) -> None:
    sessions = three_saved(store)
    path = month_file(store)
    text = path.read_text("utf-8")
    # the last record was cut off in the middle of its routine name
    cut = text.rindex('routine_name = "Neck') + len('routine_name = "Neck')
    path.write_text(text[:cut], "utf-8")
    damaged = path.read_bytes()

    loaded = store.load()
    assert [s.id for s in loaded.sessions] == [s.id for s in sessions[:2]]
    assert len(loaded.problems) == 1
    problem = loaded.problems[0]
    assert problem.path == path
    assert problem.line == line_of(text, "routine_name", 2)

    new = make(datetime(2026, 11, 4, 8, 0, tzinfo=CET))
    assert store.save(new) == month_file(store, "2026-11.1.toml")
    assert path.read_bytes() == damaged
    again = store.load()
    assert [s.id for s in again.sessions] == [s.id for s in sessions[:2]] + [new.id]
    assert len(again.problems) == 1
    # and the next one goes to the same .1 file
    assert store.save(make(datetime(2026, 11, 5, 8, 0, tzinfo=CET))) == month_file(store, "2026-11.1.toml")


def test_nul_tail_after_a_crash(store: HistoryStore) -> None:
    sessions = three_saved(store)
    path = month_file(store)
    with open(path, "ab") as f:
        f.write(b"\0" * 200)
    lines = path.read_bytes().count(b"\n")
    loaded = store.load()
    assert [s.id for s in loaded.sessions] == [s.id for s in sessions]
    assert len(loaded.problems) == 1
    assert loaded.problems[0].line == lines + 1
    assert "NUL" in loaded.problems[0].message
    assert store.save(make()) == month_file(store, "2026-11.1.toml")


def test_wrong_type_is_one_problem_at_the_key(store: HistoryStore) -> None:
    sessions = three_saved(store)
    path = month_file(store)
    text = path.read_text("utf-8")
    lines = text.split("\n")
    n = line_of(text, "completed = true", 1)
    lines[n - 1] = '  completed = "yes"'
    path.write_text("\n".join(lines), "utf-8")
    loaded = store.load()
    assert [s.id for s in loaded.sessions] == [sessions[0].id, sessions[2].id]
    assert [(p.line, p.col) for p in loaded.problems] == [(n, 3)]
    assert "completed" in loaded.problems[0].message
    assert f"history/laptop/2026-11.toml:{n}:3: " in loaded.problems[0].format(store.data_dir)
    # a file with a damaged record is never written again, even though it parses
    before = path.read_bytes()
    assert store.save(make()) == month_file(store, "2026-11.1.toml")
    assert path.read_bytes() == before


def test_out_of_range_and_missing_keys(store: HistoryStore) -> None:
    three_saved(store)
    path = month_file(store)
    text = path.read_text("utf-8")
    lines = text.split("\n")
    n = line_of(text, "stretches_done", 0)
    lines[n - 1] = "stretches_done = 6\npain_after = 12"
    m = line_of(text, "ended", 2)
    lines[m - 1] = "# ended was lost"
    path.write_text("\n".join(lines), "utf-8")
    loaded = store.load()
    assert len(loaded.sessions) == 1
    assert [(p.line, p.col) for p in loaded.problems] == [
        (n + 1, 1),  # pain_after, one line below (a line was inserted)
        (line_of(text, "[[session]]", 2) + 1, 1),  # the [[session]] line of the record missing 'ended'
    ]
    assert "pain_after" in loaded.problems[0].message
    assert "'ended'" in loaded.problems[1].message


def test_two_damaged_records_are_two_problems(store: HistoryStore) -> None:
    three_saved(store)
    path = month_file(store)
    text = path.read_text("utf-8")
    lines = text.split("\n")
    a = line_of(text, "region", 0)
    b = line_of(text, "region", 2)
    lines[a - 1] = 'region = "neck'
    lines[b - 1] = "region = = 3"
    path.write_text("\n".join(lines), "utf-8")
    loaded = store.load()
    assert len(loaded.sessions) == 1
    assert [p.line for p in loaded.problems] == [a, b]


def test_invalid_utf8_is_reported_and_the_rest_is_read(store: HistoryStore) -> None:
    sessions = three_saved(store)
    path = month_file(store)
    raw = path.read_bytes()
    # a flipped byte inside the second record's routine name
    second = raw.index(b'routine_name = "Neck', raw.index(b"[[session]]", raw.index(b"[[session]]") + 1))
    pos = second + len(b'routine_name = "Ne')
    path.write_bytes(raw[:pos] + b"\xff" + raw[pos + 1:])
    line = raw[:pos].count(b"\n") + 1
    loaded = store.load()
    assert len(loaded.problems) == 1
    assert (loaded.problems[0].line, loaded.problems[0].col) == (line, len('routine_name = "Ne') + 1)
    assert "UTF-8" in loaded.problems[0].message
    assert [s.id for s in loaded.sessions] == [s.id for s in sessions]
    assert store.save(make()) == month_file(store, "2026-11.1.toml")


def test_bom_and_crlf_read_fine(store: HistoryStore) -> None:
    s = make()
    text = HEADER + "\n" + record_text(s)
    folder = store.history_dir / "phone"
    folder.mkdir(parents=True)
    (folder / "2026-11.toml").write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    loaded = store.load()
    assert loaded.problems == []
    assert [x.id for x in loaded.sessions] == [s.id]
    assert loaded.sessions[0].device == "phone"  # from the folder name when not written


def test_empty_file_newer_version_and_folder_named_toml(store: HistoryStore) -> None:
    store.save(make())
    folder = store.history_dir / store.device
    (folder / "2026-09.toml").write_bytes(b"")
    newer = make(datetime(2026, 10, 1, 8, 0, tzinfo=CET))
    (folder / "2026-10.toml").write_text(
        'format = "supple-history"\nversion = 2\n\n' + record_text(newer), "utf-8")
    (folder / "2026-08.toml").mkdir()
    loaded = store.load()
    assert len(loaded.sessions) == 1
    by_name = {p.path.name: p for p in loaded.problems}
    assert set(by_name) == {"2026-08.toml", "2026-09.toml", "2026-10.toml"}
    assert "empty" in by_name["2026-09.toml"].message
    assert "newer supple" in by_name["2026-10.toml"].message
    assert (by_name["2026-10.toml"].line, by_name["2026-10.toml"].col) == (2, 1)
    assert "folder" in by_name["2026-08.toml"].message
    # never written to: a session of that month goes to the next free file
    before = (folder / "2026-10.toml").read_bytes()
    assert store.save(make(datetime(2026, 10, 2, 8, 0, tzinfo=CET))) == folder / "2026-10.1.toml"
    assert (folder / "2026-10.toml").read_bytes() == before
    assert store.save(make(datetime(2026, 9, 2, 8, 0, tzinfo=CET))) == folder / "2026-09.1.toml"
    assert store.save(make(datetime(2026, 8, 2, 8, 0, tzinfo=CET))) == folder / "2026-08.1.toml"


def test_missing_header_is_a_problem_but_records_load(store: HistoryStore) -> None:
    s = make()
    folder = store.history_dir / "phone"
    folder.mkdir(parents=True)
    (folder / "2026-11.toml").write_text(record_text(s), "utf-8")
    loaded = store.load()
    assert [x.id for x in loaded.sessions] == [s.id]
    assert [(p.line, p.col) for p in loaded.problems] == [(1, 1)]
    assert "header" in loaded.problems[0].message


def test_unreadable_file_is_a_problem(store: HistoryStore) -> None:
    store.save(make())
    path = month_file(store)
    path.chmod(0)
    try:
        try:
            path.read_bytes()
            pytest.skip("running as root: file permissions are not enforced")
        except PermissionError:
            pass
        loaded = store.load()
        assert loaded.sessions == []
        assert [(p.path, p.line, p.col) for p in loaded.problems] == [(path, 1, 1)]
    finally:
        path.chmod(0o644)


def test_missing_history_folder_is_just_empty(store: HistoryStore) -> None:
    loaded = store.load()
    assert loaded.sessions == [] and loaded.problems == []


# -- several devices, sync tools --------------------------------------------

def write_copy(folder: Path, name: str, sessions: list[Session]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(HEADER + "".join("\n" + record_text(s) for s in sessions), "utf-8")
    return path


def test_a_session_present_twice_counts_once(store: HistoryStore) -> None:
    shared = make(note="mine")
    store.save(shared)
    other = make(datetime(2026, 11, 21, 8, 0, tzinfo=CET), device="desktop")
    write_copy(store.history_dir / "desktop", "2026-11.toml", [shared._replace(note="theirs"), other])
    write_copy(store.history_dir / "laptop", "2026-11.sync-conflict-20261120-123456-ABCDEFG.toml",
               [shared._replace(note="conflict"), other])
    loaded = store.load()
    assert loaded.problems == []
    assert [s.id for s in loaded.sessions] == [shared.id, other.id]
    assert loaded.sessions[0].note == "mine"  # this device's own file wins
    assert loaded.sessions[1].device == "desktop"


def test_another_devices_sessions_are_read(tmp_path: Path) -> None:
    data = tmp_path / "data"
    laptop = HistoryStore(data, "laptop", tmp_path / "c1")
    desktop = HistoryStore(data, "desktop", tmp_path / "c2")
    a = make(datetime(2026, 11, 1, 8, 0, tzinfo=CET))
    b = make(datetime(2026, 11, 1, 19, 0, tzinfo=CET))
    laptop.save(a)
    desktop.save(b)
    assert [(s.id, s.device) for s in laptop.load().sessions] == [(a.id, "laptop"), (b.id, "desktop")]
    assert laptop.load().sessions == desktop.load().sessions


def test_sync_tool_temporary_files_are_skipped(store: HistoryStore) -> None:
    s = make()
    store.save(s)
    folder = store.history_dir / store.device
    junk = b"this is not toml [[["
    for name in (".syncthing.2026-11.toml.tmp", "~syncthing~2026-11.toml.tmp", ".~2026-11.toml",
                 "2026-11.toml.partial", ".hidden.toml", "2026-11.toml.tmp", "notes.txt"):
        (folder / name).write_bytes(junk)
    (store.history_dir / ".stversions").mkdir()
    (store.history_dir / ".stversions" / "2026-11~20261120.toml").write_bytes(junk)
    loaded = store.load()
    assert [x.id for x in loaded.sessions] == [s.id]
    assert loaded.problems == []


def test_read_history_file_is_per_file(store: HistoryStore) -> None:
    s = make()
    path = store.save(s)
    sessions, problems = read_history_file(path, "laptop")
    assert [x.id for x in sessions] == [s.id] and problems == []


# -- failures while saving --------------------------------------------------

def test_disk_full_during_append_changes_nothing(store: HistoryStore, monkeypatch) -> None:
    store.save(make())
    path = month_file(store)
    before = path.read_bytes()
    real_write = os.write
    calls = []

    def half_then_full(fd, data):
        if b"[[session]]" in bytes(data) or calls:
            calls.append(1)
            if len(calls) == 1:
                return real_write(fd, bytes(data)[: len(data) // 2])
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", half_then_full)
    with pytest.raises(SaveError) as err:
        store.save(make())
    monkeypatch.undo()
    msg = str(err.value)
    assert msg == ("could not save to history/laptop/2026-11.toml: no space left on device; "
                   "nothing already saved was changed")
    assert path.read_bytes() == before
    assert all_files(store.history_dir) == ["laptop", "laptop/2026-11.toml"]


def test_fsync_failure_on_append_changes_nothing(store: HistoryStore, monkeypatch) -> None:
    store.save(make())
    path = month_file(store)
    before = path.read_bytes()

    def eio(fd):
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(os, "fsync", eio)
    with pytest.raises(SaveError, match="input/output error"):
        store.save(make())
    monkeypatch.undo()
    assert path.read_bytes() == before


def test_failure_creating_a_new_month_leaves_no_file(store: HistoryStore, monkeypatch) -> None:
    store.save(make())

    def full(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(SaveError, match="2026-12.toml: no space left on device"):
        store.save(make(datetime(2026, 12, 1, 8, 0, tzinfo=CET)))
    monkeypatch.undo()
    assert all_files(store.history_dir) == ["laptop", "laptop/2026-11.toml"]
    # and the failed month saves fine later
    assert store.save(make(datetime(2026, 12, 1, 8, 0, tzinfo=CET))).name == "2026-12.toml"


def test_read_only_file_system(store: HistoryStore, monkeypatch) -> None:
    store.save(make())
    before = month_file(store).read_bytes()
    real_open = os.open

    def rofs(path, flags, *args, **kw):
        if flags & (os.O_WRONLY | os.O_RDWR) and "history" in str(path):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        return real_open(path, flags, *args, **kw)

    monkeypatch.setattr(os, "open", rofs)
    with pytest.raises(SaveError, match="read-only file system"):
        store.save(make())
    monkeypatch.undo()
    assert month_file(store).read_bytes() == before


def test_read_only_folder(store: HistoryStore) -> None:
    store.save(make())
    folder = store.history_dir / store.device
    path = month_file(store)
    path.chmod(0o444)
    folder.chmod(0o555)
    try:
        probe = folder / "probe"
        try:
            probe.write_text("x")
            probe.unlink()
            pytest.skip("running as root: folder permissions are not enforced")
        except PermissionError:
            pass
        before = path.read_bytes()
        with pytest.raises(SaveError, match="permission denied"):
            store.save(make())
        assert path.read_bytes() == before
        assert all_files(store.history_dir) == ["laptop", "laptop/2026-11.toml"]
    finally:
        folder.chmod(0o755)
        path.chmod(0o644)


def test_history_folder_blocked_by_a_file(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "history").write_text("oops")
    store = HistoryStore(tmp_path / "data", "laptop", tmp_path / "cache")
    with pytest.raises(SaveError, match="^could not save to history/laptop"):
        store.save(make())
    loaded = store.load()
    assert loaded.sessions == [] and len(loaded.problems) == 1


# -- two supple processes at once -------------------------------------------

def _save_many(data: str, cache: str | None, tag: str, n: int) -> None:
    store = HistoryStore(Path(data), "laptop", Path(cache) if cache else None)
    for i in range(n):
        store.save(make(datetime(2026, 11, 20, 7, 0, tzinfo=CET) + timedelta(seconds=i),
                        id=f"{tag}-{i:03d}"))


@pytest.mark.parametrize("with_cache", [True, False], ids=["lock-in-cache", "lock-on-folder"])
def test_concurrent_saves_from_two_processes(tmp_path: Path, with_cache: bool) -> None:
    ctx = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    cache = str(tmp_path / "cache") if with_cache else None
    procs = [ctx.Process(target=_save_many, args=(str(tmp_path / "data"), cache, tag, 100))
             for tag in ("a", "b")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    store = HistoryStore(tmp_path / "data", "laptop", None)
    files = all_files(store.history_dir)
    assert files == ["laptop", "laptop/2026-11.toml"]
    data = tomllib.loads(month_file(store).read_text("utf-8"))
    ids = [r["id"] for r in data["session"]]
    assert sorted(ids) == sorted(f"{t}-{i:03d}" for t in "ab" for i in range(100))
    loaded = store.load()
    assert len(loaded.sessions) == 200 and loaded.problems == []


def test_save_waits_for_another_supple_then_gives_up_cleanly(store: HistoryStore, monkeypatch) -> None:
    import fcntl
    import threading

    store.save(make())
    before = month_file(store).read_bytes()
    lock_path = store.cache_dir / "locks" / "laptop.lock"
    fd = os.open(lock_path, os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_EX)  # another supple is saving
    try:
        monkeypatch.setattr(append, "LOCK_TIMEOUT", 0.2)
        with pytest.raises(SaveError, match="another supple"):
            store.save(make())
        assert month_file(store).read_bytes() == before
        monkeypatch.setattr(append, "LOCK_TIMEOUT", 10.0)
        threading.Timer(0.2, lambda: fcntl.flock(fd, fcntl.LOCK_UN)).start()
        store.save(make())  # waits for the other one, then saves
    finally:
        os.close(fd)
    assert len(store.load().sessions) == 2


# -- staying light ----------------------------------------------------------

def test_core_modules_do_not_import_textual() -> None:
    src = Path(__file__).resolve().parents[2] / "src"
    code = (
        "import sys, supple.store.history, supple.store.breaklog, supple.core.stats, supple.context\n"
        "bad = [m for m in ('textual', 'rich') if m in sys.modules]\n"
        "print(bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(src)}, check=True)
    assert out.stdout.strip() == "[]"


def test_syntax_error_and_wrong_type_in_one_file(store: HistoryStore) -> None:
    sessions = [make(datetime(2026, 11, d, 8, 0, tzinfo=CET)) for d in (1, 2, 3, 4)]
    for s in sessions:
        store.save(s)
    path = month_file(store)
    text = path.read_text("utf-8")
    lines = text.split("\n")
    wrong = line_of(text, "stretches_total", 0)
    broken = line_of(text, "active_seconds", 2)
    lines[wrong - 1] = 'stretches_total = "six"'
    lines[broken - 1] = "active_seconds = 41 2.0"
    path.write_text("\n".join(lines), "utf-8")
    loaded = store.load()
    assert [s.id for s in loaded.sessions] == [sessions[1].id, sessions[3].id]
    assert [(p.line, p.col) for p in loaded.problems] == [(wrong, 1), (broken, 21)]


def test_file_system_without_hard_links(store: HistoryStore, monkeypatch) -> None:
    def no_links(src, dst, **kw):
        raise OSError(errno.EPERM, os.strerror(errno.EPERM))

    monkeypatch.setattr(os, "link", no_links)
    s = make()
    assert store.save(s) == month_file(store)
    assert all_files(store.history_dir) == ["laptop", "laptop/2026-11.toml"]
    assert [x.id for x in store.load().sessions] == [s.id]


def test_a_save_reads_the_month_file_only_when_someone_else_changed_it(tmp_path: Path, monkeypatch) -> None:
    store = HistoryStore(tmp_path / "data", "laptop", tmp_path / "cache")
    reads: list[int] = []
    real = append._read_all
    monkeypatch.setattr(append, "_read_all", lambda fd: reads.append(fd) or real(fd))
    start = datetime(2026, 11, 3, 7, 0, tzinfo=timezone.utc)

    def save(n: int) -> Path:
        return store.save(Session(id=f"s{n}", routine="neck", routine_name="Neck", region="neck",
                                  started=start + timedelta(hours=n), ended=start + timedelta(hours=n, minutes=5),
                                  active_seconds=250.0, completed=True, stretches_done=5, stretches_total=5))

    path = save(0)
    for n in range(1, 6):
        assert save(n) == path
    assert reads == []  # this device wrote every byte since it last checked the file
    with open(path, "a", encoding="utf-8") as f:  # a sync tool, or a person, appends a torn record
        f.write('\n[[session]]\nroutine = "ne')
    assert save(6) == path.with_name("2026-11.1.toml")
    assert len(reads) == 1  # the change was noticed, the file read whole and left alone
    assert [s.id for s in store.load().sessions] == [f"s{n}" for n in range(7)]
