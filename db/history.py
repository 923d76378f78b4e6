"""Who changed what, on both backends: one description of what the history records, and
the triggers it becomes on SQLite and on PostgreSQL (CLI.md "Team store").

The engine writes the history itself, so no code path (an import, the playbook, an undo, a
second app on the same store) can change the map without leaving a line. Who and when come
from the transaction: on a file, `history_actor`'s one row, written first in every write
transaction (writes to a file are serialised, so it is always this writer's); on a server,
`SET LOCAL stakeworks.user/.at`, which is per transaction by construction. Loading an export
or copying a store turns recording off for its transaction: the copy's history is the
source's, not a second one made up by the load.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Recorded:
    """One table the history records: what a row is called and the fields worth a line.

    `account` and `name` are SQL over the row (`{r}` stands for NEW or OLD), `fields` maps a
    field's name in the history to SQL of its value as text (None: the column itself)."""

    table: str
    record: str
    account: str
    name: str
    fields: dict[str, str | None]
    key: str = "{r}.id"  # the record's own id, where it has one (a role is its contact's)


RECORDED: tuple[Recorded, ...] = (
    Recorded(
        "accounts", "account", "{r}.id", "{r}.name",
        {f: None for f in ("name", "arr", "currency", "renewal_date", "tier", "industry", "region", "csm",
                           "strategic_value", "growth_potential", "kraljic", "last_ebr", "next_ebr", "notes",
                           "domain", "crm_id")},
    ),
    Recorded(
        "contacts", "contact", "{r}.account_id", "{r}.name",
        {
            **{f: None for f in ("name", "title", "email", "department", "level", "strength", "sentiment", "status",
                                 "departed_on", "key_to_success", "engagement_strategy", "notes", "crm_id")},
            "reports_to": "(SELECT name FROM contacts b WHERE b.id = {r}.reports_to_id)",
            "account": "(SELECT name FROM accounts a WHERE a.id = {r}.account_id)",
        },
    ),
    Recorded("contact_roles", "role", "", "", {"role": None}, "{r}.contact_id"),  # about the person: _statements
    Recorded(
        "sponsor_assignments", "sponsor", "{r}.account_id",
        "(SELECT name FROM executives WHERE id = {r}.executive_id)", {"active": None, "ended_on": None},
    ),
)  # fmt: skip

TABLE = """
CREATE TABLE history (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    by_user TEXT NOT NULL DEFAULT '',
    account_id INTEGER NOT NULL,
    record TEXT NOT NULL,
    record_id INTEGER,
    name TEXT NOT NULL DEFAULT '',
    field TEXT NOT NULL,
    old TEXT,
    new TEXT
)"""
# No foreign key on account_id: the history of a deleted account says who deleted it.
INDEX = "CREATE INDEX history_account ON history (account_id, at)"
ACTOR = """
CREATE TABLE history_actor (
    one INTEGER PRIMARY KEY CHECK (one = 1),
    who TEXT NOT NULL DEFAULT '',
    at TEXT NOT NULL DEFAULT '',
    recording INTEGER NOT NULL DEFAULT 1
)"""

_COLUMNS = "at, by_user, account_id, record, record_id, name, field, old, new"


def _key(spec: Recorded, r: str) -> str:
    return spec.key.format(r=r)


def _guard(spec: Recorded, r: str, word: str = "WHERE") -> str:
    """A record reached through its contact has no line when the contact goes in the same
    statement (the contact's own line says it)."""
    return f" {word} {spec.account.format(r=r)} IS NOT NULL" if "SELECT" in spec.account else ""


def _value(spec: Recorded, field: str, r: str, text: str) -> str:
    sql = spec.fields[field] or f"{r}.{field}"
    return text.format(sql.format(r=r))


