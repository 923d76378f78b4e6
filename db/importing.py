"""Writing validated import plans: one transaction per file, all rows or none."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from stakeworks.db.store import Store
from stakeworks.domain.models import Account, Executive
from stakeworks.interchange.importer import ContactPlanRow, ContactsFile, ImportPlan, Problems


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
    accounts = store.repos.accounts
    with store.transaction() as c:
        existing = {a.name.casefold(): a for a in store.accounts()}  # under the write lock (see apply_contacts)
        for _line, values, _ref in plan.rows:
            old = existing.get(values["name"].casefold())
            if old is None:
                accounts.upsert(c, None, Account.model_validate(values).model_dump(exclude={"id"}, mode="json"))
                report.added += 1
                continue
            merged = old.model_copy(update=Account.model_validate({**old.model_dump(), **values}).model_dump())
            if merged == old:
                report.unchanged += 1
            else:
                accounts.upsert(c, old.id, merged.model_dump(exclude={"id"}, mode="json"))
                report.updated += 1
    return report


def apply_executives(store: Store, plan: ImportPlan) -> ImportReport:
    report = ImportReport(warnings=list(plan.warnings))
    with store.transaction():
        existing = {e.name.casefold(): e for e in store.executives(include_retired=True)}  # under the write lock
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


_INSERT_CONTACT = (
    "INSERT INTO contacts (id, account_id, name, title, email, department, level, level_inferred, strength, "
    "sentiment, status, departed_on, key_to_success, engagement_strategy, notes, last_touch, last_touch_kind) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_TOUCH = "INSERT INTO touches (contact_id, date, kind, note) VALUES (?, ?, ?, ?)"
_BATCH = 5000


def _new_contact_row(contact_id: int, account_id: int, row: ContactPlanRow) -> tuple:
    # last_touch is written with the contact, so the touch inserted after it finds
    # nothing to update (the trigger's WHEN is false): no per-row UPDATE on import.
    c = row.contact
    day = row.last_touch.isoformat() if row.last_touch else None
    # StrEnum fields go to SQLite as the strings they are (no .value lookups on 200,000 rows).
    return (
        contact_id, account_id, c.name, c.title, c.email, c.department, c.level, int(c.level_inferred),
        c.strength, c.sentiment, c.status, c.departed_on.isoformat() if c.departed_on else None,
        int(c.key_to_success), c.engagement_strategy, c.notes, day, row.last_touch_kind if day else None,
    )  # fmt: skip


# What a re-import compares, per stored contact: (account_id, *_COMPARED, roles). Plain
# tuples, not pydantic models: 200,000 of those would cost ~1 GB and seconds to build.
_COMPARED = ("name", "title", "email", "department", "level", "level_inferred", "strength", "sentiment", "status",
             "key_to_success", "engagement_strategy", "notes")  # fmt: skip
_COLUMN = {f: i + 1 for i, f in enumerate(_COMPARED)} | {"roles": len(_COMPARED) + 1}
_NAME, _EMAIL = _COLUMN["name"], _COLUMN["email"]


def _stored_contacts(store: Store, contact_id: int | None = None) -> dict[int, tuple]:
    """Every contact's compared fields (or one contact's), by id."""
    return store.repos.contacts.compared(_COMPARED, contact_id)


def apply_contacts(
    store: Store,
    plan: ContactsFile,
    progress: Callable[[int, int], None] | None = None,
    today: date | None = None,
) -> ImportReport:
    """Add or update contacts in one transaction.

    The file is validated while it is written: rows go to SQLite in
    batches as they are checked, and if any row was bad the transaction rolls
    back and the error names every bad row, so memory stays flat however big
    the file. The same person is matched by email, else by account + name
    (unless both carry different emails: two people can share a name). New
    people are written in bulk; only updates go row by row. Reports-to is
    resolved, in the same account, by the CRM's own contact id (Salesforce
    `ReportsToId` against `Id`), then email, then name.
    """
    problems = Problems()
    total = plan.records
    report = ImportReport(warnings=list(plan.warnings))
    by_external: dict[str, int] = {}
    # Only what reports-to needs once every row is in: (line, column, reference, account name, contact, account).
    reports: list[tuple[int, str, str, str, int, int]] = []
    pending: list[tuple] = []
    pending_roles: list[tuple[int, str]] = []
    touches: list[tuple[int, str, str, str]] = []
    done = 0

    with store.transaction() as c:
        # Read what the file is compared against only now, holding the write lock: read before it, a
        # second import of the same file running at the same time would add everyone again.
        account_ids = {n.casefold(): i for i, n in store.account_names()}
        existing = _stored_contacts(store)
        by_email = {row[_EMAIL]: cid for cid, row in existing.items() if row[_EMAIL]}
        by_name = {(row[0], row[_NAME].casefold()): cid for cid, row in existing.items()}
        email_of = {cid: row[_EMAIL] for cid, row in existing.items()}
        account_of = {cid: row[0] for cid, row in existing.items()}
        next_id = (c.execute("SELECT coalesce(max(id), 0) FROM contacts").fetchone()[0] or 0) + 1

        def flush() -> None:
            c.executemany(_INSERT_CONTACT, pending)
            c.executemany("INSERT INTO contact_roles (contact_id, role) VALUES (?, ?)", pending_roles)
            c.executemany(_INSERT_TOUCH, touches)
            report.touches += len(touches)
            pending.clear()
            pending_roles.clear()
            touches.clear()

        for row in plan.validated(problems):
            account_id = account_ids[row.account_name.casefold()]
            email = row.contact.email
            name_key = (account_id, row.contact.name.casefold())
            contact_id = by_email.get(email) if email else None
            if contact_id is None:
                candidate = by_name.get(name_key)
                if candidate is not None and not (email and email_of.get(candidate) and email_of[candidate] != email):
                    contact_id = candidate
            if contact_id is None:
                contact_id, next_id = next_id, next_id + 1
                pending.append(_new_contact_row(contact_id, account_id, row))
                pending_roles.extend((contact_id, r) for r in sorted(row.contact.roles))
                report.added += 1
                is_new = True
            else:
                is_new = False
                if contact_id not in existing:  # matched someone added earlier in this same file
                    flush()
                    existing.update(_stored_contacts(store, contact_id))
                stored = existing[contact_id]
                changes = {
                    f: value for f in (*row.present, "name") if (value := getattr(row.contact, f)) != stored[_COLUMN[f]]
                }
                if not changes:
                    report.unchanged += 1
                else:  # only now the whole validated record: most rows of a re-import are unchanged
                    # The store's one write of a contact: a status change to or from departed
                    # has its playbook effects here too (DOMAIN section 6), dated `today`.
                    store.repos.contacts.write(
                        c, store.contact(contact_id).model_copy(update=changes), check_version=False, today=today
                    )
                    existing.update(_stored_contacts(store, contact_id))
                    report.updated += 1
                account_id = stored[0]
            by_name[name_key] = contact_id
            if email:
                by_email[email] = contact_id
                email_of[contact_id] = email
            account_of[contact_id] = account_id
            if row.reports_to:
                reports.append(
                    (row.line, row.reports_to_column, row.reports_to, row.account_name, contact_id, account_id)
                )
            if row.external_id:
                by_external[row.external_id] = contact_id
            if row.last_touch is not None:
                day = row.last_touch.isoformat()
                seen = (
                    not is_new
                    and c.execute(
                        "SELECT 1 FROM touches WHERE contact_id = ? AND date = ?", (contact_id, day)
                    ).fetchone()
                )
                if not seen:
                    touches.append((contact_id, day, row.last_touch_kind, "imported last activity"))
            done += 1
            if len(pending) >= _BATCH:
                flush()
            if progress and done % _BATCH == 0:
                progress(done, total)
        flush()
        problems.raise_if_any(plan.source)  # a bad row anywhere: roll back everything written above
        links = []
        for line, column, reference, account_name, contact_id, account_id in reports:
            key = reference.casefold()
            boss_id = by_external.get(reference) or by_email.get(key) or by_name.get((account_id, key))
            if boss_id is None or account_of.get(boss_id) != account_id:
                problems.items.append(f"line {line}, column {column}: no contact {reference!r} at {account_name}")
                continue
            links.append((line, column, boss_id, contact_id))
        for line, column, boss_id, contact_id in links:
            try:
                c.execute("UPDATE contacts SET reports_to_id = ? WHERE id = ?", (boss_id, contact_id))
            except sqlite3.IntegrityError as exc:
                problems.items.append(f"line {line}, column {column}: {exc}")
        problems.raise_if_any(plan.source)
    if progress:
        progress(total, total)
    return report
