"""The plan of a small file (accounts, executives, roles): its valid rows, and
every problem of the others, found in one pass."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from stakeworks.domain.person_accounts import PersonAccounts
from stakeworks.interchange.csvfiles import CsvTable
from stakeworks.interchange.importer.columns import ColumnMapping
from stakeworks.interchange.importer.problems import Problems


@dataclass
class ImportPlan:
    source: str
    mapping: ColumnMapping
    headers: list[str]
    warnings: list[str]
    rows: list[Any]
    problems: Problems = field(default_factory=Problems)
    table: CsvTable | None = None
    crm: str = "csv"
    notes: list[str] = field(default_factory=list)
    """What the file left to us and we chose, e.g. the currency of amounts without one."""
    person_accounts: PersonAccounts | None = None
    """Accounts the CRM marks as person accounts (B2C), for the preview."""
    skipped: list[tuple[int, str, str]] = field(default_factory=list)
    """(line, name, reason) of rows that are fine but not for us (people below VP in an executives file)."""

    @property
    def records(self) -> int:
        return len(self.rows) + len(self.problems.by_line) + len(self.skipped)

    def check(self) -> None:
        """Refuse the whole file when any row is bad (without --skip-invalid)."""
        self.problems.raise_if_any(self.source)

    def preview(self, first: int = 10) -> tuple[list[Any], int]:
        """The first rows and how many are valid: as `ContactsFile.preview`."""
        return self.rows[:first], len(self.rows)
