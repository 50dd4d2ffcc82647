"""Any session written and read back is the same session (Hypothesis)."""

from __future__ import annotations

import tempfile
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from supple.core.model import Session
from supple.store.history import HistoryStore
from supple.store.logs import read_log_file
from supple.store.sessions import SESSIONS, record_text

UTC = timezone.utc
ZONE_NAMES = ("Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "America/Santiago",
              "Asia/Kolkata", "Pacific/Chatham", "Europe/London", "America/St_Johns")


class EuropeanSummerTime(tzinfo):
    """Central European time with its daylight-saving rule, written out here
    so the test needs no time-zone database: 02:00 -> 03:00 on the last
    Sunday of March, 03:00 -> 02:00 on the last Sunday of October (fold=1
    is the second 02:xx)."""

    STD, DST = timedelta(hours=1), timedelta(hours=2)

    @staticmethod
    def _last_sunday(year: int, month: int) -> datetime:
        d = date(year, month + 1, 1) - timedelta(days=1)
        return datetime.combine(d - timedelta(days=(d.weekday() + 1) % 7), time(2))

    def utcoffset(self, dt: datetime | None) -> timedelta:
        if dt is None:
            return self.STD
        wall = dt.replace(tzinfo=None, fold=0)
        start, end = self._last_sunday(dt.year, 3), self._last_sunday(dt.year, 10)
        if start <= wall < start + timedelta(hours=1):  # the gap
            return self.DST if dt.fold else self.STD
        if end <= wall < end + timedelta(hours=1):  # the repeated hour
            return self.STD if dt.fold else self.DST
        return self.DST if start <= wall < end else self.STD

    def dst(self, dt: datetime | None) -> timedelta:
        return self.utcoffset(dt) - self.STD

    def tzname(self, dt: datetime | None) -> str:
        return "CEST" if self.dst(dt) else "CET"

    def fromutc(self, dt: datetime) -> datetime:
        utc = dt.replace(tzinfo=None)
        # both changes happen at 01:00 UTC
        start = self._last_sunday(utc.year, 3) - timedelta(hours=1)
        end = self._last_sunday(utc.year, 10) - timedelta(hours=1)
        if start <= utc < end:
            return (utc + self.DST).replace(tzinfo=self)
        fold = int(end <= utc < end + timedelta(hours=1))  # the second 02:xx
        return (utc + self.STD).replace(tzinfo=self, fold=fold)


def _zones() -> list[tzinfo]:
    zones: list[tzinfo] = [EuropeanSummerTime()]
    try:
        from zoneinfo import ZoneInfo

        for name in ZONE_NAMES:
            try:
                zones.append(ZoneInfo(name))
            except Exception:  # no time-zone database here: the hand-written zone still runs
                pass
    except ImportError:  # pragma: no cover
        pass
    return zones


ZONES = _zones()
# transition days of the zones above, 2024-2027 (and ordinary days around them)
DST_DAYS = [date(2026, 3, 29), date(2026, 10, 25), date(2026, 3, 8), date(2026, 11, 1),
            date(2026, 4, 5), date(2026, 10, 4), date(2026, 9, 6), date(2026, 9, 27),
            date(2027, 3, 28), date(2027, 10, 31), date(2025, 3, 30), date(2025, 10, 26),
            date(2024, 12, 31), date(2026, 1, 1)]

offsets = st.one_of(
    st.integers(-(24 * 60 - 1), 24 * 60 - 1).map(lambda m: timezone(timedelta(minutes=m))),
    # offsets TOML cannot write (seconds): saved as the same moment in UTC
    st.integers(-(24 * 3600 - 1), 24 * 3600 - 1).map(lambda s: timezone(timedelta(seconds=s))),
    st.just(UTC),
)
on_dst_days = st.builds(
    lambda day, t, fold, zone: datetime.combine(day, t).replace(tzinfo=zone, fold=fold),
    st.sampled_from(DST_DAYS), st.times(), st.integers(0, 1), st.sampled_from(ZONES))
anywhere = st.builds(lambda naive, zone: naive.replace(tzinfo=zone),
                     st.datetimes(datetime(1971, 1, 2), datetime(2199, 12, 30)), st.one_of(offsets, st.sampled_from(ZONES)))
moments = st.one_of(on_dst_days, anywhere)

names = st.text(min_size=0, max_size=40)
nonblank = st.text(min_size=1, max_size=40).filter(lambda s: s.strip())
tricky = st.one_of(names, st.sampled_from([
    'she said "ouch"', "line one\nline two", "[[session]]\nid = \"forged\"", "tab\tand\\backslash",
    "'''", '"""', "\r\n", "\x00\x1b\x7f", "\u2028\u2029", "Nacken ✓ 首 🧘", "# not a comment",
])
)


