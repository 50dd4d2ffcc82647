"""Corrections (`[[retract]]` / `[[restore]]`): a session taken out of every count and brought
back, without a byte of what was saved changing, the same on every device in any sync order."""

from __future__ import annotations

import os
import random
import shutil
import signal
import tempfile
import time
from contextlib import closing
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from faults import CET, make, rich, snapshot
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_faults import CONFLICT_NAMES, _fork, _read_all, sync

from supple.core.model import Correction
from supple.store import cache as history_cache
from supple.store.cache import HistoryCache, cache_file
from supple.store.history import HistoryStore
from supple.store.sessions import HEADER, correction_text, record_text

UTC = timezone.utc
AT = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@pytest.fixture
def trusting(monkeypatch):
    """Files count as settled at once: the cache's quick paths are the ones tried."""
    monkeypatch.setattr(history_cache, "SETTLE_NS", -(10**18))


def counted(store: HistoryStore) -> tuple[set[str], int]:
    """The ids `load()` counts and how many completed sessions `counts()` counts; both must agree."""
    loaded = store.load()
    assert loaded.problems == [], loaded.problems
    done = sum(n for _, _, n in store.counts().done)
    assert done == sum(s.completed for s in loaded.sessions)
    return {s.id for s in loaded.sessions}, done


def cold(store: HistoryStore) -> set[str]:
    """What a reader with no cache counts."""
    return {s.id for s in HistoryStore(store.data_dir, store.device, None).load().sessions}


def test_retract_restore_retract_across_two_devices_and_a_conflict_copy(tmp_path: Path, trusting) -> None:
    laptop = HistoryStore(tmp_path / "l", "laptop", tmp_path / "c1")
    desktop = HistoryStore(tmp_path / "d", "desktop", tmp_path / "c2")
    kept = [make(datetime(2026, 11, d, 7, 0, tzinfo=CET)) for d in (1, 2)]
    wrong = make(datetime(2026, 11, 3, 7, 0, tzinfo=CET))
    for s in kept + [wrong]:
        laptop.save(s)
    sync(laptop, desktop)
    everything = {s.id for s in kept} | {wrong.id}
    assert counted(desktop) == (everything, 3)

    steps = [(desktop, "retract", AT), (laptop, "restore", AT + timedelta(hours=1)),
             (desktop, "retract", AT + timedelta(hours=2))]
    for n, (who, what, at) in enumerate(steps):
        (who.retract(wrong.id, why="a test run", at=at) if what == "retract" else who.restore(wrong.id, at=at))
        sync(laptop, desktop)
        sync(desktop, laptop)
        if n == 1:  # the sync tool kept the desktop's file twice: a conflict copy of the same records
            mine = desktop.device_dir
            for name in os.listdir(mine):
                shutil.copy(mine / name, mine / CONFLICT_NAMES[0].replace("2026-11", name[:7]))
        want = everything - {wrong.id} if what == "retract" else everything
        for store in (laptop, desktop):
            assert counted(store) == (want, len(want)), f"step {n} ({what}) on {store.device}"
            assert cold(store) == want
        retracted = laptop.load().retracted
        assert [(c.session, c.why) for c in retracted] == ([(wrong.id, "a test run")] if what == "retract" else [])


def test_a_retraction_that_arrives_before_its_session(tmp_path: Path, trusting) -> None:
    store = HistoryStore(tmp_path / "data", "laptop", tmp_path / "cache")
    session = make(datetime(2026, 11, 20, 7, 0, tzinfo=CET))
    now = datetime.now(UTC).replace(microsecond=0)
    # the sync tool brings the desktop's corrections first (a file of their own month), then the session
    folder = store.history_dir / "desktop"
    folder.mkdir(parents=True)
    (folder / "2026-12.toml").write_text(HEADER + "\n" + correction_text(Correction(session.id, now, False)))
    loaded = store.load()
    assert loaded.sessions == [] and loaded.problems == []  # not a day old yet: it may still be syncing in
    (folder / "2026-11.toml").write_text(HEADER + "\n" + record_text(session))
    assert counted(store) == (set(), 0)
    assert [c.session for c in store.load().retracted] == [session.id]


