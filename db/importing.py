"""Writing validated import plans: one transaction per file, all rows or none."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field

from db.store import Store
from stakeworks.errors import InputError
from stakeworks.importer import ContactPlanRow, ImportPlan
from stakeworks.models import Account, Contact, Executive


@dataclass
class ImportReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    touches: int = 0
    warnings: list[str] = field(default_factory=list)

    def line(self) -> str:
        return f"{self.added} added, {self.updated} updated, {self.unchanged} unchanged"


def apply_accounts(store: Store, plan: ImportPlan) -> ImportReport:
    report = ImportReport(warnings=list(plan.warnings))
    existing = {a.name.casefold(): a for a in store.accounts()}
    with store.transaction() as c:
        for _line, values, _ref in plan.rows:
            old = existing.get(values["name"].casefold())
            if old is None:
                store._upsert_account(c, None, Account.model_validate(values).model_dump(exclude={"id"}, mode="json"))
                report.added += 1
                continue
            merged = old.model_copy(update=Account.model_validate({**old.model_dump(), **values}).model_dump())
            if merged == old:
                report.unchanged += 1
            else:
                store._upsert_account(c, old.id, merged.model_dump(exclude={"id"}, mode="json"))
                report.updated += 1
    return report


def apply_executives(store: Store, plan: ImportPlan) -> ImportReport:
    report = ImportReport(warnings=list(plan.warnings))
    existing = {e.name.casefold(): e for e in store.executives(include_retired=True)}
    with store.transaction():
        for _line, ex in plan.rows:
            old = existing.get(ex.name.casefold())
            if old is None:
                store.save_executive(ex)
                report.added += 1
            else:
                new = Executive.model_validate({**old.model_dump(), **ex.model_dump(exclude_unset=True)})
                if new == old:
                    report.unchanged += 1
                else:
                    store.save_executive(new)
                    report.updated += 1
    return report


def _existing_contacts(store: Store) -> tuple[dict[str, Contact], dict[tuple[int, str], Contact]]:
    by_email: dict[str, Contact] = {}
    by_name: dict[tuple[int, str], Contact] = {}
    for account_id, _name in store.account_names():
        for c in store.contacts(account_id):
            if c.email:
                by_email[c.email.casefold()] = c
            by_name[(account_id, c.name.casefold())] = c
    return by_email, by_name


def apply_contacts(store: Store, plan: ImportPlan, progress: Callable[[int, int], None] | None = None) -> ImportReport:
    """Add or update contacts; the same person is matched by email, then account + name.

    Reports-to is resolved, in the same account, by the CRM's own contact id
    (Salesforce `ReportsToId` against `Id`), then email, then name.
    """
    report = ImportReport(warnings=list(plan.warnings))
    by_external: dict[str, int] = {}
    account_ids = {n.casefold(): i for i, n in store.account_names()}
    by_email, by_name = _existing_contacts(store)
    written: list[tuple[ContactPlanRow, int, int]] = []  # (row, contact id, account id)
    with store.transaction() as c:
        for row in plan.rows:
            account_id = account_ids[row.account_name.casefold()]
            old = by_email.get(row.contact.email) if row.contact.email else None
            old = old or by_name.get((account_id, row.contact.name.casefold()))
            if old is None:
                new = row.contact.model_copy(update={"account_id": account_id})
                contact_id = store._write_contact(c, new, check_version=False)
                report.added += 1
            else:
                update = {f: getattr(row.contact, f) for f in row.present}
                update["name"] = row.contact.name
                new = old.model_copy(update=update)
                if new.model_dump(exclude={"version"}) == old.model_dump(exclude={"version"}):
                    report.unchanged += 1
                else:
                    store._write_contact(c, new, check_version=False)
                    report.updated += 1
                contact_id = old.id  # type: ignore[assignment]
                account_id = old.account_id  # type: ignore[assignment]
            by_name[(account_id, row.contact.name.casefold())] = new.model_copy(update={"id": contact_id})
            if row.contact.email:
                by_email[row.contact.email] = by_name[(account_id, row.contact.name.casefold())]
            written.append((row, contact_id, account_id))
            if row.external_id:
                by_external[row.external_id] = contact_id
            if progress and len(written) % 2000 == 0:
                progress(len(written), len(plan.rows))
            if row.last_touch is not None:
                exists = c.execute(
                    "SELECT 1 FROM touches WHERE contact_id = ? AND date = ?",
                    (contact_id, row.last_touch.isoformat()),
                ).fetchone()
                if not exists:
                    c.execute(
                        "INSERT INTO touches (contact_id, date, kind, note) VALUES (?, ?, ?, ?)",
                        (contact_id, row.last_touch.isoformat(), str(row.last_touch_kind), "imported last activity"),
                    )
                    report.touches += 1
        problems = []
        for row, contact_id, account_id in written:
            if not row.reports_to:
                continue
            key = row.reports_to.casefold()
            boss_id = by_external.get(row.reports_to)
            boss = by_email.get(key) or by_name.get((account_id, key))
            if boss_id is not None:
                c.execute("UPDATE contacts SET reports_to_id = ? WHERE id = ?", (boss_id, contact_id))
                continue
            if boss is None or boss.account_id != account_id:
                problems.append(
                    f"line {row.line}, column {row.reports_to_column}: "
                    f"no contact {row.reports_to!r} at {row.account_name}"
                )
                continue
            try:
                c.execute("UPDATE contacts SET reports_to_id = ? WHERE id = ?", (boss.id, contact_id))
            except sqlite3.IntegrityError as exc:
                problems.append(f"line {row.line}, column {row.reports_to_column}: {exc}")
        if problems:
            raise InputError(f"{plan.source}: {len(problems)} problem(s); nothing was imported", problems)
    if progress:
        progress(len(plan.rows), len(plan.rows))
    return report
