"""Helpers of the fault tests: sessions to save, a picture of a folder, and a file
system that fails on cue."""

from __future__ import annotations

import errno
import os
import re
import stat
import tomllib
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path

from supple.core.model import Session
from supple.store.history import new_session_id

CET = timezone(timedelta(hours=1))
IST = timezone(timedelta(hours=5, minutes=30))
CANONICAL = re.compile(r"^\d{4}-\d{2}(\.\d+)?\.toml$")


def make(started: datetime | None = None, **kw) -> Session:
    started = started or datetime(2026, 11, 20, 7, 31, 2, tzinfo=CET)
    base = dict(
        id=new_session_id(), routine="neck", routine_name="Neck release", region="neck",
        started=started, ended=started + timedelta(minutes=8, seconds=38), active_seconds=412.0,
        completed=True, stretches_done=6, stretches_total=6,
    )
    base.update(kw)
    return Session(**base)


def rich(started: datetime, **kw) -> Session:
    """A session with every kind of value a record holds."""
    base = dict(routine_name="Nacken — Entspannung ✓ 首", note='she said "ouch"\nthen C:\\path\ttab',
                pain_before=7, pain_after=10, completed=False, stopped="stopped by the user",
                stretches_done=2, active_seconds=95.5, source="manual")
    base.update(kw)
    return make(started, **base)


def snapshot(folder: Path) -> dict[str, object]:
    """Every entry below `folder`: a file's bytes, or what else it is."""
    out: dict[str, object] = {}
    if not os.path.lexists(folder):
        return out
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(root) / name
            rel = str(path.relative_to(folder))
            st = os.lstat(path)
            if stat.S_ISREG(st.st_mode):
                out[rel] = path.read_bytes()
            elif stat.S_ISDIR(st.st_mode):
                out[rel] = "<folder>"
            elif stat.S_ISLNK(st.st_mode):
                out[rel] = f"<link to {os.readlink(path)}>"
            else:
                out[rel] = "<other>"
    return out


def ids_in_files(history_dir: Path) -> Counter:
    """Every record's id in every canonical file, counted; each file must parse."""
    seen: Counter = Counter()
    for path in history_dir.rglob("*.toml"):
        if CANONICAL.match(path.name):
            data = tomllib.loads(path.read_text("utf-8"))
            seen.update(rec["id"] for rec in data.get("session", []))
    return seen


# -- fault injection ----------------------------------------------------------

class Faults:
    """Make the file system below `root` fail, one os call at a time.

    Only calls on paths (or open descriptors) below `root` fail, so the
    rest of the process - the cache folder, Textual - goes on as usual.
    """

    POINTS = ("open", "write", "short-write", "fsync", "link", "mkdir")

    def __init__(self, monkeypatch, root: Path) -> None:
        self.mp = monkeypatch
        self.root = os.path.abspath(root)
        self.hits = 0
        self.real = {name: getattr(os, name) for name in
                     ("open", "write", "fsync", "link", "mkdir", "rename", "replace", "unlink", "rmdir",
                      "access", "utime", "chmod")}

    def under(self, path) -> bool:
        p = os.path.abspath(os.fspath(path))
        return p == self.root or p.startswith(self.root + os.sep)

    def fd_under(self, fd: int) -> bool:
        try:
            return self.under(os.readlink(f"/proc/self/fd/{fd}"))
        except OSError:
            return True  # no /proc: every descriptor counts

    def fail(self, err: int, path=None) -> OSError:
        self.hits += 1
        return OSError(err, os.strerror(err), *( [os.fspath(path)] if path is not None else []))

    def inject(self, point: str, err: int) -> None:
        """One kind of call below `root` fails with `err`."""
        real = self.real
        if point == "open":
            def fake_open(path, flags, *a, **kw):
                if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT) and self.under(path):
                    raise self.fail(err, path)
                return real["open"](path, flags, *a, **kw)
            self.mp.setattr(os, "open", fake_open)
        elif point in ("write", "short-write"):
            state = {"written": False}

            def fake_write(fd, data):
                if self.fd_under(fd):
                    if point == "short-write" and not state["written"] and len(data) > 1:
                        state["written"] = True  # half of it reaches the disk, then the disk is full
                        return real["write"](fd, bytes(data)[: len(data) // 2])
                    raise self.fail(err)
                return real["write"](fd, data)
            self.mp.setattr(os, "write", fake_write)
        elif point == "fsync":
            def fake_fsync(fd):
                if self.fd_under(fd):
                    raise self.fail(err)
                return real["fsync"](fd)
            self.mp.setattr(os, "fsync", fake_fsync)
        elif point == "link":  # supple's "rename": a finished temporary file linked into place
            def fake_link(src, dst, *a, **kw):
                if self.under(dst):
                    raise self.fail(err, dst)
                return real["link"](src, dst, *a, **kw)

            def fake_rename(name):
                def rename(src, dst, *a, **kw):
                    if self.under(dst) or self.under(src):
                        raise self.fail(err, dst)
                    return real[name](src, dst, *a, **kw)
                return rename
            self.mp.setattr(os, "link", fake_link)
            self.mp.setattr(os, "rename", fake_rename("rename"))
            self.mp.setattr(os, "replace", fake_rename("replace"))
        elif point == "mkdir":
            def fake_mkdir(path, *a, **kw):
                if self.under(path) and not os.path.lexists(path):
                    raise self.fail(err, path)
                return real["mkdir"](path, *a, **kw)
            self.mp.setattr(os, "mkdir", fake_mkdir)
        else:  # pragma: no cover
            raise ValueError(point)

    def read_only(self, err: int = errno.EROFS) -> None:
        """Everything below `root` can be read and not written, as on a read-only mount."""
        for point in ("open", "link", "mkdir"):
            self.inject(point, err)
        real = self.real

        def refuse(name):
            def call(path, *a, **kw):
                if self.under(path):
                    raise self.fail(err, path)
                return real[name](path, *a, **kw)
            return call
        for name in ("unlink", "rmdir", "utime", "chmod"):
            self.mp.setattr(os, name, refuse(name))

        def fake_access(path, mode, *a, **kw):
            if mode & os.W_OK and self.under(path):
                return False
            return real["access"](path, mode, *a, **kw)
        self.mp.setattr(os, "access", fake_access)

    def clear(self) -> None:
        self.mp.undo()


def permissions_enforced(folder: Path) -> bool:
    """Whether a folder without write permission refuses a new file (not as root)."""
    probe_dir = folder / ".probe-dir"
    probe_dir.mkdir()
    probe_dir.chmod(0o555)
    try:
        (probe_dir / "x").write_text("x")
    except PermissionError:
        return True
    else:
        (probe_dir / "x").unlink()
        return False
    finally:
        probe_dir.chmod(0o755)
        probe_dir.rmdir()


def make_read_only(data: Path, monkeypatch) -> tuple[str, callable]:
    """Make the data folder read-only: by permissions where they are enforced,
    else (as root, as in CI) by failing every write below it with EROFS.
    Returns how, and a function that undoes it."""
    if permissions_enforced(data.parent):
        paths = [data, *data.rglob("*")]
        for p in paths:
            p.chmod(0o555 if p.is_dir() else 0o444)

        def undo() -> None:
            for p in paths:
                p.chmod(0o755 if p.is_dir() else 0o644)
        return "permissions", undo
    faults = Faults(monkeypatch, data)
    faults.read_only(errno.EROFS)
    return "injected", faults.clear
