"""Who to touch this week: overdue and soon-due contacts (DOMAIN section 2)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from stakeworks.domain.rules import ContactLike, contact_state
from stakeworks.domain.settings import DEFAULT_SETTINGS, Settings
from stakeworks.domain.vocab import ROLE_PRIORITY

_PRIORITY_ORDER = {"critical": 0, "high": 1, "medium": 2, "varies": 3, "low": 4}


def priority_of(roles: frozenset[str], level: str) -> str:
    """The most critical priority among a contact's roles (executives count high)."""
    best = min((ROLE_PRIORITY[r] for r in roles), key=_PRIORITY_ORDER.__getitem__, default="low")
    if level == "c_level" and _PRIORITY_ORDER[best] > _PRIORITY_ORDER["high"]:
        best = "high"
    return best


def is_overdue(due_in: int | None) -> bool:
    """Never touched counts as overdue (DOMAIN section 2), though it has no age."""
    return due_in is None or due_in < 0


@dataclass(frozen=True, slots=True)
class CadenceItem:
    account_id: int
    account: str
    contact: ContactLike
    priority: str
    threshold_days: int
    days_since_touch: int | None
    due_in: int | None
    """Days until the threshold is passed, negative = overdue by that many; None = never touched."""

    @property
    def overdue(self) -> bool:
        return is_overdue(self.due_in)

    @property
    def never_touched(self) -> bool:
        return self.days_since_touch is None


def cadence(
    accounts: Mapping[int, str],
    contacts_by_account: Mapping[int, Sequence[ContactLike]],
    today: date,
    settings: Settings = DEFAULT_SETTINGS,
) -> list[CadenceItem]:
    """Active contacts overdue or due within `due_soon_days`, most critical first,
    then never touched, then most overdue, then account and name."""
    items = []
    for account_id, people in contacts_by_account.items():
        for c in people:
            state = contact_state(c, today, settings)
            if not state.active or state.threshold_days is None:
                continue
            due_in = None if state.days_since_touch is None else state.threshold_days - state.days_since_touch
            if due_in is not None and due_in > settings.due_soon_days:
                continue
            items.append(
                CadenceItem(
                    account_id, accounts.get(account_id, "?"), c, priority_of(c.roles, c.level),
                    state.threshold_days, state.days_since_touch, due_in,
                )
            )  # fmt: skip
    items.sort(key=cadence_order)
    return items


def cadence_order(item: CadenceItem) -> tuple[int, bool, int, str, str]:
    """Most critical first, then never touched, then most overdue, then account and name
    (how `cadence` sorts; lists made a slice of accounts at a time are merged by it)."""
    return (
        _PRIORITY_ORDER[item.priority],
        item.due_in is not None,
        item.due_in or 0,
        item.account.casefold(),
        item.contact.name,
    )
