"""What each `supple` command does. The commands that draw import Textual when they
run: `routines`, `history` and `log` must never load it (design.md)."""

from __future__ import annotations

import gc
import json
import shlex
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

from supple.cli.check import check_paths, default_paths
from supple.cli.remind import describe_settings, remind_loop
from supple.cli.report import history_json, history_text, write_breaks_csv, write_sessions_csv
from supple.context import load_context
from supple.core import plan
from supple.core.breaks import BreakPlanner
from supple.core.model import Session
from supple.core.stats import Tally, neglected_region
from supple.notify import desktop_notify
from supple.store.activity import last_activity
from supple.store.append import SaveError
from supple.store.history import new_session_id


def cmd_app(args, dirs, play: str | None = None) -> int:
    # First frame (≤ 1.10x a bare Textual app): starting allocates a great many
    # objects that all live on, and collecting while they are made only costs
    # time. The app turns collection back on once the first frame is drawn.
    gc.disable()
    ctx = load_context(dirs)
    routine = None
    if play is not None:
        routine = ctx.routines.find(play)
        if routine is None:
            _err(f"supple: no routine or region named '{play}'. Try: {', '.join(ctx.routines.routines)}")
            return 2
    from supple.tui.app import make_app  # Textual: only for the commands that draw

    app = make_app(ctx, routine=routine, theme=getattr(args, "theme", None))
    app.run()
    return app.return_code or 0


def cmd_play(args, dirs) -> int:
    return cmd_app(args, dirs, play=args.name)


def cmd_routines(args, dirs) -> int:
    ctx = load_context(dirs)
    _print_problems(ctx.problems)
    rows = [{"id": r.id, "name": r.name, "region": r.region, "stretches": len(r.stretches),
             "minutes": plan.minutes(r), "path": str(r.path), "builtin": r.builtin, "summary": r.summary}
            for r in ctx.routines.routines.values()]
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    table = [("ID", "NAME", "REGION", "STRETCHES", "MIN", "FILE")]
    table += [(r["id"], r["name"], r["region"], str(r["stretches"]), str(r["minutes"]), r["path"]) for r in rows]
    widths = [max(len(row[i]) for row in table) for i in range(5)]
    for row in table:
        cells = [row[i].ljust(widths[i]) if i not in (3, 4) else row[i].rjust(widths[i]) for i in range(5)]
        print("  ".join(cells) + "  " + row[5])
    return 0


def cmd_check(args, dirs) -> int:
    paths = [Path(p) for p in args.paths] if args.paths else default_paths(dirs)
    problems, count = check_paths(paths)
    for p in problems:
        print(p.format())
    files = f"{count} file{'s' if count != 1 else ''}"
    if problems:
        _err(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in {files}")
        return 1
    _err(f"{files} checked, no problems")
    return 0


def cmd_history(args, dirs) -> int:
    if args.breaks and not args.csv:
        _err("supple history: --breaks goes with --csv (--json and the report show breaks anyway)")
        return 2
    ctx = load_context(dirs)  # the config, and the routines' regions
    events, break_problems = ctx.break_log().load()
    if args.breaks:
        _print_problems(break_problems, dirs.data)
        write_breaks_csv(events)
        return 0
    store = ctx.store()
    today = datetime.now().astimezone().date()
    if args.json:
        history = store.load()
        print(json.dumps(history_json(history, today, dirs.data, events, break_problems), indent=2,
                         ensure_ascii=False))
        return 0
    if args.csv:
        write_sessions_csv(store.load().sessions)
        return 0
    marks, problems = store.marks()  # the figures alone: no session is built
    _print_problems(problems + break_problems, dirs.data)
    print(history_text(Tally(marks), today, ctx.config.daily_goal, args.days, ctx.routines.regions(), events))
    return 0


def cmd_log(args, dirs) -> int:
    ctx = load_context(dirs)
    routine = ctx.routines.find(args.routine)
    if routine is None:
        _err(f"supple log: no routine or region named '{args.routine}'. Try: {', '.join(ctx.routines.routines)}")
        return 2
    minutes = args.minutes if args.minutes is not None else plan.minutes(routine)
    now = datetime.now().astimezone().replace(microsecond=0)
    if args.at:
        try:
            started = parse_when(args.at, now)
        except ValueError as err:
            _err(f"supple log: --at: {err}")
            return 2
    else:
        started = now - timedelta(minutes=minutes)
    store = ctx.store()
    session = Session(
        id=new_session_id(), routine=routine.id, routine_name=routine.name, region=routine.region,
        started=started, ended=started + timedelta(minutes=minutes), active_seconds=round(minutes * 60, 1),
        completed=True, stretches_done=len(routine.stretches), stretches_total=len(routine.stretches),
        source="manual", device=store.device,
    )
    try:
        path = store.save(session)
    except SaveError as err:
        _err(f"supple log: {err}")
        return 1
    print(f"Logged {routine.name} ({minutes:g} min) started {started:%Y-%m-%d %H:%M} -> {path}")
    return 0


def parse_when(text: str, now: datetime) -> datetime:
    """A start time: a full ISO date-time, or HH:MM meaning today."""
    text = text.strip()
    try:
        if len(text) <= 5 and ":" in text:
            when = datetime.combine(now.date(), datetime.strptime(text, "%H:%M").time())
        else:
            when = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"cannot read {text!r} as a date and time; try 2026-11-20T07:30 or 07:30") from None
    if when.tzinfo is None:
        when = when.astimezone()  # the local zone of that moment (daylight saving included)
    if when > now + timedelta(minutes=1):
        raise ValueError(f"{text} is in the future")
    return when.replace(microsecond=0)


