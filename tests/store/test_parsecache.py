"""The cache of parsed routine, theme and config files: never stale, never in the way."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from supple.context import load_context
from supple.core.plan import minutes
from supple.store.parsecache import SETTLE_SECONDS, ParseCache
from supple.store.paths import Dirs

ROUTINE = '''name = "{name}"
region = "neck"

[[stretch]]
name = "Tilt"
how = "Tilt your head."
hold = {hold}
'''


def age(path: Path, seconds: float = 60) -> None:
    """Give a file a modification time of its own, a while ago."""
    then = time.time() - seconds
    os.utime(path, (then, then))


def later() -> float:
    """A clock by which every file here has settled (the cache keeps only settled files)."""
    return time.time() + 60


@pytest.fixture
def settled(monkeypatch):
    """load_context makes its own cache: let it keep files written a moment ago."""
    import supple.store.parsecache

    monkeypatch.setattr(supple.store.parsecache, "SETTLE_SECONDS", -1.0)


@pytest.fixture
def dirs(tmp_path) -> Dirs:
    d = Dirs(tmp_path / "data", tmp_path / "config", tmp_path / "cache")
    d.user_routines.mkdir(parents=True)
    return d


def write_routine(dirs: Dirs, rid: str, name: str, hold: int = 20) -> Path:
    path = dirs.user_routines / f"{rid}.toml"
    path.write_text(ROUTINE.format(name=name, hold=hold))
    return path


class Counting:
    def __init__(self) -> None:
        self.calls: list[Path] = []

    def __call__(self, path: Path) -> str:
        self.calls.append(path)
        return path.read_text()


def test_an_unchanged_file_is_not_parsed_again(tmp_path):
    f = tmp_path / "a.toml"
    f.write_text("one")
    age(f)
    parse = Counting()
    first = ParseCache(tmp_path / "c.pickle", clock=later)
    assert first.get(f, parse) == "one"
    first.save()
    second = ParseCache(tmp_path / "c.pickle", clock=later)
    assert second.get(f, parse) == "one"
    assert parse.calls == [f]


def test_a_changed_file_is_parsed_again_even_with_the_same_size_and_time(tmp_path):
    f = tmp_path / "a.toml"
    f.write_text("one")
    age(f)
    stamp = f.stat()
    cache = ParseCache(tmp_path / "c.pickle", clock=later)
    cache.get(f, Counting())
    cache.save()
    f.write_text("two")  # same size
    os.utime(f, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))  # same modification time
    parse = Counting()
    assert ParseCache(tmp_path / "c.pickle", clock=later).get(f, parse) == "two"  # the change time gave it away
    assert parse.calls == [f]


def test_a_file_written_just_now_is_used_but_not_kept(tmp_path):
    f = tmp_path / "a.toml"
    f.write_text("one")
    now = f.stat().st_mtime
    cache = ParseCache(tmp_path / "c.pickle", clock=lambda: now + SETTLE_SECONDS / 2)
    assert cache.get(f, Counting()) == "one"
    cache.save()
    parse = Counting()
    later = ParseCache(tmp_path / "c.pickle", clock=lambda: now + SETTLE_SECONDS * 2)
    later.get(f, parse)
    assert parse.calls == [f]


@pytest.mark.parametrize("damage", [b"", b"not a pickle", b"\x80\x05garbage"])
def test_a_damaged_cache_is_ignored_and_replaced(tmp_path, damage):
    f = tmp_path / "a.toml"
    f.write_text("one")
    age(f)
    (tmp_path / "c.pickle").write_bytes(damage)
    cache = ParseCache(tmp_path / "c.pickle", clock=later)
    assert cache.get(f, Counting()) == "one"
    cache.save()
    parse = Counting()
    assert ParseCache(tmp_path / "c.pickle", clock=later).get(f, parse) == "one"
    assert parse.calls == []


def test_a_cache_that_cannot_be_written_costs_only_time(tmp_path):
    f = tmp_path / "a.toml"
    f.write_text("one")
    age(f)
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    cache = ParseCache(blocked / "c.pickle", clock=later)
    assert cache.get(f, Counting()) == "one"
    cache.save()  # no exception
    assert blocked.read_text() == "x"


def test_edits_to_a_routine_show_on_the_next_start(dirs, settled):
    path = write_routine(dirs, "mine", "My neck", hold=20)
    age(path)
    ctx = load_context(dirs)
    assert ctx.routines.routines["mine"].stretches[0].hold == 20
    assert (dirs.cache / "routines.pickle").exists()

    path.write_text(ROUTINE.format(name="My neck", hold=45))
    age(path, 30)
    assert load_context(dirs).routines.routines["mine"].stretches[0].hold == 45

    path.write_text(ROUTINE.format(name="My neck", hold=0))
    age(path, 20)
    ctx = load_context(dirs)
    assert "mine" not in ctx.routines.routines
    assert [(p.line, "'hold' must be from 1 to 600" in p.message) for p in ctx.problems] == [(7, True)]

    path.unlink()
    ctx = load_context(dirs)
    assert "mine" not in ctx.routines.routines and ctx.problems == []


def test_a_cached_start_gives_the_same_routines_and_lengths(dirs, settled):
    for i in range(3):
        age(write_routine(dirs, f"r{i}", f"Routine {i}", hold=10 + i))
    fresh = load_context(dirs)
    cached = load_context(dirs)
    assert cached.routines.routines == fresh.routines.routines
    assert [minutes(r) for r in cached.routines.routines.values()] == \
        [minutes(r) for r in fresh.routines.routines.values()]


def test_a_cache_made_by_other_code_is_not_used(tmp_path, monkeypatch):
    """An edited or reinstalled supple parses every file afresh."""
    import supple.store.parsecache as parsecache

    f = tmp_path / "a.toml"
    f.write_text("one")
    age(f)
    cache = ParseCache(tmp_path / "c.pickle", clock=later)
    cache.get(f, Counting())
    cache.save()
    monkeypatch.setattr(parsecache, "code_stamp", lambda *extra: "another supple")
    parse = Counting()
    assert ParseCache(tmp_path / "c.pickle", clock=later).get(f, parse) == "one"
    assert parse.calls == [f]
