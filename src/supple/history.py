"""The session log: append-only TOML files, one folder per device.

    <data>/history/<device>/<YYYY-MM>.toml

Reading takes every `*.toml` below `<data>/history/` (other devices and
sync-conflict copies too), merges sessions by id, and turns each damaged
part of a file into one `Problem` with its line and column; nothing here
raises for a file's contents.

Saving appends one record under a lock and fsyncs it; it never rewrites
what is saved and never writes to a file that does not parse.

The machinery is shared: `AppendLog` does reading and saving for any
`LogFormat` (header, record table, record validator); `HistoryStore` is
the one for sessions, `breaklog.BreakLog` the one for stretch breaks.

This module is part of the pure core: no Textual, and tomli_w is imported
only when saving.
"""

from __future__ import annotations

import errno
import math
import os
import re
import stat
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, NamedTuple

from supple.problems import Problem


class _LazyModule:
    """A module imported when first used: reading history files as supple
    writes them needs no tomllib (see plaintoml), and saving needs it only
    to check the record it is about to append."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str):
        import importlib

        return getattr(importlib.import_module(self._name), attr)


tomllib = _LazyModule("tomllib")
from supple.tomlpos import key_positions, locate, syntax_error_position

__all__ = [
    "AppendLog",
    "FORMAT",
    "VERSION",
    "History",
    "HistoryStore",
    "LogFormat",
    "Problem",
    "SaveError",
    "Session",
    "device_folder_name",
    "is_history_file_name",
    "new_session_id",
    "read_history_file",
]

FORMAT = "supple-history"
VERSION = 1
LOCK_TIMEOUT = 10.0  # seconds to wait for another supple that is saving
HEADER = f'format = "{FORMAT}"\nversion = {VERSION}\n'

_BOM = "\ufeff"
# Patterns are compiled when first used (re keeps them): compiling them all
# at import would cost every command a few milliseconds.
_CANONICAL = r"^\d{4}-\d{2}(\.\d+)?\.toml$"

# (key, required) in the order records are written and sessions are exported
_KEYS = (
    "id", "routine", "routine_name", "region", "started", "ended", "active_seconds",
    "completed", "stretches_done", "stretches_total", "source", "device",
)
_OPTIONAL = ("pain_before", "pain_after", "note", "stopped")


# -- sessions -----------------------------------------------------------------

class Session(NamedTuple):
    id: str
    routine: str
    routine_name: str
    region: str
    started: datetime
    ended: datetime
    active_seconds: float
    completed: bool
    stretches_done: int
    stretches_total: int
    source: str = "player"
    device: str = ""
    pain_before: int | None = None
    pain_after: int | None = None
    note: str | None = None
    stopped: str | None = None

    def to_json(self) -> dict:
        out: dict[str, Any] = {
            "id": self.id,
            "routine": self.routine,
            "routine_name": self.routine_name,
            "region": self.region,
            "started": self.started.isoformat(),
            "ended": self.ended.isoformat(),
            "active_seconds": float(self.active_seconds),
            "completed": self.completed,
            "stretches_done": self.stretches_done,
            "stretches_total": self.stretches_total,
            "source": self.source,
            "device": self.device,
        }
        for key in _OPTIONAL:
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        return out

    @property
    def day(self) -> date:
        """The date as recorded, in the zone where the session was done."""
        return self.started.date()


def new_session_id() -> str:
    """A random UUID (version 4) in hex, as uuid.uuid4().hex: the uuid module
    imports platform, which costs `supple log` more than the rest of a save."""
    b = bytearray(os.urandom(16))
    b[6] = (b[6] & 0x0F) | 0x40  # version 4
    b[8] = (b[8] & 0x3F) | 0x80  # the RFC 4122 variant
    return b.hex()


def device_folder_name(name: str) -> str:
    """The folder a device's history is filed under.

    Lower case; anything but letters, digits, '.', '_' and '-' becomes '-'.
    Leading dots become '-' too: a hidden folder would be skipped by readers
    (and '.' or '..' are not folders of their own).
    """
    name = name or ""
    if not name.isascii():  # ASCII is NFC already, and unicodedata costs `supple log` 4 ms
        import unicodedata

        name = unicodedata.normalize("NFC", name)
    name = name.lower()
    out = "".join(c if (c.isalnum() or c in "._-") else "-" for c in name)
    stripped = out.lstrip(".")
    out = "-" * (len(out) - len(stripped)) + stripped
    return out or "device"


class History:
    """Every session (merged by id, sorted by start) and each damaged part of a file."""

    def __init__(self, sessions: list[Session] | None = None, problems: list[Problem] | None = None) -> None:
        self.sessions = sessions if sessions is not None else []
        self.problems = problems if problems is not None else []

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, History):
            return NotImplemented
        return (self.sessions, self.problems) == (other.sessions, other.problems)

    def __repr__(self) -> str:
        return f"History({len(self.sessions)} sessions, {len(self.problems)} problems)"

    # A History from the cache builds its Session objects when `sessions` is
    # first used; until then `tally()` answers from the cache.
    @classmethod
    def _deferred(cls, build: Callable[[], list[Session]], problems: list[Problem], tally: Any) -> History:
        h = cls.__new__(cls)
        h.problems = problems
        h.__dict__["_build"] = build
        h.__dict__["_tally"] = tally
        return h

    def __getattr__(self, name: str) -> Any:  # only for attributes not set
        if name == "sessions":
            build = self.__dict__.pop("_build", None)
            if build is not None:
                sessions = self.__dict__["sessions"] = build()
                return sessions
        raise AttributeError(name)

    def tally(self):
        """Day counts, totals and per-region days (a `history_cache.Tally`)."""
        from supple.history_cache import Tally

        if "sessions" not in self.__dict__:
            tally = self.__dict__.get("_tally")
            if tally is not None:
                return tally
        return Tally.of(self.sessions)


class SaveError(Exception):
    """A session could not be saved; str() is one line for the person."""


# -- validating a record ------------------------------------------------------

KeyPath = tuple[str | int, ...]


def _type_name(v: Any) -> str:
    if isinstance(v, bool):
        return "true/false"
    if isinstance(v, str):
        return "text"
    if isinstance(v, int):
        return f"the whole number {v}"
    if isinstance(v, float):
        return f"the number {v}"
    if isinstance(v, datetime):
        return "a date-time without a UTC offset" if v.tzinfo is None else "a date-time"
    if isinstance(v, date):
        return "a date without a time"
    if isinstance(v, list):
        return "a list"
    if isinstance(v, dict):
        return "a table"
    return type(v).__name__


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def session_from_record(rec: Any, device_hint: str = "") -> tuple[Session | None, list[tuple[KeyPath, str]]]:
    """A Session, or the errors as (key path inside the record, message)."""
    if not isinstance(rec, dict):
        return None, [((), f"a session must be a [[session]] table, got {_type_name(rec)}")]
    errors: list[tuple[KeyPath, str]] = []
    missing: list[str] = []
    vals: dict[str, Any] = {}

    def text(key: str, required: bool, nonempty: bool = False) -> None:
        if key not in rec:
            if required:
                missing.append(key)
            return
        v = rec[key]
        if not isinstance(v, str):
            errors.append(((key,), f"'{key}' must be text in quotes, got {_type_name(v)}"))
        elif nonempty and not v.strip():
            errors.append(((key,), f"'{key}' must not be empty"))
        else:
            vals[key] = v

    def moment(key: str) -> None:
        if key not in rec:
            missing.append(key)
            return
        v = rec[key]
        if not isinstance(v, datetime) or v.tzinfo is None:
            errors.append(((key,), f"'{key}' must be a date-time with a UTC offset, "
                                   f"like 2026-11-20T07:31:02+01:00, got {_type_name(v)}"))
        else:
            vals[key] = v

    def whole(key: str, required: bool, lo: int, hi: int | None) -> None:
        if key not in rec:
            if required:
                missing.append(key)
            return
        v = rec[key]
        if not _is_int(v):
            errors.append(((key,), f"'{key}' must be a whole number, got {_type_name(v)}"))
        elif v < lo or (hi is not None and v > hi):
            span = f"from {lo} to {hi}" if hi is not None else f"{lo} or more"
            errors.append(((key,), f"'{key}' must be {span}, got {v}"))
        else:
            vals[key] = v

    text("id", True, nonempty=True)
    text("routine", True, nonempty=True)
    text("routine_name", True)
    text("region", True)
    moment("started")
    moment("ended")
    if "active_seconds" not in rec:
        missing.append("active_seconds")
    else:
        v = rec["active_seconds"]
        if not (isinstance(v, (int, float)) and not isinstance(v, bool)):
            errors.append((("active_seconds",), f"'active_seconds' must be a number, got {_type_name(v)}"))
        elif not math.isfinite(v) or v < 0:
            errors.append((("active_seconds",), f"'active_seconds' must be 0 or more, got {v}"))
        else:
            vals["active_seconds"] = float(v)
    if "completed" not in rec:
        missing.append("completed")
    elif not isinstance(rec["completed"], bool):
        errors.append((("completed",), f"'completed' must be true or false, got {_type_name(rec['completed'])}"))
    else:
        vals["completed"] = rec["completed"]
    whole("stretches_done", True, 0, None)
    whole("stretches_total", True, 0, None)
    text("source", False, nonempty=True)
    text("device", False)
    whole("pain_before", False, 0, 10)
    whole("pain_after", False, 0, 10)
    text("note", False)
    text("stopped", False)

    if missing:
        names = ", ".join(f"'{k}'" for k in missing)
        errors.insert(0, ((), f"session record is missing {names}"))
    if errors:
        return None, errors
    vals.setdefault("source", "player")
    if not vals.get("device"):
        vals["device"] = device_hint  # the folder names the device
    return Session(**vals), []


def _to_record(s: Session) -> dict[str, Any]:
    rec = s.to_json()
    rec["started"] = s.started
    rec["ended"] = s.ended
    return rec


def _fit_moment(dt: datetime) -> datetime:
    """An aware datetime TOML can write: a whole-minute UTC offset."""
    if dt.tzinfo is None or dt.utcoffset() is None:
        dt = dt.astimezone()  # naive: the machine's local time
    off = dt.utcoffset()
    assert off is not None
    if off % timedelta(minutes=1):
        return dt.astimezone(timezone.utc)
    return dt


def record_text(session: Session) -> str:
    """One `[[session]]` table as written to a file."""
    import tomli_w

    rec = _to_record(session)
    rec["started"] = _fit_moment(session.started)
    rec["ended"] = _fit_moment(session.ended)
    if not rec["device"]:
        del rec["device"]  # the folder names it
    # The id, a required text, goes last: a record cut short anywhere (a
    # crash mid-append) then lacks it or ends inside its quotes, so a torn
    # record is always reported, never read as a shorter session.
    rec["id"] = rec.pop("id")
    # tomli_w escapes newlines in strings by default, so every value stays on one line
    return "[[session]]\n" + tomli_w.dumps(rec)


_SURROGATE = "[\ud800-\udfff]"


def _writable_text(s: Session) -> Session:
    """Lone surrogates (from a file name that is not UTF-8) as U+FFFD: the file stays UTF-8."""
    surrogate = re.compile(_SURROGATE)
    changes = {f: surrogate.sub("\ufffd", v) for f, v in zip(s._fields, s)
               if isinstance(v, str) and surrogate.search(v)}
    return s._replace(**changes) if changes else s


# -- kinds of log -------------------------------------------------------------

class LogFormat:
    """One kind of append-only log kept like the session history.

    Files `<data>/<folder>/<device>/<YYYY-MM>.toml` start with
    `format = "<format>"` and `version = <version>`, then one `[[<table>]]`
    table per record; `from_record(table, device_hint)` turns a parsed table
    into a record or (key path, message) errors. Reading, merging by id and
    saving (lock, append, fsync, never writing a damaged file again) are the
    same for every kind.
    """

    def __init__(self, *, format: str, version: int, table: str, folder: str, noun: str, items: str,
                 from_record: Callable[[Any, str], tuple[Any, list[tuple[KeyPath, str]]]],
                 lock_dir: str = "") -> None:
        self.format = format
        self.version = version
        self.table = table  # records are [[table]] tables
        self.folder = folder  # below the data folder
        self.noun = noun  # "a supple <noun>", "<noun> file", "<noun> version 2"
        self.items = items  # what a file from a newer supple hides: "sessions"
        self.from_record = from_record
        self.lock_dir = lock_dir  # the lock: <cache>/locks/[<lock_dir>/]<device>.lock
        self.header = f'format = "{format}"\nversion = {version}\n'
        self._record_line = rf"^[ \t]*\[\[[ \t]*{re.escape(table)}[ \t]*\]\][ \t]*(#.*)?\r?$"

    @property
    def record_line(self) -> re.Pattern:
        """A line that starts a record: `[[<table>]]`, maybe spaced or with a comment."""
        return re.compile(self._record_line)  # compiled at first use; re keeps it

    def __repr__(self) -> str:
        return f"LogFormat({self.format!r}, version {self.version})"


SESSIONS = LogFormat(format=FORMAT, version=VERSION, table="session", folder="history", noun="history",
                     items="sessions", from_record=session_from_record)


# -- reading ------------------------------------------------------------------

def is_history_file_name(name: str) -> bool:
    """A `*.toml` a reader takes; sync tools' temporary and hidden files are not."""
    if name.startswith((".", "~")):
        return False  # hidden, Syncthing's .syncthing.*.tmp / ~syncthing~*, Dropbox .~*
    low = name.lower()
    if low.endswith((".tmp", ".partial")) or not low.endswith(".toml"):
        return False
    return True


