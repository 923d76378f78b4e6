"""CSV imports: map the columns, validate every row, and plan the writes.

Nothing here touches the store. `plan_accounts` and `plan_executives` take
small files whole and return either a plan (every row valid) or an InputError
listing every bad row as `line N, column C: reason`. Contacts files can be
hundreds of thousands of rows, so `open_contacts` checks the columns and
returns a `ContactsFile` whose rows are validated as they stream into the
store's transaction; a bad row anywhere still means nothing is written.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from stakeworks.domain.errors import InputError
from stakeworks.domain.models import Account, Contact, Executive, Level, Role, TouchKind
from stakeworks.interchange.csvfiles import (
    MAX_FIELD_CHARS,
    CsvTable,
    infer_date_format,
    norm_header,
    parse_bool,
    parse_date,
    parse_number,
    parse_strength,
    read_csv,
    rows_as_dicts,
)

CONTACT_ALIASES: dict[str, tuple[str, ...]] = {
    "account": ("account", "accountname", "company", "companyname", "associatedcompany", "organization"),
    "account_ref": ("accountid",),
    "name": ("name", "fullname", "contactname", "contact"),
    "first_name": ("firstname", "givenname"),
    "last_name": ("lastname", "surname", "familyname"),
    "title": ("title", "jobtitle", "position"),
    "email": ("email", "emailaddress", "workemail"),
    "department": ("department", "function"),
    "level": ("level", "seniority"),
    "roles": ("roles", "role", "buyingrole", "buyerattributes", "contactrole", "stakeholdertype", "type"),
    "strength": ("strength", "relationshipstrength", "relationship"),
    "sentiment": ("sentiment",),
    "status": ("status",),
    "last_touch": ("lasttouch", "lastactivity", "lastactivitydate", "lastcontacted"),
    "last_touch_kind": ("lasttouchkind", "lastactivitytype"),
    "reports_to": ("reportsto", "reportstoid", "reportstoemail", "manager"),
    "key_to_success": ("keytosuccess", "key"),
    "engagement_strategy": ("engagementstrategy", "strategy"),
    "notes": ("notes", "description", "note"),
    "owner_note": ("contactowner", "owner"),
    "external_id": ("id", "contactid"),
}
ACCOUNT_ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("name", "accountname", "company", "companyname", "account"),
    "arr": ("arr", "annualrecurringrevenue", "annualrevenue"),
    "currency": ("currency", "currencyisocode"),
    "renewal_date": ("renewaldate", "renewal", "contractenddate"),
    "tier": ("tier", "segment"),
    "industry": ("industry",),
    "region": ("region", "billingcountry", "country"),
    "csm": ("csm", "csmowner", "accountowner", "owner"),
    "strategic_value": ("strategicvalue",),
    "growth_potential": ("growthpotential",),
    "kraljic": ("kraljic", "kraljicquadrant"),
    "last_ebr": ("lastebr",),
    "next_ebr": ("nextebr",),
    "notes": ("notes", "description"),
    "external_id": ("id", "accountid"),
}
EXECUTIVE_ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("name", "fullname"),
    "title": ("title", "jobtitle"),
    "level": ("level",),
    "function": ("function", "department"),
    "industries": ("industries", "industry", "industryexpertise"),
    "region": ("region",),
    "capacity": ("capacity",),
    "exception_reason": ("exceptionreason", "exception"),
}

# CRM role values (Salesforce buyer attributes and contact roles, HubSpot
# buying roles), normalised like headers, to our stakeholder types.
ROLE_VALUES: dict[str, Role] = {
    "champion": Role.CHAMPION,
    "buyer": Role.ECONOMIC_BUYER,
    "economicbuyer": Role.ECONOMIC_BUYER,
    "budgetholder": Role.ECONOMIC_BUYER,
    "decisionmaker": Role.DECISION_MAKER,
    "executivesponsor": Role.EXECUTIVE_SPONSOR,
    "technicalexpert": Role.TECHNICAL_LEAD,
    "technicalbuyer": Role.TECHNICAL_LEAD,
    "technicallead": Role.TECHNICAL_LEAD,
    "technicalowner": Role.TECHNICAL_LEAD,
    "businessuser": Role.END_USER,
    "enduser": Role.END_USER,
    "user": Role.END_USER,
    "enduserchampion": Role.END_USER_CHAMPION,
    "evaluator": Role.INFLUENCER,
    "influencer": Role.INFLUENCER,
    "detractor": Role.DETRACTOR,
    "blocker": Role.DETRACTOR,
}

_LEVEL_RULES: tuple[tuple[re.Pattern[str], Level], ...] = (
    (
        re.compile(
            r"\b(ceo|cfo|cto|coo|cio|cmo|cro|cpo|ciso|cdo|chro|chief|(?<!vice )(?<!vice-)president|founder|owner|"
            r"managing director|geschäftsführer|directeur général|pdg|director general)\b"
        ),
        Level.C_LEVEL,
    ),
    (re.compile(r"\b(svp|evp|avp|vp|vice[- ]president|vicepresident)\b"), Level.VP),
    (re.compile(r"\b(director|head of|head|directeur|directrice|leiter|leiterin|direktor)\b"), Level.DIRECTOR),
    (re.compile(r"\b(manager|mgr|lead|team lead|supervisor|responsable|teamleiter)\b"), Level.MANAGER),
)


_LEVEL_VALUES = frozenset(lv.value for lv in Level)


@functools.lru_cache(maxsize=8192)
def infer_level(title: str) -> Level:
    """CLI.md's title rules, widened to common forms (SVP, Head of, Sr. Manager...)."""
    t = title.casefold()
    for pattern, level in _LEVEL_RULES:
        if pattern.search(t):
            return level
    return Level.USER


