"""The commands that draw: the app (`supple`, `supple play`), `themes` and `serve`."""

from __future__ import annotations

import gc
import shlex
import sys

from supple.cli import err, print_problems
from supple.context import load_context
from supple.core.text import one_line
from supple.store.config import load_config
from supple.store.paths import package_data
from supple.tui.app import make_app
from supple.tui.themes import builtin_themes, load_theme_files


def cmd_app(args, dirs) -> int:
    ctx = load_context(dirs)
    routine = None
    if args.command == "play":
        routine = ctx.routines.find(args.name)
        if routine is None:
            err(f"supple: no routine or region named '{args.name}'. Try: {', '.join(ctx.routines.routines)}")
            return 2
    still = args.no_animation or ctx.config.reduced_motion
    app = make_app(ctx, routine=routine, theme=args.theme, reduced_motion=still)
    app.run()
    return app.return_code or 0


cmd_play = cmd_app  # the app, opened on the routine named


def cmd_themes(args, dirs) -> int:
    config = load_config(dirs.config_file)
    files, problems = load_theme_files(package_data("themes"), dirs.user_themes)
    print_problems(problems + config.problems)
    rows = [(one_line(f.name), f.origin, "dark" if f.dark else "light", one_line(str(f.path))) for f in files]
    shipped = {f.name for f in files}
    rows += [(name, "built-in", "dark" if dark else "light", "(Textual)")
             for name, dark in sorted(builtin_themes().items()) if name not in shipped]
    width = max(len(r[0]) for r in rows)
    for name, origin, tone, where in rows:
        current = "*" if name == one_line(config.theme or "") else " "
        print(f"{current} {name.ljust(width)}  {origin:<8}  {tone:<5}  {where}")
    return 0


def serve_install_command() -> str:
    """The command that adds the 'serve' extra to supple as this one was installed: from a
    folder (editable or not) or from the package index, into this Python."""
    import json
    from importlib.metadata import PackageNotFoundError, distribution
    from urllib.parse import unquote, urlparse

    pip = f"{shlex.quote(sys.executable)} -m pip install"
    try:
        direct = json.loads(distribution("supple").read_text("direct_url.json") or "null")
    except (PackageNotFoundError, ValueError):
        direct = None
    url = urlparse(direct.get("url", "")) if isinstance(direct, dict) else None
    if url is not None and url.scheme == "file":
        editable = "-e " if direct.get("dir_info", {}).get("editable") else ""
        return f"{pip} {editable}{shlex.quote(unquote(url.path) + '[serve]')}"
    return f"{pip} 'supple[serve]'"


def cmd_serve(args, dirs) -> int:
    gc.enable()
    try:
        # the optional 'serve' extra: installed or not
        from supple.tui.serve import serve
    except ImportError:
        err(f"supple serve needs textual-serve; add it with: {serve_install_command()}")
        return 2
    command = [sys.executable, "-m", "supple", "--data-dir", str(dirs.data),
               "--config-dir", str(dirs.config), "--cache-dir", str(dirs.cache)]
    if args.theme:
        command += ["--theme", args.theme]
    print(f"supple is served at http://{args.host}:{args.port} (Ctrl-C to stop)", flush=True)
    serve(command, args.host, args.port)
    return 0
