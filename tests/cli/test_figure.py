"""`supple figure`, and the per-stretch `details` of `supple routines --json`."""

from __future__ import annotations

import json

from conftest import write

from supple.cli import main
from supple.context import load_context
from supple.core.poses import FIGURES

MINE = '''name = "Mine"
region = "mine"

[[stretch]]
name = "Tuck \\u001b[31mred"
how = "Glide your head straight back."
hold = 5
figure = "chin-tuck"

[[stretch]]
name = "Plain"
how = "Just breathe."
hold = 5

[[stretch]]
name = "Knee hug"
how = "Hug one knee."
hold = 20
reps = 2
sides = "both"
figure = "single-knee-to-chest"

[[stretch]]
name = "Bend"
how = "Reach over."
hold = 10
phases = ["Reach over", "Come back"]
figure = "side-bend"
'''


def run(dirs, capsys, *args: str) -> tuple[int, str, str]:
    folders = ["--data-dir", str(dirs.data), "--config-dir", str(dirs.config), "--cache-dir", str(dirs.cache)]
    code = main([*args, *folders])
    out = capsys.readouterr()
    return code, out.out, out.err


def braille(text: str) -> bool:
    return any("\u2801" <= c <= "\u28ff" for c in text)


def blocks(text: str) -> dict[str, list[str]]:
    """Each stretch's lines after its heading, by heading."""
    out: dict[str, list[str]] = {}
    for block in text.split("\n\n"):
        heading, *rest = block.splitlines()
        out[heading] = rest
    return out


def columns(lines: list[str], *labels: str) -> list[list[str]]:
    """The pictures under `labels`, cut where each label starts on the first line."""
    head = lines[0]
    starts = [head.index(label) for label in labels]
    assert starts == sorted(starts) and starts[0] == 0, head
    ends = starts[1:] + [None]
    return [[line[a:b].rstrip() for line in lines[1:]] for a, b in zip(starts, ends)]


def test_every_stretch_of_a_builtin_routine_has_its_heading_in_order(dirs, capsys):
    neck = load_context(dirs).routines.find("neck")
    code, out, _ = run(dirs, capsys, "figure", "neck")
    assert code == 0
    found = blocks(out)
    assert list(found) == [f"{i}. {s.name}" for i, s in enumerate(neck.stretches, 1)]
    for s, lines in zip(neck.stretches, found.values()):
        assert (lines == ["(no figure)"]) == (s.figure is None)
        assert braille("\n".join(lines)) == (s.figure is not None)


def test_a_figure_shows_start_and_hold_side_by_side_as_plain_text(dirs, capsys):
    write(dirs.user_routines / "mine.toml", MINE)
    code, out, _ = run(dirs, capsys, "figure", "mine")
    assert code == 0
    found = blocks(out)
    assert list(found) == ["1. Tuck \\x1b[31mred", "2. Plain", "3. Knee hug", "4. Bend"]  # escapes shown, not run
    assert "\x1b" not in out
    assert all(line == line.rstrip() for line in out.splitlines())
    start, hold = columns(found["1. Tuck \\x1b[31mred"], "start", "hold")
    assert braille("".join(start)) and braille("".join(hold))
    assert start != hold  # the head glides back
    assert found["2. Plain"] == ["(no figure)"]
    knee = found["3. Knee hug"]
    assert knee[-1] == "left side shown; the right side is its mirror image"
    assert all("mirror" not in line for name, lines in found.items() if name != "3. Knee hug" for line in lines)
    start, hold = columns(knee[:-1], "start", "hold")
    assert braille("".join(start)) and start != hold
    # a figure lying down is given a wider box than an upright one, so it is not drawn tiny
    tuck = columns(found["1. Tuck \\x1b[31mred"], "start", "hold")[0]
    assert max(map(len, start)) >= max(map(len, tuck)) + 6


def test_a_stretch_in_phases_has_a_column_per_phase(dirs, capsys):
    write(dirs.user_routines / "mine.toml", MINE)
    code, out, _ = run(dirs, capsys, "figure", "mine", "4")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "4. Bend"
    start, over, back = columns(lines[1:], "start", "Reach over", "Come back")
    assert all(braille("".join(pic)) for pic in (start, over, back))
    assert start != over


def test_one_stretch_by_number_or_by_the_start_of_its_name(dirs, capsys):
    write(dirs.user_routines / "mine.toml", MINE)
    for wanted in ("3", "knee", "KNEE HUG", "Kn"):
        code, out, _ = run(dirs, capsys, "figure", "mine", wanted)
        assert code == 0
        assert list(blocks(out)) == ["3. Knee hug"], wanted
    code, out, _ = run(dirs, capsys, "figure", "neck", "1")
    first = load_context(dirs).routines.find("neck").stretches[0].name
    assert list(blocks(out)) == [f"1. {first}"]
    code, out, _ = run(dirs, capsys, "figure", "neck", first[:4].lower())
    assert code == 0 and list(blocks(out)) == [f"1. {first}"]


def test_an_unknown_routine_or_stretch_is_one_line_on_stderr(dirs, capsys):
    write(dirs.user_routines / "mine.toml", MINE)
    for args, says in [(("mine", "twist"), "no stretch called 'twist'"),
                       (("mine", "9"), "stretches 1 to 4, not 9"),
                       (("mine", "0"), "stretches 1 to 4, not 0"),
                       (("nowhere",), "no routine or region named 'nowhere'")]:
        code, out, err = run(dirs, capsys, "figure", *args)
        assert code == 2 and out == ""
        assert len(err.splitlines()) == 1 and says in err, err
    write(dirs.user_routines / "twins.toml", MINE.replace('"Plain"', '"Bent knee"'))
    code, out, err = run(dirs, capsys, "figure", "twins", "b")
    assert code == 2 and "2. Bent knee" in err and "4. Bend" in err and "give its number" in err


def test_list_names_the_builtin_figures(dirs, capsys):
    code, out, _ = run(dirs, capsys, "figure", "--list")
    assert code == 0 and out.splitlines() == list(FIGURES)
    code, out, err = run(dirs, capsys, "figure")
    assert code == 2 and out == "" and "--list" in err


def test_routines_json_gives_each_stretch_and_whether_it_has_a_figure(dirs, capsys):
    write(dirs.user_routines / "mine.toml", MINE)
    code, out, _ = run(dirs, capsys, "routines", "--json")
    assert code == 0
    rows = {r["id"]: r for r in json.loads(out)}
    mine = rows["mine"]
    assert mine["stretches"] == 4
    assert mine["details"] == [
        {"name": "Tuck \x1b[31mred", "hold": 5, "reps": 1, "sides": "none", "figure": True},
        {"name": "Plain", "hold": 5, "reps": 1, "sides": "none", "figure": False},
        {"name": "Knee hug", "hold": 20, "reps": 2, "sides": "both", "figure": True},
        {"name": "Bend", "hold": 10, "reps": 1, "sides": "none", "figure": True},
    ]
    for r in rows.values():
        assert len(r["details"]) == r["stretches"]


def test_a_routine_whose_file_is_broken_says_why_it_is_missing(dirs, capsys):
    broken = write(dirs.user_routines / "mine.toml", MINE.replace('figure = "chin-tuck"', 'figure = "chin-tuk"'))
    code, out, err = run(dirs, capsys, "figure", "mine")
    assert code == 2 and out == ""
    assert f"{broken}:8:1: stretch 1 (Tuck \\x1b[31mred): no built-in figure is called 'chin-tuk'" in err
    assert err.splitlines()[-1].startswith("supple figure: no routine or region named 'mine'")
