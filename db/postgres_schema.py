"""The team store's schema: the file's, at its latest version, said in PostgreSQL.

One description of the schema: the tables and indexes are read from a file store migrated to
LATEST_VERSION (db/schema.py) and translated, so the two backends cannot drift apart in a
column, a default or a CHECK; what SQLite says with triggers (the rules, the verdict cache,
the touch log's latest) is said here in PL/pgSQL with the same refusals, word for word. A
server store keeps its version in `stakeworks_schema`; a later file migration brings its
server step in `UPGRADES` (version -> statements), run by `upgrade()` like a file's.
"""

from __future__ import annotations

import re
import sqlite3
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from stakeworks.db import history
from stakeworks.db.schema import EMAIL_KEY_STEP, LATEST_VERSION, OFFLINE_LOG_STEP, PEOPLE_STEP, TRIGGERS_STEP

if TYPE_CHECKING:
    import psycopg

# Parents first: a server checks a reference when the table is created.
ORDER = (
    "meta", "accounts", "executives", "contacts", "contact_roles", "contact_links", "influences", "touches",
    "executive_contacts",
    "sponsor_assignments", "plan_items", "playbook_tasks", "score_history", "verdict_cache", "sponsor_reviews",
    "signals", "upcoming_meetings", "history", "history_actor", "interactions", "our_people", "seen_dismissed",
    "suggestion_rejections", "offline_sync_log",
)  # fmt: skip
# Schema steps after the first server version (12): version -> statements.
UPGRADES: dict[int, list[str]] = {
    13: ["ALTER TABLE verdict_cache ADD COLUMN valid_until TEXT NOT NULL DEFAULT ''"],
}  # 14 is set below ON_INSERT, which it installs
FIRST_SERVER_VERSION = 12

VERDICT_STALE_CONTACT = "CREATE TRIGGER verdict_stale_contact AFTER UPDATE OR DELETE ON contacts FOR EACH ROW EXECUTE FUNCTION verdict_stale()"
VERDICT_STALE_ROLE = (
    "CREATE TRIGGER verdict_stale_role AFTER DELETE ON contact_roles FOR EACH ROW EXECUTE FUNCTION verdict_stale()"
)

# Inserts set off their checks and consequences once per statement, over its rows (a transition
# table), not once per row: a PL/pgSQL call costs as much as the insert of a contact, and an
# import writes 20,000 at once with COPY. Same ends as the per-row triggers of a file: a
# reports-to in another account is refused with the same words, a touch moves its contact's
# last touch only forward (the last written wins a tie of days, as row by row), and the
# accounts written to lose their cached verdicts. Schema 14 (issue 20).
ON_INSERT = [
    """CREATE FUNCTION contacts_reports_to_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM new_rows n WHERE n.reports_to_id IS NOT NULL
               AND (SELECT c.account_id FROM contacts c WHERE c.id = n.reports_to_id) IS DISTINCT FROM n.account_id) THEN
        RAISE EXCEPTION 'reports-to must be a contact of the same account';
    END IF;
    RETURN NULL;
END $$""",
    "CREATE TRIGGER contacts_reports_to_insert AFTER INSERT ON contacts REFERENCING NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION contacts_reports_to_inserted()",
    """CREATE FUNCTION touches_last_touch_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE contacts c SET last_touch = t.date, last_touch_kind = t.kind
    FROM (SELECT DISTINCT ON (contact_id) contact_id, date, kind FROM new_rows
          ORDER BY contact_id, date DESC, id DESC) t
    WHERE c.id = t.contact_id
      AND (t.date > coalesce(c.last_touch, '') OR (t.date = c.last_touch AND t.kind IS DISTINCT FROM c.last_touch_kind));
    RETURN NULL;
END $$""",
    "CREATE TRIGGER touches_last_touch_insert AFTER INSERT ON touches REFERENCING NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION touches_last_touch_inserted()",
    """CREATE FUNCTION verdict_stale_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'contacts' THEN
        DELETE FROM verdict_cache WHERE account_id IN (SELECT account_id FROM new_rows);
    ELSE
        DELETE FROM verdict_cache WHERE account_id IN
            (SELECT c.account_id FROM contacts c WHERE c.id IN (SELECT contact_id FROM new_rows));
    END IF;
    RETURN NULL;
END $$""",
    "CREATE TRIGGER verdict_stale_contact_insert AFTER INSERT ON contacts REFERENCING NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION verdict_stale_inserted()",
    "CREATE TRIGGER verdict_stale_role_insert AFTER INSERT ON contact_roles REFERENCING NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION verdict_stale_inserted()",
]

