"""Nothing saved is ever lost: torn writes, kill -9, two supples at once, failing
disks and sync tools, each tried many times over.

Each test prints what it tried (see it with `pytest -s`).
"""

from __future__ import annotations

import errno
import os
import random
import re
import shutil
import signal
import time
import traceback
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from faults import CANONICAL, CET, IST, Faults, ids_in_files, make, make_read_only, rich, snapshot

from supple.core.model import Session
from supple.store.append import SaveError
from supple.store.history import HistoryStore
from supple.store.sessions import HEADER, record_text

# -- 1. torn writes -------------------------------------------------------------

def _tear_at_every_offset(tmp_path: Path, name: str, good: bytes, tail: bytes, torn_id: str,
                          earlier: list[str], clean_without_tail) -> tuple[int, int]:
    """Write `good` + every prefix of `tail` as the month file; check a reader and the next save."""
    reported = 0
    base_lines = good.count(b"\n")
    for k in range(len(tail) + 1):
        root = tmp_path / f"{name}-{k}"
        store = HistoryStore(root / "data", "laptop", root / "cache")
        folder = store.device_dir
        folder.mkdir(parents=True)
        path = folder / "2026-11.toml"
        content = good + tail[:k]
        path.write_bytes(content)
        cut = tail[:k]
        complete = cut.strip() == tail.strip()
        damaged = not complete and not clean_without_tail(cut)
        where = f"{name}: torn after {k} of {len(tail)} bytes"

        loaded = store.load()
        ids = [s.id for s in loaded.sessions]
        assert set(earlier) <= set(ids), f"{where}: an earlier session was lost"
        assert (torn_id in ids) == complete, f"{where}: the torn session was read as whole"
        if damaged:
            reported += 1
            assert len(loaded.problems) == 1, f"{where}: {loaded.problems}"
            p = loaded.problems[0]
            assert p.path == path, where
            assert base_lines + 1 <= p.line <= content.count(b"\n") + 1, f"{where}: line {p.line}"
            assert f"history/laptop/2026-11.toml:{p.line}:{p.col}: " in p.format(store.data_dir)
        else:
            assert loaded.problems == [], f"{where}: {loaded.problems}"

        new = make(datetime(2026, 11, 28, 9, 0, tzinfo=CET))
        saved_to = store.save(new)
        if damaged:
            assert saved_to == folder / "2026-11.1.toml", where
            assert path.read_bytes() == content, f"{where}: the damaged file was written to"
        else:
            assert saved_to == path, where
            assert path.read_bytes().startswith(content), where
        again = store.load()
        assert set(earlier) | {new.id} <= {s.id for s in again.sessions}, where
        assert len(again.problems) == (1 if damaged else 0), where
    return len(tail) + 1, reported


def test_torn_append_at_every_byte_offset(tmp_path: Path) -> None:
    """A crash mid-append leaves the record cut at any byte: 1 problem, nothing else lost."""
    store = HistoryStore(tmp_path / "seed", "laptop", None)
    earlier = [rich(datetime(2026, 11, d, 8, 0, tzinfo=IST)) for d in (1, 2, 3)]
    for s in earlier:
        store.save(s)
    path = store.device_dir / "2026-11.toml"
    good = path.read_bytes()
    torn = rich(datetime(2026, 11, 4, 8, 0, tzinfo=IST))
    store.save(torn)
    tail = path.read_bytes()[len(good):]
    offsets, reported = _tear_at_every_offset(
        tmp_path, "append", good, tail, torn.id, [s.id for s in earlier],
        clean_without_tail=lambda cut: not cut.strip())
    print(f"\ntorn appends: {offsets} byte offsets tried, {reported} torn records reported, 0 sessions lost")


def test_torn_new_file_at_every_byte_offset(tmp_path: Path) -> None:
    """On a file system without hard links a new month's file is written in place: cut anywhere."""
    store = HistoryStore(tmp_path / "seed", "laptop", None)
    first = rich(datetime(2026, 11, 1, 8, 0, tzinfo=CET))
    full = store.save(first).read_bytes()
    header = HEADER.encode().rstrip()
    offsets, reported = _tear_at_every_offset(
        tmp_path, "new", b"", full, first.id, [],
        clean_without_tail=lambda cut: cut.startswith(header) and not cut[len(header):].strip())
    print(f"\ntorn new files: {offsets} byte offsets tried, {reported} torn files reported, 0 sessions lost")


