"""A stretch's own figure in a routine file: what a good [stretch.figure] table draws, and every
mistake in one named at its line and column, in words a person understands."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import write

from supple.core.pose import ANGLES, LIMBS, Figure
from supple.core.poses import FIGURES
from supple.store.paths import package_data
from supple.store.routine_files import load_routines, parse_routine
from supple.store.toml import fmt

HEAD = '''name = "Chest and back"
region = "upper-back"

[[stretch]]
name = "Doorway chest stretch"
how = "Forearms on the door frame, step through."
hold = 30
sides = "both"
'''

DOORWAY = HEAD + '''
[stretch.figure]
view = "side"
frame = "full"
props = ["floor", "doorway"]

[stretch.figure.start]
shoulder = -80
elbow = -95

[stretch.figure.hold]
trunk = 12
hip = [30, -8]
'''

CAT_CAMEL = '''
[[stretch]]
name = "Cat-camel"
how = "On hands and knees, round your back, then let it sag."
hold = 5
phases = ["cat", "camel"]

[stretch.figure]
props = ["floor"]

[stretch.figure.start]
trunk = 90
hip = 90

[[stretch.figure.hold]]
trunk = 90
spine = 25

[[stretch.figure.hold]]
trunk = 90
spine = -20
'''


def parse(tmp_path, text):
    return parse_routine(write(tmp_path / "mine.toml", text))


def test_a_figure_table_builds_the_figure_it_describes(tmp_path):
    routine, problems = parse(tmp_path, DOORWAY + CAT_CAMEL)
    assert problems == []
    doorway, cat_camel = (s.figure for s in routine.stretches)
    assert doorway == Figure(view="side", frame="full", props=("floor", "doorway"),
                             start={"shoulder": -80, "elbow": -95}, holds=({"trunk": 12, "hip": (30, -8)},))
    assert cat_camel == Figure(props=("floor",), start={"trunk": 90, "hip": 90},
                               holds=({"trunk": 90, "spine": 25}, {"trunk": 90, "spine": -20}))
    assert cat_camel.hold(1) == {"trunk": 90, "spine": -20}


def test_a_figure_without_start_starts_standing_at_rest(tmp_path):
    routine, problems = parse(tmp_path, HEAD + '[stretch.figure]\nview = "front"\n[stretch.figure.hold]\nturn = 40\n')
    assert problems == []
    assert routine.stretches[0].figure == Figure(view="front", start={}, holds=({"turn": 40},))


def test_like_starts_from_a_built_in_figure_and_the_keys_given_replace_its_own(tmp_path):
    text = HEAD + '[stretch.figure]\nlike = "chin-tuck"\nframe = "full"\n[stretch.figure.hold]\nneck = -15\n'
    routine, problems = parse(tmp_path, text)
    assert problems == []
    tuck = FIGURES["chin-tuck"]
    assert routine.stretches[0].figure == Figure(view=tuck.view, frame="full", props=tuck.props, start=tuck.start,
                                                 holds=({"neck": -15},))


def test_a_built_in_figure_by_name_is_still_read(tmp_path):
    routine, problems = parse(tmp_path, HEAD + 'figure = "side-bend"\n')
    assert problems == [] and routine.stretches[0].figure == FIGURES["side-bend"]


WHOLE = "[stretch.figure]\n[stretch.figure.hold]\ntrunk = 10\n"

# (the figure part of the file, the line the problem is on (marked <<), the message after the stretch's label)
BAD = {
    "unknown key": ('[stretch.figure]\nveiw = "front"  <<\n[stretch.figure.hold]\n',
                    "figure: unknown key 'veiw' (did you mean 'view'?)"),
    "view": ('[stretch.figure]\nview = "top"  <<\n[stretch.figure.hold]\n',
             "figure: 'view' must be \"side\" or \"front\", got \"top\""),
    "frame": ('[stretch.figure]\nframe = "half"  <<\n[stretch.figure.hold]\n',
              "figure: 'frame' must be \"full\" or \"bust\" (head and shoulders), got \"half\""),
    "props not a list": ('[stretch.figure]\nprops = "floor"  <<\n[stretch.figure.hold]\n',
                         "figure: 'props' must be a list of props in quotes, like [\"floor\", \"wall\"]"),
    "unknown prop": ('[stretch.figure]\nprops = ["floor", "door"]  <<\n[stretch.figure.hold]\n',
                     "figure: no prop is called 'door' (did you mean 'doorway'?); "
                     "there are: floor, chair, wall, doorway, desk"),
    "prop twice": ('[stretch.figure]\nprops = ["wall", "floor", "wall"]  <<\n[stretch.figure.hold]\n',
                   "figure: 'props' names 'wall' twice"),
    "start not a table": ('[stretch.figure]\nstart = 0  <<\n[stretch.figure.hold]\n',
                          "figure: 'start' must be a table of angles, written as [stretch.figure.start], "
                          "got the whole number 0"),
    "hold not a table": ('[stretch.figure]\nhold = "arms up"  <<\n',
                         "figure: 'hold' must be a table of angles, written as [stretch.figure.hold], got text"),
    "angle of the other view": ('[stretch.figure]\n[stretch.figure.hold]\n  turn = 30  <<\n',
                                "figure hold: 'turn' is not an angle of the side view (only the front view has it); "
                                "it has: trunk, spine, neck, head, shoulder, elbow, wrist, hip, knee, ankle"),
    "misspelt angle": ('[stretch.figure]\nview = "front"\n[stretch.figure.start]\nsholder = 30  <<\n'
                       '[stretch.figure.hold]\n',
                       "figure start: 'sholder' is not an angle of the front view (did you mean 'shoulder'?); "
                       "it has: trunk, spine, neck, head, turn, shrug, shoulder, elbow, hip, knee"),
    "angle not a number": ('[stretch.figure]\n[stretch.figure.hold]\ntrunk = "forward"  <<\n',
                           "figure hold: 'trunk' must be a number of degrees, got text"),
    "limb not a number": ('[stretch.figure]\n[stretch.figure.hold]\nknee = true  <<\n',
                          "figure hold: 'knee' must be a number of degrees or a pair [working side, other side], "
                          "got true/false"),
    "pair of three": ('[stretch.figure]\n[stretch.figure.hold]\nhip = [30, 0, 10]  <<\n',
                      "figure hold: 'hip' must be a number of degrees or a pair [working side, other side], "
                      "got a list of 3"),
    "out of range": ('[stretch.figure]\n[stretch.figure.hold]\nknee = 200  <<\n',
                     "figure hold: 'knee' must be from -10 to 180 degrees, got 200"),
    "pair out of range": ('[stretch.figure]\n[stretch.figure.hold]\nknee = [90, -45]  <<\n',
                          "figure hold: 'knee' must be from -10 to 180 degrees, got -45"),
    "pair on the trunk": ('[stretch.figure]\n[stretch.figure.hold]\ntrunk = [10, 20]  <<\n',
                          "figure hold: 'trunk' takes one number, not a pair; a pair [working side, other side] "
                          "is for shoulder, elbow, wrist, hip, knee, ankle"),
    "holds for a stretch without phases": ('[stretch.figure]\n[[stretch.figure.hold]]  <<\ntrunk = 10\n',
                                           "figure: this stretch has no phases, so its figure takes one hold pose, "
                                           "written as [stretch.figure.hold] (single brackets)"),
    "like no built-in": ('[stretch.figure]\nlike = "chin-tuk"  <<\n',
                         "figure: no built-in figure is called 'chin-tuk' (did you mean 'chin-tuck'?)"),
    "like not a name": ('[stretch.figure]\nlike = 3  <<\n',
                        "figure: 'like' must be text in quotes, got the whole number 3"),
    "no hold": ('[stretch.figure]  <<\nview = "front"\n[stretch.figure.start]\nshrug = 20\n',
                "figure: a figure needs a hold pose: add a [stretch.figure.hold] table of angles"),
}


def located(text: str) -> tuple[str, int, int]:
    """The file without its << mark, and the line and column of the key the mark is on."""
    lines = text.split("\n")
    n = next(i for i, line in enumerate(lines) if line.endswith("  <<"))
    lines[n] = lines[n][:-4]
    return "\n".join(lines), n + 1, len(lines[n]) - len(lines[n].lstrip()) + 1


@pytest.mark.parametrize("case", list(BAD))
def test_each_mistake_in_a_figure_is_one_problem_at_its_key(tmp_path, case):
    figure, message = BAD[case]
    text, line, col = located(HEAD + figure)
    routine, problems = parse(tmp_path, text)
    assert routine is None
    assert [(p.line, p.col, p.message) for p in problems] == [
        (line, col, f"stretch 1 (Doorway chest stretch), {message}")]


PHASED = '''
[[stretch]]
name = "Cat-camel"
how = "Round, then sag."
hold = 5
phases = ["cat", "camel"]

[stretch.figure]
'''


def test_a_stretch_in_phases_takes_one_hold_pose_per_phase(tmp_path):
    text, line, col = located(HEAD + WHOLE + PHASED + "[[stretch.figure.hold]]\n[[stretch.figure.hold]]\n"
                              "[[stretch.figure.hold]]  <<\n")
    _, problems = parse(tmp_path, text)
    assert [(p.line, p.col, p.message) for p in problems] == [
        (line, col, "stretch 2 (Cat-camel), figure: give one hold pose per phase: 2 phases, 3 poses")]


def test_an_angle_in_a_later_phase_of_a_later_stretch_is_placed_in_that_phase(tmp_path):
    # the holds of the second stretch count from its own first [[stretch.figure.hold]]
    text, line, col = located(HEAD + WHOLE + PHASED.replace("Cat-camel", "Cat") + "[[stretch.figure.hold]]\n"
                              "[[stretch.figure.hold]]\n" + PHASED + "[[stretch.figure.hold]]\nspine = 20\n"
                              "[[stretch.figure.hold]]\nspine = -120  <<\n")
    _, problems = parse(tmp_path, text)
    assert [(p.line, p.col, p.message) for p in problems] == [
        (line, col, "stretch 3 (Cat-camel), figure hold 2 (camel): 'spine' must be from -90 to 90 degrees, got -120")]


def test_one_hold_pose_serves_every_phase(tmp_path):
    routine, problems = parse(tmp_path, HEAD + WHOLE + PHASED + "[stretch.figure.hold]\nspine = 20\n")
    assert problems == []
    figure = routine.stretches[1].figure
    assert figure.hold(0) == figure.hold(1) == {"spine": 20}


def test_a_routine_with_a_bad_figure_is_skipped_and_the_others_load(tmp_path):
    user = tmp_path / "routines"
    write(user / "good.toml", DOORWAY)
    bad, line, _ = located(DOORWAY.replace("hip = [30, -8]", "hip = [30, -100]  <<"))
    write(user / "bad.toml", bad)
    routines, problems = load_routines(package_data("routines"), user)
    assert "good" in routines and "bad" not in routines and "neck" in routines
    assert [(p.path.name, p.line) for p in problems] == [("bad.toml", line)]


README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_gives_every_angle_with_its_range_and_an_example_that_reads(tmp_path):
    text = README.read_text(encoding="utf-8")
    section = text[text.index("#### A figure for a stretch"):text.index("### Config")]
    rows = {m[1]: (m[2], m[3]) for m in re.finditer(r"^\| `(\w+)`[^|]*\|([^|]*)\|([^|]*)\|$", section, re.M)}
    for view, column in (("side", 0), ("front", 1)):
        for key in rows:
            cell = rows[key][column].strip()
            if key in ANGLES[view]:
                lo, hi, meaning = ANGLES[view][key]
                assert cell == f"{fmt(lo)} to {fmt(hi)}: {meaning}", (view, key)
            else:
                assert cell == "—", (view, key)
    assert set(rows) == {*ANGLES["side"], *ANGLES["front"]}
    assert {k for k in rows if "*pair*" in section.split(f"`{k}`")[1].split("|")[0]} == set(LIMBS)
    example = section[section.index("```toml\n") + 8:section.index("```\n", section.index("```toml"))]
    routine, problems = parse(tmp_path, HEAD + example)
    assert problems == [] and routine.stretches[0].figure.props == ("floor", "doorway")
