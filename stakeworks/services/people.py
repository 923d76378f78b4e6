"""People across accounts and influence lines (DOMAIN sections 13 and 14): the use cases the
CLI and the app share."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from stakeworks.domain.errors import InputError, Refusal
from stakeworks.domain.influence import InfluenceLine, lines_by_account, parse_sign
from stakeworks.domain.people import (
    EXPOSED_ROLES,
    ExposedAt,
    Exposure,
    Move,
    PersonRecord,
    departure_at,
    exposure,
    group_people,
    identity_keys,
    moves,
    person_name,
)
from stakeworks.domain.settings import Settings
from stakeworks.domain.text import shorten
from stakeworks.services.accounts import find_contact
from stakeworks.services.ports import StorePort

if TYPE_CHECKING:
    from stakeworks.domain.models import Contact


@dataclass(frozen=True, slots=True)
class PersonView:
    """Every account where the person is or was a contact, and their moves between them."""

    name: str
    records: list[PersonRecord]
    moves: list[Move]


def _choice(group: list[PersonRecord]) -> str:
    r = group[0]
    where = ", ".join(sorted({x.account for x in group}))
    return f"{r.name}" + (f" <{r.email}>" if r.email else "") + f" at {where}"


def person(store: StorePort, email_or_name: str) -> PersonView:
    """The person an email or a name names, with every record joined to them (section 13);
    a name several people share is refused with the choices (give the email)."""
    text = email_or_name.strip()
    if not text:
        raise InputError("person: give an email or a name")
    seed = store.person_records(text)
    if not seed:
        what = "email" if "@" in text else "name"
        raise InputError(f"nobody with the {what} {shorten(text)!r} at any account")
    records, links = store.same_person(seed)
    groups = [g for g in group_people(records, links) if any(r in seed for r in g)]
    if len(groups) > 1:
        choices = "; ".join(_choice(g) for g in groups[:5]) + (
            f"; and {len(groups) - 5} more" if len(groups) > 5 else ""
        )
        raise InputError(f"{len(groups)} people are called {shorten(text)!r} ({choices}); give the email")
    group = groups[0]
    # Called as asked when asked by name (records of one person may carry different names).
    named = next((r.name for r in seed if "@" not in text and r in group), None)
    return PersonView(named or person_name(group), group, moves(group))


def portfolio_exposure(store: StorePort, today: date, settings: Settings | None = None) -> list[Exposure]:
    """People engaged as champion or economic buyer at two or more accounts, most ARR at stake first."""
    settings = settings or store.settings()
    records, links = store.shared_people()
    groups = []
    for group in group_people(records, links):
        holding = {r.account_id for r in group if r.status == "active" and EXPOSED_ROLES & r.roles}
        if len(holding) >= 2:  # engaged is checked on the accounts' full records below
            groups.append(group)
    account_ids = sorted({r.account_id for g in groups for r in g})
    if not account_ids:
        return []
    lines = lines_by_account(store.influences(account_ids))
    contacts = store.contact_rows(account_ids)
    return exposure(groups, contacts, store.account_facts(account_ids), today, settings, lines)


def elsewhere(store: StorePort, contact_id: int, today: date, settings: Settings | None = None) -> list[ExposedAt]:
    """The other accounts where this contact's person is active, each with its risk score now and
    if they left too (its own departure what-if): what a departure here may take with it."""
    settings = settings or store.settings()
    seed = store.person_records_by_id([contact_id])
    if not seed:
        return []
    records, _ = store.same_person(seed)
    others = [r for r in records if r.account_id != seed[0].account_id and r.status == "active"]
    if not others:
        return []
    ids = sorted({r.account_id for r in others})
    contacts, facts = store.contact_rows(ids), store.account_facts(ids)
    lines = lines_by_account(store.influences(ids))
    out = [
        departure_at(r, contacts.get(r.account_id, []), facts[r.account_id], today, settings,
                     lines.get(r.account_id, ()))
        for r in others
    ]  # fmt: skip
    return sorted(out, key=lambda a: (-a.arr, a.account.casefold()))


# -- hand links ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Pair:
    first: Contact
    first_account: str
    second: Contact
    second_account: str


def _pair(store: StorePort, account: int, name: str, other_account: int, other_name: str) -> Pair:
    first = find_contact(store, account, name)
    second = find_contact(store, other_account, other_name)
    names = dict(store.account_names())
    if account == other_account:
        raise Refusal(
            f"{first.name} and {second.name} are both contacts of {names[account]}: "
            "only contacts of different accounts can be the same person"
        )
    return Pair(first, names[account], second, names[other_account])


def link(store: StorePort, account: int, name: str, other_account: int, other_name: str) -> tuple[Pair, bool]:
    """Say two contacts of different accounts are the same person; whether the link is new."""
    pair = _pair(store, account, name, other_account, other_name)
    assert pair.first.id is not None and pair.second.id is not None
    return pair, store.link_contacts(pair.first.id, pair.second.id)


def unlink(store: StorePort, account: int, name: str, other_account: int, other_name: str) -> Pair:
    """Take back a hand link; refused when nothing was linked by hand, naming what joins them."""
    pair = _pair(store, account, name, other_account, other_name)
    assert pair.first.id is not None and pair.second.id is not None
    if store.unlink_contacts(pair.first.id, pair.second.id):
        return pair
    records = {r.contact_id: r for r in store.person_records_by_id([pair.first.id, pair.second.id])}
    first, second = records.get(pair.first.id), records.get(pair.second.id)
    shared = set(identity_keys(first)) & set(identity_keys(second)) if first and second else set()
    if shared:
        kind, value = sorted(shared)[0]
        why = f"the email {value}" if kind == "email" else f"the CRM id {value}"
        raise Refusal(
            f"{pair.first.name} and {pair.second.name} share {why}: that makes them the same person, "
            "not a hand link (change the email or CRM id to tell them apart)"
        )
    raise InputError(f"{pair.first.name} at {pair.first_account} and {pair.second.name} at {pair.second_account} "
                     "were not linked by hand")  # fmt: skip


# -- influence lines ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NamedLine:
    """An influence line with its people's names, as the map and `map --json` show it."""

    line: InfluenceLine
    source: str
    target: str


