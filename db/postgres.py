"""The team store: the same store on a PostgreSQL server (CLI.md "Team store").

The repositories speak one SQL, SQLite's, through a DB-API connection. On a server they get a
`PgConnection` instead: the same calls (`execute`, `executemany`, `in_transaction`, cursors
with `lastrowid` and `rowcount`), each statement translated once (placeholders, INSERT OR
IGNORE/REPLACE, the few functions the dialects spell differently) and each error raised as
the sqlite3 error it means, so every rule, refusal and message is the file's. What a file
does with PRAGMAs (the schema version, a table's columns, deferred references) the server
does with its own means.

Writers take one advisory lock per database, as a file's BEGIN IMMEDIATE does: the rules the
engine enforces (three sponsorships an executive, no reports-to cycles, the importer's ids)
then hold under any number of concurrent writers, while readers never wait.
"""

from __future__ import annotations

import itertools
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from stakeworks.db.connection import SERVER_GONE
from stakeworks.db.team import Refused
from stakeworks.domain.errors import ServerUnreachable, StoreError
from stakeworks.domain.words import plural

COPY_FROM = 50  # rows: from here a plain bulk INSERT is sent as COPY
GENERIC_PLANS = "force_generic_plan"  # plan_cache_mode for the reads run_together prepares
WRITE_LOCK = 0x53574B53  # "SWKS": pg_advisory_xact_lock key every writer takes
TABLES_WITH_ID = frozenset({
    "accounts", "contacts", "touches", "executives", "sponsor_assignments", "plan_items", "playbook_tasks",
    "sponsor_reviews", "signals", "history", "influences",
})  # fmt: skip
# INSERT OR REPLACE needs the key it replaces on.
REPLACE_KEYS = {"meta": ("key",), "verdict_cache": ("account_id",), "score_history": ("account_id", "day")}


def is_url(location: object) -> bool:
    return isinstance(location, str) and location.startswith(("postgresql://", "postgres://"))


def shown(url: str) -> str:
    """The URL for messages: never a password, even one typed into it."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return urlunsplit(parts._replace(netloc=netloc))


# -- statements --------------------------------------------------------------------

_TOKEN = re.compile(r"'(?:[^']|'')*'|\"[^\"]*\"|\?|%|(?<![:\w]):([A-Za-z_]\w*)|[^'\"?%:]+|:")


@lru_cache(maxsize=1024)
def translate(sql: str, *, returning: bool = False) -> str:
    """One statement from SQLite's SQL to PostgreSQL's."""
    out = []
    for m in _TOKEN.finditer(sql):
        token = m.group(0)
        if token == "?":
            out.append("%s")
        elif token == "%":
            out.append("%%")
        elif m.group(1):
            out.append(f"%({m.group(1)})s")
        elif token.startswith("'"):
            out.append(token.replace("%", "%%"))  # the driver reads % inside literals too
        else:
            out.append(token)
    text = "".join(out)
    text = re.sub(r"\bmain\.", "", text)
    text = text.replace("temp.undo_log", "pg_temp.undo_log")
    text = text.replace("date('now')", "to_char(current_date, 'YYYY-MM-DD')")
    text = re.sub(r"(?<![\w.])date\(", "sw_date(", text)  # date(day, '+N days'): db/postgres_schema.py
    text = re.sub(r"group_concat\(", "string_agg(", text)
    text = re.sub(r"(?<![\w.])instr\(", "strpos(", text)  # same arguments, same 1-based answer
    text = re.sub(r"([\w.]+) = (%s) COLLATE NOCASE", r"lower(\1) = lower(\2)", text)
    head = re.match(r"\s*INSERT OR (IGNORE|REPLACE) INTO (\w+)\s*\(([^)]*)\)", text, re.I)
    if head:
        kind, table, cols = head.group(1).upper(), head.group(2), [c.strip() for c in head.group(3).split(",")]
        text = "INSERT INTO" + text[head.start(2) - 1 :]
        if kind == "IGNORE":
            text += " ON CONFLICT DO NOTHING"
        else:
            keys = REPLACE_KEYS[table]
            sets = ", ".join(f"{c} = EXCLUDED.{c}" for c in cols if c not in keys)
            text += f" ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {sets}"
    if returning:
        text += " RETURNING id"
    return text


_DRIVER_MARK = re.compile(r"%%|%s|%\(")


@lru_cache(maxsize=256)
def numbered(sql: str) -> str:
    """A read in the server's own notation, for PREPARE: its ? as $1, $2... (and % as itself)."""
    count = itertools.count(1)

    def mark(m: re.Match[str]) -> str:
        if m.group(0) == "%(":
            raise ValueError("named parameters are not prepared")
        return "%" if m.group(0) == "%%" else f"${next(count)}"

    return _DRIVER_MARK.sub(mark, _plan(sql).text)


