"""Dates a user types, and date arithmetic that cannot overflow.

Python's dates run from 0001-01-01 to 9999-12-31; a rule that looks 90 days back from
0001-01-01, or a playbook task due 28 days after 9999-12-31, would raise OverflowError. Typed
dates (`--today`, `--date`, date fields in the app, imported values) must fall in
EARLIEST..LATEST, which leaves years of room for every window the rules use; `add_days` keeps
whatever an older store holds from crashing a computation (it stops at the calendar's ends).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from stakeworks.domain.errors import InputError

EARLIEST = date(1900, 1, 1)
LATEST = date(2999, 12, 31)
RANGE_TEXT = f"between {EARLIEST.isoformat()} and {LATEST.isoformat()}"


def add_days(day: date, days: int) -> date:
    """`day` moved by `days`, stopping at the first or last day Python knows."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


def ago(days: int) -> str:
    """'today', '1 day ago', '12 days ago': how long since a touch, in words."""
    if days == 0:
        return "today"
    return f"{days} day ago" if days == 1 else f"{days} days ago"


def in_range(day: date) -> bool:
    return EARLIEST <= day <= LATEST


def check_day(day: date, what: str) -> date:
    """`day` if a user may type it, else an InputError naming `what` and the range."""
    if not in_range(day):
        raise InputError(f"{what} {day.isoformat()} is out of range: use a date {RANGE_TEXT}")
    return day


DATE_WORDS = "YYYY-MM-DD, today, +N or -N (days from today)"
"""The date words every date field and `--date` take (issue 31: the same everywhere)."""

_RELATIVE = re.compile(r"([+-])\s*(\d{1,6})\s*d?")


def relative_day(text: str, today: date) -> date | None:
    """`today`, `+N` or `-N` (days from today, `+30d` too) as a date; None for anything else."""
    low = text.strip().casefold()
    if low == "today":
        return today
    m = _RELATIVE.fullmatch(low)
    if m is None:
        return None
    n = int(m[2])
    return add_days(today, n if m[1] == "+" else -n)


def parse_day(text: str, what: str, today: date | None = None) -> date:
    """A typed date in range, else an InputError naming `what`: YYYY-MM-DD, and with `today`
    also the words `today`, `+N` and `-N` (the date words of every field and command)."""
    raw = text.strip()
    if today is not None and (day := relative_day(raw, today)) is not None:
        return check_day(day, what)
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        forms = DATE_WORDS if today is not None else "YYYY-MM-DD"
        raise InputError(f"{what} {raw!r} is not a date ({forms})") from None
    return check_day(day, what)
