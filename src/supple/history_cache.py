"""A throw-away cache of the parsed history, kept in the cache folder.

Reading ten years of history files costs most of a second; this cache
makes a start pay only for the files that changed. It is derived data:
delete it at any time and the next load rebuilds it; a cache that is
damaged, of another format or from another supple, or that cannot be
written, is ignored. It is never trusted over the files:

  - every history file is listed and stat'ed at every load, and an entry
    is used only while the file's (size, mtime_ns, ctime_ns, inode) are
    the ones it was read with: a changed, added, removed or replaced file
    (sync tools write a new file and rename it over the old) is read again;
  - a file whose last change came less than SETTLE_NS before it was read
    is read again at the next load too, because a second change in the
    same clock tick could leave all four the same ("racily clean", as git
    calls it).

One file per history folder, `<cache>/history-<hash of the folder>.cache`,
written to a temporary file and renamed over the old one:

    PREFIX, token (8 bytes), head length (8 bytes), head, merged, rows

`head` is a `marshal`ed tuple (plain values only: reading it runs no
code): the header that must match (format, supple version, row layout,
Python version, history folder), this device, one entry per cached file
(key, when it was read, its problems), the `Tally` of the merged sessions
and the lengths of the two blobs. `merged` holds the merged sessions as
columns of plain values (a datetime as its exact pickle state and its UTC
offset); `rows` holds each file's sessions as rows, for merging again.

A start where nothing changed reads the prefix, the head and `merged`,
decodes only the head, and builds `Session` objects only when
`History.sessions` is first used: `supple history` needs only the tally.
A start after a file changed parses that file alone and merges the plain
rows again, still without building a `Session`.

Pure: no Textual, stdlib only.
"""

from __future__ import annotations

import marshal
import os
import stat
import sys
import time
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import fields
from datetime import date, datetime, timedelta, timezone
from itertools import compress
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from supple import __version__
from supple import history as H

if TYPE_CHECKING:
    from supple.history import History, HistoryStore, Problem, Session
    from supple.stats import RegionStat

__all__ = ["CACHE_FORMAT", "SETTLE_NS", "Tally", "cache_file", "load"]

CACHE_FORMAT = 1  # bump when the layout changes
PREFIX = b"supple history cache\n"
SETTLE_NS = 2_000_000_000  # a file changed less than this before it was read is read again

_FIELDS = tuple(f.name for f in fields(H.Session))
_MOMENTS = ("started", "ended")
# A row: when it started (UTC microseconds) and the id, so that rows sort as
# sessions do; its local day (a date ordinal), for the tally; then the other
# fields, a moment as its datetime state and UTC offset in seconds.
_ROW_NAMES = ("sort_us", "id", "day") + tuple(
    part for name in _FIELDS if name != "id"
    for part in ((name + ":state", name + ":offset") if name in _MOMENTS else (name,))
)
_ID = _ROW_NAMES.index("id")
_DAY = _ROW_NAMES.index("day")
_COMPLETED = _ROW_NAMES.index("completed")
_REGION = _ROW_NAMES.index("region")
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_US = timedelta(microseconds=1)
_SECOND = timedelta(seconds=1)
_PLAIN = (str, int, float, bool, type(None))
# Session objects are built without __init__ (a frozen dataclass's __init__
# costs a call per field) as long as that skips nothing
_FAST_BUILD = not hasattr(H.Session, "__slots__") and not hasattr(H.Session, "__post_init__")


class _Uncacheable(Exception):
    """A parsed session this format cannot hold exactly: load without the cache."""


class _Stale(Exception):
    """The cache changed or broke while it was being read: load again."""


# -- the derived figures ------------------------------------------------------------

