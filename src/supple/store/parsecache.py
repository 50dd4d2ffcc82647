"""Parsed routine and theme files, kept between starts: parsing forty small TOML files (and
making each theme's colours) costs a start more than anything else before its first frame (the
target: a first frame within 1.10x of a bare Textual app). A file whose size, times and inode are
unchanged parses to the same result with the same code (`files.code_stamp`). Throw-away: a cache
that cannot be read or written is as if it were not there; `supple check` never uses it.
"""

from __future__ import annotations

import os
import pickle
import time
from pathlib import Path
from typing import Callable, TypeVar

from supple.store.files import code_stamp, write_atomic

T = TypeVar("T")

# A file changed this recently could change again within the same timestamp
# without its size changing: its result is used but not kept.
SETTLE_SECONDS = 2.0


class ParseCache:
    """`get(path, parse)` returns parse(path), from the cache while the file is unchanged."""

    def __init__(self, path: Path, extra: object = None, clock: Callable[[], float] = time.time) -> None:
        self.path = path
        self.clock = clock
        self.stamp = code_stamp(extra)
        self._old = self._load()
        self._new: dict[str, tuple] = {}

    def _load(self) -> dict[str, tuple]:
        try:
            saved = pickle.loads(self.path.read_bytes())
            if saved["stamp"] == self.stamp:
                return saved["files"]
        except Exception:  # missing, damaged or another supple's: not used
            pass
        return {}

    def get(self, path: Path, parse: Callable[[Path], T]) -> T:
        try:
            st = os.stat(path)
        except OSError:
            return parse(path)  # the parser says why the file cannot be read
        stamp = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)
        key = os.fsdecode(path)
        kept = self._old.get(key)
        if kept is not None and kept[0] == stamp:
            self._new[key] = kept
            return kept[1]
        result = parse(path)
        if self.clock() - max(st.st_mtime, st.st_ctime) >= SETTLE_SECONDS:
            self._new[key] = (stamp, result)
        return result

    def save(self) -> None:
        """Keep what was read this time (and only that), if it differs from what was kept."""
        if self._new == self._old:
            return
        try:
            write_atomic(self.path, pickle.dumps({"stamp": self.stamp, "files": self._new}))
        except OSError:  # a cache that cannot be written costs only time
            pass
        self._old = dict(self._new)
