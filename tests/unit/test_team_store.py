"""The team store on PostgreSQL (issue 17, CLI.md "Team store"): init, copy both ways with
identical exports, a server that cannot be reached, another application's database, the
three-sponsorship rule in the engine without our lock, the same columns as a file, and the
notices that keep other apps live. The suites marked `both_backends` run the rest on it."""

from __future__ import annotations

import json
import shutil
import sqlite3
import threading
from pathlib import Path

import psycopg
import pytest

from stakeworks.cli.main import main
from stakeworks.db import history
from stakeworks.db.connection import on_server
from stakeworks.db.schema import LATEST_VERSION
from stakeworks.db.store import Store
from tests.conftest import SAMPLE, TODAY, Cluster, dump_text, stored


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_copy_a_file_to_a_server_and_back_is_exact(
    pg_cluster: Cluster, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    source = tmp_path / "sample.db"
    shutil.copyfile(SAMPLE, source)
    url = pg_cluster.create_database("copy_both_ways")
    code, out, err = run(capsys, "init", url)
    assert code == 0 and "Created the stakeworks schema" in out, err
    code, out, err = run(capsys, "copy", str(source), url, "--json")
    assert code == 0, err
    assert json.loads(out)["copied"]["contacts"] == stored(source, "SELECT count(*) FROM contacts")[0][0]
    assert dump_text(url) == dump_text(source)
    # The same verdicts from both, and a copy back into a new file is the same store again.
    assert (
        run(capsys, "--db", url, "--today", TODAY.isoformat(), "risk", "--json")[1]
        == run(capsys, "--db", str(source), "--today", TODAY.isoformat(), "risk", "--json")[1]
    )
    back = tmp_path / "back.db"
    assert run(capsys, "copy", url, str(back))[0] == 0
    assert dump_text(back) == dump_text(source)
    # A target holding a portfolio is refused without --replace, and replaced with it.
    code, _, err = run(capsys, "copy", str(source), url)
    assert code == 2 and "--replace" in err
    assert run(capsys, "--db", url, "--user", "Ana", "depart", "Northwind", "Tom Chen", "--date", "2026-11-01")[0] in (
        0,
        2,
    )
    assert run(capsys, "copy", str(source), url, "--replace")[0] == 0
    assert dump_text(url) == dump_text(source)
    # New rows after a copy get new ids (the server's counters moved past the copied ones).
    accounts = tmp_path / "a.csv"
    accounts.write_text("name,arr,currency,renewal_date,tier\nZephyr Labs,1000,EUR,2027-01-01,smb\n")
    assert run(capsys, "--db", url, "import", "accounts", str(accounts))[0] == 0
    assert stored(url, "SELECT max(id) FROM accounts")[0][0] > stored(source, "SELECT max(id) FROM accounts")[0][0]


def test_a_copy_to_a_server_leaves_its_planner_the_statistics_of_what_it_loaded(pg_cluster: Cluster, tmp_path: Path):
    """Without them (autovacuum has not come by; it never does in a database made from the copy
    as a template) one account's roles were read by scanning every account's: 22 ms at 10k."""
    source = tmp_path / "sample.db"
    shutil.copyfile(SAMPLE, source)
    url = pg_cluster.create_database("copy_analyzed")
    assert main(["init", url]) == 0 and main(["copy", str(source), url]) == 0
    counted = (
        "SELECT relname, reltuples::bigint FROM pg_class WHERE relname IN ('contacts', 'contact_roles', 'touches')"
    )
    expected = {t: stored(source, f"SELECT count(*) FROM {t}")[0][0] for t in ("contacts", "contact_roles", "touches")}
    assert all(expected.values())
    assert dict(stored(url, counted)) == expected
    made_from_it = pg_cluster.create_database("copy_analyzed_template", template="copy_analyzed")
    assert dict(stored(made_from_it, counted)) == expected


def test_a_server_that_cannot_be_reached_is_exit_3_with_the_reason(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    url = f"postgresql://nobody@/stakeworks?host={tmp_path}&connect_timeout=2"
    code, out, err = run(capsys, "--db", url, "risk")
    assert code == 3 and out == ""
    assert err.startswith("stakeworks: cannot reach the team store at postgresql://nobody@/stakeworks")
    assert "Traceback" not in err and len(err.splitlines()) == 1


def test_a_password_in_the_url_is_never_printed(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    url = f"postgresql://ana:s3cret@/stakeworks?host={tmp_path}&connect_timeout=2"
    code, _, err = run(capsys, "--db", url, "risk")
    assert code == 3 and "s3cret" not in err and "ana:***@" in err


def test_an_empty_database_is_no_store_until_init_and_a_foreign_one_is_left_alone(
    pg_cluster: Cluster, capsys: pytest.CaptureFixture[str]
):
    empty = pg_cluster.create_database("empty_one")
    code, _, err = run(capsys, "--db", empty, "risk")
    assert code == 3 and "no stakeworks store" in err and "stakeworks init" in err
    foreign = pg_cluster.create_database("foreign_one")
    with psycopg.connect(foreign, autocommit=True) as conn:
        conn.execute("CREATE TABLE invoices (id int)")
    code, _, err = run(capsys, "init", foreign)
    assert code == 3 and "not a stakeworks store" in err
    with psycopg.connect(foreign, autocommit=True) as conn:
        tables = conn.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'").fetchone()
    assert tables == (1,)


def test_the_server_schema_has_the_files_columns(server_db: str, tmp_path: Path):
    """One description: every table and column of a file store, with the same NOT NULLs."""
    with Store(tmp_path / "file.db") as file_store, Store(server_db) as server_store:
        for table in [r[0] for r in file_store.repos.tx.query("SELECT name FROM sqlite_schema WHERE type = 'table'")]:
            file_cols = {r[1]: (r[2], r[3]) for r in file_store.repos.tx.query(f"PRAGMA table_info({table})")}
            server_cols = {r[1]: (r[2], r[3]) for r in server_store.repos.tx.query(f"PRAGMA table_info({table})")}
            assert {k: v[0] for k, v in server_cols.items()} == {k: v[0] for k, v in file_cols.items()}, table
            # NOT NULL where the file has it (a server also says it of primary keys)
            assert all(server_cols[k][1] for k, (_, notnull) in file_cols.items() if notnull), table


def test_the_limit_holds_in_the_engine_for_writers_without_our_lock(server_db: str):
    """Two plain connections insert the executive's third and fourth sponsorship at once, under
    READ COMMITTED, without the advisory lock the app takes: the trigger locks the executive's
    row, so the second counts after the first commits and is refused."""
    with psycopg.connect(server_db, autocommit=True) as setup:
        setup.execute("INSERT INTO executives (id, name, level) VALUES (1, 'Ada Stone', 'c_level')")
        for i in range(1, 5):
            setup.execute("INSERT INTO accounts (id, name) VALUES (%s, %s)", (i, f"Acme {i}"))
        for i in (1, 2):
            setup.execute(
                "INSERT INTO sponsor_assignments (executive_id, account_id, start_date) VALUES (1, %s, '2026-11-01')",
                (i,),
            )
    first = psycopg.connect(server_db)
    second = psycopg.connect(server_db)
    outcome: list[str] = []
    first.execute("INSERT INTO sponsor_assignments (executive_id, account_id, start_date) VALUES (1, 3, '2026-11-01')")

    def other() -> None:
        try:
            second.execute(
                "INSERT INTO sponsor_assignments (executive_id, account_id, start_date) VALUES (1, 4, '2026-11-01')"
            )
            second.commit()
            outcome.append("committed")
        except psycopg.errors.RaiseException as exc:
            second.rollback()
            outcome.append(str(exc).splitlines()[0])

    waiting = threading.Thread(target=other)
    waiting.start()
    waiting.join(timeout=1.0)
    assert waiting.is_alive()  # it waits for the executive's row
    first.commit()
    waiting.join(timeout=30)
    first.close()
    second.close()
    assert outcome == ["sponsor over capacity"]
    assert stored(server_db, "SELECT count(*) FROM sponsor_assignments WHERE active = 1") == [(3,)]


def test_a_save_notifies_everyone_listening(server_db: str, capsys: pytest.CaptureFixture[str], tmp_path: Path):
    listener = psycopg.connect(server_db, autocommit=True)
    listener.execute("LISTEN stakeworks")
    accounts = tmp_path / "a.csv"
    accounts.write_text("name,arr,currency,renewal_date,tier\nAcme,1000,EUR,2027-01-01,smb\n")
    assert run(capsys, "--db", server_db, "--user", "Ana Ruiz", "import", "accounts", str(accounts))[0] == 0
    notices = [n.payload for n in listener.notifies(timeout=5, stop_after=1)]
    listener.close()
    assert notices == ["accounts postgres"]  # the login's person (its team name), never --user


def test_a_team_stores_backup_is_a_file_store_holding_the_same(
    server_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    source = tmp_path / "sample.db"
    shutil.copyfile(SAMPLE, source)
    assert run(capsys, "copy", str(source), server_db, "--replace")[0] == 0
    backup = tmp_path / "team-backup.db"
    code, out, err = run(capsys, "--db", server_db, "backup", str(backup))
    assert code == 0 and "Backed up postgresql://" in out, err
    assert dump_text(backup) == dump_text(server_db)
    assert run(capsys, "--db", server_db, "backup", str(backup))[0] == 2  # never over an existing file


def test_a_server_store_of_an_older_schema_is_upgraded_like_a_file(server_db: str):
    """Schema 13 added the verdict cache's valid_until: a server store at 12 gets it on open."""
    with psycopg.connect(server_db, autocommit=True) as conn:
        conn.execute("ALTER TABLE verdict_cache DROP COLUMN valid_until")
        _per_row_inserts(conn)  # and 14's change undone
        _without_15(conn)
        _before_influences(conn)
        _before_sync_log(conn)
        conn.execute("UPDATE stakeworks_schema SET version = 12")
    with Store(server_db) as store:
        assert store.schema_version() == LATEST_VERSION
        columns = [r[1] for r in store.repos.tx.query("PRAGMA table_info(verdict_cache)")]
    assert "valid_until" in columns


def _without_15(conn: psycopg.Connection) -> None:
    """A server as schema 14 left it: no record of what mail and calendar saw (issue 32)."""
    for table in ("interactions", "our_people", "seen_dismissed", "suggestion_rejections"):
        conn.execute(f"DROP TABLE {table}")
    for index in ("touches_date", "touches_by_name", "contacts_email_key"):
        conn.execute(f"DROP INDEX {index}")


def test_a_server_at_14_gets_the_evidence_tables(server_db: str):
    with psycopg.connect(server_db, autocommit=True) as conn:
        _before_sync_log(conn)  # the offline sync log's, 16's, then 15's
        _before_influences(conn)
        _without_15(conn)
        conn.execute("UPDATE stakeworks_schema SET version = 14")
    with Store(server_db) as store:
        assert store.schema_version() == LATEST_VERSION
        assert store.record_interactions([("mail:<a@x>", "ann@acme.example", "2026-10-01", "from_them", "email",
                                           "Ann", "", "")]) == 1  # fmt: skip
        assert store.seen_counts()[0].from_them == 1


def _per_row_inserts(conn: psycopg.Connection) -> None:
    """A server as schema 13 left it: every insert trigger called once per row."""
    _per_row_triggers_of_18(conn)  # and before them, 19's
    for name, table in (("contacts_reports_to_insert", "contacts"), ("touches_last_touch_insert", "touches"),
                        ("verdict_stale_contact_insert", "contacts"), ("verdict_stale_role_insert", "contact_roles"),
                        ("verdict_stale_contact", "contacts"), ("verdict_stale_role", "contact_roles")):  # fmt: skip
        conn.execute(f"DROP TRIGGER {name} ON {table}")
    for function in ("contacts_reports_to_inserted", "touches_last_touch_inserted", "verdict_stale_inserted"):
        conn.execute(f"DROP FUNCTION {function}()")
    conn.execute(
        "CREATE TRIGGER contacts_reports_to_insert BEFORE INSERT ON contacts FOR EACH ROW EXECUTE FUNCTION contacts_reports_to()"
    )
    conn.execute(
        "CREATE TRIGGER touches_last_touch_insert AFTER INSERT ON touches FOR EACH ROW EXECUTE FUNCTION touches_last_touch()"
    )
    conn.execute(
        "CREATE TRIGGER verdict_stale_contact AFTER INSERT OR UPDATE OR DELETE ON contacts FOR EACH ROW EXECUTE FUNCTION verdict_stale()"
    )
    conn.execute(
        "CREATE TRIGGER verdict_stale_role AFTER INSERT OR DELETE ON contact_roles FOR EACH ROW EXECUTE FUNCTION verdict_stale()"
    )
    for spec in history.RECORDED:
        name = f"history_{spec.table}_insert"
        sql = history._statements(spec, who="current_user", at="'2026-01-01T00:00:00Z'", text="({})::text")["insert"]
        conn.execute(f"DROP TRIGGER {name} ON {spec.table}")
        conn.execute(f"DROP FUNCTION {name}()")
        conn.execute(f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {sql}; RETURN NEW; END $$")
        conn.execute(f"CREATE TRIGGER {name} AFTER INSERT ON {spec.table} FOR EACH ROW EXECUTE FUNCTION {name}()")


def _before_influences(conn: psycopg.Connection) -> None:
    """A server as schema 14 left it: no hand links between people, no influence lines (issue 33)."""
    conn.execute("DROP TABLE influences, contact_links")
    conn.execute("DROP FUNCTION influences_same_account(), verdict_stale_influence()")
    conn.execute("DROP INDEX contacts_name_lower")  # (its address index went at EMAIL_KEY_STEP)


def _before_sync_log(conn: psycopg.Connection) -> None:
    """A server before OFFLINE_LOG_STEP: no log of the offline syncs it took (issue 37)."""
    conn.execute("DROP TABLE offline_sync_log")


def _insert_triggers(conn: psycopg.Connection) -> dict[str, str]:
    """Each insert trigger of the map's tables: "row" or "statement"."""
    rows = conn.execute(
        "SELECT tgname, tgtype FROM pg_trigger WHERE NOT tgisinternal AND tgrelid::regclass::text IN "
        "('contacts', 'contact_roles', 'touches', 'accounts', 'sponsor_assignments') AND tgtype & 4 = 4"
    ).fetchall()  # tgtype bit 0: FOR EACH ROW; bit 2: INSERT
    # per row by design: cheap, or a lock per row; a touch's history line: the team layer's (db/team.py)
    skip = ("undo_", "notify_", "sponsor_capacity_", "history_touches_")
    return {name: "row" if kind & 1 else "statement" for name, kind in rows if not name.startswith(skip)}


def test_a_server_at_13_gets_its_inserts_triggered_once_per_statement(server_db: str):
    """Schema 14: the per-row insert triggers of 13 are replaced, and what they did still happens."""
    with psycopg.connect(server_db, autocommit=True) as conn:
        fresh = _insert_triggers(conn)
        _per_row_inserts(conn)
        _before_influences(conn)
        assert set(_insert_triggers(conn).values()) == {"row"}
        _without_15(conn)
        _before_sync_log(conn)
        conn.execute("UPDATE stakeworks_schema SET version = 13")
    with Store(server_db) as store:
        assert store.schema_version() == LATEST_VERSION
    with psycopg.connect(server_db, autocommit=True) as conn:
        assert _insert_triggers(conn) == fresh
    assert set(fresh.values()) == {"statement"} and len(fresh) == 8


def _triggers(conn: psycopg.Connection) -> dict[str, str]:
    return dict(conn.execute("SELECT tgname || ' ON ' || tgrelid::regclass::text, pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal").fetchall())  # fmt: skip


def _per_row_triggers_of_18(conn: psycopg.Connection) -> None:
    """A server as schema 18 left it: a contact's change staled verdicts row by row, and every
    undo and history-update trigger called its function for every row."""
    from stakeworks.db import postgres_schema
    from stakeworks.db.undo import TRACKED

    conn.execute("DROP TRIGGER verdict_stale_contact_update ON contacts")
    conn.execute("DROP TRIGGER verdict_stale_contact_delete ON contacts")
    conn.execute("DROP FUNCTION verdict_stale_changed()")
    conn.execute(postgres_schema.VERDICT_STALE_CONTACT)
    for table, keys in TRACKED.items():
        args = ", ".join(f"'{k}'" for k in keys)
        conn.execute(f"DROP TRIGGER undo_{table} ON {table}")
        conn.execute(f"CREATE TRIGGER undo_{table} AFTER INSERT OR UPDATE OR DELETE ON {table} FOR EACH ROW "
                     f"EXECUTE FUNCTION undo_capture({args})")  # fmt: skip
    for spec in history.RECORDED + history.SERVER_RECORDED:
        name = f"history_{spec.table}_update"
        if conn.execute("SELECT 1 FROM pg_trigger WHERE tgname = %s", (name,)).fetchone():
            conn.execute(f"DROP TRIGGER {name} ON {spec.table}")
            conn.execute(f"CREATE TRIGGER {name} AFTER UPDATE ON {spec.table} FOR EACH ROW EXECUTE FUNCTION {name}()")


def test_a_server_at_18_gets_triggers_that_ask_before_they_call(server_db: str, tmp_path: Path):
    """Schema 19 (issue 36): the triggers of 18 become those `init` makes, and they do what they
    did: a touch stales its account's cached verdict (the last touch moved) and writes no
    contact line, a changed title is one history line, an undo puts it back."""
    from stakeworks.db.schema import TRIGGERS_STEP
    from stakeworks.services import accounts

    with psycopg.connect(server_db, autocommit=True) as conn:
        fresh = _triggers(conn)
        _per_row_triggers_of_18(conn)
        assert _triggers(conn) != fresh
        conn.execute(f"UPDATE stakeworks_schema SET version = {TRIGGERS_STEP - 1}")
    source = tmp_path / "sample.db"
    shutil.copyfile(SAMPLE, source)
    assert main(["copy", str(source), server_db]) == 0
    with psycopg.connect(server_db, autocommit=True) as conn:
        assert _triggers(conn) == fresh
    assert main(["--db", server_db, "--today", TODAY.isoformat(), "risk", "--json"]) == 0  # every verdict cached
    with Store(server_db) as store:
        assert store.schema_version() == LATEST_VERSION == TRIGGERS_STEP
        nid = next(i for i, name in store.account_names() if name == "Northwind")
        tom = next(c for c in store.contacts(nid) if c.name == "Tom Chen")
        assert tom.id is not None
        cached = store.conn.execute("SELECT count(*) FROM verdict_cache").fetchall()[0][0]
        lines = store.conn.execute("SELECT coalesce(max(id), 0) FROM history").fetchall()[0][0]
        accounts.log_touch(store, tom.id, "call", TODAY, "test")
        assert store.conn.execute("SELECT account_id FROM verdict_cache WHERE account_id = ?", (nid,)).fetchall() == []
        assert store.conn.execute("SELECT count(*) FROM verdict_cache").fetchall() == [(cached - 1,)]
        assert store.conn.execute("SELECT record, field FROM history WHERE id > ?", (lines,)).fetchall() == [
            ("touch", "created")
        ]
        with store.undoable() as token:
            store.save_contact(store.contact(tom.id).model_copy(update={"title": "Chief Widget Officer"}))
        assert store.conn.execute(
            "SELECT field, old, new FROM history WHERE id > ? AND record = 'contact'", (lines,)
        ).fetchall() == [("title", tom.title, "Chief Widget Officer")]
        store.undo(token)
        assert store.contact(tom.id).title == tom.title


def test_the_account_pages_reads_go_to_the_server_together_and_read_the_same(pg_cluster: Cluster, tmp_path: Path):
    """Issue 34's figure: the account screen's reads cost one round trip on a server (one
    message), not one a statement, and give what the file gives; a write in between reads afresh."""
    from stakeworks.services import accounts, records

    source = tmp_path / "sample.db"
    shutil.copyfile(SAMPLE, source)
    url = pg_cluster.create_database("read_ahead")
    assert main(["init", url]) == 0 and main(["copy", str(source), url]) == 0
    with Store(source) as file, Store(url) as server:
        nid = next(i for i, name in file.account_names() if name == "Northwind")
        settings = file.settings()
        assert records.account_page(server, nid, TODAY, settings) == records.account_page(file, nid, TODAY, settings)
        sent: list[str] = []
        assert on_server(server.conn)
        driver = server.conn.raw
        driver_execute = driver.execute

        def one_by_one(query: str, *args: object, **kwargs: object) -> object:
            sent.append(query)
            return driver_execute(query, *args, **kwargs)

        driver.execute = one_by_one
        with server.reading_ahead(*records.page_reads(server, nid, TODAY)):
            view = accounts.account_view(server, nid, TODAY, settings)
            history, meetings = server.score_history(nid), server.next_meetings(nid, TODAY)
            interims = accounts.interim_contacts(server, nid)
            assert sent == []  # every one of them came from the one trip
            tom = next(c for c in view.contacts if c.name == "Tom Chen")
            assert tom.id is not None
            accounts.log_touch(server, tom.id, "call", TODAY, "test")
            again = next(c for c in server.contacts(nid) if c.name == "Tom Chen")
            assert again.last_touch == TODAY  # read after the write, not from before it
        assert sent  # outside the block: one by one again
        assert (history, meetings, interims) == (file.score_history(nid), file.next_meetings(nid, TODAY),
                                                 accounts.interim_contacts(file, nid))  # fmt: skip
        assert view == accounts.account_view(file, nid, TODAY, settings)


def test_reads_sent_together_are_prepared_once_and_outlive_a_server_that_forgot_them(server_db: str):
    """Issue 36: the reads sent together are prepared on the session at their first use and run
    with their values quoted by the driver (quotes, %, backslashes, None, floats give what a
    statement of their own gives); when the server forgot them (the driver deallocates every
    prepared statement after a ROLLBACK) they are made again; a failing read is an error of the
    file's kind and leaves the session's planning as it was."""
    from stakeworks.db.postgres import PgConnection

    odd = "O'Brien 50% \\ Söhne; DROP TABLE accounts"
    with Store(server_db) as server:
        with server.transaction() as c:
            c.execute(
                "INSERT INTO accounts (name, arr, renewal_date) VALUES (?, ?, NULL), ('Plain', 2.5, '2027-01-31')",
                (odd, 1.25),
            )
        conn = server.conn
        assert isinstance(conn, PgConnection)
        reads = [
            ("SELECT name, arr, renewal_date FROM accounts WHERE name = ?", (odd,)),
            ("SELECT name FROM accounts WHERE name LIKE '%' || ? AND arr >= ? ORDER BY name", ("Söhne; DROP TABLE accounts", 1.0)),
            ("SELECT count(*) FROM accounts WHERE renewal_date IS NOT DISTINCT FROM ?", (None,)),
            ("SELECT name FROM accounts ORDER BY name", ()),
        ]  # fmt: skip
        alone = [conn.execute(sql, params).fetchall() for sql, params in reads]
        assert alone[0] == [(odd, 1.25, None)] and alone[2] == [(1,)] and len(alone[3]) == 2
        assert conn.run_together(reads) == alone
        assert conn.run_together(reads) == alone  # prepared now: EXECUTE only
        conn.raw.execute("DEALLOCATE ALL")
        assert conn.run_together(reads) == alone
        with pytest.raises(sqlite3.Error, match="no_such_table"):
            conn.run_together([*reads, ("SELECT 1 FROM no_such_table WHERE id = ?", (1,))])
        assert conn.raw.execute("SHOW plan_cache_mode").fetchall() == [("auto",)]
        assert conn.run_together(reads) == alone
        assert conn.execute("SELECT count(*) FROM accounts").fetchall() == [(2,)]


def test_a_read_in_the_servers_own_notation():
    from stakeworks.db.postgres import numbered

    assert numbered("SELECT a FROM t WHERE b = ? AND c LIKE '50%' AND d IN (?, ?)") == (
        "SELECT a FROM t WHERE b = $1 AND c LIKE '50%' AND d IN ($2, $3)"
    )