def _statements(spec: Recorded, *, who: str, at: str, text: str) -> dict[str, str]:
    """The INSERT ... SELECT of each operation (insert, update, delete) of one recorded table."""
    head = f"INSERT INTO history ({_COLUMNS}) SELECT {at}, {who}"
    if spec.table == "contact_roles":  # a role gained or lost is a line about the person
        # Through the contact: when the contact itself is being deleted, its roles go with it
        # without a line each (the contact's own line says it).
        insert = f"{head}, c.account_id, 'contact', c.id, c.name, 'role', NULL, NEW.role FROM contacts c WHERE c.id = NEW.contact_id"
        delete = f"{head}, c.account_id, 'contact', c.id, c.name, 'role', OLD.role, NULL FROM contacts c WHERE c.id = OLD.contact_id"
        return {"insert": insert, "delete": delete}
    new_account, new_name = spec.account.format(r="NEW"), spec.name.format(r="NEW")
    rows = [(f, _value(spec, f, "OLD", text), _value(spec, f, "NEW", text), new_account) for f in spec.fields]
    if "account" in spec.fields:  # a person who moved is a line at the account they left too
        moved = next(r for r in rows if r[0] == "account")
        rows.append(("account", moved[1], moved[2], spec.account.format(r="OLD")))
    values = ", ".join(f"('{f}', {old}, {new}, {acct})" for f, old, new, acct in rows)
    return {
        "insert": f"{head}, {new_account}, '{spec.record}', {_key(spec, 'NEW')}, {new_name}, 'created', NULL, {new_name}",
        "update": f"{head}, f.account_id, '{spec.record}', {_key(spec, 'NEW')}, {new_name}, f.field, f.old, f.new "
        f"FROM (SELECT NULL AS field, NULL AS old, NULL AS new, NULL AS account_id UNION ALL VALUES {values}) f "
        "WHERE f.field IS NOT NULL AND f.old IS DISTINCT FROM f.new" + _guard(spec, "NEW", "AND"),
        "delete": f"{head}, {spec.account.format(r='OLD')}, '{spec.record}', {_key(spec, 'OLD')}, "
        f"{spec.name.format(r='OLD')}, 'deleted', {spec.name.format(r='OLD')}, NULL{_guard(spec, 'OLD')}",
    }


def sqlite_triggers() -> list[str]:
    """The history's triggers on a file: AFTER each write, while `history_actor` records."""
    out = []
    when = "WHEN (SELECT recording FROM history_actor) = 1"
    who, at = "(SELECT who FROM history_actor)", "(SELECT at FROM history_actor)"
    for spec in RECORDED:
        for op, sql in _statements(spec, who=who, at=at, text="CAST({} AS TEXT)").items():
            # A contact's (or an account's) delete cascades: its lines come from its own trigger.
            sql = sql.replace("IS DISTINCT FROM", "IS NOT")
            out.append(
                f"CREATE TRIGGER history_{spec.table}_{op} AFTER {op.upper()} ON {spec.table} {when} BEGIN {sql}; END"
            )
    return out


# Who: the person the team table names for the login (db/team.py), never a name the client
# sets; recording: off only for the store's owner loading a copy.
_PG_WHO = "sw_who()"
_PG_AT = (
    "coalesce(nullif(current_setting('stakeworks.at', true), ''), "
    "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'))"
)
_PG_ON = "sw_recording()"


def postgres_triggers() -> list[str]:
    """The same on a server: one PL/pgSQL function per table and operation; inserts are
    written once per statement (see `_postgres_inserts`)."""
    out = []
    for spec in RECORDED:
        for op, sql in _statements(spec, who=_PG_WHO, at=_PG_AT, text="({})::text").items():
            if op == "insert":
                out += _postgres_inserts(spec)
                continue
            name = f"history_{spec.table}_{op}"
            row = "OLD" if op == "delete" else "NEW"
            out.append(
                f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                f"IF {_PG_ON} THEN {sql}; END IF; RETURN {row}; END $$"
            )
            out.append(_postgres_row_trigger(spec, op))
    return out


def _postgres_row_trigger(spec: Recorded, op: str) -> str:
    """An update or delete trigger, per row. An update's is called only when a column its lines
    read changed (schema 19, issue 36): a touch moves its contact's last touch, which no line
    records, and an import's 20,000 touches called the function 20,000 times for nothing."""
    name, when = f"history_{spec.table}_{op}", ""
    if op == "update":
        columns = list(
            dict.fromkeys(c for f, sql in spec.fields.items() for c in (_COLUMN.findall(sql) if sql else [f]))
        )
        old, new = (", ".join(f"{r}.{c}" for c in columns) for r in ("OLD", "NEW"))
        when = f"WHEN (({old}) IS DISTINCT FROM ({new})) "
    return f"CREATE TRIGGER {name} AFTER {op.upper()} ON {spec.table} FOR EACH ROW {when}EXECUTE FUNCTION {name}()"


_COLUMN = re.compile(r"\{r\}\.(\w+)")


