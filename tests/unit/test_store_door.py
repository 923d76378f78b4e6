"""`db/` is the only place with SQL: every other layer calls `Store` methods (or, for
services, the `StorePort` protocol), never the store's connection or repositories."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from stakeworks.db.store import Store
from stakeworks.services.ports import StorePort
from tests.conftest import ROOT

OUTSIDE_THE_STORE = [
    ROOT / "stakeworks" / "cli",
    ROOT / "stakeworks" / "services",
    ROOT / "stakeworks" / "domain",
    ROOT / "stakeworks" / "interchange",
    ROOT / "screens",
    ROOT / "widgets",
]
# What a caller could reach SQL through: the raw connection, the repositories, a query method.
BACK_DOORS = {"conn", "repos", "_tx", "query", "execute", "executemany"}
SQL = re.compile(r"\b(SELECT\s+\S.*\bFROM|INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM)\b")


def _sources() -> list[Path]:
    return sorted(p for folder in OUTSIDE_THE_STORE for p in folder.rglob("*.py"))


def _violations(source: str, where: str) -> list[str]:
    found = []
    tree = ast.parse(source, where)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in BACK_DOORS:
            owner = ast.unparse(node.value)
            if owner.split(".")[-1] == "store":
                found.append(f"{where}:{node.lineno}: {owner}.{node.attr}")
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names] + ([node.module] if isinstance(node, ast.ImportFrom) else [])
            if any(n and n.split(".")[0] in ("sqlite3", "sqlite_utils") for n in names):
                found.append(f"{where}:{node.lineno}: imports {', '.join(filter(None, names))}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL.search(node.value):
            found.append(f"{where}:{node.lineno}: SQL {node.value[:40]!r}")
    return found


def test_no_layer_but_the_store_runs_sql():
    sources = _sources()
    assert len(sources) > 40  # the folders are where this test thinks they are
    assert [v for p in sources for v in _violations(p.read_text(encoding="utf-8"), str(p.relative_to(ROOT)))] == []


def test_the_check_sees_a_back_door():
    """The same check flags each way around the door (so the test above can fail)."""
    probe = (
        "import sqlite3\n"
        "def f(store, app):\n"
        "    store.query('x')\n"
        "    app.store.conn.execute('x')\n"
        "    store.repos.contacts.rows()\n"
        "    return 'SELECT id FROM contacts'\n"
    )
    assert sorted(_violations(probe, "probe.py")) == [
        "probe.py:1: imports sqlite3",
        "probe.py:3: store.query",
        "probe.py:4: app.store.conn",
        "probe.py:5: store.repos",
        "probe.py:6: SQL 'SELECT id FROM contacts'",
    ]


def test_store_has_no_query_method_and_fits_the_port(sample_copy: Path):
    assert not hasattr(Store, "query")
    port = {n for n in vars(StorePort) if not n.startswith("_")}
    values = {n for n in port if isinstance(vars(StorePort)[n], property)}  # the path, the server session
    missing = sorted(n for n in port - values if not callable(getattr(Store, n, None)) and n != "transaction")
    assert missing == []
    with Store(sample_copy) as store:
        assert {n for n in values if not hasattr(store, n)} == set()


SCREENS = ROOT / "screens"


def _store_calls(source: str, where: str) -> list[str]:
    """Calls of a store method (`store.x()`, `self.session.store.x()`): a screen passes the store to
    a service instead (the one door; the import-linter contract keeps `stakeworks.db` out)."""
    tree = ast.parse(source, where)
    return [
        f"{where}:{node.lineno}: {ast.unparse(node.func)}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and ast.unparse(node.func.value).split(".")[-1] == "store"
    ]


def test_screens_reach_the_store_only_through_services():
    sources = sorted(SCREENS.glob("*.py"))
    assert len(sources) > 25  # the folder is where this test thinks it is
    assert [c for p in sources for c in _store_calls(p.read_text(encoding="utf-8"), p.name)] == []


def test_the_check_sees_a_store_call_in_a_screen():
    probe = (
        "def load(self):\n"
        "    records.touches(self.session.store, 1, 5)\n"
        "    self.session.store.touches(1, 5)\n"
        "    store = self.session.store\n"
        "    return store.contacts(1)\n"
    )
    assert _store_calls(probe, "probe.py") == ["probe.py:3: self.session.store.touches", "probe.py:5: store.contacts"]
