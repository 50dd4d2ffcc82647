"""The history cache: what a user would notice if it were wrong, or missing.

Wrong: a session shown that is no longer in the files, or one missing that
is; a problem hidden or invented. Missing: a start that reads every file
again although none changed.
"""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import time
from collections import Counter
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from supple.cli.report import history_text
from supple.core.model import Session
from supple.core.stats import Tally
from supple.store import cache as history_cache
from supple.store.cache import cache_file
from supple.store.history import HistoryStore, new_session_id
from supple.store.sessions import HEADER, record_text

CET = timezone(timedelta(hours=1))
CEST = timezone(timedelta(hours=2))
IST = timezone(timedelta(hours=5, minutes=30))
BRT = timezone(timedelta(hours=-3))



def tally_of(counts) -> Tally:
    return Tally(counts.done, counts.stopped, counts.partial)

def make(started: datetime, **kw) -> Session:
    base = dict(
        id=new_session_id(), routine="neck", routine_name="Neck release", region="neck",
        started=started, ended=started + timedelta(minutes=8, seconds=38), active_seconds=412.0,
        completed=True, stretches_done=6, stretches_total=6, device="laptop",
    )
    base.update(kw)
    return Session(**base)


def write_month(folder: Path, name: str, sessions: list[Session], extra: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(HEADER + "".join("\n" + record_text(s) for s in sessions) + extra, encoding="utf-8")
    return path


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return tmp_path / "cache"


@pytest.fixture
def store(data: Path, cache: Path) -> HistoryStore:
    return HistoryStore(data, "laptop", cache)


@pytest.fixture
def trusting(monkeypatch):
    """Files count as settled at once (the tests write them a moment before loading)."""
    monkeypatch.setattr(history_cache, "SETTLE_NS", -(10**18))


@pytest.fixture
def parses(monkeypatch) -> Counter:
    """How often each history file is parsed."""
    seen: Counter = Counter()
    real = history_cache.parse_log

    def counting(path, raw, fmt, device_hint=""):
        seen[Path(path).name] += 1
        return real(path, raw, fmt, device_hint)

    monkeypatch.setattr(history_cache, "parse_log", counting)
    return seen


def cold(store: HistoryStore):
    """What reading every file gives (a cache in memory, made afresh)."""
    return HistoryStore(store.data_dir, store.device, None).load()


def assert_same(got, want) -> None:
    assert got.problems == want.problems
    assert got.sessions == want.sessions
    for a, b in zip(got.sessions, want.sessions):
        assert a.started.isoformat() == b.started.isoformat()
        assert a.ended.isoformat() == b.ended.isoformat()
        assert type(a.active_seconds) is type(b.active_seconds)
        assert a.to_json() == b.to_json()


def a_history(data: Path) -> None:
    """Two devices, a sync-conflict copy, a session present twice, a damaged record."""
    mine = data / "history" / "laptop"
    other = data / "history" / "phone"
    shared = make(datetime(2026, 10, 3, 7, 0, tzinfo=CEST))
    write_month(mine, "2026-10.toml", [
        shared,
        make(datetime(2026, 10, 3, 21, 15, 5, 250000, tzinfo=CEST), completed=False,
             stretches_done=2, stopped="quit at stretch 3", pain_before=6, pain_after=4),
        make(datetime(2026, 10, 30, 23, 50, tzinfo=IST), region="upper-back", routine="upper-back",
             routine_name="Shoulders — upper back ✓", note='line one\nline "two"'),
    ])
    write_month(mine, "2026-11.toml", [
        make(datetime(2026, 11, 1, 6, 0, tzinfo=timezone.utc), source="manual"),
        make(datetime(2026, 11, 2, 22, 0, tzinfo=BRT), region="hips-legs", device=""),
    ], extra='\n[[session]]\nid = "broken"\nroutine = 7\n')
    write_month(other, "2026-11.toml", [
        shared._replace(active_seconds=300.0, device="phone"),
        make(datetime(2026, 11, 20, 7, 31, 2, tzinfo=CET), device="phone"),
    ])
    write_month(other, "2026-11.sync-conflict-20261121-101010-ABCDEFG.toml", [
        make(datetime(2026, 11, 19, 7, 0, tzinfo=CET), device="phone"),
    ])


# -- the same History as reading every file ------------------------------------------

def test_warm_cache_gives_the_same_history_as_reading_every_file(store, data, cache, trusting, parses):
    a_history(data)
    want = cold(store)
    assert len(want.sessions) == 7 and len(want.problems) == 1
    first = store.load()
    assert cache_file(cache, store.history_dir).is_file()
    parses.clear()
    second = store.load()
    assert not parses  # nothing changed: no file read again
    assert_same(first, want)
    assert_same(second, want)
    assert second == want  # History equality, as before there was a cache


def test_the_figures_come_from_the_cache_without_building_a_session(store, data, trusting, monkeypatch):
    a_history(data)
    want = cold(store)
    store.load()
    built = []
    real = history_cache._session
    monkeypatch.setattr(history_cache, "_session", lambda row: built.append(1) or real(row))
    counts = store.counts()
    assert not built  # `supple history` needs only these
    tally, slow = tally_of(counts), Tally.of(want.sessions)
    today = date(2026, 11, 21)
    assert tally.day_counts() == slow.day_counts()
    assert tally.region_stats(today, ["neck", "posture"]) == slow.region_stats(today, ["neck", "posture"])
    assert (tally.completed, tally.stopped) == (6, 1)
    assert counts.problems == want.problems
    assert store.load().sessions == want.sessions and len(built) == len(want.sessions)


def test_the_device_decides_which_copy_counts_even_with_a_shared_cache(data, cache, trusting):
    a_history(data)
    for device in ("laptop", "phone", "laptop", "desk"):
        store = HistoryStore(data, device, cache)
        assert_same(store.load(), cold(store))


def test_two_data_folders_do_not_share_a_cache_entry(tmp_path, cache, trusting):
    one, two = tmp_path / "one", tmp_path / "two"
    write_month(one / "history" / "laptop", "2026-11.toml", [make(datetime(2026, 11, 1, 7, 0, tzinfo=CET))])
    write_month(two / "history" / "laptop", "2026-11.toml", [make(datetime(2026, 11, 2, 7, 0, tzinfo=CET))])
    for _ in range(2):
        for d in (one, two):
            store = HistoryStore(d, "laptop", cache)
            assert_same(store.load(), cold(store))
    assert len(list(cache.glob("history-*.sqlite3"))) == 2


# -- a change in the files is noticed ----------------------------------------------------

def test_a_file_changed_in_place_with_the_same_size_is_read_again(store, data, trusting, parses):
    a_history(data)
    store.load()
    path = data / "history" / "laptop" / "2026-10.toml"
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    changed = text.replace("active_seconds = 412.0", "active_seconds = 999.0", 1)
    assert len(changed) == len(text) and changed != text
    path.write_text(changed, encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000_000_000))
    parses.clear()
    got = store.load()
    assert parses == Counter({"2026-10.toml": 1})
    assert_same(got, cold(store))
    assert 999.0 in [s.active_seconds for s in got.sessions]


