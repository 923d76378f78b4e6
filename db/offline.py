"""An offline copy of a team store (`stakeworks checkout`): a store file holding the team's
portfolio, or some of its accounts, with what the server held at the last sync.

The copy is an ordinary store (every command and the app use it as they use any file) plus
five tables of its own, made by the checkout, never by the schema: `offline_checkout` (which
server, which accounts, the sync count), `offline_base` (each record as the server held it
at the last sync, with its version: the base of the three-way merge, domain/sync.py),
`offline_conflicts`, `offline_parked` (a change the server refused that the copy's own
records cannot hold either, such as a fourth sponsorship: kept there, sent again at each sync
until the user drops it) and `offline_log`. Which records belong to the copy follows the
references: an account's contacts, their roles and touches, its sponsorships and plans;
executives and settings always.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from stakeworks.db import interchange
from stakeworks.db.actor import default as actor_default
from stakeworks.db.connection import Connection
from stakeworks.db.schema import LATEST_VERSION
from stakeworks.db.store import Store
from stakeworks.domain.errors import InputError
from stakeworks.domain.sync import OfflineStatus, Row, Tables, local_changes
from stakeworks.interchange.files import private_temp

# What a sync merges: the records people change. Settings and the history come from the
# server; the score history is the app's own record of each day's verdict.
SYNCED = tuple(t for t in interchange.TABLES if t not in ("meta", "history", "score_history"))

FILE_TABLES = """
CREATE TABLE offline_checkout (
    one INTEGER PRIMARY KEY CHECK (one = 1),
    server TEXT NOT NULL,
    checkout_id TEXT NOT NULL,
    accounts TEXT,
    sync_no INTEGER NOT NULL DEFAULT 1,
    checked_out_at TEXT NOT NULL,
    last_sync_at TEXT,
    history_mark INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE offline_base (
    tbl TEXT NOT NULL,
    key TEXT NOT NULL,
    row TEXT NOT NULL,
    PRIMARY KEY (tbl, key)
) WITHOUT ROWID;
CREATE TABLE offline_conflicts (
    id INTEGER PRIMARY KEY,
    tbl TEXT NOT NULL,
    key TEXT NOT NULL,
    field TEXT NOT NULL,
    record TEXT NOT NULL,
    mine TEXT,
    theirs TEXT,
    mine_by TEXT NOT NULL,
    mine_at TEXT NOT NULL,
    theirs_by TEXT NOT NULL,
    theirs_at TEXT NOT NULL,
    UNIQUE (tbl, key, field)
);
CREATE TABLE offline_parked (
    id INTEGER PRIMARY KEY,
    tbl TEXT NOT NULL,
    key TEXT NOT NULL,
    kind TEXT NOT NULL,
    fields TEXT NOT NULL,
    record TEXT NOT NULL,
    reason TEXT NOT NULL
);
CREATE TABLE offline_log (
    sync_no INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    sent INTEGER NOT NULL,
    received INTEGER NOT NULL,
    refused TEXT NOT NULL,
    conflicts INTEGER NOT NULL
);
"""


@dataclass(frozen=True, slots=True)
class TableInfo:
    """A table as the file's schema describes it: its key and its references."""

    columns: list[str]
    key: list[str]
    refs: dict[str, tuple[str, bool]]  # column -> (parent table, NOT NULL)


@dataclass(frozen=True, slots=True)
class Checkout:
    server: str
    checkout_id: str
    accounts: set[int] | None  # None: the whole portfolio
    sync_no: int
    checked_out_at: str
    last_sync_at: str | None
    history_mark: int


def schema_of(store: Store) -> dict[str, TableInfo]:
    """Each exported table's columns, key and references, read from the file's own schema."""
    info: dict[str, TableInfo] = {}
    query = store.repos.tx.query
    for table in interchange.TABLES:
        cols = query(f"PRAGMA table_info({table})")
        key = [c[1] for c in sorted(cols, key=lambda c: c[5]) if c[5]] or [c[1] for c in cols]
        refs = {
            fk[3]: (fk[2], any(c[1] == fk[3] and c[3] for c in cols))
            for fk in query(f"PRAGMA foreign_key_list({table})")
        }
        info[table] = TableInfo([c[1] for c in cols], key, refs)
    return info


def key_of(info: TableInfo, row: Row) -> str:
    return json.dumps([row[c] for c in info.key])


def index(tables: dict[str, list[Row]], schema: dict[str, TableInfo]) -> dict[str, dict[str, Row]]:
    return {t: {key_of(schema[t], r): r for r in rows} for t, rows in tables.items() if t in SYNCED}


def read_scoped(store: Store, schema: dict[str, TableInfo], accounts: set[int] | None) -> dict[str, list[Row]]:
    """The records of `accounts` (all when None) as `scoped` keeps them, read with SQL that
    selects only them: a CSM's 300 accounts are not a read of the whole team's store."""
    if accounts is None:
        return dict(interchange.dump(store)["tables"])
    query = store.repos.tx.query
    ids = ", ".join(str(int(a)) for a in sorted(accounts)) or "NULL"
    contacts = f"SELECT id FROM contacts WHERE account_id IN ({ids})"
    tables: dict[str, list[Row]] = {}
    for table in interchange.TABLES:
        cols = schema[table].columns
        if table == "accounts":
            where = f"WHERE id IN ({ids})"
        elif "account_id" in cols:
            where = f"WHERE account_id IN ({ids})"
        elif "contact_id" in cols:
            where = f"WHERE contact_id IN ({contacts})"
        else:
            where = ""
        order = interchange.ORDER.get(table, "id")
        rows = query(f"SELECT {', '.join(cols)} FROM {table} {where} ORDER BY {order}")
        tables[table] = [dict(zip(cols, r, strict=True)) for r in rows]
    return scoped(tables, schema, accounts)


def scoped(
    tables: dict[str, list[Row]], schema: dict[str, TableInfo], accounts: set[int] | None
) -> dict[str, list[Row]]:
    """The records of `accounts` (all when None): a row referring to a record left out is left
    out too when the reference is required, else kept with the reference cleared."""
    if accounts is None:
        return tables
    kept: dict[str, set[Any]] = {"accounts": set(accounts)}
    out: dict[str, list[Row]] = {}
    for table in interchange.TABLES:
        rows = tables.get(table, [])
        if table == "accounts":
            rows = [r for r in rows if r["id"] in accounts]
        elif table == "history":
            rows = [r for r in rows if r["account_id"] in accounts]
        else:
            rows = [r for r in (_within(r, schema[table], kept) for r in rows) if r is not None]
        out[table] = rows
        if "id" in schema[table].columns:
            kept[table] = {r["id"] for r in rows}
    return out


def _within(row: Row, info: TableInfo, kept: dict[str, set[Any]]) -> Row | None:
    for column, (parent, required) in info.refs.items():
        value = row.get(column)
        if value is None or parent not in kept or value in kept[parent]:
            continue
        if required:
            return None
        row = {**row, column: None}
    return row


def export_of(tables: dict[str, list[Row]]) -> dict[str, Any]:
    """Tables in the shape of a JSON export, for `interchange.load`."""
    return {"format": interchange.FORMAT, "version": interchange.FORMAT_VERSION, "schema": LATEST_VERSION,
            "tables": tables}  # fmt: skip


def account_ids(server: Store, *, mine: bool, names: list[str]) -> set[int] | None:
    """Which accounts a checkout takes: all (None), the user's (their CSM), or those named."""
    if not mine and not names:
        return None
    rows = server.repos.tx.query("SELECT id, name, csm FROM accounts")
    if mine:
        user = actor_default().user
        return {r[0] for r in rows if r[2] == user}
    chosen: set[int] = set()
    for name in names:
        exact = [r[0] for r in rows if r[1] == name] or [r[0] for r in rows if r[1].casefold() == name.casefold()]
        if len(exact) != 1:
            known = ", ".join(sorted(r[1] for r in rows)[:12])
            what = "is ambiguous" if exact else "is not an account on the server"
            raise InputError(f"--account {name!r} {what}; accounts: {known or 'none'}")
        chosen.add(exact[0])
    return chosen


def checkout(server: Store, target: Path, accounts: set[int] | None) -> dict[str, int]:
    """A new file at `target` holding the server's records of `accounts` and their base: whole
    or not at all (the file appears only when everything is in it)."""
    with private_temp(target, exclusive=True) as temp, Store(temp) as copy:
        schema = schema_of(copy)
        tables = read_scoped(server, schema, accounts)
        now = actor_default().stamp()
        with copy.repos.tx.unrecorded(), copy.transaction() as c:
            counts = interchange.load(copy, export_of(tables), server.location)
            for statement in FILE_TABLES.split(";"):
                if statement.strip():
                    c.execute(statement)
            c.execute(
                "INSERT INTO offline_checkout (one, server, checkout_id, accounts, checked_out_at, history_mark) "
                "VALUES (1, ?, ?, ?, ?, ?)",
                (server.url, uuid.uuid4().hex, _ids_text(accounts), now, _history_mark(c)),
            )
            write_base(c, index(tables, schema))
    return counts


def _ids_text(accounts: set[int] | None) -> str | None:
    return None if accounts is None else json.dumps(sorted(accounts))


def _history_mark(c: Connection) -> int:
    """The last history line the server wrote: lines after it were written in the copy."""
    return int(c.execute("SELECT coalesce(max(id), 0) FROM history").fetchone()[0])


def write_base(c: Connection, tables: Tables) -> None:
    c.execute("DELETE FROM offline_base")
    c.executemany(
        "INSERT INTO offline_base (tbl, key, row) VALUES (?, ?, ?)",
        [(t, k, json.dumps(r)) for t, rows in tables.items() for k, r in rows.items()],
    )


def read_checkout(store: Store) -> Checkout:
    """The copy's checkout, or a clear refusal for a store that is not one."""
    if store.url is not None or not store.repos.tx.query(
        "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'offline_checkout'"
    ):
        raise InputError(
            f"{store.location} is not an offline copy of a team store; make one with "
            "`stakeworks checkout SERVER_URL FILE`"
        )
    server, checkout_id, ids, sync_no, at, last, mark = store.repos.tx.query(
        "SELECT server, checkout_id, accounts, sync_no, checked_out_at, last_sync_at, history_mark "
        "FROM offline_checkout"
    )[0]
    accounts = None if ids is None else set(json.loads(ids))
    return Checkout(server, checkout_id, accounts, sync_no, at, last, mark)


def read_base(store: Store) -> dict[str, dict[str, Row]]:
    out: dict[str, dict[str, Row]] = {t: {} for t in SYNCED}
    for table, key, row in store.repos.tx.query("SELECT tbl, key, row FROM offline_base"):
        out.setdefault(table, {})[key] = json.loads(row)
    return out


def status(store: Store) -> OfflineStatus | None:
    """Where the copy stands (None for a store that is not an offline copy): what it would send."""
    if store.url is not None or not store.repos.tx.query(
        "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'offline_checkout'"
    ):
        return None
    state = read_checkout(store)
    schema = schema_of(store)
    pending = local_changes(read_base(store), index(interchange.dump(store)["tables"], schema), SYNCED)
    conflicts = store.repos.tx.query("SELECT count(*) FROM offline_conflicts")[0][0]
    refused = store.repos.tx.query("SELECT count(*) FROM offline_parked")[0][0]
    when = state.last_sync_at or state.checked_out_at  # a checkout is a first sync
    last = datetime.fromisoformat(when.replace("Z", "+00:00")) if when else None
    return OfflineStatus(state.server, last, len(pending), int(conflicts), int(refused))
