"""Accounts files: validated whole into a plan the store applies in one transaction."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from stakeworks.domain.models import Account
from stakeworks.interchange.csvfiles import rows_as_dicts
from stakeworks.interchange.importer.columns import ACCOUNT_ALIASES, file_date_format, read_mapped
from stakeworks.interchange.importer.plan import ImportPlan
from stakeworks.interchange.importer.problems import Problems, check_size, pydantic_problems
from stakeworks.interchange.importer.values import parse_date, parse_number

_PARSERS: dict[str, Callable[[str], Any]] = {
    "arr": parse_number,
    "strategic_value": lambda v: int(parse_number(v)),
    "growth_potential": lambda v: int(parse_number(v)),
}


def _cell(row: dict[str, tuple[str, str]], name: str) -> tuple[str, str] | None:
    got = row.get(name)
    if got is None:
        return None
    return got[0], got[1].strip()


def plan_accounts(
    path: Path, *, overrides: Mapping[str, str] | None = None, date_format: str | None = None
) -> ImportPlan:
    table, mapping = read_mapped(path, ACCOUNT_ALIASES, overrides)
    problems = Problems()
    if "name" not in mapping.fields.values():
        problems.items.append("line 1: missing required column 'name' (or Account Name / Company)")
    problems.raise_if_any(str(path))
    columns = {f: table.headers[i] for i, f in mapping.fields.items()}
    date_format = date_format or file_date_format(table, mapping, ("renewal_date", "last_ebr", "next_ebr"))
    seen: dict[str, int] = {}
    out: list[tuple[int, dict[str, Any], str]] = []
    for line, row in rows_as_dicts(table, mapping.fields):
        if not check_size(problems, line, row):
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
                if fieldname in _PARSERS:
                    values[fieldname] = _PARSERS[fieldname](value)
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
            pydantic_problems(problems, line, exc, columns)
            continue
        out.append((line, values, (_cell(row, "external_id") or ("", ""))[1]))
    problems.raise_if_any(str(path))
    return ImportPlan(str(path), mapping, table.headers, list(table.warnings), out)
