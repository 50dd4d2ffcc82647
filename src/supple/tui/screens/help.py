"""Help: the keys, the safety rules, where the files are, how to write a routine."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown, Static

from supple.core.safety import SAFETY_RULES
from supple.tui.plain import plain

ROUTINE_EXAMPLE = '''```toml
name = "My neck break"
region = "neck"
summary = "Two quick ones between meetings."
prepare = 5        # seconds to get into position
rest = 3           # seconds between holds

[[stretch]]
name = "Lateral flexion"
how = "Sit tall and let one ear drift toward that shoulder."
hold = 25          # seconds, 1 to 600
reps = 2           # holds per side
sides = "both"     # left, then right
tips = ["Shoulders stay down"]
```'''


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark,f1", "dismiss", "Close")]
    CSS_PATH = "help.tcss"

    def __init__(self, keys: list[tuple[str, str]], dirs) -> None:
        super().__init__()
        self.keys = keys
        self.dirs = dirs

    def compose(self) -> ComposeResult:
        keys = "\n".join(f"- **{k}**: {what}" for k, what in self.keys if k != "?")
        keys += "\n- **?**: this help"
        safety = "\n".join(f"- {rule}" for rule in SAFETY_RULES)
        intro = f"""# Help

## Keys on this screen

- **↑ ↓**: move in a list · **Enter**: choose · the mouse works too
{keys}
- **ctrl+p**: command palette

## Stretch safely

{safety}

## Your files
"""
        # the folders come from the environment and the command line: shown as typed, not as Markdown
        d = self.dirs
        folders = [("history (data)", d.data), ("config", d.config), ("your routines", d.user_routines),
                   ("your themes", d.user_themes), ("cache (safe to delete)", d.cache)]
        files = "\n".join(f"{what}\n  {where}" for what, where in folders)
        outro = f"""## Write your own routine

Put a file in your routines folder (above), for example `my-neck.toml`
(its id is the file name). A routine with the id of a built-in one replaces it.
Run `supple check` to see any mistake with its line and column.

{ROUTINE_EXAMPLE}

Press **Escape** to close.
"""
        with VerticalScroll(id="help-body"):
            yield Markdown(intro)
            yield Static(plain(files), id="folders", markup=False)
            yield Markdown(outro)
