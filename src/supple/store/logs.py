"""Append-only logs (`<data>/<folder>/<device>/<YYYY-MM>.toml`): finding, reading and merging
their files, as design.md says for history files. Nothing here raises for a file's contents."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import Any, Callable

from supple.core.model import Problem
from supple.store.files import cause
from supple.store.keypos import locator
from supple.store.toml import Errors, KeyPath, TomlError, decode, line_col, loads, type_name

CANONICAL = re.compile(r"^\d{4}-\d{2}(\.\d+)?\.toml$")
# A record's maker: its table (a dict with the required keys checked), where to note what is wrong,
# and the device its folder names -> the record, or None when something was noted.
Build = Callable[[dict, Errors, str], Any]
_TABLE_LINE = r"^[ \t]*\[\[[ \t]*({})[ \t]*\]\][ \t]*(#.*)?\r?$"


class LogFormat:
    """One kind of log: its header, its record table and how a record is validated."""

    def __init__(self, *, format: str, version: int, table: str, folder: str, noun: str, items: str,
                 required: tuple[str, ...], build: Build, lock_name: str,
                 side: dict[str, tuple[tuple[str, ...], Build]] | None = None) -> None:
        self.format = format
        self.version = version
        self.table = table  # records are [[table]] tables
        self.folder = folder  # below the data folder
        self.noun = noun  # "a supple <noun>", "<noun> file", "<noun> version 2"
        self.items = items  # what a file from a newer supple hides: "sessions"
        self.required = required
        self.build = build
        self.lock_name = lock_name  # <cache>/locks/<lock_name>/<device>.lock
        self.header = f'format = "{format}"\nversion = {version}\n'
        # other tables a file holds beside the records ([[retract]] for sessions): (required, build)
        self.side = side or {}
        self.tables = (table, *self.side)
        self.record_line = re.compile(_TABLE_LINE.format("|".join(map(re.escape, self.tables))))
        self.side_line = re.compile(_TABLE_LINE.format("|".join(map(re.escape, self.side)))) if self.side else None

    def from_record(self, rec: Any, hint: str, table: str = "") -> tuple[Any, list[tuple[KeyPath, str]]]:
        """The record of one parsed [[table]] (`hint`: the device its folder names; `table`: one of
        `tables`, the records' by default), or None and what is wrong with it as (key path inside it, message)."""
        table = table or self.table
        required, build = (self.required, self.build) if table == self.table else self.side[table]
        if not isinstance(rec, dict):
            return None, [((), f"a {table} must be a [[{table}]] table, got {type_name(rec)}")]
        errors = Errors()
        gone = [f"'{k}'" for k in required if k not in rec]
        if gone:
            errors.problem((), f"{table} record is missing {', '.join(gone)}")
        record = build(rec, errors, hint)
        return (None, list(errors)) if errors else (record, [])


# -- finding the files -------------------------------------------------------------

def is_log_file_name(name: str) -> bool:
    """A `*.toml` a reader takes; sync tools' temporary and hidden files are not."""
    if name.startswith((".", "~")):
        return False  # hidden, Syncthing's .syncthing.*.tmp / ~syncthing~*, Dropbox .~*
    low = name.lower()
    return low.endswith(".toml") and not low.endswith((".tmp", ".partial"))


def list_log_files(log_dir: Path, fmt: LogFormat) -> tuple[list[Path], list[Problem]]:
    """Every file a reader takes below `log_dir`, sorted, and the folders it could not read."""
    files: list[Path] = []
    problems: list[Problem] = []

    def onerror(err: OSError) -> None:
        where = Path(err.filename) if err.filename else log_dir
        problems.append(Problem(where, 1, 1, f"cannot read folder: {cause(err)}"))

    if not log_dir.exists():
        in_the_way = next((p for p in log_dir.parents if p.exists()), None)
        if in_the_way is not None and not in_the_way.is_dir():
            problems.append(Problem(in_the_way, 1, 1, f"is a file where a folder should be: no {fmt.noun} "
                                                      f"can be read or saved below it"))
        return files, problems
    if not log_dir.is_dir():
        return files, [Problem(log_dir, 1, 1, f"is a file, but {fmt.folder} must be a folder")]
    for root, dirs, names in os.walk(log_dir, onerror=onerror):
        keep = []
        for d in sorted(dirs):
            if d.startswith((".", "~")):
                continue  # .stversions, .stfolder, .dropbox.cache, …
            if is_log_file_name(d):
                problems.append(Problem(Path(root) / d, 1, 1, f"is a folder, not a {fmt.noun} file"))
            else:
                keep.append(d)
        dirs[:] = keep
        files += [Path(root) / name for name in names if is_log_file_name(name)]
    return sorted(files), problems


def device_hint(log_dir: Path, path: Path) -> str:
    """The device a file's folder names ('' for a file right in the log folder)."""
    parts = path.relative_to(log_dir).parts
    return parts[0] if len(parts) > 1 else ""


# -- reading one file ----------------------------------------------------------------

def read_log_file(path: Path, fmt: LogFormat, hint: str = "") -> tuple[list, list[Problem]]:
    raw, problems = read_log_bytes(path, fmt)
    return parse_log(Path(path), raw, fmt, hint) if raw is not None else ([], problems)


def read_log_bytes(path: Path, fmt: LogFormat) -> tuple[bytes | None, list[Problem]]:
    """A file's bytes, or None and why it cannot be read."""
    try:
        st = os.stat(path)
        if stat.S_ISDIR(st.st_mode):
            return None, [Problem(path, 1, 1, f"is a folder, not a {fmt.noun} file")]
        if not stat.S_ISREG(st.st_mode):
            return None, [Problem(path, 1, 1, "is not a regular file")]
        with open(path, "rb") as f:
            return f.read(), []
    except OSError as err:
        return None, [Problem(path, 1, 1, f"cannot read: {cause(err)}")]


def parse_log(path: Path, raw: bytes, fmt: LogFormat, hint: str = "") -> tuple[list, list[Problem]]:
    """The records of one file's bytes and one problem per damaged part."""
    if not raw.strip():
        return [], [Problem(path, 1, 1, f"empty file: expected a supple {fmt.noun} "
                                        f'(format = "{fmt.format}", version = {fmt.version})')]
    text, bad = decode(raw)
    if not bad and "\x00" not in text:
        try:
            records, problems = _read_data(loads(text), text, fmt, hint)
            return records or [], [Problem(path, *p) for p in problems]
        except TomlError:
            pass
    return _parse_parts(path, text, bad, fmt, hint)


def _parse_parts(path: Path, text: str, bad: list[int], fmt: LogFormat,
                 hint: str) -> tuple[list, list[Problem]]:
    """A damaged file: the header and each record read on its own, so damage hides no other record."""
    lines = text.split("\n")
    starts = [i for i, ln in enumerate(lines) if fmt.record_line.match(ln) or _torn_record_line(ln, fmt.tables)]
    bounds = [0] + starts + [len(lines)]
    offsets = [0]
    for ln in lines:
        offsets.append(offsets[-1] + len(ln) + 1)
    records: list = []
    problems: list[Problem] = []
    for k, (a, b) in enumerate(zip(bounds, bounds[1:])):
        part = "\n".join(lines[a:b])
        damage = _damage(part, [o - offsets[a] for o in bad if offsets[a] <= o < offsets[a] + len(part)])
        nul = part.find("\x00")
        try:
            found, part_problems = _read_data(loads(part[:nul] if nul >= 0 else part), part, fmt, hint,
                                              header=k == 0, records=k > 0, damaged=damage is not None, shift=a)
        except TomlError as err:
            found, part_problems = [], []
            if damage is None:
                what = "file header" if k == 0 else f"{_kind_of(lines[a], fmt)} record, skipped"
                damage = (err.line, err.col, f"damaged {what}: {err.message}")
        if damage is not None:
            part_problems.insert(0, damage)  # the readable part still counts
        problems += [Problem(path, a + line, col, msg) for line, col, msg in part_problems]
        if found is None:
            return [], problems
        records += found
    return records, problems


def _read_data(data: dict, text: str, fmt: LogFormat, hint: str, header: bool = True, records: bool = True,
               damaged: bool = False, shift: int = 0) -> tuple[list | None, list[tuple[int, int, str]]]:
    """The records of a parsed file or part of one (side records after them, placed at their line
    in the file: `shift` lines come before `text`), and their problems at lines within it; None for
    a header from a newer supple (nothing of the file is read). A damaged part adds only that header."""
    pos_of = locator(text)
    problems: list[tuple[int, int, str]] = []
    if header:
        wrong = _check_header(data, pos_of, fmt)
        if wrong is not None and (not damaged or wrong[2]):
            problems.append((*wrong[0], wrong[1]))
        if wrong is not None and wrong[2]:
            return None, problems
    found = []
    for kind in fmt.tables if records else ():
        tables = data.get(kind, [])
        if not isinstance(tables, list):
            problems.append((*pos_of((kind,)), f"'{kind}' must be [[{kind}]] tables"))
            continue
        at = _side_positions(text, kind, fmt, len(tables)) if kind != fmt.table and tables else None
        for i, table in enumerate(tables):
            record, errors = fmt.from_record(table, hint, kind)
            if record is not None and at is not None:
                line, col = at[i] if at else pos_of((kind, i))
                record = record._replace(line=line + shift, col=col)
            if record is not None:
                found.append(record)
            elif not damaged:
                problems.append(_record_problem(errors, pos_of, (kind, i)))
    return found, problems


def _side_positions(text: str, kind: str, fmt: LogFormat, n: int) -> list[tuple[int, int]]:
    """(line, col) of each `[[kind]]` header, found by its lines (far cheaper than placing every
    key); [] when the lines do not match the tables one to one."""
    found = []
    for i, ln in enumerate(text.split("\n")):
        m = fmt.side_line.match(ln)
        if m and m.group(1) == kind:
            found.append((i + 1, len(ln) - len(ln.lstrip(" \t")) + 1))
    return found if len(found) == n else []


def _kind_of(line: str, fmt: LogFormat) -> str:
    """The table a record's first line names (a torn one: the first it may be the start of)."""
    m = fmt.record_line.match(line)
    if m:
        return m.group(1)
    torn = re.sub(r"[ \t\r\x00]", "", line)
    return next((t for t in fmt.tables if f"[[{t}]]".startswith(torn)), fmt.table)


def _torn_record_line(line: str, tables: tuple[str, ...]) -> bool:
    """A `[[session]]` (or other table's) line cut short ("[", "[[sess", …): a torn record, not
    part of the one before."""
    torn = re.sub(r"[ \t\r\x00]", "", line)
    return torn.startswith("[") and any(f"[[{t}]]".startswith(torn) for t in tables)


def _damage(part: str, bad: list[int]) -> tuple[int, int, str] | None:
    """The damaged bytes of a part (not UTF-8, or NUL), as one (line, col, message)."""
    found = [(bad[0], "not valid UTF-8 text here (the damaged bytes were replaced)")] if bad else []
    nul = part.find("\x00")
    if nul >= 0:
        found.append((nul, "NUL bytes: this part of the file was cut off or overwritten"))
    if not found:
        return None
    offset, msg = min(found)
    return (*line_col(part, offset), msg)


def _record_problem(errors: list[tuple[KeyPath, str]], pos_of: Callable[[KeyPath], tuple[int, int]],
                    base: KeyPath) -> tuple[int, int, str]:
    """One problem for a record: the position of its first error, every message."""
    line, col = min(pos_of(base + keypath) for keypath, _ in errors)
    return line, col, "; ".join(msg for _, msg in errors)


def _check_header(data: dict, pos_of, fmt: LogFormat) -> tuple[tuple[int, int], str, bool] | None:
    """None when the header is right, else (position, message, written by a newer supple)."""
    name, version, noun = fmt.format, fmt.version, fmt.noun
    ver = data.get("version")
    if "format" not in data and "version" not in data:
        return (1, 1), (f'missing header: a {noun} file starts with format = "{name}" '
                        f"and version = {version}"), False
    if data.get("format") != name:
        if "format" not in data:
            return (1, 1), f'missing format = "{name}"', False
        return pos_of(("format",)), f'not a supple {noun} file: format must be "{name}"', False
    if not isinstance(ver, int) or isinstance(ver, bool):
        if "version" not in data:
            return (1, 1), f"missing version = {version}", False
        return pos_of(("version",)), f"'version' must be a whole number, got {type_name(ver)}", False
    if ver > version:
        return (pos_of(("version",)), f"written by a newer supple ({noun} version {ver}; this one reads "
                                      f"version {version}): not read; update supple to see these {fmt.items}", True)
    if ver < 1:
        return pos_of(("version",)), f"'version' must be {version}, got {ver}", False
    return None


# -- merging the files ---------------------------------------------------------------

def file_rank(log_dir: Path, own: str, path: Path) -> tuple[tuple, tuple]:
    """(group, order within the group) of a file, for merging by id. The best group holds the
    record that counts: this device's own folder first, then canonical files before sync-conflict
    copies, then path order. Within a group (one folder's canonical files, or one conflict copy)
    the record written last wins: saving a record again with the same id updates it."""
    parts = path.relative_to(log_dir).parts
    mine = len(parts) > 1 and parts[0] == own
    m = CANONICAL.match(path.name)
    if m:
        n = int(m.group(1)[1:]) if m.group(1) else 0
        return (not mine, False, parts[:-1]), (path.name[:7], n)
    return (not mine, True, parts), ("", 0)


def merge_by_id(log_dir: Path, own: str, per_file: list[tuple[Path, list]], id_of: Callable[[Any], str]) -> list:
    """The record that counts for each id, from (file, its records): the best group by
    `file_rank` wins, and within a group the record written last. Unsorted."""
    best: dict[str, tuple[tuple, tuple, Any]] = {}
    for path, items in per_file:
        group, order = file_rank(log_dir, own, path)
        for i, item in enumerate(items):
            key, rank = id_of(item), (order, i)
            have = best.get(key)
            if have is None or group < have[0] or (group == have[0] and rank >= have[1]):
                best[key] = (group, rank, item)
    return [v[2] for v in best.values()]


def load_all(log_dir: Path, fmt: LogFormat, own: str, id_of: Callable[[Any], str]) -> tuple[list, list[Problem]]:
    """Every record below `log_dir`, merged by id (unsorted), and the problems found (sorted)."""
    files, problems = list_log_files(log_dir, fmt)
    per_file = []
    for path in files:
        records, found = read_log_file(path, fmt, device_hint(log_dir, path))
        problems += found
        per_file.append((path, records))
    problems.sort(key=lambda p: (str(p.path), p.line, p.col))
    return merge_by_id(log_dir, own, per_file, id_of), problems
