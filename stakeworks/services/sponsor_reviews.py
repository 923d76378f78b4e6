"""The sponsor program's owner (CLI.md "The sponsor program's owner"): nominations and the
optimiser's suggestions wait in one review queue; the owner approves (the store's
three-account limit applies) or declines with a reason; and the program is measured."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from stakeworks.domain.errors import InputError, NotPermitted, Refusal
from stakeworks.domain.models import Executive, SponsorReview, StoredExecutive
from stakeworks.domain.program_report import ProgramReport, Sponsorship, program_report
from stakeworks.domain.sponsors import Pair, Scored, fit
from stakeworks.services.accounts import account_view, portfolio
from stakeworks.services.ports import StorePort
from stakeworks.services.program import Program, load_program


@dataclass(frozen=True)
class QueueEntry:
    """One entry of the review queue, with what the owner needs to decide."""

    review: SponsorReview
    account: str
    executive: StoredExecutive | None
    fit: Scored | None  # with the named executive; None when the entry names none
    load: list[str]  # the executive's accounts now
    options: list[tuple[StoredExecutive, Scored]]  # entries without an executive: the best fits with room

    @property
    def load_after(self) -> int | None:
        return None if self.executive is None else len(self.load) + 1

    @property
    def over_limit(self) -> bool:
        """Approving would break the executive's limit (the store refuses it)."""
        return self.executive is not None and len(self.load) + 1 > self.executive.capacity


def _require(text: str, what: str) -> str:
    text = (text or "").strip()
    if not text:
        raise InputError(f"{what} is required: say why, in a few words")
    return text


def nominate(store: StorePort, account_id: int, executive: Executive | None, reason: str, by: str, today: date) -> int:
    """A CSM proposes an account for the program, optionally with the executive they want.
    Nothing is assigned; the entry waits for the owner. Its id."""
    reason = _require(reason, "--reason")
    sponsors = store.sponsor_names_by_account(account_id).get(account_id, [])
    name = store.account(account_id).name
    if executive is not None and executive.name in sponsors:
        raise Refusal(f"{executive.name} already sponsors {name}")
    if executive is None and sponsors:
        raise Refusal(f"{name} already has our sponsor {', '.join(sponsors)}; name another executive to add one")
    review = SponsorReview(
        account_id=account_id, executive_id=executive.id if executive else None, source="nomination",
        reason=reason, proposed_by=by, proposed_on=today,
    )  # fmt: skip
    return store.propose_sponsor(review)


def queue(store: StorePort, today: date, prog: Program | None = None) -> list[QueueEntry]:
    """The pending entries, oldest first, each with its fit and the executive's load."""
    reviews = store.sponsor_reviews("pending")
    if not reviews:
        return []
    prog = prog or load_program(store, today)
    by_id = {e.id: e for e in prog.executives}
    program_execs = {e.id: e for e in prog.program_executives()}
    remaining = prog.remaining()
    out = []
    for r in reviews:
        account = prog.accounts[r.account_id]
        ex = by_id.get(r.executive_id) if r.executive_id is not None else None
        scored = fit(program_execs[ex.id], account, prog.context) if ex is not None and ex.id in program_execs else None
        options: list[tuple[StoredExecutive, Scored]] = []
        if ex is None:
            ranked = [
                (e, fit(program_execs[e.id], account, prog.context))
                for e in prog.executives
                if remaining.get(e.id, 0) > 0
            ]
            options = sorted(ranked, key=lambda p: (-p[1].total, p[0].name))[:3]
        load = [n for _, n in prog.load.get(ex.id, [])] if ex is not None and ex.id is not None else []
        out.append(QueueEntry(r, account.name, ex, scored, load, options))
    return out


def _at_start(store: StorePort, account_id: int, today: date) -> tuple[int, str]:
    a = account_view(store, account_id, today).assessment
    return a.score, a.risk


def approve(store: StorePort, review_id: int, executive: Executive | None, by: str, today: date) -> tuple[str, str]:
    """Approve one pending entry (with `executive`, else the one it names): the assignment and
    the decision land together. Over the limit it is refused naming the executive's accounts.
    (executive name, account name)."""
    entry = next((r for r in store.sponsor_reviews(None) if r.id == review_id), None)
    if entry is None:
        raise InputError(f"no review entry {review_id} (stakeworks sponsors review lists them)")
    if entry.status != "pending":
        raise Refusal(
            f"entry {review_id} was already {entry.status} by {entry.decided_by or '?'} on {entry.decided_on}"
        )
    if executive is None:
        executive = next((e for e in store.executives() if e.id == entry.executive_id), None)
        if executive is None:
            raise InputError(
                f"entry {review_id} names no executive: say which (stakeworks sponsors approve {review_id} EXEC)"
            )
    assert executive.id is not None  # read from the store
    account = store.account(entry.account_id).name
    current = [n for _, n in store.sponsored_accounts(executive.id)]
    if account in current:
        raise Refusal(f"{executive.name} already sponsors {account}")
    if len(current) >= executive.capacity:
        raise _over_limit(executive, current)
    try:
        store.approve_sponsor(review_id, executive.id, by, today, _at_start(store, entry.account_id, today))
    except Refusal as exc:
        if "capacity" not in str(exc):
            raise
        # The store's trigger is the last word: another approval got there first.
        raise _over_limit(executive, [n for _, n in store.sponsored_accounts(executive.id)]) from None
    return executive.name, account


