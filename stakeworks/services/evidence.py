"""The map keeps itself (DOMAIN section 11, CLI.md "The map keeps itself"): people seen in mail
and calendar who are not on the map, and strength suggestions. Both propose with their evidence;
nothing changes the map until the CSM adds, dismisses, accepts or rejects."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from stakeworks.domain.errors import InputError, Refusal
from stakeworks.domain.evidence import (
    ONE_WAY_TO_THEM,
    SUGGESTION_WINDOW_DAYS,
    WARMING_DAYS_FROM_THEM,
    WARMING_MEETINGS,
    Activity,
    AddressBook,
    Seen,
    Suggestion,
    account_domains,
    evidence_key,
    parse_suggestion_id,
    people_seen,
    stale_cutoffs,
    suggestions_for,
)
from stakeworks.domain.text import control_problem
from stakeworks.services.ports import StorePort

if TYPE_CHECKING:  # pydantic loads with the first model, not with this module (issue 20)
    from stakeworks.domain.models import Contact

MAX_ADDRESS = 320  # RFC 5321's longest address


def seen(store: StorePort, today: date, account_id: int | None = None) -> list[Seen]:
    """People seen who are not on the map, best first (of one account, or all)."""
    # The store leaves contacts' addresses out of what it counts: the book needs none of them.
    book = AddressBook(store.settings(), frozenset(), account_domains(store.domain_sources()))
    mine = None if account_id is None else sorted(d for d, accounts in book.domains.items() if account_id in accounts)
    found = people_seen(store.seen_counts(mine), book, store.dismissed_addresses(), today)
    return [s for s in found if account_id is None or account_id in s.account_ids]


def seen_count(store: StorePort, today: date, account_id: int) -> int:
    """How many people are seen at one account's domains (the account screen's figure): the same
    people as `seen` of the account, from its own domains only, not every account's."""
    book = AddressBook(store.settings(), frozenset(), account_domains(store.domain_sources(account_id)))
    return len(people_seen(store.seen_counts(sorted(book.domains)), book, store.dismissed_addresses(), today))


def _clean_address(text: str) -> str:
    address = text.strip().lower()
    problem = control_problem(address)
    if problem:
        raise InputError(f"address: {problem}")
    if not address or len(address) > MAX_ADDRESS or "@" not in address:
        raise InputError(f"{text[:80]!r} is not an email address")
    return address


def find_seen(store: StorePort, text: str, today: date) -> Seen:
    address = _clean_address(text)
    if store.contacts_by_email([address]):
        raise Refusal(f"{address} is already a contact's email")
    if address in store.dismissed_addresses():
        raise Refusal(f"{address} was dismissed: it is not proposed any more")
    found = next((s for s in seen(store, today) if s.address == address), None)
    if found is None:
        raise InputError(
            f"{address} is not among the people seen (stakeworks seen lists them: an address at an account's "
            "domain, seen on at least 2 days, no contact's)"
        )
    return found


@dataclass(frozen=True, slots=True)
class Added:
    contact: Contact
    account: str
    touches: int


def add_seen(store: StorePort, text: str, today: date, account_id: int | None = None, name: str | None = None) -> Added:
    """Make a person seen a contact (section 11's defaults); their past interactions become touches."""
    person = find_seen(store, text, today)
    names = dict(store.account_names())
    if account_id is None:
        if person.account_id is None:
            choices = ", ".join(names[a] for a in person.account_ids)
            raise InputError(
                f"{person.address}: its domain belongs to several accounts ({choices}); say which with --account"
            )
        account_id = person.account_id
    elif account_id not in person.account_ids:
        choices = ", ".join(names[a] for a in person.account_ids)
        raise InputError(f"{person.address} is not at {names.get(account_id, '?')}'s domains (it is at {choices})")
    from pydantic import ValidationError

    from stakeworks.domain.models import Contact

    try:
        contact = Contact(account_id=account_id, name=(name or person.name).strip(), email=person.address)
    except ValidationError as exc:
        raise InputError(
            "; ".join(f"{e['loc'][0]}: {e['msg'].removeprefix('Value error, ')}" for e in exc.errors())
        ) from None
    with store.transaction():
        saved = store.save_contact(contact, today=today)  # links the address's past interactions
    return Added(saved, names[account_id], store.evidence_counts(saved.id or 0)[0])


def dismiss_seen(store: StorePort, text: str, today: date, by: str) -> Seen:
    person = find_seen(store, text, today)
    store.dismiss_address(person.address, today, by)
    return person


# -- strength suggestions ----------------------------------------------------------------


def suggestions(store: StorePort, today: date, account_id: int | None = None) -> list[Suggestion]:
    """Section 11's strength suggestions for today, rejected ones whose evidence is unchanged left out."""
    settings = store.settings()
    rejected = store.suggestion_rejections()
    # Only contacts a row of the table can hold for are read, with their activity: stale past
    # their level's cutoff (decaying), or with enough activity (warming, one way).
    busy = Activity(WARMING_MEETINGS, 0, WARMING_DAYS_FROM_THEM, ONE_WAY_TO_THEM)
    window = (today - timedelta(days=SUGGESTION_WINDOW_DAYS), today)
    timed = sorted(settings.role_threshold_days)
    rows = store.suggestion_rows(window, stale_cutoffs(today, settings), busy, timed, account_id)
    out: list[Suggestion] = []
    thresholds: dict[tuple[str, frozenset[str]], int | None] = {}
    for c, activity in rows:
        for s in suggestions_for(c, activity, today, settings, c.id, thresholds):
            key = rejected.get((c.id, s.kind))
            if key is not None and key == _key(store, c.id, c.strength):
                continue
            out.append(s)
    out.sort(key=lambda s: s.id)
    return out


def _key(store: StorePort, contact_id: int, strength: int | None) -> str:
    touches, interactions = store.evidence_counts(contact_id)
    return evidence_key(strength, touches, interactions)


def find_suggestion(store: StorePort, suggestion_id: int, today: date) -> Suggestion:
    parsed = parse_suggestion_id(suggestion_id)
    found = next((s for s in suggestions(store, today) if s.id == suggestion_id), None) if parsed else None
    if found is None:
        raise InputError(f"no strength suggestion {suggestion_id} today (stakeworks suggestions lists them)")
    return found


def accept(store: StorePort, suggestion_id: int, today: date) -> tuple[Suggestion, Contact]:
    """Set the suggested strength as an edit would (history; undo in the app)."""
    s = find_suggestion(store, suggestion_id, today)
    contact = store.contact(s.contact_id)
    saved = store.save_contact(contact.model_copy(update={"strength": s.suggested}), today=today)
    return s, saved


def reject(store: StorePort, suggestion_id: int, today: date, by: str) -> Suggestion:
    """Hidden until its evidence changes (a new touch, interaction or rating)."""
    s = find_suggestion(store, suggestion_id, today)
    store.reject_suggestion(s.contact_id, s.kind, _key(store, s.contact_id, s.strength), today, by)
    return s
