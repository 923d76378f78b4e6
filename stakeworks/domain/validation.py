"""Validation errors in plain language, naming the field: "Name cannot be empty",
not "name: String should have at least 1 character".

Reads the list of pydantic's `ValidationError.errors()` (plain dicts), so it
needs no pydantic import of its own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

FIELD_LABELS: dict[str, str] = {
    "name": "Name",
    "title": "Title",
    "email": "Email",
    "department": "Department",
    "level": "Level",
    "roles": "Roles",
    "strength": "Strength",
    "sentiment": "Sentiment",
    "status": "Status",
    "departed_on": "Departed on",
    "reports_to_id": "Reports to",
    "engagement_strategy": "Engagement strategy",
    "arr": "ARR",
    "currency": "Currency",
    "renewal_date": "Renewal date",
    "tier": "Tier",
    "industry": "Industry",
    "region": "Region",
    "csm": "CSM",
    "strategic_value": "Strategic value",
    "growth_potential": "Growth potential",
    "kraljic": "Kraljic quadrant",
    "last_ebr": "Last EBR",
    "next_ebr": "Next EBR",
    "function": "Function",
    "industries": "Industries",
    "capacity": "Capacity",
    "exception_reason": "Exception reason",
    "first_action": "First action",
    "due_date": "Due date",
    "target_label": "Target",
    "path_label": "Path",
    "date": "Date",
    "kind": "Kind",
    "note": "Note",
    "notes": "Notes",
}


def field_label(field: str, labels: Mapping[str, str] | None = None) -> str:
    if labels and field in labels:
        return labels[field]
    return FIELD_LABELS.get(field, field.replace("_", " ").capitalize())


def reason(error: Mapping[str, Any]) -> str:
    """What is wrong with one value, in words (no field name)."""
    kind = str(error.get("type", ""))
    ctx: Mapping[str, Any] = error.get("ctx") or {}
    if kind == "string_too_short":
        n = ctx.get("min_length", 1)
        return "cannot be empty" if n == 1 else f"needs at least {n} characters"
    if kind == "string_too_long":
        return f"is too long (at most {ctx.get('max_length')} characters)"
    if kind == "greater_than_equal":
        return f"must be {ctx.get('ge')} or more"
    if kind == "less_than_equal":
        return f"must be {ctx.get('le')} or less"
    if kind == "greater_than":
        return f"must be more than {ctx.get('gt')}"
    if kind == "less_than":
        return f"must be less than {ctx.get('lt')}"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return "must be a whole number"
    if kind in ("float_parsing", "float_type", "finite_number"):
        return "must be a number"
    if kind.startswith("date") or kind.startswith("datetime"):
        return "must be a date like 2026-03-31"
    if kind in ("enum", "literal_error"):
        return "is not one of the choices"
    if kind == "bool_parsing":
        return "must be yes or no"
    if kind == "missing":
        return "is required"
    message = str(error.get("msg", "is not valid")).removeprefix("Value error, ")
    return message


def plain_errors(errors: Sequence[Mapping[str, Any]], labels: Mapping[str, str] | None = None) -> dict[str, str]:
    """Field -> one sentence naming it ("Email: not an email address"); errors of the
    whole record (no field) come under the key ""."""
    out: dict[str, str] = {}
    for error in errors:
        loc = error.get("loc") or ()
        field = str(loc[0]) if loc else ""
        why = reason(error)
        if not field:
            text = why[:1].upper() + why[1:]
        elif _is_sentence(why):
            text = f"{field_label(field, labels)}: {why}"
        else:
            text = f"{field_label(field, labels)} {why}"
        out[field] = f"{out[field]}; {text}" if field in out else text
    return out


def _is_sentence(why: str) -> bool:
    """A custom validator's message ("not an email address") reads after a colon,
    a built-in one ("cannot be empty") straight after the field's name."""
    return not why.startswith(("cannot", "needs", "is ", "must"))
