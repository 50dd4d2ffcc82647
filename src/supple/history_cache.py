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

Two files per history folder, each written to a temporary file and
renamed over the old one:

  `<cache>/history-<hash of the folder>.cache`, the head: PREFIX and a
  `marshal`ed tuple (plain values only: reading it runs no code): the
  header that must match (format, supple version, row layout, Python
  version, history folder), this device, one entry per cached file (key,
  when it was read, its problems, a CRC of its bytes, where its rows are
  in the base), the `Tally` of all merged sessions, the base it goes with,
  and the rows appended to each file since that base was written;

  `<cache>/history-<hash>.<token>.base`, the base: BASE_PREFIX, its token,
  then the merged sessions as columns of plain values (a datetime as its
  exact pickle state and its UTC offset), their ids, and each file's
  sessions as rows, for merging again.

A start where nothing changed reads the head alone, and builds `Session`
objects only when `History.sessions` is first used (from the base's
columns): `supple history` needs only the tally. Saving appends a record
to a file, so after a save a start parses only what was appended (see
`_parse_appended`), and if those sessions are new ones (no id seen
before) adds them to the tally and to the head's appended rows: the base
is not written again until DELTA_LIMIT of them have gathered. Any other
change (a file rewritten, removed, or a session saved again under its id)
merges the plain rows of every file again and writes a new base, still
without building a `Session`.

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

CACHE_FORMAT = 2  # bump when the layout changes
PREFIX = b"supple history cache\n"
BASE_PREFIX = b"supple history cache base\n"
DELTA_LIMIT = 2000  # sessions appended since the base was written; then a new base
SETTLE_NS = 2_000_000_000  # a file changed less than this before it was read is read again

_FIELDS = H.Session._fields
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


class _Uncacheable(Exception):
    """A parsed session this format cannot hold exactly: load without the cache."""


class _Stale(Exception):
    """The cache changed or broke while it was being read: load again."""


# -- the derived figures ------------------------------------------------------------

class Tally:
    """What `supple history` shows, with no Session object built.

    Made from the merged sessions: `day_counts()` and `region_stats()` give
    exactly what `stats.day_counts` and `stats.region_stats` give for those
    sessions, and a tally plus more sessions is the tally of them all.
    """

    __slots__ = ("day_ordinals", "day_numbers", "region_days", "completed", "total")

    def __init__(self, day_ordinals: tuple[int, ...], day_numbers: tuple[int, ...],
                 region_days: dict[str, tuple[int, ...]], completed: int, total: int) -> None:
        self.day_ordinals = day_ordinals  # each day with a completed session, in order
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
        """From (local day ordinal, completed, region) per session."""
        return cls((), (), {}, 0, 0).plus(marks)

    def plus(self, marks: Iterable[tuple[int, bool, str]]) -> Tally:
        """This tally with more sessions, given as `build` takes them."""
        days = dict(zip(self.day_ordinals, self.day_numbers))
        regions: dict[str, list[int]] = {}
        completed, total = self.completed, self.total
        for day, done, region in marks:
            total += 1
            if not done:
                continue
            completed += 1
            days[day] = days.get(day, 0) + 1
            regions.setdefault(region, []).append(day)
        if not regions and total == self.total:
            return self
        region_days = dict(self.region_days)
        for region, more in regions.items():
            region_days[region] = tuple(sorted(region_days.get(region, ()) + tuple(more)))
        ordinals = sorted(days)
        return Tally(tuple(ordinals), tuple(days[d] for d in ordinals), region_days, completed, total)

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
    counts = Counter(completed_days)
    ordinals = sorted(counts)
    per_region: dict[str, list[int]] = {}
    for region, day in zip(compress(regions, done), completed_days):
        per_region.setdefault(region, []).append(day)
    return Tally(tuple(ordinals), tuple(counts[d] for d in ordinals),
                 {r: tuple(sorted(d)) for r, d in per_region.items()}, len(completed_days), len(days))


