"""supple's benchmarks, side by side with their references, in one table.

    python bench/run_all.py            # the full set (about 15 minutes)
    python bench/run_all.py --quick    # fewer and shorter runs (about 5 minutes)

Needs the installed supple (`pip install .`) and tmux; with valgrind it also
counts the instructions to the first frame. Every figure is a ratio
measured in one run, A and B alternating, the median of the runs, because
shared machines are noisy: the start-up rows, which take a second a run,
take 11 runs (5 quick), the rest 5 (3 quick).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import instructions  # noqa: E402
from term import PYTHON, Pane, cpu_seconds, median, peak_rss_mib, supple_command  # noqa: E402

from supple.core.moves import MOVE_SECONDS  # noqa: E402

HERE = Path(__file__).parent
MARKER = "Where do you feel it?"


@dataclass
class Row:
    what: str
    supple: str
    reference: str
    ratio: str
    target: str
    ok: bool | None  # None: a figure without a target


# -- the world supple starts in -----------------------------------------------

def make_world(root: Path, years: int = 10, routines: int = 30) -> dict[str, str]:
    """Ten years of history, 30 user routines, and the short routines the benchmarks play."""
    from history_scale import generate

    data, config, cache = root / "data", root / "config", root / "cache"
    if years:
        generate(data, years=years)
    data.mkdir(parents=True, exist_ok=True)
    (data / ".safety-shown").touch()
    user = config / "routines"
    user.mkdir(parents=True, exist_ok=True)
    builtin = sorted((HERE.parent / "routines").glob("*.toml"))
    for i in range(routines):
        src = builtin[i % len(builtin)]
        (user / f"mine-{i:02d}.toml").write_text(src.read_text().replace('name = "', f'name = "Mine {i:02d} ', 1))
    # a hold with its figure on screen, and a figure easing into the hold through a long "get ready"
    (user / "bench-hold.toml").write_text(
        'name = "Bench hold"\nregion = "neck"\nprepare = 2\n\n[[stretch]]\nname = "Long hold"\n'
        'how = "Hold still."\nhold = 40\nfigure = "side-bend"\n')
    (user / "bench-ease.toml").write_text(
        'name = "Bench ease"\nregion = "neck"\nprepare = 30\n\n[[stretch]]\nname = "Side bend"\n'
        'how = "Lean to the side."\nhold = 10\nfigure = "side-bend"\n')
    holds = (5, 8, 10, 12, 15, 18, 20, 22, 25, 30)
    body = 'name = "Bench timing"\nregion = "neck"\nprepare = 2\n'
    for i, h in enumerate(holds, 1):
        body += f'\n[[stretch]]\nname = "Hold {i}"\nhow = "Hold still for {h} seconds."\nhold = {h}\n'
    (user / "bench-timing.toml").write_text(body)
    env = {"SUPPLE_DATA_DIR": str(data), "SUPPLE_CONFIG_DIR": str(config), "SUPPLE_CACHE_DIR": str(cache)}
    # warm the history cache, as any earlier start would have; the cache does
    # not trust files changed in the last two seconds, so let the new ones age
    time.sleep(2.1)
    subprocess.run([supple_command(), "history"], env={**os.environ, **env}, capture_output=True, check=True)
    return env


# -- measurements ----------------------------------------------------------------

def first_frame(env: dict[str, str], runs: int) -> tuple[float, float]:
    """Seconds from launch to the picker on screen: supple, the bare app."""
    mine, ref = [], []
    for _ in range(runs):
        for argv, out in (([supple_command()], mine), ([PYTHON, str(HERE / "ref_bare.py")], ref)):
            with Pane(env) as pane:
                t0 = pane.start(*argv)
                out.append(pane.wait_for(MARKER, every=0.005) - t0)
    return median(mine), median(ref)


def first_frame_pair(env_a: dict[str, str], env_b: dict[str, str], runs: int) -> tuple[float, float]:
    """Seconds to the picker: supple in world A, supple in world B, alternating."""
    a, b = [], []
    for _ in range(runs):
        for env, out in ((env_a, a), (env_b, b)):
            with Pane(env) as pane:
                t0 = pane.start(supple_command())
                out.append(pane.wait_for(MARKER, every=0.005) - t0)
    return median(a), median(b)


def hold_cost(env: dict[str, str], runs: int, seconds: float) -> tuple[float, float]:
    """CPU-seconds per wall-second in the middle of a hold: supple, the 60 Hz stopwatch."""
    mine, ref = [], []
    for _ in range(runs):
        with Pane(env) as pane:
            pane.start(supple_command(), "play", "bench-hold")
            pane.wait_for("HOLD")
            mine.append(_cpu_over(pane.pid(), seconds))
        with Pane(env) as pane:
            pane.start(PYTHON, str(HERE / "ref_stopwatch.py"))
            pane.wait_for("━", timeout=20)
            ref.append(_cpu_over(pane.pid(), seconds))
    return median(mine), median(ref)


def ease_cost(env: dict[str, str], runs: int) -> tuple[float, float]:
    """CPU-seconds per wall-second while the figure eases into the hold, and in the still seconds after."""
    moving, still = [], []
    for _ in range(runs):
        with Pane(env) as pane:
            pane.start(supple_command(), "play", "bench-ease")
            pane.wait_for("GET READY")
            pid = pane.pid()
            moving.append(_cpu_over(pid, MOVE_SECONDS - 0.7, settle=0.5))
            time.sleep(1.0)
            still.append(_cpu_over(pid, 10.0, settle=0.0))
    return median(moving), median(still)


def _cpu_over(pid: int, seconds: float, settle: float = 1.0) -> float:
    time.sleep(settle)  # let the first frame's work settle
    c0, w0 = cpu_seconds(pid), time.monotonic()
    time.sleep(seconds)
    return (cpu_seconds(pid) - c0) / (time.monotonic() - w0)


def timing(env: dict[str, str]) -> list[tuple[int, float, float]]:
    """Ten holds of 5-30 s, every other one paused for 2 s: (set, unpaused wall time, pause)."""
    holds = (5, 8, 10, 12, 15, 18, 20, 22, 25, 30)
    results = []
    with Pane(env) as pane:
        pane.start(supple_command(), "play", "bench-timing")
        for i, hold in enumerate(holds, 1):
            title = f"Stretch {i} of 10"
            pane.wait_for(title, timeout=60)
            start = pane.wait_for("HOLD", timeout=10, every=0.005)
            paused = 0.0
            if i % 2 == 0:
                time.sleep(hold / 3)
                pane.keys("space")
                p0 = pane.wait_for("PAUSED", every=0.005)
                time.sleep(2)
                pane.keys("space")
                p1 = pane.wait_for("PAUSED", gone=True, every=0.005)
                paused = p1 - p0
            # over when HOLD leaves the screen: the next stretch comes in, or the player says DONE
            end = pane.wait_for("HOLD", timeout=60, gone=True, every=0.005)
            pane.wait_for(f"Stretch {i + 1} of 10" if i < 10 else "Well done", timeout=60)
            results.append((hold, end - start - paused, paused))
    return results


def memory(env: dict[str, str], runs: int) -> tuple[float, float]:
    """Peak RSS in MiB: supple five seconds into a hold, the bare app five seconds after start."""
    mine, ref = [], []
    for _ in range(runs):
        with Pane(env) as pane:
            pane.start(supple_command(), "play", "bench-hold")
            pane.wait_for("HOLD")
            time.sleep(5)
            mine.append(peak_rss_mib(pane.pid()))
        with Pane(env) as pane:
            pane.start(PYTHON, str(HERE / "ref_bare.py"))
            pane.wait_for(MARKER)
            time.sleep(5)
            ref.append(peak_rss_mib(pane.pid()))
    return median(mine), median(ref)


def commands(env: dict[str, str], runs: int) -> dict[str, float]:
    """Wall seconds of the commands without a UI, median of `runs`.

    Each `history` but the first comes right after the `log` before it, so
    it reads the session that one saved, as after a session in real use."""
    full = {**os.environ, **env}
    cases = {"history": ["history"], "routines": ["routines"], "log": ["log", "neck", "--minutes", "1"]}
    out: dict[str, list[float]] = {k: [] for k in cases}
    for _ in range(runs):
        for name, args in cases.items():
            t0 = time.monotonic()
            subprocess.run([supple_command(), *args], env=full, capture_output=True, check=True)
            out[name].append(time.monotonic() - t0)
    return {k: median(v) for k, v in out.items()}


def history_at_scale() -> str:
    """bench/history_scale.py's own table (ten years of history against none)."""
    out = subprocess.run([PYTHON, str(HERE / "history_scale.py")], capture_output=True, text=True)
    return out.stdout + out.stderr


