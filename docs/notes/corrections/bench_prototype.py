"""Throwaway measurement for issue 16: what do 500 correction records cost ten years of history?

Builds ten years with bench/history_scale.py's `generate`, copies it, appends 500
`[[retract]]` / `[[restore]]` tables to the month files of their `at` (as a person
would make them over ten years), then measures:

  A. tomllib.loads of every file: without / with the corrections
  B. today's reader (logs.parse_log) of every file: the same; and what it makes of them
  C. a prototype validation of the 500 records (get_str / get_moment, as sessions.py does)
  C2. where the 500 records stand (for path:line:col): keypos.key_positions against a line scan
  D. the busiest month file parsed whole, without / with one more [[retract]]
  D2. HistoryStore.refresh() after a save to this month: without / with a [[retract]] in it
  E. `supple history`, no cache yet: without / with
  F. `supple history`, warm cache: none / ten years / ten years + 500 (alternating, median)
  G. prototype SQL on a copy of the warm cache: a `corrections` table of 500 rows, the
     unknown-id check, the retracted list, the `counts = 2` marking and a prefix lookup

    .venv/bin/python docs/notes/corrections/bench_prototype.py [--runs 9] [--keep DIR]

It runs the installed `supple` next to this Python (an editable install: today's code).
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import tomllib
from datetime import datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2] / "bench"))
import history_scale as hs

CORRECTIONS = 500


def timed(fn, runs: int = 5) -> float:
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return statistics.median(out)


def add_corrections(data: Path, n: int, seed: int = 16) -> tuple[int, int, int]:
    """Append `n` correction records to the month files of their `at`; (retracts, restores, unknown)."""
    import tomli_w

    from supple.store.sessions import HEADER

    rng = random.Random(seed)
    folder = data / "history" / hs.DEVICE
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


def all_files(data: Path) -> list[tuple[Path, bytes]]:
    return [(p, p.read_bytes()) for p in sorted((data / "history").rglob("*.toml"))]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=9)
    ap.add_argument("--keep", metavar="DIR")
    args = ap.parse_args()
    from supple.store import logs
    from supple.store.sessions import SESSIONS
    from supple.store.toml import Errors, get_moment, get_str

    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="supple-corrections-"))
    root.mkdir(parents=True, exist_ok=True)
    try:
        none, ten, more = hs.Case(root, "none"), hs.Case(root, "ten"), hs.Case(root, "ten-500")
        n_sessions, n_files = hs.generate(ten.data)
        shutil.copytree(ten.data, more.data, dirs_exist_ok=True)
        retracts, restores, unknown = add_corrections(more.data, CORRECTIONS)
        size_ten = sum(p.stat().st_size for p in ten.data.rglob("*.toml"))
        size_more = sum(p.stat().st_size for p in more.data.rglob("*.toml"))
        print(f"{n_sessions:,} sessions in {n_files} files ({size_ten / 1e6:.2f} MB); + {retracts} [[retract]] "
              f"and {restores} [[restore]] ({unknown} naming no session): {size_more / 1e6:.2f} MB")
        rows = []

        # A. tomllib alone
        base, extra = all_files(ten.data), all_files(more.data)
        def read(files):
            got, problems = 0, []
            for p, raw in files:
                recs, probs = logs.parse_log(p, raw, SESSIONS, hs.DEVICE)
                got += len(recs)
                problems += probs
            return got, problems

        t = {k: [] for k in ("a0", "a1", "b0", "b1")}
        for i in range(args.runs):  # alternating, as the timings of this machine wander
            order = [("a0", base), ("a1", extra)] if i % 2 == 0 else [("a1", extra), ("a0", base)]
            for key, files in order:
                start = time.perf_counter()
                [tomllib.loads(raw.decode()) for _, raw in files]
                t[key].append(time.perf_counter() - start)
            for key, files in order:
                key = "b" + key[1]
                start = time.perf_counter()
                read(files)
                t[key].append(time.perf_counter() - start)
        a0, a1, b0, b1 = (statistics.median(t[k]) for k in ("a0", "a1", "b0", "b1"))
        rows.append((f"A. tomllib.loads, every file (median of {args.runs})", a0, a1))
        rows.append(("B. logs.parse_log (today's reader), every file", b0, b1))
        got0, probs0 = read(base)
        got1, probs1 = read(extra)
        print(f"today's reader: {got0} sessions / {len(probs0)} problems without; {got1} sessions / "
              f"{len(probs1)} problems with the corrections (the [[retract]]/[[restore]] tables are ignored)")

        # C. validating the 500 records (what a Correction builder adds to B)
        docs = [tomllib.loads(raw.decode()) for _, raw in extra]
        tables = [(k, t) for d in docs for k in ("retract", "restore") for t in d.get(k, [])]

        def validate():
            out = []
            for kind, t in tables:
                errors = Errors()
                sid = get_str(errors, t, "session", (), nonempty=True)
                at = get_moment(errors, t, "at", ())
                why = get_str(errors, t, "why", ())
                if not errors and sid and at:
                    out.append((kind, sid, at, why))
            return out

        c1 = timed(validate)
        assert len(validate()) == CORRECTIONS
        rows.append((f"C. validating the {len(tables)} correction tables (prototype)", 0.0, c1))

        # C2. where each correction record stands (for a path:line:col problem): the full key
        # tokenizer (keypos.key_positions) against a scan for the header lines
        import re

        from supple.store.keypos import key_positions
        header = re.compile(r"^[ \t]*\[\[[ \t]*(retract|restore)[ \t]*\]\]", re.MULTILINE)
        with_corr = [(p, raw.decode()) for p, raw in extra if b"[[retract]]" in raw or b"[[restore]]" in raw]
        h0 = timed(lambda: [key_positions(text) for _, text in with_corr], 3)
        h1 = timed(lambda: [[text.count("\n", 0, m.start()) + 1 for m in header.finditer(text)]
                            for _, text in with_corr])
        rows.append((f"C2. positions in the {len(with_corr)} files with corrections: key_positions", 0.0, h0))
        rows.append(("C2. ... the same lines by a regex scan of header lines", 0.0, h1))

        # D. the busiest month file read whole again after one correction (the cache's
        # append-only shortcut, `_records_at`, gives up on a file with another table kind)
        path, raw = max(extra, key=lambda pr: len(pr[1]))
        one = raw + b'\n[[retract]]\nat = 2026-12-03 09:12:00+01:00\nsession = "3f9c0d7e2b8a4c51"\n'
        d0 = timed(lambda: logs.parse_log(path, raw[: raw.rfind(b"\n[[session]]")], SESSIONS), 11)
        d1 = timed(lambda: logs.parse_log(path, one, SESSIONS), 11)
        rows.append((f"D. busiest month parsed whole, w/o / with a retract ({raw.count(b'[[session]]')} sessions)", d0, d1))

        # D2. HistoryStore.refresh() after one more session is saved to this month's file: today's
        # cache parses only the appended record, unless the file holds a table of another kind
        from supple.store.history import HistoryStore

        def after_save(case: hs.Case, with_retract: bool) -> float:
            work = root / f"d2-{with_retract}"
            shutil.copytree(case.data, work / "data")
            store = HistoryStore(work / "data", hs.DEVICE, work / "cache")
            now = datetime.now().astimezone().replace(microsecond=0)
            month = store.device_dir / f"{now:%Y-%m}.toml"
            if with_retract:
                with open(month, "a", encoding="utf-8") as f:
                    f.write(f'\n[[retract]]\nat = {now.isoformat()}\nsession = "{"0" * 32}"\n')
            hs.settle()
            store.refresh()
            took = []
            for _ in range(args.runs):
                store.save(hs.a_session(now))
                start = time.perf_counter()
                store.refresh()
                took.append(time.perf_counter() - start)
            return statistics.median(took)

        d2a, d2b = after_save(ten, False), after_save(ten, True)
        rows.append(("D2. refresh() after a save: this month without / with a [[retract]]", d2a, d2b))

        # E/F. `supple history`
        hs.settle()
        none.history()
        e0, e1 = ten.history(), more.history()  # no cache yet: each builds its own
        rows.append(("E. supple history, no cache yet", e0, e1))
        f = {"none": [], "ten": [], "more": []}
        cases = [("none", none), ("ten", ten), ("more", more)]
        for i in range(args.runs):
            for name, case in (cases if i % 2 == 0 else cases[::-1]):
                f[name].append(case.history())
        fn, ft, fm = (statistics.median(f[k]) for k in ("none", "ten", "more"))
        print(f"F. supple history, warm cache (median of {args.runs}): none {fn * 1e3:.1f} ms, ten years "
              f"{ft * 1e3:.1f} ms ({ft / fn:.2f}x), ten years + {CORRECTIONS} corrections {fm * 1e3:.1f} ms "
              f"({fm / fn:.2f}x); target <= 1.25x")

        # G. the prototype SQL, on a copy of the warm cache of the ten-years case
        [db_file] = (ten.cache).glob("history-*.sqlite3")
        proto = root / "proto.sqlite3"
        src = sqlite3.connect(db_file)
        db = sqlite3.connect(proto, isolation_level=None)
        src.backup(db)
        src.close()
        db.executescript("""
            CREATE TABLE corrections (path TEXT NOT NULL, line INTEGER, col INTEGER, session TEXT NOT NULL,
                                      at_us INTEGER NOT NULL, restore INTEGER NOT NULL, at TEXT NOT NULL, why TEXT);
            CREATE INDEX corrections_by_file ON corrections (path);
            CREATE INDEX corrections_by_session ON corrections (session, at_us, restore);
            CREATE TABLE retracted (id TEXT PRIMARY KEY, at TEXT NOT NULL, why TEXT) WITHOUT ROWID;
        """)
        epoch = datetime(1970, 1, 1).astimezone()
        recs = validate()
        db.executemany("INSERT INTO corrections VALUES ('laptop/x.toml', 1, 1, ?, ?, ?, ?, ?)",
                       [(sid, (at - epoch) // timedelta(microseconds=1), kind == "restore", at.isoformat(), why)
                        for kind, sid, at, why in recs])

        def decide():  # the state of every id (what _count would do for the ids it touched)
            db.execute("BEGIN")
            db.execute("DELETE FROM retracted")
            db.execute("""INSERT OR IGNORE INTO retracted
                SELECT session, at, why FROM corrections c WHERE NOT restore AND NOT EXISTS (
                    SELECT 1 FROM corrections d WHERE d.session = c.session
                    AND (d.at_us > c.at_us OR (d.at_us = c.at_us AND d.restore)))""")
            db.execute("UPDATE sessions SET counts = 1 WHERE counts = 2")
            db.execute("UPDATE sessions SET counts = 2 WHERE counts = 1 AND id IN (SELECT id FROM retracted)")
            db.execute("COMMIT")

        now_us = (datetime.now().astimezone() - epoch) // timedelta(microseconds=1)

        def unknown_ids():  # every start: the problems that depend on today
            return db.execute("SELECT path, line, col, session FROM corrections c WHERE at_us < ? AND NOT EXISTS "
                              "(SELECT 1 FROM sessions s WHERE s.id = c.session)", (now_us - 86_400_000_000,)
                              ).fetchall()

        def retracted_list():  # only for --json
            return db.execute("SELECT r.id, r.at, r.why FROM sessions s JOIN retracted r ON r.id = s.id "
                              "WHERE s.counts = 2 ORDER BY r.at, r.id").fetchall()

        some = recs[3][1][:6]

        def prefix():  # supple forget ID: the ids that start with it (the sessions_by_id index)
            return db.execute("SELECT DISTINCT id FROM sessions WHERE id >= ? AND id < ? || char(1114111) "
                              "AND counts > 0", (some, some)).fetchall()

        g_decide = timed(decide)
        marked = db.execute("SELECT count(*) FROM sessions WHERE counts = 2").fetchone()[0]
        g_unknown, g_list, g_prefix = timed(unknown_ids, 11), timed(retracted_list, 11), timed(prefix, 11)
        n_old = len(unknown_ids())
        db.close()
        print(f"G. prototype SQL: {marked} sessions marked retracted; {n_old} correction records name no "
              f"session and are older than a day (problems)")
        rows += [("G. decide every id, mark counts = 2 (all 500 touched)", 0.0, g_decide),
                 ("G. unknown-id check (every start)", 0.0, g_unknown),
                 ("G. retracted list for --json", 0.0, g_list),
                 ("G. prefix lookup of 6 characters", 0.0, g_prefix)]

        print()
        width = max(len(r[0]) for r in rows)
        print(f"{'':<{width}}  {'10 years':>10}  {'+ 500':>10}  {'extra':>9}")
        for label, a, b in rows:
            first = f"{a * 1e3:.2f} ms" if a else ""
            print(f"{label:<{width}}  {first:>10}  {b * 1e3:>7.2f} ms  {(b - a) * 1e3:>+6.2f} ms")
        return 0
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
