"""A figure drawn in braille dots: joints placed from a pose's angles, props placed from the body,
lines drawn two by four dots a character. Pure and quick (about 0.1 ms a frame): the player draws
a frame a fifth of a second while a figure moves, and none while it holds still.

Lengths are in body heights (standing height 1), y up; the floor is y = 0.
"""

from __future__ import annotations

from math import cos, radians, sin
from typing import NamedTuple

from supple.core.pose import Figure, Pose, blend, pair

_LEN = dict(head=0.065, neck=0.06, trunk=0.30, uarm=0.175, farm=0.15, hand=0.06,
            thigh=0.245, shin=0.245, foot=0.11, shoulder_w=0.10, hip_w=0.055)
_FRONT_REST = dict(shoulder=10.0, hip=5.0)  # arms and legs a little apart: a front figure at rest
# Layers: which colour a character takes when lines of several cross it (the higher wins).
PROP, FAR, NEAR, HEAD = 1, 2, 3, 4
# Dots a body height must span for a figure to read as one; smaller, it is left out.
MIN_SCALE = {"full": 20.0, "bust": 44.0}

Point = tuple[float, float]
Segment = tuple[Point, Point, int]


class Scene(NamedTuple):
    segments: list[Segment]
    head: Point
    radius: float
    nose: Point


class Picture(NamedTuple):
    rows: list[str]  # braille characters, spaces where nothing is drawn
    layers: bytes  # each character's layer (0: empty), row by row


def _up(angle: float, length: float) -> Point:
    """A vector `length` long, `angle` degrees from straight up toward screen right."""
    return (length * sin(radians(angle)), length * cos(radians(angle)))


def _add(p: Point, v: Point) -> Point:
    return (p[0] + v[0], p[1] + v[1])


def _angles(pose: Pose, view: str) -> dict[str, tuple[float, float]]:
    out = {key: pair(value) for key, value in pose.items()}
    if view == "front":
        for key, rest in _FRONT_REST.items():
            a, b = out.get(key, (0.0, 0.0))
            out[key] = (a + rest, b + rest)
    return out


def _body(pose: Pose, view: str) -> tuple[list[Segment], Point, Point, dict[str, Point]]:
    """Forward kinematics from the pelvis at (0, 0): the segments, the head's centre and nose, named points."""
    a = _angles(pose, view)

    def one(key: str) -> float:
        return a.get(key, (0.0, 0.0))[0]

    segs: list[Segment] = []
    pelvis = (0.0, 0.0)
    lower, upper = one("trunk"), one("trunk") + one("spine")
    mid = _add(pelvis, _up(lower, _LEN["trunk"] / 2))
    shoulders = _add(mid, _up(upper, _LEN["trunk"] / 2))
    neck_dir = upper + one("neck")
    neck = _add(shoulders, _up(neck_dir, _LEN["neck"]))
    head_dir = neck_dir + one("head")
    head = _add(neck, _up(head_dir, _LEN["head"]))
    segs += [(pelvis, mid, NEAR), (mid, shoulders, NEAR), (shoulders, neck, NEAR)]
    points = {"pelvis": pelvis, "shoulders": shoulders}

    def limb(key: str, i: int) -> float:
        return a.get(key, (0.0, 0.0))[i]

    if view == "side":
        nose = _add(head, _up(head_dir + 90, _LEN["head"] * 1.65))
        for i, layer in ((1, FAR), (0, NEAR)):  # the far limbs first, the near ones over them
            arm = 180 + upper - limb("shoulder", i)
            elbow = _add(shoulders, _up(arm, _LEN["uarm"]))
            wrist = _add(elbow, _up(arm - limb("elbow", i), _LEN["farm"]))
            hand = _add(wrist, _up(arm - limb("elbow", i) - limb("wrist", i), _LEN["hand"]))
            leg = 180 + lower - limb("hip", i)
            knee = _add(pelvis, _up(leg, _LEN["thigh"]))
            ankle = _add(knee, _up(leg + limb("knee", i), _LEN["shin"]))
            toe = _add(ankle, _up(leg + limb("knee", i) - 90 - limb("ankle", i), _LEN["foot"]))
            segs += [(shoulders, elbow, layer), (elbow, wrist, layer), (wrist, hand, layer),
                     (pelvis, knee, layer), (knee, ankle, layer), (ankle, toe, layer)]
            points.update({f"elbow{i}": elbow, f"hand{i}": hand, f"knee{i}": knee, f"foot{i}": toe})
    else:
        nose = _add(head, _up(head_dir + 180, _LEN["head"] * 0.35))  # a mark low on the face, moved by turn
        # turned far, the nose leaves the outline as in a profile: a turned head reads at a glance
        nose = _add(nose, _up(head_dir + 90, _LEN["head"] * 1.6 * sin(radians(one("turn")))))
        for i, sign in ((0, 1), (1, -1)):  # i = 0: the figure's left, on screen right
            shoulder = _add(shoulders, _up(upper + sign * (90 - limb("shrug", i)), _LEN["shoulder_w"]))
            arm = upper + sign * (180 - limb("shoulder", i))
            elbow = _add(shoulder, _up(arm, _LEN["uarm"]))
            forearm = arm - sign * limb("elbow", i)
            wrist = _add(elbow, _up(forearm, _LEN["farm"]))
            hand = _add(wrist, _up(forearm, _LEN["hand"]))
            hip = _add(pelvis, _up(lower + sign * 90, _LEN["hip_w"]))
            leg = lower + sign * (180 - limb("hip", i))
            knee = _add(hip, _up(leg, _LEN["thigh"]))
            ankle = _add(knee, _up(leg - sign * limb("knee", i), _LEN["shin"]))
            toe = _add(ankle, _up(lower + sign * 100, _LEN["foot"] * 0.5))
            segs += [(shoulders, shoulder, NEAR), (shoulder, elbow, NEAR), (elbow, wrist, NEAR),
                     (wrist, hand, NEAR), (pelvis, hip, NEAR), (hip, knee, NEAR), (knee, ankle, NEAR),
                     (ankle, toe, NEAR)]
            points.update({f"elbow{i}": elbow, f"hand{i}": hand, f"knee{i}": knee, f"foot{i}": toe})
    points["head"] = head
    return segs, head, nose, points