@dataclass(frozen=True, slots=True)
class Plan:
    """What a statement is, worked out once per statement text."""

    kind: str  # pragma, begin, end (COMMIT, ROLLBACK), other
    text: str  # PostgreSQL's
    table: str  # the table an INSERT writes, else ""
    returning: bool  # an INSERT whose new id the caller may read (lastrowid)
    explicit_id: bool  # an INSERT that names its ids: the id counter must move past them
    copy_columns: str = ""  # a plain INSERT INTO t (cols) VALUES (?, ...): its columns, for COPY


@lru_cache(maxsize=2048)
def _plan(sql: str) -> Plan:
    head = sql.lstrip()[:6].upper()
    if head == "PRAGMA":
        return Plan("pragma", sql, "", False, False)
    if re.match(r"\s*BEGIN\b", sql, re.I):
        return Plan("begin", sql, "", False, False)
    if re.match(r"\s*(COMMIT|ROLLBACK|END)\s*$", sql, re.I):
        return Plan("end", sql, "", False, False)
    table = _insert_table(sql) or ""
    upper = sql.upper()
    returning = table in TABLES_WITH_ID and "RETURNING" not in upper and "SELECT" not in upper
    explicit = bool(table) and table in TABLES_WITH_ID and _explicit_id(sql)
    plain = re.fullmatch(r"\s*INSERT INTO (?:main\.)?\w+\s*\(([^)]*)\)\s*VALUES\s*\((?:\s*\?\s*,?)+\)\s*", sql, re.I)
    columns = plain.group(1) if plain else ""
    return Plan("other", translate(sql, returning=returning), table, returning, explicit, columns)


def _insert_table(sql: str) -> str | None:
    m = re.match(r"\s*INSERT (?:OR \w+ )?INTO (?:main\.)?(\w+)", sql, re.I)
    return m.group(1) if m else None


def _explicit_id(sql: str) -> bool:
    m = re.match(r"\s*INSERT (?:OR \w+ )?INTO [\w.]+\s*\(([^)]*)\)", sql, re.I)
    return m is not None and "id" in [c.strip() for c in m.group(1).split(",")]


# -- errors ------------------------------------------------------------------------

# Our unique constraints by their names on the server, as a file's error names them.
_UNIQUE = {
    "accounts_name_crm_id": "accounts.name, accounts.crm_id",
    "accounts_crm_id": "accounts.crm, accounts.crm_id",
    "contacts_crm_id": "contacts.crm, contacts.crm_id",
    "executives_name_key": "executives.name",
    "sponsor_one_active_pair": "sponsor_assignments.executive_id, sponsor_assignments.account_id",
    "sponsor_reviews_one_pending": "index 'sponsor_reviews_one_pending'",
}


def as_sqlite_error(exc: Exception) -> sqlite3.Error:
    """The sqlite3 error a file would have raised: what the store's callers already handle."""
    import psycopg
    from psycopg import errors as pe

    diag = getattr(exc, "diag", None)
    text = (getattr(diag, "message_primary", None) or str(exc)).strip()
    table = getattr(diag, "table_name", None) or ""
    if isinstance(exc, pe.InsufficientPrivilege):
        return Refused(text)
    if isinstance(exc, pe.UniqueViolation):
        name = getattr(diag, "constraint_name", None) or ""
        return sqlite3.IntegrityError(f"UNIQUE constraint failed: {_UNIQUE.get(name, name)}")
    if isinstance(exc, pe.ForeignKeyViolation):
        return sqlite3.IntegrityError("FOREIGN KEY constraint failed")
    if isinstance(exc, pe.NotNullViolation):
        return sqlite3.IntegrityError(f"NOT NULL constraint failed: {table}.{getattr(diag, 'column_name', '')}")
    if isinstance(exc, pe.CheckViolation):
        return sqlite3.IntegrityError(f"CHECK constraint failed: {getattr(diag, 'constraint_name', '') or text}")
    if isinstance(exc, pe.RaiseException):  # our triggers' refusals: 'sponsor over capacity', ...
        return sqlite3.IntegrityError(text)
    if isinstance(exc, psycopg.DataError):
        return sqlite3.IntegrityError(f"CHECK constraint failed: {text}")
    if isinstance(exc, pe.LockNotAvailable | pe.QueryCanceled | pe.DeadlockDetected | pe.SerializationFailure):
        return sqlite3.OperationalError(f"database is locked ({text})")
    if isinstance(exc, psycopg.OperationalError | psycopg.InterfaceError):
        first = text.splitlines()[0].strip() if text else type(exc).__name__
        return sqlite3.OperationalError(f"{SERVER_GONE}: {first}")
    return sqlite3.DatabaseError(text)


