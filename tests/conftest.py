from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from supple.store.paths import Dirs


class FakeClock:
    """A monotonic clock for tests: time moves only when told."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def dirs(tmp_path: Path) -> Dirs:
    d = Dirs(data=tmp_path / "data", config=tmp_path / "config", cache=tmp_path / "cache")
    d.config.mkdir()
    return d


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


SHORT_ROUTINE = '''name = "Quick test"
region = "neck"
prepare = 2
rest = 1

[[stretch]]
name = "Tilt"
how = "Tip your head toward one shoulder."
hold = 3
reps = 2
sides = "both"

[[stretch]]
name = "Tuck"
how = "Glide your head straight back."
hold = 2
'''


_SVG_TEXT = re.compile(r'<text class="[^"]*" x="([\d.]+)" y="[\d.]+" textLength="[\d.]+" '
                       r'clip-path="url\(#[\w-]+-line-(\d+)\)">([^<]*)</text>')


async def first_screens(pilot, clock, routine) -> None:
    """What a new user sees first: the history and back, then the first seconds of `routine`."""
    await pilot.press("h")
    await pilot.pause()
    await pilot.press("escape")
    pilot.app.start_routine(routine)
    await pilot.pause()
    clock.advance(3)
    pilot.app.screen.tick()
    await pilot.pause()


def screen_text(app) -> str:
    """What the app's screen shows, as lines of text (read off Textual's own screenshot)."""
    rows: dict[int, list[tuple[int, str]]] = {}
    for m in _SVG_TEXT.finditer(app.export_screenshot()):
        col, line = round(float(m[1]) / 12.2), int(m[2])
        rows.setdefault(line, []).append((col, html.unescape(m[3]).replace("\xa0", " ")))
    lines = []
    for n in range(max(rows, default=-1) + 1):
        out = ""
        for col, text in sorted(rows.get(n, [])):
            out = out.ljust(col) + text
        lines.append(out.rstrip())
    return "\n".join(lines)