def test_a_retraction_whose_file_goes_away_no_longer_counts(tmp_path: Path, trusting) -> None:
    store = HistoryStore(tmp_path / "data", "laptop", tmp_path / "cache")
    session = make(datetime(2026, 11, 20, 7, 0, tzinfo=CET))
    store.save(session)
    copy = store.history_dir / "desktop" / CONFLICT_NAMES[1]
    copy.parent.mkdir(parents=True)
    copy.write_text(HEADER + "\n" + correction_text(Correction(session.id, datetime.now(UTC), False)))
    assert counted(store) == (set(), 0)
    copy.unlink()  # the person tidied the conflict copy away
    assert counted(store) == ({session.id}, 1)


def test_a_retraction_of_an_unknown_session_is_a_problem_once_a_day_old(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "data", "laptop", tmp_path / "cache")
    store.save(make(datetime(2026, 11, 20, 7, 0, tzinfo=CET)))
    path = store.retract("3f9c0d7e2b8a4c51a6d2e0f4b7c91a08", at=AT)
    line = path.read_text().splitlines().index("[[retract]]") + 1
    at_us = (AT - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1)
    with closing(HistoryCache(store.history_dir, "laptop", cache_file(store.cache_dir, store.history_dir))) as cache:
        assert cache.refresh(now_us=at_us + 23 * 3600 * 10**6) == []
        problems = cache.refresh(now_us=at_us + 25 * 3600 * 10**6)
    assert [p.format(store.data_dir) for p in problems] == [
        f"history/laptop/{path.name}:{line}:1: retraction of session 3f9c0d7e2b8a4c51a6d2e0f4b7c91a08, "
        "which no history file holds: it counts nowhere"]


def test_a_correction_leaves_every_earlier_byte_alone(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "data", "laptop", tmp_path / "cache")
    sessions = [rich(datetime.now(CET) - timedelta(minutes=m)) for m in (30, 20, 10)]
    for s in sessions:
        store.save(s)
    for n, s in enumerate(sessions + sessions[:1]):
        before = snapshot(store.data_dir)
        path = store.retract(s.id, why="two\nlines \"quoted\"") if n % 2 == 0 else store.restore(s.id)
        after = snapshot(store.data_dir)
        assert set(after) == set(before) and path.relative_to(store.data_dir).as_posix() in after
        for rel, old in before.items():
            assert after[rel] == old or after[rel].startswith(old), f"correction {n}: {rel} was rewritten"
        assert path.read_text(encoding="utf-8").count("[[session]]") == 3


def test_a_later_undo_wins_even_over_a_clock_running_ahead(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "data", "laptop", tmp_path / "cache")
    s = make(datetime.now(CET) - timedelta(hours=1))
    store.save(s)
    store.retract(s.id, at=datetime.now(UTC) + timedelta(days=2))  # another device's clock, two days ahead
    store.restore(s.id)  # made now: placed after the retraction it undoes
    assert counted(store) == ({s.id}, 1)


BROKEN = (  # a broken record after a good retraction and a session; where the problem is (within it), what it says
    ('[[retract]]\nat = 2026-11-20 12:00:00Z\nsession = 5\n', 3, 1, "'session' must be text in quotes"),
    ('[[retract]]\nat = 2026-11-20 12:00:00\nsession = "x"\n', 2, 1, "'at' must be a date-time with a UTC offset"),
    ('[[restore]]\nwhy = "no at"\nsession = "x"\n', 1, 1, "restore record is missing 'at'"),
    ('[[retract]]\nat = 2026-11-20 12:00:00Z\nsession = "x', 3, 13, "damaged retract record, skipped"),
    ('retract = 5\n', 1, 1, "'retract' must be [[retract]] tables"),
)


