"""Opening, migrating and transacting on a stakeworks SQLite file.

Every way a file can be unusable becomes a StoreError with one line for the
user (CLI exit 3); every write goes through `transaction()`.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol, TypeGuard

from stakeworks.db.actor import Actor
from stakeworks.db.actor import default as actor_default
from stakeworks.db.schema import LATEST_VERSION, MIGRATIONS
from stakeworks.db.team import Refused
from stakeworks.domain.errors import InputError, NotPermitted, Refusal, ServerUnreachable, StoreError
from stakeworks.interchange.files import private_temp

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000
APPLICATION_ID = 0x53574B53  # "SWKS" in the file header (offset 68): this file is a stakeworks store
# What a store written before the application id existed holds (schema 1 onwards).
OUR_TABLES = frozenset({"meta", "accounts", "contacts", "contact_roles", "touches", "executives"})
# Trigger messages that are domain refusals rather than bad input.
_REFUSALS = ("sponsor over capacity", "executive is retired", "an influence line joins two contacts of its own account")


class Cursor(Protocol):
    """What the repositories read off a statement's result, on either backend."""

    @property
    def rowcount(self) -> int: ...
    @property
    def lastrowid(self) -> int | None: ...
    @property
    def description(self) -> Any: ...
    def fetchone(self) -> Any: ...
    def fetchall(self) -> list[Any]: ...
    def __iter__(self) -> Iterator[Any]: ...


class Connection(Protocol):
    """The one connection the repositories speak to: `sqlite3.Connection` for a file, and
    `db/postgres.py`'s `PgConnection` for a team store, which answers in SQLite's SQL and errors."""

    @property
    def in_transaction(self) -> bool: ...
    @property
    def total_changes(self) -> int: ...
    def execute(self, sql: str, parameters: Sequence[Any] | Mapping[str, Any] = ..., /) -> Cursor: ...
    def executemany(self, sql: str, parameters: Iterable[Sequence[Any]], /) -> Cursor: ...
    def close(self) -> None: ...


class ServerConnection(Connection, Protocol):
    """A team store's connection (db/postgres.py `PgConnection`): also says who writes."""

    @property
    def raw(self) -> Any:
        """The driver's own connection (psycopg's)."""
        ...

    def say_who(self, user: str, at: str, recording: bool) -> None: ...

    def run_together(self, statements: Sequence[tuple[str, tuple[Any, ...]]]) -> list[list[Any]]:
        """The rows of several reads sent at once: one wait for the server, not one each."""
        ...


SERVER_GONE = "the server went away"
"""How db/postgres.py words a broken connection to the team server (as a sqlite3 error)."""


def on_server(conn: Connection) -> TypeGuard[ServerConnection]:
    return bool(getattr(conn, "is_postgres", False))


@contextmanager
def page_cache(c: Connection, size: int) -> Iterator[None]:
    """SQLite's page cache at `size` (PRAGMA cache_size: negative KiB, positive pages) for the
    block, then as it was: a bulk write's indexes stay in memory (a server keeps its own)."""
    if on_server(c):
        yield
        return
    before = c.execute("PRAGMA cache_size").fetchone()[0]
    c.execute(f"PRAGMA cache_size = {int(size)}")
    try:
        yield
    finally:
        c.execute(f"PRAGMA cache_size = {int(before)}")


def check_file(path: Path) -> None:
    """Refuse anything that is not a SQLite file (or an empty/new one), and a path the system
    will not let us look at (a folder we may not read), in one line each."""
    try:
        if path.is_dir():
            raise StoreError(f"{path} is a directory, not a database file")
        if not path.exists():
            return
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        raise StoreError(f"cannot read {path}: {exc.strerror or exc}") from None
    if head and head != SQLITE_MAGIC:
        raise StoreError(f"{path} is not a stakeworks database (not a SQLite file)")


def _create_private(path: Path, *, make_parents: bool) -> None:
    """Create the file owner-only: contact maps hold personal data."""
    if make_parents:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    elif not path.parent.is_dir():
        raise StoreError(f"cannot create {path}: the folder {path.parent} does not exist")
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
    os.close(fd)


def missing_store(path: Path) -> StoreError:
    return StoreError(f"no database at {path}; create it with `stakeworks init {path}` or by importing")


def identify(conn: sqlite3.Connection, path: Path) -> str:
    """What the open file is, read without writing a byte: "ours" (our application id, or a
    store written before it existed), "empty" (no tables at all: a new store), else a
    StoreError saying it is another application's file, so nothing touches it."""
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    if app_id == APPLICATION_ID:
        return "ours"
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")}
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if app_id == 0 and not tables and version == 0:
        return "empty"
    if app_id == 0 and version > 0 and tables >= OUR_TABLES:
        return "ours"
    what = f"application id {app_id:#x}" if app_id else f"{len(tables)} table(s) of its own"
    raise StoreError(
        f"{path} is not a stakeworks database (a SQLite file of another application: {what}); nothing was changed"
    )


