"""Who may do what on a team store (issue 34, CLI.md "Team store: who may do what"): a cluster
that asks for passwords (scram-sha-256), an owner who ran init and four logins with the four
roles, plus one with none. Every row of the permission table, allowed and refused, through the
CLI and through psql; history names the login's person, never a claimed name, and no product
role can rewrite it; connections as libpq users make them; the server going away."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from stakeworks.cli.main import main
from tests.pgcluster import Cluster

SUPER_PASSWORD = "pg-super-Secret-1"
PASSWORDS = {"ada": "ada-Secret-2", "dana": "dana-Secret-3", "max": "max-Secret-4", "pat": "pat-Secret-5",
             "nobody": "nobody-Secret-6", "root2": "root2-Secret-7"}  # fmt: skip
ACCOUNTS = """name,arr,currency,renewal_date,tier,csm
Acme Corp,100000,EUR,2027-03-31,enterprise,Dana Ruiz
Beta Ltd,80000,EUR,2027-06-30,enterprise,Lee Park
"""
CONTACTS = """account,name,title,email,level,roles,strength
Acme Corp,Ann Lee,VP Ops,ann@acme.example,vp,champion,4
Beta Ltd,Bob Ray,CFO,bob@beta.example,c_level,economic_buyer,3
"""
EXECUTIVES = "name,title,level,capacity\nAda Stone,CRO,c_level,3\n"
REFUSED_BETA = "Dana Ruiz (csm) may not change Beta Ltd: its CSM is Lee Park"


@dataclass
class Team:
    cluster: Cluster
    files: Path

    def url(self, login: str, db: str) -> str:
        return f"postgresql://{login}@/{db}?host={self.cluster.socket_dir}"


@pytest.fixture(scope="module")
def team(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Team]:
    """One cluster for the module: ada owns the template store (she ran init) and added the
    others with `team add`; passwords come from a pgpass file, as a PostgreSQL user keeps them."""
    from tests.pgcluster import find_bindir, remove, start_cluster

    if find_bindir()[0] is None or shutil.which("psql") is None:
        pytest.skip(find_bindir()[1] or "no psql")
    files = tmp_path_factory.mktemp("team")
    pgpass = files / "pgpass"
    pgpass.write_text("".join(f"*:*:*:{login}:{pw}\n" for login, pw in PASSWORDS.items()))
    pgpass.chmod(0o600)
    cluster = start_cluster(password=SUPER_PASSWORD)
    with pytest.MonkeyPatch.context() as env:
        env.setenv("PGPASSFILE", str(pgpass))
        try:
            with cluster.connect() as su:
                su.execute(f"CREATE ROLE ada LOGIN CREATEROLE PASSWORD '{PASSWORDS['ada']}'")
                su.execute(f"CREATE ROLE nobody LOGIN PASSWORD '{PASSWORDS['nobody']}'")
                su.execute("CREATE DATABASE team_template OWNER ada")
            t = Team(cluster, files)
            url = t.url("ada", "team_template")
            assert main(["init", url]) == 0
            for login, role, name in (("dana", "csm", "Dana Ruiz"), ("max", "manager", "Max Stone"),
                                      ("pat", "program_owner", "Pat Okafor"), ("root2", "admin", "Root Two")):  # fmt: skip
                assert main(["--db", url, "team", "add", login, "--role", role, "--name", name]) == 0
            with cluster.connect() as su:  # passwords: the server's business (docs/team.md)
                for login in ("dana", "max", "pat", "root2"):
                    su.execute(f"ALTER ROLE {login} PASSWORD '{PASSWORDS[login]}'")
            for kind, text in (("accounts", ACCOUNTS), ("contacts", CONTACTS), ("executives", EXECUTIVES)):
                (files / f"{kind}.csv").write_text(text)
                assert main(["--db", url, "import", kind, str(files / f"{kind}.csv")]) == 0
            yield t
        finally:
            remove(cluster)


@pytest.fixture
def db(team: Team, request: pytest.FixtureRequest) -> str:
    name = "t_" + request.node.name[:50].lower().replace("[", "_").replace("]", "")
    team.cluster.drop_database(name)
    team.cluster.create_database(name, template="team_template")
    return name


@pytest.fixture
def as_(team: Team, db: str, capsys: pytest.CaptureFixture[str]):
    """Run the CLI as a login: (exit code, stdout, stderr)."""

    def run(login: str, *args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main(["--db", team.url(login, db), "--today", "2026-11-02", *args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture
def psql(team: Team, db: str):
    """psql as a login: (exit code, stderr); one statement or a few, stopping at the first error."""

    def run(login: str, sql: str) -> tuple[int, str]:
        done = subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", team.url(login, db), "-c", sql],
                              capture_output=True, text=True, timeout=60)  # fmt: skip
        return done.returncode, done.stderr

    return run


def scalar(team: Team, db: str, sql: str) -> object:
    with team.cluster.connect(db) as su:
        return su.execute(sql).fetchone()[0]


def history(team: Team, db: str, record: str) -> list[tuple[str, str, str]]:
    with team.cluster.connect(db) as su:
        return su.execute(
            "SELECT by_user, field, name FROM history WHERE record = %s ORDER BY id", (record,)
        ).fetchall()


def count(team: Team, db: str, table: str) -> int:
    return int(scalar(team, db, f"SELECT count(*) FROM {table}"))  # type: ignore[call-overload]


# -- the permission table through the CLI ----------------------------------------------------


def test_a_csm_changes_their_own_accounts_and_reads_everything(team: Team, db: str, as_, tmp_path: Path):
    code, _, err = as_("dana", "touch", "Acme Corp", "Ann Lee", "--kind", "call", "--date", "2026-11-01")
    assert code == 0, err
    code, _, err = as_("dana", "touch", "Beta Ltd", "Bob Ray", "--kind", "call", "--date", "2026-11-01")
    assert (code, err.strip()) == (1, f"stakeworks: {REFUSED_BETA}")
    assert count(team, db, "touches") == 1
    # An import into someone else's account: refused whole, nothing written.
    beta = tmp_path / "beta.csv"
    beta.write_text("account,name,title\nAcme Corp,Cid New,Analyst\nBeta Ltd,Bea New,Analyst\n")
    code, _, err = as_("dana", "import", "contacts", str(beta))
    assert code == 1 and REFUSED_BETA in err
    assert count(team, db, "contacts") == 2
    assert as_("dana", "depart", "Acme Corp", "Ann Lee", "--date", "2026-11-01")[0] == 0
    assert as_("dana", "sponsors", "nominate", "Acme Corp", "--reason", "renewal at risk")[0] == 0
    code, _, err = as_("dana", "sponsors", "nominate", "Beta Ltd", "--reason", "mine now")
    assert code == 1 and REFUSED_BETA in err
    # Reading is everyone's.
    for args in (("risk",), ("assess", "Beta Ltd"), ("history", "Beta Ltd"), ("sponsors", "review")):
        assert as_("dana", *args)[0] == 0, args


def test_a_csm_may_not_reassign_an_account_nor_touch_the_program(team: Team, db: str, as_, tmp_path: Path):
    moved = tmp_path / "moved.csv"
    moved.write_text("name,csm\nAcme Corp,Lee Park\n")
    code, _, err = as_("dana", "import", "accounts", str(moved))
    assert code == 1 and "Dana Ruiz (csm) may not change the CSM of Acme Corp: a manager or an admin does" in err
    assert scalar(team, db, "SELECT csm FROM accounts WHERE name = 'Acme Corp'") == "Dana Ruiz"
    executives = tmp_path / "executives.csv"
    executives.write_text("name,title,level,capacity\nEve Park,CFO,c_level,2\n")
    code, _, err = as_("dana", "import", "executives", str(executives))
    assert code == 1 and "Dana Ruiz (csm) may not change executives: the program owner or an admin does" in err
    code, _, err = as_("dana", "sponsors", "assign", "Ada Stone", "Acme Corp")
    assert code == 1 and "Dana Ruiz (csm) may not change" in err
    assert count(team, db, "sponsor_assignments") == 0


def test_a_manager_changes_every_account_and_its_csm_but_not_the_program(team: Team, db: str, as_, tmp_path: Path):
    assert as_("max", "touch", "Beta Ltd", "Bob Ray", "--kind", "meeting", "--date", "2026-11-01")[0] == 0
    moved = tmp_path / "moved.csv"
    moved.write_text("name,csm\nBeta Ltd,Dana Ruiz\n")
    assert as_("max", "import", "accounts", str(moved))[0] == 0
    assert as_("dana", "touch", "Beta Ltd", "Bob Ray", "--kind", "call", "--date", "2026-11-01")[0] == 0  # hers now
    assert as_("max", "sponsors", "nominate", "Beta Ltd", "Ada Stone", "--reason", "exec gap")[0] == 0
    code, _, err = as_("max", "sponsors", "approve", "1")
    assert code == 1 and "Max Stone (manager) may not change sponsor" in err
    assert scalar(team, db, "SELECT status FROM sponsor_reviews") == "pending"


def test_the_program_owner_decides_sponsorships_and_changes_no_map(team: Team, db: str, as_):
    assert as_("dana", "sponsors", "nominate", "Acme Corp", "Ada Stone", "--reason", "renewal at risk")[0] == 0
    code, out, err = as_("pat", "sponsors", "approve", "1", "--json")
    assert code == 0, err
    assert json.loads(out)["decided_by"] == "Pat Okafor"
    assert scalar(team, db, "SELECT decided_by || '/' || proposed_by FROM sponsor_reviews") == "Pat Okafor/Dana Ruiz"
    assert as_("pat", "import", "executives", str(team.files / "executives.csv"))[0] == 0
    code, _, err = as_("pat", "touch", "Acme Corp", "Ann Lee", "--kind", "call", "--date", "2026-11-01")
    assert (
        code == 1 and "Pat Okafor (program_owner) may not change Acme Corp: its CSM, a manager or an admin does" in err
    )


def test_an_admin_does_everything_and_keeps_the_team(team: Team, db: str, as_, psql):
    assert as_("root2", "touch", "Beta Ltd", "Bob Ray", "--kind", "call", "--date", "2026-11-01")[0] == 0
    code, out, err = as_("root2", "team", "add", "lee", "--role", "csm", "--name", "Lee Park")
    assert code == 0, err
    assert "\\password lee" in out and "Secret" not in out
    code, out, _ = as_("ada", "team", "list", "--json")
    assert {"login": "lee", "name": "Lee Park", "role": "csm"} in json.loads(out)
    assert as_("ada", "team", "role", "lee", "manager")[0] == 0
    assert as_("ada", "team", "remove", "lee")[0] == 0
    assert "lee" not in as_("ada", "team", "list")[1]
    for login, who in (
        ("dana", "Dana Ruiz (csm)"),
        ("max", "Max Stone (manager)"),
        ("pat", "Pat Okafor (program_owner)"),
    ):
        code, _, err = as_(login, "team", "add", "eve", "--role", "admin")
        assert code == 1 and f"{who} may not change the team: an admin does" in err
    assert as_("root2", "team", "role", "ada", "csm")[0] == 0  # root2 remains an admin
    code, _, err = as_("root2", "team", "remove", "root2")
    assert code == 1 and "last admin" in err
    # Settings are an admin's; deleting an account too.
    assert psql("root2", "INSERT INTO meta (key, value) VALUES ('settings', '{}')")[0] == 0
    code, err = psql("max", "UPDATE meta SET value = '{\"x\": 1}' WHERE key = 'settings'")
    assert code != 0 and "permission denied" in err
    code, err = psql("max", "DELETE FROM accounts WHERE name = 'Beta Ltd'")
    assert code != 0 and "Max Stone (manager) may not delete Beta Ltd: an admin does" in err
    assert psql("root2", "DELETE FROM accounts WHERE name = 'Beta Ltd'")[0] == 0


def test_a_login_without_a_role_is_told_who_can_give_one(as_, psql):
    code, out, err = as_("nobody", "risk")
    assert (code, out) == (3, "")
    assert (
        err
        == "stakeworks: nobody has no stakeworks role on this server; an admin runs `stakeworks team add nobody --role csm`\n"
    )
    code, err = psql("nobody", "UPDATE contacts SET strength = 1")
    assert code != 0 and "permission denied" in err


# -- the same through psql -------------------------------------------------------------------


def test_psql_as_a_csm_can_do_no_more_than_the_app(team: Team, db: str, psql):
    refused = {
        "UPDATE contacts SET strength = 1 WHERE name = 'Bob Ray'": REFUSED_BETA,
        "INSERT INTO touches (contact_id, date, kind) SELECT id, '2026-11-01', 'call' FROM contacts WHERE name = 'Bob Ray'": REFUSED_BETA,
        "DELETE FROM contacts WHERE name = 'Bob Ray'": REFUSED_BETA,
        "DELETE FROM contact_roles": REFUSED_BETA,
        "UPDATE accounts SET csm = 'Dana Ruiz' WHERE name = 'Beta Ltd'": "may not change the CSM of Beta Ltd",
        "UPDATE accounts SET arr = 1 WHERE name = 'Beta Ltd'": REFUSED_BETA,
        "INSERT INTO accounts (name, csm) VALUES ('Gamma', 'Lee Park')": "Dana Ruiz (csm) may not add Gamma: its CSM is Lee Park",
        "INSERT INTO executives (name, level) VALUES ('Eve', 'vp')": "permission denied for table executives",
        "UPDATE sponsor_reviews SET status = 'declined'": "permission denied for table sponsor_reviews",
        "INSERT INTO sponsor_assignments (executive_id, account_id, start_date) SELECT 1, id, '2026-11-01' FROM accounts": "permission denied",
    }  # fmt: skip
    before = (count(team, db, "contacts"), count(team, db, "contact_roles"), count(team, db, "accounts"))
    for sql, why in refused.items():
        code, err = psql("dana", sql)
        assert code != 0 and why in err, (sql, err)
    assert (count(team, db, "contacts"), count(team, db, "contact_roles"), count(team, db, "accounts")) == before
    assert scalar(team, db, "SELECT strength FROM contacts WHERE name = 'Bob Ray'") == 3
    for sql in ("UPDATE contacts SET strength = 2 WHERE name = 'Ann Lee'",
                "INSERT INTO accounts (name, csm) VALUES ('Gamma', 'Dana Ruiz')",
                "INSERT INTO touches (contact_id, date, kind) SELECT id, '2026-11-01', 'call' FROM contacts WHERE name = 'Ann Lee'"):  # fmt: skip
        assert psql("dana", sql) == (0, ""), sql
    # The others, each at a row of the table.
    assert psql("pat", "INSERT INTO executives (name, level) VALUES ('Eve', 'vp')") == (0, "")
    code, err = psql("pat", "UPDATE contacts SET strength = 1 WHERE name = 'Ann Lee'")
    assert code != 0 and "Pat Okafor (program_owner) may not change Acme Corp" in err
    assert psql("max", "UPDATE contacts SET strength = 1 WHERE name = 'Bob Ray'")[0] == 0
    assert psql("max", "UPDATE accounts SET csm = 'Max Stone' WHERE name = 'Beta Ltd'")[0] == 0


# -- history -----------------------------------------------------------------------------------


def test_history_names_the_login_never_a_claimed_name(team: Team, db: str, as_, psql, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("STAKEWORKS_USER", "Someone Else")
    code, _, err = as_(
        "dana", "--user", "Mallory", "touch", "Acme Corp", "Ann Lee", "--kind", "call", "--date", "2026-11-01"
    )
    assert code == 0
    assert err.count("ignored on a team store: you are Dana Ruiz (dana, csm)") == 1
    assert history(team, db, "touch") == [("Dana Ruiz", "created", "Ann Lee")]
    code, out, _ = as_("dana", "history", "Acme Corp", "--json")
    assert {line["user"] for line in json.loads(out) if line["record"] == "touch"} == {"Dana Ruiz"}
    # psql: claiming a name, or switching the history off, changes nothing of what is recorded.
    sql = "SELECT set_config('stakeworks.user', 'Mallory', false); SET stakeworks.history = 'off'; UPDATE contacts SET strength = 2 WHERE name = 'Ann Lee'"
    code, err = psql("dana", sql)
    assert code == 0, err
    assert history(team, db, "contact")[-1] == ("Dana Ruiz", "strength", "Ann Lee")


def test_every_kind_of_write_is_in_history_with_its_person(team: Team, db: str, as_, psql):
    assert as_("dana", "touch", "Acme Corp", "Ann Lee", "--kind", "call", "--date", "2026-11-01")[0] == 0
    assert as_("dana", "depart", "Acme Corp", "Ann Lee", "--date", "2026-11-01")[0] == 0  # tasks
    assert as_("dana", "sponsors", "nominate", "Acme Corp", "Ada Stone", "--reason", "gap")[0] == 0
    assert as_("pat", "sponsors", "approve", "1")[0] == 0
    plan = "INSERT INTO plan_items (account_id, first_action) SELECT id, 'meet the CFO' FROM accounts WHERE name = 'Acme Corp'"
    signal = ("INSERT INTO signals (kind, contact_id, raised_on, evidence, evidence_key) "
              "SELECT 'title_changed', id, '2026-11-01', 'crm', 'k' FROM contacts WHERE name = 'Ann Lee'")  # fmt: skip
    assert psql("dana", f"{plan}; {signal}; UPDATE signals SET status = 'dismissed', decided_on = '2026-11-02'")[0] == 0
    assert psql("root2", "INSERT INTO meta (key, value) VALUES ('settings', '{\"program_size\": 5}')")[0] == 0
    people = {
        record: {who for who, _, _ in history(team, db, record)}
        for record in ("touch", "task", "plan item", "signal", "sponsorship review", "sponsor", "setting", "contact")
    }
    assert people == {
        "touch": {"Dana Ruiz"}, "task": {"Dana Ruiz"}, "plan item": {"Dana Ruiz"}, "signal": {"Dana Ruiz"},
        "sponsorship review": {"Dana Ruiz", "Pat Okafor"}, "sponsor": {"Pat Okafor"}, "setting": {"Root Two"},
        "contact": {"ada", "Dana Ruiz"},  # ada imported them (she has no --name: her login)
    }  # fmt: skip
    assert ("Pat Okafor", "status", "Ada Stone") in history(team, db, "sponsorship review")
    assert scalar(team, db, "SELECT decided_by FROM signals") == "Dana Ruiz"


def test_history_is_append_only_for_every_role_the_product_creates(team: Team, db: str, psql):
    before = count(team, db, "history")
    for login in ("dana", "max", "pat", "root2"):
        for sql in ("UPDATE history SET by_user = 'x'", "DELETE FROM history", "TRUNCATE history",
                    "INSERT INTO history (at, account_id, record, field) VALUES ('x', 1, 'x', 'x')",
                    "ALTER TABLE contacts DISABLE TRIGGER history_contacts_update",
                    "DROP TRIGGER history_contacts_update ON contacts", "ALTER TABLE history DISABLE ROW LEVEL SECURITY"):  # fmt: skip
            code, err = psql(login, sql)
            assert code != 0 and ("permission denied" in err or "must be owner" in err), (login, sql, err)
    assert count(team, db, "history") == before


# -- connections and faults --------------------------------------------------------------------


def test_connections_as_postgresql_users_make_them(
    team: Team, db: str, as_, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
):
    services = tmp_path / "pg_service.conf"
    services.write_text(f"[team]\nhost={team.cluster.socket_dir}\ndbname={db}\nuser=dana\n")
    monkeypatch.setenv("PGSERVICEFILE", str(services))
    assert (
        main(
            [
                "--db",
                "postgresql:///?service=team",
                "touch",
                "Acme Corp",
                "Ann Lee",
                "--kind",
                "email",
                "--date",
                "2026-11-01",
            ]
        )
        == 0
    )
    monkeypatch.delenv("PGSERVICEFILE")
    for name, value in (("PGHOST", str(team.cluster.socket_dir)), ("PGDATABASE", db), ("PGUSER", "max")):
        monkeypatch.setenv(name, value)
    assert (
        main(["--db", "postgresql://", "touch", "Beta Ltd", "Bob Ray", "--kind", "email", "--date", "2026-11-01"]) == 0
    )
    assert {who for who, _, _ in history(team, db, "touch")} == {"Dana Ruiz", "Max Stone"}
    url = team.url("dana", db)
    capsys.readouterr()
    assert main(["--db", f"{url}&sslmode=prefer&application_name=mine&connect_timeout=5", "risk"]) == 0
    # A wrong password, even one typed into the URL, is never shown.
    wrong = url.replace("dana@", "dana:Typed-Wrong-9@")
    assert main(["--db", wrong, "risk"]) == 3
    _, err = capsys.readouterr()
    assert "password authentication failed" in err and "Typed-Wrong-9" not in err and len(err.splitlines()) == 1


def test_a_server_that_goes_away_is_exit_3_in_one_line_and_an_import_leaves_nothing(
    team: Team, db: str, as_, tmp_path: Path
):
    # An import of many contacts held at its last table, the server restarted under it.
    rows = "".join(f"Acme Corp,Person {i},Analyst,p{i}@acme.example,user,influencer\n" for i in range(400))
    big = tmp_path / "big.csv"
    big.write_text("account,name,title,email,level,roles\n" + rows)
    before = count(team, db, "contacts")
    result: list[tuple[int, str, str]] = []
    su = team.cluster.connect(db)
    su.execute("BEGIN")
    su.execute("LOCK TABLE contact_roles IN ACCESS EXCLUSIVE MODE")
    worker = threading.Thread(target=lambda: result.append(as_("dana", "import", "contacts", str(big))))
    worker.start()
    waiting = "SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = 'contact_roles'::regclass"
    for _ in range(600):  # the import reaches the locked table, its contacts written (at most a minute)
        if su.execute(waiting).fetchone()[0]:
            break
        time.sleep(0.1)
    team.cluster.stop()
    su.close()
    team.cluster.launch()
    worker.join(timeout=120)
    code, _, err = result[0]
    assert code == 3 and len(err.splitlines()) == 1 and "server" in err, err
    assert count(team, db, "contacts") == before
    # A stopped server: every command is exit 3 with the reason, in one line, no traceback.
    team.cluster.stop()
    try:
        code, _, err = as_("dana", "risk")
        assert code == 3 and len(err.splitlines()) == 1 and "cannot reach the team store" in err
    finally:
        team.cluster.launch()
    assert as_("dana", "risk")[0] == 0


def test_backup_and_restore_with_postgresqls_own_tools_keep_the_roles(team: Team, db: str, as_, tmp_path: Path):
    """docs/team.md: pg_dump by the owner, pg_restore into a new database; the team, its rules
    and the history come back."""
    assert as_("dana", "touch", "Acme Corp", "Ann Lee", "--kind", "call", "--date", "2026-11-01")[0] == 0
    dump = tmp_path / "team.dump"
    tool = team.cluster.bindir
    subprocess.run([str(tool / "pg_dump"), "-Fc", "-f", str(dump), team.url("ada", db)], check=True, timeout=120)
    restored = f"{db[:40]}_restored"
    team.cluster.drop_database(restored)
    with team.cluster.connect() as su:
        su.execute(f'CREATE DATABASE "{restored}" OWNER ada')
    subprocess.run([str(tool / "pg_restore"), "--no-owner", "--role=ada", "-d", team.url("ada", restored), str(dump)],
                   check=True, timeout=120, capture_output=True)  # fmt: skip
    code, _, err = main_as(
        team, "dana", restored, "touch", "Beta Ltd", "Bob Ray", "--kind", "call", "--date", "2026-11-01"
    )
    assert code == 1 and REFUSED_BETA in err
    assert history(team, restored, "touch") == [("Dana Ruiz", "created", "Ann Lee")]
    assert (
        main_as(team, "dana", restored, "touch", "Acme Corp", "Ann Lee", "--kind", "email", "--date", "2026-11-02")[0]
        == 0
    )


def main_as(team: Team, login: str, db: str, *args: str) -> tuple[int, str, str]:
    """The CLI as a login on another database than the test's."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--db", team.url(login, db), *args])
    return code, out.getvalue(), err.getvalue()