def test_a_change_is_seen_even_when_the_old_mtime_is_put_back(store, data, trusting, parses):
    a_history(data)
    store.load()
    path = data / "history" / "laptop" / "2026-11.toml"
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('source = "manual"', 'source = "MANUAL"'), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # as a sync tool may do
    assert path.stat().st_size == before.st_size and path.stat().st_mtime_ns == before.st_mtime_ns
    parses.clear()
    got = store.load()
    assert parses == Counter({"2026-11.toml": 1})
    assert "MANUAL" in [s.source for s in got.sessions]
    assert_same(got, cold(store))


def test_a_file_replaced_by_a_sync_tool_is_read_again(store, data, trusting, parses):
    a_history(data)
    store.load()
    folder = data / "history" / "phone"
    path = folder / "2026-11.toml"
    before = path.stat()
    text = path.read_text(encoding="utf-8").replace("active_seconds = 300.0", "active_seconds = 301.0")
    tmp = folder / ".syncthing.2026-11.toml.tmp"  # written beside it, then renamed over it
    tmp.write_text(text, encoding="utf-8")
    os.utime(tmp, ns=(before.st_atime_ns, before.st_mtime_ns))  # the mtime of the other device
    os.replace(tmp, path)
    parses.clear()
    got = store.load()
    assert parses == Counter({"2026-11.toml": 1})
    assert_same(got, cold(store))


