"""Saying things on the terminal: problems and errors, one line each, on stderr."""

from __future__ import annotations

import sys
from pathlib import Path

from supple.core.model import Problem


def print_problems(problems: list[Problem], base: Path | None = None) -> None:
    for p in problems:
        err(p.format(base))


def err(text: str) -> None:
    print(text, file=sys.stderr)
