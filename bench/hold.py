"""Time a real hold in a real terminal, and what it costs the CPU.

Runs the installed `supple` in tmux with a one-stretch routine (prepare 2 s,
hold N s), reads the screen every 20 ms, and reports:
  - the hold's wall time from "HOLD" showing to "HOLD" gone (the player
    says DONE at once; the summary follows a few frames later),
  - the same with a pause of P seconds in the middle (wall time - P),
  - CPU seconds per wall second of the supple process during the hold.

    python bench/hold.py [--hold 30] [--pause 5]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from term import Pane, cpu_seconds, supple_command  # noqa: E402

SUPPLE = supple_command()


def routine(hold: float) -> str:
    return f'''name = "Bench hold"
region = "neck"
prepare = 2

[[stretch]]
name = "Long hold"
how = "Hold still."
hold = {hold}
'''


def run(hold: float, pause: float) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "config" / "routines").mkdir(parents=True)
        (root / "config" / "routines" / "bench-hold.toml").write_text(routine(hold))
        (root / "data").mkdir()
        (root / "data" / ".safety-shown").touch()
        pane = Pane({"SUPPLE_DATA_DIR": str(root / "data"), "SUPPLE_CONFIG_DIR": str(root / "config"),
                     "SUPPLE_CACHE_DIR": str(root / "cache")})
        try:
            pane.start(SUPPLE, "play", "bench-hold")
            pane.wait_for("GET READY", 10)
            t0 = pane.wait_for("HOLD", 10, every=0.02)
            pid = pane.pid()
            result: dict = {}
            if pause:
                time.sleep(hold / 3)
                pane.keys("space")
                pane.wait_for("PAUSED", 5, every=0.02)
                time.sleep(pause)
                pane.keys("space")
            else:
                time.sleep(2)
                c0, w0 = cpu_seconds(pid), time.monotonic()
                time.sleep(hold - 4)
                c1, w1 = cpu_seconds(pid), time.monotonic()
                result["cpu_per_wall"] = (c1 - c0) / (w1 - w0)
            # the hold is over when HOLD leaves the screen (the player says DONE at once)
            t1 = pane.wait_for("HOLD", hold + pause + 10, gone=True, every=0.02)
            result["wall"] = t1 - t0
            result["hold"] = t1 - t0 - pause
            result["summary"] = pane.wait_for("Well done", 10, every=0.02) - t1
            pane.keys("q")
        finally:
            pane.kill()
        out = subprocess.run([SUPPLE, "history", "--json", "--data-dir", str(root / "data"),
                              "--config-dir", str(root / "config")], capture_output=True, text=True, check=True)
        [session] = json.loads(out.stdout)["sessions"]
        result["saved_active_seconds"] = session["active_seconds"]
        return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--hold", type=float, default=30)
    ap.add_argument("--pause", type=float, default=5)
    args = ap.parse_args()
    if shutil.which("tmux") is None:
        raise SystemExit("needs tmux")
    plain = run(args.hold, 0)
    paused = run(args.hold, args.pause)
    print(f"hold set to {args.hold:g} s, screen read every 20 ms")
    print(f"  straight through: HOLD showing {plain['hold']:.3f} s, the summary {plain['summary'] * 1000:.0f} ms "
          f"later, saved active {plain['saved_active_seconds']} s, CPU {plain['cpu_per_wall']:.4f} s per s")
    print(f"  paused {args.pause:g} s mid-hold: wall {paused['wall']:.3f} s, minus the pause {paused['hold']:.3f} s, "
          f"saved active {paused['saved_active_seconds']} s")


if __name__ == "__main__":
    main()