def _marks(rows: Iterable[tuple]) -> Iterable[tuple[int, bool, str]]:
    return ((r[_DAY], r[_COMPLETED], r[_REGION]) for r in rows)


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
    return list(map(H.Session._make, zip(*values)))


def _columns(rows: list[tuple]) -> tuple:
    if not rows:
        return tuple(() for _ in _ROW_NAMES)
    return tuple(zip(*rows))


# -- the cache files ----------------------------------------------------------------

def cache_file(cache_dir: Path, history_dir: Path) -> Path:
    """The cache of one history folder (one cache folder may serve several data folders)."""
    h = 0xCBF29CE484222325  # FNV-1a, 64 bits: the same in every run, unlike hash()
    for b in os.fsencode(str(history_dir)):
        h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return Path(cache_dir) / f"history-{h:016x}.cache"


def _base_file(head_path: Path, token: bytes) -> Path:
    return head_path.with_name(f"{head_path.stem}.{token.hex()}.base")


class _Entry:
    """What the cache knows of one history file."""

    __slots__ = ("key", "read_ns", "problems", "span", "crc")

    def __init__(self, key: tuple, read_ns: int, problems: tuple, span: tuple[int, int] | None,
                 crc: int) -> None:
        self.key = key            # (size, mtime_ns, ctime_ns, inode) when it was read
        self.read_ns = read_ns    # when it was read
        self.problems = problems  # ((line, col, message), ...)
        self.span = span          # (offset, length) of its rows in the base file; None: none there
        self.crc = crc            # CRC-32 of its bytes then: is a longer file the same plus more?

    def dump(self) -> tuple:
        return (self.key, self.read_ns, self.problems, self.span, self.crc)


class _Head:
    """The small file read at every start; `base` names the big one written with it."""

    __slots__ = ("device", "entries", "tally", "base", "delta")

    def __init__(self, device: str, entries: dict[str, _Entry], tally: tuple, base: tuple | None,
                 delta: dict[str, tuple]) -> None:
        self.device = device
        self.entries = entries  # rel path -> _Entry
        self.tally = tally      # Tally._dump() of all merged sessions, the base's and the delta's
        # (token, merged span or None, ids span) of the base file; merged is None
        # when the merged sessions were not kept (a file that could not be cached added some)
        self.base = base
        self.delta = delta      # rel path -> rows appended to that file since the base was written


def _header(history_dir: Path) -> tuple:
    return ("supple-history-cache", CACHE_FORMAT, __version__, _ROW_NAMES,
            tuple(sys.version_info[:2]), str(history_dir))


def _read_head(path: Path, history_dir: Path) -> _Head | None:
    """The head of the cache, or None for any trouble (the cache is then rebuilt)."""
    try:
        with open(path, "rb") as f:
            raw = f.read()
        if not raw.startswith(PREFIX):
            return None
        header, device, entries, tally, base, delta = marshal.loads(raw[len(PREFIX):])
        if header != _header(history_dir) or type(device) is not str or type(entries) is not dict \
                or type(delta) is not dict:
            return None
        if base is not None and not (type(base) is tuple and len(base) == 3 and type(base[0]) is bytes):
            return None
        out: dict[str, _Entry] = {}
        for rel, (key, read_ns, problems, span, crc) in entries.items():
            if not (type(rel) is str and type(key) is tuple and len(key) == 4 and type(read_ns) is int
                    and type(problems) is tuple and (span is None or type(span) is tuple)
                    and type(crc) is int):
                return None
            out[rel] = _Entry(key, read_ns, problems, span, crc)
        if any(type(rows) is not tuple for rows in delta.values()):
            return None
        return _Head(device, out, tally, base, delta)
    except Exception:  # missing, unreadable, damaged, another format: rebuild
        return None


