"""Three example stretches, start and hold, printed side by side; `--ansi` colours the layers."""
import sys

from pose import bounds, lerp, render, scene

POSES = {
    "chin-tuck (seated, side)": (
        dict(view="side", props=["floor", "chair"], trunk=0, neck=30, head=-30,
             shoulder=15, elbow=75, hip=90, knee=[90, 95], ankle=0),
        dict(view="side", props=["floor", "chair"], trunk=0, neck=-8, head=8,
             shoulder=15, elbow=75, hip=90, knee=[90, 95], ankle=0)),
    "chin-tuck (seated, side, bust frame)": (
        dict(view="side", frame="bust", trunk=0, neck=30, head=-30,
             shoulder=15, elbow=75, hip=90, knee=[90, 95], ankle=0),
        dict(view="side", frame="bust", trunk=0, neck=-8, head=8,
             shoulder=15, elbow=75, hip=90, knee=[90, 95], ankle=0)),
    "single knee to chest (lying, side)": (
        dict(view="side", props=["floor"], trunk=-90, neck=0, head=0, shoulder=[8, 8], elbow=0,
             hip=[50, 50], knee=[105, 105], ankle=0),
        dict(view="side", props=["floor"], trunk=-90, neck=10, head=0, shoulder=77, elbow=-74,
             hip=[125, 50], knee=[110, 105], ankle=[10, 0])),
    "doorway chest stretch (side)": (
        dict(view="side", props=["floor", "doorway"], trunk=0, shoulder=[-80, -80], elbow=[-95, -95],
             hip=[0, 0], knee=0, ankle=0),
        dict(view="side", props=["floor", "doorway"], trunk=12, shoulder=[-105, -105], elbow=[-63, -63],
             hip=[30, -8], knee=[25, 0], ankle=[5, -10])),
    "side bend (front view)": (
        dict(view="front", props=["floor"], shoulder=[10, 10], trunk=0, spine=0, neck=0),
        dict(view="front", props=["floor"], shoulder=[15, 165], elbow=[0, 10], trunk=6, spine=14, neck=8)),
}

ANSI = {0: "", 1: "\033[2;37m", 2: "\033[36m", 3: "\033[1;96m"}


def show(name, start, hold, mirror=False, cols=24, rows=12, ansi=False):
    a, b = scene(start, mirror), scene(hold, mirror)
    box = bounds([a, b], bust=start.get("frame") == "bust")
    (ta, la), (tb, lb) = render(a, box, cols, rows), render(b, box, cols, rows)
    print(f"{name}{' (mirrored: right side)' if mirror else ''}\n{'start':<{cols}}  | hold")
    for r in range(rows):
        if ansi:
            row = lambda t, lay: "".join(ANSI[lay[r * cols + c]] + t[r][c] + "\033[0m" for c in range(cols))
            print(row(ta, la) + "  |" + row(tb, lb))
        else:
            print(f"{ta[r]}  |{tb[r]}")
    print()


if __name__ == "__main__":
    ansi = "--ansi" in sys.argv
    for name, (s, h) in POSES.items():
        show(name, s, h, ansi=ansi)
    for name in ("single knee to chest (lying, side)", "side bend (front view)"):
        show(name, *POSES[name], mirror=True, ansi=ansi)
    s, h = POSES["chin-tuck (seated, side)"]
    print("chin-tuck, 5 frames of the get-ready (t = 0, .25, .5, .75, 1):")
    box = bounds([scene(s), scene(h)])
    frames = [render(scene(lerp(s, h, t)), box)[0] for t in (0, .25, .5, .75, 1)]
    for r in range(12):
        print(" |".join(f[r] for f in frames))
