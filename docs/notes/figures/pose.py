"""A 2-D stick-figure pose model and braille renderer (research sketch for issue 15; pure, no Textual).

Angles are degrees in the picture plane. Units are body heights (H = 1), y up.
Side view: the figure faces +x (screen right).  Front view: the figure faces us, its left on +x.
A limb angle is one number (both limbs) or a pair (first = the working side: nearer in the side
view, the figure's left in the front view). The right side of a stretch is the mirror image (x -> -x).
"""
from __future__ import annotations

from math import cos, radians, sin

L = dict(head=0.065, neck=0.06, trunk=0.30, uarm=0.175, farm=0.15, hand=0.06,
         thigh=0.245, shin=0.245, foot=0.11, shoulder_w=0.10, hip_w=0.055)
SIDE = dict(trunk=0, spine=0, neck=0, head=0, shoulder=0, elbow=0, wrist=0, hip=0, knee=0, ankle=0)
FRONT = dict(trunk=0, spine=0, neck=0, head=0, turn=0, shrug=0, shoulder=10, elbow=0, hip=5, knee=0)
NEAR, FAR, PROP, HEAD = 3, 2, 1, 3          # layers: the higher wins a braille cell's colour


def _up(a, n=1.0):       # a vector of length n at `a` degrees from straight up, toward +x
    return (n * sin(radians(a)), n * cos(radians(a)))


def _add(p, v):
    return (p[0] + v[0], p[1] + v[1])


def _pair(v):
    return (v, v) if isinstance(v, (int, float)) else (v[0], v[1])


def figure(pose: dict):
    """Forward kinematics: (segments [(p, q, layer)], head (centre, radius, nose tip), named points)."""
    view = pose.get("view", "side")
    a = {**(SIDE if view == "side" else FRONT), **{k: v for k, v in pose.items() if k not in ("view", "props", "frame")}}
    segs, pts = [], {}
    P = (0.0, 0.0)
    u1, u2 = a["trunk"], a["trunk"] + a["spine"]           # lower and upper trunk, from straight up
    M = _add(P, _up(u1, L["trunk"] / 2))
    S = _add(M, _up(u2, L["trunk"] / 2))
    segs += [(P, M, NEAR), (M, S, NEAR)]
    un = u2 + a["neck"]
    N = _add(S, _up(un, L["neck"]))
    uh = un + a["head"]
    C = _add(N, _up(uh, L["head"]))
    segs.append((S, N, NEAR))
    if view == "side":          # the nose points along the face: 90 degrees forward of the head's up
        nose = _add(C, _up(uh + 90, L["head"] * 1.65))
        for i, layer in ((1, FAR), (0, NEAR)):           # far limbs first, near limbs over them
            sh, el, wr = (_pair(a[k])[i] for k in ("shoulder", "elbow", "wrist"))
            hp, kn, an = (_pair(a[k])[i] for k in ("hip", "knee", "ankle"))
            E = _add(S, _up(180 + u2 - sh, L["uarm"]))       # arm hangs along the trunk at 0, + forward
            W = _add(E, _up(180 + u2 - sh - el, L["farm"]))  # + bends the forearm forward/up
            F = _add(W, _up(180 + u2 - sh - el - wr, L["hand"]))
            K = _add(P, _up(180 + u1 - hp, L["thigh"]))     # thigh along the trunk at 0, + forward
            A = _add(K, _up(180 + u1 - hp + kn, L["shin"]))  # + bends the shin back
            T = _add(A, _up(90 + u1 - hp + kn - an, L["foot"]))  # 0: foot square to the shin; + toes up
            segs += [(S, E, layer), (E, W, layer), (W, F, layer), (P, K, layer), (K, A, layer), (A, T, layer)]
            pts.update({f"elbow{i}": E, f"hand{i}": F, f"knee{i}": K, f"foot{i}": T})
    else:
        nose = _add(C, _up(uh + 180, L["head"] * 0.35))       # a mark low on the face, moved by `turn`
        nose = _add(nose, _up(uh + 90, L["head"] * 0.8 * sin(radians(a["turn"]))))
        for i, sgn in ((0, 1), (1, -1)):                      # i = 0: the figure's left, on +x
            sh, el, hp, kn, up = (_pair(a[k])[i] for k in ("shoulder", "elbow", "hip", "knee", "shrug"))
            Sh = _add(S, _up(u2 + sgn * (90 - up), L["shoulder_w"]))
            E = _add(Sh, _up(u2 + sgn * (180 - sh), L["uarm"]))   # 0: arm down, 90: out sideways
            W = _add(E, _up(u2 + sgn * (180 - sh - el), L["farm"]))
            F = _add(W, _up(u2 + sgn * (180 - sh - el), L["hand"]))
            Hj = _add(P, _up(u1 + sgn * 90, L["hip_w"]))
            K = _add(Hj, _up(u1 + sgn * (180 - hp), L["thigh"]))
            A = _add(K, _up(u1 + sgn * (180 - hp - kn), L["shin"]))
            T = _add(A, _up(sgn * 100, L["foot"] * 0.5))
            segs += [(S, Sh, NEAR), (Sh, E, NEAR), (E, W, NEAR), (W, F, NEAR),
                     (P, Hj, NEAR), (Hj, K, NEAR), (K, A, NEAR), (A, T, NEAR)]
            pts.update({f"elbow{i}": E, f"hand{i}": F, f"knee{i}": K, f"foot{i}": T})
    pts.update(pelvis=P, shoulders=S, head=C)
    return segs, (C, L["head"], nose), pts