@pytest.mark.parametrize("broken,line,col,message", BROKEN)
def test_a_broken_correction_is_one_problem_at_its_line_and_the_rest_counts(
        tmp_path: Path, broken: str, line: int, col: int, message: str) -> None:
    store = HistoryStore(tmp_path / "data", "laptop", tmp_path / "cache")
    a, b = (make(datetime(2026, 11, d, 7, 0, tzinfo=CET)) for d in (1, 2))
    good = correction_text(Correction(b.id, AT, False))
    store.device_dir.mkdir(parents=True)
    name = f"{datetime.now().astimezone():%Y-%m}.toml"  # where a correction made now goes
    head = HEADER + "\n" + record_text(a) + "\n" + good + "\n" + record_text(b) + "\n"
    if broken.startswith("retract ="):
        head = HEADER.replace("version = 1\n", "version = 1\n" + broken) + "\n" + record_text(a) + "\n" + \
            record_text(b)  # a plain key belongs before the first table
        broken, line = "", 3
    (store.device_dir / name).write_text(head + broken)
    loaded = store.load()
    assert {s.id for s in loaded.sessions} == ({a.id} if good in head else {a.id, b.id})
    assert len(loaded.problems) == 1
    p = loaded.problems[0]
    at = head.count("\n") * bool(broken) + line
    assert p.format(store.data_dir).startswith(f"history/laptop/{name}:{at}:{col}: {message}"), p
    # a file a reader reports is never written again: the next correction goes to the next file
    assert store.retract(a.id).name == name.replace(".toml", ".1.toml")
    assert {s.id for s in store.load().sessions} == ({b.id} if good not in head else set())


def test_a_torn_correction_hides_no_session(tmp_path: Path) -> None:
    """A crash mid-append of a correction, cut at every byte: the session before it stays counted."""
    seed = HistoryStore(tmp_path / "seed", "laptop", None)
    s = make(datetime.now(CET) - timedelta(hours=1))
    path = seed.save(s)
    good = path.read_bytes()
    seed.retract(s.id, why="logged twice")
    tail = path.read_bytes()[len(good):]
    for k in range(len(tail) + 1):
        root = tmp_path / f"cut-{k}"
        store = HistoryStore(root / "data", "laptop", root / "cache")
        store.device_dir.mkdir(parents=True)
        (store.device_dir / path.name).write_bytes(good + tail[:k])
        loaded = store.load()
        whole = tail[:k].strip() == tail.strip()
        assert [x.id for x in loaded.sessions] == ([] if whole else [s.id]), f"cut after {k} bytes"
        assert len(loaded.problems) == (0 if whole or not tail[:k].strip() else 1), f"cut after {k}: {loaded.problems}"
        for p in loaded.problems:
            assert p.line > good.count(b"\n"), f"cut after {k}: {p}"


# -- kill -9 ------------------------------------------------------------------------

def _corrector(data: Path, cache: Path, ids: list[str], out_fd: int, seed: int) -> None:
    """Retract or restore one of `ids` at random, forever; say each one written."""
    rng = random.Random(seed)
    store = HistoryStore(data, "laptop", cache)
    while True:
        sid = rng.choice(ids)
        restore = rng.random() < 0.5
        store.correct(sid, restore)
        os.write(out_fd, f"{sid} {int(restore)}\n".encode())


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_kill_9_during_a_correction_leaves_the_old_or_the_new_state(tmp_path: Path) -> None:
    rng = random.Random(16)
    store = HistoryStore(tmp_path / "data", "laptop", tmp_path / "cache")
    sessions = [make(datetime.now(CET) - timedelta(hours=h)) for h in (1, 2, 3)]
    for s in sessions:
        store.save(s)
    ids = [s.id for s in sessions]
    state = {sid: True for sid in ids}  # counted
    for kill in range(40):
        r, w = os.pipe()
        pid = _fork(lambda: (os.close(r), _corrector(store.data_dir, store.cache_dir, ids, w, rng.randrange(1 << 30))))
        os.close(w)
        time.sleep(rng.uniform(0.0, 0.02))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        written = [line.split() for line in _read_all(r).decode().splitlines()]
        loaded = store.load()
        assert loaded.problems == [], f"kill {kill}: {loaded.problems}"
        now = {s.id for s in loaded.sessions}
        for sid, restore in written:
            state[sid] = restore == "1"
        # the one being written when killed may be in either state; every other as last reported
        unsure = {sid for sid in ids if (sid in now) != state[sid]}
        assert len(unsure) <= 1, f"kill {kill}: {unsure}"
        for sid in unsure:
            state[sid] = sid in now
        assert {sid for sid, on in state.items() if on} == now == cold(store)