def connect(
    path: Path,
    *,
    create: bool = True,
    make_parents: bool = True,
    backup_before_migrate: bool = True,
) -> sqlite3.Connection:
    """Open (and migrate) the store at `path`.

    `create`: a missing file (or an empty one) becomes a new store (CLI.md: only `init`, an
    import and the app on its default path do); `make_parents`: missing folders are created
    too (only for the default path). Another application's SQLite file is refused before
    anything is written to it: no journal mode, no tables, no version.
    """
    path = Path(path)
    check_file(path)  # after it, looking at the path raises nothing
    if not path.exists():
        if not create:
            raise missing_store(path)
        try:
            _create_private(path, make_parents=make_parents)
        except OSError as exc:
            raise StoreError(f"cannot create {path}: {exc.strerror}") from None
    try:
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        raise store_error(exc, path) from None
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        kind = identify(conn, path)
        if kind == "empty" and not create:
            raise missing_store(path)
        conn.execute("PRAGMA foreign_keys = ON")
        # 16 MB: a 200,000-contact import is as fast as with 64, and the app holds 28 MB less.
        conn.execute("PRAGMA cache_size = -16384")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > LATEST_VERSION:
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
        if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")  # new, or written before the id existed
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise store_error(exc, path) from None
    except BaseException:
        conn.close()
        raise
    return conn