def scene(pose: dict, mirror: bool = False):
    """The figure grounded on the floor (y = 0) plus its props, all as segments; a head circle."""
    segs, (C, r, nose), pts = figure(pose)
    body = [p for s in segs for p in s[:2]] + [(C[0], C[1] - r), (C[0], C[1] + r)]
    lift = 0.02 - min(y for _, y in body)                 # lowest body point just above the floor
    segs = [((p[0], p[1] + lift), (q[0], q[1] + lift), layer) for p, q, layer in segs]
    C, nose = (C[0], C[1] + lift), (nose[0], nose[1] + lift)
    pts = {k: (x, y + lift) for k, (x, y) in pts.items()}
    xs = [p[0] for s in segs for p in s[:2]] + [C[0] - r, C[0] + r]
    lo, hi = min(xs), max(xs)
    props, P, side = [], pts["pelvis"], pose.get("view", "side") == "side"
    for prop in pose.get("props", ()):
        if prop == "floor":
            props.append(((lo - 0.08, 0.0), (hi + 0.08, 0.0)))
        elif prop == "wall":                               # stands against the figure's furthest +x point
            props.append(((hi + 0.01, 0.0), (hi + 0.01, 1.1)))
        elif prop == "chair":
            seat, back, front = P[1] - 0.02, P[0] - 0.06, P[0] + (0.16 if side else 0.06)
            if not side:
                back = P[0] - 0.06
            props += [((back, seat), (front, seat)), ((back, 0), (back, seat)), ((front, 0), (front, seat))]
            if side:
                props.append(((back, seat), (back - 0.02, seat + 0.28)))
        elif prop == "desk":
            top, x0 = 0.43, pts["pelvis"][0] + 0.22
            props += [((x0, top), (x0 + 0.4, top)), ((x0 + 0.03, 0), (x0 + 0.03, top))]
        elif prop == "doorway":
            if side:                                       # the jamb behind, at the hands; a lintel stub
                jx = min(pts["hand0"][0], pts["hand1"][0], pts["elbow0"][0]) - 0.01
                props += [((jx, 0), (jx, 1.12)), ((jx, 1.12), (jx - 0.12, 1.12))]
            else:
                w = max(abs(lo), abs(hi)) + 0.01
                props += [((-w, 0), (-w, 1.2)), ((w, 0), (w, 1.2)), ((-w, 1.2), (w, 1.2))]
    segs += [(p, q, PROP) for p, q in props]
    if mirror:
        segs = [((-p[0], p[1]), (-q[0], q[1]), layer) for p, q, layer in segs]
        C, nose = (-C[0], C[1]), (-nose[0], nose[1])
    return segs, (C, r, nose)