def test_an_added_file_is_read_and_a_removed_one_forgotten(store, data, trusting, parses):
    a_history(data)
    first = store.load()
    added = write_month(data / "history" / "tablet", "2026-09.toml",
                        [make(datetime(2026, 9, 9, 9, 9, tzinfo=CEST), device="tablet")])
    parses.clear()
    got = store.load()
    assert parses == Counter({"2026-09.toml": 1})
    assert len(got.sessions) == len(first.sessions) + 1
    assert_same(got, cold(store))

    conflict = next((data / "history" / "phone").glob("*sync-conflict*"))
    conflict.unlink()
    added.unlink()
    parses.clear()
    got = store.load()
    assert not parses
    assert len(got.sessions) == len(first.sessions) - 1
    assert_same(got, cold(store))

    shutil.rmtree(data / "history")
    got = store.load()
    assert got.sessions == [] and got.problems == []


def test_a_file_changed_just_before_it_was_cached_is_read_again(store, data, monkeypatch, parses):
    """Two changes in one clock tick leave the same size and times: such a file is not trusted yet."""
    a_history(data)
    path = data / "history" / "laptop" / "2026-10.toml"
    now = time.time_ns()
    real_key = history_cache._key
    # a file system that shows the same key before and after the second change
    monkeypatch.setattr(history_cache, "_key", lambda path: (0, now, now, real_key(path)[3]))
    store.load()
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('routine_name = "Neck release"', 'routine_name = "Neck relief!"', 1),
                    encoding="utf-8")
    parses.clear()
    got = store.load()
    assert parses["2026-10.toml"] == 1
    assert "Neck relief!" in [s.routine_name for s in got.sessions]
    assert_same(got, cold(store))


@pytest.fixture
def reads(monkeypatch) -> Counter:
    """How often each history file's bytes are read."""
    seen: Counter = Counter()
    real = history_cache.read_log_bytes
    monkeypatch.setattr(history_cache, "read_log_bytes",
                        lambda path, fmt: seen.update([Path(path).name]) or real(path, fmt))
    return seen


def test_a_settled_file_read_again_to_be_sure_is_then_trusted(store, data, monkeypatch, parses, reads):
    a_history(data)
    want = cold(store)
    monkeypatch.setattr(history_cache, "SETTLE_NS", 10**18)  # nothing is settled yet
    store.load()
    parses.clear()
    reads.clear()
    assert_same(store.load(), want)
    assert sum(reads.values()) == 4  # every file read again, to be sure
    assert not parses  # the same bytes as before: nothing to parse again
    monkeypatch.setattr(history_cache, "SETTLE_NS", 0)  # now they are
    store.load()  # reads them once more, finds them the same, and trusts them from now on
    reads.clear()
    assert_same(store.load(), want)
    assert not reads and not parses


def test_a_file_changed_while_it_was_racy_is_parsed_again(store, data, monkeypatch, parses):
    a_history(data)
    monkeypatch.setattr(history_cache, "SETTLE_NS", 10**18)
    store.load()
    path = data / "history" / "laptop" / "2026-11.toml"
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('source = "manual"', 'source = "MANUL"'), encoding="utf-8")  # shorter
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    parses.clear()
    got = store.load()
    assert parses == Counter({"2026-11.toml": 1})
    assert "MANUL" in [s.source for s in got.sessions]
    assert_same(got, cold(store))


