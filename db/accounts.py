"""Accounts: the validated records, their names, and the light rows the portfolio reads."""

from __future__ import annotations

import sqlite3
from typing import Any

from stakeworks.db.repository import Repository, day, find_id, upsert
from stakeworks.domain.errors import InputError
from stakeworks.domain.models import STORED, Account
from stakeworks.domain.rows import AccountRow

COLUMNS = (
    "id, name, arr, currency, renewal_date, tier, industry, region, csm, strategic_value, "
    "growth_potential, kraljic, last_ebr, next_ebr, notes"
)
FIELDS = [c.strip() for c in COLUMNS.split(",")]


def _account(row: tuple[Any, ...]) -> Account:
    return Account.model_validate(dict(zip(FIELDS, row, strict=True)), context=STORED)


class AccountRepository(Repository):
    def all(self) -> list[Account]:
        return [_account(r) for r in self._query(f"SELECT {COLUMNS} FROM accounts ORDER BY name")]

    def get(self, account_id: int) -> Account:
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

    def upsert(self, c: sqlite3.Connection, account_id: int | None, data: dict[str, Any]) -> int:
        """Write one account inside the caller's transaction; with no id, the account of the same name."""
        if account_id is None:
            account_id = find_id(c, "accounts", "name", data["name"])
        return upsert(c, "accounts", data, account_id)

    def rows(self, account_id: int | None = None) -> list[AccountRow]:
        """Every account (or one) as a light row, in no particular order."""
        where, params = ("WHERE id = ?", (account_id,)) if account_id else ("", ())
        return [
            AccountRow(r[0], r[1], r[2], day(r[3]), r[4], r[5], r[6], r[7])
            for r in self._query(
                f"SELECT id, name, arr, renewal_date, tier, csm, industry, region FROM accounts {where}", params
            )
        ]
