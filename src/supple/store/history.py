"""The session history: every session of every device, loaded through the history cache
(`cache.HistoryCache`), and this device's saves (`append`)."""

from __future__ import annotations

import sqlite3
from contextlib import closing, suppress
from datetime import datetime, timedelta
from pathlib import Path
from typing import NamedTuple

from supple.core.model import Correction, Problem, Session
from supple.store.append import AppendLog
from supple.store.cache import HistoryCache, cache_file
from supple.store.sessions import SESSIONS, correction_text, record_text, writable


class History(NamedTuple):
    """Every session that counts (merged by id, sorted by start), each damaged part of a file, and
    the retractions that take a session out (id, at and why; by when they were made)."""

    sessions: list[Session]
    problems: list[Problem]
    retracted: list[Correction] = []


class Counts(NamedTuple):
    """What the figures are made from, without a Session built: `done` holds the completed
    sessions as (day ordinal, region, how many), in day order; `partial` the sessions stopped
    early with at least one stretch done, the same way; `stopped` how many were stopped early."""

    done: list[tuple[int, str, int]]
    partial: list[tuple[int, str, int]]
    stopped: int
    problems: list[Problem]
    recent: list[Session] = []  # the latest sessions that count, newest first, when asked for


def new_session_id() -> str:
    # uuid brings platform with it (2 ms): `supple history`, which makes no session,
    # answers within 0.30x of a first frame without them
    import uuid

    return uuid.uuid4().hex


class HistoryStore(AppendLog):
    """The session history: `<data>/history/<device>/<YYYY-MM>.toml`."""

    KIND = SESSIONS

    @property
    def history_dir(self) -> Path:
        return self.log_dir

    def load(self) -> History:
        """Every session below the history folder, merged by id, and the problems found."""
        (sessions, retracted), problems = self._from_cache(lambda cache: (cache.sessions(), cache.retracted()))
        return History(sessions, problems, retracted)

    def counts(self, recent: int = 0) -> Counts:
        """The sessions counted for the figures, the problems found, and the `recent` latest sessions."""
        ((done, partial, stopped), latest), problems = self._from_cache(
            lambda cache: (cache.counts(), cache.recent(recent) if recent else []))
        return Counts(done, partial, stopped, problems, latest)

    def refresh(self) -> None:
        """Bring the history cache on disk up to date with the files (what a load does first);
        quietly nothing when there is none to keep."""
        if self.cache_path is not None:
            with closing(HistoryCache(self.log_dir, self.device, self.cache_path)) as cache:
                if cache.path is not None:  # on disk, not the stand-in in memory
                    with suppress(sqlite3.Error):  # it is only a cache: the next load sees to it
                        cache.refresh()

    @property
    def cache_path(self) -> Path | None:
        return cache_file(self.cache_dir, self.log_dir) if self.cache_dir is not None else None

    def _from_cache(self, query):
        for attempt in (self.cache_path, None):  # a cache that fails midway: the files, read afresh in memory
            with closing(HistoryCache(self.log_dir, self.device, attempt)) as cache:
                try:
                    problems = cache.refresh()
                    return query(cache), problems
                except sqlite3.Error:
                    if attempt is None:
                        raise

    def find(self, prefix: str, limit: int = 2) -> list[tuple[Session, bool]]:
        """Up to `limit` sessions whose id starts with `prefix`, each with whether it is retracted."""
        return self._from_cache(lambda cache: cache.find(prefix, limit))[0]

    def retract(self, session_id: str, why: str | None = None, at: datetime | None = None) -> Path:
        """Append a `[[retract]]` of a session: it counts nowhere from then on; the path written."""
        return self.correct(session_id, False, why, at)

    def restore(self, session_id: str, at: datetime | None = None) -> Path:
        """Append a `[[restore]]` of a session: it counts again; the path written."""
        return self.correct(session_id, True, None, at)

    def correct(self, session_id: str, restore: bool, why: str | None = None, at: datetime | None = None) -> Path:
        """Append a correction made `at` (now by default) to this device's file of this month.
        Raises SaveError."""
        now = datetime.now().astimezone().replace(microsecond=0)
        if at is None:
            at = now
            # later than every correction this device has seen for it, even one from a clock running ahead
            latest = self._from_cache(lambda cache: cache.latest_correction(session_id))[0]
            if latest is not None and latest >= at:
                at = (latest + timedelta(seconds=1)).astimezone(at.tzinfo).replace(microsecond=0)
        return self.save_record(Correction(session_id, at, restore, why, self.device), correction_text, now)

    def save(self, session: Session) -> Path:
        """Append `session` to its month's file; the path written. Raises SaveError."""
        return self.save_record(writable(session._replace(device=self.device)), record_text, session.started)
