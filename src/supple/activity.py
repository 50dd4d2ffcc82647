"""When the person last stretched, and how to tell them it is time again. No Textual."""

from __future__ import annotations

import re
from datetime import datetime

MONTH = re.compile(r"^\d{4}-\d{2}")


def last_activity(store, ctx, now: datetime) -> datetime | None:
    """When the person last stretched: the end of the last session or the last break event
    (None when there is neither).

    Only the newest months' files are read: ten years of history need not be
    loaded (nor kept in memory) to know about this morning. The readers never
    raise for what is in a file, so a damaged one cannot stop a nudge.
    """
    from supple.breaklog import BREAKS
    from supple.history import SESSIONS, list_history_files, read_log_file

    times: list[datetime] = []
    for fmt, when in ((SESSIONS, "ended"), (BREAKS, "at")):
        folder = store.data_dir / fmt.folder
        files, _ = list_history_files(folder, fmt)
        months = sorted({f.name[:7] for f in files if MONTH.match(f.name)}, reverse=True)[:2]
        for f in files:
            if f.name[:7] in months:
                records, _ = read_log_file(f, fmt)
                times += [getattr(r, when) for r in records]
    past = [t for t in times if t <= now]
    return max(past) if past else None


def neglected_region(store, ctx, now: datetime) -> str | None:
    """The region left the longest (never done first), for a break that offers it."""
    regions = ctx.routines.regions()
    stats = store.load().tally().region_stats(now.date(), regions)
    if not stats:
        return None
    stale = min(stats, key=lambda r: (r.last_done is not None, r.last_done or now.date()))
    return stale.region


def ago_words(delta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes < 60:
        return f"{minutes} min ago"
    hours, minutes = divmod(minutes, 60)
    if hours >= 24:
        return f"{hours // 24} day{'s' if hours >= 48 else ''} ago"
    return f"{hours} h {minutes:02d} min ago"


def desktop_notify(title: str, body: str) -> None:
    """A desktop notification where the desktop offers one; silently nothing elsewhere."""
    import shutil
    import subprocess
    import sys

    if sys.platform == "darwin" and shutil.which("osascript"):
        command = ["osascript", "-e", f"display notification {body!r} with title {title!r}"]
    elif shutil.which("notify-send"):
        command = ["notify-send", "--app-name=supple", title, body]
    else:
        return
    try:
        subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         stdin=subprocess.DEVNULL, start_new_session=True)
    except OSError:
        pass
