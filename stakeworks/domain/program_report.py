"""Measuring the sponsor program (seed 003, section 5: KPIs of the program; seed 000: the
sponsor's duties): per sponsored account, what it was when sponsorship started and what it
is now, and whether the sponsor's duties are being done, counted from the touches our
executives took part in.

Duties, counted over complete periods since the sponsorship started:
- an EBR every 182 days for a strategic account, every 365 for an enterprise one (no EBR
  duty for other tiers): `ebr_due` periods have passed, `ebr_held` EBR touches the sponsor
  took part in since the start;
- a check-in every quarter (91 days): `checkins_due` quarters have passed, `checkins_done`
  of them saw at least one touch by the sponsor at the account.
A duty is overdue when fewer were done than were due.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

EBR_PERIOD_DAYS = {"strategic": 182, "enterprise": 365}
CHECKIN_PERIOD_DAYS = 91


@dataclass(frozen=True, slots=True)
class ExecutiveTouch:
    """A touch one of our executives took part in."""

    executive_id: int
    account_id: int
    date: date
    kind: str
    contact: str


@dataclass(frozen=True, slots=True)
class Sponsorship:
    """One active assignment as the report needs it."""

    executive_id: int
    executive: str
    account_id: int
    account: str
    tier: str
    since: date
    score_at_start: int | None
    risk_at_start: str | None
    score_now: int
    risk_now: str
    renewal_date: date | None = None


@dataclass(frozen=True, slots=True)
class AccountMeasure:
    account: str
    since: date
    score_at_start: int | None
    risk_at_start: str | None
    score_now: int
    risk_now: str
    ebr_due: int | None  # None: the tier has no EBR duty
    ebr_held: int
    checkins_due: int
    checkins_done: int
    last_touch_by_sponsor: date | None
    renewals_since_start: int

    @property
    def score_change(self) -> int | None:
        """Now minus at the start: negative is better (the score measures risk)."""
        return None if self.score_at_start is None else self.score_now - self.score_at_start

    @property
    def overdue(self) -> list[str]:
        """The duties behind, in words ("EBR: 0 held of 1 due")."""
        out = []
        if self.ebr_due is not None and self.ebr_held < self.ebr_due:
            out.append(f"EBR: {self.ebr_held} held of {self.ebr_due} due")
        if self.checkins_done < self.checkins_due:
            out.append(
                f"check-ins: {self.checkins_done} of {self.checkins_due} quarter{'s' if self.checkins_due != 1 else ''}"
            )
        return out


@dataclass(frozen=True, slots=True)
class ExecutiveMeasure:
    executive: str
    accounts: list[AccountMeasure]

    @property
    def overdue(self) -> bool:
        return any(a.overdue for a in self.accounts)

    @property
    def last_touch(self) -> date | None:
        return max((a.last_touch_by_sponsor for a in self.accounts if a.last_touch_by_sponsor), default=None)


@dataclass(frozen=True, slots=True)
class ProgramReport:
    today: date
    executives: list[ExecutiveMeasure]
    totals: dict[str, int] = field(default_factory=dict)


def renewals_between(renewal_date: date | None, since: date, today: date) -> int:
    """Renewal dates passed since `since`, on annual terms: the stored (next) renewal date and
    each anniversary before it that falls in [since, today]."""
    if renewal_date is None:
        return 0
    count, year = 0, renewal_date.year
    while year >= since.year - 1:
        try:
            day = renewal_date.replace(year=year)
        except ValueError:  # 29 February in a year without one
            day = renewal_date.replace(year=year, day=28)
        if since <= day <= today:
            count += 1
        year -= 1
    return count


def measure(s: Sponsorship, touches: Iterable[ExecutiveTouch], today: date) -> AccountMeasure:
    """One sponsored account: its start and now, and the sponsor's duties (module docstring)."""
    mine = [t for t in touches if t.executive_id == s.executive_id and t.account_id == s.account_id]
    mine = [t for t in mine if s.since <= t.date <= today]
    days = max(0, (today - s.since).days)
    period = EBR_PERIOD_DAYS.get(s.tier)
    quarters = days // CHECKIN_PERIOD_DAYS
    touched_quarters = {(t.date - s.since).days // CHECKIN_PERIOD_DAYS for t in mine}
    return AccountMeasure(
        account=s.account,
        since=s.since,
        score_at_start=s.score_at_start,
        risk_at_start=s.risk_at_start,
        score_now=s.score_now,
        risk_now=s.risk_now,
        ebr_due=days // period if period else None,
        ebr_held=sum(1 for t in mine if t.kind == "ebr"),
        checkins_due=quarters,
        checkins_done=sum(1 for q in touched_quarters if q < quarters),
        last_touch_by_sponsor=max((t.date for t in mine), default=None),
        renewals_since_start=renewals_between(s.renewal_date, s.since, today),
    )


def program_report(
    sponsorships: Iterable[Sponsorship],
    touches: Iterable[ExecutiveTouch],
    today: date,
    executives: Mapping[int, str] | None = None,
) -> ProgramReport:
    """Per executive (those with overdue duties first, then by name) and program-wide.
    `executives`: every active executive by id, so one without accounts is listed too."""
    by_executive: dict[int, list[Sponsorship]] = defaultdict(list)
    names: dict[int, str] = dict(executives or {})
    for s in sponsorships:
        by_executive[s.executive_id].append(s)
        names.setdefault(s.executive_id, s.executive)
    touches = list(touches)
    per_executive = [
        ExecutiveMeasure(
            names[ex_id],
            sorted(
                (measure(s, touches, today) for s in by_executive.get(ex_id, [])), key=lambda a: a.account.casefold()
            ),
        )
        for ex_id in names
    ]
    per_executive.sort(key=lambda e: (not e.overdue, e.executive.casefold()))
    accounts = [a for e in per_executive for a in e.accounts]
    changes = [a.score_change for a in accounts if a.score_change is not None]
    totals = {
        "executives": len(per_executive),
        "executives_overdue": sum(1 for e in per_executive if e.overdue),
        "accounts": len(accounts),
        "improved": sum(1 for c in changes if c < 0),
        "worsened": sum(1 for c in changes if c > 0),
        "unchanged": sum(1 for c in changes if c == 0),
        "no_start_score": len(accounts) - len(changes),
        "high_risk_now": sum(1 for a in accounts if a.risk_now == "high"),
        "ebr_due": sum(a.ebr_due or 0 for a in accounts),
        "ebr_held": sum(a.ebr_held for a in accounts),
        "checkins_due": sum(a.checkins_due for a in accounts),
        "checkins_done": sum(a.checkins_done for a in accounts),
        "renewals_since_start": sum(a.renewals_since_start for a in accounts),
    }
    return ProgramReport(today, per_executive, totals)
