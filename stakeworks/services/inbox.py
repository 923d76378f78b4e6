"""One inbox for everything the map proposes (issue 32): change signals, people seen in mail and
calendar who are not on the map, strength suggestions. Each item carries its evidence; accepting
or rejecting one (or several at once) is one undoable write."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import overload

from stakeworks.domain.evidence import Activity, Seen, Suggestion
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


class Inbox(Sequence[InboxItem]):
    """Everything proposed, as the table lists it: signals (newest first), then people seen (best
    first), then strength suggestions. Kept compact, as the app computes it ahead and keeps it
    (150,000 suggestions on the 50,000-account store: 199 MB as full rows, 58 MB so): the rows'
    keys and what was read, each row's words made when it is asked for (the table asks for the
    lines on screen only)."""

    __slots__ = ("_accounts", "_names", "_refs", "keys", "seen", "signals")

    def __init__(self, signals: list[SignalView], seen: list[Seen], suggested: list[Suggestion],
                 accounts: dict[int, str], names: dict[int, tuple[str, int]]) -> None:  # fmt: skip
        self.signals, self.seen = len(signals), len(seen)
        self._refs: list[SignalView | Seen | Suggestion] = [*signals, *seen, *suggested]
        self._accounts, self._names = accounts, names
        self.keys = [f"signal:{v.signal.id}" for v in signals] + [f"seen:{s.address}" for s in seen]
        self.keys += [f"suggestion:{s.id}" for s in suggested]

    def __len__(self) -> int:
        return len(self._refs)

    @overload
    def __getitem__(self, row: int) -> InboxItem: ...
    @overload
    def __getitem__(self, row: slice) -> list[InboxItem]: ...
    def __getitem__(self, row: int | slice) -> InboxItem | list[InboxItem]:
        if isinstance(row, slice):
            return [self[r] for r in range(len(self))[row]]
        ref = self._refs[row]
        if isinstance(ref, SignalView):
            return InboxItem(SIGNAL, self.keys[row], ref.signal.raised_on, KIND_WORDS[ref.signal.kind],
                             ref.account_id, ref.account, ref.contact, ref.suggestion, ref.signal.evidence, ref)  # fmt: skip
        if isinstance(ref, Seen):
            return _seen_item(ref, self._accounts, self._names)
        return _suggestion_item(ref, self._names, self._accounts)


def _compact_seen(seen: list[Seen]) -> list[Seen]:
    """Only what a row shows: the first names and the people most often seen with (a person in
    Cc of thousands of messages is seen with thousands); people at one domain share its list of
    accounts (hundreds of accounts may share a domain)."""
    domains: dict[tuple[int, ...], list[int]] = {}
    return [
        replace(s, names=s.names[:3], with_contacts=s.with_contacts[:5],
                account_ids=domains.setdefault(tuple(s.account_ids), s.account_ids))
        for s in seen
    ]  # fmt: skip


def _compact_suggestions(suggested: list[Suggestion]) -> list[Suggestion]:
    """The same suggestions sharing their equal parts: most reasons, days and activities recur."""
    days: dict[date | None, date | None] = {}
    activities: dict[Activity, Activity] = {}
    return [
        Suggestion(s.contact_id, s.kind, s.strength, s.suggested, days.setdefault(s.last_touch, s.last_touch),
                   activities.setdefault(s.activity, s.activity), sys.intern(s.reason))
        for s in suggested
    ]  # fmt: skip


def load(store: StorePort, today: date) -> Inbox:
    """The inbox of today (a worker: `seen` and `suggestions` over the whole portfolio)."""
    accounts = dict(store.account_names())
    signals = store.signals("open")
    seen = _compact_seen(evidence.seen(store, today))
    suggested = _compact_suggestions(evidence.suggestions(store, today))
    ids = [c for s in seen for c in s.with_contacts] + [s.contact_id for s in suggested]
    return Inbox(signals, seen, suggested, accounts, _compact_names(store.contact_names_of(ids), ids, accounts))


def _compact_names(
    names: dict[int, tuple[str, int]], ids: list[int], accounts: dict[int, str]
) -> dict[int, tuple[str, int]]:
    """The same names sharing what recurs: the ids the rows hold already, one number per account,
    one string per name (names repeat across 150,000 contacts): 44 -> 26 MB at 50k."""
    one = {a: a for a in accounts}
    found = ((c, names.get(c)) for c in ids)
    return {c: (sys.intern(got[0]), one.get(got[1], got[1])) for c, got in found if got is not None}


def items(store: StorePort, today: date) -> list[InboxItem]:
    """Every row of the inbox of today, in full."""
    return list(load(store, today))


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
