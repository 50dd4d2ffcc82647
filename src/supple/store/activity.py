"""When the person last stretched: the end of the last session or break event."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from supple.store.breaklog import BREAKS
from supple.store.logs import list_log_files, read_log_file
from supple.store.sessions import SESSIONS

_MONTH = re.compile(r"^\d{4}-\d{2}")


def last_activity(data_dir: Path, now: datetime) -> datetime | None:
    """The latest end of a session or break event up to `now` (None when there is neither). Only
    the newest two months' files are read: ten years of history need not load to know about today."""
    times: list[datetime] = []
    for fmt, when in ((SESSIONS, "ended"), (BREAKS, "at")):
        files, _ = list_log_files(data_dir / fmt.folder, fmt)
        months = sorted({f.name[:7] for f in files if _MONTH.match(f.name)}, reverse=True)[:2]
        for f in files:
            if f.name[:7] in months:
                # a correction is no activity (a forgotten session still is: it was done)
                times += [getattr(r, when) for r in read_log_file(f, fmt)[0] if hasattr(r, when)]
    past = [t for t in times if t <= now]
    return max(past) if past else None