def influence_lines(store: StorePort, account_id: int) -> list[NamedLine]:
    names = {c.id: c.name for c in store.contacts(account_id)}
    return [NamedLine(x, names.get(x.from_id, "?"), names.get(x.to_id, "?")) for x in store.influences(account_id)]


def set_influence(
    store: StorePort, account_id: int, source: str, target: str, sign: str, note: str = ""
) -> tuple[NamedLine, bool]:
    """A line from one contact of the account to another, by name (or the line between them
    changed); whether it is new. Nothing is written on any refusal."""
    first = find_contact(store, account_id, source)
    second = find_contact(store, account_id, target)
    return save_line(store, account_id, first, second, sign, note)


def save_line(
    store: StorePort, account_id: int, first: Contact, second: Contact, sign: str, note: str = ""
) -> tuple[NamedLine, bool]:
    """The line from `first` to `second`, new or changed; whether it is new. A contact to itself,
    a bad sign or note, or a contact of another account is refused; nothing is written."""
    from pydantic import ValidationError

    from stakeworks.domain.models import Influence

    try:
        sign = parse_sign(sign)
    except ValueError as exc:
        raise InputError(str(exc)) from None
    if first.id == second.id:
        raise Refusal(f"{first.name} cannot influence themselves: an influence line joins two people")
    if first.account_id != account_id or second.account_id != account_id:
        raise Refusal("an influence line joins two contacts of its own account")
    try:
        line = Influence(account_id=account_id, from_id=first.id, to_id=second.id, sign=sign, note=note)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise InputError(
            f"influence {'.'.join(map(str, err['loc'])) or 'line'}: {err['msg'].removeprefix('Value error, ')}"
        ) from None
    before = {(x.from_id, x.to_id) for x in store.influences(account_id)}
    line_id = store.save_influence(line)
    saved = InfluenceLine(line_id, account_id, line.from_id, line.to_id, line.sign, line.note)
    return NamedLine(saved, first.name, second.name), (line.from_id, line.to_id) not in before


def remove_influence(store: StorePort, account_id: int, source: str, target: str) -> NamedLine:
    first = find_contact(store, account_id, source)
    second = find_contact(store, account_id, target)
    found = [x for x in store.influences(account_id) if (x.from_id, x.to_id) == (first.id, second.id)]
    if not found:
        raise InputError(f"no influence line from {first.name} to {second.name}")
    store.remove_influence(first.id, second.id)
    return NamedLine(found[0], first.name, second.name)
