"""Coverage (DOMAIN section 3): a verdict per dimension (champion, economic
buyer, executive sponsor, decision maker, breadth, depth) with its reason."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from stakeworks.domain.days import ago
from stakeworks.domain.rules.census import Census
from stakeworks.domain.rules.state import ContactLike, ContactState, department_key, not_engaged_detail
from stakeworks.domain.rules.terms import GAP, HIGH, LOW, MEDIUM, MISSING, OK
from stakeworks.domain.settings import Settings
from stakeworks.domain.vocab import Band


@dataclass(frozen=True, slots=True)
class Verdict:
    status: str
    risk: str
    reason: str


def name_list(people: Sequence[ContactLike]) -> str:
    """Up to three names, then how many more: reasons and rationales name the people."""
    names = [p.name for p in people]
    if len(names) <= 3:
        return ", ".join(names)
    return ", ".join(names[:3]) + f" and {len(names) - 3} more"


def names_with_reasons(people: Sequence[ContactLike], states: dict[int, ContactState], settings: Settings) -> str:
    """ "Sarah Kim: strength 2 (weak)" for up to three people, in the words of
    "known but not engaged" (section 3), then how many more."""
    shown = [f"{p.name}: {not_engaged_detail(p, states[id(p)], settings)}" for p in people[:3]]
    more = f"; and {len(people) - 3} more" if len(people) > 3 else ""
    return "; ".join(shown) + more


def _role_verdict(
    role_label: str,
    holders: list[ContactLike],
    states: dict[int, ContactState],
    risk_if_bad: str,
    why: str,
    settings: Settings,
    explain: bool = True,
) -> Verdict:
    engaged = [c for c in holders if states[id(c)].engaged]
    if engaged:
        if not explain:
            return Verdict(OK, LOW, "")
        if role_label == "champion" and len(engaged) == 1:
            return Verdict(OK, LOW, f"{engaged[0].name} engaged; single-threaded to one champion")
        return Verdict(OK, LOW, f"{name_list(engaged)} engaged")
    known = [c for c in holders if states[id(c)].known]
    if known:
        reason = f"known but not engaged: {names_with_reasons(known, states, settings)} — {why}" if explain else ""
        return Verdict(GAP, risk_if_bad, reason)
    return Verdict(MISSING, risk_if_bad, f"no {role_label.replace('_', ' ')} known; {why}" if explain else "")


def _last_touch(state: ContactState) -> str:
    if not state.active:
        return "status not engaged"
    if state.days_since_touch is None:
        return "never touched"
    return f"last touched {ago(state.days_since_touch)}"


def pretty_department(contacts: Iterable[ContactLike], key: str) -> str:
    for c in contacts:
        if department_key(c.department) == key:
            return c.department.strip()
    return key


def within_words(days: int) -> str:
    """A window in words: "within a year" for 365 days, else "within N days"."""
    return "within a year" if days == 365 else f"within {days} days"


def _decision_maker_verdict(census: Census, settings: Settings, explain: bool) -> Verdict:
    """An active decision maker touched within the window; with none known, economic buyers
    stand in. A stand-in's line says it stands in and why it is ok, for the economic-buyer
    line beside it may call the same person a gap (a 90-day cadence, a year's window here)."""
    states = census.states
    known_deciders = [c for c in census.deciders if states[id(c)].known]
    stand_in = not known_deciders
    pool = [c for c in census.buyers if states[id(c)].known] if stand_in else known_deciders
    window = settings.decision_maker_window_days
    qualified = [
        c
        for c in pool
        if states[id(c)].active
        and states[id(c)].days_since_touch is not None
        and states[id(c)].days_since_touch <= window  # type: ignore[operator]
    ]
    if not explain:
        return Verdict(OK, LOW, "") if qualified else Verdict(GAP if pool else MISSING, MEDIUM, "")
    if qualified:
        who = qualified[0]
        stand = ", economic buyer standing in as decision maker:" if stand_in else ""
        days = states[id(who)].days_since_touch or 0  # never None here: qualified people were touched
        return Verdict(OK, LOW, f"{who.name}{stand} touched {ago(days)}, {within_words(window)}")
    if pool:
        stand = "no economic buyer standing in as decision maker" if stand_in else "no decision maker"
        people = "; ".join(f"{c.name}: {_last_touch(states[id(c)])}" for c in pool[:3])
        more = f"; and {len(pool) - 3} more" if len(pool) > 3 else ""
        return Verdict(GAP, MEDIUM, f"{stand} touched {within_words(window)}: {people}{more}")
    return Verdict(MISSING, MEDIUM, "no decision maker or economic buyer known")


def coverage_verdicts(census: Census, settings: Settings, explain: bool = True) -> dict[str, Verdict]:
    """The six verdicts, in DIMENSIONS order; `explain=False` leaves reasons empty."""
    states = census.states
    buyers = census.buyers
    coverage: dict[str, Verdict] = {
        "champion": _role_verdict(
            "champion", census.champions, states, HIGH, "nobody advocates for us", settings, explain
        ),
        "economic_buyer": _role_verdict(
            "economic_buyer", buyers, states, HIGH, "renewal decision at risk", settings, explain
        ),
        "executive_sponsor": _role_verdict(
            "executive_sponsor", census.sponsors, states, MEDIUM, "no strategic air cover", settings, explain
        ),
        "decision_maker": _decision_maker_verdict(census, settings, explain),
    }
    engaged, dept_keys, bands = census.engaged, census.dept_keys, census.bands
    if not engaged:
        reason = ""
        if explain:
            n = len(census.not_engaged)
            reason = f"no engaged contact ({n} known but not engaged)" if n else "no engaged contact"
        coverage["breadth"] = Verdict(MISSING, HIGH, reason)
    elif len(dept_keys) >= 2:
        reason = ""
        if explain:
            pretty = sorted(pretty_department(engaged, k) for k in dept_keys)
            reason = f"engaged in {len(pretty)} departments: {', '.join(pretty)}"
        coverage["breadth"] = Verdict(OK, LOW, reason)
    else:
        reason = ""
        if explain:
            only = pretty_department(engaged, next(iter(dept_keys))) if dept_keys else "no department recorded"
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
    return coverage
