"""Contacts files (CRM exports): the columns are checked up front, and the rows
are validated as they stream into the store's transaction, so a file of
hundreds of thousands of rows is never held whole; a bad row anywhere still
means nothing is written (unless `--skip-invalid` leaves it out).

A row names its account by the CRM's account id (Salesforce `AccountId`,
HubSpot's associated company id), else by name, else by the company's web
domain (HubSpot's associated company domain); every problem of a row is
reported together, whatever else is wrong with it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from stakeworks.domain.identity import AccountDirectory, AccountIdentity, crm_key, id_key
from stakeworks.domain.influence import parse_cell
from stakeworks.domain.models import Contact, TouchKind
from stakeworks.domain.person_accounts import PersonAccounts, PersonAccountScan
from stakeworks.interchange.csvfiles import MAX_FIELD_CHARS, CsvTable
from stakeworks.interchange.importer.columns import CONTACT_ALIASES, ColumnMapping, detect_crm, read_mapped
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
    account: AccountIdentity
    reports_to: str  # CRM id, email or name, resolved by the store in the same account
    reports_to_column: str
    last_touch: date | None
    last_touch_kind: TouchKind
    bounce: str | None = None
    """The CRM marks mail to them bounced: its words for it (date, reason), for an email_bounced signal."""
    influences: list[tuple[str, str]] = field(default_factory=list)
    """The people of the same account this one influences, (CRM id, email or name; sign), resolved by the store."""
    influences_column: str = "influences"

    @property
    def account_name(self) -> str:
        return self.account.name

    @property
    def account_id(self) -> int:
        return self.account.id


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
    accounts: AccountDirectory
    account_refs: Mapping[str, str] | None
    date_format: str | None
    records: int
    """Non-blank records after the header (valid or not): the progress bar's total."""
    crm: str = "csv"
    person_scan: PersonAccountScan = field(default_factory=PersonAccountScan)
    """The last pass's accounts and their people: possible person accounts (B2C)."""

    @property
    def person_accounts(self) -> PersonAccounts | None:
        """Accounts of the file that look like person accounts, after `validated()` has run."""
        return self.person_scan.found()

    @property
    def headers(self) -> list[str]:
        return self.table.headers

    @property
    def warnings(self) -> list[str]:
        return list(self.table.warnings)

    def column(self, fieldname: str) -> str:
        """The file's header that feeds a field (for `line N, column C` messages)."""
        return next((self.table.headers[i] for i, f in self.mapping.fields.items() if f == fieldname), fieldname)

    def validated(self, problems: Problems) -> Iterator[ContactPlanRow]:
        """Every valid row; every invalid one is added to `problems` (line, column, reason)."""
        reader = _RowReader(self)
        self.person_scan = PersonAccountScan()
        for line, cells in self.table.records():
            row = reader.cells(line, cells, problems)
            if row is not None and (checked := reader.check(line, row, problems)) is not None:
                yield checked

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


