"""Theme files -> Textual themes, each colour checked before Textual sees it."""

from __future__ import annotations

import re
from functools import cache, partial
from pathlib import Path
from typing import NamedTuple

from textual.color import Color, ColorParseError
from textual.css.constants import VALID_STYLE_FLAGS
from textual.design import ColorSystem
from textual.theme import BUILTIN_THEMES, Theme

from supple.core.model import Problem
from supple.store.files import toml_files
from supple.store.parsecache import ParseCache
from supple.store.toml import check_keys, get_bool, get_str, read_toml

COLOR_KEYS = ("primary", "secondary", "accent", "foreground", "background", "surface",
              "panel", "boost", "warning", "error", "success")
THEME_KEYS = ("name", "dark", "variables") + COLOR_KEYS


class ThemeFile(NamedTuple):
    name: str
    dark: bool
    colors: dict[str, str]
    variables: dict[str, str]
    path: Path
    origin: str  # "shipped" | "user"
    # Textual's design variables for the theme ($primary-lighten-1, $panel, …), as Textual makes
    # them: kept with the theme in the parse cache, since making them costs a start a few ms
    design: dict[str, str] | None = None

    def to_textual(self) -> Theme:
        return Theme(name=self.name, dark=self.dark, variables=self.variables, **self.colors)


def parse_theme(path: Path, origin: str = "user") -> tuple[ThemeFile | None, list[Problem]]:
    doc = read_toml(path)
    if doc.data is None:
        return None, doc.problems
    d = doc.data
    check_keys(doc, d, THEME_KEYS, ())
    name = get_str(doc, d, "name", (), required=True)
    dark = get_bool(doc, d, "dark", (), True)
    colors: dict[str, str] = {}
    for key in COLOR_KEYS:
        value = get_str(doc, d, key, (), required=(key == "primary"))
        if value is None:
            continue
        try:
            Color.parse(value)
        except ColorParseError:
            doc.problem((key,), f"'{key}' is not a colour: '{value}' (use \"#RRGGBB\" or a colour name)")
            continue
        colors[key] = value
    variables: dict[str, str] = {}
    raw_vars = d.get("variables", {})
    if not isinstance(raw_vars, dict):
        doc.problem(("variables",), "'variables' must be a table, written as [variables]")
    else:
        for key, value in raw_vars.items():
            wrong = _variable_problem(key, value)
            if wrong:
                doc.problem(("variables", key), wrong)
            else:
                variables[key] = value
    if doc.problems:
        return None, doc.sorted_problems()
    return ThemeFile(name, dark, colors, variables, Path(path), origin), []


def _variable_problem(name: str, value: object) -> str | None:
    """Why a value cannot stand for one of Textual's design variables, else None: Textual puts
    the value into its own CSS, where one of the wrong kind stops the app with a stylesheet error."""
    if not isinstance(value, str):
        return f"variable '{name}' must be text in quotes"
    default = _design_defaults().get(name)
    if default is None:
        return None  # not one Textual's CSS uses: harmless
    words = value.split()
    if all(w in VALID_STYLE_FLAGS for w in default.split()):
        if words and all(w in VALID_STYLE_FLAGS for w in words) and not ("none" in words and len(words) > 1):
            return None
        return f"variable '{name}' must be text styles such as \"bold\" or \"bold underline\", got '{value}'"
    colour = re.sub(r"\s+\d+(\.\d+)?%$", "", value.strip())  # "red 50%": a colour and its opacity
    if colour in ("auto", "initial") and colour == default.split()[0]:
        return None
    try:
        Color.parse(colour)
        return None
    except ColorParseError:
        return f"variable '{name}' is not a colour: '{value}' (use \"#RRGGBB\" or a colour name)"


@cache
def _design_defaults() -> dict[str, str]:
    """Textual's design variables with their default values (their kinds)."""
    return ColorSystem(primary="#004578").generate()


def _parse_designed(path: Path, origin: str) -> tuple[ThemeFile | None, list[Problem]]:
    theme, problems = parse_theme(path, origin)
    if theme is None:
        return None, problems
    textual = theme.to_textual()
    return theme._replace(design={**textual.to_color_system().generate(), **textual.variables}), problems


def load_theme_files(shipped_dir: Path, user_dir: Path | None,
                     cache: ParseCache | None = None) -> tuple[list[ThemeFile], list[Problem]]:
    found: dict[str, ThemeFile] = {}
    problems: list[Problem] = []
    for folder, origin in [(shipped_dir, "shipped")] + ([(user_dir, "user")] if user_dir else []):
        parse = partial(_parse_designed, origin=origin)
        for path in toml_files(folder):
            tf, probs = cache.get(path, parse) if cache is not None else parse(path)
            problems += probs
            if tf is not None:
                found[tf.name] = tf
    return list(found.values()), problems


def builtin_themes() -> dict[str, bool]:
    """Textual's own themes: name -> dark."""
    return {name: theme.dark for name, theme in BUILTIN_THEMES.items()}