# -- the connection ------------------------------------------------------------------


class PgCursor:
    """What callers read off a sqlite3 cursor."""

    def __init__(self, rows: list[tuple[Any, ...]] | None, rowcount: int, source: Any, lastrowid: int | None) -> None:
        self._rows = rows or []
        self._at = 0
        self.rowcount = rowcount
        self._source = source  # the driver's cursor: its description is built only when asked
        self.lastrowid = lastrowid

    @property
    def description(self) -> Any:
        # Building it makes an object per column: a third of a short query's time if done always.
        return self._source.description if self._source is not None else None

    def fetchone(self) -> tuple[Any, ...] | None:
        if self._at >= len(self._rows):
            return None
        self._at += 1
        return self._rows[self._at - 1]

    def fetchall(self) -> list[tuple[Any, ...]]:
        rest, self._at = self._rows[self._at :], len(self._rows)
        return rest

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        return iter(self.fetchall())


class PgConnection:
    """A psycopg connection that answers like sqlite3's, for the repositories."""

    is_postgres = True

    def __init__(self, conn: Any, url: str) -> None:
        self.raw = conn
        self.url = url
        self.total_changes = 0
        self.member: Any = None  # who logged in, as the team knows them (db/team.py), once the store is open
        self.may_copy = True  # COPY FROM is refused on tables under row-level security
        self.writing = False  # between our BEGIN and its COMMIT or ROLLBACK: never reconnect inside
        self._reads: dict[str, str] = {}  # the statements run_together prepared on this session, by text
        self._read_names = itertools.count(1)

    def _error(self, exc: Exception) -> sqlite3.Error:
        """The sqlite3 error it means; a table the person's role may not write, in their words."""
        error = as_sqlite_error(exc)
        table = re.match(r"permission denied for table (\w+)", str(error))
        if table and self.member is not None:
            from stakeworks.db.team import WHO_WRITES

            me = self.member
            return Refused(
                f"{me.name} ({me.role}) may not change {table.group(1).replace('_', ' ')}: "
                f"{WHO_WRITES.get(table.group(1), 'an admin does')}"
            )
        return error

    @property
    def in_transaction(self) -> bool:
        from psycopg.pq import TransactionStatus

        return bool(self.raw.info.transaction_status != TransactionStatus.IDLE)

    def close(self) -> None:
        self.raw.close()

    @property
    def lost(self) -> bool:
        """The connection broke (the server stopped or restarted): a new one is needed."""
        return bool(self.raw.broken)

    def alive(self) -> bool:
        """Whether the server still answers on this connection (one round trip)."""
        if self.lost:
            return False
        try:
            self.raw.execute("SELECT 1")
        except Exception:
            return False
        return True

    def renew(self, fresh: PgConnection | None = None) -> None:
        """Carry on over a new connection (`fresh`, else one opened now), as the same person:
        raises ServerUnreachable while the server is away. Never inside a transaction of ours,
        whose writes the server has already undone."""
        fresh = fresh or reopen(self.url)
        old, self.raw = self.raw, fresh.raw
        self.member, self.may_copy, self.writing = fresh.member, fresh.may_copy, False
        self._reads.clear()  # prepared on the old session
        old.close()

    def _pragma(self, sql: str) -> PgCursor | None:
        m = re.match(r"\s*PRAGMA\s+(?:main\.)?(\w+)\s*(?:\((\w+)\)|=\s*(\w+))?", sql, re.I)
        if not m:
            return None
        name, arg = m.group(1).lower(), m.group(2)
        if name == "user_version":
            return self.execute("SELECT version FROM stakeworks_schema")
        if name == "table_info":
            rows = self.raw.execute(
                "SELECT ordinal_position - 1, column_name, data_type, (is_nullable = 'NO')::int, column_default, 0 "
                "FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = %s "
                "ORDER BY ordinal_position",
                (arg,),
            ).fetchall()
            kinds = {"bigint": "INTEGER", "integer": "INTEGER", "double precision": "REAL", "text": "TEXT"}
            return PgCursor([(r[0], r[1], kinds.get(r[2], r[2].upper()), *r[3:]) for r in rows], len(rows), None, None)
        if name == "defer_foreign_keys":
            self.raw.execute("SET CONSTRAINTS ALL DEFERRED")
        return PgCursor([], 0, None, None)  # journal modes, caches: the server's business

    def execute(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> PgCursor:
        plan = _plan(sql)
        if plan.kind == "pragma":
            done = self._pragma(sql)
            if done is not None:
                return done
        if plan.kind == "begin":
            return self.begin()
        if plan.kind == "end":
            self.writing = False
        elif self.lost and not self.writing:  # a read after the server came back: on a new connection
            self._renew_or_fail()
        try:
            # The driver prepares a statement on the server once it has run a few times.
            cur = self.raw.execute(plan.text, params)
            result = cur.pgresult
            rows = cur.fetchall() if result is not None and result.nfields else None
        except Exception as exc:
            raise self._error(exc) from None
        lastrowid = None
        source = cur if rows is not None else None
        if plan.returning:
            lastrowid = rows[0][0] if rows else None
            rows, source = None, None
        if plan.explicit_id:
            self._advance(plan.table)
        self.total_changes += max(cur.rowcount, 0)
        return PgCursor(rows, cur.rowcount, source, lastrowid)

    def run_together(self, statements: Sequence[tuple[str, tuple[Any, ...]]]) -> list[list[Any]]:
        """The rows of several reads, sent as one message: the server wakes once, runs them all
        and answers them together (issue 36). Each read is a statement prepared on this session
        at its first use (PREPARE), run with its values (EXECUTE, quoted by the driver), planned
        once for any values. The driver's pipeline mode sent each statement on its own (nine
        sends, the server woken for each): 0.42 ms of the account screen's 0.98, now 0.2."""
        if self.lost or self.writing:
            raise sqlite3.OperationalError("reads go one by one on a connection being renewed or writing")
        try:
            try:
                return self._run_prepared(statements)
            except Exception as exc:
                if not self._statements_gone(exc):
                    raise
                return self._run_prepared(statements)  # prepared again, once
        except Exception as exc:
            raise self._error(exc) from None

    def _statements_gone(self, exc: Exception) -> bool:
        """The server forgot this session's prepared reads (the driver deallocates every prepared
        statement after a ROLLBACK or a DROP): they are made again. Any failure forgets them, as
        one that made some of them leaves the rest unknown."""
        from psycopg import errors as pe

        self._reads.clear()
        return isinstance(exc, pe.InvalidSqlStatementName)

    def _run_prepared(self, statements: Sequence[tuple[str, tuple[Any, ...]]]) -> list[list[Any]]:
        from psycopg import sql

        parts = []
        # Generic plans from the first use (the server would plan each of the first five afresh);
        # SET LOCAL ends with the message's own transaction.
        parts.append(f"SET LOCAL plan_cache_mode = {GENERIC_PLANS}")
        names = []
        for text, _ in statements:
            name = self._reads.get(text)
            if name is None:
                name = self._reads[text] = f"sw_read_{next(self._read_names)}"
                parts.append(f"PREPARE {name} AS {numbered(text)}")
            names.append(name)
        prepared = len(parts)
        for name, (_, params) in zip(names, statements, strict=True):
            values = ", ".join(sql.Literal(v).as_string(self.raw) for v in params)
            parts.append(f"EXECUTE {name}({values})" if params else f"EXECUTE {name}")
        cur = self.raw.cursor()
        cur.execute("; ".join(parts).encode(), prepare=False)
        out = []
        for at in range(len(parts)):
            if at >= prepared:
                out.append(cur.fetchall() if cur.pgresult is not None and cur.pgresult.nfields else [])
            cur.nextset()
        return out

    def executemany(self, sql: str, seq: Iterable[Sequence[Any]]) -> PgCursor:
        params = list(seq)
        if not params:
            return PgCursor([], 0, None, None)
        plan = _plan(sql)
        try:
            with self.raw.cursor() as cur:
                if plan.copy_columns and len(params) >= COPY_FROM and self.may_copy:
                    # A plain bulk INSERT goes in as COPY: the same rows, checks and triggers,
                    # without a statement per row.
                    with cur.copy(f"COPY {plan.table} ({plan.copy_columns}) FROM STDIN") as copy:
                        for row in params:
                            copy.write_row(row)
                    count = len(params)
                else:
                    cur.executemany(plan.text, params)
                    count = cur.rowcount
        except Exception as exc:
            raise self._error(exc) from None
        if plan.explicit_id:
            self._advance(plan.table)
        self.total_changes += max(count, 0)
        return PgCursor([], count, None, None)

    def _advance(self, table: str) -> None:
        """Rows written with their own ids (an import, a load, an undo): the next id the server
        hands out comes after them."""
        self.raw.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), greatest((SELECT max(id) FROM {table}), 1))"
        )

    def begin(self) -> PgCursor:
        """BEGIN and the writers' lock; a connection found broken here (nothing written yet) is
        renewed once, so the first save after a server restart goes through."""
        for attempt in (1, 2):
            if self.lost:
                self._renew_or_fail()
            try:
                # One round trip: no parameters, so both go as one simple query.
                self.raw.execute(f"BEGIN; SELECT pg_advisory_xact_lock({WRITE_LOCK})")
            except Exception as exc:
                if attempt == 1 and self.lost:
                    continue
                raise as_sqlite_error(exc) from None
            self.writing = True
            break
        return PgCursor([], 0, None, None)

    def _renew_or_fail(self) -> None:
        try:
            self.renew()
        except ServerUnreachable as exc:
            raise sqlite3.OperationalError(f"{SERVER_GONE}: {exc.args[0].rsplit(': ', 1)[-1]}") from None
        except StoreError as exc:
            raise sqlite3.OperationalError(f"{SERVER_GONE}: {exc}") from None

    def say_who(self, user: str, at: str, recording: bool) -> None:
        """Who writes in this transaction, for the history's triggers (db/history.py)."""
        self.raw.execute(
            "SELECT set_config('stakeworks.user', %s, true), set_config('stakeworks.at', %s, true), "
            "set_config('stakeworks.history', %s, true)",
            (user, at, "on" if recording else "off"),
        )

    def listen(self) -> None:  # pragma: no cover - used by the app's watcher on its own connection
        self.raw.execute("LISTEN stakeworks")


