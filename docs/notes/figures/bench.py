"""Microseconds per frame: lerp + forward kinematics + props + braille raster of a 15-segment figure, 24x12 cells."""
import sys, time, timeit
t0 = time.perf_counter(); import pose; t_imp = time.perf_counter() - t0
from pose import bounds, lerp, render, scene
from examples import POSES

for name, (s, h) in POSES.items():
    box = bounds([scene(s), scene(h)])
    n = 2000
    segs = len(scene(s)[0])
    full = min(timeit.repeat(lambda: render(scene(lerp(s, h, 0.37)), box), number=n, repeat=5)) / n * 1e6
    ras = scene(lerp(s, h, 0.37))
    only = min(timeit.repeat(lambda: render(ras, box), number=n, repeat=5)) / n * 1e6
    print(f"{name:40s} {segs:2d} segs+head  frame {full:6.1f} us  (raster alone {only:6.1f} us)")
print(f"import pose: {t_imp*1e3:.2f} ms (first import, incl. compile if no .pyc)")
