"""Undo of the last save or delete: a before-image of every row a write touched.

While an undoable write runs, temporary triggers (on this connection only, and
only for the length of that write) log every row it inserts, updates or
deletes, cascades included, as a JSON image of the row before it. The token
keeps, for each row, its image before the write and after it. Undoing puts the
before-images back in one transaction, and only when every one of those rows
still reads as the write left it: a row changed since (another save, a logged
touch on a deleted contact's successor...) refuses the undo and writes nothing.
The technique is SQLite's own recipe (sqlite.org/undoredo.html), with row
images instead of SQL text so the replay can order itself parents first.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

from stakeworks.db.connection import Connection
from stakeworks.domain.errors import Refusal
from stakeworks.domain.undo import Key, Row, UndoToken

# Tables whose rows a user's save or delete can touch, parents before children, with their keys.
TRACKED: dict[str, tuple[str, ...]] = {
    "accounts": ("id",),
    "executives": ("id",),
    "contacts": ("id",),
    "contact_roles": ("contact_id", "role"),
    "touches": ("id",),
    "executive_contacts": ("executive_id", "contact_id"),
    "sponsor_assignments": ("id",),
    "plan_items": ("id",),
    "playbook_tasks": ("id",),
    "sponsor_reviews": ("id",),
    "signals": ("id",),
    "upcoming_meetings": ("contact_id", "source"),
    "score_history": ("account_id", "day"),
    "seen_dismissed": ("address",),
    "suggestion_rejections": ("contact_id", "kind"),
    "contact_links": ("contact_id", "other_id"),
    "influences": ("id",),
}
# Read by hand around each undoable write rather than logged by triggers: the team's settings (the
# meta table's `settings` row). A team store's undo triggers are part of its schema, and meta has
# none; one read before and after a write is all this row needs.
BY_HAND: dict[str, tuple[str, ...]] = {"meta": ("key",)}
SETTINGS_ROW: Key = ("meta", ("settings",))
KEYS = {**BY_HAND, **TRACKED}
"""The key columns of every table an undo puts back."""
NO_SETTINGS: Row = {"key": "settings", "value": "{}"}
"""No settings row reads as no overrides: put back as such, so the store's verdict cache empties."""

# Columns the store derives (the touch log's latest) or bumps (versions): not compared, not put back over.
DERIVED = frozenset({"last_touch", "last_touch_kind", "version"})
# Kept by the app as a side effect of reading (one score per account per day): put back with what
# it belongs to, but a row of it written since is no reason to refuse an undo.
RECORDED = frozenset({"score_history"})
# Written after every row is back: a reports-to may point at a contact restored later in the same undo.
SECOND_PASS = {"contacts": ("reports_to_id",)}


def _columns(c: Connection, table: str) -> list[str]:
    return [r[1] for r in c.execute(f"PRAGMA main.table_info({table})")]


def _start(c: Connection) -> int:
    if getattr(c, "is_postgres", False):
        # A server's undo triggers are permanent and idle unless this transaction asks
        # (db/postgres_schema.py); the log is this session's own temporary table.
        c.execute(
            "CREATE TEMP TABLE IF NOT EXISTS undo_log (seq BIGSERIAL PRIMARY KEY, tbl TEXT NOT NULL, "
            "op TEXT NOT NULL, key TEXT NOT NULL, old TEXT)"
        )
        c.execute("SELECT set_config('stakeworks.undo', 'on', true)")
        return int(c.execute("SELECT coalesce(max(seq), 0) FROM temp.undo_log").fetchone()[0])
    c.execute(
        "CREATE TEMP TABLE IF NOT EXISTS undo_log (seq INTEGER PRIMARY KEY, tbl TEXT NOT NULL, "
        "op TEXT NOT NULL, key TEXT NOT NULL, old TEXT)"
    )
    for table, keys in TRACKED.items():
        cols = _columns(c, table)
        old = "json_object(" + ", ".join(f"'{col}', OLD.{col}" for col in cols) + ")"

        def key(ref: str, keys: tuple[str, ...] = keys) -> str:
            return "json_array(" + ", ".join(f"{ref}.{k}" for k in keys) + ")"

        c.execute(
            f"CREATE TEMP TRIGGER undo_{table}_i AFTER INSERT ON main.{table} BEGIN "
            f"INSERT INTO undo_log (tbl, op, key, old) VALUES ('{table}', 'i', {key('NEW')}, NULL); END"
        )
        c.execute(
            f"CREATE TEMP TRIGGER undo_{table}_u AFTER UPDATE ON main.{table} BEGIN "
            f"INSERT INTO undo_log (tbl, op, key, old) VALUES ('{table}', 'u', {key('OLD')}, {old}); END"
        )
        c.execute(
            f"CREATE TEMP TRIGGER undo_{table}_d BEFORE DELETE ON main.{table} BEGIN "
            f"INSERT INTO undo_log (tbl, op, key, old) VALUES ('{table}', 'd', {key('OLD')}, {old}); END"
        )
    return int(c.execute("SELECT coalesce(max(seq), 0) FROM temp.undo_log").fetchone()[0])


