"""The plain TOML reader gives what tomllib gives, or leaves the text to tomllib."""

from __future__ import annotations

import tomllib
from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from supple import plaintoml
from supple.breaklog import BreakEvent
from supple.breaklog import record_text as break_text
from supple.history import HEADER, Session, record_text

ZONES = st.builds(lambda m: timezone(timedelta(minutes=m)), st.integers(-23 * 60 - 59, 23 * 60 + 59))
MOMENTS = st.builds(lambda d, z: d.replace(tzinfo=z),
                    st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)), ZONES)
TEXTS = st.text(st.characters(codec="utf-8"), max_size=30)  # any character, control ones too
SESSIONS = st.builds(
    Session, id=TEXTS, routine=TEXTS, routine_name=TEXTS, region=TEXTS, started=MOMENTS, ended=MOMENTS,
    active_seconds=st.floats(allow_nan=False, allow_infinity=False), completed=st.booleans(),
    stretches_done=st.integers(-10**20, 10**20), stretches_total=st.integers(0, 60), source=TEXTS,
    device=TEXTS, pain_before=st.none() | st.integers(0, 10), pain_after=st.none() | st.integers(0, 10),
    note=st.none() | TEXTS, stopped=st.none() | TEXTS,
)


def same(a, b) -> bool:
    """Equal, and of the same types all the way down (True is not 1; the same UTC offsets)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, datetime):
        return a == b and a.utcoffset() == b.utcoffset() and type(a.tzinfo) is type(b.tzinfo)
    return a == b


def a_file(sessions) -> str:
    return HEADER + "".join("\n" + record_text(s) for s in sessions)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(SESSIONS, max_size=4))
def test_what_supple_writes_reads_as_tomllib_reads_it(sessions):
    text = a_file(sessions)
    got = plaintoml.loads(text)
    want = tomllib.loads(text)
    assert got is not None, "supple's own records are the plain form"
    assert same(got, want)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.builds(BreakEvent, at=MOMENTS, action=st.sampled_from(["taken", "skipped"]), id=TEXTS,
                          device=TEXTS), max_size=3))
def test_break_records_read_as_tomllib_reads_them(events):
    text = 'format = "supple-breaks"\nversion = 1\n' + "".join("\n" + break_text(e) for e in events)
    got = plaintoml.loads(text)
    assert got is not None and same(got, tomllib.loads(text))


EDITS = st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 3),
                           st.text('"\\=[] \n\t.#eE+-_:TZz0123456789abcdefxuU\'\x00\x7f\u00e9', max_size=3)),
                 min_size=1, max_size=4)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(SESSIONS, min_size=1, max_size=2), EDITS)
def test_a_damaged_file_is_read_as_tomllib_reads_it_or_left_to_tomllib(sessions, edits):
    text = a_file(sessions)
    for at, cut, put in edits:
        at %= len(text) + 1
        text = text[:at] + put + text[at + cut:]
    got = plaintoml.loads(text)
    if got is None:
        return
    try:
        want = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        pytest.fail(f"read a text tomllib rejects: {text!r}")
    assert same(got, want), text


@pytest.mark.parametrize("text", [
    'a = 1', 'a = -0', 'a = 12345678901234567890123', 'a = 0.5', 'a = -1.5e-3', 'a = 1e5', 'a = 6E+2',
    'a = true', 'a = false', 'a = "x\\ty\\u00e9\\U0001F600\\"\\\\"', 'a = "tab\there"',
    'a = 2026-11-20 07:31:02+01:00', 'a = 2026-11-20T07:31:02.5Z', 'a = 2026-11-20t07:31:02.1234567-09:30',
    'a = 2026-11-20 07:31:02', 'a = 2026-11-20', '[[s]]\na = 1\n\n[[s]]\na = 2\nb = "x"',
    'v = 1\n[[s]]\nv = 2',
])
def test_plain_values(text):
    assert same(plaintoml.loads(text), tomllib.loads(text))


@pytest.mark.parametrize("text", [
    'a = 1 # note', 'a =1', 'a = [1]', "a = 'x'", 'a = """x"""', 'a = inf', 'a = +1', 'a = 1_000', 'a = 0x1f',
    'a.b = 1', '"a" = 1', '[t]\na = 1', '[[ s ]]', ' a = 1', 'a = 1 ', 'a = 07:31:02', 'a = 1\r\n',
    'a = "x\\u0"', 'a = "\\uD800"', 'a = "\\q"', 'a = "x', 'a = "x" "y"', 'a = 2026-02-30 07:00:00Z',
    'a = 1\na = 2', 's = 1\n[[s]]\na = 1', 'a = "\x01"', 'a = "\x7f"',
])
def test_anything_else_is_left_to_tomllib(text):
    assert plaintoml.loads(text) is None


def test_a_date_is_read_as_a_date():
    assert plaintoml.loads("a = 2026-11-20") == {"a": date(2026, 11, 20)}
