"""When the person last stretched, and how to tell them it is time again. No Textual."""

from __future__ import annotations

from datetime import datetime


def last_activity(store, ctx, now: datetime) -> datetime | None:
    """When the person last stretched: the end of the last session or the last break event
    (None when there is neither).

    Neither store raises for what is in its files, so a damaged file cannot stop a nudge.
    """
    from supple.breaklog import BreakLog

    history = store.load()
    times = [s.ended for s in history.sessions[-50:]]
    events, _ = BreakLog(ctx.dirs.data, ctx.config.device_name, ctx.dirs.cache).load()
    times += [e.at for e in events[-5:]]
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
