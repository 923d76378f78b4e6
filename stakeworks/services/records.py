"""What the screens read besides the portfolio: one record, one account's page, small lists.

Every function takes the store as `StorePort` (services/ports.py); a screen calls these in its
thread workers and never the store itself (the one door, docs/architecture.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import TYPE_CHECKING

from stakeworks.domain.our_side import Knows
from stakeworks.domain.rules import Assessment, assess
from stakeworks.domain.settings import Settings
from stakeworks.domain.signals import SignalView
from stakeworks.services import accounts, evidence, our_side
from stakeworks.services.ports import StorePort

if TYPE_CHECKING:  # pydantic's models load with the first record, not with this module (issue 20)
    from stakeworks.domain.models import (
        Account,
        PlanItem,
        PlaybookTask,
        StoredContact,
        StoredExecutive,
        Touch,
    )


@dataclass(frozen=True)
class AccountPage:
    """Everything the account screen shows."""

    view: accounts.AccountView
    history: list[tuple[date, int, str]]
    """(day, score, risk) of every recorded day."""
    version: int
    """The account's version as read: a save refuses a stale edit against it."""
    interims: list[accounts.Interim]
    meetings: list[tuple[date, str, list[str]]]
    """The next meetings: (day, title, who)."""
    ours: OurSideOfAccount | None = None


@dataclass(frozen=True)
class OurSideOfAccount:
    """DOMAIN sections 11 and 12 on the account screen."""

    bus_factor: int
    """People of ours who touched an engaged contact in the last 365 days."""
    seen_here: int
    """People seen in mail and calendar at its domains who are not on the map."""
    knows: dict[int, list[Knows]]
    """Contact id -> who of ours touched them in the last 365 days, most first."""


def page_reads(store: StorePort, account_id: int, today: date) -> tuple[Callable[[], object], ...]:
    """The account page's reads that need no other read's rows: on a team server they go to it
    together (`StorePort.reading_ahead`), one wait instead of one a statement."""
    return (
        partial(store.account, account_id),
        partial(store.contacts, account_id),
        partial(store.influences, account_id),
        partial(store.sponsor_names_by_account, account_id),
        partial(store.score_history, account_id),
        partial(store.account_version, account_id),
        partial(store.interim_picks, account_id),
        partial(store.next_meetings, account_id, today),
    )


def account_page(store: StorePort, account_id: int, today: date, settings: Settings) -> AccountPage:
    with store.reading_ahead(*page_reads(store, account_id, today)):
        view = accounts.account_view(store, account_id, today, settings)
        history, version = store.score_history(account_id), store.account_version(account_id)
        interims, meetings = accounts.interim_contacts(store, account_id), store.next_meetings(account_id, today)
    side = our_side.our_side(store, today, [account_id])
    engaged = [c.id for c in view.contacts if view.assessment.states[c.id].engaged]
    ours = OurSideOfAccount(
        side.bus_factor(engaged),
        evidence.seen_count(store, today, account_id),
        {c.id: side.who_knows(c.id) for c in view.contacts},
    )
    return AccountPage(view, history, version, interims, meetings, ours)


def account(store: StorePort, account_id: int) -> Account:
    return store.account(account_id)


def account_verdict(store: StorePort, account_id: int, today: date, settings: Settings) -> tuple[Account, Assessment]:
    """The account and its verdict with every factor's sentence (the portfolio leaves them out)."""
    found = store.account(account_id)
    lines = store.influences(account_id)
    return found, assess(store.contacts(account_id), today, found.renewal_date, settings, influences=lines)


def contact(store: StorePort, contact_id: int) -> StoredContact:
    return store.contact(contact_id)


def contacts(store: StorePort, account_id: int) -> list[StoredContact]:
    return store.contacts(account_id)


def touches(store: StorePort, contact_id: int, limit: int) -> list[Touch]:
    """A contact's touches, newest first, at most `limit`."""
    return store.touches(contact_id, limit)


def contact_impact(store: StorePort, contact_id: int) -> dict[str, int]:
    """What deleting the contact takes with it or changes, counted (touches, tasks, plan items, ...)."""
    return store.contact_impact(contact_id)


def account_impact(store: StorePort, account_id: int) -> dict[str, int]:
    """What deleting the account takes with it, counted (contacts, touches, sponsorships, ...)."""
    return store.account_impact(account_id)


def executives(store: StorePort) -> list[StoredExecutive]:
    """Our active executives, as stored."""
    return store.executives()


def values_in_use(store: StorePort, fields: tuple[str, ...]) -> dict[str, list[str]]:
    """The values each of the accounts' `fields` (CSM, industry, region) already has, sorted."""
    rows = store.account_rows()
    return {f: sorted({getattr(r, f) for r in rows if getattr(r, f)}, key=str.casefold) for f in fields}


def plan_items(store: StorePort, account_id: int) -> list[PlanItem]:
    return store.plan_items(account_id)


def open_signals(store: StorePort) -> list[SignalView]:
    return store.signals("open")


@dataclass(frozen=True)
class TaskList:
    """The playbook tasks screen: the tasks and the names and owners it shows them with."""

    tasks: list[PlaybookTask]
    account_names: dict[int, str]
    contact_names: dict[int, str]
    csm_of: dict[int, str]
    interims: list[accounts.Interim]


def task_list(store: StorePort, account_id: int | None) -> TaskList:
    """Playbook tasks of one account, or of the whole portfolio (None)."""
    return TaskList(
        store.playbook_tasks(account_id),
        dict(store.account_names()),
        store.playbook_contact_names(),
        {a.id: a.csm for a in store.account_rows()},
        accounts.interim_contacts(store, account_id),
    )


def team_settings(store: StorePort) -> tuple[Settings, str | None]:
    """The team's settings as stored now, and why this person may not change them (None: they may)."""
    from stakeworks.services.permissions import settings_read_only_reason

    return store.settings(), settings_read_only_reason(store)