def _skip_dir(name: str) -> bool:
    return name.startswith((".", "~"))  # .stversions, .stfolder, .dropbox.cache, …


def is_conflict_copy(name: str) -> bool:
    """Anything but the canonical `YYYY-MM.toml` / `YYYY-MM.n.toml`."""
    return not re.match(_CANONICAL, name)


def _decode(raw: bytes) -> tuple[str, list[int]]:
    """Text (bad bytes replaced) and the character offsets of the replacements."""
    try:
        text = raw.decode("utf-8")
        bad: list[int] = []
    except UnicodeDecodeError:
        parts: list[str] = []
        bad = []
        pos = 0
        n = 0
        while True:
            try:
                chunk = raw[pos:].decode("utf-8")
                parts.append(chunk)
                break
            except UnicodeDecodeError as err:
                good = raw[pos : pos + err.start].decode("utf-8")
                parts.append(good)
                n += len(good)
                bad.append(n)
                parts.append("\ufffd")
                n += 1
                pos += err.end
        text = "".join(parts)
    if text.startswith(_BOM):
        text = text[1:]
        bad = [b - 1 for b in bad]
    return text, bad


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


def _first_error(errors: list[tuple[KeyPath, str]], positions: dict, base: KeyPath) -> tuple[tuple[int, int], str]:
    """One problem for a record: the position of its first error, all messages."""
    located = sorted(
        ((locate(positions, base + path), i, msg) for i, (path, msg) in enumerate(errors)),
    )
    pos = located[0][0]
    return pos, "; ".join(msg for _, _, msg in sorted(located, key=lambda t: t[1]))


