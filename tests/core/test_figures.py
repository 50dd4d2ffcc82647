"""The built-in figures: one for every built-in stretch, in range, and drawn the way the stretch goes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from supple.core.drawing import Sketch, scene
from supple.core.pose import ANGLES, FRAMES, LIMBS, PROPS, VIEWS, pair
from supple.core.poses import FIGURES
from supple.store.routine_files import load_routines

ROUTINES = Path(__file__).resolve().parents[2] / "routines"
# Stretches done lying on the back and seen from the side: the picture is wide and low.
LYING = ("knees-to-chest", "single-knee-to-chest", "piriformis-stretch", "knee-hug-rock")


def builtin_stretches():
    routines, problems = load_routines(ROUTINES, None)
    assert not problems and routines
    return [(r.id, s) for r in routines.values() for s in r.stretches]


STRETCHES = builtin_stretches()
BY_FIGURE = {s.figure.name: s for _, s in STRETCHES if s.figure is not None}


def rounded(items) -> list:
    """Points (or segments of points) to a micron of body height, sorted: to compare two drawings."""
    def r(v):
        return tuple(r(x) for x in v) if isinstance(v, tuple) else round(v, 6) + 0.0
    return sorted(r(tuple(i)) for i in items)


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower().replace("'", "")).strip("-")


def test_every_builtin_stretch_has_the_figure_named_after_it():
    missing = [f"{rid}: {s.name}" for rid, s in STRETCHES if s.figure is None]
    assert not missing
    wrong = [(s.name, s.figure.name) for _, s in STRETCHES if s.figure.name != slug(s.name)]
    assert not wrong
    assert set(BY_FIGURE) == set(FIGURES), "a built-in figure no built-in stretch uses"


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_a_figure_uses_only_its_views_keys_angles_in_range_and_known_props(name):
    fig = FIGURES[name]
    assert fig.view in VIEWS and fig.frame in FRAMES and fig.name == name
    assert set(fig.props) <= set(PROPS) and len(set(fig.props)) == len(fig.props)
    for pose in fig.poses():
        for key, value in pose.items():
            assert key in ANGLES[fig.view], f"{name}: '{key}' is not a {fig.view} view angle"
            assert isinstance(value, (int, float)) or key in LIMBS, f"{name}: '{key}' takes one number"
            lo, hi, _ = ANGLES[fig.view][key]
            assert all(lo <= a <= hi for a in pair(value)), f"{name}: {key}={value} outside {lo}..{hi}"


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_a_figure_holds_one_pose_a_phase_of_its_stretch(name):
    stretch = BY_FIGURE[name]
    assert len(FIGURES[name].holds) == max(len(stretch.phases), 1)


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_every_pose_of_a_figure_is_a_different_picture_and_readable_at_the_players_size(name):
    sketch = Sketch(FIGURES[name])
    cols, rows = (32, 8) if sketch.shape() > 1.6 else (24, 12)
    assert sketch.size_for(cols, rows) is not None
    pictures = [sketch.draw(cols, rows, start=True).rows]
    pictures += [sketch.draw(cols, rows, phase=i).rows for i in range(len(FIGURES[name].holds))]
    assert len({tuple(p) for p in pictures}) == len(pictures), "the stretch does not show any movement"


def test_the_chin_tuck_glides_the_head_back_rather_than_nodding_it_down():
    fig = FIGURES["chin-tuck"]
    assert fig.view == "side" and fig.frame == "bust"
    (x0, y0), (x1, y1) = scene(fig, fig.start).head, scene(fig, fig.hold()).head
    back, down = x0 - x1, y0 - y1  # a side figure faces screen right: back is toward -x
    assert back > 0.02 and back > 3 * max(down, 0.0)
    assert abs(scene(fig, fig.hold()).nose[1] - y1) < 0.02, "the gaze stays level"


@pytest.mark.parametrize("name", LYING)
def test_a_stretch_done_lying_down_lies_on_the_floor_wide_and_low(name):
    fig = FIGURES[name]
    assert "floor" in fig.props
    assert Sketch(fig).shape() > 1
    sc = scene(fig, fig.start)
    head_y = sc.head[1]
    assert head_y - sc.radius < 0.05, "the head rests on the floor"


def test_the_neck_stretches_face_the_way_they_move():
    assert FIGURES["lateral-flexion"].view == FIGURES["side-bend"].view == FIGURES["shoulder-shrugs"].view == "front"
    for name in ("neck-flexion", "neck-extension", "chin-tuck", "standing-hamstring-stretch",
                 "seated-hamstring-stretch", "childs-pose", "cat-camel"):
        assert FIGURES[name].view == "side", name


@pytest.mark.parametrize("name", sorted({s.figure.name for _, s in STRETCHES if s.both_sides}))
def test_the_right_side_is_the_left_side_mirrored(name):
    fig = FIGURES[name]
    for pose in fig.poses():
        left, right = scene(fig, pose), scene(fig, pose, mirror=True)
        flip = [((-p[0], p[1]), (-q[0], q[1]), layer) for p, q, layer in left.segments]
        assert rounded(right.segments) == rounded(flip)
        assert rounded([right.head, right.nose]) == rounded([(-left.head[0], left.head[1]),
                                                             (-left.nose[0], left.nose[1])])
    x0, y0, x1, y1 = Sketch(fig).box
    assert Sketch(fig, mirror=True).box == pytest.approx((-x1, y0, -x0, y1))


@pytest.mark.parametrize("name", sorted({s.figure.name for _, s in STRETCHES if s.both_sides}))
def test_a_two_sided_figure_is_not_its_own_mirror_image(name):
    fig = FIGURES[name]
    sketch, mirrored = Sketch(fig), Sketch(fig, mirror=True)
    assert sketch.draw(24, 12).rows != mirrored.draw(24, 12).rows