def test_saving_a_session_then_loading_reads_only_that_months_file(store, data, trusting, parses):
    a_history(data)
    store.save(make(datetime(2026, 9, 30, 7, 0, tzinfo=CEST)))
    store.load()
    parses.clear()
    saved = make(datetime(2026, 10, 31, 20, 0, tzinfo=CET), region="posture")
    assert store.save(saved) == data / "history" / "laptop" / "2026-10.toml"
    got = store.load()
    assert parses == Counter({"2026-10.toml": 1})
    assert saved in got.sessions
    assert_same(got, cold(store))
    parses.clear()
    store.load()
    assert not parses


def test_sessions_saved_since_the_last_load_join_it_reading_only_the_file_saved_to(store, data, trusting, parses):
    """Saving appends: the next start reads that file alone."""
    a_history(data)
    store.load()
    saved = [make(datetime(2026, 11, 21, 7, 0, tzinfo=CET)),
             make(datetime(2026, 10, 31, 20, 0, tzinfo=CET), region="posture", completed=False),
             make(datetime(2026, 12, 1, 7, 0, tzinfo=CET), region="lower-back")]  # a new month's file
    for n, session in enumerate(saved, 1):
        store.save(session)
        want = cold(store)
        parses.clear()
        got = store.load()
        assert sum(parses.values()) == 1  # only the file saved to
        assert_same(got, want)
        assert all(s in got.sessions for s in saved[:n])
        parses.clear()
        assert_same(store.load(), want)
        assert not parses


def test_a_session_saved_again_under_its_id_replaces_the_first_record(store, data, cache, trusting):
    a_history(data)
    first = make(datetime(2026, 11, 21, 7, 0, tzinfo=CET), device="laptop")
    store.save(first)
    store.load()
    store.save(first._replace(pain_after=2))  # "how does it feel now", saved after the session
    got = store.load()
    assert_same(got, cold(store))
    assert [s.pain_after for s in got.sessions if s.id == first.id] == [2]


def test_a_copy_of_a_known_session_appended_elsewhere_counts_once(store, data, cache, trusting):
    a_history(data)
    store.load()
    known = cold(store).sessions[0]
    path = data / "history" / "phone" / "2026-11.toml"
    with open(path, "a", encoding="utf-8") as f:
        f.write("\n" + record_text(known._replace(note="synced twice", device="phone")))
    got = store.load()
    assert_same(got, cold(store))
    assert [s.id for s in got.sessions].count(known.id) == 1


@pytest.mark.parametrize("seed", range(6))
def test_any_mix_of_saves_copies_edits_and_removals_reads_as_the_files_say(tmp_path, trusting, seed):
    """Whatever happens to the files between two starts, the cache gives what reading them gives."""
    rng = random.Random(seed)
    data, cache = tmp_path / "data", tmp_path / "cache"
    a_history(data)
    stores = [HistoryStore(data, "laptop", cache), HistoryStore(data, "phone", cache)]
    known: list[Session] = []
    for step in range(40):
        store = rng.choice(stores)
        folder = data / "history" / rng.choice(["laptop", "phone", "desk"])
        month = f"2026-{rng.randrange(9, 13):02d}"
        action = rng.choice(["save", "save", "save", "again", "copy", "edit", "remove", "damage", "new device"])
        if action == "save" or not known:
            s = make(datetime(2026, rng.randrange(9, 13), rng.randrange(1, 29), rng.randrange(24),
                              tzinfo=rng.choice([CET, CEST, IST, BRT])),
                     completed=rng.random() < 0.8, region=rng.choice(["neck", "posture", "x"]))
            store.save(s)
            known.append(s)
        elif action == "again":
            store.save(rng.choice(known)._replace(pain_after=rng.randrange(11)))
        elif action == "copy":
            name = f"{month}.sync-conflict-2026{rng.randrange(10**6):06d}-X.toml"
            write_month(folder, name, rng.sample(known, min(len(known), 2)))
        elif action == "edit":
            files = sorted((data / "history").rglob("*.toml"))
            f = rng.choice(files)
            text = f.read_text(encoding="utf-8")
            f.write_text(text.replace("completed = true", "completed = false", 1), encoding="utf-8")
        elif action == "remove":
            files = sorted((data / "history").rglob("*.toml"))
            if len(files) > 2:
                rng.choice(files).unlink()
        elif action == "damage":
            files = sorted((data / "history").rglob("*.toml"))
            with open(rng.choice(files), "a", encoding="utf-8") as f:
                f.write('\n[[session]]\nid = "torn')
        else:
            write_month(folder, f"{month}.toml", [make(datetime(2026, 9, 1, 8, tzinfo=CET), device="desk")])
        got = store.load()
        assert_same(got, cold(store)), (step, action)


