"""Routine files: the built-ins, and every mistake a person can make in one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import write

from supple.core.plan import minutes
from supple.core.routines import REGIONS, RoutineSet
from supple.store.paths import package_data
from supple.store.routine_files import load_routines, parse_routine

CATALOGUE = Path(__file__).resolve().parents[3] / "shared" / "stretches.md"
CATALOGUE_NAMES = [
    "Neck flexion", "Neck extension", "Lateral flexion", "Rotation", "Levator scapula", "Chin tuck",
    "Shoulder shrugs", "Overhead reach", "Side bend", "Knees to chest", "Single knee to chest",
    "Lying trunk rotation", "Knee-hug rock", "Child's pose", "Cat-camel", "Legs up the wall",
    "Standing hamstring stretch", "Seated hamstring stretch", "Hip flexor", "Standing hip stretch",
    "Piriformis stretch", "Standing posture",
]


@pytest.fixture(scope="module")
def builtins() -> RoutineSet:
    routines, problems = load_routines(package_data("routines"), None)
    assert problems == []
    return RoutineSet(routines)


def test_builtin_routines_load_without_problems(builtins):
    assert len(builtins.routines) >= 7


def test_every_region_has_a_routine_and_there_is_a_desk_break_and_a_long_mixed_one(builtins):
    for region in REGIONS:
        assert builtins.in_region(region), f"no routine for {region}"
    desk = builtins.routines["desk-break"]
    assert 4 <= minutes(desk) <= 6
    long_ones = [r for r in builtins.routines.values() if minutes(r) >= 10]
    assert long_ones, "no longer morning/evening routine"
    # a mixed routine draws stretches from more than one region's routine
    by_name = {s.name: r.region for r in builtins.routines.values() if minutes(r) < 10 for s in r.stretches}
    assert any(len({by_name.get(s.name) for s in r.stretches} - {None}) >= 2 for r in long_ones)


def test_every_catalogue_stretch_appears(builtins):
    names = {s.name.lower() for r in builtins.routines.values() for s in r.stretches}
    for wanted in CATALOGUE_NAMES:
        assert any(n.startswith(wanted.lower()) for n in names), f"{wanted} is in no routine"


def test_instructions_are_short_enough_to_read_while_getting_ready(builtins):
    for r in builtins.routines.values():
        for s in r.stretches:
            assert len(s.how) <= 240, f"{r.id}: {s.name} instructions are too long"
            assert s.how.strip()


def test_no_instruction_copies_the_catalogue_wording(builtins):
    if not CATALOGUE.exists():
        pytest.skip("shared/stretches.md not beside the repository")
    words = lambda text: re.findall(r"[a-z']+", text.lower())  # noqa: E731
    cat = words(CATALOGUE.read_text())
    runs = {tuple(cat[i : i + 5]) for i in range(len(cat) - 4)}
    for r in builtins.routines.values():
        for s in r.stretches:
            for text in (s.how, *s.tips):
                w = words(text)
                copied = [" ".join(w[i : i + 5]) for i in range(len(w) - 4) if tuple(w[i : i + 5]) in runs]
                assert not copied, f"{r.id}/{s.name} follows the catalogue's wording: {copied[0]!r}"


BAD = '''name = "Bad"
region = "neck"

[[stretch]]
name = "Tilt"
how = "Tip your head."
hold = 0

[[stretch]]
name = "Turn"
how = "Turn your head."
hodl = 20
hold = 20

[[stretch]]
name = "Tuck"
how = 5
hold = 10
reps = 2.5
'''


def test_semantic_errors_name_the_line_and_column_of_the_key(tmp_path):
    path = write(tmp_path / "bad.toml", BAD)
    routine, problems = parse_routine(path)
    assert routine is None
    got = {(p.line, p.col): p.message for p in problems}
    assert "'hold' must be from 1 to 600" in got[(7, 1)] and "stretch 1 (Tilt)" in got[(7, 1)]
    assert "unknown key 'hodl'" in got[(12, 1)] and "did you mean 'hold'" in got[(12, 1)]
    assert "'how' must be text" in got[(17, 1)]
    assert "'reps' must be a whole number" in got[(19, 1)]
    assert all(p.path == path for p in problems)


def test_a_syntax_error_names_its_line_and_column(tmp_path):
    path = write(tmp_path / "broken.toml", 'name = "Neck\nregion = "neck"\n')
    routine, problems = parse_routine(path)
    assert routine is None
    assert [(p.line, p.col) for p in problems] == [(1, 13)]
    assert "closing quote" in problems[0].message


def test_missing_required_keys_and_stretches(tmp_path):
    path = write(tmp_path / "empty.toml", "summary = 'nothing'\n")
    _, problems = parse_routine(path)
    messages = " | ".join(p.message for p in problems)
    assert "missing required key 'name'" in messages
    assert "missing required key 'region'" in messages
    assert "no stretches" in messages


def test_invalid_utf8_is_located(tmp_path):
    path = tmp_path / "latin.toml"
    path.write_bytes(b'name = "Nacken"\nsummary = "f\xfcr dich"\n')
    _, problems = parse_routine(path)
    assert [(p.line, p.col) for p in problems] == [(2, 13)]


def test_user_routine_replaces_builtin_and_broken_one_is_skipped(tmp_path):
    user = tmp_path / "routines"
    write(user / "neck.toml", 'name = "My neck"\nregion = "neck"\n[[stretch]]\nname = "A"\nhow = "B"\nhold = 5\n')
    write(user / "typo.toml", 'name = "Typo"\nregion = "neck"\n[[stretch]]\nname = "A"\nhow = "B"\nhold = "5"\n')
    routines, problems = load_routines(package_data("routines"), user)
    assert routines["neck"].name == "My neck"
    assert "typo" not in routines
    assert "upper-back" in routines
    assert [(p.path.name, p.line) for p in problems] == [("typo.toml", 6)]


def test_find_by_id_or_region(builtins):
    assert builtins.find("desk-break").id == "desk-break"
    assert builtins.find("hips-legs").region == "hips-legs"
    assert builtins.find("nowhere") is None


# The catalogue's doses (shared/stretches.md): hold range in seconds, reps range, sides.
DOSES = {
    "neck flexion": (20, 30, 1, 5, "none"), "neck extension": (20, 30, 1, 5, "none"),
    "lateral flexion": (20, 30, 1, 5, "both"), "rotation": (20, 30, 1, 5, "both"),
    "levator scapula": (20, 30, 1, 5, "both"), "chin tuck": (5, 5, 5, 5, "none"),
    "shoulder shrugs": (2, 3, 10, 10, "none"), "overhead reach": (3, 5, 8, 12, "none"),
    "side bend": (20, 30, 1, 5, "both"), "knees to chest": (20, 30, 1, 5, "none"),
    "single knee to chest": (30, 30, 5, 10, "both"), "lying trunk rotation": (5, 5, 10, 10, "both"),
    "knee-hug rock": (30, 30, 1, 1, "none"), "child's pose": (10, 10, 5, 5, "none"),
    "cat-camel": (5, 5, 10, 10, "none"), "legs up the wall": (60, 60, 1, 1, "none"),
    "standing hamstring stretch": (20, 30, 1, 5, "none"), "seated hamstring stretch": (10, 10, 5, 5, "both"),
    "hip flexor": (20, 30, 1, 5, "both"), "standing hip stretch": (20, 30, 1, 5, "both"),
    "piriformis stretch": (30, 30, 1, 5, "both"), "standing posture": (15, 15, 1, 1, "none"),
}


def test_every_stretch_is_dosed_inside_the_catalogue(builtins):
    for r in builtins.routines.values():
        for s in r.stretches:
            key = next((k for k in DOSES if s.name.lower().startswith(k)), None)
            assert key is not None, f"{r.id}: {s.name} is not in the catalogue"
            lo, hi, rlo, rhi, sides = DOSES[key]
            assert lo <= s.hold <= hi, f"{r.id}: {s.name} holds {s.hold} s"
            assert rlo <= s.reps <= rhi, f"{r.id}: {s.name} has {s.reps} reps"
            assert s.sides == sides, f"{r.id}: {s.name} sides {s.sides}"


def test_a_break_offers_the_routine_asked_for_else_the_desk_break(builtins):
    assert builtins.for_break("neck", None).id == "neck"
    assert builtins.for_break("neglected", "hips-legs").region == "hips-legs"
    assert builtins.for_break("neglected", None).id == "desk-break"
    assert builtins.for_break("no-such-routine", None).id == "desk-break"
    assert RoutineSet({}).for_break("desk-break", None) is None
