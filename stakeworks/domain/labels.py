"""The words a user reads for the domain's codes: levels, statuses, roles, factors.

Codes (`c_level`, `not_engaged`, `no_economic_buyer_engaged`) are the contract of
the store and the CLI's JSON; screens show these labels instead. Our executive
who sponsors an account is always "our sponsor"; the customer's own senior
leader (the `executive_sponsor` role) is always "their executive sponsor".
Plain dicts, no pydantic: the first frame of the app reads them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

LEVEL: dict[str, str] = {
    "c_level": "C-level",
    "vp": "VP",
    "director": "Director",
    "manager": "Manager",
    "user": "User",
}
STATUS: dict[str, str] = {
    "active": "Active",
    "not_engaged": "Known, not engaged",
    "departed": "Departed",
}
SENTIMENT: dict[str, str] = {
    "advocate": "Advocate",
    "supportive": "Supportive",
    "neutral": "Neutral",
    "resistant": "Resistant",
    "detractor": "Detractor",
}
ROLE: dict[str, str] = {
    "champion": "Champion",
    "economic_buyer": "Economic buyer",
    "decision_maker": "Decision maker",
    "executive_sponsor": "Their executive sponsor",
    "technical_lead": "Technical lead",
    "end_user_champion": "End-user champion",
    "influencer": "Influencer",
    "detractor": "Detractor",
    "end_user": "End user",
}
ROLE_SHORT: dict[str, str] = {
    "champion": "champion",
    "economic_buyer": "buyer",
    "decision_maker": "decider",
    "executive_sponsor": "their sponsor",
    "technical_lead": "tech lead",
    "end_user_champion": "user champion",
    "influencer": "influencer",
    "detractor": "detractor",
    "end_user": "user",
}
TIER: dict[str, str] = {
    "strategic": "Strategic",
    "enterprise": "Enterprise",
    "mid_market": "Mid-market",
    "smb": "SMB",
}
TIER_ORDER: dict[str, int] = {code: i for i, code in enumerate(TIER)}
"""Strategic first, SMB last: the order a tier column sorts in."""
KRALJIC: dict[str, str] = {
    "strategic": "Strategic",
    "leverage": "Leverage",
    "bottleneck": "Bottleneck",
    "non_critical": "Non-critical",
}
TOUCH_KIND: dict[str, str] = {
    "call": "Call",
    "email": "Email",
    "meeting": "Meeting",
    "qbr": "QBR",
    "ebr": "EBR",
    "event": "Event",
    "in_app": "In-app",
}
PLAN_STATUS: dict[str, str] = {"open": "Open", "done": "Done", "dropped": "Dropped"}
DIMENSION: dict[str, str] = {
    "champion": "Champion",
    "economic_buyer": "Economic buyer",
    "executive_sponsor": "Their exec sponsor",
    "decision_maker": "Decision maker",
    "breadth": "Breadth",
    "depth": "Depth",
}
FACTOR: dict[str, str] = {
    "no_contacts": "No active contact",
    "single_contact": "Only one active contact",
    "no_economic_buyer_engaged": "No economic buyer engaged",
    "nobody_engaged": "Nobody engaged",
    "no_champion": "No champion",
    "champion_departed": "Champion departed",
    "champion_overdue": "Champion overdue",
    "champion_weak": "Champion not engaged",
    "sponsor_overdue": "Their executive sponsor overdue",
    "renewal_near_uncovered": "Renewal near, buyer not met",
    "no_executive_sponsor": "No executive sponsor of theirs",
    "single_department": "One department only",
    "thin_depth": "Thin depth",
    "unmanaged_detractor": "Detractor without a plan",
    "multi_threaded": "Multi-threaded",
}
"""A factor in a few words; its rationale (naming the people) is the full text."""
FACTOR_SHORT: dict[str, str] = {
    "no_contacts": "no contact",
    "single_contact": "one contact",
    "no_economic_buyer_engaged": "no buyer",
    "nobody_engaged": "nobody engaged",
    "no_champion": "no champion",
    "champion_departed": "champion left",
    "champion_overdue": "champion overdue",
    "champion_weak": "champion weak",
    "sponsor_overdue": "sponsor overdue",
    "renewal_near_uncovered": "renewal uncovered",
    "no_executive_sponsor": "no exec sponsor",
    "single_department": "one dept",
    "thin_depth": "thin depth",
    "unmanaged_detractor": "detractor",
    "multi_threaded": "multi-threaded",
}
"""A factor in one or two words, for a table column of several factors."""
RISK: dict[str, str] = {"high": "High", "medium": "Medium", "low": "Low"}


def label(words: Mapping[str, str], code: object) -> str:
    """The word for `code`; an unknown code still reads as words, never as `snake_case`."""
    if code is None:
        return "—"
    text = str(getattr(code, "value", code))
    return words.get(text, text.replace("_", " "))


def roles_text(roles: Iterable[object], words: Mapping[str, str] = ROLE) -> str:
    """A set of role codes as words in the vocabulary's order (champion first); "—" for none."""
    order = {code: i for i, code in enumerate(ROLE)}
    codes = sorted((str(getattr(r, "value", r)) for r in roles), key=lambda r: (order.get(r, len(order)), r))
    return ", ".join(label(words, r) for r in codes) or "—"


def choices(words: Mapping[str, str]) -> list[tuple[str, str]]:
    """(label, code) pairs for a dropdown, in the vocabulary's order."""
    return [(text, code) for code, text in words.items()]


def factor_words(code: str) -> str:
    """A factor in words inside a sentence: "champion departed"."""
    words = label(FACTOR, code)
    return words[:1].lower() + words[1:]


def risk_score(score: int) -> str:
    """The triage score said as what it is (DOMAIN section 4): "risk score 66 / 100"."""
    return f"risk score {score} / 100"


def risk_score_change(
    before: int, after: int, added: Iterable[str] = (), removed: Iterable[str] = (), arrow: str = "→"
) -> str:
    """A score's change, "risk score 66 → 96 / 100 (+30)". Where the score does not tell the
    change (the cap at 100 on either side, or factors trading places at equal points), the
    factors added and removed do: "risk score stays 100: + champion departed"."""
    if after == before:
        text = f"risk score stays {after}"
    else:
        text = f"risk score {before} {arrow} {after} / 100 ({after - before:+d})"
    factors = [f"+ {factor_words(c)}" for c in added] + [f"- {factor_words(c)}" for c in removed]
    if factors and (after == before or 100 in (before, after)):
        text += ": " + ", ".join(factors)
    return text
