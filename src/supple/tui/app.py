"""The App only wires things together; the screens own their flow."""

from __future__ import annotations

import gc
import os
import time
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING, Callable, Iterable

import textual.design
from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.content import Content
from textual.notifications import SeverityLevel
from textual.widgets import Header

from supple.context import Context
from supple.core.model import Routine, Session
from supple.core.safety import SAFETY_TITLE, safety_text
from supple.core.text import printable
from supple.store.config import remember
from supple.store.parsecache import ParseCache
from supple.store.paths import package_data
from supple.tui.commands import RoutineCommands, ThemeCommands
from supple.tui.screens.picker import PickerScreen
from supple.tui.themes import load_theme_files

if TYPE_CHECKING:
    from supple.core.breaks import BreakPlanner
    from supple.core.clock import Clock
    from supple.store.history import HistoryStore
    from supple.tui.break_watch import BreakWatch

# The break watch and every screen but the picker are imported where first used:
# not before the first frame (≤ 1.10x a bare app).
NARROW_TITLE = 60  # columns below which the header drops the screen's own words
KEY_NAMES = {"question_mark": "?", "escape": "Esc", "space": "Space", "right": "→", "left": "←",
             "backspace": "Backspace", "plus": "+", "equals_sign": "=", "enter": "Enter", "up": "↑", "down": "↓"}


def local_now() -> datetime:
    return datetime.now().astimezone()


