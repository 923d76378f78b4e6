"""One index over a contact's address (schema EMAIL_KEY_STEP, issue 36): lower(trim(email)), which
every lookup by address asks for, so each one reads through it; the two indexes of the same
address before it (as written, lower-cased) are gone from files and servers, new and upgraded."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from stakeworks.db import connection
from stakeworks.db.people import warm_path
from stakeworks.db.schema import EMAIL_KEY_STEP, LATEST_VERSION, MIGRATIONS
from stakeworks.db.store import Store
from stakeworks.domain.models import Signal
from tests.conftest import BOTH_BACKENDS, Result, stored

ACCOUNTS = """name,arr,currency,renewal_date,tier
Northwind,240000,EUR,2026-09-30,enterprise
Contoso,500000,EUR,2026-12-31,strategic
"""
CONTACTS = """account,name,title,email,department,level,roles,strength,sentiment
Northwind,Tom Chen,VP Engineering,tom@chen.example,Engineering,vp,champion,5,advocate
Northwind,Sarah Kim,CFO,sarah@northwind.example,Finance,c_level,economic_buyer,2,neutral
Contoso,Thomas Chen,Advisor,tom.chen@contoso.example,Operations,vp,champion,4,supportive
"""
_EMAIL_INDEXES = (
    "SELECT indexname FROM pg_indexes WHERE tablename = 'contacts' AND indexdef LIKE '%email%' ORDER BY 1",
    "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'contacts' AND sql LIKE '%email%' ORDER BY 1",
)


@pytest.fixture
def two_toms(cli: Callable[..., Result], tmp_path: Path) -> Callable[..., Result]:
    """Tom at Northwind and at Contoso, where the CRM keeps his address in another case with spaces."""
    (tmp_path / "a.csv").write_text(ACCOUNTS)
    (tmp_path / "c.csv").write_text(CONTACTS)
    assert cli("import", "accounts", str(tmp_path / "a.csv")).code == 0
    assert cli("import", "contacts", str(tmp_path / "c.csv")).code == 0
    stored(cli.db, "UPDATE contacts SET email = ' TOM@Chen.Example ' WHERE name = 'Thomas Chen'")  # type: ignore[attr-defined]
    return cli


def _email_indexes(db: Path | str) -> list[str]:
    server = str(db).startswith("postgresql://")
    return [r[0] for r in stored(db, _EMAIL_INDEXES[0] if server else _EMAIL_INDEXES[1])]


@BOTH_BACKENDS
def test_a_new_store_has_one_index_over_a_contacts_address(two_toms: Callable[..., Result]):
    assert _email_indexes(two_toms.db) == ["contacts_email_key"]  # type: ignore[attr-defined]


@BOTH_BACKENDS
def test_an_address_matches_in_any_case_and_without_spaces(two_toms: Callable[..., Result]):
    with Store(two_toms.db) as store:  # type: ignore[attr-defined]
        found = store.person_records("  tom@CHEN.example")
        assert sorted(r.name for r in found) == ["Thomas Chen", "Tom Chen"]
        everyone, _ = store.same_person([r for r in found if r.name == "Tom Chen"])
        assert sorted(r.name for r in everyone) == ["Thomas Chen", "Tom Chen"]
        shared, _ = store.shared_people()
        assert sorted(r.name for r in shared) == ["Thomas Chen", "Tom Chen"]
        tom = next(r for r in everyone if r.name == "Tom Chen")
        assert warm_path(store.conn, tom.contact_id) == ("Thomas Chen", "Contoso")
        assert set(store.contacts_by_email(["tom@chen.example"])) == {"tom@chen.example"}
        assert len(store.contacts_by_email(["tom@chen.example"])["tom@chen.example"]) == 2


@pytest.mark.one_backend("file")
def test_every_lookup_by_address_reads_through_that_index(two_toms: Callable[..., Result]):
    with Store(two_toms.db) as store:  # type: ignore[attr-defined]
        tom = next(r for r in store.person_records("tom@chen.example") if r.name == "Tom Chen")
        contoso = next(a.id for a in store.account_rows() if a.name == "Contoso")
        store.raise_signals([Signal(kind="moved_account", contact_id=tom.contact_id, raised_on=date(2026, 3, 1),
                                    other_account_id=contoso, evidence="the CRM", evidence_key="csv:x")])  # fmt: skip
        ran: list[str] = []
        store.conn.set_trace_callback(ran.append)  # type: ignore[attr-defined]
        store.person_records("Tom@Chen.example")
        store.same_person([tom])
        store.shared_people()
        warm_path(store.conn, tom.contact_id)
        assert [s.other_contact for s in store.signals()] == ["Thomas Chen"]
        store.contacts_by_email(["tom@chen.example"])
        store.conn.set_trace_callback(None)  # type: ignore[attr-defined]
        by_address = [sql for sql in ran if "lower(trim(" in sql and sql.lstrip().startswith(("SELECT", "WITH"))]
        assert len(by_address) >= 6, ran  # one at least per call above (same_person: one per address)
        for sql in by_address:
            plan = " | ".join(r[3] for r in store.conn.execute(f"EXPLAIN QUERY PLAN {sql}"))
            # A moved person's record at the other account: among that account's few contacts.
            among_one_account = "x.account_id = s.other_account_id" in sql and "contacts_account (account_id=?)" in plan
            assert "contacts_email_key" in plan or among_one_account, (sql, plan)
            assert not re.search(r"\bSCAN (contacts|c|x|k|me)\b", plan), (sql, plan)  # contacts read one by one


@pytest.mark.one_backend("file")
def test_a_file_at_the_step_before_keeps_only_the_address_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = tmp_path / "old.db"
    with monkeypatch.context() as m:  # the store as the release before this step made it
        m.setattr(connection, "MIGRATIONS", MIGRATIONS[: EMAIL_KEY_STEP - 1])
        m.setattr(connection, "LATEST_VERSION", EMAIL_KEY_STEP - 1)
        with Store(path):
            pass
    assert _email_indexes(path) == ["contacts_email", "contacts_email_key", "contacts_email_lower"]
    with Store(path) as store:
        assert store.schema_version() == LATEST_VERSION
    assert _email_indexes(path) == ["contacts_email_key"]
    assert stored(path, "PRAGMA integrity_check") == [("ok",)]
    assert sqlite3.connect(tmp_path / f"old.db.v{EMAIL_KEY_STEP - 1}.bak").execute("PRAGMA user_version").fetchone()[
        0
    ] == (EMAIL_KEY_STEP - 1)


@pytest.mark.one_backend("server")
def test_a_server_at_the_step_before_keeps_only_the_address_key(two_toms: Callable[..., Result]):
    db = two_toms.db  # type: ignore[attr-defined]
    stored(db, "CREATE INDEX contacts_email ON contacts (email) WHERE email <> ''")  # as the step before had them
    stored(db, "CREATE INDEX contacts_email_lower ON contacts (lower(email)) WHERE email <> ''")
    stored(db, f"UPDATE stakeworks_schema SET version = {EMAIL_KEY_STEP - 1}")
    assert two_toms("person", "tom@chen.example").code == 0  # opening it runs the step
    assert stored(db, "SELECT version FROM stakeworks_schema") == [(LATEST_VERSION,)]
    assert _email_indexes(db) == ["contacts_email_key"]