def test_every_table_of_the_store_has_its_place_in_the_roles():
    """A new table says who may write it (db/team.py), or `init` on a server refuses."""
    from stakeworks.db import postgres_schema, team

    tables = {name for kind, name, _, _ in postgres_schema._file_schema() if kind == "table"}
    assert tables | {"stakeworks_schema", "stakeworks_team"} <= team.CLASSIFIED


@pytest.mark.parametrize(
    ("login", "extra"),
    [
        ("eve\x1b[2J", ()),  # a control sequence
        ("[bold]eve[/]", ()),  # markup
        ("e" * 10_000, ()),
        ("eve; DROP TABLE contacts", ()),  # SQL
        ('eve" SUPERUSER --', ()),
        ("eve", ("--name", "Eve\x07 Bell")),  # a control character in the person's name
        ("eve", ("--name", "E" * 10_000)),
    ],
    ids=["escape", "markup", "long", "sql", "quote", "name-control", "name-long"],
)
def test_team_add_refuses_hostile_logins_and_names_writing_nothing(team: Team, db: str, as_, login, extra):
    """Issue 35: a clear one-line refusal, no role created, the team unchanged."""
    before = scalar(team, db, "SELECT count(*) FROM stakeworks_team")
    roles = scalar(team, db, "SELECT count(*) FROM pg_roles")
    code, out, err = as_("ada", "team", "add", login, "--role", "csm", *extra)
    assert code == 2, (code, out, err)
    assert "Traceback" not in err and len(err.splitlines()) == 1 and len(err) < 400
    assert "\x1b" not in err and "\x07" not in err
    assert scalar(team, db, "SELECT count(*) FROM stakeworks_team") == before
    assert scalar(team, db, "SELECT count(*) FROM pg_roles") == roles