def read_history_file(path: Path, device_hint: str = "") -> tuple[list[Session], list[Problem]]:
    """The sessions of one file and one problem per damaged part. Never raises for contents."""
    raw, problems = _read_log_bytes(Path(path), SESSIONS)
    if raw is None:
        return [], problems
    return parse_history(Path(path), raw, device_hint)


def read_log_file(path: Path, fmt: LogFormat, device_hint: str = "") -> tuple[list, list[Problem]]:
    """`read_history_file` for any kind of log."""
    raw, problems = _read_log_bytes(Path(path), fmt)
    if raw is None:
        return [], problems
    return parse_log(Path(path), raw, fmt, device_hint)


def _read_log_bytes(path: Path, fmt: LogFormat) -> tuple[bytes | None, list[Problem]]:
    try:
        st = os.stat(path)
        if stat.S_ISDIR(st.st_mode):
            return None, [Problem(path, 1, 1, f"is a folder, not a {fmt.noun} file")]
        if not stat.S_ISREG(st.st_mode):
            return None, [Problem(path, 1, 1, "is not a regular file")]
        with open(path, "rb") as f:
            return f.read(), []
    except OSError as err:
        return None, [Problem(path, 1, 1, f"cannot read: {_cause(err)}")]


def parse_history(path: Path, raw: bytes, device_hint: str = "") -> tuple[list[Session], list[Problem]]:
    return parse_log(path, raw, SESSIONS, device_hint)


