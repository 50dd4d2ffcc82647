"""The plain TOML supple writes, read without tomllib.

History and break files are a header of plain keys, then `[[table]]`
records of plain keys, one `key = value` a line, as tomli_w writes them.
tomllib would read them as well, but importing it costs `supple history`
as much as the rest of a start after a save, and its general parser reads
a month of sessions several times slower than this. `loads` reads exactly
that plain form, and for anything else (a comment, an array, a literal
string, odd spacing, a damaged line) says None: tomllib then reads the
file and says what is wrong. For every text it reads it gives what
`tomllib.loads` gives; the tests compare the two on generated records and
on damaged ones.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from typing import Any

# As tomllib matches them (Python 3.11): TOML 1.0 numbers, date-times and keys.
_LINE = r"([A-Za-z0-9_-]+) = (.+)"
_TABLE = r"\[\[([A-Za-z0-9_-]+)\]\]"
_INTEGER = r"-?(?:0|[1-9][0-9]*)"
_FLOAT = r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?"
_DATETIME = (r"([0-9]{4})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
             r"(?:[Tt ]([01][0-9]|2[0-3]):([0-5][0-9]):([0-5][0-9])(?:\.([0-9]{1,6})[0-9]*)?"
             r"(?:([Zz])|([+-])([01][0-9]|2[0-3]):([0-5][0-9]))?)?")
_PLAIN_STRING = r'"([^"\\\x00-\x08\x0a-\x1f\x7f]*)"'
_STRING_PART = r'([^"\\\x00-\x08\x0a-\x1f\x7f]*)(?:\\(?:([btnfr"\\])|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})))?'
_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}
_zones: dict[tuple[str, str, str], timezone] = {}


class _NotPlain(Exception):
    """Not the plain form: tomllib reads it."""


def loads(text: str) -> dict[str, Any] | None:
    """What tomllib.loads(text) gives, or None when the text is not in the plain form."""
    if "\r" in text:
        return None
    line_re, table_re = re.compile(_LINE), re.compile(_TABLE)
    doc: dict[str, Any] = {}
    arrays: set[str] = set()  # top-level keys made by [[key]]
    table = doc
    try:
        for line in text.split("\n"):
            if not line:
                continue
            m = line_re.fullmatch(line)
            if m is not None:
                key = m.group(1)
                if key in table:
                    return None  # given twice: tomllib says so
                table[key] = _value(m.group(2))
                continue
            m = table_re.fullmatch(line)
            if m is None:
                return None
            name = m.group(1)
            if name in doc and name not in arrays:
                return None
            arrays.add(name)
            table = {}
            doc.setdefault(name, []).append(table)
    except _NotPlain:
        return None
    return doc


def _value(text: str) -> Any:
    first = text[0]
    if first == '"':
        return _string(text)
    if text == "true":
        return True
    if text == "false":
        return False
    m = re.fullmatch(_DATETIME, text)
    if m is not None:
        return _datetime(m)
    if re.fullmatch(_INTEGER, text):
        return int(text)
    if re.fullmatch(_FLOAT, text):
        return float(text)
    raise _NotPlain


def _string(text: str) -> str:
    m = re.fullmatch(_PLAIN_STRING, text)
    if m is not None:
        return m.group(1)
    part = re.compile(_STRING_PART)
    out: list[str] = []
    at, end = 1, len(text) - 1
    if end < 1 or text[end] != '"':
        raise _NotPlain
    while at < end:
        m = part.match(text, at, end)
        assert m is not None  # the first group may match nothing
        plain, short, four, eight = m.groups()
        out.append(plain)
        if m.end() == at:
            raise _NotPlain  # a quote, a control character or a bad escape inside
        at = m.end()
        if short is not None:
            out.append(_ESCAPES[short])
        elif four is not None or eight is not None:
            code = int(four or eight, 16)
            if not (0 <= code <= 0xD7FF or 0xE000 <= code <= 0x10FFFF):
                raise _NotPlain  # not a Unicode scalar value
            out.append(chr(code))
    return "".join(out)


def _datetime(m: re.Match) -> datetime | date:
    year, month, day, hour, minute, sec, micros, zulu, sign, off_hour, off_minute = m.groups()
    try:
        if hour is None:
            return date(int(year), int(month), int(day))
        if sign:
            key = (off_hour, off_minute, sign)
            tz = _zones.get(key)
            if tz is None:
                s = 1 if sign == "+" else -1
                tz = _zones[key] = timezone(timedelta(hours=s * int(off_hour), minutes=s * int(off_minute)))
        elif zulu:
            tz = timezone.utc
        else:
            tz = None
        return datetime(int(year), int(month), int(day), int(hour), int(minute), int(sec),
                        int(micros.ljust(6, "0")) if micros else 0, tzinfo=tz)
    except ValueError:
        raise _NotPlain from None  # February 30th: tomllib says what is wrong
