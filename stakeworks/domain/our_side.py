"""DOMAIN section 12: our side. Who of us knows whom, our bus factor, handover.

A touch's `by` is our people on it, "; "-joined: addresses for mail and calendar, a name for a
logged touch; blank means the account's CSM (a CSV touch, an older touch). One person of ours
is one key: their address where there is one; a name is the same person as an address whose
display name is that name; an executive is matched by name like anyone else.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

KNOWS_WINDOW_DAYS = 365
SEPARATOR = "; "


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


class OurPeople:
    """Our people's addresses and the names mail and calendar showed for them."""

    def __init__(self, names: Mapping[str, str]) -> None:
        self.names = names  # address -> display name
        self._by_name = {_fold(n): a for a, n in sorted(names.items()) if n}

    def key(self, token: str) -> str:
        """The one key of a person of ours named by an address or a name."""
        token = " ".join(token.split())
        if "@" in token:
            return token.lower()
        folded = token.casefold()
        address = self._by_name.get(folded)
        return address or folded

    def label(self, key: str, seen: Mapping[str, str]) -> str:
        """How a person is shown: their name (as first written) when known, else the address."""
        if "@" in key:
            return self.names.get(key) or key
        return seen.get(key, key)


def people_on(by: str, csm: str) -> list[str]:
    """The tokens of our people on a touch: its `by`, else the account's CSM."""
    tokens = [t for t in (p.strip() for p in by.split(SEPARATOR)) if t] if by.strip() else []
    if not tokens and csm.strip():
        tokens = [csm.strip()]
    return tokens


@dataclass(frozen=True, slots=True)
class TouchBy:
    account_id: int
    contact_id: int
    day: date
    by: str
    csm: str


@dataclass(frozen=True, slots=True)
class Knows:
    who: str
    touches: int
    last: date


class OurSide:
    """Touches of the last 365 days read as who of ours touched whom."""

    def __init__(self, touches: Iterable[TouchBy], people: OurPeople) -> None:
        self.people = people
        self.shown: dict[str, str] = {}  # name key -> the name as first written
        # contact id -> person key -> (touches, last day)
        self.by_contact: dict[int, dict[str, tuple[int, date]]] = defaultdict(dict)
        self.contact_account: dict[int, int] = {}
        keys_of: dict[tuple[str, str], list[str]] = {}  # a few (by, CSM) pairs cover every touch
        for t in touches:
            self.contact_account[t.contact_id] = t.account_id
            keys = keys_of.get((t.by, t.csm))
            if keys is None:
                keys = keys_of[(t.by, t.csm)] = [self._key(token) for token in people_on(t.by, t.csm)]
            for key in keys:
                known = self.by_contact[t.contact_id]
                n, last = known.get(key, (0, t.day))
                known[key] = (n + 1, max(last, t.day))

    def _key(self, token: str) -> str:
        key = self.people.key(token)
        if "@" not in key:
            self.shown.setdefault(key, " ".join(token.split()))
        return key

    def label(self, key: str) -> str:
        return self.people.label(key, self.shown)

    def who_knows(self, contact_id: int) -> list[Knows]:
        """Our people who touched the contact, most touches first, then the latest."""
        found = [Knows(self.label(k), n, last) for k, (n, last) in self.by_contact.get(contact_id, {}).items()]
        return sorted(found, key=lambda k: (-k.touches, -k.last.toordinal(), k.who))

    def keys_for(self, contact_id: int) -> set[str]:
        return set(self.by_contact.get(contact_id, {}))

    def bus_factor(self, engaged: Iterable[int]) -> int:
        """Distinct people of ours who touched any of these engaged contacts."""
        return len(set().union(*(self.keys_for(c) for c in engaged)))


@dataclass(frozen=True, slots=True)
class HandoverContact:
    contact_id: int
    others: list[str]  # who else of ours knows them


@dataclass(frozen=True, slots=True)
class HandoverAccount:
    account_id: int
    orphaned: bool
    contacts: list[HandoverContact]


def handover(side: OurSide, person: str, engaged: Mapping[int, Iterable[int]]) -> list[HandoverAccount]:
    """Every account where `person` (a key) touched an engaged contact; orphaned when nobody
    else of ours touched any of its engaged contacts. Unordered: the caller orders by risk."""
    out = []
    for account_id, contact_ids in engaged.items():
        ids = sorted(contact_ids)
        theirs = [c for c in ids if person in side.keys_for(c)]
        if not theirs:
            continue
        others_any = any(side.keys_for(c) - {person} for c in ids)
        contacts = [HandoverContact(c, sorted(side.label(k) for k in side.keys_for(c) - {person})) for c in theirs]
        out.append(HandoverAccount(account_id, not others_any, contacts))
    return out
