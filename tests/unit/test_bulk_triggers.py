"""What a bulk insert sets off, on a file (per row) and on a team store (once per statement,
over the statement's rows, schema 14): the same ends either way. The rows go in as an import
writes them (`BulkWriter`: one statement per table per batch; COPY on a server)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from stakeworks.db.bulk import BulkWriter
from stakeworks.db.store import Store
from stakeworks.domain.errors import StakeworksError
from stakeworks.domain.models import Account
from stakeworks.services.accounts import portfolio, verdict_key

TODAY = date(2026, 11, 1)
PEOPLE = ("id", "account_id", "name")
TOUCHES = ("id", "contact_id", "date", "kind")


@pytest.fixture(params=["file", "server"])
def store(request: pytest.FixtureRequest, tmp_path: Path):
    where = tmp_path / "store.db" if request.param == "file" else request.getfixturevalue("server_db")
    with Store(where) as s:
        for name in ("Quillon Labs", "Brightwater"):
            s.create_account(Account(name=name))
        yield s


def _accounts(store: Store) -> tuple[int, int]:
    a, b = (r[0] for r in store.conn.execute("SELECT id FROM accounts ORDER BY name DESC").fetchall())
    return a, b


def _write(store: Store, *inserts: tuple[str, tuple[str, ...], list[tuple]]) -> None:
    with store.transaction() as conn, BulkWriter(conn) as writer:
        writer.write(list(inserts))


def test_touches_written_together_move_each_last_touch_as_one_by_one(store: Store):
    a, _ = _accounts(store)
    _write(store, ("contacts", PEOPLE, [(i, a, f"p{i}") for i in range(1, 61)]))
    _write(store, ("touches", TOUCHES, [(1, 1, "2026-09-01", "qbr")]))  # p1 already has a later touch
    kinds = ("call", "email", "meeting")
    touches = [(100 + n, 1 + n % 60, f"2026-0{1 + n % 8}-1{n % 3}", kinds[n % 3]) for n in range(300)]
    _write(store, ("touches", TOUCHES, touches))
    expected: dict[int, tuple[str, str]] = {1: ("2026-09-01", "qbr")}
    for _, who, day, kind in touches:  # row by row: a later day, or the same day and another kind
        last = expected.get(who)
        if last is None or day > last[0] or (day == last[0] and kind != last[1]):
            expected[who] = (day, kind)
    got = {r[0]: (r[1], r[2]) for r in store.conn.execute("SELECT id, last_touch, last_touch_kind FROM contacts")}
    assert got == expected


def test_a_reports_to_in_another_account_is_refused_in_bulk_and_nothing_kept(store: Store):
    a, b = _accounts(store)
    _write(store, ("contacts", PEOPLE, [(1, a, "Boss")]))
    rows = [(i, b, f"p{i}", 1 if i == 77 else None) for i in range(2, 102)]
    with pytest.raises(StakeworksError, match="same account"):
        _write(store, ("contacts", (*PEOPLE, "reports_to_id"), rows))
    assert store.conn.execute("SELECT count(*) FROM contacts").fetchone()[0] == 1
    fine = [(i, a, f"p{i}", 1) for i in range(2, 102)]  # the same account: taken
    _write(store, ("contacts", (*PEOPLE, "reports_to_id"), fine))
    assert store.conn.execute("SELECT count(*) FROM contacts WHERE reports_to_id = 1").fetchone()[0] == 100


def test_bulk_history_lines_come_in_the_order_written(store: Store):
    a, _ = _accounts(store)
    people = [(i, a, f"p{i:03d}") for i in range(200, 100, -1)]  # ids written high to low
    roles = [(i, role) for i in range(200, 100, -1) for role in ("champion", "influencer") if i % 3]
    _write(store, ("contacts", PEOPLE, people), ("contact_roles", ("contact_id", "role"), roles))
    created = store.conn.execute(
        "SELECT record_id, new FROM history WHERE field = 'created' AND record = 'contact' ORDER BY id"
    ).fetchall()
    assert [tuple(r) for r in created] == [(i, name) for i, _, name in people]
    lines = store.conn.execute("SELECT record_id, new, account_id FROM history WHERE field = 'role' ORDER BY id")
    assert [tuple(r) for r in lines.fetchall()] == [(i, role, a) for i, role in roles]


def test_a_bulk_insert_drops_only_its_accounts_cached_verdicts(store: Store):
    a, b = _accounts(store)
    key = verdict_key(store.settings())
    portfolio(store, TODAY)  # computes and caches both accounts' verdicts
    assert set(store.cached_verdicts(TODAY, key, None)) == {a, b}
    _write(store, ("contacts", PEOPLE, [(i, a, f"p{i}") for i in range(1, 80)]))
    assert set(store.cached_verdicts(TODAY, key, None)) == {b}
    portfolio(store, TODAY)
    _write(store, ("contact_roles", ("contact_id", "role"), [(i, "champion") for i in range(1, 80)]))
    assert set(store.cached_verdicts(TODAY, key, None)) == {b}
