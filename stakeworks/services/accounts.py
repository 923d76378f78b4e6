"""Use cases that combine the store and the rules; shared by the CLI and the app.

The store comes in typed as `StorePort` (services/ports.py), so this module never imports SQL code.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from operator import attrgetter
from typing import TYPE_CHECKING

from stakeworks.domain.changes import changed, describe
from stakeworks.domain.days import add_days, check_day
from stakeworks.domain.errors import InputError, StakeworksError, StaleEdit
from stakeworks.domain.identity import crm_key, shown_names
from stakeworks.domain.influence import InfluenceLine, lines_by_account
from stakeworks.domain.playbook import Successor, gets_playbook, suggest_successors
from stakeworks.domain.portfolio import AccountSummary, summarize
from stakeworks.domain.rules import FACTOR_LEVELS, RULES_REVISION, Assessment, Factor, assess, key_people
from stakeworks.domain.rules.validity import valid_until
from stakeworks.domain.settings import Settings
from stakeworks.interchange.report import MapReport
from stakeworks.services.ports import StorePort
from stakeworks.services.slices import contact_slices

if TYPE_CHECKING:  # pydantic's models load with the first record, not with this module (issue 20)
    from stakeworks.domain.models import Account, Contact, StoredAccount, StoredContact, Touch, TouchKind


@dataclass
class AccountView:
    account: StoredAccount
    contacts: list[StoredContact]
    assessment: Assessment
    key_people: set[int]
    sponsors: list[str]
    influences: list[InfluenceLine] = field(default_factory=list)


def account_view(store: StorePort, account_id: int, today: date, settings: Settings | None = None) -> AccountView:
    settings = settings or store.settings()
    account = store.account(account_id)
    contacts = store.contacts(account_id)
    lines = store.influences(account_id)
    verdict = assess(contacts, today, account.renewal_date, settings, influences=lines)
    keys = key_people(contacts, today, account.renewal_date, settings, verdict, lines)
    sponsors = store.sponsor_names_by_account(account_id).get(account_id, [])
    return AccountView(account, contacts, verdict, keys, sponsors, lines)


def portfolio(
    store: StorePort, today: date, settings: Settings | None = None, *, record: bool = True, trends: bool = True,
    in_order: bool = True,
) -> list[AccountSummary]:  # fmt: skip
    """Every account's verdict in triage order, with its 90-day trend (unless `trends` is
    False: `risk` shows none, and reading 90 days of scores is a tenth of its time).
    `in_order=False`: in no particular order, for a caller that looks verdicts up by account
    (sorting 50,000 rows holds the GIL ~30 ms, a stall for the screen drawn meanwhile).

    Computing records today's score per account (one row per day); a store
    that cannot be written (read-only) still answers.
    """
    return _summaries(store, today, settings or store.settings(), None, record, trends, in_order)


def account_summary(store: StorePort, account_id: int, today: date, settings: Settings | None = None) -> AccountSummary:
    """One account's row after an edit, without recomputing the portfolio."""
    return _summaries(store, today, settings or store.settings(), account_id, True)[0]


def summaries_of(
    store: StorePort, account_ids: Sequence[int], today: date, settings: Settings | None = None
) -> list[AccountSummary]:
    """These accounts' verdicts in triage order, without trends and not recorded: only theirs are
    read (a CSM's few hundred accounts, not the portfolio)."""
    return _summaries(store, today, settings or store.settings(), account_ids, record=False, trends=False)


