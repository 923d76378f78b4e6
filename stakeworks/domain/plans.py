"""Multi-threading plan proposals from coverage gaps (seed 001's plan table)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from stakeworks.domain.models import BAND_OF_LEVEL, Contact, PlanItem
from stakeworks.domain.rules import Assessment, department_key

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


def propose(account_id: int, contacts: Sequence[Contact], assessment: Assessment, today: date) -> list[PlanItem]:
    """Plan items that would close the gaps the assessment found."""
    st = assessment.states
    engaged = [c for c in contacts if st[c.id].engaged]
    champions = sorted((c for c in engaged if "champion" in c.roles), key=lambda c: -c.strength)
    guide = champions[0] if champions else max(engaged, key=lambda c: c.strength, default=None)
    via_label = (
        f"Through {guide.name} ({'champion introduction' if champions else 'introduction'})"
        if guide
        else "Find a way in (no engaged contact yet)"
    )
    via_id = guide.id if guide else None
    month, quarter = today + timedelta(days=30), today + timedelta(days=90)
    items: list[PlanItem] = []

    def add(target: Contact | None, label: str, action: str, due: date, source: str) -> None:
        items.append(
            PlanItem(
                account_id=account_id, target_contact_id=target.id if target else None, target_label=label,
                path_contact_id=via_id, path_label=via_label, first_action=action, due_date=due, source=source,
            )
        )  # fmt: skip

    cov = assessment.coverage
    for role, what in (("economic_buyer", "economic buyer"), ("executive_sponsor", "executive sponsor")):
        if cov[role].status == "gap":
            for c in (c for c in contacts if role in c.roles and st[c.id].known and not st[c.id].engaged):
                if role == "economic_buyer":
                    action = (
                        f"Ask {guide.name} to facilitate a brief ROI discussion with {c.name}"
                        if guide
                        else f"Book an ROI review with {c.name}"
                    )
                    add(c, f"{c.name} ({c.title or what})", action, month, role)
                else:
                    add(c, f"{c.name} ({c.title or what})", "Propose an executive alignment meeting", quarter, role)
        elif cov[role].status == "missing":
            if role == "economic_buyer":
                add(
                    None,
                    "Economic buyer (name unknown)",
                    "Identify who controls the budget for the renewal",
                    month,
                    role,
                )
            else:
                dept = department_key(guide.department) if guide else ""
                title = C_LEVEL_OF_DEPARTMENT.get(dept, "C-level executive")
                add(None, f"{title} (name unknown)", f"Identify the {title}'s name and role first, then propose an executive alignment meeting", quarter, role)  # fmt: skip
    if cov["champion"].status != "ok":
        candidates = sorted((c for c in engaged if "champion" not in c.roles), key=lambda c: -c.strength)
        if candidates:
            c = candidates[0]
            add(
                c,
                f"{c.name} ({c.title or 'potential champion'})",
                "Develop as champion: share wins and give them a story to tell internally",
                month,
                "champion",
            )
        else:
            add(
                None,
                "Champion (to develop)",
                "Find someone who benefits most from us and invest in them",
                month,
                "champion",
            )
    if cov["decision_maker"].status == "gap":
        for c in (c for c in contacts if "decision_maker" in c.roles and st[c.id].known):
            add(
                c,
                f"{c.name} ({c.title or 'decision maker'})",
                "Book a touchpoint before any commercial conversation",
                month,
                "decision_maker",
            )
    if cov["breadth"].status == "gap":
        add(
            None,
            "A second department (name unknown)",
            "Ask for an introduction to a team outside the current one; look for an expansion use case",
            quarter,
            "breadth",
        )
    if cov["depth"].status != "ok":
        bands = {BAND_OF_LEVEL[c.level] for c in engaged}
        for band, who in (
            ("executive", "C-level contact"),
            ("senior", "VP or director"),
            ("working", "Manager or daily user"),
        ):
            # A missing executive sponsor already asks for a C-level name.
            if band == "executive" and any(i.source == "executive_sponsor" for i in items):
                continue
            if band not in {b.value for b in bands}:
                add(
                    None,
                    f"{who} (name unknown)",
                    f"Map and meet a {who.lower()} to deepen coverage",
                    quarter,
                    f"depth_{band}",
                )
    for c in contacts:
        if (
            st[c.id].active
            and ("detractor" in c.roles or c.sentiment == "detractor")
            and not c.engagement_strategy.strip()
        ):
            add(
                c,
                f"{c.name} ({c.title or 'detractor'})",
                "Meet to hear their concerns, then write an engagement strategy",
                month,
                "detractor",
            )
    return items


def not_yet_planned(proposals: Sequence[PlanItem], existing: Sequence[PlanItem]) -> list[PlanItem]:
    """Drop proposals already in the plan (same gap and target), whatever their status."""
    seen = {(p.source, p.target_contact_id, p.target_label if p.target_contact_id is None else "") for p in existing}
    return [
        p
        for p in proposals
        if (p.source, p.target_contact_id, p.target_label if p.target_contact_id is None else "") not in seen
    ]
