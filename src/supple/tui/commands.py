"""Palette entries whose titles come from files, shown as typed: Textual's own providers
read a title as markup; these hand the palette `Content`, so "[@click=app.quit]x[/]" is a name."""

from __future__ import annotations

from functools import partial
from typing import Callable

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher

from supple.core import plan
from supple.core.routines import region_name
from supple.tui.plain import plain

Entry = tuple[str, str, Callable[[], object]]  # title, help, what it does


def highlighted(matcher: Matcher, title: str) -> Content:
    """The title with the letters the query matched marked, as Textual's providers mark them."""
    content = plain(title)
    if content.plain != title:
        return content  # escapes moved the letters
    _score, offsets = matcher.fuzzy_search.match(matcher.query, title)
    for offset in offsets:
        content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class PlainProvider(Provider):
    def entries(self) -> list[Entry]:
        raise NotImplementedError

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, command in self.entries():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, highlighted(matcher, title), command, text=title, help=plain(help_text))


class RoutineCommands(PlainProvider):
    """"Start: <routine>" for every routine, found by typing."""

    def entries(self) -> list[Entry]:
        app = self.app
        return [(f"Start: {r.name}", f"{region_name(r.region)} · {plan.minutes(r)} min · {r.id}",
                 partial(app.start_routine, r)) for r in app.ctx.routines.routines.values()]


class ThemeCommands(PlainProvider):
    """The themes, for the palette's "Theme" command: listed before anything is typed."""

    def entries(self) -> list[Entry]:
        app = self.app
        return [(name, "", partial(setattr, app, "theme", name)) for name in sorted(app.available_themes)]

    async def discover(self) -> Hits:
        for title, help_text, command in self.entries():
            yield DiscoveryHit(plain(title), command, text=title, help=plain(help_text))
