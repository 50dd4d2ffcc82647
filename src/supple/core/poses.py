"""The built-in figures, by name: what `figure = "chin-tuck"` in a routine file draws.

Each is a Figure (see core.pose): a view, a frame, props, a start pose and a hold pose (one a
phase for a stretch in phases). Angles left out stay at rest.
"""

from __future__ import annotations

from supple.core.pose import Figure

FIGURES: dict[str, Figure] = {
    "chin-tuck": Figure(
        view="side", frame="bust", props=("chair",),
        start=dict(neck=30, head=-30, shoulder=15, elbow=75, hip=90, knee=(90, 95)),
        holds=(dict(neck=-8, head=8, shoulder=15, elbow=75, hip=90, knee=(90, 95)),)),
    "single-knee-to-chest": Figure(
        view="side", props=("floor",),
        start=dict(trunk=-90, shoulder=8, hip=50, knee=105),
        holds=(dict(trunk=-90, neck=10, shoulder=77, elbow=-74, hip=(125, 50), knee=(110, 105), ankle=(10, 0)),)),
    "side-bend": Figure(
        view="front", props=("floor",),
        start=dict(),
        holds=(dict(shoulder=(5, 155), elbow=(0, 10), trunk=6, spine=14, neck=8),)),
}
FIGURES = {name: fig._replace(name=name) for name, fig in FIGURES.items()}