FUNCTIONS = [
    r"""CREATE FUNCTION sw_is_day(t text) RETURNS boolean LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF t IS NULL THEN RETURN NULL; END IF;
    RETURN t ~ '^\d{4}-\d{2}-\d{2}$' AND to_char(to_date(t, 'YYYY-MM-DD'), 'YYYY-MM-DD') = t;
EXCEPTION WHEN others THEN RETURN false;
END $$""",
    # SQLite's date(day, '+N days'), the one modifier the store's SQL uses (db/postgres.py).
    r"""CREATE FUNCTION sw_date(t text, m text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF t IS NULL OR m IS NULL THEN RETURN NULL; END IF;
    RETURN to_char(to_date(t, 'YYYY-MM-DD') + regexp_replace(m, '\s*days?$', '')::int, 'YYYY-MM-DD');
EXCEPTION WHEN others THEN RETURN NULL;
END $$""",
]

# The file's triggers (db/schema.py), one for one, with the same messages.
RULES = [
    """CREATE FUNCTION contacts_reports_to() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.reports_to_id IS NOT NULL THEN
        IF (SELECT account_id FROM contacts WHERE id = NEW.reports_to_id) IS DISTINCT FROM NEW.account_id THEN
            RAISE EXCEPTION 'reports-to must be a contact of the same account';
        END IF;
        IF TG_OP = 'UPDATE' AND EXISTS (
            WITH RECURSIVE chain(id) AS (
                SELECT NEW.reports_to_id
                UNION
                SELECT c.reports_to_id FROM contacts c JOIN chain ON c.id = chain.id WHERE c.reports_to_id IS NOT NULL
            ) SELECT 1 FROM chain WHERE chain.id = NEW.id) THEN
            RAISE EXCEPTION 'reports-to would form a cycle';
        END IF;
    END IF;
    RETURN NEW;
END $$""",
    "CREATE TRIGGER contacts_reports_to_update BEFORE UPDATE OF reports_to_id ON contacts FOR EACH ROW "
    "EXECUTE FUNCTION contacts_reports_to()",
    """CREATE FUNCTION touches_last_touch() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE who bigint := CASE WHEN TG_OP = 'DELETE' THEN OLD.contact_id ELSE NEW.contact_id END;
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NOT (NEW.date > coalesce((SELECT last_touch FROM contacts WHERE id = who), '')
                OR (NEW.date = (SELECT last_touch FROM contacts WHERE id = who)
                    AND NEW.kind IS DISTINCT FROM (SELECT last_touch_kind FROM contacts WHERE id = who))) THEN
            RETURN NULL;
        END IF;
        UPDATE contacts SET last_touch = NEW.date, last_touch_kind = NEW.kind WHERE id = who;
    ELSE
        UPDATE contacts SET
            last_touch = (SELECT max(t.date) FROM touches t WHERE t.contact_id = who),
            last_touch_kind = (SELECT t.kind FROM touches t WHERE t.contact_id = who ORDER BY t.date DESC, t.id DESC LIMIT 1)
        WHERE id = who;
    END IF;
    RETURN NULL;
END $$""",
    "CREATE TRIGGER touches_last_touch_delete AFTER DELETE ON touches FOR EACH ROW EXECUTE FUNCTION touches_last_touch()",
    # The executive's row is locked first: two writers assigning the same executive at once
    # count one after the other, never both against the same old count.
    """CREATE FUNCTION sponsor_capacity() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE ex record;
BEGIN
    IF NEW.active <> 1 THEN RETURN NEW; END IF;
    SELECT capacity, active INTO ex FROM executives WHERE id = NEW.executive_id FOR UPDATE;
    IF TG_OP = 'INSERT' AND ex.active = 0 THEN RAISE EXCEPTION 'executive is retired'; END IF;
    IF (SELECT count(*) FROM sponsor_assignments
        WHERE executive_id = NEW.executive_id AND active = 1 AND id <> NEW.id) >= ex.capacity THEN
        RAISE EXCEPTION 'sponsor over capacity';
    END IF;
    RETURN NEW;
END $$""",
    "CREATE TRIGGER sponsor_capacity_insert BEFORE INSERT ON sponsor_assignments FOR EACH ROW "
    "EXECUTE FUNCTION sponsor_capacity()",
    "CREATE TRIGGER sponsor_capacity_update BEFORE UPDATE OF active, executive_id ON sponsor_assignments "
    "FOR EACH ROW EXECUTE FUNCTION sponsor_capacity()",
    """CREATE FUNCTION executives_capacity_shrink() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT count(*) FROM sponsor_assignments WHERE executive_id = NEW.id AND active = 1) > NEW.capacity THEN
        RAISE EXCEPTION 'sponsor over capacity';
    END IF;
    RETURN NEW;
END $$""",
    "CREATE TRIGGER executives_capacity_shrink BEFORE UPDATE OF capacity ON executives FOR EACH ROW "
    "EXECUTE FUNCTION executives_capacity_shrink()",
    """CREATE FUNCTION verdict_stale() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'contacts' THEN
        DELETE FROM verdict_cache WHERE account_id IN (
            CASE WHEN TG_OP = 'INSERT' THEN NEW.account_id ELSE OLD.account_id END,
            CASE WHEN TG_OP = 'DELETE' THEN OLD.account_id ELSE NEW.account_id END);
    ELSIF TG_TABLE_NAME = 'contact_roles' THEN
        DELETE FROM verdict_cache WHERE account_id = (SELECT account_id FROM contacts WHERE id =
            CASE WHEN TG_OP = 'DELETE' THEN OLD.contact_id ELSE NEW.contact_id END);
    ELSIF TG_TABLE_NAME = 'meta' THEN
        IF NEW.key = 'settings' THEN DELETE FROM verdict_cache; END IF;
    ELSIF TG_TABLE_NAME = 'accounts' THEN
        DELETE FROM verdict_cache WHERE account_id = NEW.id;
    END IF;
    RETURN NULL;
END $$""",
    VERDICT_STALE_ROLE,
    "CREATE TRIGGER verdict_stale_settings AFTER INSERT OR UPDATE ON meta FOR EACH ROW EXECUTE FUNCTION verdict_stale()",
    "CREATE TRIGGER verdict_stale_account_update AFTER UPDATE OF renewal_date ON accounts FOR EACH ROW "
    "EXECUTE FUNCTION verdict_stale()",
    # Live for the team: one notice per statement that changes the map, naming who; every open
    # app on this database LISTENs and refreshes what it shows (screens/live.py).
    """CREATE FUNCTION notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('stakeworks', TG_TABLE_NAME || ' ' || coalesce(nullif(current_setting('stakeworks.user', true), ''), current_user));
    RETURN NULL;
END $$""",
]
UPGRADES[14] = [
    "DROP TRIGGER contacts_reports_to_insert ON contacts",
    "DROP TRIGGER touches_last_touch_insert ON touches",
    "DROP TRIGGER verdict_stale_contact ON contacts",
    "DROP TRIGGER verdict_stale_role ON contact_roles",
    VERDICT_STALE_CONTACT,
    VERDICT_STALE_ROLE,
    *ON_INSERT,
    *history.postgres_inserts_per_statement(),
]
# Schema TRIGGERS_STEP (issue 36): a contact changed or deleted stales its accounts' verdicts once
# per statement, from its transition tables, not once per row: a touch moves its contact's last
# touch, and an import's 20,000 touches made 20,000 calls (the file's per-row trigger is a
# function call in-process).
VERDICT_STALE_CHANGED = [
    """CREATE OR REPLACE FUNCTION verdict_stale_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        DELETE FROM verdict_cache WHERE account_id IN (SELECT account_id FROM old_rows UNION SELECT account_id FROM new_rows);
    ELSE
        DELETE FROM verdict_cache WHERE account_id IN (SELECT account_id FROM old_rows);
    END IF;
    RETURN NULL;
END $$""",
    "CREATE TRIGGER verdict_stale_contact_update AFTER UPDATE ON contacts REFERENCING OLD TABLE AS old_rows "
    "NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION verdict_stale_changed()",
    "CREATE TRIGGER verdict_stale_contact_delete AFTER DELETE ON contacts REFERENCING OLD TABLE AS old_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION verdict_stale_changed()",
]
VERDICT_STALE_TRIGGERS = ("verdict_stale_contact_update", "verdict_stale_contact_delete")
NOTIFIED = ("accounts", "contacts", "contact_roles", "touches", "executives", "sponsor_assignments", "sponsor_reviews",
            "plan_items", "playbook_tasks", "signals", "contact_links", "influences")  # fmt: skip