TAILS = [
    lambda: "\n" + record_text(make(datetime(2026, 11, 20, 9, 0, tzinfo=CET))),
    lambda: "\n# a comment\n\n" + record_text(make(datetime(2026, 11, 20, 9, 0, tzinfo=IST), completed=False)),
    lambda: record_text(make(datetime(2026, 11, 21, 9, 0, tzinfo=BRT))).replace("\n", "\r\n"),
    lambda: 'note = "added to the last record"\n',  # goes on with the record before
    lambda: "[session.extra]\nx = 1\n",
    lambda: "[other]\nx = 1\n",
    lambda: '\n[[session]]\nid = "torn',  # a crash while saving
    lambda: "\n[[session]]\nid = 7\n",  # a record that is wrong
    lambda: "\n" + record_text(make(datetime(2026, 11, 22, 9, 0, tzinfo=CET), note="caf\u00e9")),
    lambda: "\n[[session]]\n\xff\n",  # not UTF-8 (written as bytes below)
    lambda: 'format = "supple-history"\n',
    lambda: "\n" + record_text(make(datetime(2026, 11, 23, 9, 0, tzinfo=CET)))[:-1],  # no line end yet
]


@pytest.mark.parametrize("seed", range(8))
def test_whatever_is_appended_to_a_file_reads_as_the_whole_file_says(store, data, trusting, seed):
    rng = random.Random(seed)
    path = write_month(data / "history" / "laptop", "2026-11.toml",
                       [make(datetime(2026, 11, d, 7, 0, tzinfo=CET)) for d in range(1, 6)])
    store.load()
    for _ in range(6):
        tail = rng.choice(TAILS)()
        with open(path, "ab") as f:
            f.write(tail.encode("utf-8", "surrogateescape").replace(b"\xc3\xbf", b"\xff"))
        assert_same(store.load(), cold(store))


# -- the cache is only a cache ---------------------------------------------------------

def test_a_deleted_cache_is_rebuilt(store, data, cache, trusting, parses):
    a_history(data)
    want = cold(store)
    store.load()
    shutil.rmtree(cache)
    parses.clear()
    assert_same(store.load(), want)
    assert sum(parses.values()) == 4
    assert cache_file(cache, store.history_dir).is_file()
    parses.clear()
    store.load()
    assert not parses


