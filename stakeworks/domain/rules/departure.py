"""The departure what-if (DOMAIN section 4): an account assessed as if one
contact left today, and the key people whose leaving would add a high factor."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from stakeworks.domain.influence import InfluenceLine
from stakeworks.domain.rules.assessment import Assessment, assess
from stakeworks.domain.rules.factors import Factor
from stakeworks.domain.rules.state import ContactLike
from stakeworks.domain.rules.terms import CRITICAL_ROLES, HIGH
from stakeworks.domain.settings import DEFAULT_SETTINGS, Settings


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


def whatif(
    contacts: Sequence[ContactLike],
    contact_id: int,
    today: date,
    renewal_date: date | None = None,
    settings: Settings = DEFAULT_SETTINGS,
    before: Assessment | None = None,
    influences: Sequence[InfluenceLine] = (),
) -> WhatIf:
    before = before or assess(contacts, today, renewal_date, settings, influences=influences)
    after = assess(contacts, today, renewal_date, settings, departed_id=contact_id, influences=influences)
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
    influences: Sequence[InfluenceLine] = (),
) -> set[int]:
    """Contacts whose departure would add a high-level factor.

    Only three things a departure changes can raise a high factor: the count of
    active contacts (when two or fewer remain), the holders of the critical
    roles, and whether anyone is engaged (the last engaged contact leaving).
    Everyone else is skipped, which keeps this exact and cheap.
    """
    before = before or assess(contacts, today, renewal_date, settings, influences=influences)
    n_active = sum(1 for c in contacts if c.status == "active")
    engaged = [c.id for c in contacts if before.states[c.id].engaged]
    keys: set[int] = set()
    for c in contacts:
        if c.id is None or c.status == "departed":
            continue
        last_engaged = engaged == [c.id]
        if not (CRITICAL_ROLES & set(c.roles)) and not (c.status == "active" and n_active <= 2) and not last_engaged:
            continue
        if whatif(contacts, c.id, today, renewal_date, settings, before, influences).key_person:
            keys.add(c.id)
    return keys
