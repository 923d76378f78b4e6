"""Accounts files: validated whole into a plan the store applies in one transaction.

Money: ARR comes only from columns that mean recurring revenue (`ARR`, `Annual
Recurring Revenue`, `Contract Value`); Salesforce's `AnnualRevenue` is the
customer company's own revenue and is kept as that. A row's currency is its
currency column, else the symbol in its amount ("$1,100.04 "), else
`--currency`; with none of them the store's default is assumed and the
summary says so.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from stakeworks.domain.identity import crm_key, domain_key, name_key
from stakeworks.domain.models import Account
from stakeworks.domain.person_accounts import PersonAccountScan
from stakeworks.interchange.csvfiles import MAX_FIELD_CHARS
from stakeworks.interchange.importer.columns import (
    ACCOUNT_ALIASES,
    CRMS,
    detect_crm,
    file_date_format,
    read_mapped,
    row_values,
)
from stakeworks.interchange.importer.plan import ImportPlan
from stakeworks.interchange.importer.problems import Problems, pydantic_problems
from stakeworks.interchange.importer.values import parse_bool, parse_currency, parse_date, parse_money

DEFAULT_CURRENCY = "EUR"  # the store's default (DOMAIN section 1)
_DATES = ("renewal_date", "last_ebr", "next_ebr")
_NOT_STORED = ("crm_id", "crm", "person_account")  # read apart from the account's fields
_INTS: dict[str, Callable[[str], Any]] = {
    "strategic_value": lambda v: int(parse_money(v)[0]),
    "growth_potential": lambda v: int(parse_money(v)[0]),
}


@dataclass
class AccountRow:
    line: int
    values: dict[str, Any]
    """The fields the file supplied, parsed (others keep their stored value)."""
    crm: str
    crm_id: str
    currency_assumed: bool
    """The row has an amount but no currency anywhere: the account's (or the default) is assumed."""

    @property
    def name(self) -> str:
        return str(self.values.get("name", ""))


def _truthy(cell: str) -> bool:
    try:
        return parse_bool(cell)
    except ValueError:
        return False


def plan_accounts(
    path: Path,
    *,
    overrides: Mapping[str, str] | None = None,
    date_format: str | None = None,
    currency: str | None = None,
    crm: str | None = None,
) -> ImportPlan:
    table, mapping = read_mapped(path, ACCOUNT_ALIASES, overrides)
    problems = Problems()
    if "name" not in mapping.fields.values():
        problems.items.append("line 1: missing required column 'name' (or Account Name / Company)")
    problems.raise_if_any(str(path))
    checker = _RowChecker(
        problems,
        columns={f: table.headers[i] for i, f in mapping.fields.items()},
        crm=crm or detect_crm(table.headers),
        date_format=date_format or file_date_format(table, mapping, _DATES),
        default_currency=parse_currency(currency) if currency else None,
    )
    where = sorted(mapping.fields.items())
    out: list[AccountRow] = []
    for line, cells in table.records():
        checked = checker.check(line, row_values(cells, where, mapping.fallbacks))
        if checked is not None:
            out.append(checked)
    plan = ImportPlan(str(path), mapping, table.headers, list(table.warnings), out, problems, table, checker.crm)
    plan.person_accounts = checker.scan.found()
    assumed = sum(r.currency_assumed for r in out)
    if assumed:
        plan.notes.append(
            f"{assumed} row{'s' if assumed > 1 else ''} with an amount but no currency column or --currency: "
            f"taken in the account's stored currency, or {DEFAULT_CURRENCY} for a new account"
        )
    return plan


