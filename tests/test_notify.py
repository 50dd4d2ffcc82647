"""Desktop notifications carry a routine's name as written: as arguments, never inside a script."""

from __future__ import annotations

import pytest

from supple import notify

NAME = 'Evil <b>bold</b> & "quoted" \'single\' \x1b[2J'


@pytest.mark.parametrize("platform", ["linux", "darwin"])
def test_the_name_reaches_the_notification_as_written(monkeypatch, platform):
    ran = []
    monkeypatch.setattr(notify.sys, "platform", platform)
    monkeypatch.setattr(notify.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(notify.subprocess, "Popen", lambda command, **kw: ran.append(command))
    notify.desktop_notify("Time for a stretch break", NAME)
    [command] = ran
    if platform == "darwin":
        # an AppleScript that reads its texts from argv: the name is never part of the script
        assert command[0] == "osascript" and command[-2:] == ["Time for a stretch break", NAME.replace("\x1b", "\\x1b")]
        assert all(NAME not in part for part in command[:-1])
    else:
        # notification servers read the body as markup: it is escaped
        assert command[-1] == 'Evil &lt;b&gt;bold&lt;/b&gt; &amp; "quoted" \'single\' \\x1b[2J'
        assert command[-3] == "--"