class Tally:
    """What `supple history` shows, with no Session object built.

    Made from the merged sessions in their order: `day_counts()` and
    `region_stats()` give exactly what `stats.day_counts` and
    `stats.region_stats` give for those sessions.
    """

    __slots__ = ("day_ordinals", "day_numbers", "region_days", "completed", "total")

    def __init__(self, day_ordinals: tuple[int, ...], day_numbers: tuple[int, ...],
                 region_days: dict[str, tuple[int, ...]], completed: int, total: int) -> None:
        self.day_ordinals = day_ordinals  # each day with a completed session, in first-seen order
        self.day_numbers = day_numbers    # the completed sessions of that day
        self.region_days = region_days    # per region, the sorted days of its completed sessions
        self.completed = completed
        self.total = total

    def _dump(self) -> tuple:
        return (self.day_ordinals, self.day_numbers, self.region_days, self.completed, self.total)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Tally) and self._dump() == other._dump()

    def __repr__(self) -> str:
        return f"Tally(completed={self.completed}, total={self.total}, days={len(self.day_ordinals)})"

    @property
    def stopped(self) -> int:
        return self.total - self.completed

    def day_counts(self) -> dict[date, int]:
        """Completed sessions per recorded local date (a new dict each call)."""
        return dict(zip(map(date.fromordinal, self.day_ordinals), self.day_numbers))

    def region_stats(self, today: date, regions: Iterable[str]) -> list[RegionStat]:
        from supple.stats import RegionStat

        now = today.toordinal()
        last: dict[str, date] = {}
        week: dict[str, int] = {}
        month: dict[str, int] = {}
        for region, days in self.region_days.items():
            end = bisect_right(days, now)  # days after today do not count
            if end == 0:
                continue
            last[region] = date.fromordinal(days[end - 1])
            week[region] = end - bisect_left(days, now - 6, 0, end)
            month[region] = end - bisect_left(days, now - 29, 0, end)
        order = list(dict.fromkeys(regions))
        order += sorted(set(last) - set(order))
        return [RegionStat(r, last.get(r), week.get(r, 0), month.get(r, 0)) for r in order]

    @classmethod
    def of(cls, sessions: Iterable[Session]) -> Tally:
        return cls.build((s.started.toordinal(), s.completed, s.region) for s in sessions)

    @classmethod
    def build(cls, marks: Iterable[tuple[int, bool, str]]) -> Tally:
        """From (local day ordinal, completed, region) per session, in session order."""
        days: dict[int, int] = {}
        regions: dict[str, list[int]] = {}
        completed = total = 0
        for day, done, region in marks:
            total += 1
            if not done:
                continue
            completed += 1
            days[day] = days.get(day, 0) + 1
            regions.setdefault(region, []).append(day)
        return cls(tuple(days), tuple(days.values()),
                   {r: tuple(sorted(d)) for r, d in regions.items()}, completed, total)

    @classmethod
    def _load(cls, t: Any) -> Tally:
        ords, nums, regions, completed, total = t
        if not (type(ords) is tuple and type(nums) is tuple and len(ords) == len(nums)
                and type(regions) is dict and type(completed) is int and type(total) is int):
            raise ValueError("not a tally")
        return cls(ords, nums, regions, completed, total)


def _tally_columns(columns: tuple) -> Tally:
    """`Tally.build` for merged columns, a column at a time."""
    days, done, regions = columns[_DAY], columns[_COMPLETED], columns[_REGION]
    completed_days = list(compress(days, done))
    counts = Counter(completed_days)  # in first-seen order, as Tally.build
    per_region: dict[str, list[int]] = {}
    for region, day in zip(compress(regions, done), completed_days):
        per_region.setdefault(region, []).append(day)
    return Tally(tuple(counts), tuple(counts.values()),
                 {r: tuple(sorted(d)) for r, d in per_region.items()}, len(completed_days), len(days))


# -- sessions as plain rows ---------------------------------------------------------

_zones: dict[int, timezone] = {}


def _zone(offset: int) -> timezone:
    tz = _zones.get(offset)
    if tz is None:
        tz = _zones[offset] = timezone(timedelta(seconds=offset))
    return tz


