"""Saving a record to an append-only log: lock, append, or create a new month's file.

What is saved is never rewritten: a record is appended under a lock
against a second supple and flushed to disk before the save returns; a new
month's file appears whole or not at all; a file that does not parse (or
holds a record that is not valid) is never written again, and the record
goes to the next free `<YYYY-MM>.<n>.toml` instead.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import time
import unicodedata
from contextlib import contextmanager, suppress
from datetime import datetime, timedelta, timezone
from itertools import takewhile
from pathlib import Path
from typing import Callable, Iterator

from supple.store.files import cause
from supple.store.logs import LogFormat
from supple.store.toml import TomlError, loads

try:
    import fcntl
except ImportError:  # not a POSIX system: saves go unlocked
    fcntl = None

LOCK_TIMEOUT = 10.0  # seconds to wait for another supple that is saving
_TEMPORARY = re.compile(r"^\.\d{4}-\d{2}(\.\d+)?\.toml\.(\d+)\.[0-9a-f]{8}\.tmp$")
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


class SaveError(Exception):
    """A record could not be saved; str() is one line for the person."""


def fit_moment(dt: datetime) -> datetime:
    """An aware datetime TOML can write: a whole-minute UTC offset."""
    if dt.utcoffset() is None:
        dt = dt.astimezone()  # naive: the machine's local time
    return dt.astimezone(timezone.utc) if dt.utcoffset() % timedelta(minutes=1) else dt


class AppendLog:
    """A log of one kind (`KIND`): this device appends to its own folder below `<data>/<folder>/`."""

    KIND: LogFormat

    def __init__(self, data_dir: Path, device: str, cache_dir: Path | None = None) -> None:
        self.data_dir = Path(os.path.abspath(data_dir))
        self.device = device_folder_name(device)
        self.cache_dir = Path(os.path.abspath(cache_dir)) if cache_dir is not None else None
        self.log_dir = self.data_dir / self.KIND.folder

    @property
    def device_dir(self) -> Path:
        return self.log_dir / self.device

    def save_blocker(self) -> str | None:
        """Why nothing can be saved here (the nearest existing folder on the way is not one supple
        may write in, or is a file), judged without writing anything; else None."""
        path = self.device_dir
        while True:
            try:
                st = os.stat(path)
                break
            except (FileNotFoundError, NotADirectoryError):  # not there, or below a file: look further up
                if path.parent == path:
                    return None
                path = path.parent
            except OSError as err:
                return f"{path} cannot be reached: {cause(err)}"
        if not stat.S_ISDIR(st.st_mode):
            return f"{path} is a file, not a folder"
        if not os.access(path, os.W_OK | os.X_OK):
            return f"{path} is read-only"
        return None

    def save_record(self, record, render: Callable[[object], str], moment: datetime) -> Path:
        """Render `record`, check it reads back, append it to the month of `moment`; the path written.
        Raises SaveError, and then no file has changed."""
        try:
            body = render(record)
            month = fit_moment(moment).strftime("%Y-%m")
            body.encode("utf-8")  # a lone surrogate cannot go into a UTF-8 file
            table, records = next(iter(loads(body).items()))
            back, errors = self.KIND.from_record(records[0], self.device, table)
        except (TypeError, ValueError, AttributeError, KeyError, IndexError, StopIteration) as err:
            month, back, errors, table = "????-??", None, [((), str(err))], self.KIND.table
        if back is None:
            why = f"the {table} is not valid ({errors[0][1]})"
            raise self._failed(self.device_dir / f"{month}.toml", why)
        # the folders this save makes, deepest first: removed again when it fails
        made = list(takewhile(lambda p: not os.path.lexists(p), (self.device_dir, *self.device_dir.parents)))
        try:
            os.makedirs(self.device_dir, exist_ok=True)
            with device_lock(self.cache_dir, self.KIND.lock_name, self.device, self.device_dir) as memo:
                return self._append(month, body, memo)
        except TimeoutError:
            error = self._failed(self.device_dir, f"another supple has been saving for {LOCK_TIMEOUT:.0f} seconds")
        except OSError as err:  # a file in the way says more than "not a directory"
            error = self._failed(self.device_dir, self.save_blocker() or cause(err))
        except SaveError as err:
            error = err
        for folder in made:
            with suppress(OSError):
                os.rmdir(folder)  # only while empty
        raise error

    def _failed(self, where: Path, why: str) -> SaveError:
        shown = where.relative_to(self.data_dir) if where.is_relative_to(self.data_dir) else where
        return SaveError(f"could not save to {shown}: {why}; nothing already saved was changed")

    def _append(self, month: str, body: str, memo: int | None) -> Path:
        remove_stale_temporaries(self.device_dir)
        for n in range(10_000):
            path = self.device_dir / (f"{month}.toml" if n == 0 else f"{month}.{n}.toml")
            for _attempt in range(3):
                try:
                    result = append_to(path, body, self.KIND, memo)
                except OSError as err:
                    raise self._failed(path, cause(err)) from None
                if result != "created-race":
                    break
            if result == "ok":
                return path
            # "unclean": a file that does not parse is never written again
        raise self._failed(self.device_dir, f"no free file name for {month}")


def device_folder_name(name: str) -> str:
    """The folder a device's log is filed under (design.md). Leading dots become '-' too: a hidden
    folder would be skipped by readers (and '.' or '..' are not folders of their own)."""
    name = unicodedata.normalize("NFC", name or "").lower()
    out = "".join(c if (c.isalnum() or c in "._-") else "-" for c in name)
    stripped = out.lstrip(".")
    return ("-" * (len(out) - len(stripped)) + stripped) or "device"


# -- the lock ------------------------------------------------------------------------

@contextmanager
def device_lock(cache_dir: Path | None, lock_name: str, device: str, folder: Path) -> Iterator[int | None]:
    """Hold this device's lock for one kind of log while saving: a file in the cache folder, never
    in the (synced) data folder, else the device's folder itself. Yields the lock file's descriptor,
    which keeps the memo (see `append_to`), or None when there is no lock file."""
    fd = None
    if cache_dir is not None:
        with suppress(OSError):
            locks = cache_dir / "locks" / lock_name
            os.makedirs(locks, exist_ok=True)
            fd = os.open(locks / f"{device}.lock", os.O_RDWR | os.O_CREAT | _CLOEXEC, 0o644)
    memo = fd
    if fd is None:
        try:
            fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _CLOEXEC)
        except OSError:
            yield None
            return
    try:
        _acquire(fd)
        yield memo
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _acquire(fd: int) -> None:
    """Wait for the lock; TimeoutError after LOCK_TIMEOUT seconds."""
    if fcntl is None:
        return
    deadline = time.monotonic() + LOCK_TIMEOUT
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise TimeoutError from None
            time.sleep(0.01)
        except OSError:
            return  # a file system without locks: still save


def _file_key(path: Path, st: os.stat_result) -> bytes:
    return f"{os.fspath(path)}\0{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}".encode(
        "utf-8", "surrogateescape")


def _memo_is(memo: int | None, path: Path, st: os.stat_result) -> bool:
    try:
        return memo is not None and os.pread(memo, 65536, 0) == _file_key(path, st)
    except OSError:
        return False


def _memo_remember(memo: int | None, path: Path, fd: int | None = None) -> None:
    """Note the key of the file just written and known clean (best effort: it is only a shortcut)."""
    if memo is None:
        return
    try:
        os.ftruncate(memo, 0)
        os.pwrite(memo, _file_key(path, os.fstat(fd) if fd is not None else os.stat(path)), 0)
    except OSError:
        with suppress(OSError):
            os.ftruncate(memo, 0)


# -- appending -----------------------------------------------------------------------

def append_to(path: Path, body: str, fmt: LogFormat, memo: int | None = None) -> str:
    """Append the record `body` to `path` (made if missing): 'ok', 'unclean' (use the next
    name) or 'created-race' (look again). Raises OSError; the file is then as it was.

    `memo` is the lock file, which remembers the key (inode, size, times) of
    the file this device appended to last and checked whole. While the file
    still has that key nothing else has touched it, so only the new record
    needs checking: saving then costs the same whatever the month holds.
    """
    flags = os.O_RDWR | os.O_APPEND | _CLOEXEC | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        result = create(path, (fmt.header + "\n" + body).encode("utf-8"))
        if result == "ok":
            _memo_remember(memo, path)
        return result
    except IsADirectoryError:
        return "unclean"
    except OSError as err:
        if err.errno in (errno.EACCES, errno.EPERM, errno.ELOOP, errno.ENXIO, errno.ETXTBSY) \
                and os.path.lexists(path):
            return "unclean"  # a file not ours to write; try the next name
        raise
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return "unclean"
        known = _memo_is(memo, path, st)
        old = fmt.header.encode("utf-8") if known else _read_all(fd)
        data = (("" if not old or old.endswith(b"\n") else "\n") + "\n" + body).encode("utf-8")
        if not clean_for_append(old, data, fmt):
            return "unclean"
        try:
            _write_synced(fd, data)
        except OSError:
            with suppress(OSError):  # take back a part-written record (else a reader reports it)
                os.ftruncate(fd, st.st_size)
                os.fsync(fd)
            raise
        _memo_remember(memo, path, fd)
        return "ok"
    finally:
        os.close(fd)


def clean_for_append(old: bytes, addition: bytes, fmt: LogFormat) -> bool:
    """Whether `addition` may be appended: with it the file parses (one parse: the addition is a
    table of its own), has our header, every record already in it is valid (a file a reader reports
    as damaged, a torn last record too, is never written again) and the last record is the one added."""
    try:
        text = old.decode("utf-8").removeprefix("\ufeff")
        added = addition.decode("utf-8")
        if "\x00" in text:
            return False
        data = loads(text + added)
        table, wanted = next(iter(loads(added).items()))
    except (UnicodeDecodeError, TomlError, StopIteration):
        return False
    version = data.get("version")
    if data.get("format") != fmt.format or type(version) is not int or version != fmt.version:
        return False
    records = data.get(table)
    if table not in fmt.tables or not isinstance(records, list) or not records or records[-1] != wanted[-1]:
        return False
    for kind in fmt.tables:  # a broken record of any kind: a reader reports the file, never write it again
        have = data.get(kind, [])
        if not isinstance(have, list):
            return False
        if not all(fmt.from_record(rec, "", kind)[0] is not None for rec in (have[:-1] if kind == table else have)):
            return False
    return True


def create(path: Path, data: bytes) -> str:
    """A new file holding `data`, appearing whole or not at all: 'ok' or 'created-race'."""
    tmp = path.parent / f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
    try:
        _write_new(tmp, data)
        try:
            os.link(tmp, path)
        except FileExistsError:
            return "created-race"
        except OSError as err:
            if err.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP,
                                 getattr(errno, "ENOSYS", -1), errno.EMLINK, errno.EXDEV):
                raise
            try:  # a file system without hard links: create in place, exclusively
                _write_new(path, data)
            except FileExistsError:
                return "created-race"
    finally:
        with suppress(OSError):
            os.unlink(tmp)
    _fsync_dir(path.parent)
    return "ok"


def _write_new(path: Path, data: bytes) -> None:
    """Create `path` holding `data`, on disk; FileExistsError if it exists, and no file on OSError."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _CLOEXEC, 0o644)
    try:
        try:
            _write_synced(fd, data)
        finally:
            os.close(fd)
    except OSError:
        with suppress(OSError):
            os.unlink(path)
        raise


def remove_stale_temporaries(folder: Path) -> None:
    """Remove the temporary files `create` left when its supple was killed (only when that process
    is gone): a reader skips them anyway, but a sync tool would carry them around."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        m = _TEMPORARY.match(name)
        if m is None or int(m.group(2)) == os.getpid() or _alive(int(m.group(2))):
            continue
        with suppress(OSError):
            os.unlink(folder / name)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OSError, OverflowError, ValueError):
        return True  # someone else's, or cannot tell: leave it
    return True


def _read_all(fd: int) -> bytes:
    parts = []
    offset = 0
    while chunk := os.pread(fd, 1 << 16, offset):
        parts.append(chunk)
        offset += len(chunk)
    return b"".join(parts)


def _write_synced(fd: int, data: bytes) -> None:
    """Write all of `data` (a write may take only part of it), then flush it to disk."""
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        if n <= 0:
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        view = view[n:]
    os.fsync(fd)


def _fsync_dir(folder: Path) -> None:
    with suppress(OSError):  # some file systems cannot fsync a folder; the file itself is synced
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
