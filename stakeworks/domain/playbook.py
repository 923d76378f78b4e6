"""Champion departure playbook and suggested successors (DOMAIN section 6)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from stakeworks.domain.days import add_days
from stakeworks.domain.rules import ContactLike, department_key
from stakeworks.domain.vocab import LEVEL_RANK, SENTIMENT_RANK

if TYPE_CHECKING:  # pydantic's models load when first made, not with this module (issue 20)
    from stakeworks.domain.models import PlaybookTask

# (days after departure, action, owner), in the order seed 000 lists them.
PLAYBOOK: tuple[tuple[int, str, str], ...] = (
    (0, "Document all knowledge from the champion", "CSM"),
    (0, "Identify an interim contact", "CSM"),
    (1, "Executive outreach to their leadership", "CSM + Manager"),
    (3, "Introduction to the replacement (if known)", "CSM"),
    (7, "Health score reassessment", "CSM"),
    (7, "Accelerate multi-threading", "CSM"),
    (14, "New stakeholder onboarding", "CSM"),
    (28, "Relationship assessment", "CSM + Manager"),
)

KNOWLEDGE_TASK = PLAYBOOK[0][1]
"""Done when its checklist is, never ticked by hand (DOMAIN section 6)."""
PLAYBOOK_ROLES = frozenset({"champion", "executive_sponsor"})
"""Seed 002 treats losing a champion and an executive sponsor the same way."""

KNOWLEDGE_CHECKLIST: tuple[str, ...] = (
    "Open initiatives",
    "Key success metrics",
    "Political landscape",
    "Upcoming decisions",
    "Potential replacement",
    "Their assessment of the relationship",
    "Introductions to other stakeholders",
    "Permission to stay in touch (reference potential)",
)


def gets_playbook(roles: frozenset[str] | set[str]) -> bool:
    return bool(PLAYBOOK_ROLES & set(roles))


def status_change(old_status: str | None, new_status: str) -> str | None:
    """What a status write means for the playbook, whatever path made it (DOMAIN section 6):
    `departed` (a departure), `returned` (a departure undone), or None."""
    if new_status == "departed" and old_status != "departed":
        return "departed"
    if old_status == "departed" and new_status != "departed":
        return "returned"
    return None


def playbook_tasks(
    account_id: int,
    contact_id: int,
    departed_on: date,
    sponsor: str | None = None,
    now_at: tuple[str, str] | None = None,
) -> list[PlaybookTask]:
    """The eight dated tasks and the knowledge-capture checklist for one departure. `now_at`:
    (name, account) where the person is active at another account of ours, a warm path back in
    (DOMAIN section 13) that the introduction to their replacement names."""
    from stakeworks.domain.models import PlaybookTask

    tasks = []
    for position, (offset, action, owner) in enumerate(PLAYBOOK):
        if offset == 1 and sponsor:
            action = f"{action} (with our sponsor {sponsor})"
        if offset == 3 and now_at:
            action = f"{action}: ask {now_at[0]}, now at {now_at[1]}, an account of ours"
        tasks.append(
            PlaybookTask(
                account_id=account_id, contact_id=contact_id, departed_on=departed_on, kind="task", action=action,
                owner=owner, due_date=add_days(departed_on, offset), position=position,
            )
        )  # fmt: skip
    for position, item in enumerate(KNOWLEDGE_CHECKLIST):
        tasks.append(
            PlaybookTask(
                account_id=account_id, contact_id=contact_id, departed_on=departed_on, kind="checklist",
                action=item, owner="CSM", due_date=departed_on, position=position,
            )
        )  # fmt: skip
    return tasks


@dataclass(frozen=True, slots=True)
class Successor:
    contact: ContactLike
    reason: str


_LEVEL_WORDS = {1: "one level", 2: "two levels", 3: "three levels", 4: "four levels"}


def _level_phrase(delta: int) -> str:
    if delta == 0:
        return "same level"
    # LEVEL_RANK grows downwards (c_level = 0), so a positive delta is junior.
    return f"{_LEVEL_WORDS[abs(delta)]} {'down' if delta > 0 else 'up'}"


def suggest_successors(departed: ContactLike, others: Sequence[ContactLike], limit: int = 5) -> list[Successor]:
    """Rank active contacts as interim contact and future champion.

    Same department first, then the level closest to the departed person's,
    then strength (not rated last), then sentiment (advocate first).
    """
    dept = department_key(departed.department)
    rank = LEVEL_RANK[departed.level]
    pool = [c for c in others if c.status == "active" and c.id != departed.id]

    def key(c: ContactLike) -> tuple[bool, int, int, int, str]:
        same = bool(dept) and department_key(c.department) == dept
        return (not same, abs(LEVEL_RANK[c.level] - rank), -(c.strength or 0), SENTIMENT_RANK[c.sentiment], c.name)

    ranked = sorted(pool, key=key)[:limit]
    out = []
    for c in ranked:
        same = bool(dept) and department_key(c.department) == dept
        where = "same department" if same else f"{c.department.strip() or 'no department'}"
        strength = "strength not rated" if c.strength is None else f"strength {c.strength}"
        phrase = f"{where}, {_level_phrase(LEVEL_RANK[c.level] - rank)}, {strength}, {c.sentiment}"
        out.append(Successor(c, phrase))
    return out
