"""Contacts files (CRM exports): the columns are checked up front, and the rows
are validated as they stream into the store's transaction, so a file of
hundreds of thousands of rows is never held whole; a bad row anywhere still
means nothing is written."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from stakeworks.domain.models import Contact, TouchKind
from stakeworks.interchange.csvfiles import MAX_FIELD_CHARS, CsvTable
from stakeworks.interchange.importer.columns import CONTACT_ALIASES, ColumnMapping, read_mapped
from stakeworks.interchange.importer.problems import Problems, pydantic_problems
from stakeworks.interchange.importer.values import (
    infer_date_format,
    infer_level,
    level_value,
    parse_bool,
    parse_date,
    parse_roles,
    parse_strength,
    touch_kind,
)


@dataclass
class ContactPlanRow:
    line: int
    contact: Contact
    present: set[str]  # fields the file supplied (others keep their stored value)
    account_name: str
    reports_to: str  # email or name, resolved by the store in the same account
    reports_to_column: str
    last_touch: date | None
    last_touch_kind: TouchKind
    external_id: str = ""


_PARSERS: dict[str, Callable[[str], Any]] = {
    "strength": parse_strength,
    "key_to_success": parse_bool,
}
_TEXT_FIELDS = ("title", "email", "department", "engagement_strategy")


@dataclass
class ContactsFile:
    """A contacts CSV whose header checked out; rows are validated as they stream.

    `validated()` reads the file once more each time it is iterated and keeps
    nothing but the row in hand, so a 200,000-row import is written while it
    is checked, inside one transaction that rolls back if any row was bad.
    """

    source: str
    table: CsvTable
    mapping: ColumnMapping
    account_ids: Mapping[str, int]
    account_refs: Mapping[str, str] | None
    date_format: str | None
    records: int
    """Non-blank records after the header (valid or not): the progress bar's total."""

    @property
    def headers(self) -> list[str]:
        return self.table.headers

    @property
    def warnings(self) -> list[str]:
        return list(self.table.warnings)

    def validated(self, problems: Problems) -> Iterator[ContactPlanRow]:
        """Every valid row; every invalid one is added to `problems` (line, column, reason)."""
        headers = self.table.headers
        present_fields = set(self.mapping.fields.values())
        columns = {f: headers[i] for i, f in self.mapping.fields.items()}
        columns["name"] = columns.get("name") or columns.get("last_name") or columns.get("first_name") or "name"
        account_column = columns.get("account", "account")
        where = sorted((i, f) for i, f in self.mapping.fields.items())
        account_ids, account_refs, date_format = self.account_ids, self.account_refs, self.date_format
        has_notes = "notes" in present_fields
        seen_emails: dict[str, int] = {}
        for line, cells in self.table.records():
            n = len(cells)
            if n and max(map(len, cells)) > MAX_FIELD_CHARS:
                big = [(i, f) for i, f in where if i < n and len(cells[i]) > MAX_FIELD_CHARS]
                for i, f in big:
                    problems.add(
                        line, columns[f], f"value is {len(cells[i]):,} characters; at most {MAX_FIELD_CHARS:,}"
                    )
                if big:
                    continue
            row = {f: cells[i].strip() for i, f in where if i < n}
            values: dict[str, Any] = {}
            present: set[str] = set()
            bad = False
            account_name = row.get("account", "")
            if "account" not in row and "account_ref" in row and account_refs is not None:
                account_name = account_refs.get(row["account_ref"], "")
                if not account_name:
                    problems.add(
                        line, columns["account_ref"], f"account id {row['account_ref']!r} is not in the accounts file"
                    )
                    bad = True
            if not account_name and not bad:
                problems.add(line, account_column, "account is required")
                bad = True
            elif account_name and account_name.casefold() not in account_ids:
                problems.add(line, account_column, f"no account named {account_name!r}; import accounts first")
                bad = True
            name = row.get("name", "") or f"{row.get('first_name', '')} {row.get('last_name', '')}".strip()
            if not name:
                problems.add(line, columns["name"], "name is required")
                bad = True
            values["name"] = name
            for fieldname in _TEXT_FIELDS:
                if fieldname in row:
                    values[fieldname] = row[fieldname]
                    present.add(fieldname)
            for fieldname in ("sentiment", "status"):
                if row.get(fieldname):
                    values[fieldname] = row[fieldname].casefold().replace(" ", "_")
                    present.add(fieldname)
            if has_notes or row.get("owner_note"):
                notes = [row.get("notes", "")]
                if row.get("owner_note"):
                    notes.append(f"Contact owner: {row['owner_note']}")
                values["notes"] = "\n".join(note for note in notes if note)
                present.add("notes")
            for fieldname, parse in _PARSERS.items():
                if row.get(fieldname):
                    try:
                        values[fieldname] = parse(row[fieldname])
                        present.add(fieldname)
                    except ValueError as exc:
                        problems.add(line, columns[fieldname], str(exc))
                        bad = True
            if "roles" in row:
                try:
                    values["roles"] = parse_roles(row["roles"])
                    present.add("roles")
                except ValueError as exc:
                    problems.add(line, columns["roles"], str(exc))
                    bad = True
            if row.get("level"):
                level = level_value(row["level"])
                if level is None:
                    problems.add(
                        line, columns["level"], f"unknown level {row['level']!r} (c_level, vp, director, manager, user)"
                    )
                    bad = True
                values["level"] = level
                present.add("level")
            elif "title" in values:
                values["level"] = infer_level(values["title"])
                values["level_inferred"] = True
                present |= {"level", "level_inferred"}
            last_touch = None
            if row.get("last_touch"):
                try:
                    last_touch = parse_date(row["last_touch"], date_format)
                except ValueError as exc:
                    problems.add(line, columns["last_touch"], str(exc))
                    bad = True
            kind = TouchKind.CALL
            if row.get("last_touch_kind"):
                got = touch_kind(row["last_touch_kind"])
                if got is None:
                    problems.add(line, columns["last_touch_kind"],
                                 f"unknown touch kind {row['last_touch_kind']!r} ({', '.join(k.value for k in TouchKind)})")  # fmt: skip
                    bad = True
                else:
                    kind = got
            if row.get("email"):
                email = row["email"].casefold()
                if email in seen_emails:
                    problems.add(line, columns["email"], f"email {row['email']} also on line {seen_emails[email]}")
                    bad = True
                else:
                    seen_emails[email] = line
            if bad:
                continue
            try:
                contact = Contact.model_validate(values)
            except ValidationError as exc:
                pydantic_problems(problems, line, exc, columns)
                continue
            yield ContactPlanRow(
                line, contact, present, account_name, row.get("reports_to", ""),
                columns.get("reports_to", "reports_to"), last_touch, kind, row.get("external_id", ""),
            )  # fmt: skip

    def preview(self, first: int = 10) -> tuple[list[ContactPlanRow], int]:
        """The first rows and how many are valid; InputError naming every bad row."""
        problems = Problems()
        rows, count = [], 0
        for row in self.validated(problems):
            if count < first:
                rows.append(row)
            count += 1
        problems.raise_if_any(self.source)
        return rows, count


