"""A located problem in a file the user (or a sync tool) wrote."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple


class Problem(NamedTuple):
    path: Path
    line: int
    col: int
    message: str

    def format(self, base: Path | None = None) -> str:
        return f"{display_path(self.path, base)}:{self.line}:{self.col}: {self.message}"


def display_path(path: Path, base: Path | None = None) -> str:
    """`path` relative to `base` when it lies inside it, else as given."""
    if base is not None:
        try:
            return str(Path(path).relative_to(base))
        except ValueError:
            pass
    return str(path)