def _migrate(conn: sqlite3.Connection, version: int) -> None:
    for number, step in enumerate(MIGRATIONS[version:], start=version + 1):
        if isinstance(step, str):
            # executescript commits first; wrap each step so it lands whole.
            conn.executescript(f"BEGIN IMMEDIATE;\n{step}\nPRAGMA user_version = {number};\nCOMMIT;")
            continue
        # A step that rebuilds a table runs with foreign keys off (SQLite's own
        # procedure: the pragma is a no-op inside a transaction, so it is set
        # before BEGIN) and must leave every reference intact before it commits.
        conn.execute("PRAGMA foreign_keys = OFF")
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                step(conn)
                broken = conn.execute("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise sqlite3.DatabaseError(f"schema step {number} would break {len(broken)} references")
                conn.execute(f"PRAGMA user_version = {number}")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        finally:
            conn.execute("PRAGMA foreign_keys = ON")


def backup_to(conn: sqlite3.Connection, target: Path, *, exclusive: bool = False) -> None:
    """SQLite's online backup, consistent even while others write, into a file that is
    owner-only from its first byte and appears whole or not at all (interchange/files.py):
    a failed backup leaves nothing behind to block the next one."""
    with private_temp(target, exclusive=exclusive) as temp:
        dest = sqlite3.connect(temp)
        try:
            conn.backup(dest)
            dest.execute("PRAGMA journal_mode = DELETE")  # one self-contained file, no -wal beside it
        except sqlite3.Error as exc:
            raise store_error(exc, target) from None
        finally:
            dest.close()


def store_error(exc: sqlite3.Error, path: Path | str = "the database") -> StoreError:
    text = str(exc)
    if text.startswith(SERVER_GONE):  # db/postgres.py: the connection to the team server broke
        why = text.removeprefix(SERVER_GONE).lstrip(": ")
        return ServerUnreachable(f"server unreachable ({why}): nothing was written to {path}")
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

    def __init__(self, conn: Connection, path: Path | str) -> None:
        self.conn = conn
        self.path = path
        self.lock = threading.RLock()
        self._depth = 0
        self.actor: Actor | None = None  # None: the process's (db/actor.py)
        self.server = conn if on_server(conn) else None
        """The team store's connection (the same object as `conn`), None on a file."""
        self.on_server = self.server is not None
        self.recording = True  # False only while a load (import json, copy) writes someone else's history
        self._collected: list[tuple[str, tuple[Any, ...]]] | None = None  # reads noted, not run (read_ahead)
        self._ahead: dict[tuple[str, tuple[Any, ...]], deque[list[Any]]] = {}  # their rows, taken once each

    @contextmanager
    def unrecorded(self) -> Iterator[None]:
        """Transactions opened inside write no history: a load brings its own."""
        with self.lock:
            self.recording = False
            try:
                yield
            finally:
                self.recording = True

    def _begin(self) -> None:
        """Open the write transaction and say who writes in it, first (db/history.py)."""
        self.conn.execute("BEGIN IMMEDIATE")  # on a server: BEGIN and the writers' lock (db/postgres.py)
        actor = self.actor or actor_default()
        who, at = (actor.user, actor.stamp()) if self.recording else ("", "")
        if self.server is not None:
            self.server.say_who(who, at, self.recording)
        else:
            self.conn.execute("UPDATE history_actor SET who = ?, at = ?, recording = ?", (who, at, int(self.recording)))

    def query(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[Any]:
        """Rows of one read, under the lock (a worker thread may be writing)."""
        with self.lock:
            if self._collected is not None or self._ahead:
                key = _ahead_key(sql, params)
                if self._collected is not None:
                    if key is not None:
                        self._collected.append(key)
                    return []
                if key is not None and not self._depth and (ready := self._ahead.get(key)):
                    return ready.popleft()
            try:
                return self.conn.execute(sql, params).fetchall()
            except sqlite3.ProgrammingError as exc:  # closed under us: the app is quitting
                raise StoreError(f"{self.path} is closed ({exc})") from None
            except sqlite3.DatabaseError as exc:
                raise store_error(exc, self.path) from None

    @contextmanager
    def read_ahead(self, reads: Iterable[Callable[[], object]]) -> Iterator[None]:
        """On a team server: the statements of `reads` (each run once with no rows, to note
        them) go to the server together, and the same reads inside the block take their rows
        from there, one round trip instead of one a statement. Holds the lock for the block, so
        no other thread's write comes between. A read that depends on another's rows (roles of
        the contacts read) is not noted and goes on its own; a transaction reads afresh."""
        if self.server is None:  # a file has no round trips to save
            yield
            return
        with self.lock:
            if self._collected is not None or self._ahead:  # nested: the outer block's
                yield
                return
            self._collected = []
            try:
                for read in reads:
                    with contextlib.suppress(Exception):  # no rows: "no account with id 7" is expected
                        read()
                statements = [k for k in dict.fromkeys(self._collected) if k[0].lstrip()[:6].upper() == "SELECT"]
            finally:
                self._collected = None
            with contextlib.suppress(sqlite3.Error):  # the reads then go one by one, and say what is wrong
                for key, rows in zip(statements, self.server.run_together(statements), strict=True):
                    self._ahead.setdefault(key, deque()).append(rows)
            try:
                yield
            finally:
                self._ahead.clear()

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """BEGIN IMMEDIATE ... COMMIT; any error rolls everything back.

        Nested calls join the outer transaction, so a service can compose
        store calls into one atomic write.
        """
        with self.lock:
            if self._collected is not None:  # a read being noted would write: it is left out
                raise StoreError("a write while reads are being noted (Transactor.read_ahead)")
            if self._depth:
                self._depth += 1
                try:
                    yield self.conn
                finally:
                    self._depth -= 1
                return
            self._ahead.clear()  # rows read ahead are from before this write
            try:
                self._begin()
            except sqlite3.Error as exc:
                self._rollback()
                raise store_error(exc, self.path) from None
            self._depth = 1
            try:
                yield self.conn
            except BaseException as exc:
                self._depth = 0
                self._rollback()
                if isinstance(exc, sqlite3.IntegrityError):
                    raise integrity_error(exc) from None
                if isinstance(exc, sqlite3.Error):
                    raise store_error(exc, self.path) from None
                raise
            self._depth = 0
            try:
                self.conn.execute("COMMIT")
            except sqlite3.Error as exc:
                self._rollback()
                raise store_error(exc, self.path) from None

    def _rollback(self) -> None:
        """Undo what the transaction wrote; a server that went away has undone it already."""
        if not self.conn.in_transaction:
            return
        try:
            self.conn.execute("ROLLBACK")
        except sqlite3.Error:
            if not self.on_server:
                raise


def _ahead_key(sql: str, params: Sequence[Any] | dict[str, Any]) -> tuple[str, tuple[Any, ...]] | None:
    """A read's key among those read ahead; None for one that is not (named or unhashable values)."""
    if isinstance(params, dict):
        return None
    key = (sql, tuple(params))
    try:
        hash(key)
    except TypeError:
        return None
    return key


def integrity_error(exc: sqlite3.IntegrityError) -> Refusal | InputError:
    """The error the store's callers handle: a refusal (exit 1) or bad input (exit 2)."""
    text = str(exc)
    if isinstance(exc, Refused):  # the team store's permissions (db/team.py)
        return NotPermitted(text)
    if any(r in text for r in _REFUSALS):
        return Refusal(text)
    if "UNIQUE constraint failed: accounts.name" in text:
        return InputError("an account with that name already exists (two may share a name only with different CRM ids)")
    if "UNIQUE constraint failed: accounts.crm" in text:
        return InputError("an account with that CRM id already exists")
    if "UNIQUE constraint failed: contacts.crm" in text:
        return InputError("a contact with that CRM id already exists")
    if "UNIQUE constraint failed: executives.name" in text:
        return InputError("an executive with that name already exists")
    if "sponsor_reviews_one_pending" in text or "sponsor_reviews.account_id" in text:
        return Refusal("that account (with that executive) is already waiting in the review queue")
    if "sponsor_one_active_pair" in text or "sponsor_assignments.executive_id" in text:
        return Refusal("that executive already sponsors that account")
    return InputError(f"refused by the store: {text}")
