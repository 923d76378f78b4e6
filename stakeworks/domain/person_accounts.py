"""Possible person accounts in an import (issue 31).

Salesforce's person accounts (B2C orgs) keep each customer who is one person as an account
with exactly one contact of the same name. Imported as they are, every such account scores
as single-threaded (HIGH: only one active contact) because that is what it is, not because
the relationship is thin: 2,002 of them once filled triage with "HIGH single contact". The
import preview names them, so the user can leave them out before they land.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from stakeworks.domain.identity import name_key
from stakeworks.domain.words import plural

MEANING = (
    "a person account is one customer kept as an account with one contact of the same name "
    "(Salesforce B2C); each scores as single-threaded (high risk, only one contact) by its nature, "
    "not because a relationship is thin, so they crowd risk triage: leave them out of the files "
    "if the portfolio is meant for business accounts"
)


@dataclass(frozen=True)
class PersonAccounts:
    """How many accounts of an import look like person accounts, of how many it names."""

    count: int
    of: int
    examples: tuple[str, ...]
    marked: int = 0
    """Of `count`, those the CRM itself marks as person accounts (`IsPersonAccount`)."""

    def as_json(self) -> dict[str, Any]:
        return {"count": self.count, "of": self.of, "examples": list(self.examples), "marked": self.marked,
                "meaning": MEANING}  # fmt: skip

    def text(self) -> str:
        shown = ", ".join(self.examples)
        more = f" and {self.count - len(self.examples):,} more" if self.count > len(self.examples) else ""
        return f"possible person accounts: {self.count:,} of {plural(self.of, 'account')} ({shown}{more}); {MEANING}"


@dataclass
class PersonAccountScan:
    """Rows of an import as they pass: per account, how many people and whether one has its name."""

    accounts: dict[object, tuple[str, int, bool]] = field(default_factory=dict)
    marked: set[object] = field(default_factory=set)

    def add(self, account: object, account_name: str, person: str = "", *, marked: bool = False) -> None:
        """One row of `account` (any key: an id, a line), naming `person` when it is a contact;
        `marked` when the CRM says it is a person account."""
        name, rows, same = self.accounts.get(account, (account_name, 0, False))
        # Only an account's first person can make it one (it must stay its only one): the names of
        # the others are never compared (two name keys a row: ~6% of a 200k import's checks).
        if person and rows == 0:
            same = name_key(person) == name_key(account_name)
        self.accounts[account] = (name, rows + (1 if person else 0), same)
        if marked:
            self.marked.add(account)

    def found(self, examples: int = 5) -> PersonAccounts | None:
        """The person accounts seen, or None: an account marked as one, or whose only contact in the
        file bears its name."""
        people = [k for k, (_, rows, same) in self.accounts.items() if k in self.marked or (rows == 1 and same)]
        if not people:
            return None
        names = sorted(self.accounts[k][0] for k in people)
        return PersonAccounts(len(people), len(self.accounts), tuple(names[:examples]), len(self.marked))
