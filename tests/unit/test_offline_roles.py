"""Offline work under the team's roles (issue 37 with issue 34): a CSM's offline changes meet
the server's permissions at sync (their own account's accepted, another CSM's and a program
owner's decision refused with the server's words and kept in the copy), history names the
syncing login with the time of the offline change, and the server's sync log is the schema's
(OFFLINE_LOG_STEP) with row-level security, so a CSM's first sync needs no CREATE right. On
the scram cluster of tests/unit/test_team_roles.py, with its four logins."""

from __future__ import annotations

import json
from pathlib import Path

import psycopg
import pytest

from stakeworks.cli.main import main
from stakeworks.db import connection
from stakeworks.db.schema import LATEST_VERSION, MIGRATIONS, OFFLINE_LOG_STEP
from stakeworks.db.store import Store
from tests.conftest import stored
from tests.unit import test_team_roles as roles
from tests.unit.test_team_roles import REFUSED_BETA, Team

team, db, as_ = roles.team, roles.db, roles.as_  # its cluster, a database per test, the CLI as a login

ASSIGNING_REFUSED = "Dana Ruiz (csm) may not change sponsor assignments: the program owner or an admin does"


def run(capsys: pytest.CaptureFixture[str], *args: str, today: str = "2026-11-02") -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["--user", "Dana Ruiz", "--today", today, *args])
    out, err = capsys.readouterr()
    return code, out, err


def server(team: Team, db: str, sql: str) -> list[tuple[object, ...]]:
    with team.cluster.connect(db) as su:
        return su.execute(sql).fetchall()


