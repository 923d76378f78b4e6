"""`stakeworks sync`: an offline copy's changes to the team store and the server's back, in one
transaction on each side (CLI.md "Offline work against a team store").

1. On the server, in one transaction: what the copy changed since the last sync
   (domain/sync.py's merge against the base the copy keeps) is applied change by change, each
   in a savepoint, so the server's rules (the three-account limit, permissions) refuse one
   change without losing the others; each change's history line carries the time it was made
   in the copy. A line in `offline_sync_log` (checkout, sync number: the server's side of the
   log) records the ids the server gave new records and what it refused.
2. In the copy, in one transaction: the server's records of the checkout as they are now,
   with what was not sent laid on top (refused changes, conflicts): kept in the copy until
   the user resolves them, sent again at every sync until then. The base becomes the
   server's records, the sync number moves on.

A sync cut short between the two finds its number in the server's log next time: the server
side is not applied again, the copy's side is finished with the ids the log kept.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from stakeworks.db import interchange
from stakeworks.db.actor import default as actor_default
from stakeworks.db.connection import Connection, integrity_error
from stakeworks.db.offline import (
    SYNCED,
    Checkout,
    TableInfo,
    export_of,
    index,
    read_base,
    read_checkout,
    read_scoped,
    schema_of,
    write_base,
)
from stakeworks.db.store import Store
from stakeworks.db.sync_whole import deleted_while_changed, hold_families, keep_changed, take_whole
from stakeworks.domain.errors import InputError
from stakeworks.domain.sync import WHOLE, Change, Conflict, Plan, Progress, Row, Tables, local_changes, merge

# The history's name for the records it follows (db/history.py): when a change was made.
RECORD = {"accounts": "account", "contacts": "contact", "contact_roles": "contact", "sponsor_assignments": "sponsor"}
# Tables holding an unordered pair lower id first (a CHECK): a pair remapped to the server's ids
# (or to the copy's fresh ones) is put in order again. Influences are from/to: not a pair.
ORDERED_PAIRS = {"contact_links": ("contact_id", "other_id")}
IdMap = dict[str, dict[int, int]]
Lost = dict[tuple[str, Any], str]  # (table, id in the copy) -> why the server refused its insert
Lines = dict[tuple[str, Any, str], tuple[str, str]]  # (record, id, field) -> (at, by), the latest


class Unsendable(Exception):
    """A change that cannot go before another one did (a touch of a contact the server refused)."""


@dataclass
class Report:
    sent: int = 0
    received: int = 0
    refused: list[dict[str, str]] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    resumed: bool = False

    def as_json(self) -> dict[str, Any]:
        refused = [{"id": r.get("id"), **{k: r[k] for k in ("record", "change", "reason")}} for r in self.refused]
        return {"sent": self.sent, "received": self.received, "refused": refused,
                "conflicts": self.conflicts, "resumed": self.resumed}  # fmt: skip


def sync(copy: Store, server: Store, progress: Progress | None = None) -> Report:
    """Send the copy's changes and bring the server's; a sync cut short is finished first.
    `progress` hears how far it got (a progress bar's: domain/sync.py's Progress)."""
    told = progress or _untold
    report = _sync_once(copy, server, told)
    if report.resumed:  # the cut-short one is done; now this run's own
        again = _sync_once(copy, server, told)
        again.resumed = True
        return again
    return report


def _untold(stage: str, done: int, total: int) -> None:
    """No one is listening (the command line)."""


def _sync_once(copy: Store, server: Store, progress: Progress) -> Report:
    progress("reading", 0, 0)
    state = read_checkout(copy)
    schema = schema_of(copy)
    base = read_base(copy)
    mine = index(interchange.dump(copy)["tables"], schema)
    lines = _local_lines(copy, state.history_mark)
    held = {(t, k, f) for t, k, f in copy.repos.tx.query("SELECT tbl, key, field FROM offline_conflicts")}
    parked = _parked(copy)
    with server.transaction() as c:
        logged = c.execute(
            "SELECT outcome FROM offline_sync_log WHERE checkout_id = ? AND sync_no = ?",
            (state.checkout_id, state.sync_no),
        ).fetchone()
        theirs = index(read_scoped(server, schema, state.accounts), schema)
        plan = merge(base, mine, theirs, SYNCED, held)
        deleted_while_changed(plan, base, theirs, schema)
        hold_families(plan, base, mine, schema)
        plan.send += parked
        if logged:
            outcome = json.loads(logged[0])
        else:
            _refuse_unknown_columns(server, plan)
            outcome = _send(c, plan, (base, mine), schema, lines, progress)
            c.execute(
                # The schema's table (OFFLINE_LOG_STEP), in the login's own name (db/team.py).
                "INSERT INTO offline_sync_log (checkout_id, sync_no, login, at, by_user, outcome) "
                "VALUES (?, ?, session_user, ?, ?, ?)",
                (state.checkout_id, state.sync_no, actor_default().stamp(), actor_default().user, json.dumps(outcome)),
            )
        id_map: IdMap = {t: {int(k): v for k, v in m.items()} for t, m in outcome["id_map"].items()}
        accounts = None if state.accounts is None else state.accounts | set(id_map.get("accounts", {}).values())
        after = read_scoped(server, schema, accounts)
    report = Report(outcome["sent"], len(local_changes(base, theirs, SYNCED)), outcome["refused"], resumed=bool(logged))
    progress("receiving", 0, report.received)
    report.conflicts = _finish(copy, state, schema, after, accounts, plan, id_map, lines, report, parked)
    progress("receiving", report.received, report.received)
    return report


def _refuse_unknown_columns(server: Store, plan: Plan) -> None:
    """Table and column names go into the SQL the server runs: only the team store's own."""
    known = {t: {r[1] for r in server.repos.tx.query(f"PRAGMA table_info({t})")} for t in SYNCED}
    for change in plan.send:
        if change.table not in known or not set(change.fields) <= known[change.table]:
            raise InputError(f"the copy's {change.table} holds columns the team store does not have; nothing was sent")


