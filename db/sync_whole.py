"""Conflicts over a whole record (issue 37): changed in the copy and deleted on the server, or
deleted in the copy and changed on the server. The record goes with its *family*: the rows that
need it (a contact's roles, touches, links...), which a delete takes along on either side.

Until the user picks a side (`sync --take mine|theirs ID`) the copy keeps its own side (the
changed record with its family, or its deletion) and nothing of the family is sent. Taking
mine sends the copy's side at the next sync (the record made again under a new id with its
family, or the deletion); taking theirs puts the server's side in the copy (the record and its
family deleted, or put back as the server held them at the last sync: the copy's base).
"""

from __future__ import annotations

import json
from typing import Any

from stakeworks.db import interchange
from stakeworks.db.connection import Connection
from stakeworks.db.offline import SYNCED, TableInfo, index, read_base, schema_of
from stakeworks.db.store import Store
from stakeworks.domain.errors import InputError
from stakeworks.domain.sync import DERIVED, WHOLE, Conflict, Plan, Row, Tables

Family = list[tuple[str, str]]  # (table, key), parents first


def family(tables: Tables, schema: dict[str, TableInfo], table: str, key: str) -> Family:
    """The record and every row that needs it (a required reference), parents first."""
    row = tables.get(table, {}).get(key)
    out = [(table, key)]
    if row is None or "id" not in schema[table].columns:
        return out
    seen = set(out)
    ids: dict[str, set[Any]] = {table: {row["id"]}}
    for child in SYNCED:
        links = [col for col, (parent, required) in schema[child].refs.items() if required and ids.get(parent)]
        for k, r in tables.get(child, {}).items() if links else ():
            if (child, k) not in seen and any(r.get(col) in ids[schema[child].refs[col][0]] for col in links):
                out.append((child, k))
                seen.add((child, k))
                if "id" in r:
                    ids.setdefault(child, set()).add(r["id"])
    return out


def deleted_while_changed(plan: Plan, base: Tables, theirs: Tables, schema: dict[str, TableInfo]) -> None:
    """A record deleted in the copy whose family the server changed meanwhile (a colleague's
    touch, a new role) is a whole-record conflict too: the delete would take their work along."""
    seen: set[tuple[str, str]] = set()
    for change in [c for c in reversed(plan.send) if c.kind == "delete"]:  # parents first
        if (change.table, change.key) in seen or "id" not in schema[change.table].columns:
            continue
        before = family(base, schema, change.table, change.key)
        seen.update(before)
        now = family(theirs, schema, change.table, change.key)
        changed = sorted({t.replace("_", " ") for t, k in set(before) ^ set(now)} | {
            t.replace("_", " ") for t, k in set(before) & set(now) if _differs(base[t][k], theirs[t][k])
        })  # fmt: skip
        if changed:
            plan.conflicts.append(Conflict(change.table, change.key, WHOLE, "deleted", f"changed {', '.join(changed)}"))
    held = {(x.table, x.key) for x in plan.conflicts if x.field == WHOLE}
    plan.send = [c for c in plan.send if (c.table, c.key) not in held]


def _differs(old: Row, new: Row) -> bool:
    return any(old.get(f) != v for f, v in new.items() if f not in DERIVED)


def hold_families(plan: Plan, base: Tables, mine: Tables, schema: dict[str, TableInfo]) -> None:
    """Nothing of a record in a whole-record conflict is sent, nor listed again on its own."""
    roots = {(x.table, x.key) for x in plan.conflicts if x.field == WHOLE}
    held: set[tuple[str, str]] = set()
    for table, key in roots:
        held.update(family(mine, schema, table, key) + family(base, schema, table, key))
    plan.send = [c for c in plan.send if (c.table, c.key) not in held]
    plan.conflicts = [x for x in plan.conflicts if (x.table, x.key) in roots or (x.table, x.key) not in held]


def keep_changed(plan: Plan, base: dict[str, dict[str, Row]], mine: Tables, schema: dict[str, TableInfo]) -> None:
    """A record the copy changed and the server deleted stays in the copy with its family, as
    records the server does not hold: out of the base the copy's side is laid on."""
    for x in plan.conflicts:
        if x.field == WHOLE and x.key in mine.get(x.table, {}):
            for table, key in family(mine, schema, x.table, x.key):
                base.get(table, {}).pop(key, None)


def take_whole(copy: Store, conflict: dict[str, Any], table: str, key: str, side: str) -> dict[str, Any]:
    """Resolve a whole-record conflict in the copy (offline)."""
    schema = schema_of(copy)
    if table not in SYNCED or not _is_key(key):
        raise InputError(f"conflict {conflict['id']} names no record of this copy ({table}); nothing was changed")
    info = schema[table]
    held = copy.repos.tx.query(_where(f"SELECT 1 FROM {table}", info), json.loads(key))
    with copy.transaction() as c:
        if side == "theirs" and held:  # deleted on the server: so here, with its family
            mine = index(interchange.dump(copy)["tables"], schema)
            for t, k in reversed(family(mine, schema, table, key)):
                c.execute(_where(f"DELETE FROM {t}", schema[t]), json.loads(k))
        elif side == "theirs":  # the server's record, and what needs it, as the base holds them
            base = read_base(copy)
            for t, k in family(base, schema, table, key):
                if k in base.get(t, {}):  # (a copy whose base lost it: nothing to put back)
                    _put_back(c, t, base[t][k], schema[t])
        c.execute("DELETE FROM offline_conflicts WHERE id = ?", (conflict["id"],))
    return conflict


def _is_key(key: str) -> bool:
    try:
        value = json.loads(key)
    except ValueError:
        return False
    return isinstance(value, list) and all(isinstance(v, int | str) for v in value)


def _put_back(c: Connection, table: str, row: Row, info: TableInfo) -> None:
    cols = [col for col in row if col in info.columns]  # names from the copy's base reach SQL: only the table's
    c.execute(
        f"INSERT OR IGNORE INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
        [row[col] for col in cols],
    )


def _where(head: str, info: TableInfo) -> str:
    return f"{head} WHERE " + " AND ".join(f"{k} = ?" for k in info.key)
