"""A contacts import that brings more rows than a table holds builds that table's non-unique
indexes after its rows (`importing._BUILT_AFTER`), inside its one transaction: the store ends with
every index it had, a refused import leaves them untouched, a smaller import keeps them up row by
row, and nothing the import runs reads through them."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from stakeworks.db import importing
from stakeworks.db.store import Store
from stakeworks.domain.errors import InputError
from stakeworks.interchange import importer
from tests.conftest import file_digest, stored

BUILT_AFTER = [name for names in importing._BUILT_AFTER.values() for name in names]
WITH_LINKS = [name for names in importing._BUILT_AFTER_WITH_LINKS.values() for name in names]
INDEXES = (
    "SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name IN ('contacts', 'touches') ORDER BY name"
)


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    monkeypatch.setattr(importing, "_BATCH", 2)  # several batches in a small file
    s = Store(tmp_path / "s.db")
    with s.transaction() as c:
        c.execute("INSERT INTO accounts (name) VALUES ('Northwind')")
    return s


def _import(store: Store, path: Path, text: str) -> list[str]:
    """Import `text` as a contacts file; every statement the import ran on the store's connection."""
    path.write_text(text)
    ran: list[str] = []
    store.conn.set_trace_callback(ran.append)  # type: ignore[attr-defined]
    try:
        importing.apply_contacts(store, importer.open_contacts(path, {"northwind": 1}))
    finally:
        store.conn.set_trace_callback(None)  # type: ignore[attr-defined]
    return ran


def _people(first: int, last: int, touch: str = "2026-03-01") -> str:
    return "".join(f"Northwind,P{i},p{i}@n.example,{touch},call,CRM{i:05d}\n" for i in range(first, last))


HEADER = "account,name,email,last_touch,last_touch_kind,id\n"


def test_a_large_import_builds_them_after_its_rows_and_ends_with_every_index(store: Store, tmp_path: Path):
    before = stored(store.path, INDEXES)
    assert {name for name, _ in before} >= set(BUILT_AFTER)
    ran = _import(store, tmp_path / "new.csv", HEADER + _people(0, 7))
    dropped = [m for sql in ran if (m := re.match(r"DROP INDEX (\w+)", sql))]
    assert sorted(m[1] for m in dropped) == sorted(BUILT_AFTER)
    assert stored(store.path, INDEXES) == before
    assert stored(store.path, "PRAGMA integrity_check") == [("ok",)]
    assert stored(store.path, "SELECT count(*) FROM contacts") == [(7,)]
    assert stored(store.path, "SELECT count(*) FROM touches") == [(7,)]
    assert [r.name for r in store.person_records("P3@N.example")] == ["P3"]  # through the index made again


def test_a_refused_import_leaves_every_index_as_it_was(store: Store, tmp_path: Path):
    before, digest = stored(store.path, INDEXES), file_digest(store.path)
    with pytest.raises(InputError) as refused:
        _import(store, tmp_path / "bad.csv", HEADER + _people(0, 5) + "Northwind,Zed,not-an-address,,,\n")
    assert refused.value.problems == ["line 7, column email: not an email address"]
    assert stored(store.path, INDEXES) == before
    assert file_digest(store.path) == digest


def test_a_smaller_import_keeps_them_and_reads_through_none_of_them(store: Store, tmp_path: Path):
    _import(store, tmp_path / "first.csv", HEADER + _people(0, 8))
    # Fewer rows than the store holds: two changed people, a person added, the rest unchanged.
    again = HEADER + _people(0, 2, touch="2026-04-01") + _people(2, 5) + _people(8, 9)
    ran = _import(store, tmp_path / "again.csv", again)
    assert not [sql for sql in ran if sql.startswith("DROP INDEX")]
    assert stored(store.path, "SELECT count(*) FROM contacts") == [(9,)]
    assert stored(store.path, "SELECT count(*) FROM touches") == [(11,)]
    plans = []
    with sqlite3.connect(store.path) as conn:
        for sql in ran:
            if re.match(r"\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\b", sql, re.IGNORECASE):
                plans += [r[3] for r in conn.execute(f"EXPLAIN QUERY PLAN {sql}")]
    assert any("contacts_account" in p for p in plans)  # the plans name the indexes they read
    assert not [p for p in plans if any(name in p for name in WITH_LINKS)]


def test_indexes_a_new_row_adds_to_in_order_are_kept_unless_the_file_links_people(store: Store, tmp_path: Path):
    """contacts_reports_to (NULL, then the next id) and touches_by_name (never an imported touch)
    are kept row by row; a file with a reports-to column updates people in no order, so it drops
    contacts_reports_to too and builds it after its links."""
    ran = _import(store, tmp_path / "new.csv", HEADER + _people(0, 7))
    dropped = {m[1] for sql in ran if (m := re.match(r"DROP INDEX (\w+)", sql))}
    assert dropped.isdisjoint({"contacts_reports_to", "touches_by_name"})
    linked = "account,name,email,reports_to\n" + "".join(
        f"Northwind,Q{i},q{i}@n.example,{'q0@n.example' if i else ''}\n" for i in range(20)
    )
    before = stored(store.path, INDEXES)
    ran = _import(store, tmp_path / "linked.csv", linked)
    dropped = {m[1] for sql in ran if (m := re.match(r"DROP INDEX (\w+)", sql))}
    assert dropped == {"contacts_email_key", "contacts_name_lower", "contacts_reports_to", "touches_date"}
    assert stored(store.path, INDEXES) == before
    assert stored(store.path, "SELECT count(*) FROM contacts WHERE reports_to_id IS NOT NULL") == [(19,)]
    assert stored(store.path, "PRAGMA integrity_check") == [("ok",)]