def _loaders(conn: Any) -> None:
    """Numbers and truth values come back as a file gives them: an int or a float, never a
    Decimal (sum() of integers is numeric on a server) and 1/0, never True/False."""
    from psycopg.adapt import Dumper, Loader
    from psycopg.postgres import types

    class NumericLoader(Loader):
        def load(self, data: Any) -> Any:
            text = bytes(data).decode()
            return float(text) if any(ch in text for ch in ".eEN") else int(text)

    class BoolLoader(Loader):
        def load(self, data: Any) -> Any:
            return 1 if bytes(data) == b"t" else 0

    class BoolDumper(Dumper):
        oid = types["int8"].oid

        def dump(self, obj: Any) -> bytes:
            return b"1" if obj else b"0"

    conn.adapters.register_loader("numeric", NumericLoader)
    conn.adapters.register_loader("bool", BoolLoader)
    conn.adapters.register_dumper(bool, BoolDumper)


def open_server(url: str, *, timeout: int = 10) -> PgConnection:
    """Connect (autocommit: transactions are ours to open), or exit 3 saying why not."""
    try:
        import psycopg
    except ImportError:  # pragma: no cover - psycopg is a dependency
        raise StoreError("the team store needs psycopg (pip install 'psycopg[binary]')") from None
    try:
        raw = psycopg.connect(url, autocommit=True, connect_timeout=timeout, application_name="stakeworks")
    except psycopg.Error as exc:
        reason = str(exc).strip().splitlines()[-1].strip() if str(exc).strip() else type(exc).__name__
        raise ServerUnreachable(f"cannot reach the team store at {shown(url)}: {reason}") from None
    _loaders(raw)
    return PgConnection(raw, url)