# Schema PEOPLE_STEP (issue 33): the file's influence triggers (db/schema.py V_PEOPLE), with the same message.
INFLUENCE_RULES = [
    """CREATE FUNCTION influences_same_account() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT account_id FROM contacts WHERE id = NEW.from_id) IS DISTINCT FROM NEW.account_id
       OR (SELECT account_id FROM contacts WHERE id = NEW.to_id) IS DISTINCT FROM NEW.account_id THEN
        RAISE EXCEPTION 'an influence line joins two contacts of its own account';
    END IF;
    RETURN NEW;
END $$""",
    "CREATE TRIGGER influences_same_account BEFORE INSERT OR UPDATE ON influences FOR EACH ROW "
    "EXECUTE FUNCTION influences_same_account()",
    """CREATE FUNCTION verdict_stale_influence() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM verdict_cache WHERE account_id IN (
        CASE WHEN TG_OP = 'INSERT' THEN NEW.account_id ELSE OLD.account_id END,
        CASE WHEN TG_OP = 'DELETE' THEN OLD.account_id ELSE NEW.account_id END);
    RETURN NULL;
END $$""",
    "CREATE TRIGGER verdict_stale_influence AFTER INSERT OR UPDATE OR DELETE ON influences FOR EACH ROW "
    "EXECUTE FUNCTION verdict_stale_influence()",
]
NEW_TABLES = {PEOPLE_STEP: ("contact_links", "influences"), OFFLINE_LOG_STEP: ("offline_sync_log",)}
"""Tables a server step creates: made from the file's schema as `init` makes them."""
NEW_INDEXES = {PEOPLE_STEP: ("contacts_name_lower",)}
"""Indexes a server step adds to older tables, likewise."""

