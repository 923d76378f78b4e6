"""The sponsor program as a use case: gather inputs from the store, run the rules."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from stakeworks.domain.errors import InputError, NotPermitted, Refusal
from stakeworks.domain.models import LEVEL_RANK, StoredExecutive
from stakeworks.domain.rows import ContactRow
from stakeworks.domain.rules import contact_state
from stakeworks.domain.sponsors import (
    Candidate,
    FitContext,
    Pair,
    ProgramAccount,
    ProgramExecutive,
    rank_candidates,
    suggest,
)
from stakeworks.services.accounts import account_view, portfolio
from stakeworks.services.ports import StorePort
from stakeworks.services.quiet_gc import collector_paused
from stakeworks.services.slices import SLICE


@dataclass
class Program:
    executives: list[StoredExecutive]
    load: dict[int, list[tuple[int, str]]]  # executive id -> [(account id, account name)]
    candidates: list[Candidate]
    accounts: dict[int, ProgramAccount]
    context: FitContext
    starts: dict[tuple[int, int], date]  # (executive id, account id) -> sponsored since

    def remaining(self) -> dict[int, int]:
        return {e.id: e.capacity - len(self.load.get(e.id, [])) for e in self.executives}

    def program_executives(self) -> list[ProgramExecutive]:
        return [
            ProgramExecutive(e.id, e.name, e.level, e.function, e.industries, e.region, e.capacity, e.active)
            for e in self.executives
        ]

    def open_accounts(self) -> list[ProgramAccount]:
        """Program accounts (above the cut line) with no active sponsor."""
        return [c.account for c in self.candidates if c.in_program and not c.sponsors]

    def suggestion(self) -> list[Pair]:
        return suggest(self.open_accounts(), self.program_executives(), self.remaining(), self.context)

    def shown(self) -> Program:
        """What the sponsors screen shows of it, as the app keeps it: the accounts in the program
        and those our executives sponsor, not every account ranked (50,000 at 50k: ~30 MB)."""
        kept = [c for c in self.candidates if c.in_program]
        ids = {c.account.id for c in kept} | {a for carried in self.load.values() for a, _ in carried}
        return Program(self.executives, self.load, kept, {a: self.accounts[a] for a in ids}, self.context, self.starts)


# Every account's model and verdict: plain data, no cycles for the collector to look for
# (on the 50,000-account store its passes were 1.7 of the load's 3.4 s).
@collector_paused()
def load_program(store: StorePort, today: date) -> Program:
    """The whole program: every account ranked, our executives and their sponsorships."""
    settings = store.settings()
    # Verdicts only: the ranking needs no trend (90 days of scores, a fifth of the read at 50k).
    summaries = {s.id: s for s in portfolio(store, today, settings, trends=False, in_order=False)}
    accounts: dict[int, ProgramAccount] = {}
    # Tiers, industries, regions, quadrants and EBR days repeat across 50,000 accounts and the
    # app keeps the program for the session: one object each, not one per account (issue 36).
    one: dict[object, Any] = {}
    for aid, arr, tier, industry, region, value, growth, kraljic, last_ebr in store.program_facts():
        top = None  # filled below for program accounts only: fit needs it, ranking does not
        accounts[aid] = ProgramAccount(  # named as lists name it: namesakes told apart by CRM id
            aid, summaries[aid].label, arr, one.setdefault(tier, tier), one.setdefault(industry, industry),
            one.setdefault(region, region), value, growth, one.setdefault(kraljic, kraljic), summaries[aid].risk, top,
            one.setdefault(last_ebr, last_ebr),
        )  # fmt: skip
    executives = store.executives()
    load: dict[int, list[tuple[int, str]]] = defaultdict(list)
    sponsor_names: dict[int, list[str]] = defaultdict(list)
    names = {e.id: e.name for e in executives}
    industries: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    starts: dict[tuple[int, int], date] = {}
    for s in store.assignments():
        if s.executive_id not in names:
            continue
        starts[(s.executive_id, s.account_id)] = s.start_date
        acc = accounts[s.account_id]
        load[s.executive_id].append((s.account_id, acc.name))
        sponsor_names[s.account_id].append(names[s.executive_id])
        industries[s.executive_id][acc.industry.strip().casefold()].append(acc.name)
    candidates = rank_candidates(list(accounts.values()), settings.program_size, sponsor_names)
    contacts: dict[int, list[ContactRow]] = {}
    program_ids = [c.account.id for c in candidates if c.in_program]
    for start in range(0, len(program_ids), SLICE):  # a few reads, not one per program account
        contacts.update(store.contact_rows(program_ids[start : start + SLICE]))
    for i, cand in enumerate(candidates):
        if not cand.in_program:
            break
        top = None
        for c in contacts.get(cand.account.id, []):
            if contact_state(c, today, settings).engaged and (top is None or LEVEL_RANK[c.level] < LEVEL_RANK[top]):
                top = c.level
        acc = replace(cand.account, top_engaged_level=top)
        accounts[acc.id] = acc
        candidates[i] = replace(cand, account=acc)
    ctx = FitContext(store.executive_relationships(), industries)
    return Program(executives, load, candidates, accounts, ctx, starts)


def assign(store: StorePort, executive: StoredExecutive, account_id: int, account_name: str, today: date) -> None:
    """Assign, or refuse naming the executive and the accounts they already carry."""
    current = [n for a, n in load_program_load(store, executive.id)]
    if account_name in current:
        raise Refusal(f"{executive.name} already sponsors {account_name}")
    if len(current) >= executive.capacity:
        raise Refusal(
            f"{executive.name} already sponsors {len(current)} accounts ({', '.join(current)}); "
            f"the limit is {executive.capacity}. Nothing was written."
        )
    try:
        view = account_view(store, account_id, today)
        at_start = (view.assessment.score, view.assessment.risk)
        store.assign(executive.id, account_id, today, at_start)
    except NotPermitted:
        raise
    except Refusal:
        # The store's trigger is the last word (another writer got there first).
        current = [n for a, n in load_program_load(store, executive.id)]
        raise Refusal(f"{executive.name} is at capacity ({', '.join(current)}); nothing was written.") from None


def load_program_load(store: StorePort, executive_id: int | None) -> list[tuple[int, str]]:
    """(id, name) of the accounts one executive sponsors now, by name."""
    return store.sponsored_accounts(executive_id)


def unassign(store: StorePort, executive: StoredExecutive, account_id: int, account_name: str, today: date) -> None:
    if not store.unassign(executive.id, account_id, today):
        raise InputError(f"{executive.name} does not sponsor {account_name}")
