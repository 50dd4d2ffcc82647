"""The `supple` command. Textual is imported only by the commands that draw."""

from __future__ import annotations

import sys
from types import SimpleNamespace
from typing import TYPE_CHECKING
from datetime import datetime, timedelta
from pathlib import Path

from supple import __version__
from supple.paths import resolve_dirs

if TYPE_CHECKING:
    import argparse

DESCRIPTION = "A terminal coach for back and neck stretching."


def _common(parser: argparse.ArgumentParser, top: bool) -> None:
    import argparse

    # On subcommands the defaults are SUPPRESS so they never undo a flag
    # given before the subcommand name.
    default = None if top else argparse.SUPPRESS
    g = parser.add_argument_group("folders")
    g.add_argument("--data-dir", metavar="DIR", default=default,
                   help="where history is kept (env SUPPLE_DATA_DIR)")
    g.add_argument("--config-dir", metavar="DIR", default=default,
                   help="where config.toml, routines/ and themes/ live (env SUPPLE_CONFIG_DIR)")
    g.add_argument("--cache-dir", metavar="DIR", default=default,
                   help="where throw-away caches live (env SUPPLE_CACHE_DIR)")


class _Skipped:
    """Stands in for a subcommand's parser that this run does not need."""

    def add_argument(self, *args, **kwargs) -> None:
        pass

    def add_mutually_exclusive_group(self, *args, **kwargs) -> "_Skipped":
        return self


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole parser, or with `only` one subcommand: argparse takes ~0.5 ms a
    subcommand (gettext looks for translations each time), and `supple history`
    should not wait for eight parsers it will not use."""
    import argparse  # not for plain `supple`: its first frame does not wait for it

    p = argparse.ArgumentParser(prog="supple", description=DESCRIPTION, formatter_class=_help_formatter)
    p.add_argument("--version", action="version", version=f"supple {__version__}")
    p.add_argument("--theme", metavar="NAME", help="the theme for this run (`supple themes` lists them)")
    _common(p, top=True)
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    def add(name: str, help: str) -> argparse.ArgumentParser:
        if only is not None and name != only:
            return _Skipped()
        sp = sub.add_parser(name, help=help, description=help, formatter_class=_help_formatter)
        _common(sp, top=False)
        return sp

    sp = add("play", "start a routine straight away")
    sp.add_argument("name", metavar="NAME", help="a routine id, or a region (its first routine)")
    sp.add_argument("--theme", metavar="NAME", default=argparse.SUPPRESS, help="the theme for this run")
    sp = add("routines", "list the routines")
    sp.add_argument("--json", action="store_true", help="print JSON")
    sp = add("check", "validate routine, theme and config files")
    sp.add_argument("paths", nargs="*", metavar="PATH",
                    help="files or folders to check (default: every file supple would load)")
    sp = add("history", "today against the goal, streaks and sessions per day")
    fmt = sp.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="print every session and the figures as JSON")
    fmt.add_argument("--csv", action="store_true", help="print every session as CSV")
    sp.add_argument("--breaks", action="store_true",
                    help="with --csv: one row per stretch break (taken, snoozed or skipped) instead")
    sp.add_argument("--days", type=_positive_int, default=28, metavar="N",
                    help="how many days the calendar strip shows (default 28)")
    sp = add("log", "record a session done away from the keyboard")
    sp.add_argument("routine", metavar="ROUTINE", help="a routine id, or a region")
    sp.add_argument("--at", metavar="DATETIME",
                    help="when it started: 2026-11-20T07:30, '2026-11-20 07:30' or 07:30 (today)")
    sp.add_argument("--minutes", type=_positive_float, metavar="N",
                    help="how long it took (default: the routine's length)")
    add("themes", "list the themes")
    add("remind", "break nudges in this terminal, without the full-screen app (Ctrl-C stops)")
    sp = add("serve", "the same app in a web browser (needs the 'serve' extra: textual-serve)")
    sp.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    sp.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    return p


def _help_formatter(prog: str):
    """argparse's own formatter, told the width: finding it out itself imports
    shutil (and with it zlib, bz2 and lzma), which every command would wait for."""
    import argparse
    import os

    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 80
    return argparse.HelpFormatter(prog, width=max(columns, 22) - 2)


def _positive_int(text: str) -> int:
    import argparse

    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return n


def _positive_float(text: str) -> float:
    import argparse

    try:
        n = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 < n <= 24 * 60:
        raise argparse.ArgumentTypeError("must be more than 0 and at most 1440")
    return n


def main(argv: list[str] | None = None) -> int:
    if argv is None:
        argv = sys.argv[1:]
    # Plain `supple` is what people run most: it needs no parser, and every
    # millisecond before the first frame shows.
    if not argv:
        args = _BARE_ARGS
    else:
        # a first word that names a command cannot be an option's value
        only = argv[0] if argv[0] in COMMANDS and argv[0] != "app" else None
        args = build_parser(only).parse_args(argv)
    dirs = resolve_dirs(args.data_dir, args.config_dir, args.cache_dir)
    command = args.command or "app"
    try:
        return COMMANDS[command](args, dirs)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


_BARE_ARGS = SimpleNamespace(command=None, theme=None, data_dir=None, config_dir=None, cache_dir=None)


# -- commands -----------------------------------------------------------------

def cmd_app(args, dirs, play: str | None = None) -> int:
    import gc

    # Starting allocates a great many objects that all live on; collecting
    # while they are made only costs time. The app turns collection back on
    # (and freezes what start-up made) once the first frame is drawn.
    gc.disable()
    from supple.context import load_context

    ctx = load_context(dirs)
    routine = None
    if play is not None:
        routine = ctx.routines.find(play)
        if routine is None:
            _err(f"supple: no routine or region named '{play}'. Try: {', '.join(ctx.routines.routines)}")
            return 2
    from supple.app import make_app

    app = make_app(ctx, routine=routine, theme=getattr(args, "theme", None))
    app.run()
    return app.return_code or 0


def cmd_play(args, dirs) -> int:
    return cmd_app(args, dirs, play=args.name)


def cmd_routines(args, dirs) -> int:
    from supple.context import load_context

    ctx = load_context(dirs)
    _print_problems(ctx.problems)
    rows = [
        {"id": r.id, "name": r.name, "region": r.region, "stretches": len(r.stretches),
         "minutes": r.minutes, "path": str(r.path), "builtin": r.builtin, "summary": r.summary}
        for r in ctx.routines.routines.values()
    ]
    if args.json:
        import json

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
    from supple.checking import check_paths, default_paths

    paths = [Path(p) for p in args.paths] if args.paths else default_paths(dirs)
    problems, count = check_paths(paths)
    for p in problems:
        print(p.format())
    if problems:
        _err(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in {count} file{'s' if count != 1 else ''}")
        return 1
    _err(f"{count} file{'s' if count != 1 else ''} checked, no problems")
    return 0


def cmd_history(args, dirs) -> int:
    from supple.breaklog import BreakLog
    from supple.context import load_context
    from supple.history import HistoryStore
    from supple import stats

    if args.breaks and not args.csv:
        _err("supple history: --breaks goes with --csv (--json and the report show breaks anyway)")
        return 2
    ctx = load_context(dirs)  # the config, and the routines' regions (from the parse cache)
    config = ctx.config
    events, break_problems = BreakLog(dirs.data, config.device_name, dirs.cache).load()
    if args.breaks:
        for p in break_problems:
            _err(p.format(dirs.data))
        _write_breaks_csv(events)
        return 0
    store = HistoryStore(dirs.data, config.device_name, dirs.cache)
    history = store.load()
    today = datetime.now().astimezone().date()
    if args.json:
        import json

        out = stats.history_json(history, today, dirs.data, breaks=(events, break_problems))
        print(json.dumps(out, indent=2, ensure_ascii=False))
        return 0
    if args.csv:
        _write_csv(history.sessions)
        return 0
    for p in [*history.problems, *break_problems]:
        _err(p.format(dirs.data))
    from supple.report import history_text

    regions = ctx.routines.regions()
    print(history_text(history, today, config.daily_goal, args.days, regions, events))
    return 0


def _write_breaks_csv(events) -> None:
    import csv

    w = csv.DictWriter(sys.stdout, fieldnames=["id", "at", "action", "device"], lineterminator="\n")
    w.writeheader()
    for e in events:
        w.writerow(e.to_json())


def _write_csv(sessions) -> None:
    import csv

    fields = ["id", "routine", "routine_name", "region", "started", "ended", "active_seconds",
              "completed", "stretches_done", "stretches_total", "source", "device",
              "pain_before", "pain_after", "note", "stopped"]
    w = csv.DictWriter(sys.stdout, fieldnames=fields, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    for s in sessions:
        row = s.to_json()
        row["completed"] = "true" if s.completed else "false"
        w.writerow(row)


def cmd_log(args, dirs) -> int:
    from supple.context import load_context
    from supple.history import HistoryStore, SaveError, Session, new_session_id

    ctx = load_context(dirs)  # routines from the parse cache: no TOML is read when nothing changed
    routine = ctx.routines.find(args.routine)
    if routine is None:
        _err(f"supple log: no routine or region named '{args.routine}'. Try: {', '.join(ctx.routines.routines)}")
        return 2
    minutes = args.minutes if args.minutes is not None else routine.minutes
    now = datetime.now().astimezone().replace(microsecond=0)
    if args.at:
        try:
            started = parse_when(args.at, now)
        except ValueError as err:
            _err(f"supple log: --at: {err}")
            return 2
    else:
        started = now - timedelta(minutes=minutes)
    store = HistoryStore(dirs.data, ctx.config.device_name, dirs.cache)
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
    print(f"Logged {routine.name} ({_minutes(minutes)}) started {started:%Y-%m-%d %H:%M} -> {path}")
    return 0


def parse_when(text: str, now: datetime) -> datetime:
    """A start time: a full ISO date-time, or HH:MM meaning today."""
    text = text.strip()
    try:
        if len(text) <= 5 and ":" in text:
            t = datetime.strptime(text, "%H:%M").time()
            when = datetime.combine(now.date(), t)
        else:
            when = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"cannot read {text!r} as a date and time; try 2026-11-20T07:30 or 07:30") from None
    if when.tzinfo is None:
        when = when.astimezone()  # the local zone of that moment (daylight saving included)
    if when > now + timedelta(minutes=1):
        raise ValueError(f"{text} is in the future")
    return when.replace(microsecond=0)


def _minutes(m: float) -> str:
    return f"{m:g} min"


def cmd_themes(args, dirs) -> int:
    from supple.config import load_config
    from supple.paths import package_data
    from supple.themes import load_theme_files
    from textual.theme import BUILTIN_THEMES

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


def _print_problems(problems) -> None:
    for p in problems:
        _err(p.format())


def _err(text: str) -> None:
    print(text, file=sys.stderr)


def cmd_remind(args, dirs) -> int:
    import time as clock

    from supple.activity import desktop_notify, last_activity, neglected_region
    from supple.breaks import BreakPlanner
    from supple.context import load_context
    from supple.remind import describe_settings, remind_loop

    ctx = load_context(dirs)
    _print_problems(ctx.problems)
    settings = ctx.config.break_settings()
    now = lambda: datetime.now().astimezone()  # noqa: E731
    store = ctx.store()
    planner = BreakPlanner(settings, last_activity(store, ctx, now()) or now())
    print(f"supple remind: {describe_settings(planner, now())}. Ctrl-C stops.", flush=True)
    if not settings.on:
        return 0

    def offer() -> tuple[str, str, int]:
        wanted = settings.routine
        if wanted == "neglected":
            wanted = neglected_region(store, ctx, now()) or "desk-break"
        r = ctx.routines.find(wanted) or ctx.routines.find("desk-break") or next(iter(ctx.routines.routines.values()))
        return r.name, r.id, r.minutes

    try:
        remind_loop(planner, now, clock.sleep, lambda line: print(line, flush=True), desktop_notify,
                    lambda t: last_activity(store, ctx, t), offer)
    except KeyboardInterrupt:
        print("\nsupple remind: stopped.")
    return 0


def cmd_serve(args, dirs) -> int:
    import shlex

    try:
        from textual_serve.server import Server
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
