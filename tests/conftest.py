from __future__ import annotations

import contextlib
import hashlib
import shutil
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from stakeworks.cli.main import main
from tests.pgcluster import Cluster

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample.db"
FIXTURES = ROOT / "tests" / "fixtures"
TODAY = date(2026, 11, 1)  # the day sample.db was generated: no shift needed

NORTHWIND_ACCOUNTS = """name,arr,currency,renewal_date,tier,industry,region,csm
Northwind,240000,EUR,2026-09-30,enterprise,software,EMEA,Alex Rivera
"""
NORTHWIND_CONTACTS = """account,name,title,email,department,level,roles,strength,sentiment,last_touch,last_touch_kind
Northwind,Tom Chen,VP Engineering,tom@northwind.example,Engineering,vp,champion,5,advocate,2026-03-01,call
Northwind,Sarah Kim,CFO,sarah@northwind.example,Finance,c_level,economic_buyer,2,neutral,2025-12-15,qbr
Northwind,Lisa Park,Engineering Manager,lisa@northwind.example,Engineering,manager,technical_lead,3,supportive,2026-03-05,email
"""


@pytest.fixture(autouse=True)
def _no_user_preferences(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never read or write the developer's own config file, nor take preferences from their shell."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("xdg-config")))
    for name in (
        "STAKEWORKS_CONFIG",
        "STAKEWORKS_THEME",
        "STAKEWORKS_USER",
        "STAKEWORKS_EXPORT_DIR",
        "STAKEWORKS_CURRENCY",
    ):
        monkeypatch.delenv(name, raising=False)


@dataclass
class Result:
    code: int
    out: str
    err: str


@dataclass
class Cli:
    """The public CLI run in-process on one store: `cli("risk", "--json")`."""

    capsys: pytest.CaptureFixture[str]
    db: Any
    """The store: a file's Path, or a team store's postgresql:// URL."""

    def __call__(self, *args: str, db_path: Path | None = None) -> Result:
        self.capsys.readouterr()
        code = main(["--db", str(db_path or self.db), *args])
        captured = self.capsys.readouterr()
        return Result(code, captured.out, captured.err)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """One throwaway PostgreSQL server per test process (tests/pgcluster.py), with a template
    database holding an empty store: each test's database is a copy of it."""
    from tests.pgcluster import find_bindir, remove, start_cluster

    if find_bindir()[0] is None:
        pytest.skip(find_bindir()[1])
    cluster = start_cluster()
    try:
        url = cluster.create_database("stakeworks_template")
        assert main(["init", url]) == 0
        yield cluster
    finally:
        remove(cluster)


@pytest.fixture(scope="module")
def own_cluster() -> Iterator[Cluster]:
    """A server of this module's own, which a test may stop and start again."""
    from tests.pgcluster import find_bindir, remove, start_cluster

    if find_bindir()[0] is None:
        pytest.skip(find_bindir()[1])
    cluster = start_cluster()
    try:
        yield cluster
    finally:
        remove(cluster)


@pytest.fixture
def server_db(pg_cluster: Cluster, request: pytest.FixtureRequest) -> str:
    """A fresh team store on the test server: postgresql://... (dropped by the cluster's end)."""
    import re

    name = (
        "t_"
        + re.sub(r"\W", "_", request.node.name)[:40]
        + "_"
        + hashlib.md5(request.node.nodeid.encode()).hexdigest()[:8]
    )
    pg_cluster.drop_database(name)
    return pg_cluster.create_database(name, template="stakeworks_template")


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    """Which store the `cli` fixture runs on: "file" unless a module asks for both
    (`pytestmark = BOTH_BACKENDS`)."""
    return str(getattr(request, "param", "file"))


def acting(backend: str, claimed: str) -> str:
    """Who a change records: the claimed name (--user) on a file; on the test server the login's
    person, its team name (`postgres`, who ran init), whatever was claimed (CLI.md revision 3)."""
    return claimed if backend == "file" else "postgres"


BOTH_BACKENDS = pytest.mark.both_backends
"""A module's tests that use the store through `cli` run on a file and on a PostgreSQL team store."""


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" not in metafunc.fixturenames:
        return
    only = metafunc.definition.get_closest_marker("one_backend")  # a test of one backend's own step
    if only is not None:
        metafunc.parametrize("backend", [only.args[0]], indirect=True)
    elif metafunc.definition.get_closest_marker("both_backends"):
        metafunc.parametrize("backend", ["file", "server"], indirect=True)


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], tmp_path: Path, backend: str, request: pytest.FixtureRequest) -> Cli:
    """Run the public CLI in-process against a database in tmp_path (or on the test server)."""
    db: Any = tmp_path / "store.db" if backend == "file" else request.getfixturevalue("server_db")
    return Cli(capsys, db)


@pytest.fixture
def northwind(cli: Cli, tmp_path: Path) -> Cli:
    accounts = tmp_path / "accounts.csv"
    contacts = tmp_path / "contacts.csv"
    accounts.write_text(NORTHWIND_ACCOUNTS)
    contacts.write_text(NORTHWIND_CONTACTS)
    assert cli("import", "accounts", str(accounts)).code == 0
    assert cli("import", "contacts", str(contacts)).code == 0
    return cli


@pytest.fixture
def sample_copy(tmp_path: Path) -> Path:
    target = tmp_path / "sample-copy.db"
    shutil.copyfile(SAMPLE, target)
    return target


def file_digest(path: Path | str) -> str:
    """The store's bytes, or for a team store the digest of its whole JSON export (a write
    of anything changes either)."""
    if str(path).startswith("postgresql://"):
        return hashlib.sha256(dump_text(str(path)).encode()).hexdigest()
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def dump_text(db: Path | str) -> str:
    """The whole store as its JSON export."""
    from stakeworks.db.interchange import dump, to_text
    from stakeworks.db.store import Store

    with Store(db, create=False) as store:
        return to_text(dump(store))


def stored(db: Path | str, sql: str, params: Sequence[Any] = ()) -> list[Any]:
    """What the store holds, read with the database's own driver (sqlite3, psycopg) rather than
    through the store (which runs no SQL for its callers); a write here (a test's setup) commits
    at once."""
    if str(db).startswith("postgresql://"):
        from stakeworks.db.postgres import connect_server

        server = connect_server(str(db), create=False)
        try:
            cur = server.execute(sql, params)
            return cur.fetchall() if cur.description else []
        finally:
            server.close()
    with contextlib.closing(sqlite3.connect(db, isolation_level=None)) as conn:
        return conn.execute(sql, params).fetchall()
