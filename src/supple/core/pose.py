"""The pose model: a stick figure set by a few joint angles, as routine files describe it.

A figure is seen from the side (facing screen right) or from the front (its left on screen right).
Each angle is in degrees in the picture plane, measured from standing tall with the arms down;
a limb angle is one number for both limbs, or a pair `[working side, other side]`. Every angle a
pose leaves out stays at rest. The right side of a two-sided stretch is the mirror image.
"""

from __future__ import annotations

from typing import Mapping, NamedTuple, Union

VIEWS = ("side", "front")
FRAMES = ("full", "bust")  # the whole body, or head and shoulders (neck stretches)
PROPS = ("floor", "chair", "wall", "doorway", "desk")

# What each angle does at a positive value, and the range a routine file may give it.
ANGLES: dict[str, dict[str, tuple[float, float, str]]] = {
    "side": {
        "trunk": (-180, 180, "tips the whole body forward (90: face down, -90: lying on the back)"),
        "spine": (-90, 90, "bends the upper back forward (negative arches it back)"),
        "neck": (-90, 90, "tips the neck forward"),
        "head": (-90, 90, "nods the head down (negative looks up)"),
        "shoulder": (-180, 180, "raises the arm forward (180: straight up)"),
        "elbow": (-180, 180, "bends the forearm forward and up"),
        "wrist": (-90, 90, "bends the hand forward"),
        "hip": (-90, 180, "raises the thigh forward (90: sitting)"),
        "knee": (-10, 180, "bends the shin back"),
        "ankle": (-90, 90, "points the toes up"),
    },
    "front": {
        "trunk": (-180, 180, "leans the whole body toward its left (90: lying, head to screen right)"),
        "spine": (-90, 90, "bends the upper body toward its left"),
        "neck": (-90, 90, "tips the neck toward its left"),
        "head": (-90, 90, "tips the head toward its left shoulder"),
        "turn": (-90, 90, "turns the face toward its left"),
        "shrug": (-30, 60, "lifts the shoulders toward the ears"),
        "shoulder": (-30, 180, "raises the arm out to the side (180: straight up)"),
        "elbow": (-180, 180, "bends the forearm up and in"),
        "hip": (-60, 120, "swings the leg out to the side"),
        "knee": (-180, 180, "bends the shin out"),
    },
}
LIMBS = ("shoulder", "elbow", "wrist", "hip", "knee", "ankle", "shrug")  # may take a pair

Angle = Union[float, tuple[float, float]]
Pose = Mapping[str, Angle]


class Figure(NamedTuple):
    """How a stretch is drawn: the view, the frame, the props, and the poses it moves between."""

    view: str = "side"
    frame: str = "full"
    props: tuple[str, ...] = ()
    start: Pose = {}
    holds: tuple[Pose, ...] = ({},)  # the hold, or one pose a phase
    name: str = ""  # the built-in figure it is, if it is one

    def hold(self, phase: int = 0) -> Pose:
        return self.holds[min(max(phase, 0), len(self.holds) - 1)]

    def poses(self) -> tuple[Pose, ...]:
        return (self.start, *self.holds)


def pair(value: Angle) -> tuple[float, float]:
    return (value, value) if isinstance(value, (int, float)) else (value[0], value[1])


def blend(a: Pose, b: Pose, t: float) -> dict[str, Angle]:
    """The pose part-way from `a` to `b`, eased in and out (0: a, 1: b); limbs keep their length."""
    t = min(max(t, 0.0), 1.0)
    t = t * t * (3 - 2 * t)
    out: dict[str, Angle] = {}
    for key in {*a, *b}:
        (a0, a1), (b0, b1) = pair(a.get(key, 0)), pair(b.get(key, 0))
        out[key] = (a0 + (b0 - a0) * t, a1 + (b1 - a1) * t)
    return out