def _parked(copy: Store) -> list[Change]:
    rows = copy.repos.tx.query("SELECT tbl, key, kind, fields FROM offline_parked ORDER BY id")
    return [Change(t, k, kind, json.loads(f)) for t, k, kind, f in rows]


def _send(
    c: Connection, plan: Plan, sides: tuple[Tables, Tables], schema: dict[str, TableInfo], lines: Lines,
    progress: Progress,
) -> dict[str, Any]:  # fmt: skip
    """Each change in its own savepoint: one the server refuses is reported and the rest go on."""
    base, mine = sides
    total, step = len(plan.send), max(1, len(plan.send) // 100)  # a hundred steps at most
    progress("sending", 0, total)
    id_map: IdMap = {}
    refused: list[dict[str, str]] = []
    sent = 0
    known = {t: {json.loads(k)[0] for k in rows} for t, rows in base.items() if "id" in schema[t].columns}
    why: Lost = {}
    for number, change in enumerate(plan.send, start=1):
        c.execute("SAVEPOINT offline_change")
        try:
            _apply(c, change, schema[change.table], known, (id_map, why), lines)
            c.execute("RELEASE SAVEPOINT offline_change")
            sent += 1
        except (Unsendable, sqlite3.IntegrityError, sqlite3.DatabaseError) as exc:
            if isinstance(exc, sqlite3.OperationalError):
                raise  # the server went away: nothing of this sync is kept
            c.execute("ROLLBACK TO SAVEPOINT offline_change")
            c.execute("RELEASE SAVEPOINT offline_change")
            reason = str(integrity_error(exc)) if isinstance(exc, sqlite3.IntegrityError) else str(exc)
            refused.append(_refusal(change, mine, reason))
            if change.kind == "insert" and "id" in change.fields:
                why[(change.table, change.fields["id"])] = reason
        if number % step == 0 or number == total:
            progress("sending", number, total)
    return {"id_map": id_map, "sent": sent, "refused": refused}


def _refusal(change: Change, mine: Tables, reason: str) -> dict[str, str]:
    return {"table": change.table, "key": change.key, "record": _record_name(change, mine),
            "change": change.kind, "reason": reason}  # fmt: skip


def _apply(
    c: Connection, change: Change, info: TableInfo, known: dict[str, set[Any]], ids: tuple[IdMap, Lost], lines: Lines
) -> None:
    # The server's history says when it was done in the copy (db/history.py); the sync's own
    # time for a record the history does not follow.
    at = _made_at(change, lines) or actor_default().stamp()
    c.execute("SELECT set_config('stakeworks.at', ?, true)", (at,))
    id_map = ids[0]
    values = _in_order(change.table, {f: _mapped(f, v, info, known, ids) for f, v in change.fields.items()})
    if change.kind == "insert":
        has_id = "id" in info.columns
        cols = [f for f in values if not (has_id and f == "id")]
        cur = c.execute(
            f"INSERT INTO {change.table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
            [values[f] for f in cols],
        )
        if has_id:
            id_map.setdefault(change.table, {})[change.fields["id"]] = int(cur.lastrowid or 0)
        return
    where = " AND ".join(f"{k} = ?" for k in info.key)
    key = json.loads(change.key)
    if change.kind == "delete":
        c.execute(f"DELETE FROM {change.table} WHERE {where}", key)
        return
    bump = ", version = version + 1" if "version" in info.columns else ""
    sets = ", ".join(f"{f} = ?" for f in values)
    c.execute(f"UPDATE {change.table} SET {sets}{bump} WHERE {where}", [*values.values(), *key])


def _in_order(table: str, values: Row) -> Row:
    """A pair the CHECK wants lower id first, in that order (new ids need not keep the old order)."""
    pair = ORDERED_PAIRS.get(table)
    if pair is None or not set(pair) <= set(values) or values[pair[0]] <= values[pair[1]]:
        return values
    return {**values, pair[0]: values[pair[1]], pair[1]: values[pair[0]]}


def _mapped(column: str, value: Any, info: TableInfo, known: dict[str, set[Any]], ids: tuple[IdMap, Lost]) -> Any:
    """A reference to a record made in the copy becomes the id the server gave it; one to a
    record the server refused is refused with the server's reason."""
    ref = info.refs.get(column)
    if ref is None or value is None or value in known.get(ref[0], {value}):
        return value
    id_map, why = ids
    if value in id_map.get(ref[0], {}):
        return id_map[ref[0]][value]
    parent = ref[0].rstrip("s").replace("_", " ")
    if (ref[0], value) in why:
        raise Unsendable(f"its {parent} made offline was refused: {why[(ref[0], value)]}")
    raise Unsendable(f"its {parent} made offline was not accepted by the server")


def _local_lines(copy: Store, mark: int) -> Lines:
    """When and by whom each field was last changed in the copy (its own history lines)."""
    out: Lines = {}
    for at, who, record, record_id, fld in copy.repos.tx.query(
        "SELECT at, by_user, record, record_id, field FROM history WHERE id > ? ORDER BY id", (mark,)
    ):
        out[(record, record_id, fld)] = (at, who)
    return out


def _made_at(change: Change, lines: Lines) -> str | None:
    record = RECORD.get(change.table)
    if record is None:
        return None
    row_id = change.fields.get("contact_id") if change.table == "contact_roles" else json.loads(change.key)[0]
    wanted = {"insert": ["created"], "delete": ["deleted"]}.get(change.kind, list(change.fields))
    if change.table == "contact_roles":
        wanted = ["role"]
    found = [lines[(record, row_id, f)][0] for f in wanted if (record, row_id, f) in lines]
    return max(found) if found else None


def _record_name(change: Change, mine: Tables) -> str:
    return label(change.table, change.key, mine, change.fields if change.kind == "insert" else None)


def label(table: str, key: str, tables: Tables, row: Row | None = None) -> str:
    """A record as a person reads it: `contact Dana Ruiz`, `sponsor assignment (executive Ann
    Lee, account Acme)`, from the copy's records."""
    kind = table.rstrip("s").replace("_", " ")
    row = row or tables.get(table, {}).get(key, {})
    if row.get("name"):
        return f"{kind} {row['name']}"
    refs = []
    for column, value in row.items():
        parent = column.removesuffix("_id") + "s"
        found = tables.get(parent, {}).get(json.dumps([value])) if column.endswith("_id") else None
        if found and found.get("name"):
            refs.append(f"{parent.rstrip('s')} {found['name']}")
    return f"{kind} ({', '.join(refs)})" if refs else f"{kind} {', '.join(str(k) for k in json.loads(key))}"


def _finish(
    copy: Store, state: Checkout, schema: dict[str, TableInfo], after: dict[str, list[Row]],
    accounts: set[int] | None, plan: Plan, id_map: IdMap, lines: Lines, report: Report, parked: list[Change],
) -> list[dict[str, Any]]:  # fmt: skip
    """The copy's side, in one transaction: the server's records, then what was not sent on top."""
    kept = {(r["table"], r["key"]) for r in report.refused} | {(x.table, x.key) for x in plan.conflicts}
    now = actor_default().stamp()
    with copy.repos.tx.unrecorded(), copy.transaction() as c:
        # Read under the copy's write lock: an edit saved while the server's side ran is kept too.
        base, mine = read_base(copy), index(interchange.dump(copy)["tables"], schema)
        known = {t: dict(rows) for t, rows in base.items()}
        keep_changed(plan, base, mine, schema)
        pending = local_changes(base, mine, SYNCED) + parked
        own_lines = c.execute(f"SELECT {_LINE} FROM history WHERE id > ? ORDER BY id", (state.history_mark,)).fetchall()
        interchange.load(copy, export_of(after), state.server, replace=True)
        mark = int(c.execute("SELECT coalesce(max(id), 0) FROM history").fetchone()[0])
        _park(c, _overlay(c, pending, schema, id_map, mine), report)
        _keep_lines(c, own_lines, kept, mine)
        write_base(c, index(after, schema))
        conflicts = _write_conflicts(c, plan, (mine, known), lines, _server_lines(after))
        c.execute(
            "INSERT OR REPLACE INTO offline_log (sync_no, at, sent, received, refused, conflicts) VALUES (?, ?, ?, ?, ?, ?)",
            (state.sync_no, now, report.sent, report.received, json.dumps(report.refused), len(conflicts)),
        )
        c.execute(
            "UPDATE offline_checkout SET sync_no = sync_no + 1, last_sync_at = ?, accounts = ?, history_mark = ?",
            (now, None if accounts is None else json.dumps(sorted(accounts)), mark),
        )
    return conflicts


_LINE = "at, by_user, account_id, record, record_id, name, field, old, new"


def _park(c: Connection, unfit: list[tuple[Change, str, str]], report: Report) -> None:
    """What the copy's records cannot hold is kept aside (offline_parked) and named in the report
    with the id that drops it (`sync --take theirs R1`)."""
    c.execute("DELETE FROM offline_parked")
    said = {(r["table"], r["key"]): r for r in report.refused}
    for change, record, reason in unfit:
        entry = said.get((change.table, change.key))
        cur = c.execute(
            "INSERT INTO offline_parked (tbl, key, kind, fields, record, reason) VALUES (?, ?, ?, ?, ?, ?)",
            (change.table, change.key, change.kind, json.dumps(change.fields), record,
             entry["reason"] if entry else reason),
        )  # fmt: skip
        if entry is None:
            entry = {"table": change.table, "key": change.key, "record": record, "change": change.kind,
                     "reason": reason}  # fmt: skip
            report.refused.append(entry)
        entry["id"] = f"R{cur.lastrowid}"


def _overlay(
    c: Connection, pending: list[Change], schema: dict[str, TableInfo], id_map: IdMap, mine: Tables
) -> list[tuple[Change, str, str]]:
    """The copy's changes the server does not hold (refused, in conflict, not sent) laid on its
    records again, so they stay in the copy; those its records cannot hold, with why."""
    remap: IdMap = {t: dict(m) for t, m in id_map.items()}
    lost: list[tuple[Change, str, str]] = []
    for change in pending:
        c.execute("SAVEPOINT offline_keep")
        try:
            _keep(c, change, schema[change.table], remap)
            c.execute("RELEASE SAVEPOINT offline_keep")
        except sqlite3.DatabaseError as exc:
            c.execute("ROLLBACK TO SAVEPOINT offline_keep")
            c.execute("RELEASE SAVEPOINT offline_keep")
            if change.kind == "insert":
                values = {f: remap.get(r[0], {}).get(v, v) if (r := schema[change.table].refs.get(f)) else v
                          for f, v in change.fields.items()}  # fmt: skip
                change = Change(change.table, change.key, change.kind, _in_order(change.table, values))
            reason = str(integrity_error(exc)) if isinstance(exc, sqlite3.IntegrityError) else str(exc)
            lost.append((change, _record_name(change, mine), reason))
    return lost


def _keep(c: Connection, change: Change, info: TableInfo, remap: IdMap) -> None:
    table = change.table
    values = _in_order(
        table, {f: remap.get(info.refs[f][0], {}).get(v, v) if f in info.refs else v for f, v in change.fields.items()}
    )
    if change.kind == "insert":
        if "id" in info.columns:
            local = int(values["id"])
            if local in remap.get(table, {}):
                return  # sent: the server's record with its id is in the copy now
            if c.execute(f"SELECT 1 FROM {table} WHERE id = ?", (local,)).fetchone():
                fresh = int(c.execute(f"SELECT max(id) + 1 FROM {table}").fetchone()[0])
                remap.setdefault(table, {})[local] = fresh
                values["id"] = fresh
        elif c.execute(_where(f"SELECT 1 FROM {table}", info), [values[k] for k in info.key]).fetchone():
            return
        cols = list(values)
        c.execute(
            f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})", list(values.values())
        )
        return
    key = json.loads(change.key)
    if change.kind == "delete":
        c.execute(_where(f"DELETE FROM {table}", info), key)
        return
    sets = ", ".join(f"{f} = ?" for f in values)
    c.execute(_where(f"UPDATE {table} SET {sets}", info), [*values.values(), *key])


