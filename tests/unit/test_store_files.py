"""The store's own files (issue 19, cases 2, 6, 7, 8, 11): another application's SQLite file
is never touched, backups are owner-only and whole, a restore can never have an old `-wal`
replayed onto it."""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest

from stakeworks.db.connection import APPLICATION_ID
from stakeworks.db.restore import restore
from stakeworks.db.store import Store
from stakeworks.domain.errors import InputError, StoreError
from tests.conftest import FIXTURES, file_digest


def _app_id(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("PRAGMA application_id").fetchone()[0])
    finally:
        conn.close()


def _count(path: Path, table: str) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        conn.close()


def _companions(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir() if p.name.startswith(path.name + "-"))


def _foreign(path: Path, *, clash: bool = False, app_id: int = 0) -> Path:
    """A browser-history-like SQLite file of another application."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
    if clash:
        conn.execute("CREATE TABLE accounts (id INTEGER PRIMARY KEY, login TEXT)")
    conn.execute("INSERT INTO moz_places (url) VALUES ('https://example.org')")
    conn.execute("PRAGMA user_version = 3")
    if app_id:
        conn.execute(f"PRAGMA application_id = {app_id}")
    conn.commit()
    conn.close()
    return path


# -- another application's file -------------------------------------------------------------


@pytest.mark.parametrize("variant", ["plain", "clashing table", "other application id"])
def test_another_applications_sqlite_file_is_refused_and_untouched(cli, tmp_path: Path, variant: str):
    places = _foreign(tmp_path / "places.sqlite", clash=variant == "clashing table",
                      app_id=0x0F055112 if variant == "other application id" else 0)  # fmt: skip
    before = file_digest(places)
    for args in (["risk"], ["import", "accounts", str(FIXTURES / "accounts.csv")], ["assess", "x"]):
        r = cli(*args, db_path=places)
        assert r.code == 3, (args, r.err)
        assert "is not a stakeworks database" in r.err and "nothing was changed" in r.err
        assert r.err.count("\n") == 1 and "Traceback" not in r.err
    assert file_digest(places) == before
    assert _companions(places) == []  # no -wal, no -shm: the journal mode was never switched
    with pytest.raises(StoreError, match="not a stakeworks database"):
        Store(places)


def test_new_and_older_stores_carry_our_application_id(tmp_path: Path, sample_copy: Path):
    with Store(tmp_path / "new.db"):
        pass
    assert _app_id(tmp_path / "new.db") == APPLICATION_ID
    old = tmp_path / "v5.db"
    shutil.copyfile(FIXTURES / "db" / "schema_v5.db", old)
    assert _app_id(old) == 0  # written before the id existed: recognised by its tables
    with Store(old) as s:
        assert s.accounts()
    assert _app_id(old) == APPLICATION_ID


def test_a_store_is_created_only_when_asked(tmp_path: Path):
    missing = tmp_path / "typo.db"
    with pytest.raises(StoreError, match=r"no database at .*typo.db; create it with `stakeworks init"):
        Store(missing, create=False)
    assert not missing.exists()
    with pytest.raises(StoreError, match="the folder .*nowhere does not exist"):
        Store(tmp_path / "nowhere" / "x.db", make_parents=False)
    assert not (tmp_path / "nowhere").exists()
    empty = tmp_path / "empty.db"
    empty.touch()
    with pytest.raises(StoreError, match="no database at"):
        Store(empty, create=False)


# -- backups ------------------------------------------------------------------------------------


def test_a_backup_is_owner_only_from_the_start_and_never_over_anything(sample_copy: Path, tmp_path: Path):
    old = os.umask(0o022)
    try:
        with Store(sample_copy) as s:
            s.backup(tmp_path / "b.db")
            with pytest.raises(InputError, match="exists; choose a new file name"):
                s.backup(tmp_path / "b.db")
            for name in (sample_copy.name, sample_copy.name + "-wal", sample_copy.name + "-shm"):
                with pytest.raises(InputError, match="is the database"):
                    s.backup(sample_copy.with_name(name))
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "b.db").stat().st_mode) == 0o600
    assert _count(tmp_path / "b.db", "contacts") == _count(sample_copy, "contacts")
    assert _companions(tmp_path / "b.db") == []


def test_a_failed_backup_leaves_nothing_that_blocks_the_next(sample_copy: Path, tmp_path: Path, monkeypatch):
    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    target = tmp_path / "b.db"
    with Store(sample_copy) as s:
        monkeypatch.setattr(os, "fsync", full)
        with pytest.raises(InputError, match="the disk is full; nothing was written"):
            s.backup(target)
        monkeypatch.undo()
        assert not target.exists() and not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
        s.backup(target)
    assert _count(target, "accounts") == _count(sample_copy, "accounts")


# -- restore ------------------------------------------------------------------------------------


def _backup_then_change(store_path: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A backup, then more touches written to the store, whose -wal is copied aside (a leftover)."""
    backup = tmp_path / "monday.db"
    with Store(store_path) as s:
        s.backup(backup)
    conn = sqlite3.connect(store_path, isolation_level=None)
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute("BEGIN")
    for _ in range(300):
        conn.execute(
            "INSERT INTO touches (contact_id, date, kind, note) SELECT min(id), '2026-10-30', 'call', 'later' FROM contacts"
        )
    conn.execute("COMMIT")
    leftover = tmp_path / "leftover-wal"
    shutil.copyfile(store_path.with_name(store_path.name + "-wal"), leftover)
    conn.close()
    return backup, leftover


