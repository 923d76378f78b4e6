"""`stakeworks restore BACKUP`: put a backup in the store's place, safely (CLI.md revision 2).

Copying a backup over the database by hand goes wrong when the old store's `-wal` is still
beside it: SQLite replays that log, written for the old file, onto the new one. Here:

1. The backup is checked before anything else: a stakeworks store (application id or our
   tables), a schema this version knows, and `PRAGMA integrity_check` ok.
2. It is copied with SQLite's backup API to a temporary owner-only file beside the store, in
   rollback-journal mode (no `-wal` of its own), and checked again there.
3. The old store is switched out of WAL mode, which SQLite allows only when no other
   connection has it open (the app, another command): so nothing can write a log for the old
   file afterwards, and the switch checkpoints and removes the old `-wal`. The old store is
   kept whole as `PATH.bak`.
4. Holding the old store's exclusive lock, the copy is renamed into place; any `-wal`, `-shm`
   or `-journal` left at PATH is removed first, so none can be replayed onto the restored file.

Any failure before step 4 leaves the store exactly as it was.
"""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

from stakeworks.db.connection import BUSY_TIMEOUT_MS, check_file, identify, store_error
from stakeworks.db.schema import LATEST_VERSION
from stakeworks.domain.errors import InputError, StoreError
from stakeworks.interchange.files import COMPANIONS, fsync_file, fsync_folder, new_temp, private_temp


def bak_path(path: Path) -> Path:
    return path.with_name(path.name + ".bak")


def _check(conn: sqlite3.Connection, label: Path, what: str) -> None:
    kind = identify(conn, label)
    if kind == "empty":
        raise StoreError(f"{label} is an empty database, not a stakeworks backup; nothing was changed")
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > LATEST_VERSION:
        raise StoreError(
            f"{label} was written by a newer stakeworks (schema {version}; this version knows up to "
            f"{LATEST_VERSION}); nothing was changed"
        )
    problems = [r[0] for r in conn.execute("PRAGMA integrity_check(5)")]
    if problems != ["ok"]:
        raise StoreError(f"{what} {label} is damaged ({'; '.join(problems)}); nothing was changed")


def restore(path: Path, backup: Path) -> Path | None:
    """Replace the store at `path` with `backup`; the old store's new name (None: there was none)."""
    path, backup = Path(path), Path(backup)
    if not backup.is_file():
        raise InputError(f"{backup}: no such backup file")
    check_file(backup)
    if path.exists() and backup.resolve() == path.resolve():
        raise InputError(f"{backup} is the store itself; give a backup file")
    old = bak_path(path)
    if path.exists():
        check_file(path)
        if old.exists():
            raise InputError(f"{old} exists (an earlier restore's copy of the store); move it away first")
    temp = new_temp(path)
    try:
        _copy_checked(backup, temp)
        fsync_file(temp)
        if path.exists():
            _swap(path, temp, old)
        else:
            _clear_companions(path)
            temp.replace(path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
    fsync_folder(path.parent)
    return old if old.exists() else None


def _copy_checked(backup: Path, temp: Path) -> None:
    """The backup, checked, copied into `temp` (rollback-journal mode: no -wal) and checked again."""
    try:
        source = sqlite3.connect(f"{backup.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise store_error(exc, backup) from None
    try:
        _check(source, backup, "the backup")
        copy = sqlite3.connect(temp, isolation_level=None)
        try:
            source.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE")
            _check(copy, backup, "the copy of")
        finally:
            copy.close()
    except sqlite3.DatabaseError as exc:
        raise store_error(exc, backup) from None
    finally:
        source.close()


def _swap(path: Path, temp: Path, old: Path) -> None:
    conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        identify(conn, path)  # never replace another application's file
        try:
            mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
        except sqlite3.OperationalError:
            mode = "busy"
        if mode != "delete":
            raise StoreError(
                f"{path} is open in another program (the app, or another command); close it and try again; "
                "nothing was changed"
            )
        with private_temp(old, exclusive=True) as keep:
            kept = sqlite3.connect(keep)
            try:
                conn.backup(kept)
            finally:
                kept.close()
        try:
            conn.execute("BEGIN EXCLUSIVE")  # nobody reads or writes the old file while it is replaced
        except sqlite3.OperationalError as exc:
            raise StoreError(f"{path} is in use by another program ({exc}); nothing was changed") from None
        _clear_companions(path, keep_journal=True)
        temp.replace(path)
        conn.execute("ROLLBACK")
    except sqlite3.DatabaseError as exc:
        raise store_error(exc, path) from None
    finally:
        conn.close()


def _clear_companions(path: Path, *, keep_journal: bool = False) -> None:
    """Remove a `-wal`/`-shm` (and `-journal`) beside `path`: written for another file, never replayed."""
    for suffix in COMPANIONS[1:]:
        if keep_journal and suffix == "-journal":
            continue
        with contextlib.suppress(FileNotFoundError):
            path.with_name(path.name + suffix).unlink()
