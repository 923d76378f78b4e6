"""Who may do what on a team store, said by the server (CLI.md "Team store: who may do what").

The person acting is the role that logged in (`session_user`), named by the store's team table
(`stakeworks_team`: login, name, role); a client can claim nothing. Four group roles
(`stakeworks_csm`, `_manager`, `_program_owner`, `_admin`) carry the GRANTs: which tables a role
may write at all. Row-level security says which rows: a CSM's writes are checked against the
account's CSM, by functions that refuse in words a person understands ("Dana Ruiz (csm) may not
change Beta Ltd: its CSM is Lee Park"), so `psql` as a CSM can do no more than the app. History
is append-only for every role made here: they may only read it; its triggers run as the store's
owner and only the owner may pause them (a load brings its own history).

Group roles are the cluster's, the team table is the database's: the policies read the team
table, so a login's role holds in this store only. Everything here is idempotent: `install()`
runs at `init`, after every schema upgrade (new tables get their grants) and when the owner
first opens a store made before roles.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from typing import Any

from stakeworks.domain.errors import InputError, Refusal, StakeworksError, StoreError
from stakeworks.domain.text import control_problem, shorten


class Refused(sqlite3.IntegrityError):
    """The server's permissions said no: raised by the connection (db/postgres.py) with the
    person's words, for the transaction to turn into a refusal (exit 1)."""


ROLES = ("csm", "manager", "program_owner", "admin")
GROUPS = {role: f"stakeworks_{role}" for role in ROLES}

# How each table's rows reach their account ({r}: the row), for the CSM's check.
VIA_CONTACT = "(SELECT c.account_id FROM contacts c WHERE c.id = {r}.contact_id)"
ACCOUNT_OF = {
    "contacts": "{r}.account_id",
    "contact_roles": VIA_CONTACT,
    "contact_links": VIA_CONTACT,  # the link's first record's account (a link joins two)
    "influences": "{r}.account_id",
    "touches": VIA_CONTACT,
    "signals": VIA_CONTACT,
    "upcoming_meetings": VIA_CONTACT,
    "executive_contacts": VIA_CONTACT,
    "plan_items": "{r}.account_id",
    "playbook_tasks": "{r}.account_id",
    "suggestion_rejections": VIA_CONTACT,
}
PROGRAM = ("executives", "sponsor_assignments", "sponsor_reviews")  # program_owner, admin
CACHES = ("verdict_cache", "score_history")  # computed by any reader
# What anyone's mail and calendar saw (DOMAIN section 11): every importer writes it, no account owns it.
EVIDENCE = ("interactions", "our_people", "seen_dismissed")
ADMIN_ONLY = ("meta",)  # settings
# A login's own rows, added and never changed: the server's log of the offline syncs it took
# (db/sync.py); a CSM reads their own, a manager or an admin everyone's.
OWN_ROWS = ("offline_sync_log",)
READ_ONLY = ("history", "history_actor", "stakeworks_schema")
# Every table of the store has its place here (a test checks): a new table decides who writes it.
CLASSIFIED = frozenset(
    {"accounts", *ACCOUNT_OF, *PROGRAM, *CACHES, *EVIDENCE, *ADMIN_ONLY, *OWN_ROWS, *READ_ONLY, "stakeworks_team"}
)

# Who may write a whole table, for a refusal the GRANTs make (permission denied for table T).
WHO_WRITES = {
    **{t: "its CSM, a manager or an admin does" for t in ("accounts", *ACCOUNT_OF)},
    "executives": "the program owner or an admin does",
    "sponsor_assignments": "the program owner or an admin does",
    "sponsor_reviews": "the program owner or an admin decides (a CSM nominates)",
    "meta": "an admin does",
    "stakeworks_team": "an admin does",
    "history": "nobody: it is append-only",
    "offline_sync_log": "the login that synced adds its own",
}

TEAM_TABLE = """CREATE TABLE IF NOT EXISTS stakeworks_team (
    login TEXT PRIMARY KEY,
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    role TEXT NOT NULL CHECK (role IN ('csm', 'manager', 'program_owner', 'admin'))
)"""

_REFUSE = "RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = "
_NO_ROLE = (
    "format('%s has no stakeworks role on this server; an admin runs `stakeworks team add %s --role csm`', "
    "session_user, session_user)"
)

