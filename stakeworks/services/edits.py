"""The app's writes, each one undoable: the store records what it changed and the session keeps
the token for ctrl+z (`services/session.py`). Shared by every screen that saves or deletes.

A stale edit (someone saved the record since the screen read it) comes back as the record as it
is now, so the screen can show what changed; any other refusal raises.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Generic, TypeVar

from stakeworks.domain.errors import StaleEdit
from stakeworks.domain.settings import Settings
from stakeworks.domain.undo import UndoToken
from stakeworks.services import accounts
from stakeworks.services.ports import StorePort

if TYPE_CHECKING:  # pydantic's models load with the first record, not with this module (issue 20)
    from stakeworks.domain.models import (
        Account,
        Contact,
        Executive,
        PlanItem,
        StoredContact,
        StoredExecutive,
        TouchKind,
    )
    from stakeworks.domain.sponsors import Pair

DELETABLE = ("touch", "contact", "account")

RecordT = TypeVar("RecordT")


@dataclass(frozen=True)
class Stale(Generic[RecordT]):
    """A save refused because the record changed since the screen read it; nothing was written."""

    stored: RecordT
    """The record as it is stored now."""
    version: int = 0
    """Its version, for a record whose save checks one (an account)."""


def delete(store: StorePort, kind: str, record_id: int) -> UndoToken:
    """Delete a touch, a contact (with their touches, roles and tasks) or an account (with everything in it)."""
    with store.undoable() as undo:
        if kind == "touch":
            store.delete_touch(record_id)
        elif kind == "contact":
            store.delete_contact(record_id)
        elif kind == "account":
            store.delete_account(record_id)
        else:
            raise ValueError(f"cannot delete a {kind}: one of {', '.join(DELETABLE)}")
    return undo


def save_account(store: StorePort, account: Account, version: int | None) -> tuple[int, UndoToken] | Stale[Account]:
    """Create or save the account: its id and how to undo the save."""
    try:
        with store.undoable() as undo:
            account_id = accounts.save_account(store, account, version)
    except StaleEdit:
        assert account.id is not None  # only a stored account can be stale
        return Stale(store.account(account.id), store.account_version(account.id))
    return account_id, undo


def save_contact(store: StorePort, draft: Contact, today: date) -> UndoToken | Stale[Contact]:
    """Save the contact (a departure starts its playbook, dated `today`): how to undo the save."""
    try:
        with store.undoable() as undo:
            store.save_contact(draft, today=today)
    except StaleEdit:
        assert draft.id is not None  # only a stored contact can be stale
        return Stale(store.contact(draft.id))
    return undo


def log_touch(store: StorePort, contact_id: int, kind: TouchKind | str, when: date, note: str, by: str) -> UndoToken:
    with store.undoable() as undo:
        accounts.log_touch(store, contact_id, kind, when, note, by=by)
    return undo


def save_plan_item(store: StorePort, item: PlanItem, expected: PlanItem | None = None) -> UndoToken:
    """Save a plan item; `expected` (the item as shown) refuses a stale change, saying what changed."""
    with store.undoable() as undo:
        store.save_plan_item(item, expected)
    return undo


def set_task_done(store: StorePort, task_id: int, done: bool) -> UndoToken:
    with store.undoable() as undo:
        store.set_task_done(task_id, done)
    return undo


def save_executive(store: StorePort, updated: Executive, base: Executive) -> UndoToken | tuple[str, Executive | None]:
    """Save one of our executives (`base`: as the editor read it): how to undo the save, else why
    not and the stored executive as it is now (None: gone)."""
    try:
        with store.undoable() as undo:
            store.save_executive(updated, base if base.id is not None else None)
    except StaleEdit as exc:
        fresh = next((x for x in store.executives(include_retired=True) if x.id == base.id), None)
        return str(exc), fresh
    return undo


def retire_executive(store: StorePort, ex: Executive) -> UndoToken:
    """Only the active flag is written, and only while the executive is as `ex` shows: a title,
    capacity or exception reason changed elsewhere since is never put back."""
    with store.undoable() as undo:
        store.retire_executive(ex)
    return undo


# -- issue 31: every other write of the app, undoable too ------------------------------------------


def log_touches(
    store: StorePort, contact_ids: list[int], kind: TouchKind | str, when: date, note: str, by: str
) -> UndoToken:
    """One touch with several people (`accounts.log_touches`: all logged, or none), undoable."""
    with store.undoable() as undo:
        accounts.log_touches(store, contact_ids, kind, when, note, by=by)
    return undo


def depart(
    store: StorePort, account_id: int, contact: StoredContact, when: date, today: date
) -> tuple[accounts.DepartureResult, UndoToken]:
    """Mark departed (with the playbook's tasks, as `accounts.depart`): what it did and how to undo it."""
    with store.undoable() as undo:
        result = accounts.depart(store, account_id, contact, when, today)
    return result, undo


def pick_interim(store: StorePort, departed: Contact, successor: Contact, today: date) -> UndoToken:
    with store.undoable() as undo:
        accounts.pick_interim(store, departed, successor, today)
    return undo


def sponsorship(
    store: StorePort, assign: bool, executive: StoredExecutive, account_id: int, account_name: str, today: date
) -> UndoToken:
    """Assign one of our executives to an account, or end the sponsorship (`program.assign`, `unassign`)."""
    from stakeworks.services import program

    with store.undoable() as undo:
        (program.assign if assign else program.unassign)(store, executive, account_id, account_name, today)
    return undo


def decide_review(
    store: StorePort, review_id: int, executive: Executive | None, reason: str | None, by: str, today: date
) -> tuple[str, UndoToken]:
    """Approve a sponsor review with `executive` (no reason), or decline it with `reason`: what was done."""
    from stakeworks.services import sponsor_reviews as reviews

    with store.undoable() as undo:
        if reason is None:
            ex_name, account = reviews.approve(store, review_id, executive, by, today)
            done = f"Approved: {ex_name} now sponsors {account}."
        else:
            done = f"Declined {reviews.decline(store, review_id, reason, by, today)}."
    return done, undo


def decide_signal(store: StorePort, signal_id: int, confirm: bool, by: str, today: date) -> UndoToken:
    from stakeworks.services import living_map

    with store.undoable() as undo:
        (living_map.confirm if confirm else living_map.dismiss)(store, signal_id, by, today)
    return undo


def nominate(
    store: StorePort, account_id: int, executive: Executive | None, reason: str, by: str, today: date
) -> UndoToken:
    from stakeworks.services import sponsor_reviews as reviews

    with store.undoable() as undo:
        reviews.nominate(store, account_id, executive, reason, by, today)
    return undo


def take_suggestion(store: StorePort, pairs: list[Pair], approve: bool, by: str, today: date) -> tuple[int, UndoToken]:
    """The suggested pairs approved at once (the owner's choice), or put in the review queue: how many."""
    from stakeworks.services import sponsor_reviews as reviews

    with store.undoable() as undo:
        count = (reviews.approve_suggestion if approve else reviews.queue_suggestion)(store, pairs, by, today)
    return count, undo


def influence_line(
    store: StorePort, account_id: int, source: Contact, target: Contact, sign: str, note: str, *, remove: bool = False
) -> UndoToken:
    """Save (or remove) the influence line from `source` to `target` (DOMAIN section 14)."""
    from stakeworks.services import people

    with store.undoable() as undo:
        if remove:
            assert source.id is not None and target.id is not None  # stored contacts
            store.remove_influence(source.id, target.id)
        else:
            people.save_line(store, account_id, source, target, sign, note)
    return undo


# -- issue 32: the team's settings, also from the app ------------------------------------------------


def change_setting(store: StorePort, key: str, text: str | None) -> tuple[Settings, UndoToken]:
    """Set one setting from the text typed (None: back to its default), as `stakeworks settings set`
    does: checked (a bad key or value raises naming the valid ones, nothing written), undoable."""
    with store.undoable() as undo:
        settings = store.change_setting(key, text)
    return settings, undo
