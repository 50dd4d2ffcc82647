"""The home screen: regions on the left, their routines on the right."""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from supple.core import plan
from supple.core.model import Routine
from supple.core.routines import RoutineSet, region_name
from supple.tui.plain import plain
from supple.tui.widgets.figure import FigureView
from supple.tui.widgets.footer import FittedFooter

NO_ROUTINES = "No routines found. Run `supple check` to see why."


def routines_title(region: str | None) -> Content:
    return plain(f"Routines · {region_name(region)}" if region else "Routines")


class PickerScreen(Screen):
    SUB_TITLE = "pick a region"
    BINDINGS = [
        Binding("escape,left,backspace", "back", "Regions", key_display="←"),
        Binding("right", "open", "Routines", show=False),
        Binding("h", "app.history", "History"),
        Binding("question_mark", "app.help", "Help"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self, routines: RoutineSet) -> None:
        super().__init__()
        self.routines = routines
        self.regions = routines.regions()
        self._listed: str | None = None  # the region whose routines are listed
        self._shown: str | None = None  # the routine in the detail pane
        self._opened: str | None = None  # the region chosen with Enter, while its routines get the focus
        self._came_back_from = None  # the routine played last when this screen was shown again

    def compose(self) -> ComposeResult:
        # Everything the first frame shows is built here, so nothing is laid out again right after
        # mounting; no wrapping container, border titles and Content, not markup: fewer widgets
        # and no markup parsing make a faster first frame (and a routine named "[b]" shows as written).
        first = self.regions[0] if self.regions else None
        routines = self.routines.in_region(first) if first else []
        yield Header()
        regions = OptionList(*[self._region_option(r) for r in self.regions], id="regions")
        regions.border_title = "Where do you feel it?"
        regions.highlighted = 0 if first else None
        yield regions
        with Vertical(id="routines-pane"):
            listing = OptionList(*[self._routine_option(r) for r in routines], id="routines")
            listing.border_title = routines_title(first)
            self._listed = first
            listing.highlighted = 0 if routines else None
            yield listing
            with Horizontal(id="detail-row"):
                with VerticalScroll(id="detail"):
                    detail = self._routine_text(routines[0]) if routines else NO_ROUTINES
                    yield Static(detail, id="detail-text", markup=False)
                preview = FigureView(min_words=40, id="preview")  # room for "6. Levator scapula · 2×25s each side"
                preview.show(self._first_figure(routines[0]) if routines else None)
                yield preview
        self._shown = routines[0].id if routines else None
        yield FittedFooter()

    def _region_option(self, region: str) -> Option:
        rs = self.routines.in_region(region)
        minutes = sum(plan.minutes(r) for r in rs)
        count = f"{len(rs)} routine{'s' if len(rs) != 1 else ''} · {minutes} min"
        return Option(Content.assemble(plain(region_name(region), "bold"), "\n", (count, "dim")), id=region)

    def on_mount(self) -> None:
        # not AUTO_FOCUS: Textual skips that while the app lacks focus (a browser page not yet clicked)
        self.query_one("#regions", OptionList).focus()

    # -- regions --------------------------------------------------------------
    @on(OptionList.OptionHighlighted, "#regions")
    def _region_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._show_region(event.option.id)

    @on(OptionList.OptionSelected, "#regions")
    def _region_chosen(self, event: OptionList.OptionSelected) -> None:
        routines = self.query_one("#routines", OptionList)
        if self._opened == event.option.id:
            # a second Enter typed before the first one moved the focus: it was meant for the routine
            routines.action_select()
            return
        self._opened = event.option.id  # until the regions have the focus again
        self._show_region(event.option.id)
        routines.focus()
        if routines.highlighted is None and routines.option_count:
            routines.highlighted = 0

    def _show_region(self, region: str | None) -> None:
        if region is None or region == self._listed:
            return
        self._listed = region
        listing = self.query_one("#routines", OptionList)
        listing.clear_options()
        listing.add_options(self._routine_option(r) for r in self.routines.in_region(region))
        listing.border_title = routines_title(region)
        if listing.option_count:
            listing.highlighted = 0
            self._show_routine(self.routines.routines[listing.get_option_at_index(0).id])

    def _routine_option(self, r: Routine) -> Option:
        n = len(r.stretches)
        about = f"{plan.minutes(r)} min · {n} stretch{'es' if n != 1 else ''}"
        return Option(Content.assemble(plain(r.name, "bold"), "\n", (about, "dim")), id=r.id)

    # -- routines -------------------------------------------------------------
    @on(OptionList.OptionHighlighted, "#routines")
    def _routine_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._show_routine(self.routines.routines[event.option.id])

    @on(OptionList.OptionSelected, "#routines")
    def _routine_chosen(self, event: OptionList.OptionSelected) -> None:
        self.app.start_routine(self.routines.routines[event.option.id])

    def _show_routine(self, r: Routine) -> None:
        # The list tells of its first highlight as it mounts: that one is
        # already shown, and drawing it again would lay the screen out twice.
        if r.id == self._shown:
            return
        self._shown = r.id
        self.query_one("#detail-text", Static).update(self._routine_text(r))
        self.query_one("#preview", FigureView).show(self._first_figure(r))

    @staticmethod
    def _first_figure(r: Routine):
        """The preview: the first stretch's figure, in its hold."""
        return r.stretches[0].figure if r.stretches else None

    @staticmethod
    def _routine_text(r: Routine) -> Content:
        parts: list = []
        if r.summary:
            parts += [plain(r.summary, "italic"), "\n\n"]
        for i, s in enumerate(r.stretches, 1):
            dose = (f"{s.reps}×" if s.reps > 1 else "") + f"{s.hold:g}s"
            if s.phases:
                dose += " each way"
            if s.both_sides:
                dose += " each side"
            parts += [plain(f"{i}. {s.name} "), (f"· {dose}", "dim"), "\n"]
        parts += ["\n", (f"About {plan.minutes(r)} min · Enter to start", "dim")]
        return Content.assemble(*parts)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("back", "open"):
            in_routines = self.focused is self.query_one("#routines")
            return in_routines if action == "back" else not in_routines
        return True

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if event.widget.id == "regions":
            self._opened = None
        self.refresh_bindings()  # "← Regions" shows while the routines have the focus

    def _reload(self) -> None:
        ctx = self.app.ctx
        if not ctx.reload_routines():
            return
        regions = self.query_one("#regions", OptionList)
        at = regions.get_option_at_index(regions.highlighted).id if regions.highlighted is not None else None
        self.routines, self.regions = ctx.routines, ctx.routines.regions()
        regions.clear_options()
        regions.add_options(self._region_option(r) for r in self.regions)
        self._listed = self._shown = None
        if self.regions:
            regions.highlighted = self.regions.index(at) if at in self.regions else 0
            self._show_region(self.regions[regions.highlighted])
        if ctx.routine_problems:
            self.app.notify("\n".join(p.format() for p in ctx.routine_problems[:3]),
                            title="Routine files with problems (skipped)", severity="warning", timeout=10)

    def action_back(self) -> None:
        self.query_one("#regions", OptionList).focus()

    def action_open(self) -> None:
        regions = self.query_one("#regions", OptionList)
        if regions.highlighted is not None:
            regions.action_select()

    def on_screen_resume(self) -> None:
        """Shown again: routine files added or changed meanwhile are read; back from a routine,
        home is the regions, at the region played."""
        self._reload()
        played = self.app.last_played
        if played is None or played is self._came_back_from:
            return  # back from help or a dialog: the focus stays where it was
        self._came_back_from = played
        regions = self.query_one("#regions", OptionList)
        if played.region in self.regions:
            regions.highlighted = self.regions.index(played.region)
            self._show_region(played.region)
            listing = self.query_one("#routines", OptionList)
            ids = [listing.get_option_at_index(i).id for i in range(listing.option_count)]
            if played.id in ids:
                listing.highlighted = ids.index(played.id)
        regions.focus()
