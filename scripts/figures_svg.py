"""Write docs/figures.svg: every built-in stretch's figure, start and hold side by side.

Run from the repository root: `python scripts/figures_svg.py`. The stretches come in the order of
the built-in routines (routines/*.toml), each the first time a routine uses it; a two-sided
stretch also shows its hold on the right side. Colours follow the drawing's layers.
The output depends only on the routines and the figures, so it changes only when they do.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from rich.console import Console  # noqa: E402
from rich.terminal_theme import TerminalTheme  # noqa: E402
from rich.text import Text  # noqa: E402

from supple.core.drawing import FAR, HEAD, NEAR, PROP, Picture, Sketch  # noqa: E402
from supple.core.model import Stretch  # noqa: E402
from supple.store.routine_files import load_routines  # noqa: E402

OUT = ROOT / "docs" / "figures.svg"
COLOURS = {PROP: "#6b7280", FAR: "#4d7f99", NEAR: "#8ee8ff", HEAD: "#ffd166"}
THEME = TerminalTheme((22, 24, 29), (220, 223, 228), [(22, 24, 29)] * 8, [(120, 120, 120)] * 8)
GAP = "   "
WIDTH = 3 * 32 + 2 * len(GAP) + 2


def size(sketch: Sketch) -> tuple[int, int]:
    """The player's larger size for this figure: wide and low for one lying down."""
    return (32, 8) if sketch.shape() > 1.6 else (24, 12)


def columns(stretch: Stretch) -> list[tuple[str, Picture]]:
    fig = stretch.figure
    assert fig is not None
    left = Sketch(fig)
    cols, rows = size(left)
    out = [("start", left.draw(cols, rows, start=True))]
    names = stretch.phases or ("hold",)
    for i, name in enumerate(names):
        out.append((name, left.draw(cols, rows, phase=i)))
    if stretch.both_sides:
        out[-1] = (f"{out[-1][0]} (left)", out[-1][1])
        out.append(("hold (right)", Sketch(fig, mirror=True).draw(cols, rows, phase=len(names) - 1)))
    return out


def block(stretch: Stretch) -> Text:
    pics = columns(stretch)
    cols = len(pics[0][1].rows[0])
    text = Text()
    text.append(f"{stretch.name}  ", style="bold #e6e6e6")
    text.append(f"figure = \"{stretch.figure.name}\"\n", style="#8b93a1")
    text.append(GAP.join(label[:cols].ljust(cols) for label, _ in pics) + "\n", style="italic #aab2bf")
    for r in range(len(pics[0][1].rows)):
        for k, (_, pic) in enumerate(pics):
            if k:
                text.append(GAP)
            for c, ch in enumerate(pic.rows[r]):
                layer = pic.layers[r * cols + c]
                text.append(ch, style=COLOURS.get(layer, ""))
        text.append("\n")
    return text


def stretches_in_order() -> list[tuple[str, list[Stretch]]]:
    routines, problems = load_routines(ROOT / "routines", None)
    if problems:
        raise SystemExit("\n".join(str(p) for p in problems))
    seen: set[str] = set()
    groups = []
    for rid in sorted(routines):
        fresh = [s for s in routines[rid].stretches if s.name not in seen and s.figure is not None]
        seen.update(s.name for s in fresh)
        if fresh:
            groups.append((routines[rid].name, fresh))
    return groups


def main() -> None:
    console = Console(record=True, width=WIDTH, file=io.StringIO(), color_system="truecolor")
    console.print(Text("supple: the built-in stretch figures (left side; the player mirrors a "
                       "two-sided stretch for the right)", style="bold #e6e6e6"))
    for routine, stretches in stretches_in_order():
        console.print(Text(f"\n── {routine} ", style="bold #ffd166") + Text("─" * (WIDTH - len(routine) - 5),
                                                                          style="#444a55"))
        for stretch in stretches:
            console.print(block(stretch))
    OUT.parent.mkdir(exist_ok=True)
    console.save_svg(str(OUT), title="supple figures", theme=THEME, unique_id="supple-figures")
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
