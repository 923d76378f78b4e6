"""Problems: every bad row of a file as `line N, column C: reason`, collected
in one pass, then refused together (nothing is imported), or, with
`--skip-invalid`, those lines left out and written to `FILE.rejected.csv`."""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import ValidationError

from stakeworks.domain.errors import InputError
from stakeworks.interchange.csvfiles import MAX_FIELD_CHARS


@dataclass
class Problems:
    items: list[str] = field(default_factory=list)
    by_line: dict[int, list[str]] = field(default_factory=dict)
    """Each bad line's reasons (`column: reason`), for the rejected file and the preview."""

    def add(self, line: int, column: str, reason: str) -> None:
        self.items.append(f"line {line}, column {column}: {reason}")
        self.by_line.setdefault(line, []).append(f"{column}: {reason}")

    def add_line(self, line: int, reason: str) -> None:
        """A problem of the whole row (it duplicates another line, it is undecided)."""
        self.items.append(f"line {line}: {reason}")
        self.by_line.setdefault(line, []).append(reason)

    def reason(self, line: int) -> str:
        return "; ".join(self.by_line.get(line, []))

    def raise_if_any(self, source: str) -> None:
        if self.items:
            n = len(self.items)
            raise InputError(f"{source}: {n} problem{'s' if n > 1 else ''}; nothing was imported", self.items)


def pydantic_problems(
    problems: Problems,
    line: int,
    exc: ValidationError,
    columns: dict[str, str],
    skip: set[str] | frozenset[str] = frozenset(),
) -> None:
    """Each field pydantic refused, named by its column; `skip` fields were already reported."""
    for err in exc.errors():
        loc = str(err["loc"][0]) if err["loc"] else "row"
        if loc not in skip:
            problems.add(line, columns.get(loc, loc), err["msg"].removeprefix("Value error, "))


def check_size(problems: Problems, line: int, row: dict[str, tuple[str, str]]) -> bool:
    ok = True
    for header, value in row.values():
        if len(value) > MAX_FIELD_CHARS:
            problems.add(line, header, f"value is {len(value):,} characters; at most {MAX_FIELD_CHARS:,}")
            ok = False
    return ok
