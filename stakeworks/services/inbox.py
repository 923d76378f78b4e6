"""One inbox for everything the map proposes (issue 32): change signals, people seen in mail and
calendar who are not on the map, strength suggestions. Each item carries its evidence; accepting
or rejecting one (or several at once) is one undoable write."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import overload

import numpy as np

from stakeworks.domain.evidence import SUGGESTION_KINDS, Activity, Seen, Suggestion
from stakeworks.domain.rules import STRENGTH_WORDS
from stakeworks.domain.signals import KIND_WORDS, SignalView
from stakeworks.domain.undo import UndoToken
from stakeworks.services import evidence, living_map
from stakeworks.services.portfolio_views import IdKeys
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


def _suggestion_item(s: Suggestion, name: str, account_id: int, accounts: dict[int, str]) -> InboxItem:
    a = s.activity
    said = (
        f"{s.reason}. Last touch {s.last_touch.isoformat() if s.last_touch else 'never'}; in the last 90 days "
        f"{a.meetings} meetings, {a.from_them} messages from them (on {a.from_them_days} days), {a.to_them} to them"
    )
    proposal = f"strength {_strength(s.strength)} -> {_strength(s.suggested)}"
    return InboxItem(SUGGESTION, f"suggestion:{s.id}", s.last_touch, SUGGESTION_WORDS[s.kind], account_id,
                     accounts.get(account_id, ""), name, proposal, said, s)  # fmt: skip


class _Suggested:
    """The strength suggestions as columns of numbers, each one's contact name in one blob of
    UTF-8: 150,000 Suggestion objects with their keys and names were ~36 MB at 50k, these ~10."""

    FIELDS = ("contact", "account", "kind", "strength", "suggested", "last_touch", "meetings", "from_them",
              "from_them_days", "to_them", "reason", "name_end")  # fmt: skip
    TYPES = (np.int64, np.int64, np.int8, np.int8, np.int8, np.int32, np.int32, np.int32, np.int32, np.int32,
             np.int32, np.int64)  # fmt: skip

    def __init__(self, suggested: list[Suggestion], names: dict[int, tuple[str, int]]) -> None:
        reasons: dict[str, int] = {}  # a few hundred distinct reasons
        blob = bytearray()
        rows = []
        for s in suggested:
            name, account_id = names.get(s.contact_id, ("?", 0))
            blob += name.encode()
            a = s.activity
            rows.append((
                s.contact_id, account_id, SUGGESTION_KINDS.index(s.kind), _NONE if s.strength is None else s.strength,
                s.suggested, 0 if s.last_touch is None else s.last_touch.toordinal(), a.meetings, a.from_them,
                a.from_them_days, a.to_them, reasons.setdefault(s.reason, len(reasons)), len(blob),
            ))  # fmt: skip
        table = np.array(rows, dtype=np.int64).reshape(len(rows), len(self.FIELDS))
        self._cols = {
            f: np.ascontiguousarray(table[:, i], dtype=t)
            for i, (f, t) in enumerate(zip(self.FIELDS, self.TYPES, strict=True))
        }
        self._names, self._reasons = bytes(blob), tuple(reasons)
        self.ids = self._cols["contact"] * 10 + self._cols["kind"] + 1  # as `suggestion_id` makes them

    def __len__(self) -> int:
        return len(self.ids)

    def row(self, i: int) -> tuple[Suggestion, str, int]:
        """The suggestion of row `i`, its contact's name and account."""
        c = {f: int(col[i]) for f, col in self._cols.items()}
        strength, touched = c["strength"], c["last_touch"]
        s = Suggestion(c["contact"], SUGGESTION_KINDS[c["kind"]], None if strength == _NONE else strength,
                       c["suggested"], date.fromordinal(touched) if touched else None,
                       Activity(c["meetings"], c["from_them"], c["from_them_days"], c["to_them"]),
                       self._reasons[c["reason"]])  # fmt: skip
        start = int(self._cols["name_end"][i - 1]) if i else 0
        return s, self._names[start : c["name_end"]].decode(), c["account"]


_NONE = -1  # not rated