def _summaries(
    store: StorePort, today: date, settings: Settings, account_id: int | Sequence[int] | None, record: bool,
    trends: bool = True, in_order: bool = True,
) -> list[AccountSummary]:  # fmt: skip
    """Verdicts from the day's cache where still valid; only stale accounts are recomputed.

    The store's triggers drop an account's cached verdict whenever anything it
    depends on is written, so after an edit only that account is assessed again.
    """
    key = verdict_key(settings)
    accounts = store.account_rows(account_id)
    cached = store.cached_verdicts(today, key, account_id)
    sponsors = store.sponsor_names_by_account(account_id)
    stale = [a for a in accounts if a.id not in cached]
    rows: list[AccountSummary] = []
    if stale:
        # Stale accounts only (an edit, a day boundary for some), a slice of accounts a read.
        renewals = {a.id: a.renewal_date for a in stale}
        verdicts = []
        for some, contacts in contact_slices(store, stale):
            lines = lines_by_account(store.influences([a.id for a in some]))
            done = summarize(some, contacts, today, settings, sponsors, explain=False, influences=lines)
            verdicts += [(r.id, r.score, r.risk, r.bus_factor, " ".join(r.factor_codes), r.contact_count,
                          r.active_count, valid_until(contacts.get(r.id, ()), today, renewals[r.id], settings))
                         for r in done]  # fmt: skip
            for r in done:  # a cold day's rows share their factors as a warm day's do (no rationales here)
                r.factors = _cached_factors(" ".join(r.factor_codes))
            rows += done
        with contextlib.suppress(StakeworksError):  # read-only or locked: the verdicts still stand
            store.save_verdicts(today, key, verdicts)
            if record:
                store.record_scores(today, [(r.id, r.score, r.risk) for r in rows])
    # Verdicts of an earlier day that still hold: today's score goes into the trend, once a day.
    carried = [(a, c[0], c[1]) for a, c in cached.items() if c[6] < today.isoformat()]
    if carried and record:
        with contextlib.suppress(StakeworksError):
            store.carry_verdicts(today, key, carried)
    for a in accounts:
        if a.id in cached:
            score, risk, bus, codes, n, active, _ = cached[a.id]
            factors = _cached_factors(codes)
            rows.append(
                AccountSummary(
                    a.id,
                    a.name,
                    a.arr,
                    a.renewal_date,
                    a.tier,
                    a.csm,
                    risk,
                    score,
                    bus,
                    factors,
                    n,
                    active,
                    tuple(sponsors.get(a.id, ())),
                )  # fmt: skip
            )
    if in_order:
        rows.sort(key=attrgetter("sort_key"))
    if trends:
        attach_trends(rows, store.score_histories(add_days(today, -90), today, account_id), today)
    _tell_namesakes_apart(store, rows)
    return rows


def _tell_namesakes_apart(store: StorePort, rows: list[AccountSummary]) -> None:
    """Two accounts with one name get their CRM id (or region) in every list (issue 31)."""
    namesakes = store.account_identities(namesakes_only=True)
    if not namesakes:
        return
    labels = shown_names(namesakes)
    for r in rows:
        r.shown_name = labels.get(r.id, "")


def verdict_key(settings: Settings) -> str:
    """What a kept verdict was computed under: the rules' revision and the settings. A store
    holding verdicts of older rules (or other settings) never serves them: they miss this key."""
    return f"rules {RULES_REVISION} {settings.to_json()}"


@cache
def _cached_factors(codes: str) -> tuple[Factor, ...]:
    """A cached verdict's factors (codes only): a few hundred combinations over a portfolio, so
    each is one shared tuple (170,000 objects fewer on 50,000 accounts)."""
    return tuple(Factor(c, FACTOR_LEVELS[c], "") for c in codes.split())


def attach_trends(rows: list[AccountSummary], history: dict[int, list[tuple[date, int]]], today: date) -> None:
    cutoff = add_days(today, -30)
    for r in rows:
        points = history.get(r.id, [])
        r.trend = tuple(s for _, s in points)
        before = [s for d, s in points if d <= cutoff]
        r.change_30d = r.score - before[-1] if before else None


def save_account(store: StorePort, account: Account, version: int | None = None) -> int:
    """Create the account (no id) or write every field of it; returns its id.

    A name another account already has, in any case, is refused; with `version`, an account
    written elsewhere since that version was read is refused as a stale edit.
    """
    if account.id is None:
        return store.create_account(account)
    store.update_account(account, version)
    return account.id


INTERIM = "interim"
"""Plan-item source of an interim contact picked at a departure: "interim:<departed contact id>"."""


@dataclass(frozen=True)
class Interim:
    """Who stands in for a departed champion or sponsor, as picked at the departure."""

    account_id: int
    contact_id: int | None
    name: str
    departed_id: int | None
    departed_name: str
    item_id: int


def interim_contacts(store: StorePort, account_id: int | None = None) -> list[Interim]:
    """Open interim picks (newest first), for one account or the whole portfolio."""
    rows = store.interim_picks(account_id)
    out = []
    for item_id, owner, contact_id, name, source, departed in rows:
        tail = source.partition(":")[2]
        name = name.removesuffix(" (interim contact)")
        out.append(Interim(owner, contact_id, name, int(tail) if tail.isdigit() else None, departed or "", item_id))
    return out


