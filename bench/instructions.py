"""Instructions to the first frame, counted by valgrind: supple against the bare app.

Wall and CPU times on a shared machine wander by ±10 % from one run to the
next; an instruction count is the same in every run (to a millionth), so it
tells whether a change made the start cheaper even when the timings cannot.
Each app runs headless at 80x24 and exits the moment its first frame is
drawn; supple starts in the world given by the SUPPLE_*_DIR variables.

    python bench/instructions.py            # needs valgrind (Debian: valgrind)

It is not a target of its own: the first-frame row in run_all.py is.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent

SUPPLE = """
import gc, sys
gc.disable()  # as `supple` does while it starts
from supple.tui.app import SuppleApp, make_app
from supple.context import load_context
from supple.store.paths import resolve_dirs
SuppleApp._after_first_frame = lambda self: self.exit()
make_app(load_context(resolve_dirs())).run(headless=True, size=(80, 24))
"""

BARE = f"""
import sys
sys.path.insert(0, {str(HERE)!r})
from ref_bare import Bare
class First(Bare):
    def on_mount(self):
        self.call_after_refresh(self.exit)
First().run(headless=True, size=(80, 24))
"""


def count(code: str, env: dict[str, str]) -> int:
    out = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
                          sys.executable, "-c", code], env={**os.environ, "PYTHONHASHSEED": "0", **env},
                         capture_output=True, text=True)
    found = re.search(r"Collected : (\d+)", out.stderr)
    if found is None:
        raise RuntimeError(f"valgrind said:\n{out.stderr[-2000:]}")
    return int(found.group(1))


def measure(env: dict[str, str]) -> tuple[int, int]:
    """(supple, bare) instructions to the first frame, after a start that fills supple's caches."""
    subprocess.run([sys.executable, "-c", SUPPLE], env={**os.environ, **env}, capture_output=True, check=True)
    return count(SUPPLE, env), count(BARE, env)


def main() -> None:
    if shutil.which("valgrind") is None:
        raise SystemExit("bench/instructions.py needs valgrind")
    env = {k: v for k, v in os.environ.items() if k.startswith("SUPPLE_")}
    t0 = time.monotonic()
    mine, ref = measure(env)
    print(f"first frame: supple {mine / 1e6:.1f} M instructions, bare app {ref / 1e6:.1f} M, "
          f"{mine / ref:.3f}x ({time.monotonic() - t0:.0f} s)")


if __name__ == "__main__":
    main()
