"""Light rows for portfolio-wide work: what the rules and triage read of every
account and contact, with no validation and no copies.

The store returns these from its portfolio reads (`account_rows`,
`contact_rows`); a `ContactRow` fits the rules' `ContactLike` as a `Contact`
model does. Plain slotted dataclasses: 200,000 contacts are built on a cold
portfolio day, and a pydantic model per row would cost seconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(slots=True)
class ContactRow:
    """A contact as the portfolio-wide rules need it."""

    id: int
    account_id: int
    name: str
    department: str
    level: str
    strength: int | None
    sentiment: str
    status: str
    departed_on: date | None
    last_touch: date | None
    engagement_strategy: str
    roles: frozenset[str]


ProgramFacts = tuple[int, float, str, str, str, int, int, str | None, date | None]
"""What the sponsor program ranks an account by: (id, arr, tier, industry, region, strategic
value, growth potential, Kraljic quadrant or None, last EBR)."""


@dataclass(slots=True)
class AccountRow:
    """An account as the portfolio (triage, summaries) needs it."""

    id: int
    name: str
    arr: float
    renewal_date: date | None
    tier: str
    csm: str
    industry: str
    region: str