FUNCTIONS = [
    # The store's owner (the role that ran init) may do everything, with or without a team row.
    """CREATE OR REPLACE FUNCTION sw_is_owner() RETURNS boolean LANGUAGE sql STABLE AS $$
SELECT pg_has_role(session_user, (SELECT relowner FROM pg_class WHERE oid = 'stakeworks_team'::regclass), 'MEMBER')
$$""",
    """CREATE OR REPLACE FUNCTION sw_who() RETURNS text LANGUAGE sql STABLE AS $$
SELECT coalesce((SELECT name FROM stakeworks_team WHERE login = session_user), session_user::text)
$$""",
    # Only the owner may pause the history (a load or a copy brings the source's own).
    """CREATE OR REPLACE FUNCTION sw_recording() RETURNS boolean LANGUAGE sql STABLE AS $$
SELECT coalesce(current_setting('stakeworks.history', true), '') <> 'off' OR NOT sw_is_owner()
$$""",
    f"""CREATE OR REPLACE FUNCTION sw_role() RETURNS text LANGUAGE plpgsql STABLE AS $$
DECLARE r text := (SELECT role FROM stakeworks_team WHERE login = session_user);
BEGIN
    IF r IS NOT NULL THEN RETURN r; END IF;
    IF sw_is_owner() THEN RETURN 'admin'; END IF;
    {_REFUSE}{_NO_ROLE};
END $$""",
    # May the person change this account's map? Refuses (never just false) so the writer hears why.
    f"""CREATE OR REPLACE FUNCTION sw_may_change(acct bigint) RETURNS boolean LANGUAGE plpgsql STABLE AS $$
DECLARE r text; a_name text; a_csm text;
BEGIN
    IF acct IS NULL THEN RETURN true; END IF;  -- its parent is going in the same statement
    r := sw_role();
    IF r IN ('admin', 'manager') THEN RETURN true; END IF;
    SELECT name, csm INTO a_name, a_csm FROM accounts WHERE id = acct;
    IF r = 'csm' AND a_csm = sw_who() THEN RETURN true; END IF;
    IF r = 'csm' THEN
        {_REFUSE}format('%s (csm) may not change %s: %s', sw_who(), a_name,
            CASE WHEN coalesce(a_csm, '') = '' THEN 'it has no CSM (a manager assigns one)' ELSE 'its CSM is ' || a_csm END);
    END IF;
    {_REFUSE}format('%s (%s) may not change %s: its CSM, a manager or an admin does', sw_who(), r, a_name);
END $$""",
    # An account as written (a CSM adds or keeps only their own).
    f"""CREATE OR REPLACE FUNCTION sw_may_hold(a_name text, a_csm text, verb text) RETURNS boolean LANGUAGE plpgsql STABLE AS $$
DECLARE r text := sw_role();
BEGIN
    IF r IN ('admin', 'manager') OR (r = 'csm' AND a_csm = sw_who()) THEN RETURN true; END IF;
    IF r = 'csm' THEN
        {_REFUSE}format('%s (csm) may not %s %s: its CSM is %s', sw_who(), verb, a_name,
            coalesce(nullif(a_csm, ''), 'nobody'));
    END IF;
    {_REFUSE}format('%s (%s) may not %s %s: its CSM, a manager or an admin does', sw_who(), r, verb, a_name);
END $$""",
    """CREATE OR REPLACE FUNCTION sw_may_nominate(acct bigint) RETURNS boolean LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF sw_role() IN ('admin', 'manager', 'program_owner') THEN RETURN true; END IF;
    RETURN sw_may_change(acct);
END $$""",
    f"""CREATE OR REPLACE FUNCTION sw_account_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE r text := sw_role();
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF r <> 'admin' THEN
            {_REFUSE}format('%s (%s) may not delete %s: an admin does', sw_who(), r, OLD.name);
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.csm IS DISTINCT FROM NEW.csm AND r NOT IN ('admin', 'manager') THEN
        {_REFUSE}format('%s (%s) may not change the CSM of %s: a manager or an admin does', sw_who(), r, OLD.name);
    END IF;
    PERFORM sw_may_hold(OLD.name, OLD.csm, 'change');
    RETURN NEW;
END $$""",
    # What a person records is theirs: the server writes who proposed and who decided.
    """CREATE OR REPLACE FUNCTION sw_stamp_person() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF sw_is_owner() AND coalesce(current_setting('stakeworks.history', true), '') = 'off' THEN
        RETURN NEW;  -- a load keeps the names it brings
    END IF;
    IF TG_TABLE_NAME = 'sponsor_reviews' AND TG_OP = 'INSERT' THEN
        NEW.proposed_by := sw_who();
    ELSIF TG_OP = 'UPDATE' AND OLD.status IS DISTINCT FROM NEW.status THEN
        NEW.decided_by := sw_who();
    END IF;
    RETURN NEW;
END $$""",
]


