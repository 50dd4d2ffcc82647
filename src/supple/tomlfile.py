"""Reading a TOML file a person edits, and checking its values with positions.

Every problem names the file, the line and the column; nothing here raises
for a file's contents.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from supple.problems import Problem
from supple.tomlpos import key_positions, locate, syntax_error_position

_BOM = "\ufeff"
# tomllib's wording for the mistakes people make most, said plainly
_PLAIN = {
    "Illegal character '\\n'": "a line ends inside a quoted text (a closing quote is missing)",
    "Unterminated string": "a quoted text is never closed (a closing quote is missing)",
    "Cannot overwrite a value": "this key is given twice",
    "Cannot declare": "this table or key is declared twice:",
}


def decode(path: Path, raw: bytes) -> tuple[str | None, list[Problem]]:
    """Text of a UTF-8 file, or a problem at the first byte that is not UTF-8."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        before = raw[: err.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        return None, [Problem(path, line, col, "not valid UTF-8 text")]
    if text.startswith(_BOM):
        text = text[1:]
    return text, []


class TomlDoc:
    """A parsed file (`data` None when it does not parse), and the problems found in it."""

    __slots__ = ("path", "data", "text", "problems", "_positions")

    def __init__(self, path: Path, data: dict[str, Any] | None, text: str = "",
                 problems: list[Problem] | None = None) -> None:
        self.path = path
        self.data = data
        self.text = text
        self.problems: list[Problem] = problems if problems is not None else []
        self._positions: dict | None = None

    def pos(self, *keypath: str | int) -> tuple[int, int]:
        if self._positions is None:
            self._positions = key_positions(self.text)
        return locate(self._positions, keypath)

    def problem(self, keypath: tuple[str | int, ...], message: str) -> None:
        line, col = self.pos(*keypath)
        self.problems.append(Problem(self.path, line, col, one_line(message)))


def one_line(text: str) -> str:
    """A message quoting the file's values, on one printable line (a value may hold
    a newline or a terminal escape): `path:line:col: message` stays one line."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


def read_toml(path: Path) -> TomlDoc:
    try:
        raw = Path(path).read_bytes()
    except IsADirectoryError:
        return TomlDoc(path, None, problems=[Problem(path, 1, 1, "is a folder, not a file")])
    except OSError as err:
        return TomlDoc(path, None, problems=[Problem(path, 1, 1, f"cannot read: {err.strerror or err}")])
    return parse_toml(path, raw)


def parse_toml(path: Path, raw: bytes) -> TomlDoc:
    text, problems = decode(path, raw)
    if text is None:
        return TomlDoc(path, None, problems=problems)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        line, col, msg = syntax_error_position(err, text)
        msg = next((plain + msg[len(k):] for k, plain in _PLAIN.items() if msg.startswith(k)), msg)
        return TomlDoc(path, None, text, [Problem(path, line, col, f"not valid TOML: {msg}")])
    return TomlDoc(path, data, text)


# Value checks: each returns the value when fine, else records a problem and returns None.

def is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def check_keys(doc: TomlDoc, table: dict, allowed: tuple[str, ...], where: tuple, label: str = "") -> None:
    for key in table:
        if key not in allowed:
            import difflib

            close = difflib.get_close_matches(key, allowed, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else f"; known keys: {', '.join(allowed)}"
            doc.problem(where + (key,), f"{label}unknown key '{key}'{hint}")


def get_str(doc: TomlDoc, table: dict, key: str, where: tuple, label: str = "",
            required: bool = False, default: str | None = None) -> str | None:
    if key not in table:
        if required:
            doc.problem(where, f"{label}missing required key '{key}'")
        return default
    v = table[key]
    if not isinstance(v, str):
        doc.problem(where + (key,), f"{label}'{key}' must be text in quotes, got {type_name(v)}")
        return None
    if required and not v.strip():
        doc.problem(where + (key,), f"{label}'{key}' must not be empty")
        return None
    return v


def get_number(doc: TomlDoc, table: dict, key: str, where: tuple, lo: float, hi: float,
               label: str = "", required: bool = False, default: float | None = None,
               integer: bool = False, unit: str = "") -> float | None:
    if key not in table:
        if required:
            doc.problem(where, f"{label}missing required key '{key}'")
        return default
    v = table[key]
    kind = "a whole number" if integer else "a number"
    if not is_number(v) or (integer and not isinstance(v, int)):
        doc.problem(where + (key,), f"{label}'{key}' must be {kind}, got {type_name(v)}")
        return None
    if not lo <= v <= hi:
        doc.problem(where + (key,), f"{label}'{key}' must be from {fmt(lo)} to {fmt(hi)}{unit}, got {fmt(v)}")
        return None
    return v


def get_bool(doc: TomlDoc, table: dict, key: str, where: tuple, default: bool) -> bool:
    if key not in table:
        return default
    v = table[key]
    if not isinstance(v, bool):
        doc.problem(where + (key,), f"'{key}' must be true or false, got {type_name(v)}")
        return default
    return v


def get_str_list(doc: TomlDoc, table: dict, key: str, where: tuple, label: str = "") -> tuple[str, ...] | None:
    if key not in table:
        return ()
    v = table[key]
    if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
        doc.problem(where + (key,), f"{label}'{key}' must be a list of texts, like [\"one\", \"two\"]")
        return None
    return tuple(v)


def type_name(v: Any) -> str:
    if isinstance(v, bool):
        return "true/false"
    if isinstance(v, str):
        return "text"
    if isinstance(v, int):
        return f"the whole number {v}"
    if isinstance(v, float):
        return f"the number {v}"
    if isinstance(v, list):
        return "a list"
    if isinstance(v, dict):
        return "a table"
    return type(v).__name__


def fmt(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else str(v)
