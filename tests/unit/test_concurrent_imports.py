"""Two imports of the same file at once add everyone once (issue 19, case 1).

Both imports are started while a third connection holds the write lock, and the lock is let go
only once SQLite has seen each of them ask for it (`BEGIN IMMEDIATE`, read from each
connection's statement trace): whatever an import reads before that point it read before the
other one wrote. Imports that compare against what they read before taking the lock both add
every row; imports that read inside their transaction find the other's rows and add nothing.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest

from stakeworks.cli.main import main
from stakeworks.db import connection
from stakeworks.db import store as store_module
from tests.conftest import NORTHWIND_ACCOUNTS, Cli


def _people(n: int) -> str:
    rows = [f"Northwind,Person {i},Engineer,p{i}@northwind.example,Engineering,manager" for i in range(n)]
    return "account,name,title,email,department,level\n" + "\n".join(rows) + "\n"


EXECUTIVES = "name,title,level,function\nAda Brook,CRO,c_level,sales\nBen Holt,VP Product,vp,product\n"


def _run_twice_at_once(monkeypatch: pytest.MonkeyPatch, db: Path, argv: list[str]) -> list[int]:
    # The second import waits out the whole first one: on a loaded machine 2,000 contacts take
    # longer than the product's 5 s lock wait, which is not what this test is about.
    monkeypatch.setattr(connection, "BUSY_TIMEOUT_MS", 120_000)
    asking: list[threading.Event] = []
    real_connect = store_module.connect

    def traced(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        conn = real_connect(*args, **kwargs)
        asked = threading.Event()
        asking.append(asked)

        def trace(statement: str) -> None:
            if statement.startswith("BEGIN IMMEDIATE"):
                asked.set()

        conn.set_trace_callback(trace)
        return conn

    monkeypatch.setattr(store_module, "connect", traced)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    codes: list[int] = []

    def run() -> None:
        codes.append(main(["--db", str(db), *argv]))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    try:
        for _ in range(200):
            if len(asking) == 2 and all(e.wait(0.05) for e in asking):
                break
            threading.Event().wait(0.05)
        assert len(asking) == 2 and all(e.is_set() for e in asking), "both imports should be waiting for the lock"
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        for t in threads:
            t.join(60)
    return codes


@pytest.mark.parametrize(
    ("kind", "content", "table", "expected"),
    [
        ("contacts", _people(2000), "contacts", 2000),
        ("accounts", NORTHWIND_ACCOUNTS + "Harbor,5,EUR,,smb,,,\n", "accounts", 2),
        ("executives", EXECUTIVES, "executives", 2),
    ],
    ids=["contacts", "accounts", "executives"],
)
def test_two_imports_of_one_file_at_once_add_each_record_once(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str, content: str, table: str,
    expected: int,
):  # fmt: skip
    accounts = tmp_path / "accounts.csv"
    accounts.write_text(NORTHWIND_ACCOUNTS)
    assert cli("import", "accounts", str(accounts)).code == 0
    source = tmp_path / f"{kind}.csv"
    source.write_text(content)
    codes = _run_twice_at_once(monkeypatch, cli.db, ["import", kind, str(source)])
    assert codes == [0, 0]
    conn = sqlite3.connect(cli.db)
    (count,) = conn.execute(f"SELECT count(*) FROM {table}").fetchone()
    conn.close()
    assert count == expected