def parse_log(path: Path, raw: bytes, fmt: LogFormat, device_hint: str = "") -> tuple[list, list[Problem]]:
    """The records of one file's bytes and one problem per damaged part. Never raises for contents."""
    path = Path(path)
    table = fmt.table
    from_record = fmt.from_record
    if not raw.strip():
        return [], [Problem(path, 1, 1, f"empty file: expected a supple {fmt.noun} "
                                        f'(format = "{fmt.format}", version = {fmt.version})')]
    text, bad = _decode(raw)
    problems: list[Problem] = []

    # a clean file: one parse, positions only when a record is wrong
    if not bad and "\x00" not in text:
        try:
            data = _loads(text)
        except tomllib.TOMLDecodeError:
            data = None
        if data is not None:
            positions: dict | None = None

            def pos_of(p: KeyPath) -> tuple[int, int]:
                nonlocal positions
                if positions is None:
                    positions = key_positions(text)
                return locate(positions, p)

            hp = _check_header(data, pos_of, fmt)
            if hp is not None:
                (line, col), msg, newer = hp
                problems.append(Problem(path, line, col, msg))
                if newer:
                    return [], problems
            records = data.get(table, [])
            if not isinstance(records, list):
                line, col = pos_of((table,))
                problems.append(Problem(path, line, col, f"'{table}' must be [[{table}]] tables"))
                records = []
            sessions = []
            for i, rec in enumerate(records):
                s, errors = from_record(rec, device_hint)
                if s is not None:
                    sessions.append(s)
                    continue
                if positions is None:
                    positions = key_positions(text)
                (line, col), msg = _first_error(errors, positions, (table, i))
                problems.append(Problem(path, line, col, msg))
            return sessions, problems

    # a damaged file: the header and each [[session]] chunk on their own
    lines = text.split("\n")
    record_line = fmt.record_line
    starts = [i for i, ln in enumerate(lines) if record_line.match(ln) or _torn_session_line(ln, table)]
    bounds = [0] + starts + [len(lines)]
    line_offsets = [0]
    for ln in lines:
        line_offsets.append(line_offsets[-1] + len(ln) + 1)
    sessions: list[Session] = []
    for k in range(len(bounds) - 1):
        a, b = bounds[k], bounds[k + 1]  # 0-based lines [a, b)
        is_header = k == 0
        full = "\n".join(lines[a:b])
        # the one problem of this part, if its bytes are damaged: (line, col, message)
        problem = _chunk_problem(full, [o - line_offsets[a] for o in bad
                                        if line_offsets[a] <= o < line_offsets[a] + len(full)])
        nul = full.find("\x00")
        chunk = full[:nul] if nul >= 0 else full
        try:
            data = tomllib.loads(chunk)
        except tomllib.TOMLDecodeError as err:
            if problem is None:
                line, col, msg = syntax_error_position(err, chunk)
                what = "file header" if is_header else f"{table} record, skipped"
                problem = (line, col, f"damaged {what}: {_plain(msg)}")
            problems.append(Problem(path, a + problem[0], problem[1], problem[2]))
            continue
        if problem is not None:
            # the readable part still counts; the damage is this part's one problem
            problems.append(Problem(path, a + problem[0], problem[1], problem[2]))
        if is_header:
            cpos = key_positions(chunk)
            hp = _check_header(data, lambda p: locate(cpos, p), fmt)
            if hp is not None:
                (line, col), msg, newer = hp
                if problem is None or newer:
                    problems.append(Problem(path, a + line, col, msg))
                if newer:
                    return [], problems
            continue
        recs = data.get(table)
        rec = recs[0] if isinstance(recs, list) and recs else None
        s, errors = from_record(rec, device_hint)
        if s is not None:
            sessions.append(s)
        elif problem is None:
            (line, col), msg = _first_error(errors, key_positions(chunk), (table, 0))
            problems.append(Problem(path, a + line, col, msg))
    return sessions, problems


