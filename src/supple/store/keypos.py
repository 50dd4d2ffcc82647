"""Where each key of a TOML document stands, for error messages: tomllib places syntax errors
only. `key_positions` reads a document tomllib accepted, token by token:

    name = "x"            -> ("name",)
    [[stretch]] hold = 0  -> ("stretch", 0, "hold")   (the header: ("stretch", 0))
    [variables] "a-b" = 1 -> ("variables", "a-b")

Values are skipped, not read; keys inside inline tables are not listed
(their key's own position stands for them).
"""

from __future__ import annotations

import re
from functools import cache, partial
from typing import Callable, Iterator

KeyPath = tuple[str | int, ...]
Pos = tuple[int, int]

_TOKEN = re.compile("|".join((
    r'(?P<text>"""(?:[^\\]|\\.)*?"{3,5}' + r"|'''.*?'{3,5}" + r'|"(?:[^"\\\n]|\\.)*"' + r"|'[^'\n]*')",
    r"(?P<space>[ \t\r]+|#[^\n]*)",
    r"(?P<newline>\n)",
    r"(?P<mark>\[\[|\]\]|[\[\]{}=.,])",
    r"(?P<word>[^\s\[\]{}=.,#\"']+)",
)), re.DOTALL)


def key_positions(text: str) -> dict[KeyPath, Pos]:
    """Map every key path of a valid TOML document to its (line, col)."""
    out: dict[KeyPath, Pos] = {}
    counts: dict[KeyPath, int] = {}  # how many [[tables]] of each path so far
    table: KeyPath = ()
    names: list[str] = []
    start: Pos | None = None
    state, depth = "key", 0  # state: key, header, value, or rest (of the line)
    for kind, token, pos in _tokens(text):
        if kind == "newline":
            if state != "value" or depth <= 0:  # a value goes on while its brackets are open
                state, depth, start = "key", 0, None
            continue
        if kind == "space" or state == "rest":
            continue
        if state == "value":
            if kind == "mark":
                depth += token.count("[") + token.count("{") - token.count("]") - token.count("}")
        elif state == "header":
            if token in ("]", "]]"):
                table = _resolve(names, counts, array=token == "]]")
                out.setdefault(table, start)
                state = "rest"
            elif kind != "mark":
                names.append(_name(kind, token))
        else:
            if start is None:
                start, names = pos, []
            if token in ("[", "[[") and not names:
                state = "header"
            elif token == "=":
                out.setdefault(table + tuple(names), start)
                state = "value"
            elif kind != "mark":
                names.append(_name(kind, token))
    return out


def _tokens(text: str) -> Iterator[tuple[str | None, str, Pos]]:
    """(kind, token, (line, col)) of every token of `text`, spaces and newlines included."""
    line, line_start = 1, 0
    for m in _TOKEN.finditer(text):
        kind, token = m.lastgroup, m.group()
        yield kind, token, (line, m.start() - line_start + 1)
        if kind == "newline" or (kind == "text" and "\n" in token):  # a long text, in a value
            line, line_start = line + token.count("\n"), m.start() + token.rindex("\n") + 1


def _name(kind: str | None, token: str) -> str:
    if kind != "text":
        return token
    if token[0] == "'":
        return token[1:-1]
    import tomllib  # as in toml.loads: the first frame (≤ 1.10x a bare app) does not wait for it

    try:
        return tomllib.loads(f"k = {token}")["k"]
    except tomllib.TOMLDecodeError:
        return token[1:-1]


def _resolve(names: list[str], counts: dict[KeyPath, int], array: bool) -> KeyPath:
    """A header's path, with array-of-tables parents pointing at their last element
    (an array counted afresh in each element of its parent: [[a.b]] under a second [[a]] starts at 0)."""
    path: list[str | int] = []
    for k, name in enumerate(names):
        path.append(name)
        if k < len(names) - 1 and tuple(path) in counts:
            path.append(counts[tuple(path)] - 1)
    if array:
        key = tuple(path)
        counts[key] = counts.get(key, 0) + 1
        path.append(counts[key] - 1)
    return tuple(path)


def locate(positions: dict[KeyPath, Pos], path: KeyPath) -> Pos:
    """The position of `path`, or of its nearest listed parent, or (1, 1)."""
    p = tuple(path)
    while p:
        if p in positions:
            return positions[p]
        p = p[:-1]
    return (1, 1)


def locator(text: str) -> Callable[[KeyPath], Pos]:
    """`locate` in `text`, its key positions found when first asked (only a mistake needs them)."""
    positions = cache(partial(key_positions, text))
    return lambda path: locate(positions(), path)


def nesting_position(text: str, limit: int) -> Pos | None:
    """Where the document first nests past `limit` levels (arrays, inline tables and dotted
    keys, a table header's included), or None. Reads text that need not parse."""
    brackets = header = dots = 0  # open brackets; a header's dotted depth; this key's dots
    in_key, header_open = True, False
    for kind, token, pos in _tokens(text):
        if kind == "newline":
            in_key, dots = brackets == 0, 0
            continue
        if kind != "mark":
            continue
        if token in ("[", "[[", "{"):
            if in_key and brackets == 0 and token != "{":
                header, header_open = 0, True  # a table header: its dots are the table's depth
            brackets += len(token)
            in_key = token == "{" or header_open
        elif token in ("]", "]]", "}"):
            brackets -= len(token)
            if header_open and brackets <= 0:
                header, header_open, brackets = dots + len(token), False, 0  # [a.b]: 2 tables; [[a]]: a list, a table
        elif token == "=":
            in_key, dots = False, 0
        elif token == ",":
            in_key = brackets > 0 and not header_open
        elif token == "." and in_key:
            dots += 1
        if header + brackets + dots > limit:
            return pos
    return None