def _row(s: Session) -> tuple:
    if type(s.id) is not str:
        raise _Uncacheable("id")
    out: list[Any] = [None, s.id, None]  # sort key and day: set with `started`
    intern = sys.intern  # the same text once in the file: marshal writes references
    for name in _FIELDS:
        if name == "id":
            continue
        v = getattr(s, name)
        if name in _MOMENTS:
            tz = v.tzinfo
            if type(v) is not datetime or type(tz) is not timezone or v.fold:
                raise _Uncacheable(name)
            off = tz.utcoffset(None)
            secs = off // _SECOND
            state = v.__reduce__()[1][0]
            if timedelta(seconds=secs) != off or datetime(state, _zone(secs)) != v:
                raise _Uncacheable(name)
            out.append(state)
            out.append(secs)
            if name == "started":
                out[0] = (v - _EPOCH) // _US
                out[2] = v.toordinal()  # the local date, as recorded
        elif type(v) is str:
            out.append(intern(v))
        elif type(v) in _PLAIN:
            out.append(v)
        else:
            raise _Uncacheable(name)
    return tuple(out)


def _sessions(columns: tuple) -> list[Session]:
    """Session objects from merged columns (as `_columns` made them)."""
    values = []
    at = 3
    for name in _FIELDS:
        if name == "id":
            values.append(columns[_ID])
        elif name in _MOMENTS:
            values.append(list(map(datetime, columns[at], map(_zone, columns[at + 1]))))
            at += 2
        else:
            values.append(columns[at])
            at += 1
    cls = H.Session
    if not _FAST_BUILD:
        return [cls(*v) for v in zip(*values)]
    new = object.__new__
    names = _FIELDS
    out = []
    append = out.append
    for v in zip(*values):
        s = new(cls)
        s.__dict__.update(zip(names, v))
        append(s)
    return out


def _columns(rows: list[tuple]) -> tuple:
    if not rows:
        return tuple(() for _ in _ROW_NAMES)
    return tuple(zip(*rows))


# -- the cache file -----------------------------------------------------------------

def cache_file(cache_dir: Path, history_dir: Path) -> Path:
    """The cache of one history folder (one cache folder may serve several data folders)."""
    h = 0xCBF29CE484222325  # FNV-1a, 64 bits: the same in every run, unlike hash()
    for b in os.fsencode(str(history_dir)):
        h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return Path(cache_dir) / f"history-{h:016x}.cache"


class _Cache:
    __slots__ = ("device", "entries", "tally", "merged", "token", "rows_at", "rows_len")

    def __init__(self, device: str, entries: dict, tally: Any, merged: bytes | None,
                 token: bytes = b"", rows_at: int = 0, rows_len: int = 0) -> None:
        self.device = device
        self.entries = entries  # rel path -> (key, read at ns, ((line, col, message), ...))
        self.tally = tally      # Tally._dump() of the merged sessions
        self.merged = merged    # marshal of the merged columns; None when not kept
        self.token = token
        self.rows_at = rows_at
        self.rows_len = rows_len


def _header(history_dir: Path) -> tuple:
    return ("supple-history-cache", CACHE_FORMAT, __version__, _ROW_NAMES,
            tuple(sys.version_info[:2]), str(history_dir))


_FIXED = len(PREFIX) + 16


def _read_cache(path: Path, history_dir: Path) -> _Cache | None:
    """The cache's head and merged sessions (not the rows), or None for any trouble."""
    try:
        with open(path, "rb") as f:
            fixed = f.read(_FIXED)
            if len(fixed) != _FIXED or not fixed.startswith(PREFIX):
                return None
            token = fixed[len(PREFIX):len(PREFIX) + 8]
            head_len = int.from_bytes(fixed[-8:], "little")
            size = os.fstat(f.fileno()).st_size
            if head_len > size:
                return None
            head = marshal.loads(f.read(head_len))
            header, device, entries, tally, merged_len, rows_len = head
            if header != _header(history_dir):
                return None
            if not (type(device) is str and type(entries) is dict and type(merged_len) is int
                    and type(rows_len) is int and _FIXED + head_len + max(merged_len, 0) + rows_len == size):
                return None
            merged = None
            if merged_len >= 0:
                merged = f.read(merged_len)
                if len(merged) != merged_len:
                    return None
        for rel, entry in entries.items():
            key, read_ns, problems = entry
            if not (type(rel) is str and type(key) is tuple and len(key) == 4
                    and type(read_ns) is int and type(problems) is tuple):
                return None
        return _Cache(device, entries, tally, merged, token, _FIXED + head_len + max(merged_len, 0),
                      rows_len)
    except Exception:  # missing, unreadable, damaged, another format: rebuild
        return None


