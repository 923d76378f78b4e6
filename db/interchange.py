"""The whole store as JSON (round-trip exact) and tables as spreadsheet-safe CSV."""

from __future__ import annotations

import csv
import sqlite3
from collections import defaultdict
from pathlib import Path
from typing import Any

from stakeworks.db.connection import Connection
from stakeworks.db.schema import LATEST_VERSION
from stakeworks.db.store import Store
from stakeworks.domain.errors import InputError
from stakeworks.interchange import files, jsondump
from stakeworks.interchange.csvfiles import guard
from stakeworks.interchange.jsontext import strict_json

FORMAT = jsondump.FORMAT
FORMAT_VERSION = jsondump.FORMAT_VERSION
# Parents before children so foreign keys hold while importing.
TABLES = (
    "meta",
    "accounts",
    "contacts",
    "contact_roles",
    "contact_links",
    "influences",
    "executives",  # before touches: a touch may name one of our executives
    "touches",
    "executive_contacts",
    "sponsor_assignments",
    "sponsor_reviews",
    "plan_items",
    "playbook_tasks",
    "score_history",
    "signals",
    "upcoming_meetings",
    "interactions",
    "our_people",
    "seen_dismissed",
    "suggestion_rejections",
    "history",  # loaded as it was: the load itself records nothing (Transactor.unrecorded)
)
ORDER = {
    "meta": "key",
    "contact_roles": "contact_id, role",
    "contact_links": "contact_id, other_id",
    "executive_contacts": "executive_id, contact_id",
    "score_history": "account_id, day",
    "upcoming_meetings": "contact_id, source",
    "interactions": "source, address",
    "our_people": "address",
    "seen_dismissed": "address",
    "suggestion_rejections": "contact_id, kind",
}


def _columns(store: Store, table: str) -> list[str]:
    return [r[1] for r in store.repos.tx.query(f"PRAGMA table_info({table})")]


def _column_rules(store: Store, table: str) -> dict[str, jsondump.Column]:
    """Each column's (type, NOT NULL, required): `id` and other keys (records refer to them), and
    NOT NULL columns with no default to fall back on. (A team store reports no keys: `id` by name.)"""
    rules: dict[str, jsondump.Column] = {}
    for _cid, name, decl, not_null, default, key in store.repos.tx.query(f"PRAGMA table_info({table})"):
        required = bool(key) or name == "id" or (bool(not_null) and default is None)
        rules[name] = (str(decl), bool(not_null), required)
    return rules


def _count(store: Store, table: str) -> int:
    return int(store.repos.tx.query(f"SELECT count(*) FROM {table}")[0][0])


def dump(store: Store) -> dict[str, Any]:
    tables: dict[str, list[dict[str, Any]]] = {}
    for table in TABLES:
        cols = _columns(store, table)
        rows = store.repos.tx.query(f"SELECT {', '.join(cols)} FROM {table} ORDER BY {ORDER.get(table, 'id')}")
        tables[table] = [dict(zip(cols, r, strict=True)) for r in rows]
    return {"format": FORMAT, "version": FORMAT_VERSION, "schema": LATEST_VERSION, "tables": tables}


def to_text(data: dict[str, Any]) -> str:
    return strict_json(data, indent=1, sort_keys=True) + "\n"


def export_json(store: Store, target: Path) -> None:
    """The whole store into `target`: never the store itself, owner-only, whole or not at all."""
    files.write_text(files.check_output(target, store.path), to_text(dump(store)))


def import_json(store: Store, source: Path) -> dict[str, int]:
    """Load an export into an empty store, ids preserved, in one transaction.

    Every record is checked first (interchange/jsondump.py: shapes, columns, types, the app's
    models); what only the store can tell (a reference to a record that is not there, a
    reports-to cycle) is named by record while writing, and any problem rolls everything back.
    """
    return load(store, jsondump.load(source), source)


def load(store: Store, data: Any, source: Path | str, *, replace: bool = False) -> dict[str, int]:
    """An export's data (parsed) into the store, in one transaction: into an empty store, or
    with `replace`, instead of everything the store held (db/copying.py)."""
    columns = {t: _column_rules(store, t) for t in TABLES}
    checked = jsondump.check(data, columns, LATEST_VERSION, source)
    jsondump.refuse_if_any(source, checked.problems)
    if not replace and (_count(store, "accounts") or _count(store, "executives")):
        raise InputError("import json needs an empty database (use --db with a new file)")
    tables = checked.tables
    problems: list[str] = []
    counts: dict[str, int] = {}
    with store.repos.tx.unrecorded(), store.transaction() as c:
        if replace:
            for table in ("verdict_cache", *reversed(TABLES)):
                c.execute(f"DELETE FROM {table}")
        c.execute("DELETE FROM meta")
        for table in TABLES:
            rows = tables.get(table, [])
            if not rows:
                continue
            staged = [dict(r) for r in rows]
            links: list[tuple[int, Any, Any]] = []
            if table == "contacts":
                # reports-to may point forward; set it after every contact exists.
                links = [(i, r["reports_to_id"], r["id"]) for i, r in enumerate(staged) if r.get("reports_to_id")]
                for r in staged:
                    r["reports_to_id"] = None
            _insert(c, table, staged, problems)
            for index, boss, contact in links:
                try:
                    c.execute("UPDATE contacts SET reports_to_id = ? WHERE id = ?", (boss, contact))
                except sqlite3.DatabaseError as exc:
                    problems.append(f"{jsondump.record_label(table, index, rows[index])}: reports_to_id: {exc}")
            if table == "touches" and tables.get("contacts"):
                # The insert trigger recomputes last_touch; restore the exported values exactly.
                c.executemany(
                    "UPDATE contacts SET last_touch = ?, last_touch_kind = ?, version = ? WHERE id = ?",
                    [
                        (r.get("last_touch"), r.get("last_touch_kind"), r.get("version", 0), r["id"])
                        for r in tables["contacts"]
                    ],
                )
            counts[table] = len(rows)
        jsondump.refuse_if_any(source, problems)  # rolls the transaction back
    store.plan_by_contents(counts)
    return counts