# -- in any order ---------------------------------------------------------------------

def test_a_correction_costs_the_next_load_one_record(tmp_path: Path, trusting, monkeypatch) -> None:
    store = HistoryStore(tmp_path / "data", "laptop", tmp_path / "cache")
    sessions = [make(datetime.now(CET) - timedelta(minutes=m)) for m in range(20, 0, -1)]
    for s in sessions:
        store.save(s)
    store.retract(sessions[0].id)
    store.load()
    seen: list[int] = []
    real = history_cache.parse_log
    monkeypatch.setattr(history_cache, "parse_log", lambda p, raw, fmt, hint="": seen.append(
        raw.count(b"[[session]]") + raw.count(b"[[retract]]") + raw.count(b"[[restore]]")) or real(p, raw, fmt, hint))
    store.restore(sessions[0].id)
    store.save(make(datetime.now(CET)))
    assert len(store.load().sessions) == 21
    assert seen == [2]  # what was appended, not the month's 23 records


DEVICES = ("laptop", "desktop")
STEP = st.tuples(st.sampled_from(("log", "retract", "restore")), st.integers(0, 1), st.integers(0, 5),
                 st.integers(0, 3), st.integers(0, 1))  # what, which device, which session, when (hours), month


def _oracle(logged: set[str], corrections: list[Correction]) -> set[str]:
    """The sessions that count: per id the latest correction wins, a restore on a tie."""
    last: dict[str, tuple] = {}
    for c in corrections:
        last[c.session] = max(last.get(c.session, (c.at, c.restore)), (c.at, c.restore))
    return {sid for sid in logged if sid not in last or last[sid][1]}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(STEP, min_size=1, max_size=14), st.randoms(use_true_random=False))
def test_any_logs_and_corrections_count_the_same_in_any_file_order(steps, rng) -> None:
    ids = [f"{n:02d}c0ffee{n:024d}" for n in range(6)]
    files: dict[tuple[str, int], list[str]] = {}
    logged: set[str] = set()
    corrections: list[Correction] = []
    for what, device, n, hours, month in steps:
        at = AT + timedelta(hours=hours)
        if what == "log":
            # one session, whichever file holds it (which copy wins is the merge's business, not ours)
            text = record_text(make(datetime(2026, 10, 1 + n, 7, 0, tzinfo=CET), id=ids[n]))
            logged.add(ids[n])
        else:
            c = Correction(ids[n], at, what == "restore", "why" if n % 2 else None)
            text = correction_text(c)
            corrections.append(c)
        files.setdefault((DEVICES[device], month), []).append(text)
    sessions_named = {c.session for c in corrections}
    want = _oracle(logged, corrections)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        for (device, month), records in files.items():
            folder = data / "history" / device
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"2026-{10 + month}.toml").write_text(HEADER + "".join("\n" + r for r in records))
        real = history_cache.list_log_files
        for k, own in enumerate(("laptop", "desktop", "laptop")):
            def shuffled(*a, **kw):
                got, problems = real(*a, **kw)
                rng.shuffle(got)
                return got, problems
            history_cache.list_log_files = shuffled
            try:
                store = HistoryStore(data, own, Path(tmp) / f"cache-{k}")
                loaded = store.load()
                counts = store.counts()
            finally:
                history_cache.list_log_files = real
            unknown = sessions_named - logged
            assert len(loaded.problems) == sum(c.session in unknown and not c.restore for c in corrections)
            assert {s.id for s in loaded.sessions} == want
            assert {c.session for c in loaded.retracted} == logged - want
            results.append(counts[:3])
    assert results[0] == results[1] == results[2]
    assert sum(n for _, _, n in results[0][0]) == len(want)