def _loads(text: str) -> dict[str, Any]:
    """tomllib.loads(text), read without tomllib when it is the plain form supple writes."""
    from supple import plaintoml

    data = plaintoml.loads(text)
    return data if data is not None else tomllib.loads(text)


def _plain(msg: str) -> str:
    """tomllib's wording of the common mistakes, said plainly (as for routine files)."""
    from supple.tomlfile import _PLAIN

    return next((plain + msg[len(k):] for k, plain in _PLAIN.items() if msg.startswith(k)), msg)


def _torn_session_line(line: str, table: str = "session") -> bool:
    """A `[[session]]` line cut short ("[", "[[sess", …): a record of its own, torn,
    never a part of the record before it."""
    torn = re.sub(r"[ \t\r\x00]", "", line)
    return torn.startswith("[") and f"[[{table}]]".startswith(torn)


def _chunk_problem(chunk: str, bad: list[int]) -> tuple[int, int, str] | None:
    """The damaged bytes of a part (undecodable or NUL), as one (line, col, message)."""
    found: list[tuple[int, str]] = []
    if bad:
        found.append((bad[0], "not valid UTF-8 text here (the damaged bytes were replaced)"))
    nul = chunk.find("\x00")
    if nul >= 0:
        found.append((nul, "NUL bytes: this part of the file was cut off or overwritten"))
    if not found:
        return None
    off, msg = min(found)
    line, col = _line_col(chunk, off)
    return line, col, msg


def _check_header(data: dict, pos_of, kind: LogFormat = SESSIONS) -> tuple[tuple[int, int], str, bool] | None:
    """None when the header is right, else (position, message, written by a newer supple)."""
    fmt = data.get("format")
    ver = data.get("version")
    name, version, noun = kind.format, kind.version, kind.noun
    if "format" not in data and "version" not in data:
        return (1, 1), (f'missing header: a {noun} file starts with format = "{name}" '
                        f"and version = {version}"), False
    if fmt != name:
        if "format" not in data:
            return (1, 1), f'missing format = "{name}"', False
        return pos_of(("format",)), f'not a supple {noun} file: format must be "{name}"', False
    if not _is_int(ver):
        if "version" not in data:
            return (1, 1), f"missing version = {version}", False
        return pos_of(("version",)), f"'version' must be a whole number, got {_type_name(ver)}", False
    if ver > version:
        return (pos_of(("version",)),
                f"written by a newer supple ({noun} version {ver}; this one reads "
                f"version {version}): not read; update supple to see these {kind.items}", True)
    if ver < 1:
        return pos_of(("version",)), f"'version' must be {version}, got {ver}", False
    return None


def _file_rank(history_dir: Path, own: str, path: Path) -> tuple[tuple, tuple]:
    """(group, order within the group) of a file, for merging by id.

    The best group holds the record that counts: this device's own folder
    first, then canonical files before sync-conflict copies, then path
    order. Within a group (one folder's canonical files, or one conflict
    copy) records are in the order they were written, and the last wins:
    saving a session again with the same id updates it.
    """
    parts = path.relative_to(history_dir).parts
    mine = len(parts) > 1 and parts[0] == own
    m = re.match(_CANONICAL, path.name)
    if m:
        stem = path.name[:7]
        n = int(m.group(1)[1:]) if m.group(1) else 0
        return (not mine, False, parts[:-1]), (stem, n)
    return (not mine, True, parts), ("", 0)


def list_history_files(history_dir: Path, fmt: LogFormat = SESSIONS) -> tuple[list[Path], list[Problem]]:
    """Every file a reader takes below `history_dir` (a `fmt.folder`), and the folders it could not."""
    files: list[Path] = []
    problems: list[Problem] = []

    def onerror(err: OSError) -> None:
        where = Path(err.filename) if err.filename else history_dir
        problems.append(Problem(where, 1, 1, f"cannot read folder: {_cause(err)}"))

    if not history_dir.exists():
        return files, problems
    if not history_dir.is_dir():
        return files, [Problem(history_dir, 1, 1, f"is a file, but {fmt.folder} must be a folder")]
    for root, dirs, names in os.walk(history_dir, onerror=onerror):
        keep = []
        for d in sorted(dirs):
            if _skip_dir(d):
                continue
            if is_history_file_name(d):
                problems.append(Problem(Path(root) / d, 1, 1, f"is a folder, not a {fmt.noun} file"))
                continue
            keep.append(d)
        dirs[:] = keep
        for name in names:
            if is_history_file_name(name):
                files.append(Path(root) / name)
    return files, problems