@dataclass
class _RowChecker:
    """Checks an accounts file row by row; remembers the names and CRM ids seen so far, so a
    second row for one account is refused with the line of the first."""

    problems: Problems
    columns: dict[str, str]
    crm: str
    date_format: str | None
    default_currency: str | None
    seen_names: dict[str, int] = field(default_factory=dict)
    seen_ids: dict[str, int] = field(default_factory=dict)
    scan: PersonAccountScan = field(default_factory=PersonAccountScan)

    def check(self, line: int, row: dict[str, str]) -> AccountRow | None:
        """The row as an AccountRow, or None with every problem it has added to `problems`."""
        failed: set[str] = set()

        def bad(fieldname: str, reason: str) -> None:
            self.problems.add(line, self.columns.get(fieldname, fieldname), reason)
            failed.add(fieldname)

        for fieldname, raw in row.items():
            if len(raw) > MAX_FIELD_CHARS:
                bad(fieldname, f"value is {len(raw):,} characters; at most {MAX_FIELD_CHARS:,}")
        values, symbol_currency = self._parse(row, failed, bad)
        self._settle_currency(values, symbol_currency, failed, bad)
        has_amount = bool(values.get("arr") or values.get("company_revenue"))
        currency_assumed = has_amount and "currency" not in values and "currency" not in failed
        row_crm = row.get("crm", "").casefold() or self.crm
        if row_crm not in CRMS:
            bad("crm", f"{row['crm']!r} is not a CRM we know ({', '.join(CRMS)})")
            row_crm = self.crm
        crm_id = crm_key(row_crm, row.get("crm_id", ""))
        self._once(line, crm_id, values.get("name", ""), bad)
        data = {k: v for k, v in values.items() if k not in failed}
        data.setdefault("name", "x" if "name" in failed else "")
        try:
            Account.model_validate(data)
        except ValidationError as exc:
            pydantic_problems(self.problems, line, exc, self.columns, failed)
            return None
        if failed:
            return None
        self.scan.add(line, values.get("name", ""), marked=_truthy(row.get("person_account", "")))
        return AccountRow(line, values, row_crm if crm_id else "", crm_id, currency_assumed)

    def _parse(
        self, row: dict[str, str], failed: set[str], bad: Callable[[str, str], None]
    ) -> tuple[dict[str, Any], set[str]]:
        """The row's fields parsed, and the currency symbols its amounts carry."""
        values: dict[str, Any] = {}
        symbol_currency: set[str] = set()
        for fieldname, value in row.items():
            if fieldname in failed or fieldname in _NOT_STORED or (not value and fieldname != "name"):
                continue
            try:
                if fieldname in ("arr", "company_revenue"):
                    amount, symbol = parse_money(value)
                    if amount < 0:
                        raise ValueError(f"{value!r} is negative")
                    values[fieldname] = amount
                    if symbol:
                        symbol_currency.add(symbol)
                elif fieldname == "currency":
                    values["currency"] = parse_currency(value)
                elif fieldname in _INTS:
                    values[fieldname] = _INTS[fieldname](value)
                elif fieldname in _DATES:
                    values[fieldname] = parse_date(value, self.date_format)
                elif fieldname in ("tier", "kraljic"):
                    values[fieldname] = value.casefold().replace(" ", "_").replace("-", "_")
                elif fieldname == "domain":
                    values[fieldname] = domain_key(value)
                else:
                    values[fieldname] = value
            except ValueError as exc:
                bad(fieldname, str(exc))
        return values, symbol_currency

    def _settle_currency(
        self, values: dict[str, Any], symbol_currency: set[str], failed: set[str], bad: Callable[[str, str], None]
    ) -> None:
        """The currency: its column, else the amounts' symbol, else --currency; conflicts are refused."""
        if len(symbol_currency) > 1:
            bad(
                "arr" if "arr" in values else "company_revenue",
                f"amounts in two currencies ({', '.join(sorted(symbol_currency))})",
            )
        elif symbol_currency:
            (symbol,) = symbol_currency
            if "currency" in values and values["currency"] != symbol and "currency" not in failed:
                bad("currency", f"{values['currency']} but the amount says {symbol}")
            values.setdefault("currency", symbol)
        if "currency" not in values and "currency" not in failed and self.default_currency:
            values["currency"] = self.default_currency

    def _once(self, line: int, crm_id: str, name: str, bad: Callable[[str, str], None]) -> None:
        """A file lists an account once: by its CRM id, or by its name when it has none."""
        if crm_id:
            if crm_id in self.seen_ids:
                bad("crm_id", f"CRM id {crm_id!r} also on line {self.seen_ids[crm_id]}")
            self.seen_ids.setdefault(crm_id, line)
        elif name:
            # Two accounts may share a name only when their CRM ids tell them apart (DOMAIN section 10).
            key = name_key(name)
            if key in self.seen_names:
                bad(
                    "name",
                    f"account {name!r} also on line {self.seen_names[key]} (two accounts may share a name only with different CRM ids)",
                )
            self.seen_names.setdefault(key, line)
