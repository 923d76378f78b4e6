"""The import's bulk writer (db/bulk.py): batches written in order on its thread, inside the
caller's transaction, with every value as given; a failing batch or a failing caller leaves
nothing behind. On a file and on the team store."""

from __future__ import annotations

from pathlib import Path

import pytest

from stakeworks.db.bulk import BulkWriter
from stakeworks.db.store import Store
from stakeworks.domain.errors import StakeworksError
from stakeworks.domain.models import Account

COLUMNS = ("id", "account_id", "name", "title", "strength", "departed_on", "key_to_success")


@pytest.fixture(params=["file", "server"])
def store(request: pytest.FixtureRequest, tmp_path: Path):
    where = tmp_path / "store.db" if request.param == "file" else request.getfixturevalue("server_db")
    with Store(where) as s:
        s.create_account(Account(name="Quillon Labs"))
        yield s


def _account(store: Store) -> int:
    return int(store.conn.execute("SELECT id FROM accounts").fetchone()[0])


def _people(store: Store) -> list[tuple]:
    return [tuple(r) for r in store.conn.execute(f"SELECT {', '.join(COLUMNS)} FROM contacts ORDER BY id").fetchall()]


def test_batches_are_written_in_order_with_every_value_as_given(store: Store):
    account = _account(store)
    awkward = ['O\'Brien "Bob"', "Zoë 山田", "[red]x[/] \\ \t", "a" * 5000, "x"]
    rows = [
        (i, account, awkward[i % 5], f"title {i}", None if i % 3 else 5, "2026-02-28" if i % 7 == 0 else None, i % 2)
        for i in range(1, 2502)
    ]
    roles = [(i, "champion") for i in range(1, 2502, 10)]
    with store.transaction() as conn, BulkWriter(conn) as writer:
        for start in range(0, len(rows), 1000):  # three batches, each people then their roles
            batch = rows[start : start + 1000]
            theirs = [r for r in roles if batch[0][0] <= r[0] <= batch[-1][0]]
            writer.write([("contacts", COLUMNS, batch), ("contact_roles", ("contact_id", "role"), theirs)])
    assert _people(store) == rows
    assert store.conn.execute("SELECT contact_id, role FROM contact_roles ORDER BY 1").fetchall() == roles


def test_a_batch_the_store_refuses_surfaces_and_nothing_is_kept(store: Store):
    account = _account(store)
    good = [(i, account, f"p{i}", "", 3, None, 0) for i in range(1, 101)]
    bad = [(101, account, "p101", "", 9, None, 0)]  # strength 1..5: the store's CHECK refuses it
    with pytest.raises(StakeworksError, match="strength"), store.transaction() as conn, BulkWriter(conn) as writer:
        writer.write([("contacts", COLUMNS, good)])
        writer.write([("contacts", COLUMNS, bad)])
        writer.write([("contacts", COLUMNS, [(102, account, "p102", "", 3, None, 0)])])
    assert _people(store) == []


def test_a_caller_that_fails_midway_leaves_nothing_and_the_store_stays_usable(store: Store):
    account = _account(store)
    with pytest.raises(RuntimeError, match="mid-file"), store.transaction() as conn, BulkWriter(conn) as writer:
        writer.write([("contacts", COLUMNS, [(i, account, f"p{i}", "", 3, None, 0) for i in range(1, 3001)])])
        raise RuntimeError("the caller failed mid-file")
    assert _people(store) == []
    with store.transaction() as conn, BulkWriter(conn) as writer:
        writer.write([("contacts", COLUMNS, [(1, account, "after", "", 2, None, 1)])])
    assert _people(store) == [(1, account, "after", "", 2, None, 1)]
