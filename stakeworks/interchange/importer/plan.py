"""The plan of a small file (accounts, executives): every row valid, or nothing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from stakeworks.interchange.importer.columns import ColumnMapping


@dataclass
class ImportPlan:
    source: str
    mapping: ColumnMapping
    headers: list[str]
    warnings: list[str]
    rows: list[Any]

    def preview(self, first: int = 10) -> tuple[list[Any], int]:
        """The first rows and how many are valid (every row of a plan is): as `ContactsFile.preview`."""
        return self.rows[:first], len(self.rows)
