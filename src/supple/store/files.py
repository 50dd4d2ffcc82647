"""Small helpers for files supple writes whole: one atomic write, one way to say an
OS error, and the stamp of the code that made a derived file."""

from __future__ import annotations

import os
import sys
from functools import cache
from pathlib import Path


def write_atomic(path: Path, data: bytes, *, sync: bool = False, keep_mode: bool = False) -> None:
    """Replace `path` with `data`: a reader sees the old file or the new one, whole. Raises OSError
    (and leaves no temporary file). `sync` flushes the data to disk first (for the user's files)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            if sync:
                f.flush()
                os.fsync(f.fileno())
        os.chmod(tmp, path.stat().st_mode & 0o777 if keep_mode and path.exists() else 0o644)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def toml_files(folder: Path) -> list[Path]:
    """The `*.toml` files of a folder, sorted, hidden ones left out ([] for a folder that cannot be read)."""
    try:
        return sorted(p for p in Path(folder).glob("*.toml") if not p.name.startswith("."))
    except OSError:
        return []


def cause(err: OSError) -> str:
    """An OS error in a few lower-case words: 'no space left on device'."""
    text = err.strerror or str(err) or type(err).__name__
    return text[:1].lower() + text[1:]


def code_stamp(*extra: object) -> str:
    """What made a cached result: supple's source files (name, size, time), the Python version
    and `extra`. An edited or reinstalled supple starts its caches afresh."""
    return f"{sys.version_info[:2]!r} {extra!r}\n{_sources()}"


@cache  # the files of a running supple do not change under it
def _sources() -> str:
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    stamps = []
    for folder, dirs, names in sorted(os.walk(package)):
        dirs.sort()
        for name in sorted(n for n in names if n.endswith(".py")):
            st = os.stat(os.path.join(folder, name))
            stamps.append(f"{os.path.relpath(folder, package)}/{name}:{st.st_size}:{st.st_mtime_ns}")
    return "\n".join(stamps)
