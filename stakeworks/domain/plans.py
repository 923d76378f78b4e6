"""Multi-threading plan proposals (DOMAIN section 9, seed 001's plan table).

For each coverage dimension that is not `ok`, and each fired factor a person
can fix, at most one item: a known contact before a placeholder, a path that
is never the target, a first action and due date by kind, and nothing
proposed twice (nor again when an open or dropped plan item has that target).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from stakeworks.domain.days import add_days, ago
from stakeworks.domain.influence import InfluenceLine
from stakeworks.domain.rules import (
    NEVER_TOUCHED,
    NOT_RATED,
    OVERDUE,
    STALE,
    STATUS_NOT_ENGAGED,
    WEAK,
    Assessment,
    ContactState,
    department_key,
    not_engaged_detail,
)
from stakeworks.domain.rules.census import against_us
from stakeworks.domain.settings import DEFAULT_SETTINGS, Settings
from stakeworks.domain.vocab import BAND_OF_LEVEL, LEVEL_RANK, Band

if TYPE_CHECKING:  # pydantic's models load when first made, not with this module (issue 20)
    from stakeworks.domain.models import Contact, PlanItem

REENGAGE_DAYS = 7
"""An overdue champion or sponsor is re-engaged within this many days."""
RENEWAL_LEAD_DAYS = 60
"""An economic buyer or decision maker is met at the latest this long before the renewal."""
QUARTER_DAYS = 90
"""Everything else: this quarter."""

# Whose C-level to look for when the executive sponsor is missing.
C_LEVEL_OF_DEPARTMENT = {
    "engineering": "CTO",
    "it": "CIO",
    "finance": "CFO",
    "operations": "COO",
    "sales": "CRO",
    "marketing": "CMO",
    "customer support": "COO",
    "hr": "CHRO",
}
# Section 9: "not rated or weak before never touched"; a late touch is as close as a weak one.
_CLOSENESS = {NOT_RATED: 0, WEAK: 0, OVERDUE: 0, STALE: 0, NEVER_TOUCHED: 1, STATUS_NOT_ENGAGED: 2}
_BAND_PLACEHOLDER = {
    Band.EXECUTIVE: ("C-level contact", "c_level"),
    Band.SENIOR: ("VP or director", "vp"),
    Band.WORKING: ("Manager or daily user", "manager"),
}


def timeline(due: date | None, today: date) -> str:
    if due is None:
        return "—"
    days = (due - today).days
    if days < 0:
        return f"overdue since {due}"
    if days <= 31:
        return f"This month ({due})"
    if days <= 92:
        return f"This quarter ({due})"
    return str(due)


def before_renewal(today: date, renewal: date | None) -> date:
    """At the latest RENEWAL_LEAD_DAYS before the renewal; within a week when that is past."""
    if renewal is None:
        return add_days(today, QUARTER_DAYS)
    latest = add_days(renewal, -RENEWAL_LEAD_DAYS)
    if latest >= today:
        return latest
    soon = add_days(today, REENGAGE_DAYS)
    return min(soon, renewal) if renewal >= today else soon


@dataclass
class _Planner:
    account_id: int
    contacts: Sequence[Contact]
    states: dict[int | None, ContactState]
    today: date
    renewal: date | None
    settings: Settings
    influences: Sequence[InfluenceLine] = ()

    def __post_init__(self) -> None:
        self.items: list[PlanItem] = []
        self.targeted: set[int | None] = set()
        self.labels: set[str] = set()
        self.known = [c for c in self.contacts if self.states[c.id].known]
        self.engaged = [c for c in self.contacts if self.states[c.id].engaged]
        self.quarter = today_plus(self.today, QUARTER_DAYS)

    # -- who -----------------------------------------------------------------------

    def free(self, people: Sequence[Contact]) -> list[Contact]:
        return [c for c in people if c.id not in self.targeted]

    def closest(self, people: Sequence[Contact]) -> Contact | None:
        """Closest to engaged: not rated, weak or late before never touched; then strength, then level."""
        return min(
            self.free(people),
            key=lambda c: (
                _CLOSENESS.get(self.states[c.id].why_not or "", -1),
                -(c.strength or 0),
                LEVEL_RANK[c.level],
                c.name.casefold(),
            ),
            default=None,
        )

    def detail(self, c: Contact) -> str:
        return not_engaged_detail(c, self.states[c.id], self.settings)

    def path(self, department: str, level: str, target_id: int | None) -> tuple[int | None, str]:
        """The strongest engaged contact other than the target: same department
        first, then the closest level above; with nobody engaged, direct outreach."""
        dept, rank = department_key(department), LEVEL_RANK[level]
        guides = [c for c in self.engaged if c.id != target_id]
        if not guides:
            return None, "Direct outreach"
        # First an engaged contact who sways the target for us (DOMAIN sections 9 and 14).
        for_us = {x.from_id for x in self.influences if x.to_id == target_id and x.sign == "positive"}
        swaying = [c for c in guides if c.id in for_us]
        if target_id is not None and swaying:
            guide = min(swaying, key=lambda c: (-(c.strength or 0), c.name.casefold()))
            role = " (champion)" if "champion" in guide.roles else ""
            return guide.id, f"Introduction through {guide.name}{role}, who influences them for us"
        guide = min(
            guides,
            key=lambda c: (
                not (dept and department_key(c.department) == dept),
                LEVEL_RANK[c.level] >= rank,  # above the target first
                abs(LEVEL_RANK[c.level] - rank),
                -(c.strength or 0),
                c.name.casefold(),
            ),
        )
        role = " (champion)" if "champion" in guide.roles else ""
        return guide.id, f"Introduction through {guide.name}{role}"

    # -- what ---------------------------------------------------------------------------

    def add(
        self, target: Contact, what: str, action: str | Callable[[str | None], str], due: date, source: str
    ) -> None:
        """One item for a known contact; `action` may name the path's person (None: direct outreach)."""
        from stakeworks.domain.models import PlanItem

        if self.states[target.id].engaged:  # developing someone we already work with: no introduction
            path_id, path_label = None, "Direct (already engaged)"
        else:
            path_id, path_label = self.path(target.department, target.level, target.id)
        guide = next((c.name for c in self.engaged if c.id == path_id), None)
        self.targeted.add(target.id)
        self.items.append(
            PlanItem(
                account_id=self.account_id,
                target_contact_id=target.id,
                target_label=f"{target.name} ({target.title or what})",
                path_contact_id=path_id,
                path_label=path_label,
                first_action=action if isinstance(action, str) else action(guide),
                due_date=due,
                source=source,
            )
        )

    def placeholder(self, label: str, department: str, level: str, action: str, due: date, source: str) -> None:
        from stakeworks.domain.models import PlanItem

        if label.casefold() in self.labels:
            return
        path_id, path_label = self.path(department, level, None)
        self.labels.add(label.casefold())
        self.items.append(
            PlanItem(
                account_id=self.account_id, target_label=label, path_contact_id=path_id, path_label=path_label,
                first_action=action, due_date=due, source=source,
            )
        )  # fmt: skip

    def reengage_or(self, c: Contact, fallback: Callable[[], tuple[str, date]]) -> tuple[str, date]:
        """An overdue (or never touched) champion or sponsor: re-engage within a week."""
        st = self.states[c.id]
        soon = today_plus(self.today, REENGAGE_DAYS)
        if st.why_not == OVERDUE:
            return f"Re-engage: {c.name} last touched {st.days_since_touch} days ago, every {st.threshold_days}", soon
        if st.why_not == NEVER_TOUCHED and st.threshold_days is not None:
            return f"First touch: {c.name} was never touched (every {st.threshold_days} days in this role)", soon
        return fallback()

    # -- the gaps ---------------------------------------------------------------------------

    def champion(self) -> None:
        holders = [c for c in self.known if "champion" in c.roles]
        c = self.closest(holders)
        if c is not None:
            why = self.states[c.id].why_not

            def build() -> tuple[str, date]:
                if why == NOT_RATED:
                    return f"Assess {c.name}'s relationship with us and rate it (strength not rated)", self.quarter
                if why == STATUS_NOT_ENGAGED:
                    return f"Re-open the conversation with {c.name} (status not engaged)", self.quarter
                return (
                    f"Rebuild {c.name} as champion ({self.detail(c)}): share wins, give them a story to tell",
                    self.quarter,
                )

            self.add(c, "champion", *self.reengage_or(c, build), "champion")
            return
        if holders:
            return  # every known champion is already a target
        develop = min(
            self.free([e for e in self.engaged if "champion" not in e.roles]),
            key=lambda e: (-(e.strength or 0), LEVEL_RANK[e.level], e.name.casefold()),
            default=None,
        )
        if develop is not None:
            action = f"Develop {develop.name} as champion: share wins and give them a story to tell internally"
            self.add(develop, "potential champion", action, self.quarter, "champion")
            return
        self.placeholder(
            "Champion (name unknown)", "", "vp",
            "Identify who benefits most from us and could advocate internally, then invest in them",
            self.quarter, "champion",
        )  # fmt: skip

    def economic_buyer(self) -> None:
        due = before_renewal(self.today, self.renewal)
        holders = [c for c in self.known if "economic_buyer" in c.roles]
        c = self.closest(holders)
        if c is not None:
            detail = self.detail(c)
            self.add(
                c, "economic buyer",
                lambda guide: (f"Ask {guide} to facilitate a brief ROI discussion with {c.name} before the renewal"
                               if guide else f"Book a brief ROI review with {c.name} before the renewal") + f" ({detail})",
                due, "economic_buyer",
            )  # fmt: skip
            return
        if holders:
            return
        finance = [
            k for k in self.known
            if department_key(k.department) == "finance" or "cfo" in k.title.casefold() or "financ" in k.title.casefold()
        ]  # fmt: skip
        fit = min(self.free(finance), key=lambda k: (LEVEL_RANK[k.level], k.name.casefold()), default=None)
        if fit is not None:
            action = f"Confirm whether {fit.name} controls the budget for the renewal, and meet them before it"
            self.add(fit, "economic buyer?", action, due, "economic_buyer")
            return
        self.placeholder("Economic buyer (name unknown)", "Finance", "c_level",
                         "Identify who controls the budget for the renewal, then meet them", due, "economic_buyer")  # fmt: skip

    def executive_sponsor(self) -> None:
        holders = [c for c in self.known if "executive_sponsor" in c.roles]
        c = self.closest(holders)
        if c is not None:
            self.add(c, "executive sponsor", *self.reengage_or(c, lambda: (
                f"Propose an executive alignment meeting with {c.name} ({self.detail(c)})", self.quarter
            )), "executive_sponsor")  # fmt: skip
            return
        if holders:
            return
        fit = min(
            self.free([k for k in self.known if k.level == "c_level"]),
            key=lambda k: (_CLOSENESS.get(self.states[k.id].why_not or "", -1), k.name.casefold()),
            default=None,
        )
        if fit is not None:
            action = f"Ask {fit.name} to sponsor the partnership: propose an executive alignment meeting"
            self.add(fit, "potential executive sponsor", action, self.quarter, "executive_sponsor")
            return
        # A placeholder named by a title nobody on the map holds.
        guide = max(self.engaged, key=lambda e: ("champion" in e.roles, e.strength or 0), default=None)
        titles = " | ".join(k.title.casefold() for k in self.known)
        title = C_LEVEL_OF_DEPARTMENT.get(department_key(guide.department) if guide else "", "C-level executive")
        if title.casefold() in titles:
            title = "C-level executive"
        self.placeholder(
            f"{title} (name unknown)", guide.department if guide else "", "c_level",
            f"Identify the {title}'s name and role first, then propose an executive alignment meeting",
            self.quarter, "executive_sponsor",
        )  # fmt: skip

    def decision_maker(self) -> None:
        due = before_renewal(self.today, self.renewal)
        deciders = [c for c in self.known if "decision_maker" in c.roles]
        pool = deciders or [c for c in self.known if "economic_buyer" in c.roles]
        c = self.closest(pool)
        if c is not None:
            action = f"Meet {c.name} before any commercial conversation ({self._last(c)})"
            self.add(c, "decision maker", action, due, "decision_maker")
            return
        if pool or any(i.source == "economic_buyer" and i.target_contact_id is None for i in self.items):
            return  # already a target, or the unknown economic buyer may be the same person
        self.placeholder("Decision maker (name unknown)", "", "c_level",
                         "Identify who has final authority on the renewal, then meet them", due, "decision_maker")  # fmt: skip

    def renewal_near(self) -> None:
        holders = [c for c in self.known if {"economic_buyer", "decision_maker"} & c.roles]
        if holders and not self.free(holders):
            return
        recent = min(
            self.free(holders),
            key=lambda c: (self.states[c.id].days_since_touch is None, self.states[c.id].days_since_touch or 0),
            default=None,
        )
        due = before_renewal(self.today, self.renewal)
        if recent is not None:
            action = f"Meet {recent.name} before the renewal on {self.renewal} ({self._last(recent)})"
            self.add(recent, "economic buyer or decision maker", action, due, "renewal_near_uncovered")
        elif not any(i.source in ("economic_buyer", "decision_maker") for i in self.items):
            self.placeholder("Economic buyer (name unknown)", "Finance", "c_level",
                             "Identify who controls the budget for the renewal, then meet them", due,
                             "renewal_near_uncovered")  # fmt: skip

    def detractor(self) -> None:
        swaying = against_us(self.contacts, self.influences)
        people = [
            c for c in self.contacts
            if self.states[c.id].active and ("detractor" in c.roles or c.sentiment == "detractor" or c.id in swaying)
            and not c.engagement_strategy.strip()
        ]  # fmt: skip
        c = min(self.free(people), key=lambda c: (LEVEL_RANK[c.level], c.name.casefold()), default=None)
        if c is not None:
            sways = f" (they sway {', '.join(swaying[c.id])} against us)" if c.id in swaying else ""
            self.add(c, "detractor", f"Meet {c.name} to hear their concerns{sways}, then write an engagement strategy",
                     self.quarter, "detractor")  # fmt: skip

    def breadth(self, engaged_depts: set[str]) -> None:
        outside = [
            c for c in self.known
            if not self.states[c.id].engaged and department_key(c.department)
            and department_key(c.department) not in engaged_depts
        ]  # fmt: skip
        if outside and not self.free(outside):
            return  # someone outside the engaged departments is already a target
        c = self.closest(outside)
        if c is not None:
            action = f"Engage {c.name} in {c.department.strip()} ({self.detail(c)})"
            self.add(c, "second department", action, self.quarter, "breadth")
            return
        only = next((e.department.strip() for e in self.engaged if e.department.strip()), "")
        label = (
            f"A contact outside {only} (name unknown)" if only else "A contact in a second department (name unknown)"
        )
        self.placeholder(label, "", "manager",
                         "Ask for an introduction to a team outside the current one; look for an expansion use case",
                         self.quarter, "breadth")  # fmt: skip

    def depth(self) -> None:
        have = {BAND_OF_LEVEL[e.level] for e in self.engaged}
        missing = [b for b in Band if b not in have]
        if not missing:
            return
        candidates = [c for c in self.known if not self.states[c.id].engaged and BAND_OF_LEVEL[c.level] in missing]
        if candidates and not self.free(candidates):
            return
        best = min(
            self.free(candidates),
            key=lambda c: (LEVEL_RANK[c.level], _CLOSENESS.get(self.states[c.id].why_not or "", -1), c.name.casefold()),
            default=None,
        )
        if best is not None:
            band = BAND_OF_LEVEL[best.level].value
            self.add(best, f"{band} level", f"Engage {best.name} to deepen coverage at the {band} level ({self.detail(best)})",
                     self.quarter, "depth")  # fmt: skip
            return
        band = missing[0]
        # A missing executive sponsor already asks for a C-level name.
        if band == Band.EXECUTIVE and any(
            i.source == "executive_sponsor" and i.target_contact_id is None for i in self.items
        ):
            return
        who, level = _BAND_PLACEHOLDER[band]
        self.placeholder(f"{who} (name unknown)", "", level, f"Map and meet a {who.lower()} to deepen coverage",
                         self.quarter, "depth")  # fmt: skip

    def _last(self, c: Contact) -> str:
        st = self.states[c.id]
        if st.why_not == STATUS_NOT_ENGAGED:
            return "status not engaged"
        return "never touched" if st.days_since_touch is None else f"last touched {ago(st.days_since_touch)}"


