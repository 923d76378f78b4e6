"""The rules engine: DOMAIN sections 2, 3 and 4 as plain functions.

Everything takes "today" and a Settings object; nothing reads a clock or a
store. Contacts are anything shaped like `ContactLike` (the pydantic Contact,
or the store's light rows for portfolio-wide work), so the same code runs in
the editor's live recalculation and over 200,000 contacts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple, Protocol

from stakeworks.domain.settings import DEFAULT_SETTINGS, Settings
from stakeworks.domain.vocab import BAND_OF_LEVEL, Band

CHAMPION = "champion"
ECONOMIC_BUYER = "economic_buyer"
DECISION_MAKER = "decision_maker"
EXECUTIVE_SPONSOR = "executive_sponsor"
DETRACTOR = "detractor"

HIGH, MEDIUM, LOW = "high", "medium", "low"
OK, GAP, MISSING = "ok", "gap", "missing"
LEVEL_ORDER = {LOW: 0, MEDIUM: 1, HIGH: 2}
DIMENSIONS = (
    "champion",
    "economic_buyer",
    "executive_sponsor",
    "decision_maker",
    "breadth",
    "depth",
)
FACTOR_LEVELS: dict[str, str] = {
    "no_contacts": HIGH,
    "single_contact": HIGH,
    "no_economic_buyer_engaged": HIGH,
    "champion_departed": HIGH,
    "champion_overdue": HIGH,
    "sponsor_overdue": HIGH,
    "renewal_near_uncovered": HIGH,
    "no_executive_sponsor": MEDIUM,
    "single_department": MEDIUM,
    "thin_depth": MEDIUM,
    "unmanaged_detractor": MEDIUM,
    "multi_threaded": LOW,
}
# Roles whose holders can move a high factor when they leave (see key_people).
_CRITICAL_ROLES = frozenset({CHAMPION, ECONOMIC_BUYER, DECISION_MAKER, EXECUTIVE_SPONSOR})


class ContactLike(Protocol):
    id: int | None
    name: str
    department: str
    level: str
    roles: frozenset[str] | frozenset
    strength: int
    sentiment: str
    status: str
    departed_on: date | None
    last_touch: date | None
    engagement_strategy: str


class ContactState(NamedTuple):
    """What the rules derive for one contact on one day.

    A NamedTuple, not a frozen dataclass: 200,000 are built on a cold portfolio
    day, and a frozen dataclass pays an object.__setattr__ per field.
    """

    threshold_days: int | None
    days_since_touch: int | None
    overdue: bool
    engaged: bool
    known: bool
    active: bool


@dataclass(frozen=True, slots=True)
class Verdict:
    status: str
    risk: str
    reason: str


@dataclass(frozen=True, slots=True)
class Factor:
    code: str
    level: str
    rationale: str


@dataclass(frozen=True, slots=True)
class Assessment:
    coverage: dict[str, Verdict]
    factors: tuple[Factor, ...]
    risk: str
    score: int
    bus_factor: int
    states: dict[int | None, ContactState] = field(repr=False)

    @property
    def factor_codes(self) -> list[str]:
        return [f.code for f in self.factors]


@dataclass(frozen=True, slots=True)
class WhatIf:
    contact_name: str
    before: Assessment
    after: Assessment
    key_person: bool

    @property
    def added_factors(self) -> list[Factor]:
        codes = set(self.before.factor_codes)
        return [f for f in self.after.factors if f.code not in codes]

    @property
    def removed_factors(self) -> list[Factor]:
        codes = set(self.after.factor_codes)
        return [f for f in self.before.factors if f.code not in codes]


# -- section 2: cadence -------------------------------------------------------


def threshold_days(level: str, roles: Iterable[str], settings: Settings = DEFAULT_SETTINGS) -> int | None:
    """The smallest touch threshold that applies to a level and a set of roles."""
    candidates = [settings.level_threshold_days.get(level)]
    candidates += [settings.role_threshold_days.get(r) for r in roles]
    present = [c for c in candidates if c is not None]
    return min(present) if present else None


# (settings, {(level, roles): threshold}) per Settings object in use; the object is
# held, so its id cannot be reused by another while its entry lives.
_thresholds: dict[int, tuple[Settings, dict[tuple[str, frozenset[str]], int | None]]] = {}


def _threshold_cache(settings: Settings) -> dict[tuple[str, frozenset[str]], int | None]:
    entry = _thresholds.get(id(settings))
    if entry is None or entry[0] is not settings:
        if len(_thresholds) > 32:
            _thresholds.clear()
        entry = _thresholds[id(settings)] = (settings, {})
    return entry[1]


def contact_state(c: ContactLike, today: date, settings: Settings = DEFAULT_SETTINGS) -> ContactState:
    # A handful of (level, roles) pairs cover a whole portfolio: look each threshold up once.
    cache = _threshold_cache(settings)
    key = (c.level, frozenset(c.roles))
    threshold = cache[key] if key in cache else cache.setdefault(key, threshold_days(c.level, c.roles, settings))
    days = None if c.last_touch is None else max(0, (today - c.last_touch).days)
    active = c.status == "active"
    overdue = active and threshold is not None and (days is None or days > threshold)
    engaged = active and c.strength >= settings.engaged_min_strength and not overdue
    return ContactState(threshold, days, overdue, engaged, c.status != "departed", active)


def department_key(department: str) -> str:
    """Departments match case-insensitively after trimming; blank is none."""
    return department.strip().casefold()


def band_of(level: str) -> Band:
    return BAND_OF_LEVEL[level]


# -- sections 3 and 4 -----------------------------------------------------------


def _names(people: Sequence[ContactLike]) -> str:
    names = [p.name for p in people]
    if len(names) <= 3:
        return ", ".join(names)
    return ", ".join(names[:3]) + f" and {len(names) - 3} more"


def _role_verdict(
    role_label: str,
    holders: list[ContactLike],
    states: dict[int, ContactState],
    risk_if_bad: str,
    why: str,
    explain: bool = True,
) -> Verdict:
    engaged = [c for c in holders if states[id(c)].engaged]
    if engaged:
        if not explain:
            return Verdict(OK, LOW, "")
        if role_label == "champion" and len(engaged) == 1:
            return Verdict(OK, LOW, f"{engaged[0].name} engaged; single-threaded to one champion")
        return Verdict(OK, LOW, f"{_names(engaged)} engaged")
    known = [c for c in holders if states[id(c)].known]
    if known:
        return Verdict(GAP, risk_if_bad, f"{_names(known)} known but not engaged; {why}" if explain else "")
    return Verdict(MISSING, risk_if_bad, f"no {role_label.replace('_', ' ')} known; {why}" if explain else "")


def _pretty_dept(contacts: Iterable[ContactLike], key: str) -> str:
    for c in contacts:
        if department_key(c.department) == key:
            return c.department.strip()
    return key


def assess(
    contacts: Sequence[ContactLike],
    today: date,
    renewal_date: date | None = None,
    settings: Settings = DEFAULT_SETTINGS,
    *,
    departed_id: int | None = None,
    explain: bool = True,
) -> Assessment:
    """Coverage, factors, risk, score and bus factor of one account.

    `departed_id` simulates that contact leaving today without touching the
    record (the departure what-if). `explain=False` leaves the sentences empty
    (same verdicts, for portfolio-wide work); the account view always explains.
    """
    states: dict[int, ContactState] = {}
    people: list[ContactLike] = []
    active: list[ContactLike] = []
    engaged: list[ContactLike] = []
    holders: dict[str, list[ContactLike]] = {
        CHAMPION: [],
        ECONOMIC_BUYER: [],
        EXECUTIVE_SPONSOR: [],
        DECISION_MAKER: [],
    }
    detractors: list[ContactLike] = []
    for c in contacts:
        if departed_id is not None and c.id == departed_id:
            c = _Departed(c, today)
        st = contact_state(c, today, settings)
        states[id(c)] = st
        people.append(c)
        roles = c.roles
        if roles:
            for role in roles:
                bucket = holders.get(role)
                if bucket is not None:
                    bucket.append(c)
        if st.active:
            active.append(c)
            if (DETRACTOR in roles or c.sentiment == DETRACTOR) and not c.engagement_strategy.strip():
                detractors.append(c)
        if st.engaged:
            engaged.append(c)
    champions, buyers = holders[CHAMPION], holders[ECONOMIC_BUYER]
    sponsors, deciders = holders[EXECUTIVE_SPONSOR], holders[DECISION_MAKER]

    coverage: dict[str, Verdict] = {
        "champion": _role_verdict("champion", champions, states, HIGH, "nobody advocates for us", explain),
        "economic_buyer": _role_verdict("economic_buyer", buyers, states, HIGH, "renewal decision at risk", explain),
        "executive_sponsor": _role_verdict(
            "executive_sponsor", sponsors, states, MEDIUM, "no strategic air cover", explain
        ),
    }

    # Decision maker: economic buyers stand in when nobody holds the role.
    known_deciders = [c for c in deciders if states[id(c)].known]
    stand_in = not known_deciders
    pool = [c for c in buyers if states[id(c)].known] if stand_in else known_deciders
    window = settings.decision_maker_window_days
    qualified = [
        c
        for c in pool
        if states[id(c)].active
        and states[id(c)].days_since_touch is not None
        and states[id(c)].days_since_touch <= window  # type: ignore[operator]
    ]
    if qualified:
        reason = ""
        if explain:
            who = qualified[0]
            stand = " (economic buyer standing in)" if stand_in else ""
            reason = f"{who.name}{stand} touched {states[id(who)].days_since_touch} days ago"
        coverage["decision_maker"] = Verdict(OK, LOW, reason)
    elif pool:
        coverage["decision_maker"] = Verdict(
            GAP, MEDIUM, f"{_names(pool)} not touched within {window} days" if explain else ""
        )
    else:
        coverage["decision_maker"] = Verdict(
            MISSING, MEDIUM, "no decision maker or economic buyer known" if explain else ""
        )

    dept_keys = {department_key(c.department) for c in engaged} - {""}
    bands = {BAND_OF_LEVEL[c.level] for c in engaged}
    if not engaged:
        coverage["breadth"] = Verdict(MISSING, HIGH, "no engaged contact" if explain else "")
    elif len(dept_keys) >= 2:
        reason = ""
        if explain:
            pretty = sorted(_pretty_dept(engaged, k) for k in dept_keys)
            reason = f"engaged in {len(pretty)} departments: {', '.join(pretty)}"
        coverage["breadth"] = Verdict(OK, LOW, reason)
    else:
        reason = ""
        if explain:
            only = _pretty_dept(engaged, next(iter(dept_keys))) if dept_keys else "no department recorded"
            reason = f"narrow ({only} only): a reorg there could sever the relationship"
        coverage["breadth"] = Verdict(GAP, MEDIUM, reason)
    if len(bands) == 3:
        coverage["depth"] = Verdict(OK, LOW, "engaged at executive, senior and working levels" if explain else "")
    else:
        status, risk = (GAP, MEDIUM) if len(bands) == 2 else (MISSING, HIGH)
        reason = ""
        if explain:
            band_names = [b.value for b in Band if b in bands]
            missing = [b.value for b in Band if b not in bands]
            have = " + ".join(band_names) if band_names else "no engaged contact"
            reason = f"thin ({have}; no {' or '.join(missing)} band)"
        coverage["depth"] = Verdict(status, risk, reason)

    factors: list[Factor] = []

    def fire(code: str, rationale: Callable[[], str]) -> None:
        factors.append(Factor(code, FACTOR_LEVELS[code], rationale() if explain else ""))

    if not active:
        fire("no_contacts", lambda: "no active contact: nobody at the account hears from us")
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
                    f"{_names(recent)} left within {settings.champion_departed_window_days} days "
                    "and no engaged champion is in place"
                ),
            )
    active_champions = [c for c in champions if states[id(c)].active]
    if active_champions and all(states[id(c)].overdue for c in active_champions):
        fire(
            "champion_overdue",
            lambda: f"every active champion is past their touch threshold ({_names(active_champions)})",
        )
    active_sponsors = [c for c in sponsors if states[id(c)].active]
    if active_sponsors and all(states[id(c)].overdue for c in active_sponsors):
        fire(
            "sponsor_overdue",
            lambda: f"every executive sponsor is past their touch threshold ({_names(active_sponsors)})",
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
                    f"renewal in {(renewal_date - today).days} days and no economic buyer or decision "  # type: ignore[operator]
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
        fire("unmanaged_detractor", lambda: f"{_names(detractors)}: detractor with no engagement strategy")
    if len(engaged) >= 3 and len(bands) >= 2 and len(dept_keys) >= 2:
        fire(
            "multi_threaded",
            lambda: f"{len(engaged)} engaged contacts across {len(bands)} levels and {len(dept_keys)} departments",
        )

    risk = max((f.level for f in factors), key=LEVEL_ORDER.__getitem__, default=LOW)
    score = triage_score(factors, settings)
    bus = len({id(c) for c in champions + buyers if states[id(c)].engaged})
    by_contact_id = {c.id: states[id(c)] for c in people}
    return Assessment(coverage, tuple(factors), risk, score, bus, by_contact_id)


def triage_score(factors: Iterable[Factor], settings: Settings = DEFAULT_SETTINGS) -> int:
    points = 0
    for f in factors:
        if f.level == HIGH:
            points += settings.high_points
        elif f.level == MEDIUM:
            points += settings.medium_points
    return min(100, points)


def triage_key(score: int, renewal_date: date | None, arr: float, name: str) -> tuple:
    """DOMAIN triage order: score desc, renewal soonest (none last), ARR desc, name."""
    return (-score, renewal_date or date.max, -arr, name.casefold())


class _Departed:
    """A read-only view of a contact as if they left today (what-if)."""

    __slots__ = ("_c", "departed_on")

    status = "departed"

    def __init__(self, contact: ContactLike, today: date) -> None:
        self._c = contact
        self.departed_on = today

    def __getattr__(self, name: str) -> object:
        return getattr(self._c, name)


def whatif(
    contacts: Sequence[ContactLike],
    contact_id: int,
    today: date,
    renewal_date: date | None = None,
    settings: Settings = DEFAULT_SETTINGS,
    before: Assessment | None = None,
) -> WhatIf:
    before = before or assess(contacts, today, renewal_date, settings)
    after = assess(contacts, today, renewal_date, settings, departed_id=contact_id)
    name = next((c.name for c in contacts if c.id == contact_id), "?")
    high_before = {f.code for f in before.factors if f.level == HIGH}
    key = any(f.level == HIGH and f.code not in high_before for f in after.factors)
    return WhatIf(name, before, after, key)


def key_people(
    contacts: Sequence[ContactLike],
    today: date,
    renewal_date: date | None = None,
    settings: Settings = DEFAULT_SETTINGS,
    before: Assessment | None = None,
) -> set[int]:
    """Contacts whose departure would add a high-level factor.

    Only two things a departure changes can raise a high factor: the count of
    active contacts (when two or fewer remain) and the holders of the critical
    roles. Everyone else is skipped, which keeps this exact and cheap.
    """
    before = before or assess(contacts, today, renewal_date, settings)
    n_active = sum(1 for c in contacts if c.status == "active")
    keys: set[int] = set()
    for c in contacts:
        if c.id is None or c.status == "departed":
            continue
        if not (_CRITICAL_ROLES & set(c.roles)) and not (c.status == "active" and n_active <= 2):
            continue
        if whatif(contacts, c.id, today, renewal_date, settings, before).key_person:
            keys.add(c.id)
    return keys


def coverage_grid(
    contacts: Sequence[ContactLike], today: date, settings: Settings = DEFAULT_SETTINGS
) -> dict[str, dict[Band, list[ContactLike]]]:
    """Departments x level bands, engaged contacts only (DOMAIN section 3).

    Keys are the departments as first written; engaged contacts with no
    department sit under "(none)". Every band is present in every row so
    empty cells show.
    """
    grid: dict[str, dict[Band, list[ContactLike]]] = {}
    pretty: dict[str, str] = {}
    for c in contacts:
        if not contact_state(c, today, settings).engaged:
            continue
        key = department_key(c.department)
        label = pretty.setdefault(key, c.department.strip() or "(none)")
        row = grid.setdefault(label, {b: [] for b in Band})
        row[band_of(c.level)].append(c)
    return dict(sorted(grid.items(), key=lambda kv: kv[0].casefold()))


def strength_dots(strength: int) -> str:
    return "●" * strength + "○" * (5 - strength)