def pick_interim(store: StorePort, departed: Contact, successor: Contact, today: date) -> None:
    """Record the interim contact for a departure (a plan item) and tick "Identify an interim contact"."""
    from stakeworks.domain.models import PlanItem

    assert departed.account_id is not None and departed.id is not None
    with store.transaction():
        store.save_plan_item(
            PlanItem(
                account_id=departed.account_id, target_contact_id=successor.id,
                target_label=f"{successor.name} (interim contact)", path_label="Direct",
                first_action=f"Confirm {successor.name} as interim contact after {departed.name} left",
                due_date=today, source=f"{INTERIM}:{departed.id}",
            )
        )  # fmt: skip
        for task in store.playbook_tasks(departed.account_id):
            if (task.contact_id == departed.id and task.action == "Identify an interim contact" and task.id
                    and task.status == "open" and not task.done):  # fmt: skip
                store.set_task_done(task.id, True)


def find_account(store: StorePort, name: str) -> int:
    """An account by name, or by its CRM id when names are shared (DOMAIN section 10):
    "Halvard Shipping", "0018a00002HvLs2", or "Halvard Shipping (Salesforce 0018a00002HvLs2)"
    as the refusal lists them. A name two accounts share is refused with the choices."""
    accounts = store.account_identities()
    text = name.strip()
    by_id = [a.id for a in accounts if a.crm_id and crm_key(a.crm, text) == a.crm_id]
    if len(by_id) == 1:
        return by_id[0]
    labelled = [a.id for a in accounts if a.crm_id and a.label == text]
    if len(labelled) == 1:
        return labelled[0]
    for same in (
        [a for a in accounts if a.name == text],
        [a for a in accounts if a.name.casefold() == text.casefold()],
    ):
        if len(same) > 1:
            choices = "; ".join(a.label for a in same)
            raise InputError(
                f"account {name!r} is ambiguous: {len(same)} accounts have that name ({choices}); give its CRM id"
            )
        if same:
            return same[0].id
    from stakeworks.domain.search import resolve  # rapidfuzz: only when a name is looked up, not for `risk`

    count = Counter(a.name for a in accounts)
    return resolve(name, [(a.id, a.label if count[a.name] > 1 else a.name) for a in accounts], "account")


def account_labels(store: StorePort) -> dict[int, str]:
    """Account id -> how a list names it: the name, or for a name accounts share, the name with
    its CRM id ("Nissan Motors (Salesforce 001Dn00000KfQ2c)"); `find_account` takes either back."""
    return shown_names(store.account_identities())


def find_contact(store: StorePort, account_id: int, name: str) -> StoredContact:
    from stakeworks.domain.search import resolve

    contacts = store.contacts(account_id)
    contact_id = resolve(name, [(c.id, c.name) for c in contacts], "contact")
    return next(c for c in contacts if c.id == contact_id)


@dataclass
class DepartureResult:
    contact: Contact
    tasks_created: int
    playbook: bool
    successors: list[Successor]
    changed_meanwhile: str = ""  # what another change wrote since the caller read the contact (kept)


DEPARTURE_FIELDS = frozenset({"status", "departed_on"})
"""What a departure writes: another change to these since the caller read the contact is a
conflict; a change to anything else merges (it is kept, the departure goes on top)."""


def depart(
    store: StorePort, account_id: int, contact: StoredContact, when: date, today: date | None = None
) -> DepartureResult:
    """Mark departed on `when`. The store's write of the status creates the playbook
    for a champion or executive sponsor (once per departure, as on every path);
    marking the same departure again creates nothing new.

    `contact` is the contact as the caller read it. Only the status and its date are ever
    written, onto the stored contact: nothing else the caller holds goes back to the store.
    When the stored one changed since (an import, another screen), the departure merges on
    top of it and says what changed meanwhile, as the contact editor does field by field;
    only a change to the status or departure date itself is refused (StaleEdit).
    """
    from stakeworks.domain.models import Status

    check_day(when, "the departure date")
    with store.transaction():
        fresh = store.contact(contact.id)
        meanwhile = _departure_merge(contact, fresh)
        contact = fresh
        playbook = gets_playbook(contact.roles)
        before = store.open_task_count(contact.id)
        if contact.status != Status.DEPARTED or contact.departed_on != when:
            contact = store.save_contact(
                contact.model_copy(update={"status": Status.DEPARTED, "departed_on": when}),
                today=today or when,
            )
        if playbook:  # also a departure recorded before the playbook existed (an import, old data)
            store.ensure_playbook(account_id, contact.id, when)
        created = max(0, store.open_task_count(contact.id) - before)
    others = store.contacts(account_id)
    successors = suggest_successors(contact, others) if playbook else []
    return DepartureResult(contact, created, playbook, successors, meanwhile)


