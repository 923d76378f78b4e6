"""The store enforces its rules itself, and refuses unusable files clearly."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from stakeworks.db.connection import APPLICATION_ID
from stakeworks.db.schema import LATEST_VERSION, MIGRATIONS
from stakeworks.db.store import Store
from stakeworks.domain.errors import InputError, Refusal, StaleEdit, StoreError
from stakeworks.domain.models import Account, Contact, Executive, Touch
from tests.conftest import stored


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "s.db")
    yield s
    s.close()


def _accounts(store: Store, n: int) -> list[int]:
    return [store.save_account(Account(name=f"Acct {i}")) for i in range(n)]


def test_fourth_sponsorship_refused_even_through_raw_sql(store: Store):
    ex = store.save_executive(Executive(name="Ayo", level="vp"))
    ids = _accounts(store, 4)
    for a in ids[:3]:
        store.assign(ex, a, date(2026, 1, 1))
    with pytest.raises(Refusal, match="over capacity"):
        store.assign(ex, ids[3], date(2026, 1, 1))
    raw = sqlite3.connect(store.path)
    with pytest.raises(sqlite3.IntegrityError, match="over capacity"):
        raw.execute(
            "INSERT INTO sponsor_assignments (executive_id, account_id, start_date) VALUES (?, ?, '2026-01-01')",
            (ex, ids[3]),
        )
    # Reactivating an ended one is an update: also refused.
    raw.execute("UPDATE sponsor_assignments SET active = 0 WHERE account_id = ?", (ids[0],))
    raw.commit()
    raw.execute(
        "INSERT INTO sponsor_assignments (executive_id, account_id, start_date) VALUES (?, ?, '2026-01-01')",
        (ex, ids[3]),
    )
    raw.commit()
    with pytest.raises(sqlite3.IntegrityError, match="over capacity"):
        raw.execute("UPDATE sponsor_assignments SET active = 1 WHERE account_id = ?", (ids[0],))
    raw.close()
    assert len(store.assignments()) == 3


def test_capacity_over_three_needs_exception_reason_in_the_store(store: Store):
    raw = sqlite3.connect(store.path)
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        raw.execute("INSERT INTO executives (name, level, capacity) VALUES ('X', 'vp', 4)")
    raw.execute("INSERT INTO executives (name, level, capacity, exception_reason) VALUES ('Y', 'vp', 4, 'sales lead')")
    raw.commit()
    raw.close()
    ex = next(e for e in store.executives() if e.name == "Y")
    for a in _accounts(store, 4):
        store.assign(ex.id, a, date(2026, 1, 1))
    assert len(store.assignments()) == 4
    with pytest.raises(ValueError, match="exception reason"):
        Executive(name="Z", level="vp", capacity=4)


def test_retiring_ends_assignments(store: Store):
    ex_id = store.save_executive(Executive(name="Ayo", level="vp"))
    (a,) = _accounts(store, 1)
    store.assign(ex_id, a, date(2026, 1, 1))
    ex = store.executives()[0]
    store.save_executive(ex.model_copy(update={"active": False}))
    assert store.assignments() == []
    with pytest.raises(Refusal, match="retired"):
        store.assign(ex_id, a, date(2026, 2, 1))


def test_reports_to_cycle_and_cross_account_refused(store: Store):
    a, b = _accounts(store, 2)
    boss = store.save_contact(Contact(account_id=a, name="Boss"))
    mid = store.save_contact(Contact(account_id=a, name="Mid", reports_to_id=boss.id))
    with pytest.raises(InputError, match="cycle"):
        store.save_contact(boss.model_copy(update={"reports_to_id": mid.id}))
    other = store.save_contact(Contact(account_id=b, name="Other"))
    with pytest.raises(InputError, match="same account"):
        store.save_contact(other.model_copy(update={"reports_to_id": boss.id}))
    assert store.contact(boss.id).reports_to_id is None


def test_last_touch_is_derived_from_touches(store: Store):
    (a,) = _accounts(store, 1)
    c = store.save_contact(Contact(account_id=a, name="T"))
    store.add_touch(Touch(contact_id=c.id, date=date(2026, 3, 1), kind="call"))
    store.add_touch(Touch(contact_id=c.id, date=date(2026, 1, 1), kind="email"))
    got = store.contact(c.id)
    assert (got.last_touch, got.last_touch_kind) == (date(2026, 3, 1), "call")
    # A second touch on the same day: the later one's kind wins, as before schema v5.
    store.add_touch(Touch(contact_id=c.id, date=date(2026, 3, 1), kind="meeting"))
    got = store.contact(c.id)
    assert (got.last_touch, got.last_touch_kind) == (date(2026, 3, 1), "meeting")
    stored(store.path, "DELETE FROM touches WHERE kind = 'meeting'")
    t = store.touches(c.id)[0]
    stored(store.path, "DELETE FROM touches WHERE id = ?", (t.id,))
    assert store.contact(c.id).last_touch == date(2026, 1, 1)


def test_stale_edit_is_refused(store: Store):
    (a,) = _accounts(store, 1)
    c = store.save_contact(Contact(account_id=a, name="S", strength=3))
    mine = c.model_copy(update={"strength": 5})
    store.save_contact(c.model_copy(update={"strength": 1}))  # someone else saved first
    with pytest.raises(StaleEdit):
        store.save_contact(mine)
    assert store.contact(c.id).strength == 1


def test_check_constraints_refuse_bad_values(store: Store):
    (a,) = _accounts(store, 1)
    raw = sqlite3.connect(store.path)
    for sql in (
        f"INSERT INTO contacts (account_id, name, strength) VALUES ({a}, 'x', 7)",
        f"INSERT INTO contacts (account_id, name, level) VALUES ({a}, 'x', 'boss')",
        "INSERT INTO accounts (name, renewal_date) VALUES ('y', '2026-02-31')",
        "INSERT INTO contact_roles (contact_id, role) VALUES (1, 'hero')",
    ):
        with pytest.raises(sqlite3.IntegrityError):
            raw.execute(sql)
    raw.close()


def test_a_failed_write_leaves_nothing(store: Store):
    (a,) = _accounts(store, 1)
    with pytest.raises(RuntimeError), store.transaction():
        store.save_contact(Contact(account_id=a, name="Half"))
        raise RuntimeError("crash in the middle")
    assert store.contacts(a) == []


def test_new_file_is_private_and_versioned(tmp_path: Path):
    path = tmp_path / "deep" / "new.db"
    Store(path).close()
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION


def test_not_sqlite_newer_schema_and_directory_are_store_errors(tmp_path: Path):
    junk = tmp_path / "junk.db"
    junk.write_text("hello, I am a spreadsheet")
    with pytest.raises(StoreError, match="not a SQLite"):
        Store(junk)
    newer = tmp_path / "newer.db"
    raw = sqlite3.connect(newer)
    raw.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    raw.execute(f"PRAGMA application_id = {APPLICATION_ID}")  # a newer stakeworks's store carries our id
    raw.close()
    with pytest.raises(StoreError, match="newer stakeworks"):
        Store(newer)
    with pytest.raises(StoreError, match="directory"):
        Store(tmp_path)


def test_migration_from_v1_keeps_data_and_writes_backup(tmp_path: Path):
    path = tmp_path / "old.db"
    raw = sqlite3.connect(path)
    first = MIGRATIONS[0]
    assert isinstance(first, str)  # schema 1 is a script
    raw.executescript(first)
    raw.execute("PRAGMA user_version = 1")
    raw.execute("INSERT INTO accounts (name, arr) VALUES ('Legacy', 1000)")
    raw.commit()
    raw.close()
    with Store(path) as s:
        assert [a.name for a in s.accounts()] == ["Legacy"]
        s.record_scores(date(2026, 1, 1), [(1, 42, "high")])
        assert s.score_history(1) == [(date(2026, 1, 1), 42, "high")]
    backup = tmp_path / "old.db.v1.bak"
    assert backup.exists()
    assert sqlite3.connect(backup).execute("PRAGMA user_version").fetchone()[0] == 1


def test_score_history_one_row_per_day(store: Store):
    (a,) = _accounts(store, 1)
    store.record_scores(date(2026, 1, 1), [(a, 40, "high")])
    store.record_scores(date(2026, 1, 1), [(a, 52, "high")])
    store.record_scores(date(2026, 1, 2), [(a, 12, "medium")])
    assert store.score_history(a) == [(date(2026, 1, 1), 52, "high"), (date(2026, 1, 2), 12, "medium")]