def _postgres_inserts(spec: Recorded) -> list[str]:
    """The lines of the rows a statement inserted, all at once from its transition table: an
    import of 20,000 contacts runs this once, not 20,000 functions (issue 20). Who and when are
    worked out once, a row's contact is looked up once (issue 36: an import's 20,000 touches
    took 0.7 s of lookups, four a row, and as many calls for who and when, now 0.25 s), and the
    rows are read in the order they were written (a nested loop over them: no join reorders)."""
    name = f"history_{spec.table}_insert"
    head = f"INSERT INTO history ({_COLUMNS}) SELECT w.at, w.who"
    source = f"(SELECT {_PG_AT} AS at, {_PG_WHO} AS who OFFSET 0) w CROSS JOIN new_rows n"
    person = (
        " LEFT JOIN LATERAL (SELECT c.account_id, c.name FROM contacts c WHERE c.id = n.contact_id OFFSET 0) c ON true"
    )
    guard = _guard(spec, "n")
    if spec.table == "contact_roles":  # a line about the person, as on a file
        sql = f"{head}, c.account_id, 'contact', n.contact_id, c.name, 'role', NULL, n.role FROM {source}{person}"
    else:
        label, account = spec.name.format(r="n"), spec.account.format(r="n")
        if spec.account == _CONTACT_ACCOUNT:  # through its contact: the one lookup
            label = label.replace(_CONTACT_NAME.format(r="n"), "coalesce(c.name, '')")
            account, source, guard = "c.account_id", source + person, " WHERE c.account_id IS NOT NULL"
        sql = f"{head}, {account}, '{spec.record}', {_key(spec, 'n')}, {label}, 'created', NULL, {label} FROM {source}"
    return [
        f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"IF {_PG_ON} THEN {sql}{guard}; END IF; RETURN NULL; END $$",
        f"CREATE TRIGGER {name} AFTER INSERT ON {spec.table} REFERENCING NEW TABLE AS new_rows "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()",
    ]


def postgres_inserts_per_statement() -> list[str]:
    """Server schema 14: the insert triggers of schema 12 (one function call per row) replaced."""
    out = []
    for spec in RECORDED:
        name = f"history_{spec.table}_insert"
        out += [f"DROP TRIGGER {name} ON {spec.table}", f"DROP FUNCTION {name}()", *_postgres_inserts(spec)]
    return out


# Recorded on a server only: a file's history triggers are its schema's (a file step would be
# needed to add them); a team store's manager reviews who talked to whom and who decided.
_CONTACT_ACCOUNT = "(SELECT c.account_id FROM contacts c WHERE c.id = {r}.contact_id)"
_CONTACT_NAME = "coalesce((SELECT c.name FROM contacts c WHERE c.id = {r}.contact_id), '')"
SERVER_RECORDED: tuple[Recorded, ...] = (
    Recorded("touches", "touch", _CONTACT_ACCOUNT, _CONTACT_NAME,
             {f: None for f in ("date", "kind", "note", "by_name")}),
    Recorded("playbook_tasks", "task", "{r}.account_id", "{r}.action",
             {f: None for f in ("owner", "due_date", "done", "cancelled_on")}),
    Recorded("plan_items", "plan item", "{r}.account_id", "coalesce(nullif({r}.target_label, ''), {r}.first_action)",
             {f: None for f in ("target_label", "path_label", "first_action", "due_date", "status")}),
    Recorded("signals", "signal", _CONTACT_ACCOUNT, "{r}.kind || ': ' || " + _CONTACT_NAME,
             {f: None for f in ("status", "decided_by", "decided_on")}),
    Recorded("sponsor_reviews", "sponsorship review", "{r}.account_id",
             "coalesce((SELECT name FROM executives WHERE id = {r}.executive_id), '')",
             {f: None for f in ("status", "decided_by", "decision_reason")}),
    Recorded("meta", "setting", "0", "{r}.key", {"value": None}, "NULL"),  # account 0: the store's
)  # fmt: skip


def postgres_team_history() -> list[str]:
    """Every history function as the team layer wants it (db/team.py): run as the store's owner,
    the only writer of the history, with the person from the team table; and the server-only
    tables' triggers. Idempotent: run at init, after upgrades and when roles arrive."""
    out = []
    for spec in RECORDED + SERVER_RECORDED:
        for op, sql in _statements(spec, who=_PG_WHO, at=_PG_AT, text="({})::text").items():
            name = f"history_{spec.table}_{op}"
            if op == "insert":
                function, trigger = _postgres_inserts(spec)
            else:
                row = "OLD" if op == "delete" else "NEW"
                function = (f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                            f"IF {_PG_ON} THEN {sql}; END IF; RETURN {row}; END $$")  # fmt: skip
                trigger = _postgres_row_trigger(spec, op)
            function = function.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1).replace(
                "LANGUAGE plpgsql AS", "LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS", 1
            )
            out += [function, f"DROP TRIGGER IF EXISTS {name} ON {spec.table}", trigger]
    out.append(
        "CREATE OR REPLACE FUNCTION notify_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "PERFORM pg_notify('stakeworks', TG_TABLE_NAME || ' ' || sw_who()); RETURN NULL; END $$"
    )
    return out


def migration() -> list[str]:
    """Schema 12 on a file: the history, its actor row and its triggers."""
    return [TABLE, INDEX, ACTOR, "INSERT INTO history_actor (one) VALUES (1)", *sqlite_triggers()]
