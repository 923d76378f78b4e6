"""Contact roles from their own CRM files: Salesforce `AccountContactRole` and
`OpportunityContactRole` exports (`ContactId`, `AccountId` or `OpportunityId`,
`Role`, `IsPrimary`). Each row adds the role to the contact the store knows by
that CRM id; a role record never removes one. Rows with no role (empty,
"Other") and rows deleted in the CRM are skipped, each with its reason."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from stakeworks.domain.identity import crm_key
from stakeworks.domain.models import Role
from stakeworks.interchange.importer.columns import ROLE_FILE_ALIASES, detect_crm, read_mapped, row_values
from stakeworks.interchange.importer.plan import ImportPlan
from stakeworks.interchange.importer.problems import Problems
from stakeworks.interchange.importer.values import parse_bool, parse_roles


@dataclass
class RoleRow:
    line: int
    contact_ref: str
    account_ref: str
    opportunity_ref: str
    roles: frozenset[Role]
    primary: bool
    label: str
    """The role as the file wrote it."""


def plan_roles(path: Path, *, overrides: Mapping[str, str] | None = None, crm: str | None = None) -> ImportPlan:
    table, mapping = read_mapped(path, ROLE_FILE_ALIASES, overrides)
    problems = Problems()
    fields = set(mapping.fields.values())
    if "contact_ref" not in fields:
        problems.items.append("line 1: missing required column 'ContactId' (the contact's CRM id)")
    if "role" not in fields:
        problems.items.append("line 1: missing required column 'Role'")
    problems.raise_if_any(str(path))
    crm = crm or detect_crm(table.headers)
    columns = {f: table.headers[i] for i, f in mapping.fields.items()}
    where = sorted(mapping.fields.items())
    out: list[RoleRow] = []
    skipped: list[tuple[int, str, str]] = []
    for line, cells in table.records():
        row = row_values(cells, where, mapping.fallbacks)
        contact = crm_key(crm, row.get("contact_ref", ""))
        label = row.get("role", "")
        failed = False
        if not contact:
            problems.add(line, columns["contact_ref"], "the contact's CRM id is required")
            failed = True
        try:
            deleted = parse_bool(row.get("deleted", ""))
        except ValueError as exc:
            problems.add(line, columns["deleted"], str(exc))
            failed, deleted = True, False
        try:
            primary = parse_bool(row.get("primary", ""))
        except ValueError as exc:
            problems.add(line, columns["primary"], str(exc))
            failed, primary = True, False
        try:
            roles = parse_roles(label)
        except ValueError as exc:
            problems.add(line, columns["role"], str(exc))
            failed, roles = True, frozenset()
        if failed:
            continue
        if deleted:
            skipped.append((line, contact, "deleted in the CRM"))
        elif not roles:
            skipped.append((line, contact, f"no stakeholder role ({label!r})" if label else "no role given"))
        else:
            account = crm_key(crm, row.get("account_ref", ""))
            out.append(RoleRow(line, contact, account, row.get("opportunity_ref", ""), roles, primary, label))
    plan = ImportPlan(str(path), mapping, table.headers, list(table.warnings), out, problems, table, crm)
    plan.skipped = skipped
    return plan
