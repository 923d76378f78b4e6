"""Accounts: the validated records, their names, and the light rows the portfolio reads."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from stakeworks.db.connection import Connection
from stakeworks.db.history_log import changed_by
from stakeworks.db.repository import Repository, day, id_filters, upsert
from stakeworks.domain.errors import InputError, StaleEdit
from stakeworks.domain.identity import AccountIdentity
from stakeworks.domain.rows import AccountRow, ProgramFacts

if TYPE_CHECKING:  # pydantic's models load when a record is read, not with the store (issue 20)
    from stakeworks.domain.models import Account, StoredAccount

COLUMNS = (
    "id, name, arr, currency, renewal_date, tier, industry, region, csm, strategic_value, "
    "growth_potential, kraljic, last_ebr, next_ebr, notes, crm, crm_id, domain, company_revenue"
)
FIELDS = [c.strip() for c in COLUMNS.split(",")]


def _account(row: tuple[Any, ...]) -> StoredAccount:
    from stakeworks.domain.models import STORED, StoredAccount

    return StoredAccount.model_validate(dict(zip(FIELDS, row, strict=True)), context=STORED)


class AccountRepository(Repository):
    def all(self) -> list[StoredAccount]:
        return [_account(r) for r in self._query(f"SELECT {COLUMNS} FROM accounts ORDER BY name")]

    def get(self, account_id: int) -> StoredAccount:
        rows = self._query(f"SELECT {COLUMNS} FROM accounts WHERE id = ?", (account_id,))
        if not rows:
            raise InputError(f"no account with id {account_id}")
        return _account(rows[0])

    def names(self, account_id: int | None = None) -> list[tuple[int, str]]:
        """(id, name) of every account by name, or of one account."""
        if account_id is not None:
            return [(r[0], r[1]) for r in self._query("SELECT id, name FROM accounts WHERE id = ?", (account_id,))]
        return [(r[0], r[1]) for r in self._query("SELECT id, name FROM accounts ORDER BY name")]

    def save(self, account: Account) -> int:
        with self._transaction() as c:
            return self.upsert(c, account.id, account.model_dump(exclude={"id"}, mode="json"))

    def upsert(self, c: Connection, account_id: int | None, data: dict[str, Any]) -> int:
        """Write one account inside the caller's transaction; with no id, the same record: the
        account with its CRM id, else (no CRM id on either side) the one of the same name."""
        if account_id is None:
            if data.get("crm_id"):
                row = c.execute(
                    "SELECT id FROM accounts WHERE crm = ? AND crm_id = ?", (data.get("crm", ""), data["crm_id"])
                ).fetchone()
            else:
                row = c.execute("SELECT id FROM accounts WHERE name = ? AND crm_id = ''", (data["name"],)).fetchone()
            account_id = row[0] if row else None
        # Every update bumps the version, so an account editor opened before it sees a stale edit.
        return upsert(c, "accounts", data, account_id, bump_version=True)

    def version(self, account_id: int) -> int:
        """The account's optimistic-locking counter: bumped by every write of the row."""
        rows = self._query("SELECT version FROM accounts WHERE id = ?", (account_id,))
        if not rows:
            raise InputError(f"no account with id {account_id}")
        return int(rows[0][0])

    def create(self, account: Account) -> int:
        """Insert a new account; a name already taken (in any case) is refused, never merged into."""
        with self._transaction() as c:
            # Two accounts may share a name only when their CRM ids differ (DOMAIN section 10).
            clash = c.execute(
                "SELECT name FROM accounts WHERE name = ? COLLATE NOCASE AND crm_id = ?", (account.name, account.crm_id)
            ).fetchone()
            if clash:
                raise InputError(f"Name: an account called {clash[0]} already exists")
            return upsert(c, "accounts", account.model_dump(exclude={"id"}, mode="json"), None)

    def update(self, account: Account, version: int | None = None) -> None:
        """Write every field of an existing account. With `version`, a row written since that
        version was read is a stale edit and is refused, never overwritten."""
        if account.id is None:
            raise InputError("an account to update needs its id")
        with self._transaction() as c:
            clash = c.execute(
                "SELECT name FROM accounts WHERE name = ? COLLATE NOCASE AND id <> ? AND crm_id = ?",
                (account.name, account.id, account.crm_id),
            ).fetchone()
            if clash:
                raise InputError(f"Name: another account is already called {clash[0]}")
            row = c.execute("SELECT version FROM accounts WHERE id = ?", (account.id,)).fetchone()
            if row is None:
                raise InputError(f"account {account.name} no longer exists")
            if version is not None and row[0] != version:
                raise StaleEdit(f"{account.name} was changed{changed_by(c, 'account', account.id)} since you opened it")
            self.upsert(c, account.id, account.model_dump(exclude={"id"}, mode="json"))

    def delete(self, account_id: int) -> None:
        """The account and everything of it: contacts, touches, plans, tasks, sponsorships, history."""
        with self._transaction() as c:
            if c.execute("DELETE FROM accounts WHERE id = ?", (account_id,)).rowcount == 0:
                raise InputError(f"no account with id {account_id}")

    def impact(self, account_id: int) -> dict[str, int]:
        """What deleting an account takes with it, counted."""
        (row,) = self._query(
            "SELECT (SELECT count(*) FROM contacts WHERE account_id = :id), "
            "(SELECT count(*) FROM touches t JOIN contacts c ON c.id = t.contact_id WHERE c.account_id = :id), "
            "(SELECT count(*) FROM plan_items WHERE account_id = :id), "
            "(SELECT count(*) FROM playbook_tasks WHERE account_id = :id), "
            "(SELECT count(*) FROM sponsor_assignments WHERE account_id = :id AND active = 1), "
            "(SELECT count(*) FROM score_history WHERE account_id = :id)",
            {"id": account_id},
        )
        keys = ("contacts", "touches", "plan_items", "tasks", "sponsorships", "history_days")
        return dict(zip(keys, row, strict=True))

    def identities(self, *, namesakes_only: bool = False) -> list[AccountIdentity]:
        """Every account's name and CRM identity (and domain), by name; or only those of
        accounts whose name another account has (a handful of 50,000: what telling them apart needs)."""
        shared = " WHERE name IN (SELECT name FROM accounts GROUP BY name HAVING count(*) > 1)"
        sql = f"SELECT id, name, crm, crm_id, domain FROM accounts{shared if namesakes_only else ''} ORDER BY name, id"
        return [AccountIdentity(*r) for r in self._query(sql)]

    def program_facts(self) -> list[ProgramFacts]:
        """Every account's program facts, unvalidated: a model per account was half of
        `sponsors suggest` on 50,000 accounts."""
        return [
            (r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7] or None, day(r[8]))
            for r in self._query(
                "SELECT id, arr, tier, industry, region, strategic_value, growth_potential, kraljic, last_ebr "
                "FROM accounts"
            )
        ]

    def rows(self, account_id: int | Sequence[int] | None = None) -> list[AccountRow]:
        """Every account (or one, or these) as a light row, in no particular order."""
        # Tiers, CSMs, industries, regions and renewal days repeat across 50,000 accounts and the
        # portfolio keeps them for the session: one object each, not one per account (~8 MB).
        days: dict[str | None, date | None] = {}
        strs: dict[str, str] = {}
        one = strs.setdefault
        return [
            AccountRow(
                r[0],
                r[1],
                r[2],
                days[r[3]] if r[3] in days else days.setdefault(r[3], day(r[3])),
                one(r[4], r[4]),
                one(r[5], r[5]),
                one(r[6], r[6]),
                one(r[7], r[7]),
            )  # fmt: skip
            for where, params in id_filters("id", account_id)
            for r in self._query(
                f"SELECT id, name, arr, renewal_date, tier, csm, industry, region FROM accounts WHERE {where}", params
            )
        ]