def _where(head: str, info: TableInfo) -> str:
    return f"{head} WHERE " + " AND ".join(f"{k} = ?" for k in info.key)


def _keep_lines(c: Connection, own: list[Any], kept: set[tuple[str, str]], mine: Tables) -> None:
    """The copy's own history lines of what it keeps unsent, so a later sync still dates them."""
    records = set()
    for table, key in kept:
        row = mine.get(table, {}).get(key, {})
        record_id = row.get("contact_id") if table == "contact_roles" else json.loads(key)[0]
        if table in RECORD:
            records.add((RECORD[table], record_id))
    rows = [line for line in own if (line[3], line[4]) in records]
    c.executemany(f"INSERT INTO history ({_LINE}) VALUES ({', '.join('?' * 9)})", rows)


def _server_lines(after: dict[str, list[Row]]) -> Lines:
    out: Lines = {}
    for line in after.get("history", []):
        out[(line["record"], line["record_id"], line["field"])] = (line["at"], line["by_user"])
    return out


def _write_conflicts(
    c: Connection, plan: Plan, tables: tuple[Tables, Tables], lines: Lines, theirs: Lines
) -> list[dict[str, Any]]:
    """The conflicts of this sync, each keeping its id while it stays one; the others resolved
    themselves. A whole record's keeps what it said when it began (both sides' words then)."""
    mine, base = tables
    c.execute("CREATE TEMP TABLE IF NOT EXISTS offline_current (tbl TEXT, key TEXT, field TEXT)")
    c.execute("DELETE FROM temp.offline_current")
    for x in plan.conflicts:
        record = RECORD.get(x.table) or ""
        row_id = json.loads(x.key)[0]
        mine_by = _latest(lines, record, row_id, _fields(x, mine=True)) or ("", actor_default().user)
        theirs_by = _latest(theirs, record, row_id, _fields(x, mine=False)) or ("", "")
        row = mine.get(x.table, {}).get(x.key) or base.get(x.table, {}).get(x.key)
        c.execute(
            "INSERT INTO offline_conflicts (tbl, key, field, record, mine, theirs, mine_by, mine_at, theirs_by, theirs_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tbl, key, field) DO UPDATE SET "
            "theirs = excluded.theirs, theirs_by = excluded.theirs_by, theirs_at = excluded.theirs_at "
            f"WHERE field <> '{WHOLE}'",
            (x.table, x.key, x.field, label(x.table, x.key, mine, row), json.dumps(x.mine), json.dumps(x.theirs),
             mine_by[1], mine_by[0], theirs_by[1], theirs_by[0]),
        )  # fmt: skip
        c.execute("INSERT INTO temp.offline_current VALUES (?, ?, ?)", (x.table, x.key, x.field))
    c.execute(
        "DELETE FROM offline_conflicts WHERE (tbl, key, field) NOT IN (SELECT tbl, key, field FROM temp.offline_current)"
    )
    return conflicts_in(c)


