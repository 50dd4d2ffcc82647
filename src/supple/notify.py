"""A desktop notification where the desktop offers one; silently nothing elsewhere."""

from __future__ import annotations

import shutil
import subprocess
import sys


def desktop_notify(title: str, body: str) -> None:
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