def _read_rows(path: Path, cache: _Cache) -> dict[str, bytes]:
    """{rel path: marshal of the file's rows} of the cache read before; _Stale if it was replaced."""
    try:
        with open(path, "rb") as f:
            fixed = f.read(_FIXED)
            if fixed[len(PREFIX):len(PREFIX) + 8] != cache.token:
                raise _Stale
            f.seek(cache.rows_at)
            data = f.read(cache.rows_len)
        rows = marshal.loads(data)
    except _Stale:
        raise
    except Exception:
        raise _Stale from None
    if type(rows) is not dict:
        raise _Stale
    return rows


def _write_cache(path: Path, history_dir: Path, cache: _Cache, rows: bytes) -> bool:
    merged = cache.merged if cache.merged is not None else b""
    head = marshal.dumps((_header(history_dir), cache.device, cache.entries, cache.tally,
                          len(merged) if cache.merged is not None else -1, len(rows)))
    data = b"".join((PREFIX, os.urandom(8), len(head).to_bytes(8, "little"), head, merged, rows))
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    try:
        os.makedirs(path.parent, exist_ok=True)
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, path)  # a reader sees the old cache or the new one, whole
        return True
    except OSError:  # a read-only or full cache folder: it is only a cache
        try:
            os.unlink(tmp)
        except OSError:
            pass
        return False


# -- loading ------------------------------------------------------------------------

def _key(st: os.stat_result) -> tuple[int, int, int, int]:
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def _settled(key: tuple, read_ns: int) -> bool:
    """The file's last change came well before it was read: the same key, the same bytes.

    The ctime is set by the system at every change (a sync tool can set the
    mtime back, not the ctime); on Windows st_ctime is the creation time, so
    the mtime stands in for it there.
    """
    changed = key[1] if os.name == "nt" else key[2]
    return changed < read_ns - SETTLE_NS


def _problem_tuples(path: Path, problems: list[Problem]) -> tuple:
    out = []
    for p in problems:
        if p.path != path:
            raise _Uncacheable("problem path")
        out.append((p.line, p.col, p.message))
    return tuple(out)


def load(store: HistoryStore) -> History:
    """`store.load()` through the cache: the same History as reading every file."""
    try:
        for _attempt in range(2):
            try:
                return _load(store, use_cache=True)
            except _Stale:
                continue  # another supple rewrote the cache just now, or it broke: again
        return _load(store, use_cache=False)
    except _Uncacheable:
        return store._load_files()


