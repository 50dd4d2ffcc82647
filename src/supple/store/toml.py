"""Reading TOML files and checking their values, every problem with its line and column.

The checked readers (`get_str`, `get_number`, …) report a wrong value at its key path to a
sink: a `TomlDoc`, which places each problem at once, or an `Errors` list, which a log record
gathers into one problem. Nothing here raises for a file's contents.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

from supple.core.model import Problem
from supple.core.text import one_line
from supple.store.keypos import KeyPath, locator, nesting_position

# Past this, a file is damaged, not deep: every later step (comparing, caching, writing)
# stays far from Python's recursion limit.
MAX_NESTING = 20

_BOM = "\ufeff"
# tomllib's wording for the mistakes people make most, said plainly
_PLAIN = {
    "Illegal character '\\n'": "a line ends inside a quoted text (a closing quote is missing)",
    "Unterminated string": "a quoted text is never closed (a closing quote is missing)",
    "Cannot overwrite a value": "this key is given twice",
    "Cannot declare": "this table or key is declared twice:",
}
_SYNTAX_POS = re.compile(r"\(at line (\d+), column (\d+)\)\s*$")
_SYNTAX_END = re.compile(r"\(at end of document\)\s*$")


def decode(raw: bytes) -> tuple[str, list[int]]:
    """The text of UTF-8 bytes (a BOM dropped), and the offsets in it of the
    characters that stand for bytes that were not UTF-8 (as U+FFFD)."""
    bad: list[int] = []
    parts: list[str] = []
    pos = size = 0
    while True:
        try:
            parts.append(raw[pos:].decode("utf-8"))
            break
        except UnicodeDecodeError as err:
            good = raw[pos:pos + err.start].decode("utf-8")
            parts += [good, "\ufffd"]
            size += len(good)
            bad.append(size)
            size += 1
            pos += err.end
    text = "".join(parts)
    if text.startswith(_BOM):
        return text[1:], [b - 1 for b in bad]
    return text, bad


def line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


class TomlError(ValueError):
    """Text that is not valid TOML: where, and what, in plain words."""

    def __init__(self, line: int, col: int, message: str) -> None:
        super().__init__(f"{message} (line {line}, column {col})")
        self.line, self.col, self.message = line, col, message


def loads(text: str) -> dict[str, Any]:
    """What tomllib reads in `text`; TomlError where it is not valid TOML or nests past
    MAX_NESTING levels. Every TOML supple reads is parsed here."""
    # ~2 ms to import, and a start whose caches are warm parses nothing: its first
    # frame (within 1.10x of a bare Textual app) does not wait for it
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise TomlError(*_syntax_problem(err, text)) from None
    except RecursionError:  # tomllib recurses once per level: a few hundred levels overflow
        data = None
    if data is None or _nests_past(data, MAX_NESTING):
        line, col = nesting_position(text, MAX_NESTING) or (1, 1)
        raise TomlError(line, col, f"nested more than {MAX_NESTING} levels deep (supple's files need 4 at most)")
    return data


def _nests_past(data: dict, limit: int) -> bool:
    """Whether lists and tables nest more than `limit` levels below the document (walked without recursion)."""
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if depth > limit:
            return True
        children = value.values() if isinstance(value, dict) else value
        stack += [(c, depth + 1) for c in children if isinstance(c, (dict, list))]
    return False


def _syntax_problem(err: ValueError, text: str) -> tuple[int, int, str]:
    """(line, col, message in plain words) of a tomllib error (3.11-3.13 put the position only in the text)."""
    msg = str(err)
    line, col = getattr(err, "lineno", None), getattr(err, "colno", None)
    m = _SYNTAX_POS.search(msg)
    if m:
        msg = msg[:m.start()].rstrip()
        if line is None:
            line, col = int(m.group(1)), int(m.group(2))
    elif _SYNTAX_END.search(msg):
        msg = _SYNTAX_END.sub("", msg).rstrip() + " (at end of file)"
        if line is None:
            lines = text.split("\n")
            line, col = len(lines), len(lines[-1]) + 1
    if hasattr(err, "msg"):
        msg = err.msg  # 3.14+: the bare message
    msg = next((plain + msg[len(k):] for k, plain in _PLAIN.items() if msg.startswith(k)), msg)
    return line or 1, col or 1, msg


class TomlDoc:
    """A parsed file (`data` None when it does not parse), and the problems found in it."""

    def __init__(self, path: Path, data: dict[str, Any] | None, text: str = "",
                 problems: list[Problem] | None = None) -> None:
        self.path = path
        self.data = data
        self.text = text
        self.problems: list[Problem] = problems if problems is not None else []
        self._pos_of = locator(text)

    def problem(self, keypath: KeyPath, message: str) -> None:
        line, col = self._pos_of(keypath)
        self.problems.append(Problem(self.path, line, col, one_line(message)))

    def sorted_problems(self) -> list[Problem]:
        return sorted(self.problems, key=lambda p: (p.line, p.col))


class Errors(list):
    """What is wrong with one record: (key path, message) pairs, placed later."""

    def problem(self, keypath: KeyPath, message: str) -> None:
        self.append((keypath, one_line(message)))


Sink = TomlDoc | Errors  # where the checked readers report a wrong value


def read_toml(path: Path) -> TomlDoc:
    try:
        raw = Path(path).read_bytes()
    except IsADirectoryError:
        return TomlDoc(path, None, problems=[Problem(path, 1, 1, "is a folder, not a file")])
    except OSError as err:
        return TomlDoc(path, None, problems=[Problem(path, 1, 1, f"cannot read: {err.strerror or err}")])
    text, bad = decode(raw)
    if bad:
        line, col = line_col(text, bad[0])
        return TomlDoc(path, None, problems=[Problem(path, line, col, "not valid UTF-8 text")])
    try:
        data = loads(text)
    except TomlError as err:
        return TomlDoc(path, None, text, [Problem(path, err.line, err.col, f"not valid TOML: {err.message}")])
    return TomlDoc(path, data, text)


# -- the checked readers: the value when it is right, else a problem and None ------

def check_keys(sink: Sink, table: dict, allowed: tuple[str, ...], where: KeyPath, label: str = "") -> None:
    for key in table:
        if key not in allowed:
            import difflib  # only for a mistake: commands answer within 0.30x of a first frame

            close = difflib.get_close_matches(key, allowed, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else f"; known keys: {', '.join(allowed)}"
            sink.problem(where + (key,), f"{label}unknown key '{key}'{hint}")


def get_str(sink: Sink, table: dict, key: str, where: KeyPath, label: str = "",
            required: bool = False, default: str | None = None, nonempty: bool | None = None) -> str | None:
    if key not in table:
        if required:
            sink.problem(where, f"{label}missing required key '{key}'")
        return default
    v = table[key]
    if not isinstance(v, str):
        sink.problem(where + (key,), f"{label}'{key}' must be text in quotes, got {type_name(v)}")
        return None
    if (required if nonempty is None else nonempty) and not v.strip():
        sink.problem(where + (key,), f"{label}'{key}' must not be empty")
        return None
    return v


def get_number(sink: Sink, table: dict, key: str, where: KeyPath, lo: float, hi: float | None,
               label: str = "", required: bool = False, default: float | None = None,
               integer: bool = False, unit: str = "") -> float | None:
    """A number from `lo` to `hi` (None: no upper bound; never infinite or NaN)."""
    if key not in table:
        if required:
            sink.problem(where, f"{label}missing required key '{key}'")
        return default
    v = table[key]
    kind = "a whole number" if integer else "a number"
    if isinstance(v, bool) or not isinstance(v, int if integer else (int, float)):
        sink.problem(where + (key,), f"{label}'{key}' must be {kind}, got {type_name(v)}")
        return None
    if not (math.isfinite(v) and lo <= v and (hi is None or v <= hi)):
        span = f"{fmt(lo)} or more" if hi is None else f"from {fmt(lo)} to {fmt(hi)}"
        sink.problem(where + (key,), f"{label}'{key}' must be {span}{unit}, got {fmt(v)}")
        return None
    return v


def get_bool(sink: Sink, table: dict, key: str, where: KeyPath, default: bool | None) -> bool | None:
    if key not in table:
        return default
    v = table[key]
    if not isinstance(v, bool):
        sink.problem(where + (key,), f"'{key}' must be true or false, got {type_name(v)}")
        return default
    return v


def get_str_list(sink: Sink, table: dict, key: str, where: KeyPath, label: str = "") -> tuple[str, ...] | None:
    if key not in table:
        return ()
    v = table[key]
    if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
        sink.problem(where + (key,), f"{label}'{key}' must be a list of texts, like [\"one\", \"two\"]")
        return None
    return tuple(v)


def get_moment(sink: Sink, table: dict, key: str, where: KeyPath) -> datetime | None:
    """A date-time with its UTC offset (None when the key is not there)."""
    if key not in table:
        return None
    v = table[key]
    if not isinstance(v, datetime) or v.tzinfo is None:
        sink.problem(where + (key,), f"'{key}' must be a date-time with a UTC offset, "
                                     f"like 2026-11-20T07:31:02+01:00, got {type_name(v)}")
        return None
    return v


def type_name(v: Any) -> str:
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


def fmt(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else str(v)
