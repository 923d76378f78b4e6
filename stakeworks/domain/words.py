"""Small words for counts, lists and money, the same on every screen and in every command.

"16 new tasks", never "16 new task(s)"; "1 recorded day", never "(1 recorded days)"; an ARR
nobody gave is "—", never "0" (issue 31). Plain functions, no pydantic: the first frame reads them.
"""

from __future__ import annotations

from collections.abc import Sequence

UNKNOWN = "—"
"""What a value nobody gave shows as (a renewal date, an ARR)."""


def plural(count: int, one: str, many: str | None = None) -> str:
    """`count` with the noun that fits it: "1 task", "16 tasks", "2 touches" (give `many` when
    adding an s is wrong), "1,200 accounts"."""
    noun = one if count == 1 else (many if many is not None else one + "s")
    return f"{count:,} {noun}"


def and_list(items: Sequence[str]) -> str:
    """ "Ana", "Ana and Tom", "Ana, Tom and Lee": people named in a sentence."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def known_arr(arr: float | None) -> float | None:
    """ARR as far as anyone knows: an account stores 0 when no ARR was given (the store's
    column is NOT NULL), and that reads as unknown, shown "—" and written null in JSON."""
    return arr if arr else None


def money(amount: float | None, currency: str = "") -> str:
    """An amount with its currency for a sentence or a table cell, "EUR 240,000"; "—" when
    unknown (None or 0: see `known_arr`)."""
    if not amount:
        return UNKNOWN
    return f"{currency} {amount:,.0f}".strip()
