"""Influence lines (DOMAIN section 14): who sways whom at one account, for or against us.

Plain data, free of pydantic: the rules read these over the whole portfolio. The write
boundary's check is `models.Influence`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from stakeworks.domain.text import shorten

SIGNS = ("positive", "negative", "neutral")
"""`positive`: for us, `negative`: against us, `neutral`."""
MARKS = {"positive": "+", "negative": "-", "neutral": "0"}
"""How a sign is written on the map and in the contacts CSV's `influences` column (`Name:+`)."""
SIGN_OF_MARK = {mark: sign for sign, mark in MARKS.items()}
NOTE_MAX = 200
"""A line's note is short: what the map shows beside it."""


@dataclass(frozen=True, slots=True)
class InfluenceLine:
    """A directed line from one contact to another of the same account."""

    id: int
    account_id: int
    from_id: int
    to_id: int
    sign: str
    note: str


def parse_sign(text: str) -> str:
    """`positive`/`negative`/`neutral`, or their marks `+`, `-`, `0`; ValueError naming the choices."""
    value = text.strip().lower()
    value = SIGN_OF_MARK.get(value, value)
    if value not in SIGNS:
        raise ValueError(f"sign {shorten(text)!r} is not one of positive, negative, neutral (+, -, 0)")
    return value


def parse_cell(cell: str) -> list[tuple[str, str]]:
    """A contacts CSV `influences` cell, `Name:+; Other:-`, as (name, sign) pairs in order;
    ValueError naming the first bad part."""
    out: list[tuple[str, str]] = []
    for part in cell.split(";"):
        if not part.strip():
            continue
        name, colon, mark = part.rpartition(":")
        if not colon or not name.strip():
            raise ValueError(f"{shorten(part.strip())!r} is not NAME:+, NAME:- or NAME:0")
        out.append((name.strip(), parse_sign(mark)))
    return out


def format_cell(lines: list[tuple[str, str]]) -> str:
    """(name, sign) pairs as a contacts CSV `influences` cell."""
    return "; ".join(f"{name}:{MARKS[sign]}" for name, sign in lines)


def lines_by_account(lines: Iterable[InfluenceLine]) -> dict[int, list[InfluenceLine]]:
    out: dict[int, list[InfluenceLine]] = {}
    for x in lines:
        out.setdefault(x.account_id, []).append(x)
    return out