def merge_by_id(history_dir: Path, own: str, per_file: list[tuple[Path, Any]],
                id_of: Callable[[Any], str]) -> list:
    """The record that counts for each id, from (file, its records) in sorted file order.

    The best group by `_file_rank` wins; within a group the record written
    last. Unsorted: the caller sorts.
    """
    best: dict[str, tuple[tuple, tuple, Any]] = {}
    for path, items in per_file:
        group, order = _file_rank(history_dir, own, path)
        for i, item in enumerate(items):
            rank = (order, i)
            key = id_of(item)
            have = best.get(key)
            if have is None or group < have[0] or (group == have[0] and rank >= have[1]):
                best[key] = (group, rank, item)
    return [v[2] for v in best.values()]


def _abs(p: Path | str) -> Path:
    return Path(os.path.abspath(os.fspath(p)))


# -- the stores ---------------------------------------------------------------

class AppendLog:
    """An append-only log of one kind (`KIND`), one folder per device.

    The machinery every kind shares: finding and reading the files of every
    device, and saving one record under a lock, fsynced, never rewriting
    what is saved and never writing to a file that does not parse.
    """

    KIND: LogFormat = SESSIONS

    def __init__(self, data_dir: Path, device: str, cache_dir: Path | None = None) -> None:
        self.data_dir = _abs(data_dir)
        self.device = device_folder_name(device)
        self.cache_dir = _abs(cache_dir) if cache_dir is not None else None
        self.log_dir = self.data_dir / self.KIND.folder

    @property
    def device_dir(self) -> Path:
        return self.log_dir / self.device

    # -- loading --
    def _load_all(self, read_file: Callable[[Path, str], tuple[list, list[Problem]]],
                  id_of: Callable[[Any], str]) -> tuple[list, list[Problem]]:
        """Every record below the log folder, merged by id (unsorted), and the problems found (sorted)."""
        files, problems = list_history_files(self.log_dir, self.KIND)
        per_file: list[tuple[Path, list]] = []
        for path in sorted(files):
            rel = path.relative_to(self.log_dir).parts
            hint = rel[0] if len(rel) > 1 else ""
            records, file_problems = read_file(path, hint)
            problems.extend(file_problems)
            per_file.append((path, records))
        merged = merge_by_id(self.log_dir, self.device, per_file, id_of)
        problems.sort(key=lambda p: (str(p.path), p.line, p.col))
        return merged, problems

    # -- saving --
    def display(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.data_dir))
        except ValueError:
            return str(path)

    def save_blocker(self) -> str | None:
        """Why nothing can be saved here, judged without writing anything; else None.

        The nearest folder that exists on the way to this device's folder
        must be a folder supple may write in (a read-only file system or
        folder, or a file in the way, says no).
        """
        path = self.device_dir
        while True:
            try:
                st = os.stat(path)
                break
            except FileNotFoundError:
                if path.parent == path:
                    return None
                path = path.parent
            except OSError as err:
                return f"{path} cannot be reached: {_cause(err)}"
        if not stat.S_ISDIR(st.st_mode):
            return f"{path} is a file, not a folder"
        if not os.access(path, os.W_OK | os.X_OK):
            return f"{path} is read-only"
        return None

    def _save_record(self, record, render, moment: datetime, what: str) -> Path:
        """Render `record`, check it reads back, append it to the month of `moment`. Raises SaveError."""
        try:
            body = render(record)
            month = _fit_moment(moment).strftime("%Y-%m")
        except (TypeError, ValueError, AttributeError) as err:
            raise SaveError(f"could not save to {self.display(self.device_dir / '????-??.toml')}: "
                            f"the {what} is not valid ({err}); nothing already saved was changed") from None
        self._checked_body(body, month, what)
        return self._append(month, body)

    def _checked_body(self, body: str, month: str, what: str) -> None:
        """SaveError unless `body`, read back, is one valid record of this kind."""
        table = self.KIND.table
        try:
            body.encode("utf-8")  # a lone surrogate cannot go into a UTF-8 file
            back, errors = self.KIND.from_record(_loads(body)[table][0], self.device)  # as readers read it
        except (TypeError, ValueError, AttributeError, KeyError, IndexError) as err:
            back, errors = None, [((), str(err))]
        if back is None:
            raise SaveError(f"could not save to {self.display(self.device_dir / (month + '.toml'))}: "
                            f"the {what} is not valid ({errors[0][1]}); nothing already saved was changed")

    def _append(self, month: str, body: str) -> Path:
        """Append the record `body` to this device's file for `month`; the path written. Raises SaveError."""
        folder = self.device_dir
        missing = []  # folders this save makes, removed again if it fails
        for parent in (folder, *folder.parents):
            if os.path.lexists(parent):
                break
            missing.append(parent)
        try:
            try:
                os.makedirs(folder, exist_ok=True)
            except OSError as err:
                raise SaveError(f"could not save to {self.display(folder)}: {_cause(err)}; "
                                "nothing already saved was changed") from None
            lock = self._lock(folder)
            try:
                return self._save_locked(folder, month, body, _memo_holder(lock))
            finally:
                if lock is not None:
                    try:
                        os.close(lock)  # closing the descriptor releases the flock
                    except OSError:
                        pass
        except SaveError:
            for made in missing:
                try:
                    os.rmdir(made)  # only while empty
                except FileNotFoundError:
                    continue
                except OSError:
                    break
            raise

    def _lock(self, folder: Path) -> int | None:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - not a POSIX system
            return None
        fd = None
        if self.cache_dir is not None:
            try:
                locks = self.cache_dir / "locks"
                if self.KIND.lock_dir:
                    locks = locks / self.KIND.lock_dir
                os.makedirs(locks, exist_ok=True)
                fd = os.open(locks / f"{self.device}.lock", os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
            except OSError:
                fd = None
        if fd is None:
            try:
                fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0))
            except OSError:
                return None
        deadline = time.monotonic() + LOCK_TIMEOUT
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return fd
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise SaveError(f"could not save to {self.display(folder)}: another supple has been "
                                    f"saving for {LOCK_TIMEOUT:.0f} seconds; nothing already saved was "
                                    "changed") from None
                time.sleep(0.01)
            except OSError:
                return fd  # a file system without locks: still save


    def _save_locked(self, folder: Path, month: str, body: str, memo: int | None = None) -> Path:
        _remove_stale_temporaries(folder)
        for n in range(0, 10_000):
            name = f"{month}.toml" if n == 0 else f"{month}.{n}.toml"
            path = folder / name
            for _attempt in range(3):
                result = self._try_append(path, body, memo)
                if result == "created-race":
                    continue
                break
            if result == "ok":
                return path
            # "unclean": a file that does not parse is never written again
        raise SaveError(f"could not save to {self.display(folder)}: no free file name for {month}; "
                        "nothing already saved was changed")

    def _fail(self, path: Path, err: OSError) -> SaveError:
        return SaveError(f"could not save to {self.display(path)}: {_cause(err)}; "
                         "nothing already saved was changed")

    def _try_append(self, path: Path, body: str, memo: int | None = None) -> str:
        """'ok', 'unclean' (use the next name), or 'created-race' (look again).

        `memo` is the lock file, which remembers the key (inode, size,
        times) of the file this device appended to last and checked whole.
        While the file still has that key nothing else has touched it, so
        only the new record needs checking: saving then costs the same
        whatever the month's file already holds.
        """
        flags = os.O_RDWR | os.O_APPEND | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0)
        try:
            fd = os.open(path, flags | getattr(os, "O_NONBLOCK", 0))
        except FileNotFoundError:
            result = self._create(path, body)
            if result == "ok":
                _memo_remember(memo, path)
            return result
        except IsADirectoryError:
            return "unclean"
        except OSError as err:
            if (err.errno in (errno.EACCES, errno.EPERM, errno.ELOOP, errno.ENXIO, errno.ETXTBSY)
                    and os.path.lexists(path)):
                return "unclean"  # a file not ours to write; try the next name
            raise self._fail(path, err) from None
        try:
            try:
                st = os.fstat(fd)
                if not stat.S_ISREG(st.st_mode):
                    return "unclean"
                known = memo is not None and _memo_recall(memo) == _file_key(path, st)
                old = b"" if known else _read_all(fd)
            except OSError as err:
                raise self._fail(path, err) from None
            if known:
                old_size = st.st_size
                data = ("\n" + body).encode("utf-8")
                if not _clean_for_append(self.KIND.header.encode("utf-8"), data, self.KIND):
                    return "unclean"
            else:
                old_size = len(old)
                prefix = "" if not old or old.endswith(b"\n") else "\n"
                data = (prefix + "\n" + body).encode("utf-8")
                if not _clean_for_append(old, data, self.KIND):
                    return "unclean"
            try:
                _write_all(fd, data)
                os.fsync(fd)
            except OSError as err:
                try:
                    os.ftruncate(fd, old_size)
                    os.fsync(fd)
                except OSError:
                    pass
                raise self._fail(path, err) from None
            _memo_remember(memo, path, fd)
            return "ok"
        finally:
            try:
                os.close(fd)
            except OSError:
                pass

    def _create(self, path: Path, body: str) -> str:
        """A new file with header and first record, appearing whole or not at all."""
        data = (self.KIND.header + "\n" + body).encode("utf-8")
        folder = path.parent
        tmp = folder / f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o644)
        except OSError as err:
            raise self._fail(path, err) from None
        try:
            try:
                _write_all(fd, data)
                os.fsync(fd)
            finally:
                os.close(fd)
            try:
                os.link(tmp, path)
            except FileExistsError:
                return "created-race"
            except OSError as err:
                if err.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP,
                                     getattr(errno, "ENOSYS", -1), errno.EMLINK, errno.EXDEV):
                    raise
                # a file system without hard links: create in place, exclusively
                if not self._create_in_place(path, data):
                    return "created-race"
        except OSError as err:
            raise self._fail(path, err) from None
        finally:
            try:
                os.unlink(tmp)
            except OSError:
                pass
        _fsync_dir(folder)
        return "ok"

    def _create_in_place(self, path: Path, data: bytes) -> bool:
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o644)
        except FileExistsError:
            return False
        try:
            _write_all(fd, data)
            os.fsync(fd)
        except OSError:
            os.close(fd)
            try:
                os.unlink(path)
            except OSError:
                pass
            raise
        os.close(fd)
        return True


