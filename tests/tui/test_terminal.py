"""The installed `supple` in a real terminal (tmux), read off the screen.

This one runs on the real clock on purpose: it is the only test that sees
what a person sees, so it plays a 9-second routine from start to finish.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from conftest import write
from faults import make

from supple.store.history import HistoryStore

SUPPLE = shutil.which("supple", path=str(Path(sys.executable).parent)) or shutil.which("supple")
pytestmark = [
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
    pytest.mark.skipif(SUPPLE is None, reason="supple is not installed (pip install .)"),
]

# texts full of markup, an action and a stray closing tag: shown as written from start to end
NAME = "Tiny [b]bold[/b] [/]"
STRETCH = "Ear to shoulder [@click=app.quit]x[/]"
HOW = "Let one ear drift [red]toward[/red] its shoulder."
TIP = "Breathe [i]out[/i] \\x1b[2J"  # an escape character (\u001b in the file) shows as \x1b

TINY = f'''name = "{NAME}"
region = "neck"
prepare = 1
rest = 1

[[stretch]]
name = "{STRETCH}"
how = "{HOW}"
hold = 2
sides = "both"
tips = ["Breathe [i]out[/i] \\u001b[2J"]
figure = "side-bend"
'''


class Tmux:
    def __init__(self, name: str, env: dict[str, str]) -> None:
        self.name = name
        self.env = env

    def start(self, *args: str, width: int = 80, height: int = 24) -> None:
        command = " ".join([SUPPLE, *args])
        env = [f"{k}={v}" for k, v in self.env.items()]
        # -u: the tmux server passes on the environment of whoever started it, and pytest's can hold
        # COLUMNS and LINES (80x24), which Textual would take over the pane's real size
        subprocess.run(["tmux", "new-session", "-d", "-s", self.name, "-x", str(width), "-y", str(height),
                        "env", "-u", "COLUMNS", "-u", "LINES", *env,
                        "sh", "-c", command + "; echo SUPPLE-EXIT=$?; sleep 30"], check=True)

    def screen(self) -> str:
        return subprocess.run(["tmux", "capture-pane", "-p", "-t", self.name],
                              capture_output=True, text=True).stdout

    def keys(self, *keys: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.name, *keys], check=True)

    def wait_for(self, *texts: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if all(text in screen for text in texts):
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{texts!r} never showed; the screen was:\n{self.screen()}")

    def settle(self, quiet: float = 0.4, timeout: float = 10.0) -> str:
        """Wait until the screen has not changed for `quiet` seconds, as a person waits for a UI."""
        deadline = time.monotonic() + timeout
        last, since = self.screen(), time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(0.05)
            now = self.screen()
            if now != last:
                last, since = now, time.monotonic()
            elif time.monotonic() - since >= quiet:
                return now
        return last

    def kill(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)


@pytest.fixture
def term(dirs):
    write(dirs.user_routines / "tiny.toml", TINY)
    write(dirs.data / ".safety-shown", "")  # the first-run notice is tested with Pilot; here it would cover the list
    env = {
        "SUPPLE_DATA_DIR": str(dirs.data), "SUPPLE_CONFIG_DIR": str(dirs.config),
        "SUPPLE_CACHE_DIR": str(dirs.cache), "TERM": "xterm-256color", "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", "/tmp"), "LANG": "C.UTF-8",
    }
    t = Tmux(f"supple-test-{os.getpid()}", env)
    yield t
    t.kill()


def test_installed_supple_plays_a_routine_in_tmux_and_saves_it(term, dirs):
    term.start()
    term.wait_for("Where do you feel it?")
    term.wait_for(NAME)
    # Neck is the first region; Tiny is the user's second neck routine
    term.settle()
    term.keys("Enter")
    term.settle()
    term.keys("Down")
    term.wait_for(STRETCH)  # Tiny's stretches show beside the list
    term.keys("Enter")
    screen = term.wait_for("GET READY", timeout=5)
    assert STRETCH in screen and "LEFT" in screen and NAME in screen
    screen = term.wait_for("HOLD", "LEFT")
    assert HOW in screen and TIP in screen and STRETCH in screen
    left = dots(screen)
    assert len(left) > 40, screen  # a figure is drawn beside the words
    screen = term.wait_for("HOLD", "RIGHT")
    assert HOW in screen and STRETCH in screen
    right = dots(screen)
    assert overlap(right, mirrored(left)) > 0.8, screen  # the right side is the left one's mirror image
    assert overlap(right, left) < 0.6
    screen = term.wait_for(f"Well done: {NAME} is done", timeout=20)
    assert "Stretches  1 of 1" in screen
    assert "Saved to your history" in screen
    term.keys("Enter")
    term.wait_for("Where do you feel it?")
    term.keys("q")
    term.wait_for("SUPPLE-EXIT=0")

    out = subprocess.run([SUPPLE, "history", "--json", "--data-dir", str(dirs.data),
                          "--config-dir", str(dirs.config)], capture_output=True, text=True, check=True)
    data = json.loads(out.stdout)
    [session] = data["sessions"]
    assert session["routine"] == "tiny" and session["completed"] is True
    assert session["stretches_done"] == 1 and session["active_seconds"] == pytest.approx(4, abs=0.2)
    assert data["problems"] == []
    assert list(data["days"].values()) == [1]


_BITS = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))  # a braille dot's bit: [row][column]


def dots(screen: str) -> set[tuple[int, int]]:
    """The braille dots on a screen, as (x, y), moved to start at (0, 0)."""
    lit = {(col * 2 + dx, row * 4 + dy) for row, line in enumerate(screen.split("\n"))
           for col, ch in enumerate(line) if 0x2800 < ord(ch) <= 0x28FF
           for dy in range(4) for dx in range(2) if (ord(ch) - 0x2800) & _BITS[dy][dx]}
    if not lit:
        return lit
    x0, y0 = min(x for x, _ in lit), min(y for _, y in lit)
    return {(x - x0, y - y0) for x, y in lit}


def mirrored(points: set[tuple[int, int]]) -> set[tuple[int, int]]:
    right = max(x for x, _ in points)
    return {(right - x, y) for x, y in points}


def overlap(a: set, b: set) -> float:
    """How alike two drawings are, 0 to 1, forgiving a dot's rounding either way."""
    near = {(x + dx, y + dy) for x, y in b for dx in (-1, 0, 1) for dy in (-1, 0, 1)}
    return len(a & near) / max(len(a), 1)


