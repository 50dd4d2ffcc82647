"""A desktop notification where the desktop offers one; silently nothing elsewhere. The texts go in as
arguments, never inside a script, and escaped for servers that read the body as markup."""

from __future__ import annotations

import html
import shutil
import subprocess
import sys

from supple.core.text import one_line

_APPLESCRIPT = ["-e", "on run argv", "-e", "display notification (item 2 of argv) with title (item 1 of argv)",
                "-e", "end run"]


def desktop_notify(title: str, body: str) -> None:
    title, body = one_line(title), one_line(body)
    if sys.platform == "darwin" and shutil.which("osascript"):
        command = ["osascript", *_APPLESCRIPT, title, body]
    elif shutil.which("notify-send"):
        command = ["notify-send", "--app-name=supple", "--", title, html.escape(body, quote=False)]
    else:
        return
    try:
        subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         stdin=subprocess.DEVNULL, start_new_session=True)
    except OSError:
        pass
