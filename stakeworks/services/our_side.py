"""Our side (DOMAIN section 12, CLI.md `whoknows`, `handover`, `our_bus_factor`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from stakeworks.domain.errors import InputError
from stakeworks.domain.our_side import KNOWS_WINDOW_DAYS, HandoverAccount, OurPeople, OurSide, TouchBy, handover
from stakeworks.domain.rows import ContactRow
from stakeworks.domain.rules import contact_state
from stakeworks.domain.text import control_problem
from stakeworks.services.ports import StorePort


def our_side(store: StorePort, today: date, account_ids: Sequence[int] | None = None) -> OurSide:
    """Who of ours touched whom in the last 365 days (of these accounts, or all)."""
    since = today - timedelta(days=KNOWS_WINDOW_DAYS)
    rows = store.touches_by(since, today, account_ids)
    return OurSide((TouchBy(*r) for r in rows), OurPeople(store.our_people()))


def engaged_contacts(
    store: StorePort, today: date, account_ids: Sequence[int], rows: dict[int, list[ContactRow]] | None = None
) -> dict[int, list[int]]:
    """Account id -> its engaged contacts' ids today (of the rows given, else read)."""
    settings = store.settings()
    return {
        a: [c.id for c in contacts if contact_state(c, today, settings).engaged]
        for a, contacts in (rows if rows is not None else store.contact_rows(list(account_ids))).items()
    }


def our_bus_factor(store: StorePort, account_id: int, today: date) -> int:
    side = our_side(store, today, [account_id])
    return side.bus_factor(engaged_contacts(store, today, [account_id]).get(account_id, []))


@dataclass(frozen=True, slots=True)
class HandoverRow:
    account: str
    arr: float
    risk: str
    score: int
    held: HandoverAccount
    contact_names: dict[int, str]


def _person(text: str) -> str:
    who = " ".join(text.split())
    problem = control_problem(text)
    if problem:
        raise InputError(f"who: {problem}")
    if not who or len(who) > 320:
        raise InputError("who: give one of our people, by name or address")
    return who


def handover_of(store: StorePort, who: str, today: date) -> tuple[str, list[HandoverRow]]:
    """What `who` holds: accounts where they touched an engaged contact in the last 365 days,
    orphaned first, then by risk score, then ARR. Unknown people are refused, not answered empty."""
    from stakeworks.services.accounts import summaries_of

    who = _person(who)
    people = OurPeople(store.our_people())
    key = people.key(who)
    since = today - timedelta(days=KNOWS_WINDOW_DAYS)
    words = {who, key, *([people.names[key]] if people.names.get(key) else [])}
    mine = store.accounts_mentioning(since, today, sorted(words))
    side = our_side(store, today, sorted(mine))
    if not any(key in side.keys_for(c) for c in side.contact_account):
        raise InputError(f"{who!r} touched nobody in the last {KNOWS_WINDOW_DAYS} days (a name or an address of ours)")
    contacts = store.contact_rows(sorted(mine))
    held = handover(side, key, engaged_contacts(store, today, sorted(mine), contacts))
    verdicts = {s.id: s for s in summaries_of(store, sorted(mine), today)}
    names = {c.id: c.name for rows in contacts.values() for c in rows}
    rows = [
        HandoverRow(verdicts[h.account_id].name, verdicts[h.account_id].arr, verdicts[h.account_id].risk,
                    verdicts[h.account_id].score, h, names)
        for h in held
    ]  # fmt: skip
    rows.sort(key=lambda r: (not r.held.orphaned, -r.score, -r.arr, r.account))
    return side.label(key), rows


def people_of_ours(store: StorePort) -> list[str]:
    """Everyone of ours the store knows by name: the accounts' CSMs, the people mail and calendar
    showed at our domains, our executives; by name, each once."""
    names = {a.csm.strip() for a in store.account_rows() if a.csm.strip()}
    names |= {name or address for address, name in store.our_people().items()}
    names |= {e.name for e in store.executives()}
    return sorted(names, key=str.casefold)