class HistoryStore(AppendLog):
    """The session history: `<data>/history/<device>/<YYYY-MM>.toml`."""

    KIND = SESSIONS

    def __init__(self, data_dir: Path, device: str, cache_dir: Path | None = None) -> None:
        super().__init__(data_dir, device, cache_dir)
        self.history_dir = self.log_dir

    # -- loading --
    def load(self) -> History:
        """Every session below the history folder, merged by id, and the problems found.

        With a cache folder, files unchanged since the last load are not read
        again (see history_cache); the result is the same.
        """
        if self.cache_dir is not None:
            from supple import history_cache

            return history_cache.load(self)
        return self._load_files()

    def _load_files(self) -> History:
        merged, problems = self._load_all(self._read_file, lambda s: s.id)
        merged.sort(key=lambda s: (s.started, s.id))
        return History(merged, problems)

    def _read_file(self, path: Path, device_hint: str) -> tuple[list[Session], list[Problem]]:
        return read_history_file(path, device_hint)

    # -- saving --
    def save(self, session: Session) -> Path:
        """Append `session` to its month's file; the path written. Raises SaveError."""
        if session.device != self.device:
            session = session._replace(device=self.device)
        session = _writable_text(session)
        return self._save_record(session, record_text, session.started, "session")


def _memo_holder(lock: int | None) -> int | None:
    """The lock file in the cache folder can keep the memo; a locked folder cannot."""
    try:
        return lock if lock is not None and stat.S_ISREG(os.fstat(lock).st_mode) else None
    except OSError:
        return None