def _fields(x: Conflict, *, mine: bool) -> list[str]:
    """The history's fields that say who made one side of a conflict, and when."""
    if x.field != WHOLE:
        return ["role" if x.table == "contact_roles" else x.field]
    deleted_here = x.mine == "deleted"
    return ["deleted"] if deleted_here == mine else list(x.changed)


def _latest(lines: Lines, record: str, row_id: Any, fields: list[str]) -> tuple[str, str] | None:
    found = [lines[(record, row_id, f)] for f in fields if (record, row_id, f) in lines]
    return max(found) if found else None


def conflicts_in(c: Connection) -> list[dict[str, Any]]:
    rows = c.execute(
        "SELECT id, record, field, mine, theirs, mine_by, mine_at, theirs_by, theirs_at FROM offline_conflicts ORDER BY id"
    ).fetchall()
    return [
        {"id": r[0], "record": r[1], "field": r[2], "mine": json.loads(r[3]), "theirs": json.loads(r[4]),
         "mine_by": r[5], "mine_at": r[6], "theirs_by": r[7], "theirs_at": r[8]}
        for r in rows
    ]  # fmt: skip


def conflicts(copy: Store) -> list[dict[str, Any]]:
    """The copy's open conflicts, oldest first."""
    read_checkout(copy)
    return conflicts_in(copy.conn)