@functools.lru_cache(maxsize=4096)
def parse_roles(value: str) -> frozenset[Role]:
    """Role cells repeat a handful of values across a file: parse each once."""
    out: set[Role] = set()
    for part in re.split(r"[;|]", value):
        key = norm_header(part)
        if not key:
            continue
        role = ROLE_VALUES.get(key)
        if role is None:
            raise ValueError(f"unknown role {part.strip()!r}")
        out.add(role)
    return frozenset(out)


@dataclass
class ColumnMapping:
    """Which file column feeds which field; what is left over."""

    fields: dict[int, str]
    ignored: list[str]

    def describe(self, headers: list[str]) -> list[str]:
        lines = [f"{headers[i]!r} -> {f}" for i, f in sorted(self.fields.items())]
        lines += [f"{h!r} -> (ignored: no matching field; use --map to assign it)" for h in self.ignored]
        return lines


def map_columns(
    headers: list[str], aliases: Mapping[str, tuple[str, ...]], overrides: Mapping[str, str] | None = None
) -> ColumnMapping:
    lookup = {alias: fieldname for fieldname, names in aliases.items() for alias in names}
    over = {norm_header(k): v for k, v in (overrides or {}).items()}
    fields: dict[int, str] = {}
    taken: set[str] = set()
    ignored = []
    for i, h in enumerate(headers):
        key = norm_header(h)
        fieldname = over.get(key) or lookup.get(key)
        if fieldname and fieldname not in taken:
            fields[i] = fieldname
            taken.add(fieldname)
        elif h:
            ignored.append(h)
    return ColumnMapping(fields, ignored)


@dataclass
class Problems:
    items: list[str] = field(default_factory=list)

    def add(self, line: int, column: str, reason: str) -> None:
        self.items.append(f"line {line}, column {column}: {reason}")

    def raise_if_any(self, source: str) -> None:
        if self.items:
            n = len(self.items)
            raise InputError(f"{source}: {n} problem{'s' if n > 1 else ''}; nothing was imported", self.items)


def _cell(row: dict[str, tuple[str, str]], name: str) -> tuple[str, str] | None:
    got = row.get(name)
    if got is None:
        return None
    return got[0], got[1].strip()


def _pydantic_problems(problems: Problems, line: int, exc: ValidationError, columns: dict[str, str]) -> None:
    for err in exc.errors():
        loc = str(err["loc"][0]) if err["loc"] else "row"
        problems.add(line, columns.get(loc, loc), err["msg"].removeprefix("Value error, "))


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


_Parser = Callable[[str], Any]
_CONTACT_PARSERS: dict[str, _Parser] = {
    "strength": parse_strength,
    "key_to_success": parse_bool,
}


def _read(
    path: Path, aliases: Mapping[str, tuple[str, ...]], overrides: Mapping[str, str] | None
) -> tuple[CsvTable, ColumnMapping]:
    table = read_csv(path)
    mapping = map_columns(table.headers, aliases, overrides)
    return table, mapping


def _file_date_format(table: CsvTable, mapping: ColumnMapping, fields: tuple[str, ...]) -> str | None:
    """One file, one convention: a 25/04 anywhere makes every slash date day-first."""
    columns = [i for i, f in mapping.fields.items() if f in fields]
    if not columns:
        return None
    return infer_date_format(cells[i] for _, cells in table.records() for i in columns if i < len(cells))


def _check_size(problems: Problems, line: int, row: dict[str, tuple[str, str]]) -> bool:
    ok = True
    for header, value in row.values():
        if len(value) > MAX_FIELD_CHARS:
            problems.add(line, header, f"value is {len(value):,} characters; at most {MAX_FIELD_CHARS:,}")
            ok = False
    return ok


