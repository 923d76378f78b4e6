"""What every repository shares: the connection's reads and transaction, and
the one upsert (insert a new row, or update a known one) they all write with."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date
from typing import Any

from stakeworks.db.connection import Connection, Cursor, Transactor


class Repository:
    """One record type's SQL. Repositories share the store's connection (and its
    lock), so their writes compose inside one `transaction()`."""

    def __init__(self, tx: Transactor) -> None:
        self._tx = tx
        self._query = tx.query
        self._transaction = tx.transaction


IDS_PER_STATEMENT = 900  # ids per IN (...): under SQLite's historical 999 host parameters


def id_filters(column: str, ids: int | Sequence[int] | None) -> Iterator[tuple[str, tuple[int, ...]]]:
    """(condition on `column`, its parameters) per statement: one that every row meets (no ids
    given: the whole table), else one per slice of the ids (none at all for an empty list)."""
    if ids is None:
        yield "1 = 1", ()
        return
    wanted = [ids] if isinstance(ids, int) else sorted(set(ids))
    for start in range(0, len(wanted), IDS_PER_STATEMENT):
        part = tuple(wanted[start : start + IDS_PER_STATEMENT])
        yield f"{column} IN ({', '.join('?' * len(part))})", part


def iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def new_id(cur: Cursor) -> int:
    assert cur.lastrowid is not None  # an INSERT always sets it
    return cur.lastrowid


def find_id(c: Connection, table: str, column: str, value: object) -> int | None:
    """The id of the row of `table` whose `column` is `value` (a natural key), if any."""
    row = c.execute(f"SELECT id FROM {table} WHERE {column} = ?", (value,)).fetchone()
    return row[0] if row else None


def upsert(
    c: Connection,
    table: str,
    values: Mapping[str, Any],
    row_id: int | None,
    *,
    version: int | None = None,
    bump_version: bool = False,
    missing: Callable[[], Exception] | None = None,
) -> int:
    """Insert `values` as a new row of `table` (no `row_id`) or update row `row_id`; the row's id.

    `bump_version` adds 1 to the row's `version` column on update; with
    `version`, the update applies only while the stored version still equals
    it (optimistic locking). When an update changes no row, `missing()` names
    why and is raised; without it the update is a no-op.
    """
    cols = list(values)
    if row_id is None:
        cur = c.execute(
            f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
            [values[k] for k in cols],
        )
        return new_id(cur)
    sets = ", ".join(f"{k} = ?" for k in cols) + (", version = version + 1" if bump_version else "")
    guard = " AND version = ?" if version is not None else ""
    params = [*[values[k] for k in cols], row_id, *(() if version is None else (version,))]
    cur = c.execute(f"UPDATE {table} SET {sets} WHERE id = ?{guard}", params)
    if cur.rowcount == 0 and missing is not None:
        raise missing()
    return row_id