class InboxKeys(Sequence[str]):
    """Each row's key: the signals' and people seen's as listed, then the suggestions' made from
    their ids when asked for (`IdKeys`); `index` and `in` look a suggestion up by one comparison
    over the ids."""

    __slots__ = ("_first", "_ids")

    def __init__(self, first: list[str], ids: np.ndarray) -> None:
        self._first, self._ids = first, IdKeys(ids, f"{SUGGESTION}:")

    def __len__(self) -> int:
        return len(self._first) + len(self._ids)

    @overload
    def __getitem__(self, i: int) -> str: ...
    @overload
    def __getitem__(self, i: slice) -> list[str]: ...
    def __getitem__(self, i: int | slice) -> str | list[str]:
        if isinstance(i, slice):
            return [self[r] for r in range(len(self))[i]]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        head = len(self._first)
        return self._first[i] if i < head else self._ids[i - head]

    def __contains__(self, key: object) -> bool:
        try:
            self.index(key)
        except ValueError:
            return False
        return True

    def index(self, key: object, start: int = 0, stop: int | None = None) -> int:
        head, stop = len(self._first), len(self) if stop is None else stop
        if not str(key).startswith(f"{SUGGESTION}:"):
            return self._first.index(str(key), start, min(stop, head))
        if stop <= head:
            raise ValueError(key)
        return head + self._ids.index(key, max(start - head, 0), stop - head)


class Inbox(Sequence[InboxItem]):
    """Everything proposed, as the table lists it: signals (newest first), then people seen (best
    first), then strength suggestions. Kept compact, as the app computes it ahead and keeps it
    (150,000 suggestions on the 50,000-account store: 199 MB as full rows, 58 MB as objects, ~14 MB
    as columns): what was read, each row's words and key made when asked for (the table asks for
    the lines on screen only)."""

    __slots__ = ("_accounts", "_names", "_refs", "_suggested", "keys", "seen", "signals")

    def __init__(self, signals: list[SignalView], seen: list[Seen], suggested: list[Suggestion],
                 accounts: dict[int, str], names: dict[int, tuple[str, int]]) -> None:  # fmt: skip
        self.signals, self.seen = len(signals), len(seen)
        self._refs: list[SignalView | Seen] = [*signals, *seen]
        self._suggested = _Suggested(suggested, names)
        self._accounts = accounts
        self._names = {c: names[c] for s in seen for c in s.with_contacts if c in names}  # the people seen with
        first = [f"signal:{v.signal.id}" for v in signals] + [f"seen:{s.address}" for s in seen]
        self.keys = InboxKeys(first, self._suggested.ids)

    def __len__(self) -> int:
        return len(self._refs) + len(self._suggested)

    @overload
    def __getitem__(self, row: int) -> InboxItem: ...
    @overload
    def __getitem__(self, row: slice) -> list[InboxItem]: ...
    def __getitem__(self, row: int | slice) -> InboxItem | list[InboxItem]:
        if isinstance(row, slice):
            return [self[r] for r in range(len(self))[row]]
        if row < 0:
            row += len(self)
        if row >= len(self._refs):
            s, name, account_id = self._suggested.row(row - len(self._refs))
            return _suggestion_item(s, name, account_id, self._accounts)
        ref = self._refs[row]
        if isinstance(ref, SignalView):
            return InboxItem(SIGNAL, self.keys[row], ref.signal.raised_on, KIND_WORDS[ref.signal.kind],
                             ref.account_id, ref.account, ref.contact, ref.suggestion, ref.signal.evidence, ref)  # fmt: skip
        return _seen_item(ref, self._accounts, self._names)

    def __iter__(self) -> Iterator[InboxItem]:
        return (self[r] for r in range(len(self)))


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


def load(store: StorePort, today: date) -> Inbox:
    """The inbox of today (a worker: `seen` and `suggestions` over the whole portfolio)."""
    accounts = dict(store.account_names())
    signals = store.signals("open")
    seen = _compact_seen(evidence.seen(store, today))
    suggested = evidence.suggestions(store, today)
    ids = [c for s in seen for c in s.with_contacts] + [s.contact_id for s in suggested]
    return Inbox(signals, seen, suggested, accounts, store.contact_names_of(ids))


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