class _Base:
    """The big file: every file's rows as they were when it was written, and their merge."""

    def __init__(self, path: Path, token: bytes) -> None:
        self.path = path
        self.token = token
        self._f = None

    def blob(self, span: tuple[int, int]) -> bytes:
        """The bytes at `span`; _Stale if the file is gone or replaced."""
        try:
            if self._f is None:
                f = open(self.path, "rb")
                if f.read(len(BASE_PREFIX) + 8) != BASE_PREFIX + self.token:
                    f.close()
                    raise _Stale
                self._f = f
            at, length = span
            self._f.seek(at)
            data = self._f.read(length)
        except _Stale:
            raise
        except Exception:
            raise _Stale from None
        if len(data) != length:
            raise _Stale
        return data

    def read(self, span: tuple[int, int]) -> Any:
        """The value marshalled at `span`; _Stale if the file is gone, replaced or damaged."""
        data = self.blob(span)
        try:
            return marshal.loads(data)
        except Exception:
            raise _Stale from None

    def close(self) -> None:
        if self._f is not None:
            self._f.close()
            self._f = None


def _write(path: Path, data: bytes) -> bool:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    try:
        os.makedirs(path.parent, exist_ok=True)
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, path)  # a reader sees the old file or the new one, whole
        return True
    except OSError:  # a read-only or full cache folder: it is only a cache
        try:
            os.unlink(tmp)
        except OSError:
            pass
        return False


def _write_head(path: Path, history_dir: Path, head: _Head) -> bool:
    entries = {rel: e.dump() for rel, e in head.entries.items()}
    return _write(path, PREFIX + marshal.dumps((_header(history_dir), head.device, entries, head.tally,
                                                head.base, head.delta)))


def _write_base(head_path: Path, columns: tuple | None, rows: dict[str, bytes]) -> tuple | None:
    """Write a new base file; (token, merged span, ids span, {rel: span}), or None if it could not be."""
    token = os.urandom(8)
    parts = [BASE_PREFIX + token]
    at = len(parts[0])

    def add(blob: bytes) -> tuple[int, int]:
        nonlocal at
        parts.append(blob)
        at += len(blob)
        return (at - len(blob), len(blob))

    merged = add(marshal.dumps(columns)) if columns is not None else None
    ids = add(marshal.dumps(columns[_ID] if columns is not None else ()))
    spans = {rel: add(blob) for rel, blob in rows.items()}
    path = _base_file(head_path, token)
    if not _write(path, b"".join(parts)):
        return None
    return token, merged, ids, spans


def _remove_other_bases(head_path: Path, keep: bytes | None) -> None:
    """Old base files of this history folder (a reader still using one will load again)."""
    for other in head_path.parent.glob(f"{head_path.stem}.*.base"):
        if keep is None or other.name != _base_file(head_path, keep).name:
            try:
                other.unlink()
            except OSError:
                pass


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
    old = _read_head(path, history_dir) if use_cache else None
    if old is not None and old.device != store.device:
        old = None  # which copy of a session counts depends on the device
    old_entries = old.entries if old is not None else {}
    base = _Base(_base_file(path, old.base[0]), old.base[0]) if old is not None and old.base else None
    try:
        return _load_with(store, path, files, listing_problems, old, old_entries, base)
    finally:
        if base is not None:
            base.close()


