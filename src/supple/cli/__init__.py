"""The `supple` command: which command runs, with which folders."""

from __future__ import annotations

import gc
import importlib
import sys
from pathlib import Path
from types import SimpleNamespace

from supple.core.model import Problem
from supple.core.text import one_line
from supple.store.paths import resolve_dirs

# command -> its module in supple.cli, which runs it as cmd_<command>
COMMANDS = {"app": "app", "play": "app", "themes": "app", "serve": "app",
            "routines": "show", "history": "show", "log": "log", "check": "check", "remind": "remind",
            "figure": "figure", "forget": "correct", "restore": "correct"}

# plain `supple`: every option at its default
BARE = SimpleNamespace(command=None, theme=None, no_animation=False, data_dir=None, config_dir=None, cache_dir=None)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv:
        # plain `supple`'s first frame (≤ 1.10x a bare app) waits for no parser
        from supple.cli.parser import SUBCOMMANDS, build_parser

        # a first word that names a command cannot be an option's value
        args = build_parser(argv[0] if argv[0] in SUBCOMMANDS else None).parse_args(argv)
    else:
        args = BARE
    dirs = resolve_dirs(args.data_dir, args.config_dir, args.cache_dir)
    command = args.command or "app"
    # A start allocates many objects that all live on, and collecting while they are
    # made costs the first frame ~30 ms (target: within 1.10x of a bare Textual app).
    # The app collects again once its first frame is drawn; `remind` and `serve`,
    # which run on, as they start.
    collecting = gc.isenabled()
    gc.disable()
    try:
        # Each command loads only its own module: `routines`, `history` and `log`
        # never load Textual (design.md) and answer within 0.30x of a first frame.
        run = getattr(importlib.import_module(f"supple.cli.{COMMANDS[command]}"), f"cmd_{command}")
        return run(args, dirs)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    finally:
        if collecting:
            gc.enable()


def print_problems(problems: list[Problem], base: Path | None = None) -> None:
    for p in problems:
        err(p.format(base))


def err(text: str) -> None:
    print(one_line(text), file=sys.stderr)
