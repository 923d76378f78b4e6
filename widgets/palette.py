"""The app's own colours, taken from the Textual theme in use.

Widgets and screens style Rich text with the named styles below ("sw.bad",
"sw.warn", ...) instead of fixed colours; `rich_theme` turns a Textual theme
into those names, and the App installs them on its console and again on every
theme change, so risk, strength and coverage follow the theme: legible in light
themes (the theme's own $error/$warning/$success are made for its background),
and under NO_COLOR, where Textual renders monochrome, the marks and words
beside every colour (▲ HIGH, ✓, ⚠, ✗, ●●●○○) still carry the meaning.
"""

from __future__ import annotations

from rich.theme import Theme as RichTheme
from textual.color import Color
from textual.theme import Theme

BAD = "sw.bad"
"""Something is wrong: high risk, overdue, missing, an error."""
BAD_STRONG = "sw.bad.strong"
WARN = "sw.warn"
"""Needs attention: medium risk, a gap, due soon."""
GOOD = "sw.good"
"""Fine: low risk, engaged, ok, done."""
GOOD_STRONG = "sw.good.strong"
ACCENT = "sw.accent"
"""Emphasis without judgement: role tags, trends, proposals."""
KEY = "sw.key"
"""A key person (their departure adds a high-level factor)."""
STAR = "sw.star"
"""The champion star."""
MUTED = "sw.muted"
"""Secondary text."""
CELL_BAD = "sw.cell.bad"
CELL_WARN = "sw.cell.warn"
CELL_GOOD = "sw.cell.good"
CELL_GREAT = "sw.cell.great"
"""Filled cells (the heat map): the theme's colour behind text that contrasts with it."""

NAMES = (BAD, BAD_STRONG, WARN, GOOD, GOOD_STRONG, ACCENT, KEY, STAR, MUTED, CELL_BAD, CELL_WARN, CELL_GOOD, CELL_GREAT)


def _luminance(c: Color) -> float:
    def channel(v: int) -> float:
        x = v / 255
        return x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b)


def contrast(a: Color, b: Color) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


MIN_CONTRAST = 3.0  # WCAG's floor for large or bold text; our marks are bold or beside words


def legible(value: str | None, fallback: str, background: Color, foreground: Color) -> str:
    """The theme's colour, moved toward the text colour until it reads on the background."""
    try:
        colour = Color.parse(value or fallback)
    except Exception:  # a theme colour Textual itself would reject: keep the fallback
        colour = Color.parse(fallback)
    step = 0.0
    while contrast(colour, background) < MIN_CONTRAST and step < 1.0:
        step += 0.1
        colour = Color.parse(value or fallback).blend(foreground, step)
    return colour.hex


def _cell(background: str) -> str:
    colour = Color.parse(background)
    return f"bold {colour.get_contrast_text(1.0).hex} on {colour.hex}"


def _ansi_theme(theme: Theme) -> RichTheme:
    """Themes made of the terminal's own 16 colours: use those names, the terminal keeps them legible."""

    def name(value: str | None, fallback: str) -> str:
        return value.removeprefix("ansi_") if value and value.startswith("ansi_") else fallback

    error, warning = name(theme.error, "red"), name(theme.warning, "yellow")
    success, accent = name(theme.success, "green"), name(theme.secondary or theme.primary, "cyan")
    return RichTheme(
        {
            BAD: error, BAD_STRONG: f"bold {error}", WARN: warning, GOOD: success, GOOD_STRONG: f"bold {success}",
            ACCENT: accent, KEY: f"bold {name(theme.accent, 'magenta')}", STAR: f"bold {warning}", MUTED: "dim",
            CELL_BAD: f"bold reverse {error}", CELL_WARN: f"bold reverse {warning}",
            CELL_GOOD: f"reverse {success}", CELL_GREAT: f"bold reverse {success}",
        },
        inherit=True,
    )  # fmt: skip


def rich_theme(theme: Theme) -> RichTheme:
    """The named styles for one Textual theme."""
    if any((v or "").startswith("ansi_") for v in (theme.error, theme.primary, theme.background)):
        return _ansi_theme(theme)
    background = Color.parse(theme.background or ("#121212" if theme.dark else "#efefef"))
    foreground = Color.parse(theme.foreground or ("#e0e0e0" if theme.dark else "#1f1f1f"))

    def pick(value: str | None, fallback: str) -> str:
        return legible(value, fallback, background, foreground)

    error = pick(theme.error, "#ba3c5b")
    warning = pick(theme.warning, "#ffa62b")
    success = pick(theme.success, "#4EBF71")
    accent = pick(theme.accent, "#ffa62b")
    secondary = pick(theme.secondary or theme.primary, "#0178D4")
    star = warning
    great = Color.parse(success).darken(0.15).hex
    return RichTheme(
        {
            BAD: error,
            BAD_STRONG: f"bold {error}",
            WARN: warning,
            GOOD: success,
            GOOD_STRONG: f"bold {success}",
            ACCENT: secondary,
            KEY: f"bold {accent}",
            STAR: f"bold {star}",
            MUTED: "dim",
            CELL_BAD: _cell(error),
            CELL_WARN: _cell(warning),
            CELL_GOOD: _cell(success),
            CELL_GREAT: _cell(great),
        },
        inherit=True,
    )


def theme_problem(name: str) -> str | None:
    """Why `name` is not a theme the app knows, or None."""
    import difflib

    from textual.theme import BUILTIN_THEMES

    if name in BUILTIN_THEMES:
        return None
    close = difflib.get_close_matches(name, list(BUILTIN_THEMES), n=1, cutoff=0.6)
    return f"no theme {name!r}" + (
        f" (did you mean {close[0]!r}?)" if close else f"; themes: {', '.join(BUILTIN_THEMES)}"
    )
