"""One account's assessment: coverage, factors, risk, score and bus factor
(DOMAIN sections 3 and 4) from one census of its contacts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from stakeworks.domain.influence import InfluenceLine
from stakeworks.domain.rules.census import Census, take_census
from stakeworks.domain.rules.coverage import Verdict, coverage_verdicts
from stakeworks.domain.rules.factors import Factor, fired_factors, triage_score
from stakeworks.domain.rules.state import ContactLike, ContactState, not_engaged_detail
from stakeworks.domain.rules.terms import LEVEL_ORDER, LOW
from stakeworks.domain.settings import DEFAULT_SETTINGS, Settings


@dataclass(frozen=True, slots=True)
class NotEngaged:
    """One row of "known but not engaged" (section 3): who, the reason code, its words."""

    contact_id: int | None
    name: str
    reason: str
    detail: str


@dataclass(frozen=True, slots=True)
class Assessment:
    coverage: dict[str, Verdict]
    factors: tuple[Factor, ...]
    risk: str
    score: int
    bus_factor: int
    states: dict[int | None, ContactState] = field(repr=False)
    not_engaged: tuple[NotEngaged, ...] = ()
    """Every known contact who is not engaged, in the contacts' order (empty when not explained)."""

    @property
    def factor_codes(self) -> list[str]:
        return [f.code for f in self.factors]


def bus_factor(census: Census) -> int:
    """How many distinct engaged champions and economic buyers hold the account."""
    states = census.states
    return len({id(c) for c in census.champions + census.buyers if states[id(c)].engaged})


def assess(
    contacts: Sequence[ContactLike],
    today: date,
    renewal_date: date | None = None,
    settings: Settings = DEFAULT_SETTINGS,
    *,
    departed_id: int | None = None,
    explain: bool = True,
    influences: Sequence[InfluenceLine] = (),
) -> Assessment:
    """Coverage, factors, risk, score and bus factor of one account.

    `departed_id` simulates that contact leaving today without touching the
    record (the departure what-if). `explain=False` leaves the sentences empty
    (same verdicts, for portfolio-wide work); the account view always explains.
    `influences`: the account's influence lines (a negative one can make a detractor).
    """
    census = take_census(contacts, today, settings, departed_id, influences)
    coverage = coverage_verdicts(census, settings, explain)
    factors = fired_factors(census, today, renewal_date, settings, explain)
    risk = max((f.level for f in factors), key=LEVEL_ORDER.__getitem__, default=LOW)
    score = triage_score(factors, settings)
    states = census.states
    by_contact_id = {c.id: states[id(c)] for c in census.people}
    listed = not_engaged(census, settings) if explain else ()
    return Assessment(coverage, tuple(factors), risk, score, bus_factor(census), by_contact_id, listed)


def not_engaged(census: Census, settings: Settings = DEFAULT_SETTINGS) -> tuple[NotEngaged, ...]:
    """Known but not engaged, each with the first reason that applies: the one list
    the account screen, the map report and `assess --json` all show."""
    states = census.states
    return tuple(
        NotEngaged(c.id, c.name, states[id(c)].why_not or "", not_engaged_detail(c, states[id(c)], settings))
        for c in census.not_engaged
    )