def scene(figure: Figure, pose: Pose, mirror: bool = False, props: list[Segment] | None = None) -> Scene:
    """The body in `pose` resting on the floor, with the figure's props (placed from this pose, unless
    given); mirrored for the right side."""
    segs, head, nose, points = _body(pose, figure.view)
    r = _LEN["head"]
    ys = [y for p, q, _ in segs for _, y in (p, q)] + [head[1] - r]
    lift = 0.02 - min(ys)  # the lowest point of the body just above the floor
    segs = [((p[0], p[1] + lift), (q[0], q[1] + lift), layer) for p, q, layer in segs]
    head, nose = (head[0], head[1] + lift), (nose[0], nose[1] + lift)
    points = {k: (x, y + lift) for k, (x, y) in points.items()}
    if props is None:
        xs = [x for p, q, _ in segs for x, _ in (p, q)] + [head[0] - r, head[0] + r]
        segs += [(p, q, PROP) for p, q in _props(figure, points, min(xs), max(xs))]
    if mirror:
        segs = [((-p[0], p[1]), (-q[0], q[1]), layer) for p, q, layer in segs]
        head, nose = (-head[0], head[1]), (-nose[0], nose[1])
    return Scene(segs + (props or []), head, r, nose)


def _props(figure: Figure, points: dict[str, Point], lo: float, hi: float) -> list[tuple[Point, Point]]:
    out: list[tuple[Point, Point]] = []
    side = figure.view == "side"
    px, py = points["pelvis"]
    for prop in figure.props:
        if prop == "floor":
            out.append(((lo - 0.08, 0.0), (hi + 0.08, 0.0)))
        elif prop == "wall":  # just beyond the figure's furthest point toward screen right
            out.append(((hi + 0.01, 0.0), (hi + 0.01, 1.1)))
        elif prop == "chair":
            seat, back = py - 0.02, px - 0.06
            front = px + (0.16 if side else 0.06)
            out += [((back, seat), (front, seat)), ((back, 0.0), (back, seat)), ((front, 0.0), (front, seat))]
            if side:
                out.append(((back, seat), (back - 0.02, seat + 0.28)))
        elif prop == "desk":
            top, x0 = 0.43, px + 0.22
            out += [((x0, top), (x0 + 0.4, top)), ((x0 + 0.03, 0.0), (x0 + 0.03, top))]
        elif prop == "doorway":
            if side:  # the door frame behind the hands, with a stub of its top
                jx = min(points["hand0"][0], points["hand1"][0], points["elbow0"][0]) - 0.01
                out += [((jx, 0.0), (jx, 1.12)), ((jx, 1.12), (jx - 0.12, 1.12))]
            else:
                w = max(abs(lo), abs(hi)) + 0.01
                out += [((-w, 0.0), (-w, 1.2)), ((w, 0.0), (w, 1.2)), ((-w, 1.2), (w, 1.2))]
    return out


Box = tuple[float, float, float, float]


def bounds(scenes: list[Scene], bust: bool = False) -> Box:
    """The box around every point of some scenes; a bust is framed on the head and shoulders."""
    xs: list[float] = []
    ys: list[float] = []
    for sc in scenes:
        (cx, cy), r = sc.head, sc.radius
        for p, q, _ in sc.segments:
            for x, y in (p, q):
                if not bust or y >= cy - 0.3:
                    xs.append(x)
                    ys.append(y)
        xs += [cx - r, cx + r]
        ys += [cy - r, cy + r]
    return min(xs), min(ys), max(xs), max(ys)


