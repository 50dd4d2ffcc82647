"""The history cache: what the history files held when last read, in one SQLite file.

Reading ten years of history files costs a start most of a second; with this cache a start
reads only the files that changed. It is derived data: rebuilt when missing, damaged, locked
for long or made by other code (`files.code_stamp`), kept in memory when it cannot be written.
Every load stats every history file:

  - a file is trusted while its (size, mtime_ns, ctime_ns, inode) are the ones it was read with;
  - a file that changed less than SETTLE_NS before it was read is read again at the next load,
    as a second change in the same clock tick could leave all four the same ("racily clean");
  - a sound file that only grew (the bytes read before have the same CRC) has only what was
    appended parsed, behind its own header: a save costs the next start one record.

Records are merged by id (`logs.merge_by_id`) for the ids a load touched: the rows that count
have `counts = 1`; a winner its corrections retract (`[[retract]]` / `[[restore]]`, kept in
`corrections` wherever they were read, even before their session) has `counts = 2`.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import time
import zlib
from contextlib import suppress
from datetime import datetime, timezone
from pathlib import Path

from supple.core.model import Correction, Problem, Session
from supple.store.files import code_stamp
from supple.store.logs import device_hint, list_log_files, merge_by_id, parse_log, read_log_bytes
from supple.store.sessions import SESSIONS

UNKNOWN_AFTER_US = 86_400_000_000  # a retraction naming no session is a problem once this old
SETTLE_NS = 2_000_000_000  # a file changed less than this before it was read is read again
LOCK_TIMEOUT = 10.0  # seconds to wait for another supple updating the cache
_FIELDS = Session._fields
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_MICROSECOND = datetime.resolution
_SCHEMA = f"""
CREATE TABLE meta (stamp TEXT NOT NULL);
CREATE TABLE files (
    path TEXT PRIMARY KEY,  -- below the history folder
    size INTEGER, mtime_ns INTEGER, ctime_ns INTEGER, inode INTEGER,  -- NULL: never trusted
    read_ns INTEGER NOT NULL,
    crc INTEGER,  -- of its bytes then
    records_at INTEGER  -- where its records start, when it is sound and holds nothing else (or NULL)
);
CREATE TABLE problems (path TEXT NOT NULL, line INTEGER, col INTEGER, message TEXT);
CREATE TABLE sessions (
    path TEXT NOT NULL, seq INTEGER NOT NULL,  -- which file, and where in it
    counts INTEGER NOT NULL DEFAULT 0,  -- 1: the record that counts for its id, 2: that one but retracted
    day INTEGER NOT NULL,  -- the recorded local date's ordinal
    started_us INTEGER NOT NULL,  -- UTC microseconds: sessions sort by (started, id)
    {", ".join(_FIELDS)}
);
CREATE INDEX sessions_by_file ON sessions (path);
CREATE INDEX sessions_by_id ON sessions (id);
CREATE INDEX sessions_counted ON sessions (counts, day, region);
CREATE INDEX sessions_latest ON sessions (counts, started_us);
CREATE INDEX problems_by_file ON problems (path);
CREATE TABLE days (  -- the sessions that count, grouped: what the figures are made from
    day INTEGER NOT NULL, region TEXT NOT NULL,
    kind INTEGER NOT NULL,  -- 2: completed, 1: stopped early with a stretch done, 0: stopped with none
    n INTEGER NOT NULL,
    PRIMARY KEY (day, region, kind)
) WITHOUT ROWID;
CREATE TABLE corrections (
    path TEXT NOT NULL, line INTEGER, col INTEGER,
    session TEXT NOT NULL, at_us INTEGER NOT NULL,  -- at_us: UTC microseconds
    restore INTEGER NOT NULL, at TEXT NOT NULL, why TEXT
);
CREATE INDEX corrections_by_file ON corrections (path);
CREATE INDEX corrections_by_session ON corrections (session, at_us, restore);
CREATE TABLE retracted (id TEXT PRIMARY KEY, at TEXT NOT NULL, why TEXT) WITHOUT ROWID  -- decided per id
"""


def cache_file(cache_dir: Path, history_dir: Path) -> Path:
    """The cache of one history folder (one cache folder may serve several data folders)."""
    return Path(cache_dir) / f"history-{zlib.crc32(os.fsencode(history_dir)):08x}.sqlite3"


class HistoryCache:
    """The sessions and problems of every file below `history_dir`, as of the last `refresh()`."""

    def __init__(self, history_dir: Path, device: str, path: Path | None) -> None:
        self.history_dir = history_dir
        self.device = device
        self.path = path
        self._stamp = code_stamp(str(history_dir), device)
        self.db = self._open()

    def _open(self) -> sqlite3.Connection:
        """The cache file, started afresh if damaged or made by other code; in memory if it cannot be had."""
        for attempt in range(2 if self.path is not None else 0):
            db = None
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(self.path, timeout=LOCK_TIMEOUT, isolation_level=None, check_same_thread=False)
                return self._prepare(db)
            except (sqlite3.Error, OSError) as err:
                if db is not None:
                    db.close()
                if attempt or not isinstance(err, sqlite3.DatabaseError) or "locked" in str(err):
                    break
                _unlink(self.path)  # damaged, or not a database: it is only a cache
        self.path = None
        return self._prepare(sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False))

    def _prepare(self, db: sqlite3.Connection) -> sqlite3.Connection:
        """Tables made by this code (any others dropped), and this connection's own table of touched ids."""
        # A cache need not survive a power cut intact, only be consistent: no wait for the disk.
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("BEGIN IMMEDIATE")
        try:
            stamp = db.execute("SELECT stamp FROM meta").fetchone()
        except sqlite3.OperationalError:  # no tables yet
            stamp = None
        if stamp != (self._stamp,):
            for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
                db.execute(f'DROP TABLE "{name}"')
            for statement in _SCHEMA.split(";"):
                db.execute(statement)
            db.execute("INSERT INTO meta VALUES (?)", (self._stamp,))
        db.execute("CREATE TEMP TABLE IF NOT EXISTS touched (id TEXT PRIMARY KEY)")
        db.execute("CREATE TEMP TABLE IF NOT EXISTS touched_days (day INTEGER PRIMARY KEY)")
        db.execute("COMMIT")
        return db

    def refresh(self, now_us: int | None = None) -> list[Problem]:
        """Read the files that changed since the last load; every problem found, sorted (`now_us`:
        the time, in UTC microseconds, a retraction of an unknown session is judged at)."""
        files, problems = list_log_files(self.history_dir, SESSIONS)
        self.db.execute("BEGIN IMMEDIATE")
        try:
            known = {row[0]: row[1:] for row in self.db.execute(
                "SELECT path, size, mtime_ns, ctime_ns, inode, read_ns, crc, records_at FROM files")}
            touched: set[str] = set()
            days: set[int] = set()
            skip = len(str(self.history_dir)) + 1
            for path in files:
                rel = str(path)[skip:]  # below the history folder
                have = known.pop(rel, None)
                key = _key(path)
                if have is None or key is None or have[:4] != key or not _settled(key, have[4]):
                    touched |= self._read(path, rel, key, have, days)
            for rel in known:  # gone, or no longer a history file
                touched |= self._forget(rel, days)
            if touched:
                self._count(touched, days)
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        problems += [Problem(self.history_dir / rel, line, col, message) for rel, line, col, message
                     in self.db.execute("SELECT path, line, col, message FROM problems")]
        problems += self._unknown(time.time_ns() // 1000 if now_us is None else now_us)
        return sorted(problems, key=lambda p: (str(p.path), p.line, p.col))

    def _read(self, path: Path, rel: str, key: tuple | None, have: tuple | None, days: set[int]) -> set[str]:
        """Parse one file (or what was appended to it) into the cache; the ids it changes."""
        read_ns = time.time_ns()
        raw, problems = read_log_bytes(path, SESSIONS)
        if raw is None:
            key = None  # a file that could not be read now is tried again next time
        if raw is not None and have is not None and len(raw) == have[0] and zlib.crc32(raw) == have[5]:
            # the same bytes (read again only to be sure): now known by this key
            self.db.execute("UPDATE files SET size = ?, mtime_ns = ?, ctime_ns = ?, inode = ?, read_ns = ? "
                            "WHERE path = ?", (*(key or (None,) * 4), read_ns, rel))
            return set()
        hint = device_hint(self.history_dir, path)
        records = self._appended(path, raw, have, hint) if raw is not None and have is not None else None
        if records is not None:
            touched = set()
            first = self.db.execute("SELECT count(*) FROM sessions WHERE path = ?", (rel,)).fetchone()[0]
            self.db.execute("DELETE FROM files WHERE path = ?", (rel,))
        else:
            touched, first = self._forget(rel, days), 0
            records, problems = parse_log(path, raw, SESSIONS, hint) if raw is not None else ([], problems)
        sessions = [r for r in records if isinstance(r, Session)]
        corrections = [r for r in records if isinstance(r, Correction)]
        records_at = _records_at(raw) if raw is not None and not problems else None
        self.db.execute("INSERT INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        (rel, *(key or (None,) * 4), read_ns, zlib.crc32(raw or b""), records_at))
        self.db.executemany("INSERT INTO problems VALUES (?, ?, ?, ?)",
                            [(rel, p.line, p.col, p.message) for p in problems])
        marks = ",".join("?" * (len(_FIELDS) + 5))
        self.db.executemany(f"INSERT INTO sessions VALUES ({marks})", [
            (rel, seq, 0, s.started.toordinal(), (s.started - _EPOCH) // _MICROSECOND,
             *s._replace(started=s.started.isoformat(), ended=s.ended.isoformat()))
            for seq, s in enumerate(sessions, first)])
        self.db.executemany("INSERT INTO corrections VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [
            (rel, c.line, c.col, c.session, (c.at - _EPOCH) // _MICROSECOND, c.restore, c.at.isoformat(), c.why)
            for c in corrections])
        return touched | {s.id for s in sessions} | {c.session for c in corrections}

    def _appended(self, path: Path, raw: bytes, have: tuple, hint: str) -> list | None:
        """The records appended to a sound file since it was read, parsed on their own behind
        its header; None when that would not give what reading the whole file gives."""
        size, crc, records_at = have[0], have[5], have[6]
        if records_at is None or len(raw) <= size or zlib.crc32(raw[:size]) != crc:
            return None
        tail = raw[size:]
        first = next((ln for ln in tail.split(b"\n") if ln.strip() and not ln.lstrip().startswith(b"#")), b"")
        if not SESSIONS.record_line.match(first.decode("utf-8", "replace")):
            return None  # it goes on with the last record
        text = raw[:records_at] + b"\n" * raw.count(b"\n", records_at, size) + tail  # the same line numbers
        records, problems = parse_log(path, text, SESSIONS, hint)
        return None if problems else records

    def _forget(self, rel: str, days: set[int]) -> set[str]:
        """Take a file out of the cache; the ids it held (and their days join `days`)."""
        ids = set()
        for sid, day in self.db.execute("SELECT id, day FROM sessions WHERE path = ?", (rel,)):
            ids.add(sid)
            days.add(day)
        ids |= {sid for (sid,) in self.db.execute("SELECT session FROM corrections WHERE path = ?", (rel,))}
        for table in ("files", "problems", "sessions", "corrections"):
            self.db.execute(f"DELETE FROM {table} WHERE path = ?", (rel,))
        return ids

    def _count(self, ids: set[str], days: set[int]) -> None:
        """Mark, for each of `ids`, the one record that counts, and group the sessions of
        `days` (and of the days of `ids`) again."""
        self.db.execute("DELETE FROM touched")
        self.db.executemany("INSERT INTO touched VALUES (?)", ((i,) for i in ids))
        per_file: dict[str, list[tuple[int, str]]] = {}
        for rowid, sid, rel in self.db.execute(
                "SELECT rowid, id, path FROM sessions WHERE id IN touched ORDER BY path, seq"):
            per_file.setdefault(rel, []).append((rowid, sid))
        winners = merge_by_id(self.history_dir, self.device,
                              [(self.history_dir / rel, rows) for rel, rows in per_file.items()],
                              lambda row: row[1])
        self.db.execute("UPDATE sessions SET counts = 0 WHERE id IN touched")
        self.db.executemany("UPDATE sessions SET counts = 1 WHERE rowid = ?", ((w[0],) for w in winners))
        # per id the latest correction wins, a restore on a tie; copies of one (conflict files) are one
        self.db.execute("DELETE FROM retracted WHERE id IN touched")
        self.db.execute("INSERT OR IGNORE INTO retracted SELECT session, at, why FROM corrections c "
                        "WHERE session IN touched AND NOT restore AND NOT EXISTS (SELECT 1 FROM corrections d "
                        "WHERE d.session = c.session AND (d.at_us > c.at_us OR d.at_us = c.at_us AND d.restore)) "
                        "ORDER BY session, at, why")
        # `+counts`: found by id, not by the (counts, started_us) index, which would walk every
        # session that counts (2 ms at ten years, on every save)
        self.db.execute("UPDATE sessions SET counts = 2 WHERE +counts = 1 AND id IN touched "
                        "AND id IN (SELECT id FROM retracted)")
        days |= {d for (d,) in self.db.execute("SELECT day FROM sessions WHERE id IN touched")}
        self.db.execute("DELETE FROM touched_days")
        self.db.executemany("INSERT INTO touched_days VALUES (?)", ((d,) for d in days))
        self.db.execute("DELETE FROM days WHERE day IN touched_days")
        self.db.execute("INSERT INTO days SELECT day, region, "
                        "CASE WHEN completed THEN 2 WHEN stretches_done > 0 THEN 1 ELSE 0 END AS kind, count(*) "
                        "FROM sessions WHERE counts = 1 AND day IN touched_days GROUP BY day, region, kind")

    def sessions(self) -> list[Session]:
        """Every session that counts, by start."""
        rows = self.db.execute(f"SELECT {', '.join(_FIELDS)} FROM sessions WHERE counts = 1 "
                               "ORDER BY started_us, id")
        return [_session(row) for row in rows]

    def recent(self, n: int) -> list[Session]:
        """The `n` latest sessions that count, newest first."""
        rows = self.db.execute(f"SELECT {', '.join(_FIELDS)} FROM sessions WHERE counts = 1 "
                               "ORDER BY started_us DESC, id DESC LIMIT ?", (n,))
        return [_session(row) for row in rows]

    def retracted(self) -> list[Correction]:
        """The retractions that take a session out of the counts, by when they were made."""
        rows = self.db.execute("SELECT r.id, r.at, r.why FROM retracted r WHERE EXISTS "
                               "(SELECT 1 FROM sessions WHERE id = r.id AND +counts = 2)")  # by id, as in _count
        found = [Correction(sid, datetime.fromisoformat(at), False, why) for sid, at, why in rows]
        return sorted(found, key=lambda c: (c.at, c.session))  # by the moment, whatever each one's offset

    def find(self, prefix: str, limit: int = 2) -> list[tuple[Session, bool]]:
        """Up to `limit` sessions whose id starts with `prefix`, each with whether it is retracted."""
        rows = self.db.execute(f"SELECT {', '.join(_FIELDS)}, counts FROM sessions WHERE id >= ? "
                               "AND id < ? || char(1114111) AND counts > 0 ORDER BY id LIMIT ?",
                               (prefix, prefix, limit))
        return [(_session(row[:-1]), row[-1] == 2) for row in rows]

    def latest_correction(self, session_id: str) -> datetime | None:
        """When the latest correction of a session was made (as UTC), or None."""
        (at_us,) = self.db.execute("SELECT max(at_us) FROM corrections WHERE session = ?", (session_id,)).fetchone()
        return None if at_us is None else _EPOCH + at_us * _MICROSECOND

    def _unknown(self, now_us: int) -> list[Problem]:
        """The retractions more than a day old naming a session no file holds (one may still be on its way)."""
        rows = self.db.execute("SELECT path, line, col, session FROM corrections c WHERE NOT restore AND at_us < ? "
                               "AND NOT EXISTS (SELECT 1 FROM sessions WHERE id = c.session)",
                               (now_us - UNKNOWN_AFTER_US,))
        return [Problem(self.history_dir / rel, line, col, f"retraction of session {sid}, which no history file "
                                                           "holds: it counts nowhere") for rel, line, col, sid in rows]

    def counts(self) -> tuple[list[tuple[int, str, int]], list[tuple[int, str, int]], int]:
        """The sessions that count, as (day ordinal, region, how many) in day order: the completed
        ones, and the ones stopped early with a stretch done; and how many were stopped early."""
        def rows(kind: int) -> list[tuple[int, str, int]]:
            return self.db.execute("SELECT day, region, n FROM days WHERE kind = ? ORDER BY day, region",
                                   (kind,)).fetchall()

        stopped = self.db.execute("SELECT coalesce(sum(n), 0) FROM days WHERE kind < 2").fetchone()[0]
        return rows(2), rows(1), stopped

    def close(self) -> None:
        self.db.close()


def _session(row: tuple) -> Session:
    sid, routine, name, region, started, ended, active, completed, *rest = row
    return Session(sid, routine, name, region, datetime.fromisoformat(started), datetime.fromisoformat(ended),
                   active, bool(completed), *rest)


def _records_at(raw: bytes) -> int | None:
    """Where the records of a sound file start, when nothing but records follow its header and
    it ends at a line's end (so a record appended to it can be read on its own); else None."""
    start, at = None, 0
    for line in raw.split(b"\n"):
        if line.lstrip()[:1] == b"[":
            if not SESSIONS.record_line.match(line.decode("utf-8", "replace")):
                return None  # a table of another kind (or a line of a long text that looks like one)
            start = at if start is None else start
        at += len(line) + 1
    return start if raw.endswith(b"\n") else None


def _key(path: Path) -> tuple[int, int, int, int] | None:
    """What identifies a file's bytes without reading them (None: not a file to trust)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino) if stat.S_ISREG(st.st_mode) else None


def _settled(key: tuple, read_ns: int) -> bool:
    """The file's last change came well before it was read: the same key, the same bytes. The ctime
    is set at every change (a sync tool can set the mtime back, not the ctime); on Windows
    st_ctime is the creation time, so the mtime stands in for it there."""
    changed = key[1] if os.name == "nt" else key[2]
    return changed < read_ns - SETTLE_NS


def _unlink(path: Path) -> None:
    for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        with suppress(OSError):
            p.unlink()
