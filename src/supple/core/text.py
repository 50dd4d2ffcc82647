"""Text from a file or an argument, made safe to show: a terminal escape, bell or right-to-left override
would move the cursor, recolour the terminal or turn a line around, so each is shown as its escape (`\\x1b`).
Markup is a matter for whoever draws the text."""

from __future__ import annotations

# joiners inside emoji and scripts that need them: invisible, but harmless
_KEPT = {"\u200c", "\u200d"}


def printable(text: str, *, newlines: bool = True) -> str:
    """`text` with each unprintable character as its escape; with `newlines`, newlines kept and tabs as 4 spaces."""
    if text.isprintable():
        return text
    out = []
    for c in text:
        if c.isprintable() or c in _KEPT or (newlines and c == "\n"):
            out.append(c)
        elif newlines and c == "\t":
            out.append("    ")
        else:
            out.append(c.encode("unicode_escape").decode("ascii"))
    return "".join(out)


def one_line(text: str) -> str:
    """`text` on one printable line: a `path:line:col: message` quoting a value stays one line."""
    return printable(text, newlines=False)
