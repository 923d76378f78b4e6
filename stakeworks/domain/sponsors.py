"""Executive Sponsor Program (DOMAIN section 5): candidates, fit, optimal matching.

Plain functions over small dataclasses; the store builds the inputs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import TYPE_CHECKING

from stakeworks.domain.days import add_days
from stakeworks.domain.ordering import order_by

if TYPE_CHECKING:  # numpy loads with the optimiser, not with the domain
    import numpy as np

# Program score weights (points out of 100), every component shown to the user.
ARR_POINTS = 30
STRATEGIC_POINTS = 20
GROWTH_POINTS = 15
RISK_POINTS = {"high": 20, "medium": 10, "low": 0}
KRALJIC_POINTS = {"strategic": 15, "bottleneck": 15, "leverage": 8, "non_critical": 0, None: 4}
KRALJIC_WHY = {
    "strategic": "customer sees us as strategic: wants closeness",
    "bottleneck": "customer depends on us: wants closeness",
    "leverage": "leverage: engage to show unique value",
    "non_critical": "non-critical to the customer: low priority",
    None: "quadrant unknown",
}
LEVEL_WORDS = {"c_level": "C-level", "vp": "VP", "director": "director", "manager": "manager", "user": "user"}
# Fit weights.
FIT_INDUSTRY = 30
FIT_REGION = 20
FIT_RELATIONSHIP = 25
FIT_SIMILAR = 15
FIT_LEVEL = 10


@dataclass(frozen=True, slots=True)
class ProgramAccount:
    id: int
    name: str
    arr: float
    tier: str
    industry: str
    region: str
    strategic_value: int
    growth_potential: int
    kraljic: str | None
    risk: str
    top_engaged_level: str | None = None
    last_ebr: date | None = None


@dataclass(frozen=True, slots=True)
class ProgramExecutive:
    id: int
    name: str
    level: str
    function: str
    industries: frozenset[str]
    region: str
    capacity: int
    active: bool = True


@dataclass(frozen=True, slots=True)
class Component:
    name: str
    points: float
    why: str
    """The reason in a sentence ("already knows Tom Chen, Sarah Kim")."""
    short: str = ""
    """The same in two or three words ("knows 2 contacts"), for a column of several."""

    @property
    def brief(self) -> str:
        """Short words and points: "same industry 30"."""
        return f"{self.short or self.name.replace('_', ' ')} {self.points:.0f}"


def briefly(scored: Scored) -> str:
    """The components that scored, in short words with their points, biggest first."""
    parts = sorted((c for c in scored.components if c.points), key=lambda c: -c.points)
    return ", ".join(c.brief for c in parts) or "no signal"


KRALJIC_SHORT = {
    "strategic": "sees us as strategic",
    "bottleneck": "depends on us",
    "leverage": "leverage quadrant",
    "non_critical": "non-critical",
    None: "quadrant unknown",
}


@dataclass(frozen=True, slots=True)
class Scored:
    total: float
    components: tuple[Component, ...]


@dataclass(frozen=True, slots=True)
class Candidate:
    account: ProgramAccount
    score: Scored
    rank: int
    in_program: bool
    sponsors: tuple[str, ...] = ()


def arr_percentiles(arrs: Sequence[float]) -> list[float]:
    """Share of the *other* accounts with strictly lower ARR (largest = 1.0)."""
    import bisect

    ordered = sorted(arrs)
    n = len(arrs)
    if n <= 1:
        return [1.0] * n
    return [bisect.bisect_left(ordered, a) / (n - 1) for a in arrs]


def program_score(account: ProgramAccount, arr_percentile: float) -> Scored:
    comps = (
        _arr_component(arr_percentile),
        _rated("strategic_value", STRATEGIC_POINTS, account.strategic_value, "strategic value", "strategic value"),
        _rated("growth_potential", GROWTH_POINTS, account.growth_potential, "growth potential", "growth"),
        _risk_component(account.risk),
        _kraljic_component(account.kraljic),
    )
    return Scored(round(sum(c.points for c in comps), 2), comps)


def _arr_component(arr_percentile: float) -> Component:
    return Component("arr", round(ARR_POINTS * arr_percentile, 2), *_arr_words(f"{arr_percentile:.0%}"))


@cache
def _arr_words(percent: str) -> tuple[str, str]:
    """One pair of texts per whole percent, shared by every account there (issue 36: the app
    keeps 50,000 of these)."""
    return f"ARR above {percent} of the portfolio", f"ARR above {percent}"


# Every account of a 10,000-account portfolio is scored: the rated components are one of a
# few dozen, so equal ones are one object (12 MB less in the app, issue 20). ARR's is each
# account's own.
@cache
def _rated(name: str, points: float, rating: int, why: str, short: str) -> Component:
    return Component(name, points * (rating - 1) / 4, f"{why} {rating}/5", f"{short} {rating}/5")


@cache
def _risk_component(risk: str) -> Component:
    return Component("risk", RISK_POINTS[risk], f"{risk} risk now (at-risk accounts first)", f"{risk} risk")


@cache
def _kraljic_component(kraljic: str | None) -> Component:
    return Component(
        "kraljic",
        KRALJIC_POINTS.get(kraljic, 4),
        KRALJIC_WHY.get(kraljic, "unknown"),
        KRALJIC_SHORT.get(kraljic, "quadrant unknown"),
    )


def rank_candidates(
    accounts: Sequence[ProgramAccount], program_size: int, sponsors: Mapping[int, Sequence[str]] | None = None
) -> list[Candidate]:
    """Every account ranked by program score; the top `program_size` are in."""
    sponsors = sponsors or {}
    pct = arr_percentiles([a.arr for a in accounts])
    scored = [(program_score(a, p), a) for a, p in zip(accounts, pct, strict=True)]
    order = order_by(
        ([-s.total for s, _ in scored], [-a.arr for _, a in scored]), [a.name.casefold() for a in accounts]
    )
    scored = [scored[i] for i in order]  # program score desc, ARR desc, name
    return [Candidate(a, s, i + 1, i < program_size, tuple(sponsors.get(a.id, ()))) for i, (s, a) in enumerate(scored)]


@dataclass
class FitContext:
    """What fit needs beyond the two records."""

    known_contacts: Mapping[tuple[int, int], list[str]] = field(default_factory=dict)
    """(executive id, account id) -> names of contacts the executive knows there."""
    sponsored_industries: Mapping[int, Mapping[str, list[str]]] = field(default_factory=dict)
    """executive id -> industry (folded) -> names of accounts they sponsor in it."""


def fit(ex: ProgramExecutive, account: ProgramAccount, ctx: FitContext) -> Scored:
    industry = account.industry.strip().casefold()
    industries = {i.strip().casefold() for i in ex.industries}
    comps = []
    same_industry = bool(industry) and industry in industries
    comps.append(
        Component(
            "industry",
            FIT_INDUSTRY if same_industry else 0,
            f"expertise in {account.industry}" if same_industry else f"no {account.industry or 'industry'} expertise",
            "same industry",
        )
    )
    same_region = bool(account.region) and account.region.strip().casefold() == ex.region.strip().casefold()
    comps.append(
        Component(
            "region",
            FIT_REGION if same_region else 0,
            f"both in {account.region}" if same_region else f"{ex.region or '?'} vs {account.region or '?'}",
            "same region",
        )
    )
    known = ctx.known_contacts.get((ex.id, account.id), [])
    comps.append(
        Component(
            "relationship",
            FIT_RELATIONSHIP if known else 0,
            f"already knows {', '.join(known)}" if known else "no existing relationship",
            f"knows {len(known)} contact{'s' if len(known) != 1 else ''}",
        )
    )
    similar = [n for n in ctx.sponsored_industries.get(ex.id, {}).get(industry, []) if n != account.name]
    comps.append(
        Component(
            "similar_customers",
            FIT_SIMILAR if similar else 0,
            f"sponsors {', '.join(similar)} ({account.industry})" if similar else "no similar customer sponsored",
            f"sponsors {len(similar)} similar",
        )
    )
    top = account.top_engaged_level
    paired = top in ("c_level", "vp")
    comps.append(
        Component(
            "level_pairing",
            FIT_LEVEL if paired else 0,
            f"their top engaged contact is {top}" if top else "no engaged contact to pair with",
            f"pairs with their {LEVEL_WORDS.get(top or '', top or 'top contact')}",
        )
    )
    return Scored(float(sum(c.points for c in comps)), tuple(comps))


@dataclass(frozen=True, slots=True)
class Pair:
    executive: ProgramExecutive
    account: ProgramAccount
    fit: Scored


def suggest(
    accounts: Sequence[ProgramAccount],
    executives: Sequence[ProgramExecutive],
    remaining: Mapping[int, int],
    ctx: FitContext,
) -> list[Pair]:
    """Assign open accounts to executives maximising total fit within capacity.

    An optimal assignment (Hungarian algorithm, scipy's linear_sum_assignment)
    over capacity-expanded slots: each executive appears once per free slot.
    """
    active = [ex for ex in executives if ex.active]
    slots = [k for k, ex in enumerate(active) for _ in range(max(0, remaining.get(ex.id, 0)))]
    if not accounts or not slots:
        return []
    from scipy.optimize import linear_sum_assignment

    # Numbers for every pair, explanations only for the pairs chosen.
    weights = fit_matrix(active, accounts, ctx).T[:, slots]
    rows, cols = linear_sum_assignment(weights, maximize=True)
    pairs = []
    for r, c in zip(rows, cols, strict=True):
        ex, account = active[slots[c]], accounts[r]
        pairs.append(Pair(ex, account, fit(ex, account, ctx)))
    pairs.sort(key=lambda p: (-p.fit.total, p.account.name.casefold()))
    return pairs


def fit_matrix(
    executives: Sequence[ProgramExecutive], accounts: Sequence[ProgramAccount], ctx: FitContext
) -> np.ndarray:
    """`fit(ex, account).total` for every executive (rows) and account (columns),
    without building the explanations: a column operation per executive, not a Python
    step per pair (1,000 executives x 600 accounts at 50k: 250 -> 50 ms)."""
    import numpy as np

    industry = np.array([a.industry.strip().casefold() for a in accounts], dtype=object)
    region = np.array([a.region.strip().casefold() if a.region else None for a in accounts], dtype=object)
    name = np.array([a.name for a in accounts], dtype=object)
    level = np.array([FIT_LEVEL if a.top_engaged_level in ("c_level", "vp") else 0 for a in accounts], dtype=float)
    columns: dict[int, list[int]] = {}
    for k, a in enumerate(accounts):
        columns.setdefault(a.id, []).append(k)
    known: dict[int, list[int]] = {}
    for (ex_id, account_id), names in ctx.known_contacts.items():
        if names:
            known.setdefault(ex_id, []).extend(columns.get(account_id, ()))
    out = np.tile(level, (len(executives), 1))
    for row, ex in zip(out, executives, strict=True):
        expertise = [i for i in {i.strip().casefold() for i in ex.industries} if i]
        row += FIT_INDUSTRY * np.isin(industry, expertise)
        row += FIT_REGION * (region == ex.region.strip().casefold())
        row[known.get(ex.id, [])] += FIT_RELATIONSHIP
        for sponsored_in, names in ctx.sponsored_industries.get(ex.id, {}).items():
            same = industry == sponsored_in
            if len(set(names)) == 1:  # one account sponsored there: it is no similar customer of itself
                same &= name != names[0]
            row += FIT_SIMILAR * (same & bool(names))
    return out


@dataclass(frozen=True, slots=True)
class Duty:
    what: str
    due: date | None
    overdue: bool


def duties(tier: str, start: date, last_ebr: date | None, today: date) -> list[Duty]:
    """Sponsor duties (seed 000): EBR semi-annual (strategic) or annual
    (enterprise), a quarterly check-in with CS, escalations within 24 hours."""
    out = []
    period = 182 if tier == "strategic" else 365 if tier == "enterprise" else None
    if period:
        due = add_days(last_ebr or start, period)
        out.append(Duty(f"EBR ({'semi-annual' if period == 182 else 'annual'})", due, due < today))
    quarters = max(0, (today - start).days // 91) + 1
    checkin = add_days(start, 91 * quarters)
    out.append(Duty("CS check-in (quarterly)", checkin, False))
    out.append(Duty("escalations: answer in 24h", None, False))
    return out
