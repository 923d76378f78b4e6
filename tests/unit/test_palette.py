"""The app's own colours come from the theme and stay legible in every built-in theme."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rich.color import Color as RichColor
from textual.color import Color
from textual.theme import BUILTIN_THEMES

from stakeworks.widgets import palette

ROOT = Path(__file__).resolve().parents[2]
TEXT_STYLES = (palette.BAD, palette.BAD_STRONG, palette.WARN, palette.GOOD, palette.GOOD_STRONG, palette.ACCENT,
               palette.KEY, palette.STAR)  # fmt: skip


def hex_of(color: RichColor | None) -> Color:
    assert color is not None and color.triplet is not None
    return Color.parse(color.triplet.hex)


@pytest.mark.parametrize("name", list(BUILTIN_THEMES))
def test_every_theme_gives_every_name_a_legible_style(name: str) -> None:
    theme = BUILTIN_THEMES[name]
    styles = palette.rich_theme(theme).styles
    assert set(palette.NAMES) <= set(styles)
    if name.startswith("ansi"):
        bad = styles[palette.BAD].color
        assert bad is not None and bad.name == "red"
        return
    background = Color.parse(theme.background or ("#121212" if theme.dark else "#efefef"))
    for key in TEXT_STYLES:
        assert palette.contrast(hex_of(styles[key].color), background) >= palette.MIN_CONTRAST, (name, key)
    for key in (palette.CELL_BAD, palette.CELL_WARN, palette.CELL_GOOD, palette.CELL_GREAT):
        fg, bg = hex_of(styles[key].color), hex_of(styles[key].bgcolor)
        assert palette.contrast(fg, bg) >= palette.MIN_CONTRAST, (name, key)


def test_light_themes_change_the_colours() -> None:
    dark = palette.rich_theme(BUILTIN_THEMES["textual-dark"]).styles[palette.WARN]
    light = palette.rich_theme(BUILTIN_THEMES["solarized-light"]).styles[palette.WARN]
    assert dark != light


def test_screens_and_widgets_use_no_fixed_colours() -> None:
    fixed = re.compile(
        r"""["'](?:bold |dim |italic )*(?:red|green|yellow|magenta|cyan|blue|white|black|dark_\w+)(?: on \w+)?["']"""
    )
    offenders = [
        f"{path.relative_to(ROOT)}:{n}"
        for folder in ("screens", "widgets")
        for path in sorted((ROOT / folder).glob("*.py"))
        if path.name != "palette.py"  # where the ANSI themes name the terminal's own colours
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if fixed.search(line)
    ]
    assert offenders == []