def open_contacts(
    path: Path,
    account_ids: Mapping[str, int],
    *,
    overrides: Mapping[str, str] | None = None,
    date_format: str | None = None,
    account_refs: Mapping[str, str] | None = None,
) -> ContactsFile:
    """Check a contacts CSV's columns. `account_ids` maps folded account names
    to ids; `account_refs` maps CRM account ids (Salesforce `AccountId`) to names."""
    table, mapping = read_mapped(path, CONTACT_ALIASES, overrides)
    present_fields = set(mapping.fields.values())
    problems = Problems()
    if "account" not in present_fields and not ("account_ref" in present_fields and account_refs):
        problems.items.append("line 1: missing required column 'account' (or Account Name / Company)")
    if "name" not in present_fields and not ({"first_name", "last_name"} & present_fields):
        problems.items.append("line 1: missing required column 'name' (or First Name + Last Name)")
    problems.raise_if_any(str(path))
    # One streaming pass before validation: the file's date convention, and its size.
    touch_columns = [i for i, f in mapping.fields.items() if f == "last_touch"]
    records = 0

    def touch_cells() -> Iterator[str]:
        nonlocal records
        for _, cells in table.records():
            records += 1
            yield from (cells[i] for i in touch_columns if i < len(cells))

    inferred = infer_date_format(touch_cells())
    date_format = date_format or inferred
    return ContactsFile(str(path), table, mapping, account_ids, account_refs, date_format, records)
