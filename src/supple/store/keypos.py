"""Where each key of a TOML document stands, for error messages.

`tomllib` says where a *syntax* error is, but not where a key that parsed
fine (and is wrong for us) was written. `key_positions` scans a document
that tomllib already accepted and maps every key path to its 1-based
(line, column):

    name = "x"            -> ("name",)
    [[stretch]] hold = 0  -> ("stretch", 0, "hold")   (the header: ("stretch", 0))
    [variables] "a-b" = 1 -> ("variables", "a-b")

Values are skipped, not interpreted; keys inside inline tables are not
listed (their key's own position is used instead).
"""

from __future__ import annotations

import re

Path = tuple[str | int, ...]
Pos = tuple[int, int]

_BARE = re.compile(r"[A-Za-z0-9_-]+")


class _Scanner:
    def __init__(self, text: str) -> None:
        self.s = text
        self.i = 0
        self.n = len(text)
        self.line = 1
        self.line_start = 0

    def col(self) -> int:
        return self.i - self.line_start + 1

    def peek(self, k: int = 0) -> str:
        j = self.i + k
        return self.s[j] if j < self.n else ""

    def advance(self, k: int = 1) -> None:
        for _ in range(k):
            if self.i >= self.n:
                return
            if self.s[self.i] == "\n":
                self.line += 1
                self.line_start = self.i + 1
            self.i += 1

    def skip_ws(self) -> None:
        while self.peek() in (" ", "\t"):
            self.i += 1

    def skip_comment(self) -> None:
        if self.peek() == "#":
            while self.i < self.n and self.s[self.i] != "\n":
                self.i += 1

    def skip_ws_nl_comments(self) -> None:
        while self.i < self.n:
            c = self.peek()
            if c in (" ", "\t", "\r", "\n"):
                self.advance()
            elif c == "#":
                self.skip_comment()
            else:
                return

    def read_string(self) -> str:
        """Read a string token at the cursor, return its raw body."""
        s = self.s
        for quote in ('"""', "'''"):
            if s.startswith(quote, self.i):
                self.advance(3)
                start = self.i
                while self.i < self.n:
                    if quote == '"""' and s[self.i] == "\\":
                        self.advance(2)
                        continue
                    if s.startswith(quote, self.i):
                        run = self.i
                        while run < self.n and s[run] == quote[0]:
                            run += 1
                        # a run of 4 or 5 quotes keeps 1 or 2 in the body
                        end = run - 3
                        self.advance(run - self.i)
                        return s[start:end]
                    self.advance()
                return s[start:]
        quote = s[self.i]
        self.advance()
        start = self.i
        while self.i < self.n and s[self.i] != quote and s[self.i] != "\n":
            if quote == '"' and s[self.i] == "\\":
                self.advance(2)
                continue
            self.advance()
        body = s[start : self.i]
        self.advance()
        return body

    def read_key(self) -> list[str]:
        parts: list[str] = []
        while True:
            self.skip_ws()
            c = self.peek()
            if c in ('"', "'"):
                raw = self.read_string()
                parts.append(_unescape(raw) if c == '"' else raw)
            else:
                m = _BARE.match(self.s, self.i)
                if not m:
                    break
                parts.append(m.group(0))
                self.i = m.end()
            self.skip_ws()
            if self.peek() == ".":
                self.i += 1
                continue
            break
        return parts

    def skip_value(self) -> None:
        depth = 0
        while self.i < self.n:
            c = self.peek()
            if c in ('"', "'"):
                self.read_string()
            elif c in "[{":
                depth += 1
                self.advance()
            elif c in "]}":
                depth -= 1
                self.advance()
                if depth <= 0:
                    return
            elif c == "#":
                if depth == 0:
                    return
                self.skip_comment()
            elif c == "\n":
                if depth == 0:
                    return
                self.advance()
            else:
                self.advance()

    def to_line_end(self) -> None:
        while self.i < self.n and self.s[self.i] != "\n":
            self.i += 1


def _unescape(raw: str) -> str:
    import tomllib  # only to place a problem; a start parses no TOML when its caches are warm

    try:
        return tomllib.loads(f'k = "{raw}"')["k"]
    except tomllib.TOMLDecodeError:
        return raw


def key_positions(text: str) -> dict[Path, Pos]:
    """Map every key path of a valid TOML document to its (line, col)."""
    sc = _Scanner(text)
    out: dict[Path, Pos] = {}
    counts: dict[tuple[str, ...], int] = {}
    table: Path = ()
    while True:
        sc.skip_ws_nl_comments()
        if sc.i >= sc.n:
            break
        pos = (sc.line, sc.col())
        if sc.peek() == "[":
            is_array = sc.peek(1) == "["
            sc.advance(2 if is_array else 1)
            names = sc.read_key()
            if is_array:
                key = tuple(names)
                idx = counts.get(key, 0)
                counts[key] = idx + 1
                table = _resolve(names, counts) + (idx,)
            else:
                table = _resolve(names, counts)
            out.setdefault(table, pos)
            sc.to_line_end()
            continue
        names = sc.read_key()
        if not names:
            sc.to_line_end()
            continue
        out.setdefault(table + tuple(names), pos)
        sc.skip_ws()
        if sc.peek() == "=":
            sc.advance()
            sc.skip_ws()
            sc.skip_value()
        sc.to_line_end()
    return out


def _resolve(names: list[str], counts: dict[tuple[str, ...], int]) -> Path:
    """A header path, with array-of-tables parents pointing at their last element."""
    path: list[str | int] = []
    for k in range(len(names)):
        path.append(names[k])
        prefix = tuple(names[: k + 1])
        if k < len(names) - 1 and prefix in counts:
            path.append(counts[prefix] - 1)
    return tuple(path)


def locate(positions: dict[Path, Pos], path: Path) -> Pos:
    """The position of `path`, or of its nearest listed parent, or (1, 1)."""
    p = tuple(path)
    while p:
        if p in positions:
            return positions[p]
        p = p[:-1]
    return (1, 1)
