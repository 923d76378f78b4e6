"""Executives files (our side of the sponsor program): validated whole into a plan."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from stakeworks.domain.models import Executive
from stakeworks.interchange.csvfiles import norm_header, rows_as_dicts
from stakeworks.interchange.importer.columns import EXECUTIVE_ALIASES, read_mapped
from stakeworks.interchange.importer.plan import ImportPlan
from stakeworks.interchange.importer.problems import Problems, pydantic_problems
from stakeworks.interchange.importer.values import infer_level


def plan_executives(path: Path, *, overrides: Mapping[str, str] | None = None) -> ImportPlan:
    table, mapping = read_mapped(path, EXECUTIVE_ALIASES, overrides)
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
            pydantic_problems(problems, line, exc, columns)
    problems.raise_if_any(str(path))
    return ImportPlan(str(path), mapping, table.headers, list(table.warnings), out)