def _file_key(path: Path, st: os.stat_result) -> bytes:
    return f"{os.fspath(path)}\0{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}".encode(
        "utf-8", "surrogateescape")


def _memo_recall(memo: int) -> bytes | None:
    try:
        return os.pread(memo, 65536, 0) or None
    except OSError:
        return None


def _memo_remember(memo: int | None, path: Path, fd: int | None = None) -> None:
    """Note the key of a file just written and known clean (best effort: it is only a shortcut)."""
    if memo is None:
        return
    try:
        key = _file_key(path, os.fstat(fd) if fd is not None else os.stat(path))
        os.ftruncate(memo, 0)
        os.pwrite(memo, key, 0)
    except OSError:
        try:
            os.ftruncate(memo, 0)
        except OSError:
            pass


def _clean_for_append(old: bytes, addition: bytes, kind: LogFormat = SESSIONS) -> bool:
    """Whether `addition` may be appended: the file is undamaged and stays so.

    With the record added the file parses (one parse: the addition is a
    table of its own, so the file before it parses too), has our header
    and version, every record already in it is valid (a file a reader
    reports as damaged, a torn last record too, is never written again),
    and the record read back is the one appended.
    """
    try:
        text = old.decode("utf-8")
        added = addition.decode("utf-8")
    except UnicodeDecodeError:
        return False
    if text.startswith(_BOM):
        text = text[1:]
    if "\x00" in text:
        return False
    try:
        data = tomllib.loads(text + added)
        wanted = tomllib.loads(added)[kind.table]
    except tomllib.TOMLDecodeError:
        return False
    if data.get("format") != kind.format or not _is_int(data.get("version")) or data["version"] != kind.version:
        return False
    records = data.get(kind.table)
    if not isinstance(records, list) or not records or records[-1] != wanted[-1]:
        return False
    from_record = kind.from_record
    return all(from_record(rec, "")[0] is not None for rec in records[:-1])


_TEMPORARY = r"^\.\d{4}-\d{2}(\.\d+)?\.toml\.(\d+)\.[0-9a-f]{8}\.tmp$"


def _remove_stale_temporaries(folder: Path) -> None:
    """Remove the temporary files of a supple killed while creating a file.

    Only ours (`_create`'s names) and only when their process is gone; a
    reader skips them anyway, but a sync tool would carry them around.
    """
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        m = re.match(_TEMPORARY, name)
        if m is None or int(m.group(2)) == os.getpid() or _alive(int(m.group(2))):
            continue
        try:
            os.unlink(folder / name)
        except OSError:
            pass


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
    while True:
        chunk = os.pread(fd, 1 << 16, offset)
        if not chunk:
            break
        parts.append(chunk)
        offset += len(chunk)
    return b"".join(parts)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        if n <= 0:
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        view = view[n:]


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot fsync a folder; the file itself is synced
    finally:
        os.close(fd)


def _cause(err: OSError) -> str:
    text = err.strerror or str(err) or type(err).__name__
    return text[:1].lower() + text[1:]