def cmd_themes(args, dirs) -> int:
    from textual.theme import BUILTIN_THEMES  # Textual's theme code: `themes` may load it

    from supple.store.config import load_config
    from supple.store.paths import package_data
    from supple.tui.themes import load_theme_files

    config = load_config(dirs.config_file)
    files, problems = load_theme_files(package_data("themes"), dirs.user_themes)
    _print_problems(problems + config.problems)
    rows = [(f.name, f.origin, "dark" if f.dark else "light", str(f.path)) for f in files]
    shipped = {f.name for f in files}
    rows += [(name, "built-in", "dark" if t.dark else "light", "(Textual)")
             for name, t in sorted(BUILTIN_THEMES.items()) if name not in shipped]
    width = max(len(r[0]) for r in rows)
    for name, origin, tone, where in rows:
        current = "*" if name == config.theme else " "
        print(f"{current} {name.ljust(width)}  {origin:<8}  {tone:<5}  {where}")
    return 0


def cmd_remind(args, dirs) -> int:
    ctx = load_context(dirs)
    _print_problems(ctx.problems)
    settings = ctx.break_settings()
    now = lambda: datetime.now().astimezone()  # noqa: E731
    store = ctx.store()
    planner = BreakPlanner(settings, last_activity(dirs.data, now()) or now())
    print(f"supple remind: {describe_settings(planner, now())}. Ctrl-C stops.", flush=True)
    if not settings.on:
        return 0

    def offer() -> tuple[str, str, int]:
        wanted = settings.routine
        if wanted == "neglected":
            marks, _ = store.marks()
            today = now().date()
            wanted = neglected_region(Tally(marks).region_stats(today, ctx.routines.regions()), today) or "desk-break"
        r = ctx.routines.find(wanted) or ctx.routines.find("desk-break") or next(iter(ctx.routines.routines.values()))
        return r.name, r.id, plan.minutes(r)

    try:
        remind_loop(planner, now, time.sleep, lambda line: print(line, flush=True), desktop_notify,
                    lambda t: last_activity(dirs.data, t), offer)
    except KeyboardInterrupt:
        print("\nsupple remind: stopped.")
    return 0


def cmd_serve(args, dirs) -> int:
    try:
        from textual_serve.server import Server  # the optional 'serve' extra
    except ImportError:
        _err("supple serve needs textual-serve: pip install 'supple[serve]'")
        return 2
    command = [sys.executable, "-m", "supple", "--data-dir", str(dirs.data),
               "--config-dir", str(dirs.config), "--cache-dir", str(dirs.cache)]
    if getattr(args, "theme", None):
        command += ["--theme", args.theme]
    server = Server(shlex.join(command), host=args.host, port=args.port, title="supple")
    print(f"supple is served at http://{args.host}:{args.port} (Ctrl-C to stop)", flush=True)
    server.serve()
    return 0


def _print_problems(problems, base: Path | None = None) -> None:
    for p in problems:
        _err(p.format(base))


def _err(text: str) -> None:
    print(text, file=sys.stderr)


COMMANDS = {
    "app": cmd_app,
    "play": cmd_play,
    "routines": cmd_routines,
    "check": cmd_check,
    "history": cmd_history,
    "log": cmd_log,
    "themes": cmd_themes,
    "serve": cmd_serve,
    "remind": cmd_remind,
}