# -- 2. kill -9 ---------------------------------------------------------------------

KILLS = 200
KILLS_PER_FOLDER = 25


def _saver(data: Path, cache: Path, out_fd: int, seed: int) -> None:
    """Save sessions over three years of months, forever; say each one saved."""
    rng = random.Random(seed)
    store = HistoryStore(data, "laptop", cache)
    while True:
        m = rng.randrange(36)
        start = datetime(2025 + m // 12, m % 12 + 1, rng.randint(1, 28), rng.randint(0, 23), tzinfo=CET)
        s = rich(start) if rng.random() < 0.5 else make(start)
        store.save(s)
        os.write(out_fd, s.id.encode() + b"\n")


def _fork(target, *args) -> int:
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 0
        try:
            target(*args)
        except BaseException:
            traceback.print_exc()
            code = 1
        finally:
            os._exit(code)
    return pid


def _read_all(fd: int) -> bytes:
    parts = []
    while chunk := os.read(fd, 65536):
        parts.append(chunk)
    os.close(fd)
    return b"".join(parts)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_kill_9_at_random_moments_loses_nothing_reported(tmp_path: Path) -> None:
    rng = random.Random(9)
    reported_total = temporaries = 0
    store = None
    reported: set[str] = set()
    for kill in range(KILLS):
        if kill % KILLS_PER_FOLDER == 0:
            root = tmp_path / f"f{kill // KILLS_PER_FOLDER}"
            store = HistoryStore(root / "data", "laptop", root / "cache")
            reported = set()
        r, w = os.pipe()
        pid = _fork(lambda: (os.close(r), _saver(store.data_dir, store.cache_dir, w, rng.randrange(1 << 30))))
        os.close(w)
        time.sleep(rng.uniform(0.0, 0.025))  # a real process, killed at a random real moment
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, "the saver stopped by itself"
        new = _read_all(r).decode().split()
        reported.update(new)
        reported_total += len(new)

        counted = ids_in_files(store.history_dir)  # every file parses
        assert all(n == 1 for n in counted.values()), "a session written twice"
        loaded = store.load()
        assert loaded.problems == [], f"kill {kill}: {loaded.problems}"
        missing = reported - {s.id for s in loaded.sessions}
        assert not missing, f"kill {kill}: {len(missing)} reported sessions lost"
        names = os.listdir(store.device_dir) if store.device_dir.exists() else []
        temporaries += sum(1 for n in names if n.startswith(".") and n.endswith(".tmp"))
        assert all(CANONICAL.match(n) or (n.startswith(".") and n.endswith(".tmp")) for n in names), names

        if kill % KILLS_PER_FOLDER == KILLS_PER_FOLDER - 1:
            # the next save tidies what a killed one left behind
            store.save(make())
            assert all(CANONICAL.match(n) for n in os.listdir(store.device_dir))
    print(f"\nkill -9: {KILLS} kills at random moments, {reported_total} saves reported, "
          f"{temporaries} half-made temporary files seen (never read, tidied), 0 sessions lost")


# -- 3. two supples at once -----------------------------------------------------------

SAVERS = 2
SAVES_EACH = 500


def _save_n(data: Path, cache: Path, tag: str, go_fd: int, go_w: int) -> None:
    os.close(go_w)
    os.read(go_fd, 1)  # wait for the start: everyone saves at once
    store = HistoryStore(data, "laptop", cache)
    for i in range(SAVES_EACH):
        start = datetime(2026, 1 + i % 6, 1 + i % 28, 7, 0, tzinfo=CET) + timedelta(seconds=i)
        store.save(make(start, id=f"{tag}-{i:04d}"))


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_two_supples_saving_at_once(tmp_path: Path) -> None:
    data, cache = tmp_path / "data", tmp_path / "cache"
    go_r, go_w = os.pipe()
    tags = [chr(ord("a") + n) for n in range(SAVERS)]
    pids = [_fork(_save_n, data, cache, tag, go_r, go_w) for tag in tags]
    os.close(go_r)
    os.close(go_w)  # go
    for pid in pids:
        _, status = os.waitpid(pid, 0)
        assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
    want = {f"{t}-{i:04d}" for t in tags for i in range(SAVES_EACH)}
    counted = ids_in_files(data / "history")
    assert set(counted) == want
    assert max(counted.values()) == 1, "a session is there twice"
    store = HistoryStore(data, "laptop", cache)
    loaded = store.load()
    assert {s.id for s in loaded.sessions} == want and loaded.problems == []
    assert sorted(os.listdir(store.device_dir)) == [f"2026-0{m}.toml" for m in range(1, 7)]
    print(f"\nconcurrency: {SAVERS} processes x {SAVES_EACH} saves into the same files, "
          f"every session there exactly once, 0 lost")


# -- 4. disk full, I/O error, read-only, permission denied ---------------------------

ERRNOS = (errno.ENOSPC, errno.EIO, errno.EROFS, errno.EACCES, errno.EPERM, errno.EDQUOT)


def _scenarios(tmp_path: Path) -> dict[str, tuple[Path, Session]]:
    """Template data folders and the session each one then saves."""
    out = {}
    seeded = tmp_path / "t-seeded"
    s = HistoryStore(seeded, "laptop", None)
    for d in (1, 2):
        s.save(rich(datetime(2026, 11, d, 8, 0, tzinfo=CET)))
    s.save(make(datetime(2026, 10, 3, 8, 0, tzinfo=CET)))
    out["append"] = (seeded, make(datetime(2026, 11, 5, 8, 0, tzinfo=CET)))
    out["new month"] = (seeded, make(datetime(2026, 12, 5, 8, 0, tzinfo=CET)))
    out["first save"] = (tmp_path / "t-empty", make(datetime(2026, 11, 5, 8, 0, tzinfo=CET)))
    out["no hard links"] = (seeded, make(datetime(2026, 12, 5, 8, 0, tzinfo=CET)))
    return out


def test_failing_disk_changes_nothing_and_says_why(tmp_path: Path, monkeypatch) -> None:
    injected = tried = 0
    for scenario, (template, session) in _scenarios(tmp_path).items():
        for point in Faults.POINTS:
            for err in ERRNOS:
                case = f"{scenario} / {point} / {errno.errorcode[err]}"
                tried += 1
                root = tmp_path / f"case-{tried}"
                data = root / "data"
                if template.exists():
                    shutil.copytree(template, data)
                store = HistoryStore(data, "laptop", root / "cache")
                before = snapshot(data)
                with monkeypatch.context() as mp:
                    if scenario == "no hard links":
                        mp.setattr(os, "link", lambda *a, **k: (_ for _ in ()).throw(
                            OSError(errno.EPERM, os.strerror(errno.EPERM))))
                    faults = Faults(mp, data)
                    faults.inject(point, err)
                    try:
                        store.save(session)
                        error = None
                    except SaveError as e:
                        error = str(e)
                    hit = faults.hits
                if not hit:
                    assert error is None, case  # the fault was never reached: a normal save
                    continue
                injected += 1
                if error is None:
                    # only a file system without hard links is worked around: the file is made in place
                    assert point == "link" and err == errno.EPERM, f"{case}: saved despite the fault"
                    assert session.id in {s.id for s in store.load().sessions}, case
                    continue
                cause = os.strerror(err)
                assert re.fullmatch(
                    rf"could not save to history/laptop(/\d{{4}}-\d{{2}}(\.\d+)?\.toml)?: "
                    rf"{re.escape(cause[0].lower() + cause[1:])}; nothing already saved was changed", error), \
                    f"{case}: {error!r}"
                assert snapshot(data) == before, f"{case}: the data folder changed"
                # the fault gone, the same session saves and everything is there
                store.save(session)
                loaded = store.load()
                assert loaded.problems == [], case
                assert session.id in {s.id for s in loaded.sessions}, case
                old = HistoryStore(template, "laptop", None).load().sessions if template.exists() else []
                assert {s.id for s in old} | {session.id} == {s.id for s in loaded.sessions}, case
    assert injected >= 100
    print(f"\nfailing disk: {injected} faults injected (open, write, short write, fsync, link, mkdir x "
          f"{len(ERRNOS)} errors x 4 situations), data folder unchanged every time, 0 sessions lost")


def _cli(dirs, *args: str) -> list[str]:
    return [*args, "--data-dir", str(dirs.data), "--config-dir", str(dirs.config),
            "--cache-dir", str(dirs.cache)]


def test_supple_log_says_why_it_could_not_save(dirs, monkeypatch, capsys) -> None:
    from supple.cli import main

    (dirs.config / "config.toml").write_text('device = "laptop"\n')
    assert main(_cli(dirs, "log", "neck", "--minutes", "5")) == 0
    capsys.readouterr()
    tried = 0
    for point in ("open", "write", "short-write", "fsync", "link"):
        for err in (errno.ENOSPC, errno.EIO, errno.EROFS, errno.EACCES):
            if point == "link":  # a new file: the first save in a fresh device folder
                shutil.rmtree(dirs.data / "history")
            before = snapshot(dirs.data)
            with monkeypatch.context() as mp:
                faults = Faults(mp, dirs.data)
                faults.inject(point, err)
                rc = main(_cli(dirs, "log", "neck", "--minutes", "5"))
                assert faults.hits, point
            out, errs = capsys.readouterr()
            cause = os.strerror(err)
            case = f"supple log / {point} / {errno.errorcode[err]}"
            assert rc == 1, case
            assert out == "", case
            assert errs.count("\n") == 1 and errs.startswith("supple log: could not save to history/laptop"), errs
            assert f"{cause[0].lower()}{cause[1:]}; nothing already saved was changed" in errs, (case, errs)
            assert snapshot(dirs.data) == before, case
            tried += 1
            assert main(_cli(dirs, "log", "neck", "--minutes", "5")) == 0  # and then it works
            capsys.readouterr()
    print(f"\nsupple log: {tried} faults injected, a one-line reason and exit 1 every time")


def test_supple_log_into_a_read_only_data_folder(dirs, monkeypatch, capsys) -> None:
    from supple.cli import main

    (dirs.config / "config.toml").write_text('device = "laptop"\n')
    assert main(_cli(dirs, "log", "neck", "--minutes", "5")) == 0
    capsys.readouterr()
    how, undo = make_read_only(dirs.data, monkeypatch)
    try:
        before = snapshot(dirs.data)
        rc = main(_cli(dirs, "log", "neck", "--minutes", "5"))
        out, errs = capsys.readouterr()
        assert rc == 1 and out == ""
        assert re.fullmatch(r"supple log: could not save to history/laptop/\S+: "
                            r"(read-only file system|permission denied); nothing already saved was changed\n", errs), errs
        assert snapshot(dirs.data) == before
        # reading still works
        assert main(_cli(dirs, "history", "--json")) == 0
        assert '"neck"' in capsys.readouterr().out
    finally:
        undo()
    print(f"\nsupple log into a read-only data folder ({how}): exit 1, one clear line, nothing changed")


# -- 7. sync tools ---------------------------------------------------------------------

CONFLICT_NAMES = (
    "2026-11.sync-conflict-20261120-123456-ABCDEFG.toml",  # Syncthing
    "2026-11 (Anna's conflicted copy 2026-11-20).toml",      # Dropbox
    "2026-11 (conflicted copy 2026-11-20 123456).toml",      # Nextcloud, ownCloud
    "2026-11-Anna-PC.toml",                                   # OneDrive
    "2026-11 (1).toml",                                       # Google Drive
    "2026-11 2.toml",                                         # iCloud
)
TEMPORARY_NAMES = (
    ".syncthing.2026-11.toml.tmp", "~syncthing~2026-11.toml.tmp",   # Syncthing
    ".~2026-11.toml", ".dropbox", "2026-11.toml.partial",            # Dropbox and others
    ".2026-11.toml.~1a2b3c", "2026-11.toml.part",                    # Nextcloud, ownCloud
    "2026-11.toml.!sync", ".2026-11.toml.AbC123",                    # Resilio, rsync
    ".unison.2026-11.toml.0123.unison.tmp", "~$2026-11.toml",        # Unison, Office-style locks
    ".2026-11.toml.1234.0badc0de.tmp",                               # supple's own, half made
)
TEMPORARY_FOLDERS = (".stversions", ".stfolder", ".dropbox.cache", ".sync", ".Trash-1000")


def sync(src: HistoryStore, dst: HistoryStore) -> None:
    """What a file-sync tool does: a device's changed files copied across, whole."""
    shutil.copytree(src.device_dir, dst.history_dir / src.device, dirs_exist_ok=True)


def test_two_devices_conflict_copies_and_temporary_files(tmp_path: Path) -> None:
    laptop = HistoryStore(tmp_path / "laptop-data", "laptop", tmp_path / "c1")
    desktop = HistoryStore(tmp_path / "desktop-data", "desktop", tmp_path / "c2")
    everything: dict[str, Session] = {}
    for day in range(1, 11):
        for store, hour in ((laptop, 7), (desktop, 19)):
            s = rich(datetime(2026, 11, day, hour, 0, tzinfo=CET)) if day % 3 == 0 else \
                make(datetime(2026, 11, day, hour, 0, tzinfo=CET))
            store.save(s)
            everything[s.id] = s
        if day % 4 == 0:  # the sync tool runs now and then, both ways
            sync(laptop, desktop)
            sync(desktop, laptop)
    sync(laptop, desktop)
    sync(desktop, laptop)
    for store in (laptop, desktop):
        loaded = store.load()
        assert loaded.problems == []
        assert sorted(s.id for s in loaded.sessions) == sorted(everything)
    assert laptop.load().sessions == desktop.load().sessions

    # conflict copies of the laptop's file: an older state, one session with a later pain check-in
    own = laptop.device_dir / "2026-11.toml"
    records = own.read_text("utf-8").split("\n[[session]]\n")
    older = "\n[[session]]\n".join(records[:4]) + "\n"
    updated_id = next(iter(everything))
    checkin = everything[updated_id]._replace(pain_after=1, device="laptop")
    copies = {}
    for i, name in enumerate(CONFLICT_NAMES):
        path = laptop.device_dir / name
        extra = record_text(checkin) if i % 2 else ""
        path.write_text(older + ("\n" + extra if extra else ""), "utf-8")
        copies[path] = path.read_bytes()
    junk = b"[[session]]\nid = \"half a rec"  # a half-synced file
    for name in TEMPORARY_NAMES:
        (laptop.device_dir / name).write_bytes(junk)
        (laptop.history_dir / "desktop" / name).write_bytes(junk)
    for folder in TEMPORARY_FOLDERS:
        (laptop.history_dir / folder / "laptop").mkdir(parents=True)
        (laptop.history_dir / folder / "laptop" / "2026-11.toml").write_bytes(junk)

    loaded = laptop.load()
    assert loaded.problems == [], loaded.problems
    assert sorted(s.id for s in loaded.sessions) == sorted(everything)  # each once
    # this device's own file wins over its conflict copies
    assert next(s for s in loaded.sessions if s.id == updated_id).pain_after == everything[updated_id].pain_after

    # new sessions of that month go to the canonical file, never to a copy or a temporary file
    for day in (21, 22, 23):
        s = make(datetime(2026, 11, day, 7, 0, tzinfo=CET))
        assert laptop.save(s) == own
        everything[s.id] = s
    for path, raw in copies.items():
        assert path.read_bytes() == raw, f"{path.name} was written to"
    for name in TEMPORARY_NAMES:
        if name != ".2026-11.toml.1234.0badc0de.tmp" or (laptop.device_dir / name).exists():
            assert (laptop.device_dir / name).read_bytes() == junk, name
    final = laptop.load()
    assert sorted(s.id for s in final.sessions) == sorted(everything) and final.problems == []
    print(f"\nsync: 2 devices combined, {len(CONFLICT_NAMES)} conflict copies merged and never written to, "
          f"{len(TEMPORARY_NAMES)} kinds of temporary file and {len(TEMPORARY_FOLDERS)} tool folders skipped, "
          f"{len(everything)} sessions each counted once")