def _old_rows_guard(table: str) -> str:
    """Deletes (and a contact moved away) are checked on the rows as they were, once per
    statement: a function per table, since the way to the account differs."""
    expr = ACCOUNT_OF[table].format(r="o")
    return f"""CREATE OR REPLACE FUNCTION sw_old_rows_guard_{table}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM sw_may_change(a) FROM (SELECT DISTINCT {expr} AS a FROM old_rows o) x;
    RETURN NULL;
END $$"""


def _policies(table: str) -> list[str]:
    out = [f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY"]
    out += [f"DROP POLICY IF EXISTS sw_{op} ON {table}" for op in ("read", "add", "change", "remove")]
    out.append(f"CREATE POLICY sw_read ON {table} FOR SELECT USING (true)")
    out.append(f"CREATE POLICY sw_remove ON {table} FOR DELETE USING (true)")  # refused by a trigger, in words
    if table == "accounts":
        add, change = "sw_may_hold(name, csm, 'add')", "sw_may_hold(name, csm, 'change')"
    elif table == "sponsor_reviews":
        add, change = "sw_may_nominate(account_id)", "true"  # deciding: the GRANTs (program owner, admin)
    elif table in ACCOUNT_OF:
        add = change = f"sw_may_change({ACCOUNT_OF[table].format(r=table)})"
    else:
        add = change = "true"
    out.append(f"CREATE POLICY sw_add ON {table} FOR INSERT WITH CHECK ({add})")
    out.append(f"CREATE POLICY sw_change ON {table} FOR UPDATE USING (true) WITH CHECK ({change})")
    return out


def _own_rows_policies(table: str) -> list[str]:
    """Each login adds rows in its own name only and reads its own; a manager or an admin reads all."""
    overseer = (
        "EXISTS (SELECT 1 FROM stakeworks_team t WHERE t.login = session_user AND t.role IN ('admin', 'manager'))"
    )
    out = [f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY"]
    out += [f"DROP POLICY IF EXISTS sw_{op} ON {table}" for op in ("read", "add")]
    out.append(f"CREATE POLICY sw_read ON {table} FOR SELECT USING (login = session_user::text OR {overseer})")
    out.append(f"CREATE POLICY sw_add ON {table} FOR INSERT WITH CHECK (login = session_user::text)")
    return out


def _guards() -> list[str]:
    out = [
        "DROP TRIGGER IF EXISTS sw_account_guard ON accounts",
        "CREATE TRIGGER sw_account_guard BEFORE UPDATE OR DELETE ON accounts FOR EACH ROW "
        "EXECUTE FUNCTION sw_account_guard()",
    ]
    for table in ACCOUNT_OF:
        out.append(_old_rows_guard(table))
        ops = ["DELETE"] + (["UPDATE"] if table == "contacts" else [])  # a contact moved: its old account too
        for op in ops:
            name = f"sw_guard_{op.lower()}"
            out += [
                f"DROP TRIGGER IF EXISTS {name} ON {table}",
                f"CREATE TRIGGER {name} AFTER {op} ON {table} REFERENCING OLD TABLE AS old_rows "
                f"FOR EACH STATEMENT EXECUTE FUNCTION sw_old_rows_guard_{table}()",
            ]
    for table in ("sponsor_reviews", "signals"):
        out += [
            f"DROP TRIGGER IF EXISTS sw_stamp_person ON {table}",
            f"CREATE TRIGGER sw_stamp_person BEFORE INSERT OR UPDATE ON {table} FOR EACH ROW "
            "EXECUTE FUNCTION sw_stamp_person()",
        ]
    return out


def _grants(schema: str, tables: list[str]) -> list[str]:
    every = ", ".join(GROUPS.values())
    # The map's tables: every role through the GRANTs, the rows by row-level security, which
    # names the account in its refusal (a program owner may change none).
    writers = every
    program = ", ".join(GROUPS[r] for r in ("program_owner", "admin"))
    write = "INSERT, UPDATE, DELETE"
    out = [f'GRANT USAGE ON SCHEMA "{schema}" TO {every}']
    for table in tables:
        out.append(f"REVOKE ALL ON {table} FROM {every}")
        out.append(f"GRANT SELECT ON {table} TO {every}")
        if table in ACCOUNT_OF or table == "accounts":
            out.append(f"GRANT {write} ON {table} TO {writers}")
        elif table in PROGRAM:
            out.append(f"GRANT {write} ON {table} TO {program}")
        elif table in CACHES or table in EVIDENCE:
            out.append(f"GRANT {write} ON {table} TO {every}")
        elif table in OWN_ROWS:
            out.append(f"GRANT INSERT ON {table} TO {every}")
        elif table in ADMIN_ONLY or table == "stakeworks_team":
            out.append(f"GRANT {write} ON {table} TO {GROUPS['admin']}")
    out.append(f"GRANT INSERT ON sponsor_reviews TO {GROUPS['csm']}, {GROUPS['manager']}")  # a CSM nominates
    # Anyone who logs in may learn that this is a store, and whether they are on its team.
    out += ["GRANT SELECT ON stakeworks_schema TO PUBLIC", "GRANT SELECT ON stakeworks_team TO PUBLIC"]
    out.append(f'GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA "{schema}" TO {every}')
    return out


_CREATE_GROUPS = [
    f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{group}') THEN CREATE ROLE {group} NOLOGIN; "
    "END IF; END $$"
    for group in GROUPS.values()
]


def install(raw: Any) -> None:
    """The team layer on a store (its owner's connection), whole or not at all; the caller (init)
    becomes the first admin when the team is empty."""
    from stakeworks.db import history

    schema = raw.execute("SELECT current_schema()").fetchone()[0]
    with raw.transaction():
        for sql in _CREATE_GROUPS:
            raw.execute(sql)
        raw.execute(TEAM_TABLE)
        for sql in FUNCTIONS:
            raw.execute(sql)
        tables = [r[0] for r in raw.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
            "AND table_type = 'BASE TABLE' ORDER BY table_name"
        ).fetchall()]  # fmt: skip
        unplaced = sorted(set(tables) - CLASSIFIED)
        if unplaced:
            raise StoreError(f"tables with no place in db/team.py: {', '.join(unplaced)}")
        for table in ("accounts", *ACCOUNT_OF, "sponsor_reviews"):
            for sql in _policies(table):
                raw.execute(sql)
        for table in set(OWN_ROWS) & set(tables):  # a store before its step has none yet
            for sql in _own_rows_policies(table):
                raw.execute(sql)
        for sql in _guards() + history.postgres_team_history():
            raw.execute(sql)
        for sql in _grants(schema, tables):
            raw.execute(sql)
        raw.execute(
            "INSERT INTO stakeworks_team (login, name, role) SELECT session_user, session_user, 'admin' "
            "WHERE NOT EXISTS (SELECT 1 FROM stakeworks_team)"
        )
        # Its members keep their group roles (an upgrade re-grants the tables, not the people).
        for login, role in raw.execute("SELECT login, role FROM stakeworks_team").fetchall():
            _grant_group(raw, login, role, as_admin=False)


# -- the team ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Member:
    login: str
    name: str
    role: str

    def as_json(self) -> dict[str, str]:
        return {"login": self.login, "name": self.name, "role": self.role}


def acting(raw: Any) -> Member | None:
    """Who logged in, as the team knows them (the owner is an admin even without a row)."""
    row = raw.execute(
        "SELECT session_user, (SELECT name FROM stakeworks_team WHERE login = session_user), "
        "(SELECT role FROM stakeworks_team WHERE login = session_user), sw_is_owner()"
    ).fetchone()
    login, name, role, owner = row
    if role is None and not owner:
        return None
    return Member(login, name or login, role or "admin")


def no_role(login: str) -> StoreError:
    return StoreError(
        f"{login} has no stakeworks role on this server; an admin runs `stakeworks team add {login} --role csm`"
    )


def members(raw: Any) -> list[Member]:
    return [
        Member(*r) for r in raw.execute("SELECT login, name, role FROM stakeworks_team ORDER BY role, name").fetchall()
    ]


_LOGIN = re.compile(r"[A-Za-z_][A-Za-z0-9_.@-]{0,62}")


def _check(login: str, role: str | None) -> None:
    if not _LOGIN.fullmatch(login):
        raise InputError(
            f"login {shorten(login)!r}: letters, digits, _ . @ - only, starting with a letter (at most 63)"
        )
    if role is not None and role not in ROLES:
        raise InputError(f"role {role!r}: one of {', '.join(ROLES)}")


def _require_admin(raw: Any) -> None:
    me = acting(raw)
    if me is None:
        raise no_role(raw.execute("SELECT session_user").fetchone()[0])
    if me.role != "admin":
        raise Refusal(f"{me.name} ({me.role}) may not change the team: an admin does")


def _grant_group(raw: Any, login: str, role: str, *, as_admin: bool) -> None:
    """The login gets its role's group (and no other). `as_admin`: an admin's own act, which
    creates a missing login and gives CREATEROLE to admins only (an admin keeps the team);
    otherwise (re-installing the layer) a missing login is left to the server."""
    from psycopg import sql

    who = sql.Identifier(login)
    exists = raw.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (login,)).fetchone()
    if not exists and as_admin:
        raw.execute(sql.SQL("CREATE ROLE {} LOGIN").format(who))
    elif not exists:
        return
    for other in ROLES:
        if other != role:
            raw.execute(sql.SQL("REVOKE {} FROM {}").format(sql.Identifier(GROUPS[other]), who))
    raw.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(GROUPS[role]), who))
    if as_admin:
        raw.execute(sql.SQL("ALTER ROLE {} " + ("CREATEROLE" if role == "admin" else "NOCREATEROLE")).format(who))


