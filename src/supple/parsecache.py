"""Parsed routine, theme and config files, kept between starts.

Reading forty small TOML files with the pure-Python tomllib took longer
than anything else supple does before its first frame. A file whose size,
times and inode are unchanged parses to the same result, so the result is
kept in the cache folder. The cache is throw-away: if it cannot be read or
written, files are parsed as if it were not there, and `supple check`
never uses it.
"""

from __future__ import annotations

import os
import pickle
import sys
import time
from pathlib import Path
from typing import Callable, TypeVar

from supple import __version__

T = TypeVar("T")

FORMAT = 1
# A file changed this recently could change again within the same timestamp
# without its size changing: its result is used but not kept.
SETTLE_SECONDS = 2.0


def _code_stamp() -> tuple:
    """What the cached objects were made by: a reinstalled or edited supple starts afresh."""
    here = Path(__file__).parent
    stamps = []
    for name in ("routines.py", "config.py", "themes.py", "problems.py", "plan.py", "tomlfile.py"):
        try:
            stamps.append((here / name).stat().st_mtime_ns)
        except OSError:
            stamps.append(None)
    return (FORMAT, __version__, sys.version_info[:2], tuple(stamps))


class ParseCache:
    """`get(path, parse)` returns parse(path), from the cache while the file is unchanged."""

    def __init__(self, path: Path | None, extra: object = None, clock: Callable[[], float] = time.time) -> None:
        self.path = path
        self.clock = clock
        self.tag = (_code_stamp(), extra)
        self._old = self._load()
        self._new: dict[str, tuple] = {}
        self._changed = False

    def _load(self) -> dict[str, tuple]:
        if self.path is None:
            return {}
        try:
            with open(self.path, "rb") as f:
                saved = pickle.load(f)
            if isinstance(saved, dict) and saved.get("tag") == self.tag and isinstance(saved.get("files"), dict):
                return saved["files"]
        except Exception:  # a damaged or foreign cache is simply not used
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
        self._changed = True
        if self.clock() - max(st.st_mtime, st.st_ctime) >= SETTLE_SECONDS:
            self._new[key] = (stamp, result)
        return result

    def save(self) -> None:
        """Write what was parsed this time (and only that), if anything changed."""
        if self.path is None or not (self._changed or self._new.keys() != self._old.keys()):
            return
        import tempfile  # only when something changed: a start with nothing new never writes

        try:
            data = pickle.dumps({"tag": self.tag, "files": self._new}, protocol=pickle.HIGHEST_PROTOCOL)
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}-")
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(data)
                os.replace(tmp, self.path)
            except BaseException:
                os.unlink(tmp)
                raise
        except Exception:  # a cache that cannot be written costs only time
            pass
        self._old, self._changed = dict(self._new), False