def test_a_csms_offline_changes_meet_their_role_at_sync(
    team: Team, db: str, as_, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    assert as_("dana", "sponsors", "nominate", "Acme Corp", "Ada Stone", "--reason", "renewal at risk")[0] == 0
    copy = tmp_path / "dana.db"
    code, _, err = run(capsys, "checkout", team.url("dana", db), str(copy))
    assert code == 0, err
    # Offline, on 20 October: a title at her own account, one at Lee Park's, and an approval
    # (the program owner's decision); the copy, a file, has no roles and takes all three.
    titles = tmp_path / "titles.csv"
    titles.write_text("account,name,title\nAcme Corp,Ann Lee,COO\nBeta Ltd,Bob Ray,CEO\n")
    assert run(capsys, "--db", str(copy), "import", "contacts", str(titles), today="2026-10-20")[0] == 0
    assert run(capsys, "--db", str(copy), "sponsors", "approve", "1", today="2026-10-20")[0] == 0
    made = stored(copy, "SELECT at FROM history WHERE field = 'title' AND new = 'COO'")
    assert made and made[0][0].startswith("2026-10-20T")

    code, out, err = run(capsys, "sync", str(copy), "--json")
    assert code == 1, err  # the refusals need her
    report = json.loads(out)
    reasons = {r["record"]: r["reason"] for r in report["refused"]}
    assert reasons["contact Bob Ray"] == REFUSED_BETA, reasons
    # The approval: its assignment refused by the role, and the decision that names it with it.
    approval = {record.split(" (")[0]: reason for record, reason in reasons.items() if record.startswith("sponsor")}
    assert approval["sponsor assignment"] == ASSIGNING_REFUSED, reasons
    assert approval["sponsor review"].endswith(f"was refused: {ASSIGNING_REFUSED}"), reasons
    assert "contact Ann Lee" not in reasons
    # The server: her own account's change, in history under her login's person at the offline time.
    assert server(team, db, "SELECT name, title FROM contacts ORDER BY name") == [
        ("Ann Lee", "COO"),
        ("Bob Ray", "CFO"),
    ]
    assert server(team, db, "SELECT status, decided_by FROM sponsor_reviews") == [("pending", "")]
    assert server(team, db, "SELECT count(*) FROM sponsor_assignments") == [(0,)]
    assert server(team, db, "SELECT by_user, at FROM history WHERE field = 'title' AND new = 'COO'") == [
        ("Dana Ruiz", made[0][0])
    ]
    # The copy keeps what was refused, for her to resolve; it is sent (and refused) again.
    assert stored(copy, "SELECT title FROM contacts WHERE name = 'Bob Ray'") == [("CEO",)]
    again = json.loads(run(capsys, "sync", str(copy), "--json")[1])
    assert {r["record"]: r["reason"] for r in again["refused"]}["contact Bob Ray"] == REFUSED_BETA
    assert stored(copy, "SELECT title FROM contacts WHERE name = 'Bob Ray'") == [("CEO",)]
    assert server(team, db, "SELECT title FROM contacts WHERE name = 'Bob Ray'") == [("CFO",)]


def test_the_servers_sync_log_is_the_csms_own_without_create_rights(
    team: Team, db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    copy = tmp_path / "dana.db"
    assert run(capsys, "checkout", team.url("dana", db), str(copy))[0] == 0
    assert (
        run(capsys, "--db", str(copy), "touch", "Acme Corp", "Ann Lee", "--kind", "call", "--date", "2026-11-01")[0]
        == 0
    )
    with psycopg.connect(team.url("dana", db), autocommit=True) as dana:
        assert dana.execute("SELECT has_schema_privilege('public', 'CREATE')").fetchone() == (False,)
    assert run(capsys, "sync", str(copy))[0] == 0
    with team.cluster.connect(db) as su:
        su.execute("INSERT INTO offline_sync_log VALUES ('other', 1, 'max', '2026-11-01T09:00:00Z', 'Max Stone', '{}')")
    with psycopg.connect(team.url("dana", db), autocommit=True) as dana:
        assert dana.execute("SELECT login, sync_no, by_user FROM offline_sync_log").fetchall() == [
            ("dana", 1, "Dana Ruiz")
        ]  # her own rows only
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # never in someone else's name
            dana.execute("INSERT INTO offline_sync_log VALUES ('x', 1, 'max', '2026-11-01T09:00:00Z', 'Max', '{}')")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # nor rewritten
            dana.execute("UPDATE offline_sync_log SET outcome = '{}'")
    with psycopg.connect(team.url("max", db), autocommit=True) as manager:
        assert manager.execute("SELECT count(*) FROM offline_sync_log").fetchone() == (2,)


def test_a_server_at_the_step_before_gets_the_sync_log_from_its_owner(
    team: Team, db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    with team.cluster.connect(db) as su:
        su.execute(f"ALTER DATABASE {db} OWNER TO ada")  # hers, as the database she ran init in
        su.execute("DROP TABLE offline_sync_log")
        su.execute(f"UPDATE stakeworks_schema SET version = {OFFLINE_LOG_STEP - 1}")
    code, _, err = run(capsys, "--db", team.url("ada", db), "risk")
    assert code == 0, err  # the owner opens it: the step runs
    assert server(team, db, "SELECT version FROM stakeworks_schema") == [(LATEST_VERSION,)]
    copy = tmp_path / "dana.db"
    assert run(capsys, "checkout", team.url("dana", db), str(copy))[0] == 0
    assert (
        run(capsys, "--db", str(copy), "touch", "Acme Corp", "Ann Lee", "--kind", "call", "--date", "2026-11-01")[0]
        == 0
    )
    assert run(capsys, "sync", str(copy))[0] == 0
    assert server(team, db, "SELECT login, sync_no FROM offline_sync_log") == [("dana", 1)]


def test_a_file_at_the_step_before_gets_the_sync_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = tmp_path / "old.db"
    with monkeypatch.context() as m:  # the store as the release before this step made it
        m.setattr(connection, "MIGRATIONS", MIGRATIONS[: OFFLINE_LOG_STEP - 1])
        m.setattr(connection, "LATEST_VERSION", OFFLINE_LOG_STEP - 1)
        with Store(path):
            pass
    assert not stored(path, "SELECT name FROM sqlite_schema WHERE name = 'offline_sync_log'")
    with Store(path) as store:
        assert store.schema_version() == LATEST_VERSION
    assert stored(path, "SELECT name FROM sqlite_schema WHERE name = 'offline_sync_log'") == [("offline_sync_log",)]
    assert stored(path, "PRAGMA integrity_check") == [("ok",)]


def test_a_hand_link_between_two_contacts_made_offline_keeps_its_pair_in_order(
    team: Team, db: str, as_, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    """Cara Nox, one person at two accounts, made offline at both and linked by hand. Her Beta
    record (the lower id in the copy) is refused at the first sync, her Acme record takes the
    server's next id, and the Beta record's id in the copy is the server's for someone else
    now: it gets a fresh one, above the Acme record's. Once Beta is Dana's the Beta record goes
    too, with a higher id again. Each time the link's pair, remapped, is put lower id first."""
    copy = tmp_path / "dana.db"
    assert run(capsys, "checkout", team.url("dana", db), str(copy))[0] == 0
    people = tmp_path / "cara.csv"
    people.write_text("account,name,title\nBeta Ltd,Cara Nox,Advisor\nAcme Corp,Cara Nox,Board member\n")
    assert run(capsys, "--db", str(copy), "import", "contacts", str(people))[0] == 0
    assert run(capsys, "--db", str(copy), "link", "Beta Ltd", "Cara Nox", "Acme Corp", "Cara Nox")[0] == 0
    link = (
        "SELECT a.name, b.name FROM contact_links l JOIN contacts c ON c.id = l.contact_id "
        "JOIN accounts a ON a.id = c.account_id JOIN contacts d ON d.id = l.other_id JOIN accounts b ON b.id = d.account_id"
    )
    assert stored(copy, link) == [("Beta Ltd", "Acme Corp")]  # Beta's record first: the lower id

    someone = tmp_path / "dan.csv"
    someone.write_text("account,name,title\nBeta Ltd,Dan Oak,Analyst\n")
    assert as_("root2", "import", "contacts", str(someone))[0] == 0  # takes the id Cara's Beta record has
    code, out, _ = run(capsys, "sync", str(copy), "--json")
    reasons = {r["record"]: r["reason"] for r in json.loads(out)["refused"]}
    assert code == 1 and reasons["contact Cara Nox"] == REFUSED_BETA, reasons
    assert any(reason.endswith(f"was refused: {REFUSED_BETA}") for reason in reasons.values()), reasons  # the link
    assert server(team, db, "SELECT count(*) FROM contacts WHERE name = 'Cara Nox'") == [(1,)]
    # The copy keeps both records and the link, the Beta record under a fresh id.
    assert stored(copy, link) == [("Acme Corp", "Beta Ltd")]
    assert stored(copy, "SELECT count(*) FROM offline_parked") == [(0,)]  # the link is not kept aside
    assert stored(copy, "PRAGMA integrity_check") == [("ok",)]

    moved = tmp_path / "moved.csv"
    moved.write_text("name,csm\nBeta Ltd,Dana Ruiz\n")
    assert as_("max", "import", "accounts", str(moved))[0] == 0  # a manager gives Beta to Dana
    code, out, err = run(capsys, "sync", str(copy), "--json")
    assert code == 0, out + err
    assert json.loads(out)["refused"] == []
    assert server(team, db, link) == stored(copy, link) == [("Acme Corp", "Beta Ltd")]
    assert server(team, db, "SELECT count(*) FROM contact_links WHERE contact_id < other_id") == [(1,)]
