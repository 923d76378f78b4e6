"""The rules engine: DOMAIN sections 2, 3 and 4 as plain functions.

Everything takes "today" and a Settings object; nothing reads a clock or a
store. Contacts are anything shaped like `ContactLike` (the pydantic Contact,
or the store's light rows for portfolio-wide work), so the same code runs in
the editor's live recalculation and over 200,000 contacts.

One job per module, each importing only those above it in this list:

- `terms`: role names, levels, statuses, dimensions, each factor's level
- `state`: one contact's threshold and state on a day (section 2), and why a
  known contact is not engaged (section 3)
- `census`: one account's contacts sorted the way the rules read them
- `coverage`: the six coverage verdicts (section 3)
- `factors`: the risk factors, triage score and triage order (section 4)
- `assessment`: `assess`, the whole verdict of one account, and its bus factor
- `departure`: the departure what-if and the key people
- `grid`: engaged contacts by department and level band

Import the public names from here (`from stakeworks.domain.rules import assess`).
"""

from stakeworks.domain.rules.assessment import Assessment, NotEngaged, assess, bus_factor, not_engaged
from stakeworks.domain.rules.coverage import Verdict
from stakeworks.domain.rules.departure import WhatIf, key_people, whatif
from stakeworks.domain.rules.factors import Factor, triage_key, triage_score
from stakeworks.domain.rules.grid import coverage_grid
from stakeworks.domain.rules.state import (
    NEVER_TOUCHED,
    NOT_ENGAGED_REASONS,
    NOT_RATED,
    OVERDUE,
    STALE,
    STATUS_NOT_ENGAGED,
    STRENGTH_WORDS,
    WEAK,
    ContactLike,
    ContactState,
    band_of,
    contact_state,
    department_key,
    not_engaged_detail,
    strength_dots,
    threshold_days,
)
from stakeworks.domain.rules.terms import (
    CHAMPION,
    DECISION_MAKER,
    DETRACTOR,
    DIMENSIONS,
    ECONOMIC_BUYER,
    EXECUTIVE_SPONSOR,
    FACTOR_LEVELS,
    GAP,
    HIGH,
    LEVEL_ORDER,
    LOW,
    MEDIUM,
    MISSING,
    OK,
    RULES_REVISION,
)

__all__ = [
    "CHAMPION",
    "DECISION_MAKER",
    "DETRACTOR",
    "DIMENSIONS",
    "ECONOMIC_BUYER",
    "EXECUTIVE_SPONSOR",
    "FACTOR_LEVELS",
    "GAP",
    "HIGH",
    "LEVEL_ORDER",
    "LOW",
    "MEDIUM",
    "MISSING",
    "NEVER_TOUCHED",
    "NOT_ENGAGED_REASONS",
    "NOT_RATED",
    "OK",
    "OVERDUE",
    "RULES_REVISION",
    "STALE",
    "STATUS_NOT_ENGAGED",
    "STRENGTH_WORDS",
    "WEAK",
    "Assessment",
    "ContactLike",
    "ContactState",
    "Factor",
    "NotEngaged",
    "Verdict",
    "WhatIf",
    "assess",
    "band_of",
    "bus_factor",
    "contact_state",
    "coverage_grid",
    "department_key",
    "key_people",
    "not_engaged",
    "not_engaged_detail",
    "strength_dots",
    "threshold_days",
    "triage_key",
    "triage_score",
    "whatif",
]
