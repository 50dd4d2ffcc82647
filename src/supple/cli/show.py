"""`supple routines` and `supple history`: answers without the full-screen app."""

from __future__ import annotations

from datetime import datetime

from supple.cli import err, print_problems
from supple.cli.report import history_json, history_text, write_csv
from supple.context import load_context
from supple.core import plan
from supple.core.model import SESSION_KEYS, SESSION_OPTIONAL
from supple.core.stats import Tally
from supple.core.text import one_line

RECENT = 8  # sessions `supple history` lists, with their ids


def cmd_routines(args, dirs) -> int:
    ctx = load_context(dirs)
    print_problems(ctx.problems)
    rows = [{"id": r.id, "name": r.name, "region": r.region, "stretches": len(r.stretches),
             "minutes": plan.minutes(r), "path": str(r.path), "builtin": r.builtin, "summary": r.summary}
            for r in ctx.routines.routines.values()]
    if args.json:
        for row, r in zip(rows, ctx.routines.routines.values()):
            row["details"] = [{"name": s.name, "hold": s.hold, "reps": s.reps, "sides": s.sides,
                               "figure": s.figure is not None} for s in r.stretches]
        import json  # only for --json: `supple routines` answers within 0.30x of a first frame

        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    table = [("ID", "NAME", "REGION", "STRETCHES", "MIN", "FILE")]
    table += [(one_line(r["id"]), one_line(r["name"]), one_line(r["region"]), str(r["stretches"]), str(r["minutes"]),
               one_line(r["path"])) for r in rows]
    widths = [max(len(row[i]) for row in table) for i in range(5)]
    for row in table:
        cells = [row[i].ljust(widths[i]) if i not in (3, 4) else row[i].rjust(widths[i]) for i in range(5)]
        print("  ".join(cells) + "  " + row[5])
    return 0


def cmd_history(args, dirs) -> int:
    if args.breaks and not args.csv:
        err("supple history: --breaks goes with --csv (--json and the report show breaks anyway)")
        return 2
    ctx = load_context(dirs)  # the config, and the routines' regions
    events, break_problems = ctx.break_log().load()
    if args.breaks:
        print_problems(break_problems, dirs.data)
        write_csv(["id", "at", "action", "device"], (e.to_json() for e in events))
        return 0
    store = ctx.store()
    today = datetime.now().astimezone().date()
    if args.json:
        import json  # as for `routines`

        history = store.load()
        print(json.dumps(history_json(history, today, dirs.data, events, break_problems), indent=2,
                         ensure_ascii=False))
        return 0
    if args.csv:
        rows = ({**s.to_json(), "completed": "true" if s.completed else "false"} for s in store.load().sessions)
        write_csv([*SESSION_KEYS, *SESSION_OPTIONAL], rows)
        return 0
    counts = store.counts(recent=RECENT)  # the figures, and the few sessions shown
    print_problems(counts.problems + break_problems, dirs.data)
    tally = Tally.from_counts(counts)
    print(history_text(tally, today, ctx.config.daily_goal, args.days, ctx.routines.regions(), events,
                       counts.recent))
    return 0
