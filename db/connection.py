"""Opening, migrating and transacting on a stakeworks SQLite file.

Every way a file can be unusable becomes a StoreError with one line for the
user (CLI exit 3); every write goes through `transaction()`.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from stakeworks.db.schema import LATEST_VERSION, MIGRATIONS
from stakeworks.domain.errors import InputError, Refusal, StoreError

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000
# Trigger messages that are domain refusals rather than bad input.
_REFUSALS = ("sponsor over capacity", "executive is retired")


def check_file(path: Path) -> None:
    """Refuse anything that is not a SQLite file (or an empty/new one)."""
    if path.is_dir():
        raise StoreError(f"{path} is a directory, not a database file")
    if path.exists():
        try:
            with path.open("rb") as fh:
                head = fh.read(16)
        except OSError as exc:
            raise StoreError(f"cannot read {path}: {exc.strerror}") from None
        if head and head != SQLITE_MAGIC:
            raise StoreError(f"{path} is not a stakeworks database (not a SQLite file)")


def _create_private(path: Path) -> None:
    """Create the file owner-only: contact maps hold personal data."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
    os.close(fd)


def connect(path: Path, *, create: bool = True, backup_before_migrate: bool = True) -> sqlite3.Connection:
    path = Path(path)
    check_file(path)
    if not path.exists():
        if not create:
            raise StoreError(f"{path} does not exist")
        try:
            _create_private(path)
        except OSError as exc:
            raise StoreError(f"cannot create {path}: {exc.strerror}") from None
    try:
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000)
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA cache_size = -65536")  # 64 MB: big imports and portfolio reads stay in memory
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > LATEST_VERSION:
            conn.close()
            raise StoreError(
                f"{path} was written by a newer stakeworks (schema {version}; "
                f"this version knows up to {LATEST_VERSION})"
            )
        if os.access(path, os.W_OK):
            # Another writer may hold the file: then stay in its journal mode; writes still wait their turn.
            with contextlib.suppress(sqlite3.OperationalError):
                conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
        if version < LATEST_VERSION:
            if version > 0 and backup_before_migrate:
                backup_to(conn, path.with_name(f"{path.name}.v{version}.bak"))
            _migrate(conn, version)
    except sqlite3.DatabaseError as exc:
        raise store_error(exc, path) from None
    return conn


def _migrate(conn: sqlite3.Connection, version: int) -> None:
    for number, step in enumerate(MIGRATIONS[version:], start=version + 1):
        if isinstance(step, str):
            # executescript commits first; wrap each step so it lands whole.
            conn.executescript(f"BEGIN IMMEDIATE;\n{step}\nPRAGMA user_version = {number};\nCOMMIT;")
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            step(conn)
            conn.execute(f"PRAGMA user_version = {number}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise


def backup_to(conn: sqlite3.Connection, target: Path) -> None:
    """SQLite's online backup: consistent even while others write."""
    dest = sqlite3.connect(target)
    try:
        conn.backup(dest)
    finally:
        dest.close()
    os.chmod(target, 0o600)


def store_error(exc: sqlite3.Error, path: Path | str = "the database") -> StoreError:
    text = str(exc)
    if "not a database" in text or "malformed" in text:
        return StoreError(f"{path} is damaged or not a SQLite database ({text})")
    if "readonly" in text or "read-only" in text:
        return StoreError(f"{path} is read-only: nothing was written")
    if "locked" in text or "busy" in text:
        return StoreError(f"{path} is locked by another program; try again")
    if "full" in text:
        return StoreError(f"the disk holding {path} is full: nothing was written")
    return StoreError(f"{path}: {text}")


class Transactor:
    """One connection shared by threads, one writer at a time: what every repository holds."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path
        self.lock = threading.RLock()
        self._depth = 0

    def query(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[Any]:
        """Rows of one read, under the lock (a worker thread may be writing)."""
        with self.lock:
            try:
                return self.conn.execute(sql, params).fetchall()
            except sqlite3.ProgrammingError as exc:  # closed under us: the app is quitting
                raise StoreError(f"{self.path} is closed ({exc})") from None
            except sqlite3.DatabaseError as exc:
                raise store_error(exc, self.path) from None

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT; any error rolls everything back.

        Nested calls join the outer transaction, so a service can compose
        store calls into one atomic write.
        """
        with self.lock:
            if self._depth:
                self._depth += 1
                try:
                    yield self.conn
                finally:
                    self._depth -= 1
                return
            try:
                self.conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise store_error(exc, self.path) from None
            self._depth = 1
            try:
                yield self.conn
            except BaseException as exc:
                self._depth = 0
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.IntegrityError):
                    raise integrity_error(exc) from None
                if isinstance(exc, sqlite3.Error):
                    raise store_error(exc, self.path) from None
                raise
            self._depth = 0
            try:
                self.conn.execute("COMMIT")
            except sqlite3.Error as exc:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise store_error(exc, self.path) from None


def integrity_error(exc: sqlite3.IntegrityError) -> Refusal | InputError:
    text = str(exc)
    if any(r in text for r in _REFUSALS):
        return Refusal(text)
    if "UNIQUE constraint failed: accounts.name" in text:
        return InputError("an account with that name already exists")
    if "UNIQUE constraint failed: executives.name" in text:
        return InputError("an executive with that name already exists")
    if "sponsor_one_active_pair" in text or "sponsor_assignments.executive_id" in text:
        return Refusal("that executive already sponsors that account")
    return InputError(f"refused by the store: {text}")