def _load_with(store: HistoryStore, path: Path, files: list[Path], listing_problems: list,
               old: _Head | None, old_entries: dict[str, _Entry], base: _Base | None) -> History:
    history_dir = store.history_dir

    def base_rows(entry: _Entry) -> tuple[bytes, list[tuple]]:
        """A file's rows as the base holds them: their bytes, and the rows."""
        if base is None or entry.span is None:
            raise _Stale
        blob = base.blob(entry.span)
        try:
            rows = marshal.loads(blob)
        except Exception:
            raise _Stale from None
        if type(rows) is not list:
            raise _Stale
        return blob, rows

    def rows_of(rel: str) -> list[tuple]:
        """The rows the cache holds for a file: those in the base, then those appended since."""
        entry = old_entries[rel]
        rows = base_rows(entry)[1] if entry.span is not None else []
        assert old is not None
        return rows + list(old.delta.get(rel, ()))

    base_dir = len(str(history_dir)) + 1
    entries: dict[str, _Entry] = {}      # what the new head holds
    parsed: dict[str, list[tuple]] = {}  # rows of the files this load read
    appended: dict[str, list[tuple]] = {}  # rows added at the end of a file the cache knew (or of a new one)
    uncached: dict[str, list] = {}       # problems of files that could not be read (never cached)
    order: list[tuple[str, Path]] = []   # the merge's order
    # The merge must be made again unless every change only appended sessions
    # with new ids to the files (what saving does), and the base holds the merge.
    full = old is None or old.base is None or old.base[1] is None
    for p in files:
        rel = str(p)[base_dir:]
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
                full = True
            continue
        key = _key(st)
        have = old_entries.get(rel)
        if have is not None and have.key == key and _settled(key, have.read_ns):
            entries[rel] = have
            continue
        read_ns = time.time_ns()
        try:
            with open(p, "rb") as f:
                raw = f.read()
        except OSError as err:
            uncached[rel] = [H.Problem(p, 1, 1, f"cannot read: {H._cause(err)}")]
            continue
        import zlib

        crc = zlib.crc32(raw)
        tail = _parse_appended(p, raw, hint, have) if have is not None and not full else None
        if tail is not None:
            sessions, problems = tail
            before = rows_of(rel)
            rows = before + [_row(s) for s in sessions]
        else:
            sessions, problems = H.parse_history(p, raw, hint)
            rows = [_row(s) for s in sessions]
            before = rows_of(rel) if have is not None and not full else []
        probs = _problem_tuples(p, problems)
        entries[rel] = _Entry(key, read_ns, probs, have.span if have is not None else None, crc)
        parsed[rel] = rows
        if full:
            continue
        if rows[:len(before)] != before:
            full = True  # rewritten, not appended to
        elif len(rows) > len(before):
            appended[rel] = rows[len(before):]
        # else the same sessions: read again only to be sure, or a problem changed
    if old_entries.keys() - entries.keys():
        full = True  # a file is gone, or cannot be read now: its sessions leave the merge
    if any(rel in parsed for rel in uncached):
        full = True  # sessions of a file that is not cached: merged, but never kept

    problems: list = list(listing_problems)
    for rel, p in order:
        if rel in uncached:
            problems.extend(uncached[rel])
        elif rel in entries:
            problems.extend(H.Problem(p, line, col, msg) for line, col, msg in entries[rel].problems)
    problems.sort(key=lambda q: (str(q.path), q.line, q.col))

    if not full:
        assert old is not None and old.base is not None and base is not None
        try:
            tally = Tally._load(old.tally)
        except Exception:
            raise _Stale from None
        delta = dict(old.delta)
        if appended:
            added = [row for rows in appended.values() for row in rows]
            ids = {row[_ID] for row in added}
            known = base.read(old.base[2])
            if type(known) is not tuple:
                raise _Stale
            if len(ids) != len(added) or not ids.isdisjoint(known) or \
                    any(row[_ID] in ids for rows in delta.values() for row in rows):
                full = True  # a session saved again (an update) or copied: the merge decides
            elif sum(map(len, delta.values())) + len(added) > DELTA_LIMIT:
                full = True  # fold the appended sessions into a new base
            else:
                tally = tally.plus(_marks(added))
                for rel, rows in appended.items():
                    delta[rel] = delta.get(rel, ()) + tuple(rows)
        if not full:
            if entries.keys() != old_entries.keys() or \
                    any(entries[rel] is not old_entries.get(rel) for rel in entries):
                _write_head(path, history_dir, _Head(store.device, entries, tally._dump(), old.base, delta))
            merged_span, token = old.base[1], old.base[0]
            extra = [row for rows in delta.values() for row in rows]
            base_path = base.path
            return H.History._deferred(
                lambda: _materialize(store, base_path, token, merged_span, extra, tally.total), problems, tally)

    # merge again, from the plain rows: no Session object is built for this
    per_file: list[tuple[Path, list[tuple]]] = []
    blobs: dict[str, bytes] = {}
    for rel, p in order:
        rows = parsed.get(rel)
        if rows is None and rel in entries:
            if old_entries[rel].span is not None and old is not None and rel not in old.delta:
                blobs[rel], rows = base_rows(old_entries[rel])  # unchanged since the base: kept as it is
            else:
                rows = rows_of(rel)
        per_file.append((p, rows or []))
        if rel in entries and rel not in blobs:
            blobs[rel] = marshal.dumps(rows or [])
    merged = [row for _path, rows in per_file for row in rows]
    if len(set(map(itemgetter(_ID), merged))) != len(merged):  # an id present twice: pick one
        merged = H.merge_by_id(history_dir, store.device, per_file, itemgetter(_ID))
    merged.sort()  # by (started, id), unique: the rest of a row is never compared
    columns = _columns(merged)
    tally = _tally_columns(columns)
    if entries or old is not None:
        # the merged sessions hold as long as the files not cached add none
        whole = not any(rel in parsed for rel in uncached)
        written = _write_base(path, columns if whole else None, blobs)
        if written is not None:
            token, merged_span, ids_span, spans = written
            for rel, entry in entries.items():
                entries[rel] = _Entry(entry.key, entry.read_ns, entry.problems, spans[rel], entry.crc)
            if _write_head(path, history_dir, _Head(store.device, entries, tally._dump(),
                                                    (token, merged_span, ids_span), {})):
                _remove_other_bases(path, token)
            else:
                _remove_other_bases(path, old.base[0] if old is not None and old.base else None)
    return H.History._deferred(lambda: _sessions(columns), problems, tally)