def _departure_merge(read: Contact, fresh: Contact) -> str:
    """What changed between the caller's copy and the stored one ("" when nothing did), or
    StaleEdit when that change is to the departure itself (the status or its date)."""
    if fresh.version == read.version:
        return ""
    theirs = changed(read, fresh)
    clash = {name: values for name, values in theirs.items() if name in DEPARTURE_FIELDS}
    if clash:
        raise StaleEdit(
            f"{read.name} was changed elsewhere since you opened it ({describe(clash)}); "
            "nothing was saved: look at the contact again, then mark the departure"
        )
    return describe(theirs)


def who_from_us(store: StorePort, by: str) -> tuple[str, int | None]:
    """Who from our side took part in a touch: one of our executives when `by` is their name
    (exactly, or but for case), else a CSM by the name given. (name, executive id or None)."""
    by = " ".join(by.split())
    if not by:
        return "", None
    folded = by.casefold()
    matches = [e for e in store.executives(include_retired=True) if e.name.casefold() == folded]
    exact = [e for e in matches if e.name == by] or matches
    if len(exact) > 1:
        raise InputError(f"--by {by!r} names {len(exact)} executives")
    return (exact[0].name, exact[0].id) if exact else (by, None)


def log_touch(
    store: StorePort, contact_id: int, kind: TouchKind | str, when: date, note: str = "", by: str = ""
) -> Touch:
    return log_touches(store, [contact_id], kind, when, note, by)[0]


def log_touches(
    store: StorePort, contact_ids: Sequence[int], kind: TouchKind | str, when: date, note: str = "", by: str = ""
) -> list[Touch]:
    """One meeting or call with several people of one account: a touch for each contact, in
    one transaction (all are written or none). Refused, writing nothing, when no contact is
    given, one is given twice, or they are not all of one account."""
    from pydantic import ValidationError

    from stakeworks.domain.models import Touch

    check_day(when, "the touch date")
    if not contact_ids:
        raise InputError("a touch needs at least one contact")
    twice = [c for c, n in Counter(contact_ids).items() if n > 1]
    if twice:
        raise InputError(f"{store.contact(twice[0]).name} is named twice; one touch per person")
    by_name, by_executive_id = who_from_us(store, by)
    try:
        touches = [
            Touch(contact_id=c, date=when, kind=kind, note=note, by_name=by_name, by_executive_id=by_executive_id)
            for c in contact_ids
        ]
    except ValidationError as exc:
        raise InputError(
            "; ".join(f"{e['loc'][0]}: {e['msg'].removeprefix('Value error, ')}" for e in exc.errors())
        ) from None
    with store.transaction():
        people = [store.contact(c) for c in contact_ids]
        accounts = {p.account_id for p in people}
        if len(accounts) > 1:
            raise InputError("one touch is with people of one account: these contacts are at several accounts")
        for touch in touches:
            touch.id = store.add_touch(touch)
    return touches


def map_report(store: StorePort, account_id: int, today: date) -> MapReport:
    from stakeworks.domain.plans import not_yet_planned, propose

    view = account_view(store, account_id, today)
    stored = store.plan_items(account_id)
    settings = store.settings()
    proposals = propose(account_id, view.contacts, view.assessment, today, view.account.renewal_date, settings,
                        view.influences)  # fmt: skip
    proposed = not_yet_planned(proposals, stored)
    return MapReport(
        view.account, today, view.contacts, view.assessment, view.key_people,
        [p for p in stored if p.status != "dropped"], proposed, view.sponsors, view.influences,
    )  # fmt: skip