def _server_refusal(exc: Exception, what: str) -> StakeworksError:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if "permission denied" in text or "must have" in text or "CREATEROLE" in text:
        return Refusal(f"the server refused to {what} ({text}): creating and granting logins needs CREATEROLE")
    return StoreError(f"the server refused to {what}: {text}")


def add(raw: Any, login: str, role: str, name: str | None) -> Member:
    """Create the login (or take an existing one), give it the role and name the person."""
    import psycopg

    _check(login, role)
    if name is not None and not name.strip():
        raise InputError("--name: empty; it is what an account's CSM field holds")
    if name is not None and (
        problem := control_problem(name) or ("longer than 200 characters" if len(name) > 200 else None)
    ):
        raise InputError(f"--name {shorten(name)!r}: {problem}")  # a person, as a contact name is (200 at most)
    _require_admin(raw)
    try:
        with raw.transaction():
            old = raw.execute("SELECT name FROM stakeworks_team WHERE login = %s", (login,)).fetchone()
            person = (name or "").strip() or (old[0] if old else login)
            _grant_group(raw, login, role, as_admin=True)
            raw.execute(
                "INSERT INTO stakeworks_team (login, name, role) VALUES (%s, %s, %s) "
                "ON CONFLICT (login) DO UPDATE SET name = EXCLUDED.name, role = EXCLUDED.role",
                (login, person, role),
            )
    except psycopg.Error as exc:
        raise _server_refusal(exc, f"add {login}") from None
    return Member(login, person, role)