class SuppleApp(App):
    TITLE = "supple"
    COMMANDS = App.COMMANDS | {RoutineCommands}
    # the picker is the default screen, and Textual loads a screen's CSS_PATH only when it is pushed
    CSS_PATH = ["app.tcss", "screens/picker.tcss"]
    BINDINGS = [Binding("question_mark,f1", "help", "Help", show=False)]

    def __init__(self, ctx: Context, routine: Routine | None = None, clock: Clock = time.monotonic,
                 now: Callable[[], datetime] = local_now, theme: str | None = None,
                 reduced_motion: bool = False) -> None:
        self._designs: dict[str, dict[str, str]] | None = None  # theme name -> its design variables
        super().__init__()
        self.ctx = ctx
        self.asked_theme = theme
        self.first_routine = routine
        self.clock = clock
        self.now = now
        self._break_watch: BreakWatch | None = None  # once history has told when the person last stretched
        self.last_played: Routine | None = None  # the picker shows it again when it comes back
        self._held_notices: list[tuple] = []
        self._shown_notices: list[tuple[float, tuple]] = []  # (until, what) on screen now
        self.theme_problems = self._load_themes()
        self.reduced_motion = reduced_motion or ctx.config.reduced_motion
        if self.reduced_motion:
            self.animation_level = "none"  # Textual's own animations; the figures read reduced_motion

    @cached_property
    def store(self) -> HistoryStore:
        """The history store, made when first needed: the picker does not read history."""
        return self.ctx.store()

    # -- themes -------------------------------------------------------------------
    def _load_themes(self) -> list:
        # Theme checks use Textual's colour parser and design variables: a
        # reinstalled Textual starts the cache afresh.
        cache = ParseCache(self.ctx.dirs.cache / "themes.pickle", extra=os.stat(textual.design.__file__).st_mtime_ns)
        files, problems = load_theme_files(package_data("themes"), self.ctx.dirs.user_themes, cache)
        cache.save()
        self._designs = {f.name: f.design for f in files if f.design is not None}
        for f in files:
            self.register_theme(f.to_textual())
        for name in (self.asked_theme, self.ctx.config.theme, "supple-dusk", "textual-dark"):
            if name in self.available_themes:
                self.theme = name
                break
        self._remembered_theme = self.theme
        # nothing is parsed yet: the style sheet starts with the chosen theme's variables
        self.stylesheet.set_variables(self.get_css_variables())
        return problems

    def get_css_variables(self) -> dict[str, str]:
        if self._designs is None:
            # Textual asks while the app is made, for its default theme, which costs the
            # first frame (≤ 1.10x a bare app) 2 ms; the style sheet is given the
            # chosen theme's variables once the themes are loaded (_load_themes)
            return {}
        design = self._designs.get(self.theme)
        if design is None:  # one of Textual's own themes
            return super().get_css_variables()
        # the design variables kept with the theme file, combined as Textual combines them
        self.theme_variables = {**self.get_theme_variable_defaults(), **design}
        return self.theme_variables

    def _remember_theme(self, theme) -> None:
        if theme.name == self._remembered_theme or self.ctx.config.path is None:
            return
        problem = remember(self.ctx.config.path, "theme", theme.name)
        if problem:
            self.notify(f"Theme not remembered: {problem}", severity="warning")
        else:
            self._remembered_theme = theme.name

    # -- starting -----------------------------------------------------------------
    def get_default_screen(self) -> PickerScreen:
        # The picker is the first screen itself (not pushed over an empty
        # one), so the first frame is drawn once.
        return PickerScreen(self.ctx.routines)

    def on_mount(self) -> None:
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        if self.first_routine is not None:
            self.start_routine(self.first_routine)
        self._report_problems()
        self.call_after_refresh(self._after_first_frame)

    def _after_first_frame(self) -> None:
        """What can wait until the person sees the screen: the store, notes, breaks."""
        if not gc.isenabled():  # `supple` turned collection off while starting
            gc.enable()
            gc.freeze()  # what start-up made lives as long as the app: never scan it again
        reason = self.store.save_blocker()  # checked without writing
        if reason:
            self.notify(f"{reason}. Routines still play, but sessions cannot be saved.",
                        title="Sessions cannot be saved", severity="warning", timeout=30)
        self._first_run_safety()
        if self.ctx.break_settings().on:
            self._start_breaks()

    def _report_problems(self) -> None:
        for name in (self.asked_theme, self.ctx.config.theme):
            if name and name not in self.available_themes:
                self.notify(f"No theme named '{name}'; using {self.theme}. `supple themes` lists them.",
                            severity="warning")
                break
        by_file: dict[str, list] = {}
        for p in self.ctx.problems + self.theme_problems:
            by_file.setdefault(str(p.path), []).append(p)
        if not by_file:
            return
        lines = []
        for path, probs in list(by_file.items())[:3]:
            first = probs[0]
            more = f" (+{len(probs) - 1} more)" if len(probs) > 1 else ""
            lines.append(f"{path}:{first.line}:{first.col}: {first.message}{more}")
        if len(by_file) > 3:
            lines.append(f"…and {len(by_file) - 3} more files")
        lines.append("Run `supple check` for the full list.")
        n = len(by_file)
        self.notify("\n".join(lines), title=f"Skipped {n} file{'s' if n != 1 else ''} with problems",
                    severity="warning", timeout=15)

    def _first_run_safety(self) -> None:
        marker = self.ctx.dirs.data / ".safety-shown"
        if marker.exists():
            return
        if self.playing:  # straight into a routine: the rules first, the countdown paused behind them
            from supple.tui.screens.safety import SafetyScreen  # a first run only

            self.push_screen(SafetyScreen())
        else:
            self.notify(safety_text() + "\nPress ? for help at any time.", title=SAFETY_TITLE, timeout=30)
        try:
            marker.parent.mkdir(parents=True, exist_ok=True)
            marker.touch()
        except OSError:
            pass

    # -- stretch breaks -------------------------------------------------------------
    @work(thread=True, exclusive=True, group="breaks")
    def _start_breaks(self) -> None:
        """Find when the person last stretched (off the UI thread), then start watching."""
        from supple.tui.break_watch import BreakWatch

        self.call_from_thread(self._watch_breaks, BreakWatch.find(self))

    def _watch_breaks(self, watch: BreakWatch) -> None:
        self._break_watch = watch
        watch.check()  # and it sets its own timer for the next look

    @property
    def breaks(self) -> BreakPlanner | None:
        """When the next break is due, once the history has said when the person last stretched."""
        return self._break_watch.planner if self._break_watch is not None else None

    def check_break(self) -> None:
        if self._break_watch is not None:
            self._break_watch.check()

    def note_session(self, session: Session) -> None:
        if self._break_watch is not None:
            self._break_watch.note_session(session)

    @property
    def playing(self) -> bool:  # perhaps under a dialog
        from supple.tui.screens.player import PlayerScreen

        return any(isinstance(s, PlayerScreen) for s in self.screen_stack)

    # -- actions every screen can reach ---------------------------------------------
    def start_routine(self, routine: Routine) -> None:
        from supple.tui.screens.player import PlayerScreen

        self.last_played = routine
        # the notices still on screen wait for the end as well: nothing covers the player
        self._held_notices += [what for until, what in self._shown_notices if until > self.clock()]
        self._shown_notices = []
        self.clear_notifications()
        self.push_screen(PlayerScreen(routine, self.clock, self.now, self.store, bell=self.ctx.config.bell))

    def action_history(self) -> None:
        from supple.tui.screens.history import HistoryScreen

        self.push_screen(HistoryScreen(self.store, self.ctx.break_log(), self.ctx.config.daily_goal, self.now,
                                       self.ctx.routines.regions()))

    def action_help(self) -> None:
        # Textual's Markdown alone takes 25 ms to import
        from supple.tui.screens.help import HelpScreen

        keys, seen = [], set()
        for binding in self.screen.BINDINGS:  # each key and action as its first binding names it
            if isinstance(binding, Binding) and binding.action not in seen and binding.key not in seen:
                seen |= {binding.action, binding.key}
                if binding.description:
                    names = (KEY_NAMES.get(k.strip(), k.strip()) for k in binding.key.split(","))
                    keys.append((" / ".join(names), binding.description))
        self.push_screen(HelpScreen(keys, self.ctx.dirs))

    def get_system_commands(self, screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("History", "Streaks, the calendar and neglected regions", self.action_history)
        yield SystemCommand("Help", "Keys, safety, where your files are", self.action_help)
        if self._break_watch is not None:
            yield SystemCommand("Take a break now", "Start the break routine (noted as a break taken)",
                                self.action_take_break)
            minutes = int(self._break_watch.planner.settings.snooze.total_seconds() // 60)
            yield SystemCommand("Snooze break", f"No break nudge for {minutes} minutes", self.action_snooze_break)

    def action_take_break(self) -> None:
        watch = self._break_watch
        if watch is None:
            return
        if self.playing:
            super().notify("A routine is playing: that is your break.", timeout=4, markup=False)
            return
        routine = watch.break_routine()
        if routine is None:
            self.notify("No routine to offer: see break_routine in config.toml.", severity="warning")
            return
        watch.answered(routine, "taken")

    def action_snooze_break(self) -> None:
        watch = self._break_watch
        if watch is not None:
            watch.answered(None, "snoozed")
            due = watch.planner.due_at(self.now())
            self.notify(f"Break snoozed: the next nudge comes at {due:%H:%M}." if due else "Break snoozed.",
                        timeout=4)

    def search_themes(self) -> None:
        """The palette's "Theme" command, with the theme names as written (Textual's reads them as markup)."""
        self.push_screen(CommandPalette(providers=[ThemeCommands], placeholder="Search for themes…"))

    def format_title(self, title: str, sub_title: str) -> Content:
        """The header's line; a narrow terminal keeps what matters most: when the next break is."""
        width = self.size.width
        if width >= NARROW_TITLE:
            return super().format_title(title, sub_title)
        # the header keeps about eight columns each side for its icon and clock
        return Content(title if width >= len(title) + 16 else title.removeprefix(f"{self.TITLE} · "))

    def on_resize(self) -> None:
        self.call_after_refresh(self._fit_header)  # once the new size is everyone's

    def _fit_header(self) -> None:
        for header in self.screen.query(Header):
            for line in header.query("HeaderTitle"):
                line.update(header.format_title())

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = False) -> None:
        """Every notification is plain text: supple's messages quote paths and names from files.
        While a routine plays, notices wait for its end: nothing covers the countdown."""
        if self.playing:
            self._held_notices.append((message, title, severity, timeout))
            return
        until = self.clock() + (self.NOTIFICATION_TIMEOUT if timeout is None else timeout)
        self._shown_notices = [n for n in self._shown_notices if n[0] > self.clock()]
        self._shown_notices.append((until, (message, title, severity, timeout)))
        super().notify(printable(message), title=printable(title), severity=severity, timeout=timeout, markup=False)

    def release_notices(self) -> None:
        """The notices held while a routine played (the summary shows them)."""
        held, self._held_notices = self._held_notices, []
        for message, title, severity, timeout in held:
            self.notify(message, title=title, severity=severity, timeout=timeout)


make_app = SuppleApp