def _over_limit(executive: Executive, current: list[str]) -> Refusal:
    return Refusal(
        f"{executive.name} already sponsors {len(current)} accounts ({', '.join(current)}); "
        f"the limit is {executive.capacity}. Nothing was written."
    )


def decline(store: StorePort, review_id: int, reason: str, by: str, today: date) -> str:
    """Decline one pending entry with the reason; the account's name."""
    reason = _require(reason, "--reason")
    entry = next((r for r in store.sponsor_reviews(None) if r.id == review_id), None)
    if entry is None:
        raise InputError(f"no review entry {review_id} (stakeworks sponsors review lists them)")
    store.decline_sponsor(review_id, reason, by, today)
    return store.account(entry.account_id).name


def queue_suggestion(store: StorePort, pairs: list[Pair], by: str, today: date) -> int:
    """The optimiser's pairs into the review queue (those already waiting are left as they
    are); how many were added."""
    waiting = {(r.account_id, r.executive_id) for r in store.sponsor_reviews("pending")}
    added = 0
    with store.transaction():
        for p in pairs:
            if (p.account.id, p.executive.id) in waiting:
                continue
            store.propose_sponsor(
                SponsorReview(
                    account_id=p.account.id,
                    executive_id=p.executive.id,
                    source="suggestion",
                    reason=f"suggested, fit {p.fit.total:.0f}",
                    proposed_by=by,
                    proposed_on=today,
                )  # fmt: skip
            )
            added += 1
    return added


def approve_suggestion(store: StorePort, pairs: list[Pair], by: str, today: date) -> int:
    """The owner applies the optimiser's pairs now: each goes through the queue and is approved
    at once, all in one transaction (one refused, none written). How many were approved."""
    waiting = {(r.account_id, r.executive_id): r.id for r in store.sponsor_reviews("pending")}
    with store.transaction():
        for p in pairs:
            review_id = waiting.get((p.account.id, p.executive.id))
            if review_id is None:
                review_id = store.propose_sponsor(
                    SponsorReview(
                        account_id=p.account.id,
                        executive_id=p.executive.id,
                        source="suggestion",
                        reason=f"suggested, fit {p.fit.total:.0f}",
                        proposed_by=by,
                        proposed_on=today,
                    )  # fmt: skip
                )
            try:
                store.approve_sponsor(review_id, p.executive.id, by, today, _at_start(store, p.account.id, today))
            except NotPermitted:
                raise
            except Refusal:
                raise Refusal(
                    f"{p.executive.name} cannot take {p.account.name} (the limit, or another change since the "
                    "suggestion was made); nothing was written"
                ) from None
    return len(pairs)


def report(store: StorePort, today: date) -> ProgramReport:
    """The program measured (domain/program_report.py): per executive and program-wide."""
    accounts = {a.id: a for a in store.accounts()}
    now = {s.id: s for s in portfolio(store, today, trends=False, in_order=False)}  # looked up: no trend, no order
    executives = {e.id: e.name for e in store.executives()}
    sponsorships = []
    for s in store.assignments():
        if s.executive_id not in executives:
            continue
        a = accounts[s.account_id]
        score, risk = s.score_at_start, s.risk_at_start
        if score is None:  # assigned before the start was kept: the score history's nearest day
            history = store.score_history(s.account_id)
            before = [h for h in history if h[0] <= s.start_date]
            pick = before[-1] if before else (history[0] if history else None)
            if pick is not None:
                score, risk = pick[1], pick[2]
        sponsorships.append(
            Sponsorship(
                s.executive_id,
                executives[s.executive_id],
                s.account_id,
                a.name,
                str(a.tier),
                s.start_date,
                score,
                risk,
                now[s.account_id].score,
                now[s.account_id].risk,
                a.renewal_date,
            )  # fmt: skip
        )
    return program_report(sponsorships, store.executive_touches(), today, executives)