@functools.lru_cache(maxsize=256)
def _level_value(cell: str) -> str | None:
    """A level cell as the stored value ("C-Level" -> c_level), None if unknown."""
    lvl = norm_header(cell).replace("clevel", "c_level")
    lvl = {"vicepresident": "vp", "csuite": "c_level", "executive": "c_level"}.get(lvl, lvl)
    return lvl if lvl in _LEVEL_VALUES else None


@functools.lru_cache(maxsize=256)
def _touch_kind(cell: str) -> TouchKind | None:
    try:
        return TouchKind(cell.casefold().replace(" ", "_").replace("-", "_"))
    except ValueError:
        return None


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
            for fieldname, parse in _CONTACT_PARSERS.items():
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
                level = _level_value(row["level"])
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
                got = _touch_kind(row["last_touch_kind"])
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
                _pydantic_problems(problems, line, exc, columns)
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
    table, mapping = _read(path, CONTACT_ALIASES, overrides)
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


_ACCOUNT_PARSERS: dict[str, _Parser] = {
    "arr": parse_number,
    "strategic_value": lambda v: int(parse_number(v)),
    "growth_potential": lambda v: int(parse_number(v)),
}


def plan_accounts(
    path: Path, *, overrides: Mapping[str, str] | None = None, date_format: str | None = None
) -> ImportPlan:
    table, mapping = _read(path, ACCOUNT_ALIASES, overrides)
    problems = Problems()
    if "name" not in mapping.fields.values():
        problems.items.append("line 1: missing required column 'name' (or Account Name / Company)")
    problems.raise_if_any(str(path))
    columns = {f: table.headers[i] for i, f in mapping.fields.items()}
    date_format = date_format or _file_date_format(table, mapping, ("renewal_date", "last_ebr", "next_ebr"))
    seen: dict[str, int] = {}
    out: list[tuple[int, dict[str, Any], str]] = []
    for line, row in rows_as_dicts(table, mapping.fields):
        if not _check_size(problems, line, row):
            continue
        values: dict[str, Any] = {}
        bad = False
        for fieldname, (header, raw) in row.items():
            value = raw.strip()
            if fieldname == "external_id":
                continue
            if not value and fieldname != "name":
                continue
            try:
                if fieldname in _ACCOUNT_PARSERS:
                    values[fieldname] = _ACCOUNT_PARSERS[fieldname](value)
                elif fieldname in ("renewal_date", "last_ebr", "next_ebr"):
                    values[fieldname] = parse_date(value, date_format)
                elif fieldname in ("tier", "kraljic"):
                    values[fieldname] = value.casefold().replace(" ", "_").replace("-", "_")
                else:
                    values[fieldname] = value
            except ValueError as exc:
                problems.add(line, header, str(exc))
                bad = True
        folded = values.get("name", "").casefold()
        if folded and folded in seen:
            problems.add(line, columns["name"], f"account {values['name']!r} also on line {seen[folded]}")
            bad = True
        seen[folded] = line
        if bad:
            continue
        try:
            Account.model_validate(values)
        except ValidationError as exc:
            _pydantic_problems(problems, line, exc, columns)
            continue
        out.append((line, values, (_cell(row, "external_id") or ("", ""))[1]))
    problems.raise_if_any(str(path))
    return ImportPlan(str(path), mapping, table.headers, list(table.warnings), out)


def plan_executives(path: Path, *, overrides: Mapping[str, str] | None = None) -> ImportPlan:
    table, mapping = _read(path, EXECUTIVE_ALIASES, overrides)
    problems = Problems()
    if "name" not in mapping.fields.values():
        problems.items.append("line 1: missing required column 'name'")
    problems.raise_if_any(str(path))
    columns = {f: table.headers[i] for i, f in mapping.fields.items()}
    out: list[tuple[int, Executive]] = []
    for line, row in rows_as_dicts(table, mapping.fields):
        values: dict[str, Any] = {}
        for fieldname, (_header, raw) in row.items():
            value = raw.strip()
            if not value and fieldname != "name":
                continue
            if fieldname == "industries":
                values[fieldname] = frozenset(i.strip() for i in value.split(";") if i.strip())
            elif fieldname == "level":
                values[fieldname] = norm_header(value).replace("clevel", "c_level")
            else:
                values[fieldname] = value
        if "level" not in values and "title" in values:
            values["level"] = infer_level(values["title"])
        try:
            out.append((line, Executive.model_validate(values)))
        except ValidationError as exc:
            _pydantic_problems(problems, line, exc, columns)
    problems.raise_if_any(str(path))
    return ImportPlan(str(path), mapping, table.headers, list(table.warnings), out)
