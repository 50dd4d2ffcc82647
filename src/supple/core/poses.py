"""The built-in figures, by name: what `figure = "chin-tuck"` in a routine file draws.

Each is a Figure (see core.pose): a view, a frame, props, a start pose and a hold pose (one a
phase for a stretch in phases). Angles left out stay at rest. A two-sided stretch is drawn on
its left side (the player mirrors it for the right): in a side view the working limb is the near
one, the first of a pair; in a front view the figure's left is on screen right.
"""

from __future__ import annotations

from supple.core.pose import Figure

SEATED = dict(hip=90, knee=(90, 95), shoulder=15, elbow=75)  # on a chair, hands on the thighs
# On hands and knees: the arms are longer than the thighs, so the back slopes up to the shoulders.
FOURS = dict(trunk=75, hip=75, knee=90, ankle=-90, shoulder=75, wrist=90)
BACK = dict(trunk=-90, hip=50, knee=105, ankle=-35)  # lying on the back, knees bent, feet flat

FIGURES: dict[str, Figure] = {
    # Neck
    "chin-tuck": Figure(
        view="side", frame="bust", props=("chair",),
        start=dict(SEATED, neck=30, head=-30),
        holds=(dict(SEATED, neck=-8, head=8),)),
    "neck-flexion": Figure(
        view="side", frame="bust", props=("chair",),
        start=dict(SEATED),
        holds=(dict(SEATED, neck=25, head=30),)),
    "neck-extension": Figure(
        view="side", frame="bust", props=("chair",),
        start=dict(SEATED),
        holds=(dict(SEATED, neck=-30, head=-35),)),
    "lateral-flexion": Figure(
        view="front", frame="bust",
        start=dict(),
        holds=(dict(neck=20, head=25),)),
    "rotation": Figure(
        view="front", frame="bust",
        start=dict(),
        holds=(dict(turn=70),)),
    "levator-scapula": Figure(
        view="front", frame="bust", props=("wall",),
        start=dict(shoulder=(110, 0), elbow=(60, 0)),
        holds=(dict(shoulder=(110, 0), elbow=(60, 0), turn=-45, neck=-15, head=-20),)),
    # Upper back and shoulders
    "shoulder-shrugs": Figure(
        view="front", frame="bust",
        start=dict(),
        holds=(dict(shrug=45),)),
    "overhead-reach": Figure(
        view="front", props=("floor",),
        start=dict(),
        holds=(dict(shoulder=165),)),
    "side-bend": Figure(
        view="front", props=("floor",),
        start=dict(),
        holds=(dict(shoulder=(160, -5), elbow=(30, 0), spine=-25, neck=-10),)),
    # Lower back
    "knees-to-chest": Figure(
        view="side", props=("floor",),
        start=dict(BACK),
        holds=(dict(trunk=-90, hip=125, knee=150, ankle=-70, neck=30, head=20, shoulder=70, elbow=-80),)),
    "single-knee-to-chest": Figure(
        view="side", props=("floor",),
        start=dict(BACK),
        holds=(dict(BACK, neck=10, shoulder=77, elbow=-74, hip=(125, 50), knee=(110, 105), ankle=(10, -35)),)),
    "lying-trunk-rotation": Figure(
        view="front",
        start=dict(trunk=90, shoulder=80, hip=0, knee=0),
        holds=(dict(trunk=90, shoulder=80, hip=(60, -50), knee=(-60, 60), turn=-70),)),
    "knee-hug-rock": Figure(
        view="side", props=("floor",),
        start=dict(BACK),
        holds=(dict(trunk=-90, hip=125, knee=150, ankle=-70, shoulder=70, elbow=-80),)),
    "childs-pose": Figure(
        view="side", props=("floor",),
        start=dict(FOURS),
        holds=(dict(trunk=107, spine=-8, hip=150, knee=133, ankle=-90, shoulder=172, head=10),)),
    "cat-camel": Figure(
        view="side", props=("floor",),
        start=dict(FOURS),
        holds=(dict(FOURS, trunk=50, spine=55, hip=50, shoulder=105, neck=30, head=30),
               dict(FOURS, trunk=100, spine=-45, hip=100, shoulder=55, neck=-15, head=-15))),
    "legs-up-the-wall": Figure(
        view="side", props=("floor", "wall"),
        start=dict(trunk=-90, hip=130, knee=110),
        holds=(dict(trunk=-90, hip=90, knee=10, ankle=0),)),
    # Hips and legs
    "standing-hamstring-stretch": Figure(
        view="side", props=("floor",),
        start=dict(),
        holds=(dict(trunk=75, hip=75, spine=20, neck=10, head=10, shoulder=100),)),
    "seated-hamstring-stretch": Figure(
        view="side", props=("floor",),
        start=dict(hip=(90, 135), knee=(0, 90), ankle=(0, -45), shoulder=30, elbow=30),
        holds=(dict(trunk=40, spine=10, hip=(130, 175), knee=(0, 90), ankle=(0, -45), shoulder=125),)),
    "hip-flexor-lunge": Figure(
        view="side", props=("floor",),
        start=dict(hip=(0, 90), knee=90, ankle=(-90, 0), shoulder=30, elbow=60),
        holds=(dict(hip=(-25, 85), knee=(65, 120), ankle=(-90, 35), spine=5, shoulder=35, elbow=55),)),
    "standing-hip-stretch": Figure(
        view="side", props=("floor",),
        start=dict(hip=(-10, 10)),
        holds=(dict(trunk=35, spine=10, hip=(10, 77), knee=(0, 38), ankle=(25, 0), shoulder=(35, 65), elbow=(0, 20)),)),
    "piriformis-stretch": Figure(
        view="side", props=("floor",),
        start=dict(trunk=-90, hip=(120, 60), knee=120, ankle=(-90, -30)),
        holds=(dict(trunk=-90, hip=(155, 95), knee=120, ankle=(-90, 0), shoulder=45, elbow=-30),)),
    # Posture
    "standing-posture": Figure(
        view="side", props=("floor",),
        start=dict(spine=20, neck=20, head=-15, shoulder=10),
        holds=(dict(knee=3),)),
}
FIGURES = {name: fig._replace(name=name) for name, fig in FIGURES.items()}
