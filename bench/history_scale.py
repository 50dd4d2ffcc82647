"""Ten years of history: does supple still start as fast as with none?

Generates about 11,000 sessions in about 120 month files (written with the
real record writer, the way `HistoryStore.save` writes them), then measures
side by side, alternating the two cases, median of several runs:

  (a) `supple history` wall time: no history vs ten years, warm cache (and with 500 corrections)
      (the cold run that builds the cache is reported too);
  (b) the cost of `HistoryStore.save` of one session: no history vs ten years;
  (c) a start after one month file changed: files re-parsed and load time.

The targets (issues 3, 12 and 16): (a) at most 1.25x, with or without corrections; (b) about 1x; (c) one file re-parsed.

    python bench/history_scale.py [--runs 7] [--saves 30] [--keep DIR]

It runs the installed `supple` (next to this Python, else on PATH): after
changing the code, `pip install --no-deps .` first.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from datetime import datetime, timedelta, timezone
from pathlib import Path

SUPPLE = shutil.which("supple", path=str(Path(sys.executable).parent)) or shutil.which("supple")

# (routine id, name, region, stretches, minutes)
ROUTINES = [
    ("neck", "Neck release", "neck", 6, 8),
    ("upper-back", "Shoulders and upper back", "upper-back", 5, 6),
    ("lower-back", "Lower back ease", "lower-back", 6, 7),
    ("hips-legs", "Hips and hamstrings", "hips-legs", 5, 7),
    ("glutes", "Hips and glutes", "hips-legs", 6, 9),
    ("posture", "Posture reset", "posture", 5, 5),
    ("desk-break", "Desk break", "posture", 4, 5),
    ("morning", "Morning stretch", "lower-back", 8, 13),
    ("evening", "Evening wind-down", "lower-back", 9, 14),
]
DEVICE = "laptop"


def _zone(day: datetime) -> timezone:
    """Central European time, summer time from the end of March to the end of October."""
    summer = (3, 29) <= (day.month, day.day) <= (10, 25)
    return timezone(timedelta(hours=2 if summer else 1))


def generate(data: Path, years: int = 10, seed: int = 3, end: datetime | None = None) -> tuple[int, int]:
    """Write `years` of history below `data`; (sessions, files)."""
    from supple.core.model import Session
    from supple.store.sessions import HEADER, record_text

    rng = random.Random(seed)
    end = end or datetime.now().astimezone()
    day = (end - timedelta(days=round(365.25 * years))).replace(tzinfo=None, hour=0, minute=0,
                                                                second=0, microsecond=0)
    last = end.replace(tzinfo=None)
    months: dict[str, list[str]] = {}
    n = 0
    while day <= last:
        zone = _zone(day)
        if rng.random() < 0.05:
            per_day = 0  # a day off
        else:
            per_day = rng.choices([1, 2, 3, 4, 5], weights=[5, 20, 40, 25, 10])[0]
        hours = sorted(rng.sample([7, 9, 11, 13, 15, 17, 19, 21, 22], per_day))
        for hour in hours:
            started = day.replace(hour=hour, minute=rng.randrange(60), second=rng.randrange(60),
                                  tzinfo=zone)
            if started.replace(tzinfo=None) > last:
                continue
            rid, name, region, total, minutes = rng.choice(ROUTINES)
            completed = rng.random() > 0.1
            done = total if completed else rng.randrange(total)
            length = minutes * 60 if completed else rng.randrange(30, minutes * 60)
            extra: dict = {}
            if not completed:
                extra["stopped"] = rng.choice(["quit at stretch %d" % (done + 1), "phone call",
                                               "felt a twinge"])
            if rng.random() < 0.15:
                extra["pain_before"] = rng.randrange(0, 8)
                extra["pain_after"] = max(0, extra["pain_before"] - rng.randrange(0, 4))
            if rng.random() < 0.03:
                extra["note"] = rng.choice(["stiff after the flight", "left side tighter",
                                            "did it twice as slow", "neck better today"])
            s = Session(
                id=f"{rng.getrandbits(128):032x}", routine=rid, routine_name=name, region=region,
                started=started, ended=started + timedelta(seconds=length),
                active_seconds=round(length * 0.8, 1), completed=completed,
                stretches_done=done, stretches_total=total,
                source="manual" if rng.random() < 0.05 else "player", device=DEVICE, **extra,
            )
            months.setdefault(f"{started:%Y-%m}", []).append(record_text(s))
            n += 1
        day += timedelta(days=1)
    folder = data / "history" / DEVICE
    folder.mkdir(parents=True, exist_ok=True)
    for month, records in months.items():
        (folder / f"{month}.toml").write_text(HEADER + "".join("\n" + r for r in records), encoding="utf-8")
    return n, len(months)


# -- measuring --------------------------------------------------------------------------

def add_corrections(data: Path, n: int, seed: int = 16) -> tuple[int, int, int]:
    """Append `n` correction records to the month files of their `at`; (retracts, restores, unknown)."""
    import tomli_w

    from supple.store.sessions import HEADER

    rng = random.Random(seed)
    folder = data / "history" / DEVICE
    sessions = []
    for path in sorted(folder.glob("*.toml")):
        for rec in tomllib.loads(path.read_text("utf-8")).get("session", []):
            sessions.append((rec["id"], rec["started"]))
    # 280 sessions retracted once (20 of them ids no file holds), 80 retracted then restored,
    # 20 retracted, restored and retracted again: 280 + 160 + 60 = 500 records
    plan = [1] * 280 + [2] * 80 + [3] * 20
    assert sum(plan) == n, "the plan makes 500 records"
    picked = rng.sample(sessions, len(plan))
    per_month: dict[str, list[str]] = {}
    retracts = restores = unknown = 0
    for i, ((sid, started), steps) in enumerate(zip(picked, plan)):
        if steps == 1 and i % 14 == 0:  # a retraction naming no session held
            sid, unknown = f"{rng.getrandbits(128):032x}", unknown + 1
        at = started
        for step in range(steps):
            kind = "restore" if step % 2 else "retract"
            at = at + timedelta(hours=rng.randint(0, 72), minutes=rng.randrange(1, 60))
            rec = {"at": at.replace(microsecond=0)}
            if kind == "retract" and rng.random() < 0.6:
                rec["why"] = rng.choice(["logged twice", "my daughter played it", "test run", "wrong routine"])
            rec["session"] = sid  # the required text last: a torn record is always reported
            per_month.setdefault(f"{at:%Y-%m}", []).append(f"[[{kind}]]\n" + tomli_w.dumps(rec))
            retracts, restores = retracts + (kind == "retract"), restores + (kind == "restore")
    for month, records in per_month.items():
        path = folder / f"{month}.toml"
        text = path.read_text("utf-8") if path.exists() else HEADER
        path.write_text(text + "".join("\n" + r for r in records), "utf-8")
    return retracts, restores, unknown


def median(xs: list[float]) -> float:
    return statistics.median(xs)


class Case:
    """One data/config/cache triple, as `supple` sees it."""

    def __init__(self, root: Path, name: str) -> None:
        self.root = root / name
        self.data = self.root / "data"
        self.config = self.root / "config"
        self.cache = self.root / "cache"
        self.data.mkdir(parents=True, exist_ok=True)
        self.config.mkdir(parents=True, exist_ok=True)
        (self.config / "config.toml").write_text(f'device = "{DEVICE}"\n', encoding="utf-8")

    def history(self) -> float:
        """Wall seconds of one `supple history`."""
        args = [SUPPLE, "history", "--data-dir", str(self.data), "--config-dir", str(self.config),
                "--cache-dir", str(self.cache)]
        start = time.perf_counter()
        subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)  # the 20 unknown ids
        return time.perf_counter() - start

    def store(self):
        from supple.store.history import HistoryStore

        return HistoryStore(self.data, DEVICE, self.cache)


def a_session(now: datetime):
    from supple.core.model import Session
    from supple.store.history import new_session_id

    return Session(id=new_session_id(), routine="neck", routine_name="Neck release", region="neck",
                   started=now - timedelta(minutes=8), ended=now, active_seconds=412.0, completed=True,
                   stretches_done=6, stretches_total=6, device=DEVICE)


def count_parses():
    """A context that counts the history files parsed (in this process)."""
    import contextlib

    from supple.store import cache

    @contextlib.contextmanager
    def counting():
        seen: list[str] = []
        real = cache.parse_log

        def parse(path, raw, fmt, device_hint=""):
            seen.append(Path(path).name)
            return real(path, raw, fmt, device_hint)

        cache.parse_log = parse
        try:
            yield seen
        finally:
            cache.parse_log = real

    return counting()


def settle() -> None:
    """Wait until files written just now count as settled for the cache."""
    from supple.store import cache

    time.sleep(cache.SETTLE_NS / 1e9 + 0.2)


def edit(path: Path, n: int) -> None:
    """Change a month file as a person with an editor might: a comment at its end."""
    with open(path, "a", encoding="utf-8") as f:
        f.write(f"# edited by hand ({n})\n")


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=7, help="runs per case for (a) and (c), median (default 7)")
    ap.add_argument("--saves", type=int, default=40, help="saves per case for (b), median (default 40)")
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--keep", metavar="DIR", help="work in DIR and keep it (default: a temporary folder)")
    args = ap.parse_args()
    if SUPPLE is None:
        print("supple is not installed next to this Python or on PATH (pip install --no-deps .)", file=sys.stderr)
        return 2
    import supple

    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="supple-scale-"))
    root.mkdir(parents=True, exist_ok=True)
    try:
        empty, ten = Case(root, "none"), Case(root, "ten-years")
        sessions, files = generate(ten.data, years=args.years)
        size = sum(p.stat().st_size for p in ten.data.rglob("*.toml"))
        print(f"supple {supple.__version__} ({SUPPLE}; this process imports {Path(supple.__file__).parent})")
        print(f"{args.years} years: {sessions:,} sessions in {files} month files ({size / 1e6:.1f} MB) "
              f"in {root}")
        settle()  # as a person's old files are

        rows: list[tuple[str, str, str, str, str]] = []

        # (a) `supple history`: none vs ten years
        empty.history()  # warm the page cache and byte code alike
        cold = ten.history()  # no cache yet: reads every file, writes the cache
        a_none: list[float] = []
        a_ten: list[float] = []
        for i in range(args.runs):
            pair = [(empty, a_none), (ten, a_ten)]
            for case, out in (pair if i % 2 == 0 else pair[::-1]):  # alternate which goes first
                out.append(case.history())
        ratio_a = median(a_ten) / median(a_none)
        rows.append(("(a) supple history, no cache yet", "", f"{cold * 1000:.0f} ms",
                     f"{cold / median(a_none):.1f}x", "(reads every file, builds the cache)"))
        rows.append((f"(a) supple history, warm cache (median of {args.runs})", f"{median(a_none) * 1000:.1f} ms",
                     f"{median(a_ten) * 1000:.1f} ms", f"{ratio_a:.2f}x", f"<= 1.25x  {verdict(ratio_a <= 1.25)}"))

        # (a2) the same ten years with 500 corrections (retractions and restores) in their month files
        fixed = Case(root, "ten-years-500-corrections")
        shutil.copytree(ten.data, fixed.data, dirs_exist_ok=True)
        add_corrections(fixed.data, 500)
        settle()
        fixed.history()  # builds its cache
        a2_none: list[float] = []
        a2_fixed: list[float] = []
        for i in range(args.runs):
            pair = [(empty, a2_none), (fixed, a2_fixed)]
            for case, out in (pair if i % 2 == 0 else pair[::-1]):
                out.append(case.history())
        ratio_a2 = median(a2_fixed) / median(a2_none)
        rows.append((f"(a) ... ten years + 500 corrections, warm cache (median of {args.runs})",
                     f"{median(a2_none) * 1000:.1f} ms", f"{median(a2_fixed) * 1000:.1f} ms", f"{ratio_a2:.2f}x",
                     f"<= 1.25x  {verdict(ratio_a2 <= 1.25)}"))

        # (b) saving one session: none vs ten years, and ten years vs its last month alone
        month = Case(root, "month-alone")
        save_ten = Case(root, "save-ten-years")
        shutil.copytree(ten.data, save_ten.data, dirs_exist_ok=True)
        now = datetime.now().astimezone().replace(microsecond=0)
        this_month = save_ten.data / "history" / DEVICE / f"{now:%Y-%m}.toml"
        if this_month.exists():
            (month.data / "history" / DEVICE).mkdir(parents=True, exist_ok=True)
            shutil.copy2(this_month, month.data / "history" / DEVICE / this_month.name)
        stores = {"none": empty.store(), "ten": save_ten.store(), "month": month.store()}
        took: dict[str, list[float]] = {k: [] for k in stores}
        for i in range(args.saves):
            names = list(stores) if i % 2 == 0 else list(stores)[::-1]
            for name in names:
                s = a_session(datetime.now().astimezone().replace(microsecond=0))
                start = time.perf_counter()
                stores[name].save(s)
                took[name].append(time.perf_counter() - start)
        b_none, b_ten, b_month = (median(took[k]) for k in ("none", "ten", "month"))
        ratio_b = b_ten / b_none
        ratio_m = b_ten / b_month
        rows.append((f"(b) HistoryStore.save (median of {args.saves})", f"{b_none * 1000:.2f} ms",
                     f"{b_ten * 1000:.2f} ms", f"{ratio_b:.2f}x", f"~1x (<= 1.20x)  {verdict(ratio_b <= 1.2)}"))
        sessions_in_month = this_month.read_text(encoding="utf-8").count("[[session]]") if this_month.exists() else 0
        rows.append((f"    control: this month's file alone ({sessions_in_month} sessions) vs ten years",
                     f"{b_month * 1000:.2f} ms", f"{b_ten * 1000:.2f} ms", f"{ratio_m:.2f}x",
                     f"~1x (<= 1.20x)  {verdict(ratio_m <= 1.2)}"))

        # (c) a start after one month file changed
        store = ten.store()
        store.load()  # the cache as (a) left it
        path = sorted((ten.data / "history" / DEVICE).glob("*.toml"))[files // 2]
        c_ten: list[float] = []
        for i in range(args.runs):
            edit(path, i)  # changed by hand: the cache must parse it again
            c_ten.append(ten.history())
        settle()
        store.load()  # the file changed last is now settled: trusted from here on
        edit(path, args.runs)
        with count_parses() as first:
            start = time.perf_counter()
            store.load()
            in_process = time.perf_counter() - start
        with count_parses() as soon:
            store.load()  # it changed less than SETTLE_NS before it was read: read once more
        settle()
        with count_parses() as settled:
            store.load()  # ... found the same, and trusted from now on
        with count_parses() as after:
            store.load()
        rows.append((f"(c) supple history after editing one file (median of {args.runs})", "",
                     f"{median(c_ten) * 1000:.1f} ms", f"{median(c_ten) / median(a_none):.2f}x",
                     "(parses it again)"))
        rows.append(("    files parsed by that start (in-process load)", "", f"{len(first)} of {files}",
                     f"{in_process * 1000:.1f} ms", f"1 file  {verdict(first == [path.name])}"))
        rows.append(("    ... by the next starts (within 2 s; later; then)", "",
                     f"{len(soon)}; {len(settled)}; {len(after)}", "",
                     f"then 0  {verdict(not after and len(soon) <= 1 and len(settled) <= 1)}"))

        width = max(len(r[0]) for r in rows)
        print()
        print(f"{'':<{width}}  {'none':>9}  {'ten years':>12}  {'ratio':>8}  target")
        for label, a, b, r, t in rows:
            print(f"{label:<{width}}  {a:>9}  {b:>12}  {r:>8}  {t}")
        return 0
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
