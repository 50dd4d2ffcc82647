"""The arguments of `supple` and its commands."""

from __future__ import annotations

import argparse

from supple import __version__

MAX_DAYS = 3660  # ten years


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser of `supple` and its commands; with `only` (a command's name), of that command alone:
    adding each costs a start ~0.3 ms, and `supple history` answers within 0.30x of a first frame."""
    p = argparse.ArgumentParser(prog="supple", description="A terminal coach for back and neck stretching.")
    p.add_argument("--version", action="version", version=f"supple {__version__}")
    p.add_argument("--theme", metavar="NAME", help="the theme for this run (`supple themes` lists them)")
    p.add_argument("--no-animation", action="store_true",
                   help="reduced motion: nothing moves but the countdown (config: reduced_motion = true)")
    _folders(p, top=True)
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    for name, (what, arguments) in SUBCOMMANDS.items():
        if only in (None, name):
            sp = sub.add_parser(name, help=what, description=what)
            _folders(sp, top=False)
            if arguments:
                arguments(sp)
    return p


def _play(sp: argparse.ArgumentParser) -> None:
    sp.add_argument("name", metavar="NAME", help="a routine id, or a region (its first routine)")
    sp.add_argument("--theme", metavar="NAME", default=argparse.SUPPRESS, help="the theme for this run")
    sp.add_argument("--no-animation", action="store_true", default=argparse.SUPPRESS,
                    help="reduced motion: nothing moves but the countdown")


def _routines(sp: argparse.ArgumentParser) -> None:
    sp.add_argument("--json", action="store_true", help="print JSON")


def _figure(sp: argparse.ArgumentParser) -> None:
    sp.add_argument("routine", nargs="?", metavar="ROUTINE", help="a routine id, or a region (its first routine)")
    sp.add_argument("stretch", nargs="?", metavar="STRETCH",
                    help="one stretch: its number from 1, or its name or the start of it (default: every stretch)")
    sp.add_argument("--list", action="store_true", help="list the built-in figures a routine file can name")


def _check(sp: argparse.ArgumentParser) -> None:
    sp.add_argument("paths", nargs="*", metavar="PATH",
                    help="files or folders to check (default: every file supple would load)")


def _history(sp: argparse.ArgumentParser) -> None:
    fmt = sp.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="print every session and the figures as JSON")
    fmt.add_argument("--csv", action="store_true", help="print every session as CSV")
    sp.add_argument("--breaks", action="store_true",
                    help="with --csv: one row per stretch break (taken, snoozed or skipped) instead")
    sp.add_argument("--days", type=whole(1, MAX_DAYS), default=28, metavar="N",
                    help=f"how many days the calendar strip shows: 1 to {MAX_DAYS} (default 28)")


def _log(sp: argparse.ArgumentParser) -> None:
    sp.add_argument("routine", metavar="ROUTINE", help="a routine id, or a region")
    sp.add_argument("--at", metavar="DATETIME",
                    help="when it started: 2026-11-20T07:30, '2026-11-20 07:30' or 07:30 (today)")
    sp.add_argument("--minutes", type=minutes, metavar="N",
                    help="how long it took: more than 0, at most 1440 (default: the routine's length)")


def _forget(sp: argparse.ArgumentParser) -> None:
    sp.add_argument("id", metavar="ID", help="the session's id, or its first 6 characters or more (`supple history`)")
    sp.add_argument("--why", metavar="TEXT", help="a note kept with the correction, like 'logged twice'")


def _restore(sp: argparse.ArgumentParser) -> None:
    sp.add_argument("id", metavar="ID", help="the session's id, or its first 6 characters or more")


def _serve(sp: argparse.ArgumentParser) -> None:
    sp.add_argument("--port", type=whole(1, 65535), default=8000, help="port to listen on: 1 to 65535 (default 8000)")
    sp.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")


# each command: what it does, and what adds its own arguments (None: the folders alone)
SUBCOMMANDS = {
    "play": ("start a routine straight away", _play),
    "routines": ("list the routines", _routines),
    "figure": ("print a routine's stretch figures as plain text", _figure),
    "check": ("validate routine, theme and config files", _check),
    "history": ("today against the goal, streaks and sessions per day", _history),
    "log": ("record a session done away from the keyboard", _log),
    "forget": ("take a wrongly logged session out of every count (it stays in its file)", _forget),
    "restore": ("count a forgotten session again", _restore),
    "themes": ("list the themes", None),
    "remind": ("break nudges in this terminal, without the full-screen app (Ctrl-C stops)", None),
    "serve": ("the same app in a web browser (needs the 'serve' extra: textual-serve)", _serve),
}


def _folders(parser: argparse.ArgumentParser, top: bool) -> None:
    # on a subcommand the defaults are SUPPRESS, so they never undo a flag given before its name
    default = None if top else argparse.SUPPRESS
    g = parser.add_argument_group("folders")
    g.add_argument("--data-dir", metavar="DIR", default=default, help="where history is kept (env SUPPLE_DATA_DIR)")
    g.add_argument("--config-dir", metavar="DIR", default=default,
                   help="where config.toml, routines/ and themes/ live (env SUPPLE_CONFIG_DIR)")
    g.add_argument("--cache-dir", metavar="DIR", default=default,
                   help="where throw-away caches live (env SUPPLE_CACHE_DIR)")


def whole(lo: int, hi: int):
    """An argument type: a whole number from `lo` to `hi`; argparse names the argument in its error."""

    def parse(text: str) -> int:
        try:
            n = int(text.strip())
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be a whole number from {lo} to {hi}, got {text!r}") from None
        if not lo <= n <= hi:
            raise argparse.ArgumentTypeError(f"must be from {lo} to {hi}, got {_short(text)}")
        return n

    return parse


def minutes(text: str) -> float:
    try:
        n = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number of minutes, got {text!r}") from None
    if not 0 < n <= 24 * 60:  # also refuses nan and inf
        raise argparse.ArgumentTypeError(f"must be more than 0 and at most 1440 (a day), got {_short(text)}")
    return n


def _short(text: str) -> str:
    text = text.strip()
    return text if len(text) <= 24 else f"{text[:10]}…{text[-10:]} ({len(text)} characters)"
