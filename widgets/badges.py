"""Small renderables shared by widgets: never colour alone (a mark or word too)."""

from __future__ import annotations

from rich.text import Text

from stakeworks.domain.words import UNKNOWN
from stakeworks.widgets import palette

RISK_STYLE = {"high": palette.BAD_STRONG, "medium": palette.WARN, "low": palette.GOOD}
RISK_MARK = {"high": "▲ HIGH", "medium": "■ MED ", "low": "● LOW "}
STATUS_MARK = {"ok": ("✓", palette.GOOD), "gap": ("⚠", palette.WARN), "missing": ("✗", palette.BAD)}


def risk_badge(risk: str) -> Text:
    return Text(RISK_MARK[risk], style=RISK_STYLE[risk])


def status_badge(status: str) -> Text:
    mark, style = STATUS_MARK[status]
    return Text(f"{mark} {status}", style=style)


def dots(strength: int | None) -> Text:
    """Strength as dots; not rated is five empty dots and the words (never a made-up 3)."""
    if strength is None:
        return Text("○○○○○ not rated", style="dim")
    style = palette.GOOD if strength >= 4 else palette.WARN if strength == 3 else palette.BAD
    return Text("●" * strength, style=style) + Text("○" * (5 - strength), style="dim")


def plain(value: object) -> Text:
    """User text as a Text: Rich markup in names shows literally."""
    return Text(str(value))


def money(arr: float | None, currency: str = "") -> str:
    """ARR shortened for a cell ("240k"); "—" when unknown (None or 0: `words.known_arr`)."""
    if not arr:
        return UNKNOWN
    if arr >= 1_000_000_000:
        return f"{arr / 1_000_000_000:.1f}B"
    if arr >= 1_000_000:
        return f"{arr / 1_000_000:.1f}M"
    if arr >= 1_000:
        return f"{arr / 1_000:.0f}k"
    return f"{arr:.0f}"


def sparkline(values: list[int], width: int = 12) -> str:
    if not values:
        return ""
    bars = "▁▂▃▄▅▆▇█"
    values = values[-width:]
    return "".join(bars[min(7, v * 8 // 101)] for v in values)