RECONNECT_TIMEOUT_S = 3
"""How long one attempt to reach a server that went away may wait (the app retries with backoff)."""


def reopen(url: str) -> PgConnection:
    """A new connection to a store that was open, as the same person (its schema is known)."""
    conn = open_server(url, timeout=RECONNECT_TIMEOUT_S)
    with _closed_on_failure(conn, url):
        _open_as_member(conn)
    return conn


@contextmanager
def _closed_on_failure(conn: PgConnection, url: str) -> Iterator[None]:
    """Close a connection that could not be made ready; say what went wrong as a StoreError."""
    try:
        yield
    except StoreError:
        conn.close()
        raise
    except Exception as exc:
        conn.close()
        raise StoreError(f"{shown(url)}: {as_sqlite_error(exc)}") from None


def connect_server(url: str, *, create: bool) -> PgConnection:
    """Open the team store at `url`: an empty database becomes one only when `create` (init, an
    import); another application's database is refused untouched; an older schema is upgraded."""
    from stakeworks.db import postgres_schema, team
    from stakeworks.db.schema import LATEST_VERSION

    conn = open_server(url)
    with _closed_on_failure(conn, url):
        raw = conn.raw
        ours = raw.execute("SELECT to_regclass('stakeworks_schema') IS NOT NULL").fetchone()[0]
        if not ours:
            (tables,) = raw.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()"
            ).fetchone()
            if tables:
                raise StoreError(
                    f"{shown(url)} is not a stakeworks store (a database with {plural(tables, 'table')} of its own); "
                    "nothing was changed"
                )
            if not create:
                raise StoreError(f"no stakeworks store at {shown(url)}; create it with `stakeworks init {shown(url)}`")
            # Two first imports at once: one creates, the other waits and finds it made.
            with raw.transaction():
                raw.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
                if not raw.execute("SELECT to_regclass('stakeworks_schema') IS NOT NULL").fetchone()[0]:
                    for sql in postgres_schema.statements():
                        raw.execute(sql)
                    team.install(raw)  # the role that ran init owns it and is its first admin
        (version,) = raw.execute("SELECT version FROM stakeworks_schema").fetchone()
        if version > LATEST_VERSION:
            raise StoreError(
                f"{shown(url)} was written by a newer stakeworks (schema {version}; this version knows up to {LATEST_VERSION})"
            )
        if version < LATEST_VERSION:
            postgres_schema.upgrade(raw, version)
        _open_as_member(conn)
    return conn