def change_role(raw: Any, login: str, role: str) -> Member:
    import psycopg

    _check(login, role)
    _require_admin(raw)
    try:
        with raw.transaction():
            row = raw.execute("SELECT name, role FROM stakeworks_team WHERE login = %s", (login,)).fetchone()
            if row is None:
                raise InputError(
                    f"{login} is not on this store's team; add them with `stakeworks team add {login} --role {role}`"
                )
            if row[1] == "admin" and role != "admin":
                _keep_an_admin(raw, login)
            _grant_group(raw, login, role, as_admin=True)
            raw.execute("UPDATE stakeworks_team SET role = %s WHERE login = %s", (role, login))
    except psycopg.Error as exc:
        raise _server_refusal(exc, f"change the role of {login}") from None
    return Member(login, row[0], role)


def remove(raw: Any, login: str) -> Member:
    """Off the team (the login itself stays: it is the server's, and may serve other databases)."""
    import psycopg
    from psycopg import sql

    _check(login, None)
    _require_admin(raw)
    try:
        with raw.transaction():
            row = raw.execute("SELECT name, role FROM stakeworks_team WHERE login = %s", (login,)).fetchone()
            if row is None:
                raise InputError(f"{login} is not on this store's team")
            if row[1] == "admin":
                _keep_an_admin(raw, login)
            raw.execute("DELETE FROM stakeworks_team WHERE login = %s", (login,))
            if raw.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (login,)).fetchone():
                raw.execute(sql.SQL("REVOKE {} FROM {}").format(sql.Identifier(GROUPS[row[1]]), sql.Identifier(login)))
                raw.execute(sql.SQL("ALTER ROLE {} NOCREATEROLE").format(sql.Identifier(login)))
    except psycopg.Error as exc:
        raise _server_refusal(exc, f"remove {login}") from None
    return Member(login, row[0], row[1])


def _keep_an_admin(raw: Any, login: str) -> None:
    (others,) = raw.execute(
        "SELECT count(*) FROM stakeworks_team WHERE role = 'admin' AND login <> %s", (login,)
    ).fetchone()
    if not others:
        raise Refusal(f"{login} is this store's last admin: make someone else admin first")
