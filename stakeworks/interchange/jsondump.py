"""Checking a whole-store JSON export before a single row of it is written (`import json`).

An export is `{"format", "version", "schema", "tables": {TABLE: [row objects]}}` with the
store's column names (CLI.md). Everything in it is checked first, and every problem is listed
at once, as `line L, column C: reason` when the file is not JSON, else as
`TABLE record N (id I): field: reason`: the document's shape; each row's columns (none
unknown, every one a plain value of its column's type, none missing that must be there); and
each record through the same models the app and the CSV imports use (names without control
characters, ranges, the three-sponsorships-without-a-reason rule, enumerations, dates in
range). Only a file with no problem reaches the store, in one transaction.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from stakeworks.domain.days import RANGE_TEXT, in_range
from stakeworks.domain.errors import InputError
from stakeworks.domain.models import (
    Account,
    Contact,
    Executive,
    Influence,
    PlanItem,
    PlaybookTask,
    Role,
    SponsorAssignment,
    SponsorReview,
    Touch,
)
from stakeworks.domain.settings import Settings

FORMAT = "stakeworks-export"
FORMAT_VERSION = 1
MAX_PROBLEMS = 200
"""Listed one per line; a file with more is summed up after these."""

Column = tuple[str, bool, bool]
"""(declared SQLite type, NOT NULL, required) of one column, from `PRAGMA table_info`: a key
(`id`, a table's primary key) and a NOT NULL column without a default must be in every record."""


@dataclass
class Checked:
    """What may be written: each table's rows as they were in the file."""

    tables: dict[str, list[dict[str, Any]]]
    problems: list[str] = field(default_factory=list)


def _flag(value: object) -> bool:
    return bool(value)


def _industries(value: object) -> object:
    return frozenset(i for i in value.split(";") if i) if isinstance(value, str) else value


# Per table: the model that checks a row, and how a stored column becomes the model's field.
MODELS: dict[str, tuple[type[BaseModel], dict[str, Callable[[Any], Any]]]] = {
    "accounts": (Account, {}),
    "contacts": (Contact, {}),
    "touches": (Touch, {}),
    "executives": (Executive, {"industries": _industries, "active": _flag}),
    "sponsor_assignments": (SponsorAssignment, {"active": _flag}),
    "sponsor_reviews": (SponsorReview, {}),
    "plan_items": (PlanItem, {}),
    "playbook_tasks": (PlaybookTask, {"done": _flag}),
    "influences": (Influence, {}),
}
_TYPES = {"INTEGER": "a whole number", "REAL": "a number", "TEXT": "text"}


def _type_problem(value: object, decl: str) -> str | None:
    kind = decl.upper()
    if kind == "INTEGER" and (isinstance(value, bool) or not isinstance(value, int)):
        return f"{value!r} is not {_TYPES[kind]}"
    if kind == "REAL":
        if isinstance(value, bool) or not isinstance(value, int | float):
            return f"{value!r} is not {_TYPES[kind]}"
        if not math.isfinite(value):
            return f"{value!r} is not a finite number"
    if kind == "TEXT" and not isinstance(value, str):
        return f"{value!r} is not {_TYPES[kind]}"
    return None


def record_label(table: str, index: int, row: Mapping[str, Any]) -> str:
    """`contacts record 12 (id 57)`: how a problem names the record it is about."""
    ident = row.get("id", row.get("key"))
    return f"{table} record {index + 1}" + (f" (id {ident})" if isinstance(ident, int | str) else "")


def load(source: Path) -> Any:
    """The file's JSON, or an InputError naming the line and column where it stops being JSON."""
    try:
        text = Path(source).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{source}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{source} is a folder, not a JSON export") from None
    except UnicodeDecodeError:
        raise InputError(f"{source} is not a stakeworks JSON export (not UTF-8 text)") from None
    except OSError as exc:
        raise InputError(f"cannot read {source}: {exc.strerror}") from None

    def refuse_constant(name: str) -> None:  # Infinity and NaN are not JSON
        raise ValueError(f"{name} is not a JSON value")

    try:
        return json.loads(text, parse_constant=refuse_constant)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{source} is not a stakeworks JSON export: line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None
    except (ValueError, RecursionError) as exc:
        raise InputError(f"{source} is not a stakeworks JSON export: {exc}") from None


def check(data: Any, columns: Mapping[str, Mapping[str, Column]], schema: int, source: Path | str) -> Checked:
    """Every problem of an export (parsed JSON) against the store's tables and `schema`.

    A file that is not an export at all is refused at once; row problems are collected."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InputError(f"{source} is not a stakeworks JSON export (no format marker)")
    numbers: dict[str, int] = {}
    for key in ("version", "schema"):
        value = data.get(key)
        if isinstance(value, bool) or not isinstance(value, int):
            raise InputError(f"{source} is not a stakeworks JSON export ({key} is {value!r}, not a whole number)")
        numbers[key] = value
    if numbers["version"] > FORMAT_VERSION or numbers["schema"] > schema:
        raise InputError(f"{source} was written by a newer stakeworks; upgrade to import it")
    tables = data.get("tables")
    if not isinstance(tables, dict):
        raise InputError(f"{source} is not a stakeworks JSON export (`tables` is not an object)")
    out = Checked({})
    for table, rows in tables.items():
        if table not in columns:
            out.problems.append(f"tables: unknown table {table!r}")
        elif not isinstance(rows, list):
            out.problems.append(f"tables.{table} is not a list of records")
        else:
            out.tables[table] = rows
    roles = _roles(out)
    for table, rows in out.tables.items():
        for index, row in enumerate(rows):
            _check_row(out.problems, table, index, row, columns[table], roles)
    return out


def _roles(out: Checked) -> dict[int, set[str]]:
    roles: dict[int, set[str]] = defaultdict(set)
    for row in out.tables.get("contact_roles", []):
        if not isinstance(row, dict):  # named by the row check
            continue
        contact, role = row.get("contact_id"), row.get("role")
        if isinstance(contact, int) and isinstance(role, str):
            roles[contact].add(role)
    return roles


def _check_row(
    problems: list[str],
    table: str,
    index: int,
    row: object,
    columns: Mapping[str, Column],
    roles: Mapping[int, set[str]],
) -> None:
    if not isinstance(row, dict):
        problems.append(f"{table} record {index + 1}: not an object but {type(row).__name__}")
        return
    label = record_label(table, index, row)
    missing = [name for name, (_, _, required) in columns.items() if required and name not in row]
    if missing:  # named first: nothing below may rely on a key that is not there
        problems.append(
            f"{label}: missing {', '.join(missing)} (every record has {'them' if len(missing) > 1 else 'it'})"
        )
    bad = bool(missing)
    for key, value in row.items():
        if key not in columns:
            problems.append(f"{label}: unknown column {key!r}")
            bad = True
        elif value is None:
            if columns[key][1]:
                problems.append(f"{label}: {key}: is required (null given)")
                bad = True
        elif problem := _type_problem(value, columns[key][0]):
            problems.append(f"{label}: {key}: {problem}")
            bad = True
    if bad:
        return
    problems.extend(f"{label}: {p}" for p in _record_problems(table, row, roles))


def _record_problems(table: str, row: dict[str, Any], roles: Mapping[int, set[str]]) -> list[str]:
    if table == "contact_roles":
        try:
            Role(str(row.get("role")))
        except ValueError:
            return [f"role: unknown role {row.get('role')!r}"]
        return []
    if table == "meta":
        if row.get("key") == "settings":
            try:
                Settings.from_json(row.get("value", ""))
            except InputError as exc:
                return [f"value: {exc}"]
        return []
    if table == "score_history":
        out = []
        if not 0 <= row.get("score", 0) <= 100:
            out.append(f"score: {row.get('score')} is out of range (0-100)")
        if row.get("risk") not in ("low", "medium", "high"):
            out.append(f"risk: {row.get('risk')!r} is not low, medium or high")
        return out + _date_problems({"day": row.get("day")})
    if table not in MODELS:
        return _date_problems(row)
    model, convert = MODELS[table]
    known = model.model_fields
    data = {k: convert.get(k, lambda v: v)(v) for k, v in row.items() if k in known}
    if table == "contacts" and isinstance(row.get("id"), int):
        data["roles"] = roles.get(row["id"], set()) & {r.value for r in Role}
    try:
        record = model.model_validate(data)
    except ValidationError as exc:
        return [_pydantic(err) for err in exc.errors()]
    extra = {k: v for k, v in row.items() if k not in known}
    return _date_problems({k: getattr(record, k) for k in known}) + _date_problems(extra)


def _pydantic(err: Any) -> str:
    loc = ".".join(str(p) for p in err["loc"]) or "record"
    return f"{loc}: {err['msg'].removeprefix('Value error, ')}"


def _date_problems(values: Mapping[str, Any]) -> list[str]:
    out = []
    for key, value in values.items():
        day = value
        if isinstance(value, str) and (key.endswith(("_on", "_date", "_ebr")) or key in ("date", "day", "last_touch")):
            try:
                day = date.fromisoformat(value)
            except ValueError:
                out.append(f"{key}: {value!r} is not a date (YYYY-MM-DD)")
                continue
        if isinstance(day, date) and not in_range(day):
            out.append(f"{key}: {day.isoformat()} is out of range: use a date {RANGE_TEXT}")
    return out


def refuse_if_any(source: Path | str, problems: list[str]) -> None:
    """All problems in one InputError (the first MAX_PROBLEMS listed): nothing is imported."""
    if not problems:
        return
    n = len(problems)
    listed = problems[:MAX_PROBLEMS]
    if n > MAX_PROBLEMS:
        listed.append(f"... and {n - MAX_PROBLEMS:,} more")
    raise InputError(f"{source}: {n:,} problem{'s' if n > 1 else ''}; nothing was imported", listed)