def _insert(c: Connection, table: str, rows: list[dict[str, Any]], problems: list[str]) -> None:
    """Insert `rows` in bulk; when the store refuses one, find and name every refused record."""
    groups: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for index, row in enumerate(rows):
        groups[tuple(row)].append(index)
    c.execute("SAVEPOINT rows")
    try:
        for names, indexes in groups.items():
            c.executemany(_insert_sql(table, names), [tuple(rows[i][n] for n in names) for i in indexes])
        c.execute("RELEASE rows")
        return
    except sqlite3.DatabaseError:
        c.execute("ROLLBACK TO rows")
        c.execute("RELEASE rows")
    for index, row in enumerate(rows):  # the slow way, only to say which records
        names = tuple(row)
        try:
            c.execute(_insert_sql(table, names), tuple(row[n] for n in names))
        except sqlite3.DatabaseError as exc:
            problems.append(f"{jsondump.record_label(table, index, row)}: refused by the store: {exc}")


def _insert_sql(table: str, names: tuple[str, ...]) -> str:
    return f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"


# -- CSV ------------------------------------------------------------------------------


def safe_cell(value: object) -> str:
    """Spreadsheets run cells that start with = + - @: a quote before them, which the CSV
    import takes off again (csvfiles.guard/unguard), so an export re-imports unchanged."""
    return guard("" if value is None else str(value))


ACCOUNT_CSV = ("name", "arr", "currency", "renewal_date", "tier", "industry", "region", "csm", "strategic_value",
               "growth_potential", "kraljic", "last_ebr", "next_ebr", "notes", "crm", "crm_id", "domain",
               "company_revenue")  # fmt: skip
"""Every column `export json` has for an account but the store's own bookkeeping (id, version)."""
CONTACT_CSV = ("account", "name", "title", "email", "department", "level", "roles", "strength", "sentiment", "status",
               "last_touch", "last_touch_kind", "reports_to", "key_to_success", "engagement_strategy", "notes",
               "influences")  # fmt: skip
# The people a contact influences, `Name:+; Other:-` (DOMAIN section 14), by name.
_INFLUENCES = (
    "(SELECT group_concat(cell, '; ') FROM (SELECT t.name || ':' || CASE i.sign WHEN 'positive' THEN '+' "
    "WHEN 'negative' THEN '-' ELSE '0' END AS cell FROM influences i JOIN contacts t ON t.id = i.to_id "
    "WHERE i.from_id = c.id ORDER BY t.name, t.id) AS x)"
)


def export_csv(store: Store, kind: str, target: Path) -> int:
    """One table into `target` as CSV: never the store itself, owner-only, whole or not at all."""
    with files.atomic_writer(files.check_output(target, store.path), newline="") as fh:
        writer = csv.writer(fh)
        if kind == "accounts":
            writer.writerow(ACCOUNT_CSV)
            rows = store.repos.tx.query(f"SELECT {', '.join(ACCOUNT_CSV)} FROM accounts ORDER BY name, crm_id")
            for r in rows:
                writer.writerow([safe_cell(v) for v in r])
            return len(rows)
        writer.writerow(CONTACT_CSV)
        rows = store.repos.tx.query(
            "SELECT a.name, c.name, c.title, c.email, c.department, c.level, "
            "(SELECT group_concat(role, ';') FROM (SELECT role FROM contact_roles WHERE contact_id = c.id ORDER BY role) AS r), "
            "c.strength, c.sentiment, c.status, c.last_touch, c.last_touch_kind, "
            "coalesce(nullif(b.email, ''), b.name), c.key_to_success, c.engagement_strategy, c.notes, "
            f"{_INFLUENCES} "
            "FROM contacts c JOIN accounts a ON a.id = c.account_id LEFT JOIN contacts b ON b.id = c.reports_to_id "
            "ORDER BY a.name, c.name"
        )
        for r in rows:
            writer.writerow([safe_cell(v) for v in r])
        return len(rows)
