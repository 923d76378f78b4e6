"""What a person types into a form's amount and date fields, read into values.

Pure functions (no Textual): the editors call them on every keystroke, and a
bad value raises ValueError with a reason the editor shows beside the field
("'12x' is not an amount (for example 240000, 240k or 1.2M)"). Validation of
whole records speaks through `stakeworks.domain.validation`.
"""

from __future__ import annotations

import re
from datetime import date

from stakeworks.domain.days import RANGE_TEXT, in_range, relative_day

SCALE_LABELS: dict[int, str] = {1: "1 · very low", 2: "2 · low", 3: "3 · medium", 4: "4 · high", 5: "5 · very high"}
"""A 1-5 score (strategic value, growth potential) in words for a dropdown."""

_AMOUNT = re.compile(r"^(\d+(?:\.\d+)?)\s*([km])?$")


def parse_amount(text: str) -> float:
    """An amount as people write it: 240000, 240,000, 240 000, 240k, 1.2M. Blank is 0."""
    raw = text.strip()
    v = raw.casefold().replace(",", "").replace("_", "").replace(" ", "").replace("\u00a0", "")
    for symbol in ("€", "$", "£", "eur", "usd", "gbp"):
        v = v.replace(symbol, "")
    if not v:
        return 0.0
    if v.startswith("-"):
        raise ValueError("cannot be negative")
    m = _AMOUNT.match(v)
    if not m:
        raise ValueError(f"{raw!r} is not an amount (for example 240000, 240k or 1.2M)")
    factor = {"k": 1_000, "m": 1_000_000}.get(m[2] or "", 1)
    return round(float(m[1]) * factor, 2)


def _in_range(raw: str, day: date) -> date:
    if not in_range(day):
        raise ValueError(f"{raw} is out of range: use a date {RANGE_TEXT}")
    return day


def parse_day(text: str, today: date | None = None) -> date | None:
    """A date as YYYY-MM-DD; blank is none. With `today`, also `today`, `+N` and `-N` (days from today)."""
    raw = text.strip()
    if not raw:
        return None
    if today is not None and (day := relative_day(raw, today)) is not None:
        return _in_range(raw, day)
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        pass
    else:
        return _in_range(raw, day)
    if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", raw):
        raise ValueError(f"{raw!r} is not a real day of the calendar")
    raise ValueError(f"{raw!r} is not a date (use YYYY-MM-DD)")
