"""The words the rules speak: role names, levels, verdict statuses, the coverage
dimensions and each factor's level (DOMAIN sections 3 and 4)."""

from __future__ import annotations

CHAMPION = "champion"
ECONOMIC_BUYER = "economic_buyer"
DECISION_MAKER = "decision_maker"
EXECUTIVE_SPONSOR = "executive_sponsor"
DETRACTOR = "detractor"

# The revision of DOMAIN.md sections 2-4 these rules implement. Verdicts kept in a store
# (the verdict cache) carry it, so none computed under older rules is ever served.
RULES_REVISION = 3

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
# In DOMAIN's table order, which is the order factors are listed in.
FACTOR_LEVELS: dict[str, str] = {
    "no_contacts": HIGH,
    "single_contact": HIGH,
    "no_economic_buyer_engaged": HIGH,
    "nobody_engaged": HIGH,
    "no_champion": HIGH,
    "champion_departed": HIGH,
    "champion_overdue": HIGH,
    "champion_weak": HIGH,
    "sponsor_overdue": MEDIUM,
    "renewal_near_uncovered": HIGH,
    "no_executive_sponsor": MEDIUM,
    "single_department": MEDIUM,
    "thin_depth": MEDIUM,
    "unmanaged_detractor": MEDIUM,
    "multi_threaded": LOW,
}
# Roles whose holders can move a high factor when they leave (see departure.key_people).
CRITICAL_ROLES = frozenset({CHAMPION, ECONOMIC_BUYER, DECISION_MAKER, EXECUTIVE_SPONSOR})