_BIT = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))  # a braille dot's bit: [row % 4][col % 2]


def scale(box: Box, cols: int, rows: int) -> float:
    """Dots per body height when `box` is fitted into `cols` x `rows` characters."""
    x0, y0, x1, y1 = box
    return min((cols * 2 - 1) / max(x1 - x0, 1e-9), (rows * 4 - 1) / max(y1 - y0, 1e-9))


def render(sc: Scene, box: Box, cols: int, rows: int) -> Picture:
    """`sc` drawn in `cols` x `rows` braille characters, `box` fitted and centred; lines leaving it are cut."""
    width, height = cols * 2, rows * 4
    x0, y0, x1, y1 = box
    s = scale(box, cols, rows)
    ox = (width - 1 - (x1 - x0) * s) / 2 - x0 * s
    oy = (height - 1 - (y1 - y0) * s) / 2 + y1 * s
    bits, layers = bytearray(cols * rows), bytearray(cols * rows)

    def line(p: Point, q: Point, layer: int) -> None:  # Bresenham's, dot by dot
        x, y = round(p[0] * s + ox), round(oy - p[1] * s)
        xe, ye = round(q[0] * s + ox), round(oy - q[1] * s)
        dx, dy = abs(xe - x), -abs(ye - y)
        sx, sy = (1 if xe > x else -1), (1 if ye > y else -1)
        err = dx + dy
        while True:
            if 0 <= x < width and 0 <= y < height:
                c = (y >> 2) * cols + (x >> 1)
                bits[c] |= _BIT[y & 3][x & 1]
                if layer > layers[c]:
                    layers[c] = layer
            if x == xe and y == ye:
                return
            e2 = 2 * err
            if e2 >= dy:
                err += dy
                x += sx
            if e2 <= dx:
                err += dx
                y += sy

    for p, q, layer in sorted(sc.segments, key=lambda g: g[2]):
        line(p, q, layer)
    (cx, cy), r = sc.head, sc.radius
    ring = [(cx + r * cos(radians(d)), cy + r * sin(radians(d))) for d in range(0, 361, 30)]
    for p, q in zip(ring, ring[1:]):
        line(p, q, HEAD)
    dx, dy = sc.nose[0] - cx, sc.nose[1] - cy
    k = max(r * 0.35, 2 / s) / max((dx * dx + dy * dy) ** 0.5, 1e-9)  # a nose at least two dots long
    line((cx + dx * 0.6, cy + dy * 0.6), (cx + dx * (0.6 + k), cy + dy * (0.6 + k)), HEAD)
    text = ["".join(chr(0x2800 + b) if b else " " for b in bits[i * cols:(i + 1) * cols]) for i in range(rows)]
    return Picture(text, bytes(layers))


class Sketch:
    """One stretch's figure on one side, in one box for all its frames so it never jumps or rescales,
    its props placed once, from the hold, so a wall or a doorway stays put while the body moves."""

    def __init__(self, figure: Figure, mirror: bool = False) -> None:
        self.figure = figure
        self.mirror = mirror
        walls = figure._replace(props=tuple(p for p in figure.props if p != "floor"))
        self.props = [g for g in scene(walls, figure.hold(0), mirror).segments if g[2] == PROP]
        frames = [scene(figure, blend(figure.start, hold, t), mirror, self.props)
                  for hold in figure.holds for t in (0.0, 0.25, 0.5, 0.75, 1.0)]
        x0, y0, x1, y1 = bounds(frames, bust=figure.frame == "bust")
        if "floor" in figure.props:  # under every frame
            x0, x1, y0 = x0 - 0.08, x1 + 0.08, min(y0, 0.0)
            self.props.append(((x0, 0.0), (x1, 0.0), PROP))
        self.box = (x0, y0, x1, y1)

    def shape(self) -> float:
        """Width over height, in dots (a braille dot is about square)."""
        x0, y0, x1, y1 = self.box
        return (x1 - x0) / max(y1 - y0, 1e-9)

    def size_for(self, cols: int, rows: int) -> tuple[int, int] | None:
        """The characters the figure fills within `cols` x `rows`, or None when it would be too small to read."""
        if cols < 1 or rows < 1 or scale(self.box, cols, rows) < MIN_SCALE[self.figure.frame]:
            return None
        x0, y0, x1, y1 = self.box
        s = scale(self.box, cols, rows)
        return min(cols, int((x1 - x0) * s / 2) + 2), min(rows, int((y1 - y0) * s / 4) + 1)

    def draw(self, cols: int, rows: int, moved: float = 1.0, phase: int = 0, start: bool = False) -> Picture:
        """The figure `moved` of the way from its start into the hold (of `phase`); `start`: the start pose."""
        hold = self.figure.hold(phase)
        pose = self.figure.start if start else hold if moved >= 1 else blend(self.figure.start, hold, moved)
        return render(scene(self.figure, pose, self.mirror, self.props), self.box, cols, rows)