def _stop(c: Connection, since: int) -> list[tuple[str, str, str, str | None]]:
    rows = c.execute("SELECT tbl, op, key, old FROM temp.undo_log WHERE seq > ? ORDER BY seq", (since,)).fetchall()
    if getattr(c, "is_postgres", False):
        c.execute("SELECT set_config('stakeworks.undo', 'off', true)")
        c.execute("DELETE FROM temp.undo_log")
        return rows
    for table in TRACKED:
        for op in "iud":
            c.execute(f"DROP TRIGGER IF EXISTS temp.undo_{table}_{op}")
    c.execute("DELETE FROM temp.undo_log")
    return rows


def _read(c: Connection, key: Key) -> Row | None:
    table, values = key
    where = " AND ".join(f"{k} = ?" for k in KEYS[table])
    cur = c.execute(f"SELECT * FROM main.{table} WHERE {where}", values)
    row = cur.fetchone()
    if row is None:
        return None
    return dict(zip([d[0] for d in cur.description], row, strict=True))


def _same(a: Row | None, b: Row | None) -> bool:
    if a is None or b is None:
        return a is b
    return {k: v for k, v in a.items() if k not in DERIVED} == {k: v for k, v in b.items() if k not in DERIVED}


def _firsts(log: list[tuple[str, str, str, str | None]]) -> dict[Key, Row | None]:
    """Each row's image before the first change the log holds for it."""
    out: dict[Key, Row | None] = {}
    for table, op, key, old in log:
        k = (table, tuple(json.loads(key)))
        if k not in out:
            out[k] = None if op == "i" else json.loads(old or "{}")
    return out


@contextmanager
def recording(c: Connection) -> Iterator[UndoToken]:
    """Inside an open transaction: log what the block writes; the token is filled when it ends."""
    token = UndoToken()
    settings = _read(c, SETTINGS_ROW)
    since = _start(c)
    yield token
    token.before = _firsts(_stop(c, since))
    if _read(c, SETTINGS_ROW) != settings:
        token.before[SETTINGS_ROW] = settings or NO_SETTINGS
    token.after = {k: _read(c, k) for k in token.before}


def _order(key: Key) -> int:
    return list(KEYS).index(key[0])


def _put(c: Connection, key: Key, image: Row, *, exists: bool) -> None:
    table, values = key
    keys = KEYS[table]
    later = SECOND_PASS.get(table, ())
    if exists:
        cols = [k for k in image if k not in keys and k not in DERIVED and k not in later]
        sets = [f"{k} = ?" for k in cols] + (["version = version + 1"] if "version" in image else [])
        if sets:
            c.execute(
                f"UPDATE main.{table} SET {', '.join(sets)} WHERE {' AND '.join(f'{k} = ?' for k in keys)}",
                [*[image[k] for k in cols], *values],
            )
    else:
        cols = [k for k in image if k not in later]
        c.execute(
            f"INSERT INTO main.{table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
            [image[k] for k in cols],
        )


def restore(c: Connection, token: UndoToken) -> None:
    """Inside an open transaction: put every row back as it was before the write, or refuse."""
    if token.used:
        raise Refusal("that change was already undone")
    for key, after in token.after.items():
        if not _same(_read(c, key), after):
            raise Refusal("it cannot be undone: something it changed was changed again since; nothing was written")
    c.execute("PRAGMA defer_foreign_keys = ON")  # parents and children come back in one go; checked at commit
    with recording(c) as replay:
        gone = sorted((k for k, v in token.before.items() if v is None), key=_order, reverse=True)
        for key in gone:
            table, values = key
            c.execute(f"DELETE FROM main.{table} WHERE {' AND '.join(f'{k} = ?' for k in KEYS[table])}", values)
        images = {k: v for k, v in token.before.items() if v is not None}
        back = sorted(images, key=_order)
        for key in back:
            _put(c, key, images[key], exists=_read(c, key) is not None)
        for key in back:
            table, values = key
            for col in SECOND_PASS.get(table, ()):
                c.execute(f"UPDATE main.{table} SET {col} = ? WHERE id = ?", (images[key][col], values[0]))
        touched = {k[1][0] for k in back if k[0] == "contacts"} | {
            (token.before[k] or token.after[k] or {}).get("contact_id") for k in token.before if k[0] == "touches"
        }
        touched.discard(None)
        for contact_id in touched:  # the touch log's latest, as the triggers would have left it
            c.execute(
                "UPDATE main.contacts SET last_touch = (SELECT max(date) FROM touches WHERE contact_id = :id), "
                "last_touch_kind = (SELECT kind FROM touches WHERE contact_id = :id ORDER BY date DESC, id DESC "
                "LIMIT 1) WHERE id = :id",
                {"id": contact_id},
            )
    # Cascades of the replay may reach rows the write never touched (a contact added since to an
    # account whose creation is being undone): those must not change.
    for key, before in replay.before.items():
        if key not in token.before and key[0] not in RECORDED and not _same(before, replay.after[key]):
            raise Refusal("it cannot be undone: records added since depend on it; nothing was written")
    token.used = True