def test_restore_never_replays_a_leftover_wal_onto_the_backup(sample_copy: Path, tmp_path: Path):
    backup, leftover = _backup_then_change(sample_copy, tmp_path)
    touches_then = _count(backup, "touches")
    shutil.copyfile(leftover, sample_copy.with_name(sample_copy.name + "-wal"))  # as a crash or a copy leaves it
    kept = restore(sample_copy, backup)
    assert kept == sample_copy.with_name(sample_copy.name + ".bak")
    assert _companions(sample_copy) == []
    with Store(sample_copy) as s:
        assert s.repos.tx.query("PRAGMA integrity_check")[0][0] == "ok"
    assert _count(sample_copy, "touches") == touches_then
    assert _count(kept, "touches") == touches_then + 300  # the old store, whole, with its own log applied
    assert stat.S_IMODE(sample_copy.stat().st_mode) == 0o600


def test_restore_is_refused_while_the_store_is_open_and_changes_nothing(sample_copy: Path, tmp_path: Path):
    backup = tmp_path / "b.db"
    with Store(sample_copy) as s:
        s.backup(backup)
        before = _count(sample_copy, "touches")
        with pytest.raises(StoreError, match="open in another program"):
            restore(sample_copy, backup)
        assert s.accounts()  # the open store still works
    assert _count(sample_copy, "touches") == before
    assert not sample_copy.with_name(sample_copy.name + ".bak").exists()


def test_a_damaged_or_foreign_backup_is_refused_before_anything_changes(sample_copy: Path, tmp_path: Path):
    damaged = tmp_path / "damaged.db"
    with Store(sample_copy) as s:
        s.backup(damaged)
    before = file_digest(sample_copy)
    data = bytearray(damaged.read_bytes())
    page = 4096
    data[page * 5 : page * 5 + 200] = b"\xff" * 200  # a b-tree page scribbled over
    damaged.write_bytes(bytes(data))
    with pytest.raises(StoreError, match="damaged"):
        restore(sample_copy, damaged)
    with pytest.raises(StoreError, match="not a stakeworks database"):
        restore(sample_copy, _foreign(tmp_path / "places.sqlite"))
    assert file_digest(sample_copy) == before
    assert not sample_copy.with_name(sample_copy.name + ".bak").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_restore_keeps_an_earlier_bak_and_restores_into_a_new_path(sample_copy: Path, tmp_path: Path):
    backup = tmp_path / "b.db"
    with Store(sample_copy) as s:
        s.backup(backup)
    sample_copy.with_name(sample_copy.name + ".bak").write_text("an earlier restore's copy")
    with pytest.raises(InputError, match=r"\.bak exists"):
        restore(sample_copy, backup)
    fresh = tmp_path / "fresh.db"
    fresh.with_name("fresh.db-wal").write_bytes(b"stale log of a deleted store")
    assert restore(fresh, backup) is None
    assert _companions(fresh) == [] and _count(fresh, "accounts") == _count(backup, "accounts")


def test_exports_aimed_at_the_store_are_refused_and_write_nothing(cli, sample_copy: Path, tmp_path: Path):
    assert cli("risk", db_path=sample_copy).code == 0  # opened once: WAL mode, application id
    wal = sample_copy.with_name(sample_copy.name + "-wal")
    before = file_digest(sample_copy)
    for args in (["export", "json", str(sample_copy)], ["export", "contacts", str(sample_copy)],
                 ["export", "accounts", str(wal)], ["map", "Northwind", "-o", str(sample_copy)],
                 ["map", "Northwind", "--format", "svg", "-o", str(sample_copy) + "-shm"],
                 ["backup", str(sample_copy)]):  # fmt: skip
        r = cli(*args, db_path=sample_copy)
        assert r.code == 2, (args, r.err)
        assert ("is the database" in r.err or (args[0] == "backup" and "exists" in r.err)) and "Traceback" not in r.err
    assert file_digest(sample_copy) == before
    old = os.umask(0o022)
    try:
        assert cli("map", "Northwind", "-o", str(tmp_path / "map.md"), db_path=sample_copy).code == 0
        assert cli("export", "json", str(tmp_path / "all.json"), db_path=sample_copy).code == 0
    finally:
        os.umask(old)
    for name in ("map.md", "all.json"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600


def test_exports_and_backups_into_a_folder_that_cannot_be_written_are_one_line(cli, sample_copy: Path):
    unwritable = Path("/sys")  # refuses new files even to root, as a read-only folder does
    for args in (["export", "json", "/sys/x.json"], ["export", "contacts", "/sys/x.csv"], ["backup", "/sys/x.db"],
                 ["map", "Northwind", "-o", "/sys/x.md"], ["export", "json", "/no-such-folder-i19/x.json"]):  # fmt: skip
        r = cli(*args, db_path=sample_copy)
        assert r.code == 2, (args, r.err)
        assert r.err.startswith("stakeworks: cannot write ") and r.err.count("\n") == 1, r.err
        assert "nothing was written" in r.err
    assert not list(unwritable.glob(".x.*"))