def lerp(a: dict, b: dict, t: float) -> dict:
    """Angles part-way from pose a to b, eased (smoothstep); view and props come from b."""
    t = t * t * (3 - 2 * t)
    out = dict(b)
    for k, v in b.items():
        if k in ("view", "props", "frame") or k not in a:
            continue
        if isinstance(a[k], (int, float)) and isinstance(v, (int, float)):
            out[k] = a[k] + (v - a[k]) * t
        else:
            (a0, a1), (b0, b1) = _pair(a[k]), _pair(v)
            out[k] = (a0 + (b0 - a0) * t, a1 + (b1 - a1) * t)
    return out


def bounds(scenes, bust=False):
    """The box around every point of some scenes: fit once per stretch, so the figure never rescales.
    A bust is framed on the head and shoulders; lines running out of the box are clipped dot by dot."""
    xs, ys = [], []
    for segs, (C, r, _) in scenes:
        for p, q, _ in segs:
            for x, y in (p, q):
                if not bust or y >= C[1] - 0.3:
                    xs.append(x)
                    ys.append(y)
        xs += [C[0] - r, C[0] + r]
        ys += [C[1] - r, C[1] + r]
    return min(xs), min(ys), max(xs), max(ys)


_BIT = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))  # [row % 4][col % 2]


def render(sc, box, cols=24, rows=12):
    """Braille text rows (2 x 4 dots a cell) and each cell's layer (0 empty) for the theme's colours."""
    W, Hd = cols * 2, rows * 4
    x0, y0, x1, y1 = box
    s = min((W - 1) / max(x1 - x0, 1e-9), (Hd - 1) / max(y1 - y0, 1e-9))
    ox, oy = (W - 1 - (x1 - x0) * s) / 2 - x0 * s, (Hd - 1 - (y1 - y0) * s) / 2 + y1 * s
    bits, layer = bytearray(cols * rows), bytearray(cols * rows)

    def line(p, q, lay):
        x, y = round(p[0] * s + ox), round(oy - p[1] * s)
        xe, ye = round(q[0] * s + ox), round(oy - q[1] * s)
        dx, dy, sx, sy = abs(xe - x), -abs(ye - y), 1 if xe > x else -1, 1 if ye > y else -1
        err = dx + dy
        while True:
            if 0 <= x < W and 0 <= y < Hd:
                c = (y >> 2) * cols + (x >> 1)
                bits[c] |= _BIT[y & 3][x & 1]
                if lay > layer[c]:
                    layer[c] = lay
            if x == xe and y == ye:
                return
            e2 = 2 * err
            if e2 >= dy:
                err += dy
                x += sx
            if e2 <= dx:
                err += dx
                y += sy

    segs, (C, r, nose) = sc
    for p, q, lay in sorted(segs, key=lambda g: g[2]):
        line(p, q, lay)
    ring = [(C[0] + r * cos(radians(d)), C[1] + r * sin(radians(d))) for d in range(0, 361, 30)]
    for p, q in zip(ring, ring[1:]):
        line(p, q, HEAD)
    dx, dy = nose[0] - C[0], nose[1] - C[1]
    k = max(r * 0.35, 2 / s) / max((dx * dx + dy * dy) ** 0.5, 1e-9)  # a nose of at least 2 dots
    line((C[0] + dx * 0.6, C[1] + dy * 0.6), (C[0] + dx * (0.6 + k), C[1] + dy * (0.6 + k)), HEAD)
    text = ["".join(chr(0x2800 + b) if b else " " for b in bits[r0 * cols:(r0 + 1) * cols]) for r0 in range(rows)]
    return text, layer