# -- the table -------------------------------------------------------------------

def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer runs and 20 s holds instead of 40 s")
    ap.add_argument("--json", metavar="FILE", help="also write the rows as JSON")
    args = ap.parse_args()
    if shutil.which("tmux") is None:
        raise SystemExit("the benchmarks need tmux")
    runs, hold = (3, 20.0) if args.quick else (5, 40.0)
    starts = 5 if args.quick else 11
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        print("making ten years of history and 30 user routines…", file=sys.stderr)
        env = make_world(Path(tmp))

        print("first frame…", file=sys.stderr)
        a, b = first_frame(env, starts)
        rows.append(Row("first frame (s), 10 years + 30 routines", f"{a:.3f}", f"{b:.3f} bare app",
                        f"{a / b:.2f}×", "≤ 1.10×", a / b <= 1.10))
        frame = a
        if shutil.which("valgrind"):
            print("instructions to the first frame…", file=sys.stderr)
            a, b = instructions.measure(env)
            rows.append(Row("first frame, M instructions (valgrind)", f"{a / 1e6:.0f}", f"{b / 1e6:.0f} bare app",
                            f"{a / b:.3f}×", "(the same in every run)", None))

        print("first frame with ten years of history against none…", file=sys.stderr)
        empty = make_world(Path(tmp) / "empty", years=0)
        a, b = first_frame_pair(env, empty, starts)
        rows.append(Row("first frame (s), 10 years of history", f"{a:.3f}", f"{b:.3f} no history",
                        f"{a / b:.2f}×", "≤ 1.20×", a / b <= 1.20))

        print("a hold's cost…", file=sys.stderr)
        a, b = hold_cost(env, runs, hold - 8)
        rows.append(Row("hold: CPU s per wall s", f"{a:.4f}", f"{b:.4f} 60 Hz stopwatch",
                        f"1/{b / a:.0f}" if a else "1/∞", "≤ 0.01 and ≤ 1/20", a <= 0.01 and a <= b / 20))

        print("a figure easing into the hold…", file=sys.stderr)
        a, b = ease_cost(env, runs)
        rows.append(Row("figure easing into the hold: CPU s per wall s", f"{a:.4f}", f"{b:.4f} once still",
                        "", "≤ 0.05, then as a hold", a <= 0.05 and b <= 0.01))

        print("timing ten holds…", file=sys.stderr)
        worst = 0.0
        for hold_set, got, paused in timing(env):
            print(f"  hold {hold_set:>2} s: {got:.3f} s unpaused" + (f" (paused {paused:.3f} s)" if paused else ""),
                  file=sys.stderr)
            worst = max(worst, abs(got - hold_set))
        rows.append(Row("timing: worst miss (unpaused − set), 10 holds", f"{worst * 1000:.0f} ms",
                        "5–30 s, 5 paused", "", "≤ 50 ms", worst <= 0.050))

        print("memory…", file=sys.stderr)
        a, b = memory(env, runs)
        rows.append(Row("peak RSS (MiB) in a hold", f"{a:.1f}", f"{b:.1f} bare app", f"{a / b:.2f}×",
                        "≤ 1.30×", a / b <= 1.30))

        print("commands without a UI…", file=sys.stderr)
        for name, secs in commands(env, starts).items():
            what = f"`supple {name}` (s)" + (", right after a save" if name == "history" else "")
            rows.append(Row(what, f"{secs:.3f}", f"{frame:.3f} first frame",
                            f"{secs / frame:.2f}×", "≤ 0.30×", secs / frame <= 0.30))

    print("history at scale…", file=sys.stderr)
    scale = history_at_scale()

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    print(f"\nmachine: {cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{'quick' if args.quick else 'full'} run, median of {starts} (start-up rows) or {runs} (the rest)\n")
    head = ("measure", "supple", "reference", "ratio", "target", "")
    table = [head] + [(r.what, r.supple, r.reference, r.ratio, r.target, "" if r.ok is None else "ok" if r.ok else "MISSED")
                      for r in rows]
    widths = [max(len(row[i]) for row in table) for i in range(6)]
    for n, row in enumerate(table):
        print("| " + " | ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)) + " |")
        if n == 0:
            print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    print("\nHistory at scale (bench/history_scale.py):\n")
    print(scale)
    if args.json:
        Path(args.json).write_text(json.dumps([r.__dict__ for r in rows], indent=2))


if __name__ == "__main__":
    main()
