"""One person on several accounts (DOMAIN section 13): who is the same person, where they are
or were, and the people whose one resignation would hurt several accounts at once.

Each account keeps its own contact record and its own verdict; this module only joins the
records of one person and runs each account's departure what-if.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from stakeworks.domain.identity import crm_key
from stakeworks.domain.influence import InfluenceLine
from stakeworks.domain.rules import ContactLike, assess, contact_state
from stakeworks.domain.rules.terms import CHAMPION, ECONOMIC_BUYER
from stakeworks.domain.settings import DEFAULT_SETTINGS, Settings

EXPOSED_ROLES = frozenset({CHAMPION, ECONOMIC_BUYER})
"""The roles whose holder's departure section 13 counts across accounts."""


@dataclass(frozen=True, slots=True)
class PersonRecord:
    """One contact record of a person, as the person view and the grouping read it."""

    contact_id: int
    account_id: int
    account: str
    name: str
    email: str
    crm: str
    crm_id: str
    status: str
    departed_on: date | None
    roles: frozenset[str]
    strength: int | None


@dataclass(frozen=True, slots=True)
class Move:
    """Departed at one account of ours, active at another: a path back in (a warm path)."""

    name: str
    departed_account: str
    departed_on: date | None
    now_account: str
    now_contact_id: int
    now_account_id: int


def identity_keys(record: PersonRecord) -> list[tuple[str, str]]:
    """What makes two records the same person on their own: the email (case-insensitively)
    and the CRM contact id (Salesforce's 15- and 18-character forms are one id)."""
    keys = []
    if record.email.strip():
        keys.append(("email", record.email.strip().casefold()))
    if record.crm_id.strip():
        keys.append((f"crm:{record.crm}", crm_key(record.crm, record.crm_id)))
    return keys


def group_people(records: Iterable[PersonRecord], links: Iterable[tuple[int, int]]) -> list[list[PersonRecord]]:
    """The records grouped by person: same email, same CRM id, or linked by hand (and what
    those join in turn). Each group is ordered by account then contact name; groups by the
    first record's name."""
    by_id = {r.contact_id: r for r in records}
    parent = {cid: cid for cid in by_id}

    def root(cid: int) -> int:
        while parent[cid] != cid:
            parent[cid] = parent[parent[cid]]
            cid = parent[cid]
        return cid

    def join(a: int, b: int) -> None:
        if a in parent and b in parent:
            ra, rb = root(a), root(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)

    first_with: dict[tuple[str, str], int] = {}
    for r in by_id.values():
        for key in identity_keys(r):
            join(first_with.setdefault(key, r.contact_id), r.contact_id)
    for a, b in links:
        join(a, b)
    groups: dict[int, list[PersonRecord]] = defaultdict(list)
    for cid, r in by_id.items():
        groups[root(cid)].append(r)
    out = [sorted(g, key=lambda r: (r.account.casefold(), r.name.casefold(), r.contact_id)) for g in groups.values()]
    return sorted(out, key=lambda g: (person_name(g).casefold(), g[0].contact_id))


def person_name(records: Sequence[PersonRecord]) -> str:
    """How a person is called: their name where they are active (else where they were last)."""
    active = [r for r in records if r.status != "departed"]
    pool = active or sorted(records, key=lambda r: r.departed_on or date.min, reverse=True)
    return pool[0].name


def moves(records: Sequence[PersonRecord]) -> list[Move]:
    """Each departure of the person at one account with them active at another, oldest first."""
    gone = sorted((r for r in records if r.status == "departed"), key=lambda r: r.departed_on or date.min)
    here = [r for r in records if r.status == "active"]
    return [
        Move(now.name, left.account, left.departed_on, now.account, now.contact_id, now.account_id)
        for left in gone
        for now in here
        if now.account_id != left.account_id
    ]


@dataclass(frozen=True, slots=True)
class ExposedAt:
    """One account where an exposed person is an active contact: its score now and without them."""

    account_id: int
    account: str
    contact_id: int
    roles: frozenset[str]
    score: int
    score_if_gone: int
    arr: float
    added_factors: tuple[str, ...]
    contact: str = ""
    """Their name on that account's record."""

    @property
    def at_stake(self) -> bool:
        """Their leaving makes this account's risk rise: a higher score, or (where the cap of 100
        hides it) a factor that was not there."""
        return self.score_if_gone > self.score or bool(self.added_factors)


@dataclass(frozen=True, slots=True)
class Exposure:
    """A person engaged as champion or economic buyer at two or more accounts."""

    person: str
    accounts: tuple[ExposedAt, ...]

    @property
    def arr_at_risk(self) -> float:
        return sum(a.arr for a in self.accounts if a.at_stake)


@dataclass(frozen=True, slots=True)
class AccountFacts:
    """What the what-if needs of an account besides its contacts."""

    name: str
    arr: float
    renewal_date: date | None


def departure_at(
    record: PersonRecord,
    people: Sequence[ContactLike],
    facts: AccountFacts,
    today: date,
    settings: Settings = DEFAULT_SETTINGS,
    influences: Sequence[InfluenceLine] = (),
) -> ExposedAt:
    """One account's score now and with the person's record there gone (its own what-if)."""
    before = assess(people, today, facts.renewal_date, settings, explain=False, influences=influences)
    after = assess(people, today, facts.renewal_date, settings, departed_id=record.contact_id, explain=False,
                   influences=influences)  # fmt: skip
    added = tuple(code for code in after.factor_codes if code not in set(before.factor_codes))
    return ExposedAt(record.account_id, facts.name, record.contact_id, record.roles, before.score, after.score,
                     facts.arr, added, record.name)  # fmt: skip


def engaged_in_exposed_role(contact: ContactLike, today: date, settings: Settings) -> bool:
    return bool(EXPOSED_ROLES & set(contact.roles)) and contact_state(contact, today, settings).engaged


def exposure(
    groups: Iterable[Sequence[PersonRecord]],
    contacts: Mapping[int, Sequence[ContactLike]],
    accounts: Mapping[int, AccountFacts],
    today: date,
    settings: Settings = DEFAULT_SETTINGS,
    influences: Mapping[int, Sequence[InfluenceLine]] | None = None,
) -> list[Exposure]:
    """DOMAIN section 13's exposure, most ARR at stake first (then by name).

    `contacts` holds every contact of each account a group touches (the what-if reads the
    whole account), `influences` those accounts' influence lines by account."""
    lines = influences or {}
    out = []
    for group in groups:
        held: dict[int, tuple[PersonRecord, ContactLike]] = {}
        for r in group:
            contact = next((c for c in contacts.get(r.account_id, ()) if c.id == r.contact_id), None)
            if contact is not None and r.status == "active":
                held.setdefault(r.account_id, (r, contact))
        engaged = {a for a, (_, c) in held.items() if engaged_in_exposed_role(c, today, settings)}
        if len(engaged) < 2:
            continue
        places = [
            departure_at(r, contacts[account_id], accounts[account_id], today, settings, lines.get(account_id, ()))
            for account_id, (r, _) in held.items()
        ]
        places.sort(key=lambda p: (-p.arr, p.account.casefold()))
        out.append(Exposure(person_name(group), tuple(places)))
    return sorted(out, key=lambda e: (-e.arr_at_risk, e.person.casefold()))