def _load(store: HistoryStore, use_cache: bool) -> History:
    history_dir = store.history_dir
    files, listing_problems = H.list_history_files(history_dir)
    files.sort()  # the merge's order, as HistoryStore.load
    path = cache_file(store.cache_dir, history_dir)
    old = _read_cache(path, history_dir) if use_cache else None
    old_entries = old.entries if old is not None else {}
    old_rows: dict[str, bytes] | None = None

    def blob_of(rel: str) -> bytes:
        nonlocal old_rows
        if old_rows is None:
            assert old is not None
            old_rows = _read_rows(path, old)
        blob = old_rows.get(rel)
        if type(blob) is not bytes:
            raise _Stale
        return blob

    def rows_of(rel: str) -> list[tuple]:
        try:
            rows = marshal.loads(blob_of(rel))
        except _Stale:
            raise
        except Exception:
            raise _Stale from None
        if type(rows) is not list:
            raise _Stale
        return rows

    base = len(str(history_dir)) + 1
    entries: dict[str, tuple[tuple, int, tuple]] = {}  # what the new cache holds
    parsed: dict[str, list[tuple]] = {}  # rows of the files this load read
    uncached: dict[str, list] = {}       # problems of files that could not be read (never cached)
    order: list[tuple[str, Path]] = []   # the merge's order
    changed = old is None or old.device != store.device or old.merged is None
    settle = False  # a file read again only to be sure can be trusted from now on
    for p in files:
        rel = str(p)[base:]
        parts = rel.split(os.sep)
        hint = parts[0] if len(parts) > 1 else ""
        order.append((rel, p))
        try:
            st = os.stat(p)
        except OSError:
            st = None
        if st is None or not stat.S_ISREG(st.st_mode):
            # gone since the listing, or not a file: as the reader says, never cached
            sessions, problems = store._read_file(p, hint)
            uncached[rel] = problems
            if sessions:
                parsed[rel] = [_row(s) for s in sessions]
                changed = True
            continue
        key = _key(st)
        have = old_entries.get(rel)
        if have is not None and have[0] == key and _settled(key, have[1]):
            entries[rel] = have
            continue
        read_ns = time.time_ns()
        try:
            with open(p, "rb") as f:
                raw = f.read()
        except OSError as err:
            uncached[rel] = [H.Problem(p, 1, 1, f"cannot read: {H._cause(err)}")]
            continue
        sessions, problems = H.parse_history(p, raw, hint)
        rows = [_row(s) for s in sessions]
        probs = _problem_tuples(p, problems)
        entries[rel] = (key, read_ns, probs)
        parsed[rel] = rows
        if have is not None and have[0] == key and have[2] == probs and rows_of(rel) == rows:
            # read again only because it had just changed when it was cached: the same
            settle = settle or _settled(key, read_ns)
            continue
        changed = True
    if entries.keys() != old_entries.keys():
        changed = True

    problems: list = list(listing_problems)
    for rel, p in order:
        if rel in uncached:
            problems.extend(uncached[rel])
        elif rel in entries:
            problems.extend(H.Problem(p, line, col, msg) for line, col, msg in entries[rel][2])
    problems.sort(key=lambda q: (str(q.path), q.line, q.col))

    if not changed:
        assert old is not None and old.merged is not None
        try:
            tally = Tally._load(old.tally)
        except Exception:
            raise _Stale from None
        if settle:
            rows_blob = marshal.dumps({rel: blob_of(rel) for rel in entries})
            _write_cache(path, history_dir, _Cache(store.device, entries, old.tally, old.merged), rows_blob)
        merged_blob = old.merged
        return H.History._deferred(lambda: _materialize(store, merged_blob, tally.total), problems, tally)

    # merge again, from the plain rows: no Session object is built for this
    per_file: list[tuple[Path, list[tuple]]] = []
    blobs: dict[str, bytes] = {}
    for rel, p in order:
        rows = parsed.get(rel)
        if rows is None and rel in entries:
            blobs[rel] = blob_of(rel)
            rows = rows_of(rel)
        per_file.append((p, rows or []))
    merged = [row for _path, rows in per_file for row in rows]
    if len(set(map(itemgetter(_ID), merged))) != len(merged):  # an id present twice: pick one
        merged = H.merge_by_id(history_dir, store.device, per_file, itemgetter(_ID))
    merged.sort()  # by (started, id), unique: the rest of a row is never compared
    columns = _columns(merged)
    tally = _tally_columns(columns)
    if entries or old is not None:
        for rel in entries:
            if rel not in blobs:
                blobs[rel] = marshal.dumps(parsed[rel])
        # the merged sessions hold as long as the files not cached add none
        whole = not any(rel in parsed for rel in uncached)
        _write_cache(path, history_dir,
                     _Cache(store.device, entries, tally._dump(), marshal.dumps(columns) if whole else None),
                     marshal.dumps(blobs))
    return H.History._deferred(lambda: _sessions(columns), problems, tally)


def _materialize(store: HistoryStore, blob: bytes, total: int) -> list[Session]:
    try:
        columns = marshal.loads(blob)
        if type(columns) is not tuple or len(columns) != len(_ROW_NAMES) or len(columns[0]) != total:
            raise ValueError("damaged")
        return _sessions(columns)
    except Exception:
        # the cache was damaged after all: the files say what is true
        return store._load_files().sessions
