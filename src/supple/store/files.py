"""Small helpers for files supple writes whole: one atomic write, one way to say an
OS error, and the stamp of the code that made a derived file."""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes, *, sync: bool = False, keep_mode: bool = False) -> None:
    """Replace `path` with `data`: a reader sees the old file or the new one, whole.

    Raises OSError; the temporary file is removed then. `sync` flushes the
    data to disk first (for the user's files); `keep_mode` keeps the old
    file's permissions.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            if sync:
                f.flush()
                os.fsync(f.fileno())
        if keep_mode and path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def cause(err: OSError) -> str:
    """An OS error in a few lower-case words: 'no space left on device'."""
    text = err.strerror or str(err) or type(err).__name__
    return text[:1].lower() + text[1:]


def code_stamp(*extra: object) -> str:
    """What made a cached result: every source file of supple (name, size, time) and
    the Python version. An edited or reinstalled supple starts its caches afresh."""
    package = Path(__file__).resolve().parent.parent
    h = hashlib.sha1(repr((sys.version_info[:2], extra)).encode())
    for path in sorted(package.rglob("*.py")):
        st = path.stat()
        h.update(f"{path.relative_to(package)}:{st.st_size}:{st.st_mtime_ns}\n".encode())
    return h.hexdigest()
