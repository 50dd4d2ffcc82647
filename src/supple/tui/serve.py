"""`supple serve`: the app in a web browser, through textual-serve (the 'serve' extra)."""

from __future__ import annotations

import shlex

from textual_serve.server import Server


def serve(command: list[str], host: str, port: int) -> None:
    """Serve `command` (a `supple` that draws) at http://host:port until interrupted."""
    Server(shlex.join(command), host=host, port=port, title="supple").serve()