class _RowReader:
    """A contacts file's rows, one at a time, as `ContactPlanRow`s: what the header says is
    worked out once, then each step of a row adds its own problems (every problem of a row
    is reported, whatever else is wrong with it) and marks the fields it could not read."""

    def __init__(self, file: ContactsFile) -> None:
        headers = file.table.headers
        self.file = file
        self.columns = {f: headers[i] for i, f in file.mapping.fields.items()}
        columns = self.columns
        columns["name"] = columns.get("name") or columns.get("last_name") or columns.get("first_name") or "name"
        self.account_column = (
            columns.get("account") or columns.get("account_ref") or columns.get("account_domain") or "account"
        )
        self.where = sorted((i, f) for i, f in file.mapping.fields.items())
        self.fallbacks = file.mapping.fallbacks
        read = set(file.mapping.fields.values()) | set(self.fallbacks)
        self.has_notes = "notes" in read
        # Cells a file may not have at all: a row of such a file skips reading them (200,000 rows).
        self.has_bounce = bool(read & {"email_bounced", "email_bounced_date", "email_bounced_reason"})
        self.read = read
        self.text_fields = [f for f in _TEXT_FIELDS if f in read]
        self.choices = [f for f in ("sentiment", "status") if f in read]
        self.parsers = [(f, parse) for f, parse in _PARSERS.items() if f in read]

    def cells(self, line: int, cells: list[str], problems: Problems) -> dict[str, str] | None:
        """The row's cells by field (a blank one filled from its fallback columns), or None when a
        cell is too long to read."""
        n = len(cells)
        if n and max(map(len, cells)) > MAX_FIELD_CHARS:
            big = [(i, f) for i, f in self.where if i < n and len(cells[i]) > MAX_FIELD_CHARS]
            for i, f in big:
                problems.add(
                    line, self.columns[f], f"value is {len(cells[i]):,} characters; at most {MAX_FIELD_CHARS:,}"
                )
            if big:
                return None
        row = {f: cells[i].strip() for i, f in self.where if i < n}
        if self.fallbacks:
            for f, others in self.fallbacks.items():
                if not row.get(f):
                    row[f] = next((v for i in others if i < n and (v := cells[i].strip())), "")
        return row

    def check(self, line: int, row: dict[str, str], problems: Problems) -> ContactPlanRow | None:
        failed: set[str] = set()
        account = self._account(line, row, problems, failed)
        values, present = self._values(line, row, problems, failed)
        last_touch, kind = self._last_touch(line, row, problems, failed)
        crm_id = row.get("crm_id", "") if "crm_id" in self.read else ""
        if crm_id:
            crm = self.file.crm
            values["crm"], values["crm_id"] = crm, crm_key(crm, crm_id)
            present |= {"crm", "crm_id"}
        try:  # every field the row gave is checked, whatever else failed (one pass, no waves)
            contact = Contact.__pydantic_validator__.validate_python(values)  # model_validate's own step
        except ValidationError as exc:
            pydantic_problems(problems, line, exc, self.columns, failed)
            return None
        try:
            influences = parse_cell(row["influences"]) if "influences" in row else []
        except ValueError as exc:
            problems.add(line, self.columns["influences"], str(exc))
            return None
        if failed or account is None:
            return None
        reports_to = row.get("reports_to", "")
        marked = "person_account" in self.read and _truthy(row.get("person_account", ""))
        self.file.person_scan.add(account.id, account.name, contact.name, marked=marked)
        return ContactPlanRow(
            line, contact, present, account, reports_to,
            self.columns.get("reports_to", "reports_to"), last_touch, kind, _bounce(row) if self.has_bounce else None,
            influences, self.columns.get("influences", "influences"),
        )  # fmt: skip

    def _account(self, line: int, row: dict[str, str], problems: Problems, failed: set[str]) -> AccountIdentity | None:
        """The row's account: by the CRM's account id, else name, else the company's web domain."""
        columns, account_refs = self.columns, self.file.account_refs
        ref = row.get("account_ref", "")
        if ref and ";" in ref:  # HubSpot's "Associated Company IDs": the first is the primary
            ref = ref.split(";", 1)[0].strip()
        name_of_account = row.get("account", "")
        if ref and account_refs is not None and not name_of_account:
            name_of_account = _referenced(account_refs, self.file.crm, ref)
            if not name_of_account:
                problems.add(line, columns["account_ref"], f"account id {ref!r} is not in the accounts file")
                failed.add("account")
            ref = ""
        if "account" in failed:
            return None
        try:
            return self.file.accounts.resolve(
                crm=self.file.crm, ref=ref, name=name_of_account, domain=row.get("account_domain", "")
            )
        except ValueError as exc:
            column = (columns.get("account_ref") if ref else None) or (
                columns.get("account") if name_of_account else None
            )
            problems.add(line, column or self.account_column, str(exc))
            failed.add("account")
            return None

    def _values(
        self, line: int, row: dict[str, str], problems: Problems, failed: set[str]
    ) -> tuple[dict[str, Any], set[str]]:
        """The contact's fields as pydantic reads them, and which of them the file supplied."""
        values: dict[str, Any] = {}
        present: set[str] = set()
        name = row.get("name", "") or f"{row.get('first_name', '')} {row.get('last_name', '')}".strip()
        if not name:
            problems.add(line, self.columns["name"], "name is required")
            failed.add("name")
        values["name"] = name or "x"
        for fieldname in self.text_fields:
            if fieldname in row:
                values[fieldname] = row[fieldname]
                present.add(fieldname)
        for fieldname in self.choices:
            if row.get(fieldname):
                values[fieldname] = row[fieldname].casefold().replace(" ", "_")
                present.add(fieldname)
        if self.has_notes or ("owner_note" in self.read and row.get("owner_note")):
            notes = [row.get("notes", "")]
            if row.get("owner_note"):
                notes.append(f"Contact owner: {row['owner_note']}")
            values["notes"] = "\n".join(note for note in notes if note)
            present.add("notes")
        for fieldname, parse in self.parsers:
            if row.get(fieldname):
                try:
                    values[fieldname] = parse(row[fieldname])
                    present.add(fieldname)
                except ValueError as exc:
                    problems.add(line, self.columns[fieldname], str(exc))
                    failed.add(fieldname)
        if "roles" in row:
            try:
                values["roles"] = parse_roles(row["roles"])
                present.add("roles")
            except ValueError as exc:
                problems.add(line, self.columns["roles"], str(exc))
                failed.add("roles")
        self._level(line, row, values, present, problems, failed)
        return values, present

    def _level(
        self,
        line: int,
        row: dict[str, str],
        values: dict[str, Any],
        present: set[str],
        problems: Problems,
        failed: set[str],
    ) -> None:
        """The level the file gives, else the one the title implies (marked inferred)."""
        if row.get("level"):
            level = level_value(row["level"])
            if level is None:
                problems.add(
                    line,
                    self.columns["level"],
                    f"unknown level {row['level']!r} (c_level, vp, director, manager, user)",
                )
                failed.add("level")
            else:
                values["level"] = level
                present.add("level")
        elif "title" in values:
            values["level"] = infer_level(values["title"])
            values["level_inferred"] = True
            present |= {"level", "level_inferred"}

    def _last_touch(
        self, line: int, row: dict[str, str], problems: Problems, failed: set[str]
    ) -> tuple[date | None, TouchKind]:
        last_touch = None
        if row.get("last_touch"):
            try:
                last_touch = parse_date(row["last_touch"], self.file.date_format)
            except ValueError as exc:
                problems.add(line, self.columns["last_touch"], str(exc))
                failed.add("last_touch")
        kind = TouchKind.CALL
        if row.get("last_touch_kind"):
            got = touch_kind(row["last_touch_kind"])
            if got is None:
                problems.add(line, self.columns["last_touch_kind"],
                             f"unknown touch kind {row['last_touch_kind']!r} ({', '.join(k.value for k in TouchKind)})")  # fmt: skip
                failed.add("last_touch_kind")
            else:
                kind = got
        return last_touch, kind