def footer(screen: str) -> str:
    return screen.rstrip("\n").split("\n")[-1]


def test_in_tmux_skipping_is_not_done_the_way_back_is_shown_and_a_short_break_interval_nudges(term, dirs):
    """A person trying things out: breaks every minute, a routine skipped through, the way
    around the lists, and the break prompt within the minute (it used to hide for ten)."""
    write(dirs.config_file, 'break_every = 1\ndevice = "tmux"\n')
    three_days_ago = make(datetime.now().astimezone().replace(microsecond=0) - timedelta(days=3))
    HistoryStore(dirs.data, "tmux", None).save(three_days_ago)  # a break is due from the start
    opened = time.monotonic()
    term.start(width=100, height=30)
    term.wait_for(NAME)
    term.settle()
    assert "← Regions" not in footer(term.screen())
    term.keys("Enter")  # into Neck's routines: the way back shows
    assert "← Regions" in footer(term.settle())
    term.keys("Left")
    assert "← Regions" not in footer(term.settle())
    term.keys("Right")
    term.settle()
    term.keys("Down")
    term.wait_for(STRETCH)
    term.keys("Enter")
    term.wait_for("GET READY")
    term.keys("n")  # skip the only stretch
    screen = term.wait_for(f"{NAME}: not every stretch was done", timeout=10)
    assert "Stretches  0 of 1 done, 1 skipped" in screen and "Well done" not in screen
    term.keys("q")
    term.wait_for("Where do you feel it?")
    term.settle()
    term.keys("Down", "Down", "Down", "Down", "Enter")  # from the regions: Posture
    term.wait_for("Routines · Posture")
    screen = term.wait_for("Time for a stretch break", timeout=45)
    waited = time.monotonic() - opened
    assert waited < 40, waited  # the grace is half the interval: 30 seconds
    term.keys("s")
    screen = term.settle()
    assert "Time for a stretch break" not in screen
    term.keys("q")
    term.wait_for("SUPPLE-EXIT=0")

    out = subprocess.run([SUPPLE, "history", "--json", "--data-dir", str(dirs.data),
                          "--config-dir", str(dirs.config)], capture_output=True, text=True, check=True)
    data = json.loads(out.stdout)
    tiny = [s for s in data["sessions"] if s["routine"] == "tiny"]
    assert [(s["completed"], s["stretches_done"]) for s in tiny] == [(False, 0)]
    assert data["streak"]["current"] == 0
    assert "snoozed" in "".join(p.read_text() for p in (dirs.data / "breaks").rglob("*.toml"))


def test_in_tmux_a_session_forgotten_on_the_history_screen_leaves_the_streak(term, dirs):
    now = datetime.now().astimezone().replace(microsecond=0)
    store = HistoryStore(dirs.data, "tmux", None)
    for back in (0, 1, 2):  # three days in a row, today the last
        store.save(make(now - timedelta(days=back, minutes=30)))
    term.start(width=100, height=40)
    term.wait_for("Where do you feel it?")
    term.settle()
    term.keys("h")
    assert "Streak   3 days" in term.wait_for("Recent sessions")
    term.keys("Tab")
    assert "d Forget session" in footer(term.settle())
    term.keys("d")
    term.wait_for("Forget this session? It stays in the file")
    term.keys("y")
    screen = term.wait_for("Streak   2 days")
    assert "0 of 2 sessions" in screen
    term.keys("u")  # the notice offers an undo
    term.wait_for("Streak   3 days")
    term.keys("q", "q")
    term.wait_for("SUPPLE-EXIT=0")
    written = b"".join(p.read_bytes() for p in (dirs.data / "history").rglob("*.toml"))
    assert written.count(b"[[retract]]") == 1 and written.count(b"[[restore]]") == 1
