"""How the app shows dates: the config file's `date_format`, "iso" or a strftime pattern.

One setting for the whole app, set once when it starts (`use`); fields a user
types dates into stay ISO (YYYY-MM-DD), which is what they parse.
"""

from __future__ import annotations

from datetime import date

_pattern: str | None = None  # None: ISO


def use(date_format: str) -> None:
    """Show dates with this format from now on ("iso" or a strftime pattern)."""
    global _pattern
    _pattern = None if date_format in ("", "iso") else date_format


def show(day: date | None, empty: str = "—") -> str:
    if day is None:
        return empty
    return day.isoformat() if _pattern is None else day.strftime(_pattern)


def widest() -> int:
    """Cells the widest date takes in the format in use (month and weekday names vary)."""
    return max(len(show(date(2026, month, day))) for month in range(1, 13) for day in (1, 2, 3, 4, 5, 6, 7, 28))
