"""Columns: which header of a file feeds which field. Headers match case- and
spacing-insensitively against each kind's aliases (ours and common CRM export
names, CLI.md "CSV columns"); `--map` overrides win; the rest are ignored and
said so."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from stakeworks.interchange.csvfiles import CsvTable, norm_header, read_csv
from stakeworks.interchange.importer.values import infer_date_format

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


def read_mapped(
    path: Path, aliases: Mapping[str, tuple[str, ...]], overrides: Mapping[str, str] | None
) -> tuple[CsvTable, ColumnMapping]:
    table = read_csv(path)
    mapping = map_columns(table.headers, aliases, overrides)
    return table, mapping


def file_date_format(table: CsvTable, mapping: ColumnMapping, fields: tuple[str, ...]) -> str | None:
    """One file, one convention: a 25/04 anywhere makes every slash date day-first."""
    columns = [i for i, f in mapping.fields.items() if f in fields]
    if not columns:
        return None
    return infer_date_format(cells[i] for _, cells in table.records() for i in columns if i < len(cells))
