"""Portfolio-wide verdicts: every account assessed, in triage order."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from operator import attrgetter

from stakeworks.domain.influence import InfluenceLine
from stakeworks.domain.rows import AccountRow
from stakeworks.domain.rules import ContactLike, Factor, assess, triage_key
from stakeworks.domain.settings import DEFAULT_SETTINGS, Settings


@dataclass(slots=True)
class AccountSummary:
    id: int
    name: str
    arr: float
    renewal_date: date | None
    tier: str
    csm: str
    risk: str
    score: int
    bus_factor: int
    factors: tuple[Factor, ...]
    contact_count: int
    active_count: int
    sponsors: tuple[str, ...] = ()
    trend: tuple[int, ...] = ()
    """Stored daily scores of the last 90 days, oldest first (today's included)."""
    change_30d: int | None = None
    """Score now minus the score stored 30 days ago (or the nearest day before)."""
    shown_name: str = ""
    """How a list names it when another account has its name ("Nissan Motors (Salesforce 001…)")."""
    sort_key: tuple[int, date, float, str] = field(init=False, repr=False, compare=False)
    """DOMAIN triage order as one tuple, computed once: screens re-sort 10,000 rows after every edit."""

    def __post_init__(self) -> None:
        self.sort_key = triage_key(self.score, self.renewal_date, self.arr, self.name)

    @property
    def label(self) -> str:
        """The name a list shows: the name, told apart from a namesake where there is one."""
        return self.shown_name or self.name

    @property
    def factor_codes(self) -> list[str]:
        return [f.code for f in self.factors]

    def days_to_renewal(self, today: date) -> int | None:
        return None if self.renewal_date is None else (self.renewal_date - today).days


def summarize(
    accounts: Sequence[AccountRow],
    contacts_by_account: Mapping[int, Sequence[ContactLike]],
    today: date,
    settings: Settings = DEFAULT_SETTINGS,
    sponsors: Mapping[int, Sequence[str]] | None = None,
    *,
    explain: bool = True,
    influences: Mapping[int, Sequence[InfluenceLine]] | None = None,
) -> list[AccountSummary]:
    """Assess every account and return them in DOMAIN triage order.

    `explain=False` skips the sentences (a portfolio list shows codes; the
    account view explains every verdict). `influences`: influence lines by account.
    """
    out = []
    sponsors = sponsors or {}
    influences = influences or {}
    for a in accounts:
        people = contacts_by_account.get(a.id, ())
        verdict = assess(people, today, a.renewal_date, settings, explain=explain, influences=influences.get(a.id, ()))
        out.append(
            AccountSummary(
                a.id, a.name, a.arr, a.renewal_date, a.tier, a.csm, verdict.risk, verdict.score,
                verdict.bus_factor, verdict.factors, len(people),
                sum(1 for c in people if c.status == "active"), tuple(sponsors.get(a.id, ())),
            )
        )  # fmt: skip
    out.sort(key=attrgetter("sort_key"))
    return out