def _parse_appended(path: Path, raw: bytes, hint: str, have: _Entry) -> tuple[list, list] | None:
    """The sessions of what was appended to a file since the cache read it,
    parsed on their own; None when that would not give what parsing the
    whole file gives (the file is then parsed whole).

    Saving only ever appends, and parsing a month of sessions again for one
    more costs a start more than the rest of it. What was there before must
    be unchanged (its length and CRC) and plain (it had no problems, ends at
    a line, and its only tables are records); the appended part must open a
    new record and have no problems itself. It is parsed behind the file's
    own header and enough empty lines to keep every line number: nothing in
    it can then reach back into the records before.
    """
    import zlib

    size = have.key[0]
    if have.problems or len(raw) <= size or raw[size - 1:size] != b"\n" or zlib.crc32(raw[:size]) != have.crc:
        return None
    record_line = H.SESSIONS.record_line
    for line in raw[size:].split(b"\n"):
        text = line.strip()
        if text and not text.startswith(b"#"):
            if not record_line.match(line.decode("utf-8", "replace")):
                return None  # it goes on with the last record
            break
    header_end = None
    at = 0
    for line in raw[:size].split(b"\n"):
        if line.lstrip()[:1] == b"[":
            if not record_line.match(line.decode("utf-8", "replace")):
                return None  # a table of another kind (or a line of a long text that looks like one)
            if header_end is None:
                header_end = at
        at += len(line) + 1
    if header_end is None:
        return None  # no records yet: the whole file is about as short as this
    padding = raw.count(b"\n", header_end, size)
    sessions, problems = H.parse_history(path, raw[:header_end] + b"\n" * padding + raw[size:], hint)
    if problems:
        return None  # a damaged part is told of as parsing the whole file tells of it
    return sessions, problems


def _materialize(store: HistoryStore, base_path: Path, token: bytes, merged_span: tuple,
                 extra: list[tuple], total: int) -> list[Session]:
    base = _Base(base_path, token)
    try:
        columns = base.read(merged_span)
        if type(columns) is not tuple or len(columns) != len(_ROW_NAMES):
            raise ValueError("damaged")
        if extra:
            rows = list(zip(*columns)) + extra
            rows.sort()
            columns = _columns(rows)
        if len(columns[0]) != total:
            raise ValueError("damaged")
        return _sessions(columns)
    except Exception:
        # the cache was damaged or replaced after all: the files say what is true
        return store._load_files().sessions
    finally:
        base.close()