@st.composite
def sessions(draw) -> Session:
    started = draw(moments)
    length = draw(st.floats(0, 6 * 3600, allow_nan=False))
    done_total = draw(st.integers(0, 60))
    # counted in UTC: wall-clock arithmetic drops `fold`, and across a DST fold could end before it started
    ended = (started.astimezone(UTC) + timedelta(seconds=length)).astimezone(started.tzinfo)
    return Session(
        id=draw(st.one_of(st.uuids().map(lambda u: u.hex), nonblank)),
        routine=draw(nonblank), routine_name=draw(tricky), region=draw(tricky),
        started=started, ended=ended,
        active_seconds=draw(st.one_of(st.floats(0, 1e7, allow_nan=False), st.integers(0, 10**6).map(float))),
        completed=draw(st.booleans()),
        stretches_done=draw(st.integers(0, done_total)), stretches_total=done_total,
        source=draw(st.sampled_from(["player", "manual"]) | nonblank),
        pain_before=draw(st.none() | st.integers(0, 10)), pain_after=draw(st.none() | st.integers(0, 10)),
        note=draw(st.none() | tricky), stopped=draw(st.none() | tricky),
    )


def as_written(dt: datetime) -> datetime:
    """The moment as a file keeps it: its own UTC offset, or UTC when that has seconds."""
    off = dt.utcoffset()
    if off % timedelta(minutes=1):
        return dt.astimezone(UTC)
    return dt.astimezone(timezone(off))


def expected(s: Session, device: str) -> Session:
    return s._replace(started=as_written(s.started), ended=as_written(s.ended), device=device)


RUNS = {"examples": 0, "sessions": 0}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(sessions(), min_size=1, max_size=4, unique_by=lambda s: s.id))
def test_any_session_round_trips(batch: list[Session]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = HistoryStore(Path(tmp) / "data", "laptop", Path(tmp) / "cache")
        paths = {s.id: store.save(s) for s in batch}
        loaded = store.load()
        assert loaded.problems == []
        got = {s.id: s for s in loaded.sessions}
        assert set(got) == {s.id for s in batch}
        for s in batch:
            want = expected(s, "laptop")
            have = got[s.id]
            assert have == want
            # the very same text of the moment: offset kept, not the reader's zone
            assert have.started.isoformat() == want.started.isoformat()
            assert have.ended.isoformat() == want.ended.isoformat()
            # filed under the month of its local start
            assert paths[s.id].name == want.started.strftime("%Y-%m") + ".toml"
        # and a reader without the cache agrees
        for path in set(paths.values()):
            sessions_in_file, problems = read_log_file(path, SESSIONS, "laptop")
            assert problems == []
            for s in sessions_in_file:
                assert s == got[s.id]
        # the JSON export keeps every key
        for s in loaded.sessions:
            assert datetime.fromisoformat(s.to_json()["started"]) == s.started
    RUNS["examples"] += 1
    RUNS["sessions"] += len(batch)


def test_round_trip_summary() -> None:
    """Prints how much the round trip above tried (runs after it in file order)."""
    print(f"\nround trip: {RUNS['examples']} Hypothesis examples, {RUNS['sessions']} sessions written "
          f"and read back equal, {len(ZONES)} daylight-saving zones, 0 lost")


def test_the_hand_written_zone_is_right() -> None:
    tz = EuropeanSummerTime()
    assert datetime(2026, 3, 29, 1, 59, tzinfo=tz).utcoffset() == timedelta(hours=1)
    assert datetime(2026, 3, 29, 3, 0, tzinfo=tz).utcoffset() == timedelta(hours=2)
    first = datetime(2026, 10, 25, 2, 30, tzinfo=tz)
    second = first.replace(fold=1)
    assert (second.astimezone(UTC) - first.astimezone(UTC)) == timedelta(hours=1)
    for hours in range(0, 48):
        u = datetime(2026, 10, 24, 12, tzinfo=UTC) + timedelta(hours=hours)
        assert u.astimezone(tz).astimezone(UTC) == u
        u = datetime(2026, 3, 28, 12, tzinfo=UTC) + timedelta(hours=hours)
        assert u.astimezone(tz).astimezone(UTC) == u


def test_a_name_that_is_not_utf8_is_saved_not_lost(tmp_path: Path) -> None:
    """A routine file named in another encoding gives an id with lone surrogates:
    the session is saved with U+FFFD in their place, and the file stays UTF-8."""
    store = HistoryStore(tmp_path / "data", "laptop", tmp_path / "cache")
    started = datetime(2026, 11, 20, 8, 0, tzinfo=timezone(timedelta(hours=1)))
    s = Session(id="a1", routine="caf\udce9", routine_name="Caf\udce9 break", region="neck",
                started=started, ended=started + timedelta(minutes=5), active_seconds=200.0,
                completed=True, stretches_done=3, stretches_total=3, note="\ud800")
    path = store.save(s)
    path.read_bytes().decode("utf-8")  # strict
    [back] = store.load().sessions
    assert (back.routine, back.routine_name, back.note) == ("caf\ufffd", "Caf\ufffd break", "\ufffd")
    assert record_text(back)  # and it writes again
