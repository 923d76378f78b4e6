"""One inbox for everything the map proposes (issue 32): change signals, people seen in mail and
calendar who are not on the map, strength suggestions. Each item carries its evidence; accepting
or rejecting one (or several at once) is one undoable write."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from stakeworks.domain.evidence import Seen, Suggestion
from stakeworks.domain.rules import STRENGTH_WORDS
from stakeworks.domain.signals import KIND_WORDS, SignalView
from stakeworks.domain.undo import UndoToken
from stakeworks.services import evidence, living_map
from stakeworks.services.ports import StorePort

SIGNAL, SEEN, SUGGESTION = "signal", "seen", "suggestion"
SUGGESTION_WORDS = {"decaying": "strength decaying", "warming": "strength warming", "one_way": "mail one way"}


@dataclass(frozen=True, slots=True)
class InboxItem:
    kind: str  # signal, seen or suggestion
    key: str  # unique in the inbox: "signal:12", "seen:ann@acme.example", "suggestion:4521"
    day: date | None  # when: the signal's day, the last day seen, the last touch
    what: str
    account_id: int | None  # None: a person seen at a domain several accounts share
    account: str
    who: str
    proposal: str  # what accepting does
    evidence: str
    ref: SignalView | Seen | Suggestion


def _strength(value: int | None) -> str:
    return "not rated" if value is None else f"{value} ({STRENGTH_WORDS.get(value, '?')})"


def _several(account_ids: Sequence[int], accounts: dict[int, str], shown: int = 3) -> str:
    """The accounts sharing a domain, the first few by name: a domain hundreds of accounts share
    made each row's text (and the inbox's load) hundreds of names long."""
    names = " / ".join(accounts[a] for a in account_ids[:shown])
    more = len(account_ids) - shown
    return f"{names} +{more} more" if more > 0 else names


def _seen_item(s: Seen, accounts: dict[int, str], contacts: dict[int, tuple[str, int]]) -> InboxItem:
    where = accounts[s.account_id] if s.account_id is not None else _several(s.account_ids, accounts)
    seen_with = ", ".join(contacts[c][0] for c in s.with_contacts[:5] if c in contacts)
    said = (
        f"{s.address} ({', '.join(s.names[:3]) or 'no name shown'}): seen on {s.days} days from "
        f"{s.first_seen.isoformat()} to {s.last_seen.isoformat()}; {s.meetings} meetings, {s.from_them} messages "
        f"from them, {s.to_them} to them" + (f"; with {seen_with}" if seen_with else "")
    )
    proposal = f"add {s.name} as a contact" + ("" if s.account_id is not None else " (say which account)")
    return InboxItem(SEEN, f"seen:{s.address}", s.last_seen, "seen, not on the map", s.account_id, where, s.name,
                     proposal, said, s)  # fmt: skip


def _suggestion_item(s: Suggestion, names: dict[int, tuple[str, int]], accounts: dict[int, str]) -> InboxItem:
    name, account_id = names.get(s.contact_id, ("?", 0))
    a = s.activity
    said = (
        f"{s.reason}. Last touch {s.last_touch.isoformat() if s.last_touch else 'never'}; in the last 90 days "
        f"{a.meetings} meetings, {a.from_them} messages from them (on {a.from_them_days} days), {a.to_them} to them"
    )
    proposal = f"strength {_strength(s.strength)} -> {_strength(s.suggested)}"
    return InboxItem(SUGGESTION, f"suggestion:{s.id}", s.last_touch, SUGGESTION_WORDS[s.kind], account_id,
                     accounts.get(account_id, ""), name, proposal, said, s)  # fmt: skip


def items(store: StorePort, today: date) -> list[InboxItem]:
    """Signals (newest first), then people seen (best first), then strength suggestions."""
    accounts = dict(store.account_names())
    out = [
        InboxItem(SIGNAL, f"signal:{v.signal.id}", v.signal.raised_on, KIND_WORDS[v.signal.kind], v.account_id,
                  v.account, v.contact, v.suggestion, v.signal.evidence, v)
        for v in store.signals("open")
    ]  # fmt: skip
    seen = evidence.seen(store, today)
    suggested = evidence.suggestions(store, today)
    names = store.contact_names_of([c for s in seen for c in s.with_contacts[:5]] + [s.contact_id for s in suggested])
    out += [_seen_item(s, accounts, names) for s in seen]
    out += [_suggestion_item(s, names, accounts) for s in suggested]
    return out


def _accept_one(store: StorePort, item: InboxItem, today: date, user: str) -> None:
    if isinstance(item.ref, SignalView):
        assert item.ref.signal.id is not None  # read from the store
        living_map.confirm(store, item.ref.signal.id, user, today)
    elif isinstance(item.ref, Seen):
        evidence.add_seen(store, item.ref.address, today, item.account_id)
    else:
        evidence.accept(store, item.ref.id, today)


def _reject_one(store: StorePort, item: InboxItem, today: date, user: str) -> None:
    if isinstance(item.ref, SignalView):
        assert item.ref.signal.id is not None  # read from the store
        living_map.dismiss(store, item.ref.signal.id, user, today)
    elif isinstance(item.ref, Seen):
        evidence.dismiss_seen(store, item.ref.address, today, user)
    else:
        evidence.reject(store, item.ref.id, today, user)


def accept(store: StorePort, chosen: Sequence[InboxItem], today: date, user: str) -> UndoToken:
    """Apply what each item proposes, all or none, as one undoable write."""
    with store.undoable() as undo:
        for item in chosen:
            _accept_one(store, item, today, user)
    return undo


def reject(store: StorePort, chosen: Sequence[InboxItem], today: date, user: str) -> UndoToken:
    """Dismiss each signal or person seen, reject each suggestion: one undoable write."""
    with store.undoable() as undo:
        for item in chosen:
            _reject_one(store, item, today, user)
    return undo
