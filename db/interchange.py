"""The whole store as JSON (round-trip exact) and tables as spreadsheet-safe CSV."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from stakeworks.db.schema import LATEST_VERSION
from stakeworks.db.store import Store
from stakeworks.domain.errors import InputError
from stakeworks.interchange.csvfiles import guard

FORMAT = "stakeworks-export"
FORMAT_VERSION = 1
# Parents before children so foreign keys hold while importing.
TABLES = (
    "meta",
    "accounts",
    "contacts",
    "contact_roles",
    "touches",
    "executives",
    "executive_contacts",
    "sponsor_assignments",
    "plan_items",
    "playbook_tasks",
    "score_history",
)
ORDER = {
    "meta": "key",
    "contact_roles": "contact_id, role",
    "executive_contacts": "executive_id, contact_id",
    "score_history": "account_id, day",
}


def _columns(store: Store, table: str) -> list[str]:
    return [r[1] for r in store.repos.tx.query(f"PRAGMA table_info({table})")]


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
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def export_json(store: Store, target: Path) -> None:
    Path(target).write_text(to_text(dump(store)), encoding="utf-8")


def import_json(store: Store, source: Path) -> dict[str, int]:
    """Load an export into an empty store, ids preserved, in one transaction."""
    try:
        data = json.loads(Path(source).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{source}: no such file") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{source} is not a stakeworks JSON export ({exc})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InputError(f"{source} is not a stakeworks JSON export (no format marker)")
    if data.get("version", 0) > FORMAT_VERSION or data.get("schema", 0) > LATEST_VERSION:
        raise InputError(f"{source} was written by a newer stakeworks; upgrade to import it")
    if _count(store, "accounts") or _count(store, "executives"):
        raise InputError("import json needs an empty database (use --db with a new file)")
    tables = data.get("tables", {})
    counts: dict[str, int] = {}
    with store.transaction() as c:
        c.execute("DELETE FROM meta")
        for table in TABLES:
            rows = tables.get(table, [])
            if not rows:
                continue
            cols = _columns(store, table)
            unknown = set(rows[0]) - set(cols)
            if unknown:
                raise InputError(f"{source}: table {table} has unknown columns {sorted(unknown)}")
            staged = [dict(r) for r in rows]
            if table == "contacts":
                # reports-to may point forward; set it after every contact exists.
                links = [(r["reports_to_id"], r["id"]) for r in staged if r.get("reports_to_id")]
                for r in staged:
                    r["reports_to_id"] = None
            names = list(staged[0])
            c.executemany(
                f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
                [tuple(r.get(n) for n in names) for r in staged],
            )
            if table == "contacts":
                c.executemany("UPDATE contacts SET reports_to_id = ? WHERE id = ?", links)
            if table == "touches":
                # The insert trigger recomputes last_touch; restore the exported values exactly.
                c.executemany(
                    "UPDATE contacts SET last_touch = ?, last_touch_kind = ?, version = ? WHERE id = ?",
                    [
                        (r.get("last_touch"), r.get("last_touch_kind"), r.get("version", 0), r["id"])
                        for r in tables["contacts"]
                    ],
                )
            counts[table] = len(rows)
    return counts


# -- CSV ------------------------------------------------------------------------------

def safe_cell(value: object) -> str:
    """Spreadsheets run cells that start with = + - @: a quote before them, which the CSV
    import takes off again (csvfiles.guard/unguard), so an export re-imports unchanged."""
    return guard("" if value is None else str(value))


ACCOUNT_CSV = ("name", "arr", "currency", "renewal_date", "tier", "industry", "region", "csm", "strategic_value",
               "growth_potential", "kraljic")  # fmt: skip
CONTACT_CSV = ("account", "name", "title", "email", "department", "level", "roles", "strength", "sentiment", "status",
               "last_touch", "last_touch_kind", "reports_to", "key_to_success", "engagement_strategy", "notes")  # fmt: skip


def export_csv(store: Store, kind: str, target: Path) -> int:
    with Path(target).open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        if kind == "accounts":
            writer.writerow(ACCOUNT_CSV)
            rows = store.repos.tx.query(f"SELECT {', '.join(ACCOUNT_CSV)} FROM accounts ORDER BY name")
            for r in rows:
                writer.writerow([safe_cell(v) for v in r])
            return len(rows)
        writer.writerow(CONTACT_CSV)
        rows = store.repos.tx.query(
            "SELECT a.name, c.name, c.title, c.email, c.department, c.level, "
            "(SELECT group_concat(role, ';') FROM (SELECT role FROM contact_roles WHERE contact_id = c.id ORDER BY role)), "
            "c.strength, c.sentiment, c.status, c.last_touch, c.last_touch_kind, "
            "coalesce(nullif(b.email, ''), b.name), c.key_to_success, c.engagement_strategy, c.notes "
            "FROM contacts c JOIN accounts a ON a.id = c.account_id LEFT JOIN contacts b ON b.id = c.reports_to_id "
            "ORDER BY a.name, c.name"
        )
        for r in rows:
            writer.writerow([safe_cell(v) for v in r])
        return len(rows)
