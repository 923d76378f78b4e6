"""`init`, `restore`, and which commands may create a store (CLI.md revision 2; issue 19, cases 7, 8, 11)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest

from stakeworks.cli.main import main
from stakeworks.db.connection import APPLICATION_ID
from tests.conftest import BOTH_BACKENDS, FIXTURES, NORTHWIND_ACCOUNTS, file_digest

pytestmark = BOTH_BACKENDS

NOT_CREATING: tuple[list[str], ...] = (["risk"], ["assess", "Northwind"], ["cadence"], ["heatmap"], ["tasks"], ["sponsors"],
                ["map", "Northwind"], ["whatif", "Northwind", "Tom Chen"], ["export", "json", "out.json"],
                ["depart", "Northwind", "Tom Chen", "--date", "2026-01-01"], ["backup", "b.db"], [])  # fmt: skip


def test_a_mistyped_db_is_exit_3_for_every_command_and_creates_nothing(cli, tmp_path: Path):
    typo = tmp_path / "sub" / "stakewroks.db"
    for args in NOT_CREATING:
        r = cli(*args, db_path=typo)
        assert r.code == 3, (args, r.err)
        assert r.err == f"stakeworks: no database at {typo}; create it with `stakeworks init {typo}` or by importing\n"
    assert not (tmp_path / "sub").exists()
    empty = tmp_path / "empty.db"
    empty.touch()
    assert cli("risk", db_path=empty).code == 3 and empty.stat().st_size == 0


def test_an_import_creates_its_store_and_a_failed_one_leaves_none(cli, tmp_path: Path):
    accounts = tmp_path / "accounts.csv"
    accounts.write_text(NORTHWIND_ACCOUNTS)
    bad = tmp_path / "bad.csv"
    bad.write_text("name,arr\nA,lots\n")
    new = tmp_path / "new.db"
    assert cli("import", "accounts", str(bad), db_path=new).code == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["accounts.csv", "bad.csv"]  # nothing written
    r = cli("import", "accounts", str(accounts), db_path=tmp_path / "missing" / "x.db")
    assert r.code == 3 and "the folder" in r.err and "does not exist" in r.err
    assert not (tmp_path / "missing").exists()
    old = os.umask(0o022)
    try:
        assert cli("import", "accounts", str(accounts), db_path=new).code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(new.stat().st_mode) == 0o600
    assert sqlite3.connect(new).execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID


def test_init_creates_an_empty_store_once(cli, tmp_path: Path):
    target = tmp_path / "team.db"
    r = cli("init", str(target))
    assert r.code == 0 and "Created an empty stakeworks database" in r.out
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert cli("risk", "--json", db_path=target).out.strip() == "[]"
    digest = file_digest(target)
    r = cli("init", str(target))
    assert r.code == 0 and "already a stakeworks database" in r.out
    assert file_digest(target) == digest
    r = cli("init", str(tmp_path / "nowhere" / "x.db"))
    assert r.code == 3 and "does not exist" in r.err and not (tmp_path / "nowhere").exists()
    places = tmp_path / "places.sqlite"
    conn = sqlite3.connect(places)
    conn.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY)")
    conn.commit()
    conn.close()
    before = file_digest(places)
    r = cli("init", str(places))
    assert r.code == 3 and "not a stakeworks database" in r.err
    assert file_digest(places) == before


def test_only_the_default_path_is_created_with_its_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("STAKEWORKS_DB", raising=False)
    assert main(["init"]) == 0
    made = tmp_path / "data" / "stakeworks" / "stakeworks.db"
    assert made.exists() and str(made) in capsys.readouterr().out


def test_restore_from_the_command_line(cli, sample_copy: Path, tmp_path: Path):
    backup = tmp_path / "monday.db"
    assert cli("backup", str(backup), db_path=sample_copy).code == 0
    assert (
        cli("touch", "Northwind", "Tom Chen", "--kind", "call", "--date", "2026-10-31", db_path=sample_copy).code == 0
    )
    shutil.copyfile(FIXTURES / "accounts.csv", tmp_path / "not-a-backup.db")
    r = cli("restore", str(tmp_path / "not-a-backup.db"), db_path=sample_copy)
    assert r.code == 3 and "not a SQLite" in r.err
    r = cli("restore", str(tmp_path / "nothing.db"), db_path=sample_copy)
    assert r.code == 2 and "no such backup file" in r.err
    r = cli("restore", str(backup), db_path=sample_copy)
    assert r.code == 0, r.err
    assert f"The store it replaced is kept as {sample_copy}.bak" in r.out
    touches = {db: sqlite3.connect(db).execute("SELECT count(*) FROM touches").fetchone()[0]
               for db in (sample_copy, backup, Path(f"{sample_copy}.bak"))}  # fmt: skip
    assert touches[sample_copy] == touches[backup] == touches[Path(f"{sample_copy}.bak")] - 1


def test_a_database_folder_that_cannot_be_read_is_one_line(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The tests run as root, whom no folder refuses: the system's answer for one folder is
    simulated at `Path.stat`, where every look at a path starts."""
    locked = tmp_path / "locked"
    locked.mkdir()
    real_stat = Path.stat

    def stat_(self: Path, *args: object, **kwargs: object) -> os.stat_result:
        if locked in self.parents:
            raise PermissionError(13, "Permission denied", str(self))
        return real_stat(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "stat", stat_)
    for args in (["risk"], ["import", "accounts", str(FIXTURES / "accounts.csv")], ["init", str(locked / "x.db")]):
        r = cli(*args, db_path=locked / "x.db")
        assert r.code == 3, (args, r.err)
        assert r.err == f"stakeworks: cannot read {locked / 'x.db'}: Permission denied\n"
