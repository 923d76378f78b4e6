"""Executives files (our side of the sponsor program): validated whole into a plan.

A name is `Name`, or `First Name` + `Last Name` (a Dynamics 365 or Salesforce
user export). The program takes VPs and above (DOMAIN section 5): people below
are skipped, each with its reason, and the rest are imported.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from stakeworks.domain.models import Executive, Level
from stakeworks.interchange.csvfiles import norm_header
from stakeworks.interchange.importer.columns import EXECUTIVE_ALIASES, read_mapped, row_values
from stakeworks.interchange.importer.plan import ImportPlan
from stakeworks.interchange.importer.problems import Problems, pydantic_problems
from stakeworks.interchange.importer.values import infer_level

_ELIGIBLE = (Level.VP, Level.C_LEVEL)


def plan_executives(path: Path, *, overrides: Mapping[str, str] | None = None) -> ImportPlan:
    table, mapping = read_mapped(path, EXECUTIVE_ALIASES, overrides)
    problems = Problems()
    fields = set(mapping.fields.values())
    if "name" not in fields and not fields & {"first_name", "last_name"}:
        problems.items.append("line 1: missing required column 'name' (or First Name + Last Name)")
    problems.raise_if_any(str(path))
    columns = {f: table.headers[i] for i, f in mapping.fields.items()}
    columns["name"] = columns.get("name") or columns.get("last_name") or columns.get("first_name") or "name"
    where = sorted(mapping.fields.items())
    out: list[tuple[int, Executive]] = []
    skipped: list[tuple[int, str, str]] = []
    for line, cells in table.records():
        row = row_values(cells, where, mapping.fallbacks)
        name = row.get("name", "") or f"{row.get('first_name', '')} {row.get('last_name', '')}".strip()
        values: dict[str, Any] = {"name": name}
        for fieldname, value in row.items():
            if not value or fieldname in ("name", "first_name", "last_name"):
                continue
            if fieldname == "industries":
                values[fieldname] = frozenset(i.strip() for i in value.split(";") if i.strip())
            elif fieldname == "level":
                values[fieldname] = norm_header(value).replace("clevel", "c_level")
            else:
                values[fieldname] = value
        if "level" not in values and "title" in values:
            level = infer_level(values["title"])
            if level not in _ELIGIBLE:
                skipped.append(
                    (line, name, f"{values['title']!r} is {level.value}: the sponsor program takes VPs and above")
                )
                continue
            values["level"] = level
        elif values.get("level") in ("director", "manager", "user"):
            skipped.append((line, name, f"level {values['level']}: the sponsor program takes VPs and above"))
            continue
        try:
            out.append((line, Executive.model_validate(values)))
        except ValidationError as exc:
            pydantic_problems(problems, line, exc, columns)
    plan = ImportPlan(str(path), mapping, table.headers, list(table.warnings), out, problems, table)
    plan.skipped = skipped
    return plan