def _truthy(cell: str) -> bool:
    try:
        return parse_bool(cell)
    except ValueError:
        return False


def _referenced(refs: Mapping[str, str], crm: str, ref: str) -> str:
    """The name --accounts-file gives an account id: as written, as its 15-character Salesforce
    form (the accounts file may hold either length), or as this CRM stores it."""
    return refs.get(ref) or refs.get(id_key(ref)) or refs.get(crm_key(crm, ref)) or ""


def _bounce(row: Mapping[str, str]) -> str | None:
    """The CRM's bounce fields in words, or None when they say mail reaches the person.
    A flag that does not read as true (`false`, `0`, blank) with no date or reason is no bounce."""
    flag, day, reason = (row.get(f, "") for f in ("email_bounced", "email_bounced_date", "email_bounced_reason"))
    try:
        flagged = bool(flag) and parse_bool(flag)
    except ValueError:  # HubSpot writes a count of bounces, or a reason, in such columns
        flagged = flag not in ("", "0")
    if not (flagged or day or reason):
        return None
    words = "marked bounced" + (f" on {day}" if day else "")
    return words + (f" ({reason})" if reason else "")


def open_contacts(
    path: Path,
    accounts: AccountDirectory | Mapping[str, int],
    *,
    overrides: Mapping[str, str] | None = None,
    date_format: str | None = None,
    account_refs: Mapping[str, str] | None = None,
    crm: str | None = None,
) -> ContactsFile:
    """Check a contacts CSV's columns. `accounts` is every stored account (or, for
    scripts, folded names to ids); `account_refs` maps CRM account ids to names
    (`--accounts-file`, for accounts imported without their ids)."""
    if not isinstance(accounts, AccountDirectory):
        accounts = AccountDirectory.of(AccountIdentity(i, n) for n, i in accounts.items())
    table, mapping = read_mapped(path, CONTACT_ALIASES, overrides)
    crm = crm or detect_crm(table.headers)
    present_fields = set(mapping.fields.values())
    problems = Problems()
    if not present_fields & {"account", "account_ref", "account_domain"}:
        problems.items.append(
            "line 1: missing required column 'account' (Account Name / Company, or the account's CRM id as "
            "AccountId / Associated Company ID once `import accounts` has read them, or --accounts-file)"
        )
    if "name" not in present_fields and not ({"first_name", "last_name"} & present_fields):
        problems.items.append("line 1: missing required column 'name' (or First Name + Last Name)")
    problems.raise_if_any(str(path))
    # One streaming pass before validation: the file's date convention, and its size.
    touch_columns = [i for i, f in mapping.fields.items() if f == "last_touch"]
    touch_columns += mapping.fallbacks.get("last_touch", [])
    records = 0

    def touch_cells() -> Iterator[str]:
        nonlocal records
        for cells in table.cells_of(touch_columns):  # as written: a guard or #N/A is no slash date either
            records += 1
            yield from cells

    inferred = infer_date_format(touch_cells())
    date_format = date_format or inferred
    return ContactsFile(str(path), table, mapping, accounts, account_refs, date_format, records, crm)