def _open_as_member(conn: PgConnection) -> None:
    """Who logged in, as this store's team names them; a login without a role goes no further.
    A store made before roles gets them when its owner first opens it."""
    from stakeworks.db import team

    raw = conn.raw
    if not raw.execute("SELECT to_regclass('stakeworks_team') IS NOT NULL").fetchone()[0]:
        owner = raw.execute(
            "SELECT pg_has_role(session_user, (SELECT relowner FROM pg_class WHERE oid = 'stakeworks_schema'::regclass), "
            "'MEMBER')"
        ).fetchone()[0]
        if not owner:
            raise StoreError(f"{shown(conn.url)} has no team roles yet: the store's owner opens it once to set them up")
        team.install(raw)
    member = team.acting(raw)
    if member is None:
        raise team.no_role(raw.execute("SELECT session_user").fetchone()[0])
    conn.member = member
    (bypass,) = raw.execute(
        "SELECT sw_is_owner() OR (SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = session_user)"
    ).fetchone()
    conn.may_copy = bool(bypass)


def notices(
    url: str, stopped: Callable[[], bool], own_pid: Callable[[], int | None]
) -> Iterator[tuple[str, str] | None]:
    """(table, user) of every change others save on the team store, as it happens, until
    `stopped()`; on its own connection (a LISTEN waits, the store's connection must not).
    None first, once it listens; ServerUnreachable when the server goes away. `own_pid`: the
    server process of the app's own store connection (it changes when that reconnects)."""
    import psycopg

    conn = open_server(url, timeout=RECONNECT_TIMEOUT_S)
    try:
        conn.raw.execute("LISTEN stakeworks")
        yield None
        while not stopped():
            for notice in conn.raw.notifies(timeout=0.5):
                if notice.pid == own_pid():
                    continue  # this app's own save: it refreshed already
                table, _, user = notice.payload.partition(" ")
                yield table, user
    except psycopg.Error as exc:
        raise ServerUnreachable(f"{shown(url)}: {as_sqlite_error(exc)}") from None
    finally:
        conn.close()
