"""What one frame of a stretch figure costs: every built-in figure half-way into its hold, drawn at the
player's usual size (24 x 12 characters, 32 x 8 for a wide one), the best of five runs.

    python bench/figure_frame.py
"""

from __future__ import annotations

import timeit

from supple.core.drawing import Sketch
from supple.core.poses import FIGURES


def main() -> None:
    worst = 0.0
    for name, figure in FIGURES.items():
        sketch = Sketch(figure)
        cols, rows = (32, 8) if sketch.shape() > 1.5 else (24, 12)
        n = 500
        seconds = min(timeit.repeat(lambda: sketch.draw(cols, rows, moved=0.5), number=n, repeat=5)) / n
        worst = max(worst, seconds)
        print(f"  {name:28s} {cols}x{rows}  {seconds * 1e6:6.1f} µs a frame")
    made = min(timeit.repeat(lambda: [Sketch(f) for f in FIGURES.values()], number=20, repeat=5)) / 20
    print(f"worst frame {worst * 1e6:.1f} µs; making all {len(FIGURES)} sketches (their boxes) {made * 1e3:.2f} ms")


if __name__ == "__main__":
    main()
