"""Factors and score (DOMAIN section 4): which single-thread risk factors fire,
each with a rationale naming the people, and the triage score and order."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from stakeworks.domain.rules.census import Census
from stakeworks.domain.rules.coverage import name_list, names_with_reasons
from stakeworks.domain.rules.terms import FACTOR_LEVELS, HIGH, MEDIUM
from stakeworks.domain.settings import DEFAULT_SETTINGS, Settings


@dataclass(frozen=True, slots=True)
class Factor:
    code: str
    level: str
    rationale: str


def fired_factors(
    census: Census, today: date, renewal_date: date | None, settings: Settings, explain: bool = True
) -> list[Factor]:
    """The factors that fire, in FACTOR_LEVELS order; `explain=False` leaves rationales empty."""
    states = census.states
    active, engaged, detractors = census.active, census.engaged, census.detractors
    champions, buyers = census.champions, census.buyers
    sponsors, deciders = census.sponsors, census.deciders
    dept_keys, bands = census.dept_keys, census.bands
    factors: list[Factor] = []

    def fire(code: str, rationale: Callable[[], str]) -> None:
        factors.append(Factor(code, FACTOR_LEVELS[code], rationale() if explain else ""))

    if not active:
        fire("no_contacts", lambda: "nobody at the account hears from us: no contact is active")
    elif len(active) == 1:
        fire(
            "single_contact",
            lambda: f"only {active[0].name} is active: any disruption to that person strands the relationship",
        )
    if not any(states[id(c)].engaged for c in buyers):
        fire("no_economic_buyer_engaged", lambda: "no engaged economic buyer: renewal will be decided without us")
    if not any(states[id(c)].engaged for c in champions):
        recent = [
            c
            for c in champions
            if c.status == "departed"
            and c.departed_on is not None
            and 0 <= (today - c.departed_on).days <= settings.champion_departed_window_days
        ]
        if recent:
            fire(
                "champion_departed",
                lambda: (
                    f"{name_list(recent)} left within {settings.champion_departed_window_days} days "
                    "and no engaged champion is in place"
                ),
            )
    active_champions = [c for c in champions if states[id(c)].active]
    if active_champions and all(states[id(c)].overdue for c in active_champions):
        fire(
            "champion_overdue",
            lambda: f"every active champion is past their touch threshold ({name_list(active_champions)})",
        )
    # A champion who is on time yet not engaged is weak or unrated: no champion (the gap is not time).
    weak_champions = [c for c in active_champions if not states[id(c)].overdue and not states[id(c)].engaged]
    if weak_champions and not any(states[id(c)].engaged for c in active_champions):
        fire(
            "champion_weak",
            lambda: f"no engaged champion: {names_with_reasons(weak_champions, states, settings)}",
        )
    active_sponsors = [c for c in sponsors if states[id(c)].active]
    if active_sponsors and all(states[id(c)].overdue for c in active_sponsors):
        fire(
            "sponsor_overdue",
            lambda: f"every executive sponsor is past their touch threshold ({name_list(active_sponsors)})",
        )
    if renewal_date is not None and 0 <= (renewal_date - today).days <= settings.renewal_window_days:
        touch_window = settings.renewal_touch_window_days
        covered = any(
            states[id(c)].known
            and states[id(c)].days_since_touch is not None
            and states[id(c)].days_since_touch <= touch_window  # type: ignore[operator]
            for c in buyers + deciders
        )
        if not covered:
            fire(
                "renewal_near_uncovered",
                lambda: (
                    f"renewal in {(renewal_date - today).days} days and no economic buyer or decision "
                    f"maker touched within {touch_window} days"
                ),
            )
    if not active_sponsors:
        fire("no_executive_sponsor", lambda: "no active executive sponsor: the investment lacks strategic protection")
    if len(engaged) >= 2 and len(dept_keys) <= 1:
        fire(
            "single_department",
            lambda: "all engaged contacts in one department: a reorg could sever the relationship",
        )
    if len(bands) < 3:
        fire("thin_depth", lambda: f"engaged contacts span {len(bands)} of 3 level bands")
    if detractors:
        fire("unmanaged_detractor", lambda: f"{name_list(detractors)}: detractor with no engagement strategy")
    if len(engaged) >= 3 and len(bands) >= 2 and len(dept_keys) >= 2:
        fire(
            "multi_threaded",
            lambda: f"{len(engaged)} engaged contacts across {len(bands)} levels and {len(dept_keys)} departments",
        )
    return factors


def triage_score(factors: Iterable[Factor], settings: Settings = DEFAULT_SETTINGS) -> int:
    points = 0
    for f in factors:
        if f.level == HIGH:
            points += settings.high_points
        elif f.level == MEDIUM:
            points += settings.medium_points
    return min(100, points)


TriageKey = tuple[int, date, float, str]


def triage_key(score: int, renewal_date: date | None, arr: float, name: str) -> TriageKey:
    """DOMAIN triage order: score desc, renewal soonest (none last), ARR desc, name."""
    return (-score, renewal_date or date.max, -arr, name.casefold())