def kept_aside(copy: Store) -> list[dict[str, Any]]:
    """The refused changes the copy keeps aside (offline_parked), as conflicts read: mine is the
    change, theirs the server's reason."""
    read_checkout(copy)
    rows = copy.repos.tx.query("SELECT id, record, kind, reason FROM offline_parked ORDER BY id")
    return [{"id": f"R{r[0]}", "record": r[1], "field": f"({r[2]})", "mine": "kept in this copy", "theirs": r[3],
             "mine_by": "", "mine_at": "", "theirs_by": "refused by the server", "theirs_at": ""} for r in rows]  # fmt: skip


def take(copy: Store, conflict_id: str, side: str) -> dict[str, Any]:
    """Resolve one conflict in the copy: `mine` is sent at the next sync, `theirs` replaces the
    copy's value. Nothing reaches the server until then (it works offline)."""
    read_checkout(copy)
    if side not in ("mine", "theirs"):
        raise InputError(f"--take {side!r}: say mine or theirs")
    if conflict_id.upper().startswith("R"):
        return _take_parked(copy, conflict_id, side)
    found = [x for x in conflicts(copy) if str(x["id"]) == conflict_id]
    if not found:
        raise InputError(f"no conflict {conflict_id!r} in {copy.location}; `stakeworks sync --json` lists them")
    table, key, fld = copy.repos.tx.query(
        "SELECT tbl, key, field FROM offline_conflicts WHERE id = ?", (found[0]["id"],)
    )[0]
    if fld == WHOLE:
        return take_whole(copy, found[0], table, key, side)
    info = schema_of(copy).get(table)
    if table not in SYNCED or info is None or fld not in info.columns:
        raise InputError(f"conflict {conflict_id} names no field of this copy ({table}.{fld}); nothing was changed")
    with copy.transaction() as c:
        if side == "theirs":
            c.execute(_where(f"UPDATE {table} SET {fld} = ?", info), [found[0]["theirs"], *json.loads(key)])
        c.execute("DELETE FROM offline_conflicts WHERE id = ?", (found[0]["id"],))
    return found[0]


def _take_parked(copy: Store, parked_id: str, side: str) -> dict[str, Any]:
    """A refused change kept aside: `theirs` drops it (the server's records stand), `mine`
    keeps it to be sent again at the next sync."""
    number = parked_id[1:]
    rows = (
        copy.repos.tx.query("SELECT id, record FROM offline_parked WHERE id = ?", (number,)) if number.isdigit() else []
    )
    if not rows:
        raise InputError(f"no refused change {parked_id!r} in {copy.location}; `stakeworks sync --json` lists them")
    if side == "theirs":
        with copy.transaction() as c:
            c.execute("DELETE FROM offline_parked WHERE id = ?", (rows[0][0],))
    return {"id": f"R{rows[0][0]}", "record": rows[0][1], "field": "the whole change"}
