"""Bulk inserts written on a thread while the caller prepares the next batch.

A large import is two jobs of about the same size: Python validating and
matching rows, and SQLite inserting them with their indexes and triggers.
They can overlap on two cores only while SQLite runs without the GIL, which
sqlite3 releases just for the length of one step. `executemany` steps once
per row and takes the GIL back between rows, so a writer thread running it
would wait for the validating thread at every row. Here a batch is one
`INSERT ... SELECT ... FROM json_each(?)` instead: one step writes all of it
(every CHECK, foreign key and trigger still runs per row) with the GIL
released, beside the Python preparing the next batch.

On a server the batch goes through the connection's `executemany`, which
already sends it as COPY; it is written in the caller's thread.
"""

from __future__ import annotations

import json
import queue
import threading
from collections import Counter
from collections.abc import Sequence
from types import TracebackType
from typing import Any

# One statement of a batch: the table, its columns, and the rows (tuples in column order).
Insert = tuple[str, Sequence[str], list[tuple[Any, ...]]]
# What the writer thread runs: each statement with its rows as one JSON array.
_Job = list[tuple[str, str, str]]  # (table, statement, rows)

# Rows are tuples of plain values, never cyclic: not checking for cycles cuts a quarter of the encoding.
_encode = json.JSONEncoder(separators=(",", ":"), check_circular=False).encode

# Batches written or waiting at once: enough to keep the writer busy, and memory flat.
_QUEUE = 2


def _json_insert(verb: str, table: str, columns: Sequence[str]) -> str:
    picks = ", ".join(f"value ->> {i}" for i in range(len(columns)))
    return f"{verb} INTO {table} ({', '.join(columns)}) SELECT {picks} FROM json_each(?)"


class BulkWriter:
    """Writes batches of inserts, in order, inside the caller's open transaction.

    `write` hands a batch over; `drain` waits until everything handed over is
    written, and re-raises the writer's error if one failed. Call `drain`
    before any other statement on the connection: the two threads never use
    it at once. Leaving the block drains; leaving it by an exception drops
    what was not written yet, so the transaction can roll back.

    With `keep_existing`, a row whose unique key is already there is left
    out (INSERT OR IGNORE: a re-import adds nothing); `added` counts the
    rows each table took, read after `drain`.
    """

    def __init__(self, conn: Any, *, keep_existing: bool = False) -> None:
        self.conn = conn
        self.verb = "INSERT OR IGNORE" if keep_existing else "INSERT"
        self.added: Counter[str] = Counter()
        self.threaded = not getattr(conn, "is_postgres", False)
        self._jobs: queue.Queue[_Job | None] = queue.Queue(_QUEUE)
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None

    def __enter__(self) -> BulkWriter:
        if self.threaded:
            self._thread = threading.Thread(target=self._run, name="stakeworks-bulk-writer", daemon=True)
            self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if kind is not None:
            self._error = self._error or exc  # the writer skips whatever is still queued
        try:
            if kind is None:
                self.drain()
        finally:
            if self._thread is not None:
                self._jobs.put(None)
                self._thread.join()

    def write(self, inserts: list[Insert]) -> None:
        """Write these inserts (in order, after those handed over before)."""
        inserts = [(t, c, rows) for t, c, rows in inserts if rows]
        if not inserts:
            return
        if not self.threaded:
            for table, columns, rows in inserts:
                holes = ", ".join("?" * len(columns))
                sql = f"{self.verb} INTO {table} ({', '.join(columns)}) VALUES ({holes})"
                self.added[table] += max(self.conn.executemany(sql, rows).rowcount, 0)
            return
        self._raise()
        # Encoded here, while the writer steps through the batch before.
        self._jobs.put([(t, _json_insert(self.verb, t, c), _encode(rows)) for t, c, rows in inserts])

    def drain(self) -> None:
        """Wait until every batch handed over is written; raise the writer's error."""
        if self._thread is not None:
            self._jobs.join()
        self._raise()

    def _raise(self) -> None:
        if self._error is not None:
            raise self._error

    def _run(self) -> None:
        while True:
            job = self._jobs.get()
            try:
                if job is None:
                    return
                if self._error is None:
                    for table, sql, rows in job:
                        self.added[table] += max(self.conn.execute(sql, (rows,)).rowcount, 0)
            except BaseException as exc:  # handed to the caller's thread by drain/write
                self._error = exc
            finally:
                self._jobs.task_done()