@pytest.mark.parametrize("damage", ["garbage", "empty", "truncated", "zeroed", "a directory"])
def test_a_damaged_cache_is_ignored_and_rebuilt(store, data, cache, trusting, parses, damage):
    a_history(data)
    store.load()
    path = cache_file(cache, store.history_dir)
    raw = path.read_bytes()
    if damage == "garbage":
        path.write_bytes(random.Random(1).randbytes(len(raw)))
    elif damage == "empty":
        path.write_bytes(b"")
    elif damage == "truncated":
        path.write_bytes(raw[: len(raw) * 2 // 3])
    elif damage == "zeroed":  # SQLite's own header intact, every page after it overwritten with zeros
        path.write_bytes(raw[:100] + bytes(len(raw) - 100))
    else:
        path.unlink()
        path.mkdir()
    want = cold(store)
    assert_same(store.load(), want)
    parses.clear()
    assert_same(store.load(), want)
    if damage != "a directory":
        assert not parses  # rebuilt whole, and used from then on


def test_a_cache_made_by_other_code_is_not_used(store, data, trusting, parses, monkeypatch):
    a_history(data)
    want = cold(store)
    store.load()
    monkeypatch.setattr(history_cache, "code_stamp", lambda *extra: "another supple")
    parses.clear()
    assert_same(store.load(), want)
    assert sum(parses.values()) == 4
    parses.clear()
    assert_same(store.load(), want)
    assert not parses


def test_an_unwritable_cache_folder_still_loads(tmp_path, data, trusting, parses):
    a_history(data)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would be")
    store = HistoryStore(data, "laptop", blocker / "cache")
    for _ in range(2):
        assert_same(store.load(), cold(store))
    assert blocker.read_text() == "a file where the cache folder would be"


@pytest.mark.parametrize("fails", ["read-only", "locked"])
def test_a_cache_that_cannot_be_written_still_loads(store, data, cache, trusting, monkeypatch, fails):
    a_history(data)
    store.load()  # a cache file exists
    path = cache_file(cache, store.history_dir)
    real = sqlite3.connect
    blocker = real(path)
    if fails == "locked":  # another supple holds it and never lets go
        blocker.execute("BEGIN EXCLUSIVE")

    def connect(where, **kw):
        if where == ":memory:":
            return real(where, **kw)
        if fails == "locked":
            return real(where, **{**kw, "timeout": 0.05})
        return real(f"file:{where}?mode=ro", uri=True, **kw)

    monkeypatch.setattr(history_cache.sqlite3, "connect", connect)
    write_month(data / "history" / "laptop", "2026-12.toml", [make(datetime(2026, 12, 1, 7, 0, tzinfo=CET))])
    for _ in range(2):
        assert_same(store.load(), cold(store))
    blocker.close()
    name = path.name
    assert all(p.name in (name, name + "-wal", name + "-shm") for p in cache.iterdir())  # nothing else left


def test_a_file_that_is_not_a_regular_file_is_reported_and_the_rest_cached(store, data, trusting, parses):
    a_history(data)
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes here")
    os.mkfifo(data / "history" / "laptop" / "2026-12.toml")
    want = cold(store)
    assert any("not a regular file" in p.message for p in want.problems)
    assert_same(store.load(), want)
    parses.clear()
    assert_same(store.load(), want)
    assert not parses


# -- the figures and the sessions, as the files hold them ----------------------------------

def random_sessions(seed: int, n: int) -> list[Session]:
    rng = random.Random(seed)
    zones = [CET, CEST, IST, BRT, timezone.utc, timezone(timedelta(hours=-9, minutes=-30))]
    out = []
    for _ in range(n):
        start = datetime(2026, 1, 1, tzinfo=timezone.utc) + timedelta(seconds=rng.randrange(400 * 86400),
                                                                     microseconds=rng.choice([0, 1, 999999]))
        completed = rng.random() < 0.8
        out.append(make(start.astimezone(rng.choice(zones)), region=rng.choice(["neck", "hips-legs", "x"]),
                        completed=completed, stretches_done=6 if completed else rng.choice([0, 0, 2, 5]),
                        pain_before=rng.choice([None, 0, 10]), note=rng.choice([None, "", "ü\n\"q\""])))
    out.sort(key=lambda s: (s.started, s.id))
    return out


def saved(store: HistoryStore, sessions: list[Session]) -> None:
    by_month: dict[str, list[Session]] = {}
    for s in sessions:
        by_month.setdefault(f"{s.started:%Y-%m}.toml", []).append(s)
    for name, group in by_month.items():
        write_month(store.history_dir / "laptop", name, group)


@pytest.mark.parametrize("seed", range(5))
def test_the_figures_from_the_cache_are_those_of_the_sessions(store, trusting, seed):
    sessions = random_sessions(seed, 300)
    saved(store, sessions)
    store.load()
    tally = tally_of(store.counts())
    completed = [s for s in sessions if s.completed]
    assert tally.day_counts() == dict(sorted(Counter(s.started.date() for s in completed).items()))
    for today in (date(2025, 12, 1), date(2026, 3, 1), date(2026, 7, 15), date(2027, 6, 1)):
        for regions in ([], ["posture", "neck"], ["x", "x"]):
            got = {r.region: r for r in tally.region_stats(today, regions)}
            assert list(got)[:len(set(regions))] == list(dict.fromkeys(regions))
            for region, r in got.items():
                mine = [s.started.date() for s in completed if s.region == region and s.started.date() <= today]
                some = [s.started.date() for s in sessions if s.region == region and s.started.date() <= today
                        and not s.completed and s.stretches_done > 0]  # partial work
                assert r.last_done == max(mine + some, default=None)
                assert r.partial == (r.last_done is not None and r.last_done not in mine)
                assert r.last_7 == sum((today - d).days < 7 for d in mine)
                assert r.last_30 == sum((today - d).days < 30 for d in mine)
    assert tally.completed == len(completed)
    assert tally.stopped == len(sessions) - len(completed)
    assert tally.partial_days() == {s.started.date() for s in sessions if not s.completed and s.stretches_done}


@pytest.mark.parametrize("seed", range(3))
def test_sessions_come_back_exactly_from_the_cache(store, trusting, seed):
    sessions = random_sessions(seed, 200)
    saved(store, sessions)
    store.load()
    back = store.load().sessions
    assert back == sessions
    for a, b in zip(back, sessions):
        assert a.to_json() == b.to_json()
        assert a.started.utcoffset() == b.started.utcoffset()
        assert hash(a) == hash(b)


def test_history_text_is_the_same_from_the_cache(store, data, trusting):
    a_history(data)
    store.load()
    for today in (date(2026, 11, 3), date(2026, 11, 21)):
        assert (history_text(tally_of(store.counts()), today, 2, 28, ["neck", "posture"])
                == history_text(Tally.of(cold(store).sessions), today, 2, 28, ["neck", "posture"]))


def test_a_save_parses_only_what_it_appended(store, data, cache, trusting, monkeypatch):
    mine = data / "history" / "laptop"
    path = write_month(mine, "2026-11.toml", [make(datetime(2026, 11, d, 7, 0, tzinfo=CET)) for d in range(1, 29)])
    store.load()
    seen: list[int] = []
    real = history_cache.parse_log
    monkeypatch.setattr(history_cache, "parse_log", lambda p, raw, fmt, hint="": seen.append(raw.count(b"[[session]]"))
                        or real(p, raw, fmt, hint))
    store.save(make(datetime(2026, 11, 29, 7, 0, tzinfo=CET)))
    got = store.load()
    assert seen == [1]  # the new record, not the month's 29
    assert_same(got, cold(store))
    assert path.read_text(encoding="utf-8").count("[[session]]") == 29


def test_a_file_that_could_not_be_read_once_is_read_again(store, data, trusting, monkeypatch):
    """A passing read error (a busy network drive, a sync tool holding the file) is no lasting verdict."""
    a_history(data)
    real = history_cache.read_log_bytes

    def failing(path, fmt):
        if path.name == "2026-10.toml":
            return None, [history_cache.Problem(path, 1, 1, "cannot read: input/output error")]
        return real(path, fmt)

    monkeypatch.setattr(history_cache, "read_log_bytes", failing)
    got = store.load()
    assert any("input/output error" in p.message for p in got.problems)
    monkeypatch.setattr(history_cache, "read_log_bytes", real)
    assert_same(store.load(), cold(store))
