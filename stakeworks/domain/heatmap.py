"""Persona coverage per account (DOMAIN section 8)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from stakeworks.domain.rules import ContactLike, contact_state
from stakeworks.domain.settings import DEFAULT_SETTINGS, Settings

PERSONAS = (
    "champion",
    "economic_buyer",
    "executive_sponsor",
    "decision_maker",
    "technical_lead",
    "end_user_champion",
)
STATES = ("engaged", "detractor", "overdue", "known", "missing")


@dataclass(frozen=True, slots=True)
class Cell:
    state: str
    strength: int | None = None
    contact: str | None = None
    contact_id: int | None = None


def persona_cell(holders: Sequence[ContactLike], today: date, settings: Settings = DEFAULT_SETTINGS) -> Cell:
    """The first state that holds among the persona's holders."""
    states = [(c, contact_state(c, today, settings)) for c in holders]
    engaged = [(c, s) for c, s in states if s.engaged]
    if engaged:
        best = max(engaged, key=lambda cs: (cs[0].strength, cs[0].name))[0]
        return Cell("engaged", best.strength, best.name, best.id)
    for c, s in states:
        if s.known and c.sentiment == "detractor":
            return Cell("detractor", c.strength, c.name, c.id)
    for c, s in states:
        if s.overdue:
            return Cell("overdue", c.strength, c.name, c.id)
    for c, s in states:
        if s.known:
            return Cell("known", c.strength, c.name, c.id)
    return Cell("missing")


def account_row(contacts: Sequence[ContactLike], today: date, settings: Settings = DEFAULT_SETTINGS) -> dict[str, Cell]:
    return {p: persona_cell([c for c in contacts if p in c.roles], today, settings) for p in PERSONAS}


def totals(rows: Sequence[dict[str, Cell]]) -> dict[str, int]:
    return {p: sum(1 for r in rows if r[p].state == "engaged") for p in PERSONAS}
