"""Who reports to whom: one rule for the store's check, the map widget and the org chart.

A contact's manager is another contact of the same account, and following managers up never
comes back to someone already passed. The store refuses a link that breaks the rule (its
triggers, db/schema.py, say the same words as a last guard for bulk writes); a map drawn from a
store written before the rule was checked leaves out the link that would loop, never follows it
forever.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Mapping
from typing import Protocol, TypeVar

SAME_ACCOUNT = "reports-to must be a contact of the same account"
CYCLE = "reports-to would form a cycle"


class Reporting(Protocol):
    """What the rule reads of a contact."""

    @property
    def id(self) -> int | None: ...
    @property
    def reports_to_id(self) -> int | None: ...


Person = TypeVar("Person", bound=Reporting)


def loops(contact_id: int | None, manager_of: Mapping[int | None, int | None]) -> bool:
    """Following managers up from `contact_id` comes back to someone already passed; the walk
    stops at anyone `manager_of` does not know (another account's person, or nobody)."""
    return _loops(contact_id, manager_of.get(contact_id), manager_of.__getitem__, manager_of)


def _loops(
    contact_id: int | None, boss: int | None, manager_of: Callable[[int], int | None], known: Container[int | None]
) -> bool:
    seen = {contact_id}
    while boss is not None and boss in known:
        if boss in seen:
            return True
        seen.add(boss)
        boss = manager_of(boss)
    return False


def link_problem(
    contact_id: int | None,
    account_id: int | None,
    boss_id: int | None,
    above: Mapping[int, tuple[int, int | None]],
) -> str | None:
    """Why contact `contact_id` (None: not stored yet) of `account_id` may not report to `boss_id`, or None.

    `above` holds the would-be manager and everyone above them: id -> (account id, manager id).
    """
    if boss_id is None:
        return None
    boss = above.get(boss_id)
    if boss is None or boss[0] != account_id:
        return SAME_ACCOUNT
    manager_of: dict[int | None, int | None] = {i: manager for i, (_, manager) in above.items()}
    manager_of[contact_id] = boss_id
    return CYCLE if contact_id is not None and loops(contact_id, manager_of) else None


def drawn_manager(contact: Person, by_id: Mapping[int | None, Person]) -> Person | None:
    """The contact's manager as a map draws it: None when they have none among `by_id` (one
    account's people) or when the chain above them loops."""
    boss = by_id.get(contact.reports_to_id) if contact.reports_to_id is not None else None
    if boss is None or _loops(contact.id, contact.reports_to_id, lambda i: by_id[i].reports_to_id, by_id):
        return None
    return boss
