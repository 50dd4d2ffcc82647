"""Running a program in a real terminal (tmux) and watching it, for the benchmarks."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")
PYTHON = sys.executable


def supple_command() -> str:
    found = shutil.which("supple", path=str(Path(sys.executable).parent)) or shutil.which("supple")
    if found is None:
        raise SystemExit("the benchmarks need the installed supple (pip install .)")
    return found


class Pane:
    """One tmux session running one program (exec'd, so its pid is the pane's)."""

    count = 0

    def __init__(self, env: dict[str, str] | None = None, width: int = 80, height: int = 24) -> None:
        Pane.count += 1
        self.name = f"supple-bench-{os.getpid()}-{Pane.count}"
        self.env = {"TERM": "xterm-256color", "LANG": "C.UTF-8", **(env or {})}
        self.size = (width, height)

    def start(self, *argv: str) -> float:
        """Start the program; the monotonic time just before it was asked for."""
        env = [f"{k}={v}" for k, v in self.env.items()]
        cmd = ["tmux", "new-session", "-d", "-s", self.name, "-x", str(self.size[0]),
               "-y", str(self.size[1]), "env", *env, *argv]
        for attempt in range(3):
            t0 = time.monotonic()
            # the tmux server of the pane before may still be exiting ("server
            # exited unexpectedly"): then the new session is simply asked for again
            if subprocess.run(cmd, capture_output=True).returncode == 0:
                return t0
            time.sleep(0.1)
        subprocess.run(cmd, check=True)
        return t0

    def screen(self) -> str:
        return subprocess.run(["tmux", "capture-pane", "-p", "-t", self.name],
                              capture_output=True, text=True).stdout

    def wait_for(self, text: str, timeout: float = 30.0, gone: bool = False, every: float = 0.01) -> float:
        """The monotonic time the screen first showed `text` (or stopped showing it)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if (text in self.screen()) != gone:
                return time.monotonic()
            time.sleep(every)
        raise RuntimeError(f"{text!r} never {'went' if gone else 'showed'}; the screen:\n{self.screen()}")

    def keys(self, *keys: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.name, *keys], check=True)

    def pid(self) -> int:
        out = subprocess.run(["tmux", "list-panes", "-t", self.name, "-F", "#{pane_pid}"],
                             capture_output=True, text=True, check=True).stdout
        return int(out.split()[0])

    def kill(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)

    def __enter__(self) -> "Pane":
        return self

    def __exit__(self, *exc) -> None:
        self.kill()


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM")


def median(values: list[float]) -> float:
    s = sorted(values)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2
