"""One account's people sorted the way the rules read them: each contact's
state, who is active and engaged, who holds each critical role, unmanaged
detractors, and the departments and level bands the engaged contacts span.

Coverage and factors both read one census, so the contacts are walked once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from stakeworks.domain.influence import InfluenceLine
from stakeworks.domain.rules.state import ContactLike, ContactState, contact_state, department_key
from stakeworks.domain.rules.terms import CHAMPION, DECISION_MAKER, DETRACTOR, ECONOMIC_BUYER, EXECUTIVE_SPONSOR
from stakeworks.domain.settings import Settings
from stakeworks.domain.vocab import BAND_OF_LEVEL, Band


class _Departed:
    """A read-only view of a contact as if they left today (what-if)."""

    __slots__ = ("_c", "departed_on")

    status = "departed"

    def __init__(self, contact: ContactLike, today: date) -> None:
        self._c = contact
        self.departed_on = today

    def __getattr__(self, name: str) -> Any:
        return getattr(self._c, name)


@dataclass(slots=True)
class Census:
    """What assess needs of one account's contacts. States are keyed by id() of
    the object in `people` (a what-if's stand-in, not the record it wraps)."""

    states: dict[int, ContactState]
    people: list[ContactLike]
    active: list[ContactLike]
    engaged: list[ContactLike]
    not_engaged: list[ContactLike]
    """Known contacts who are not engaged, each with a reason in its state (section 3)."""
    champions: list[ContactLike]
    buyers: list[ContactLike]
    sponsors: list[ContactLike]
    deciders: list[ContactLike]
    detractors: list[ContactLike]
    dept_keys: set[str]
    bands: set[Band]
    against_us: dict[int, list[str]] = field(default_factory=dict)
    """Active contacts with a negative influence line to an economic buyer or decision maker
    (DOMAIN section 14), by id, with the names of those they sway: detractors as the role is."""


def against_us(
    contacts: Sequence[ContactLike], influences: Sequence[InfluenceLine], departed_id: int | None = None
) -> dict[int, list[str]]:
    """Who has a negative line to a known economic buyer or decision maker, and to whom (section 14)."""
    swayed = {
        c.id: c.name
        for c in contacts
        if c.status != "departed" and c.id != departed_id and (ECONOMIC_BUYER in c.roles or DECISION_MAKER in c.roles)
    }
    out: dict[int, list[str]] = {}
    for x in influences:
        if x.sign == "negative" and x.to_id in swayed:
            out.setdefault(x.from_id, []).append(swayed[x.to_id])
    return out


def take_census(
    contacts: Sequence[ContactLike],
    today: date,
    settings: Settings,
    departed_id: int | None = None,
    influences: Sequence[InfluenceLine] = (),
) -> Census:
    """Walk the contacts once; `departed_id` is seen as having left today; `influences` are
    the account's influence lines."""
    against = against_us(contacts, influences, departed_id) if influences else {}
    states: dict[int, ContactState] = {}
    people: list[ContactLike] = []
    active: list[ContactLike] = []
    engaged: list[ContactLike] = []
    not_engaged: list[ContactLike] = []
    holders: dict[str, list[ContactLike]] = {
        CHAMPION: [],
        ECONOMIC_BUYER: [],
        EXECUTIVE_SPONSOR: [],
        DECISION_MAKER: [],
    }
    detractors: list[ContactLike] = []
    for c in contacts:
        if departed_id is not None and c.id == departed_id:
            c = _Departed(c, today)
        st = contact_state(c, today, settings)
        states[id(c)] = st
        people.append(c)
        roles = c.roles
        if roles:
            for role in roles:
                bucket = holders.get(role)
                if bucket is not None:
                    bucket.append(c)
        if st.active:
            active.append(c)
            opposed = DETRACTOR in roles or c.sentiment == DETRACTOR or c.id in against
            if opposed and not c.engagement_strategy.strip():
                detractors.append(c)
        if st.engaged:
            engaged.append(c)
        elif st.known:
            not_engaged.append(c)
    dept_keys = {department_key(c.department) for c in engaged} - {""}
    bands = {BAND_OF_LEVEL[c.level] for c in engaged}
    return Census(
        states,
        people,
        active,
        engaged,
        not_engaged,
        holders[CHAMPION],
        holders[ECONOMIC_BUYER],
        holders[EXECUTIVE_SPONSOR],
        holders[DECISION_MAKER],
        detractors,
        dept_keys,
        bands,
        {c.id: against[c.id] for c in active if c.id in against} if against else {},
    )
