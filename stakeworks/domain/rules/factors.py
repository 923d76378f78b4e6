"""Factors and score (DOMAIN section 4): which single-thread risk factors fire,
each with a rationale naming the people, and the triage score and order.

The champion and executive-sponsor factors come in families (revision 3): of each,
at most one fires, the first that holds, so that a better map never scores worse
(an overdue champion is no worse than none, an overdue sponsor no worse than none).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from stakeworks.domain.rules.census import Census
from stakeworks.domain.rules.coverage import name_list, names_with_reasons, pretty_department
from stakeworks.domain.rules.terms import FACTOR_LEVELS, HIGH, MEDIUM
from stakeworks.domain.settings import DEFAULT_SETTINGS, Settings

# A fired factor's code -> its rationale, written only when asked for (portfolio-wide work never asks).
Fired = dict[str, Callable[[], str]]


@dataclass(frozen=True, slots=True)
class Factor:
    code: str
    level: str
    rationale: str


def fired_factors(
    census: Census, today: date, renewal_date: date | None, settings: Settings, explain: bool = True
) -> list[Factor]:
    """The factors that fire, in FACTOR_LEVELS order; `explain=False` leaves rationales empty."""
    fired: Fired = {}
    _people_factors(census, settings, fired)
    _champion_family(census, today, settings, fired)
    _sponsor_family(census, fired)
    _renewal_factor(census, today, renewal_date, settings, fired)
    _spread_factors(census, fired)
    return [
        Factor(code, level, fired[code]() if explain else "") for code, level in FACTOR_LEVELS.items() if code in fired
    ]


def _people_factors(census: Census, settings: Settings, fired: Fired) -> None:
    """How many people are there, and is anyone (the economic buyer above all) engaged."""
    active, states = census.active, census.states
    if not active:
        fired["no_contacts"] = lambda: "nobody at the account hears from us"  # the label says "No active contact"
    elif len(active) == 1:
        fired["single_contact"] = lambda: (
            f"only {active[0].name} is active: any disruption to that person strands the relationship"
        )
    if not any(states[id(c)].engaged for c in census.buyers):
        fired["no_economic_buyer_engaged"] = lambda: "no engaged economic buyer: renewal will be decided without us"
    if not census.engaged:
        fired["nobody_engaged"] = lambda: (  # shown after the label "Nobody engaged": the names, not those words again
            names_with_reasons(active, states, settings) if active else "no active contact"
        )


def _champion_family(census: Census, today: date, settings: Settings, fired: Fired) -> None:
    """The first of champion_departed, no_champion, champion_overdue, champion_weak that holds;
    none with an engaged champion in place."""
    champions, states = census.champions, census.states
    if any(states[id(c)].engaged for c in champions):
        return
    window = settings.champion_departed_window_days
    recent = [
        c
        for c in champions
        if c.status == "departed" and c.departed_on is not None and 0 <= (today - c.departed_on).days <= window
    ]
    active = [c for c in champions if states[id(c)].active]
    if recent:
        fired["champion_departed"] = lambda: (
            f"{name_list(recent)} left within {window} days and no engaged champion is in place"
        )
    elif not active:
        fired["no_champion"] = lambda: _no_champion_rationale(census)
    elif all(states[id(c)].overdue for c in active):
        fired["champion_overdue"] = lambda: f"every active champion is past their touch threshold ({name_list(active)})"
    else:
        # An active champion on time yet not engaged is weak or unrated: no champion (the gap is not time).
        weak = [c for c in active if not states[id(c)].overdue]
        fired["champion_weak"] = lambda: f"no engaged champion: {names_with_reasons(weak, states, settings)}"


def _no_champion_rationale(census: Census) -> str:
    """Nobody active holds the role: say who once did (parked or gone), else that nobody ever did."""
    parked = [c for c in census.champions if census.states[id(c)].known]
    gone = [c for c in census.champions if c.status == "departed"]
    if parked:
        return f"no active champion ({name_list(parked)}: status not engaged): nobody advocates for us"
    if gone:
        return f"no active champion since {name_list(gone)} left: nobody advocates for us"
    return "no contact is a champion: nobody advocates for us"


def _sponsor_family(census: Census, fired: Fired) -> None:
    """no_executive_sponsor, else sponsor_overdue: at most one of the two."""
    states = census.states
    active = [c for c in census.sponsors if states[id(c)].active]
    if not active:
        fired["no_executive_sponsor"] = lambda: "no active executive sponsor: the investment lacks strategic protection"
    elif all(states[id(c)].overdue for c in active):
        fired["sponsor_overdue"] = lambda: (
            f"every executive sponsor is past their touch threshold ({name_list(active)})"
        )


def _renewal_factor(census: Census, today: date, renewal_date: date | None, settings: Settings, fired: Fired) -> None:
    if renewal_date is None or not 0 <= (renewal_date - today).days <= settings.renewal_window_days:
        return
    states, window = census.states, settings.renewal_touch_window_days
    for c in census.buyers + census.deciders:
        st = states[id(c)]
        if st.known and st.days_since_touch is not None and st.days_since_touch <= window:
            return
    fired["renewal_near_uncovered"] = lambda: (
        f"renewal in {(renewal_date - today).days} days and no economic buyer or decision "
        f"maker touched within {window} days"
    )


def _spread_factors(census: Census, fired: Fired) -> None:
    """Breadth and depth of the engaged contacts, and detractors nobody manages."""
    engaged, dept_keys, bands = census.engaged, census.dept_keys, census.bands
    if engaged and len(dept_keys) <= 1:
        fired["single_department"] = lambda: _single_department_rationale(census)
    if len(bands) < 3:
        fired["thin_depth"] = lambda: f"engaged contacts span {len(bands)} of 3 level bands"
    if census.detractors:
        fired["unmanaged_detractor"] = lambda: _detractor_rationale(census)
    if len(engaged) >= 3 and len(bands) >= 2 and len(dept_keys) >= 2:
        fired["multi_threaded"] = lambda: (
            f"{len(engaged)} engaged contacts across {len(bands)} levels and {len(dept_keys)} departments"
        )


def _detractor_rationale(census: Census) -> str:
    """Names the detractors; one made so by an influence line says whom they sway (section 14)."""
    text = f"{name_list(census.detractors)}: detractor with no engagement strategy"
    against = census.against_us
    swaying = [(c.name, against[c.id]) for c in census.detractors if c.id is not None and c.id in against][:3]
    if swaying:
        text += "; " + "; ".join(f"{name} sways {', '.join(whom)} against us" for name, whom in swaying)
    return text


def _single_department_rationale(census: Census) -> str:
    engaged = census.engaged
    who = name_list(engaged)
    if not census.dept_keys:
        return f"no department recorded for the engaged contacts ({who}): nothing shows a second department"
    only = pretty_department(engaged, next(iter(census.dept_keys)))
    return f"all engaged contacts in {only} ({who}): a reorg there could sever the relationship"


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