# Undo (db/undo.py) logs before-images while a recorded write runs: a file with temporary
# triggers; a server with these, which do nothing unless this session's write asked.
UNDO_FUNCTION = """CREATE FUNCTION undo_capture() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE img jsonb; k jsonb;
BEGIN
    IF coalesce(current_setting('stakeworks.undo', true), '') <> 'on' THEN RETURN NULL; END IF;
    img := CASE WHEN TG_OP = 'INSERT' THEN to_jsonb(NEW) ELSE to_jsonb(OLD) END;
    SELECT jsonb_agg(img -> key ORDER BY n) INTO k FROM unnest(TG_ARGV) WITH ORDINALITY AS t(key, n);
    INSERT INTO pg_temp.undo_log (tbl, op, key, old)
    VALUES (TG_TABLE_NAME, lower(left(TG_OP, 1)), k::text, CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE img::text END);
    RETURN NULL;
END $$"""


# Schema TRIGGERS_STEP: the server asks before it calls (a WHEN runs no PL/pgSQL), as the file's
# temporary triggers exist only while an undoable write runs; every row an import wrote called
# the function, which returned at once.
UNDO_WHEN = "WHEN (current_setting('stakeworks.undo', true) = 'on')"


def _file_schema() -> list[tuple[str, str, str, str]]:
    """(type, name, table, sql) of every table and index of a file store at the latest version."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        from stakeworks.db.connection import _migrate

        _migrate(conn, 0)
        return conn.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE sql IS NOT NULL AND type IN ('table', 'index')"
        ).fetchall()
    finally:
        conn.close()


def _table(sql: str) -> str:
    sql = re.sub(r"CREATE TABLE IF NOT EXISTS \"(\w+)\"", r"CREATE TABLE \1", sql)
    sql = re.sub(r"\bINTEGER PRIMARY KEY\b(?!\s*\()", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", sql)
    sql = re.sub(r"\bINTEGER\b", "BIGINT", sql)
    sql = re.sub(r"\bREAL\b", "DOUBLE PRECISION", sql)
    sql = re.sub(r"\)\s*WITHOUT ROWID", ")", sql)
    sql = re.sub(r"date\((\w+), '\+0 days'\) IS \1", r"sw_is_day(\1)", sql)
    return re.sub(
        r"(REFERENCES \w+\(\w+\)(?: ON DELETE (?:CASCADE|SET NULL))?)", r"\1 DEFERRABLE INITIALLY IMMEDIATE", sql
    )


def _index(sql: str) -> str:
    return re.sub(r"\((\w+) COLLATE NOCASE\)", r"(lower(\1))", sql)


@lru_cache(maxsize=1)
def statements() -> tuple[str, ...]:
    """Everything `init` runs on an empty database, in order."""
    objects = _file_schema()
    tables = {name: sql for kind, name, _, sql in objects if kind == "table"}
    assert set(tables) == set(ORDER), f"tables not placed in ORDER: {set(tables) ^ set(ORDER)}"
    out = list(FUNCTIONS)
    out += [_table(tables[t]) for t in ORDER]
    out += [_index(sql) for kind, _, _, sql in objects if kind == "index"]
    out += ["INSERT INTO history_actor (one) VALUES (1)"]
    out += RULES + VERDICT_STALE_CHANGED + ON_INSERT + INFLUENCE_RULES
    out += _notify(NOTIFIED)
    out += history.postgres_triggers()
    from stakeworks.db.undo import TRACKED

    out.append(UNDO_FUNCTION)
    out += _undo(TRACKED)
    out += [
        "CREATE TABLE stakeworks_schema (version INTEGER NOT NULL)",
        f"INSERT INTO stakeworks_schema (version) VALUES ({LATEST_VERSION})",
    ]
    return tuple(out)


def _notify(tables: tuple[str, ...]) -> list[str]:
    return [f"CREATE TRIGGER notify_{t} AFTER INSERT OR UPDATE OR DELETE ON {t} FOR EACH STATEMENT "
            "EXECUTE FUNCTION notify_change()" for t in tables]  # fmt: skip


def _undo(tracked: dict[str, tuple[str, ...]]) -> list[str]:
    out = []
    for table, keys in tracked.items():
        args = ", ".join(f"'{k}'" for k in keys)
        out.append(f"CREATE TRIGGER undo_{table} AFTER INSERT OR UPDATE OR DELETE ON {table} FOR EACH ROW "
                   f"{UNDO_WHEN} EXECUTE FUNCTION undo_capture({args})")  # fmt: skip
    return out


def _v15() -> list[str]:
    """Schema 15 (issue 32): the file's new tables and index, said as the server says them."""
    from stakeworks.db.schema import V15

    out = []
    for sql in (part.strip() for part in V15.split(";")):
        if sql.startswith("CREATE TABLE"):
            out.append(_table(sql))
        elif sql.startswith("CREATE INDEX"):
            out.append(_index(sql))
    return out + _undo({"seen_dismissed": ("address",), "suggestion_rejections": ("contact_id", "kind")})


