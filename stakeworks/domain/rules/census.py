"""One account's people sorted the way the rules read them: each contact's
state, who is active and engaged, who holds each critical role, unmanaged
detractors, and the departments and level bands the engaged contacts span.

Coverage and factors both read one census, so the contacts are walked once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

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


def take_census(
    contacts: Sequence[ContactLike], today: date, settings: Settings, departed_id: int | None = None
) -> Census:
    """Walk the contacts once; `departed_id` is seen as having left today."""
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
            if (DETRACTOR in roles or c.sentiment == DETRACTOR) and not c.engagement_strategy.strip():
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
    )