def today_plus(today: date, days: int) -> date:
    return add_days(today, days)


def propose(
    account_id: int,
    contacts: Sequence[Contact],
    assessment: Assessment,
    today: date,
    renewal_date: date | None = None,
    settings: Settings = DEFAULT_SETTINGS,
    influences: Sequence[InfluenceLine] = (),
) -> list[PlanItem]:
    """Plan items that would close the gaps and fixable factors the assessment found; the
    account's influence lines give paths and detractors (DOMAIN section 14)."""
    p = _Planner(account_id, contacts, assessment.states, today, renewal_date, settings, influences)
    cov, fired = assessment.coverage, set(assessment.factor_codes)
    if cov["champion"].status != "ok":
        p.champion()
    if cov["economic_buyer"].status != "ok":
        p.economic_buyer()
    if cov["executive_sponsor"].status != "ok":
        p.executive_sponsor()
    if cov["decision_maker"].status != "ok":
        p.decision_maker()
    if "renewal_near_uncovered" in fired:
        p.renewal_near()
    if "unmanaged_detractor" in fired:
        p.detractor()
    if cov["breadth"].status != "ok":
        p.breadth({department_key(e.department) for e in p.engaged} - {""})
    if cov["depth"].status != "ok":
        p.depth()
    return p.items


def not_yet_planned(proposals: Sequence[PlanItem], existing: Sequence[PlanItem]) -> list[PlanItem]:
    """Drop proposals whose target an open or dropped plan item already has (a done one does not count)."""

    def target(p: PlanItem) -> tuple[int | None, str]:
        return (p.target_contact_id, "") if p.target_contact_id is not None else (None, p.target_label.casefold())

    seen = {target(p) for p in existing if p.status != "done"}
    return [p for p in proposals if target(p) not in seen]