UPGRADES[15] = _v15()
# The file's step: one index over a contact's address (a server past PEOPLE_STEP before it has the other two).
UPGRADES[EMAIL_KEY_STEP] = ["DROP INDEX IF EXISTS contacts_email", "DROP INDEX IF EXISTS contacts_email_lower"]


def _triggers_step() -> list[str]:
    """Schema TRIGGERS_STEP (issue 36): the verdicts staled once per statement, the undo triggers
    asked before they are called; the history's update triggers get their WHEN from
    `team.install`, which runs after every step (db/history.py `postgres_team_history`)."""
    from stakeworks.db.undo import TRACKED

    # Made again where they are: a store set back to an earlier version (the tests of earlier steps) has them.
    out = [f"DROP TRIGGER IF EXISTS {name} ON contacts" for name in ("verdict_stale_contact", *VERDICT_STALE_TRIGGERS)]
    out += VERDICT_STALE_CHANGED
    out += [f"DROP TRIGGER IF EXISTS undo_{table} ON {table}" for table in TRACKED]
    return out + _undo(TRACKED)


def _step(number: int) -> list[str]:
    """A server step's statements: `UPGRADES`, or new tables as `init` makes them, with their
    indexes, rules, notices and undo triggers."""
    if number in UPGRADES:
        return UPGRADES[number]
    if number == TRIGGERS_STEP:
        return _triggers_step()
    from stakeworks.db.undo import TRACKED

    new = NEW_TABLES[number]
    objects = _file_schema()
    out = [_table(sql) for kind, name, _, sql in objects if kind == "table" and name in new]
    out += [_index(sql) for kind, name, table, sql in objects
            if kind == "index" and (table in new or name in NEW_INDEXES.get(number, ()))]  # fmt: skip
    out += INFLUENCE_RULES if number == PEOPLE_STEP else []
    return out + _notify(tuple(t for t in new if t in NOTIFIED)) + _undo({t: TRACKED[t] for t in new if t in TRACKED})


def upgrade(raw: psycopg.Connection[Any], version: int) -> None:
    """The server steps after `version`, each whole or not at all; then the team's roles over
    the tables as they now are (db/team.py)."""
    from stakeworks.db import team

    for number in range(version + 1, LATEST_VERSION + 1):
        with raw.transaction():
            for sql in _step(number):
                raw.execute(sql)
            raw.execute("UPDATE stakeworks_schema SET version = %s", (number,))
    team.install(raw)
