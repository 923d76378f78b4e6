"""Offline work against a team store (issue 37, CLI.md "Offline work"): checkout, edits in the
copy while the server is down, sync both ways, a merge and a conflict, a refusal kept in the
copy, a sync cut short and run again, and hostile input, on a real PostgreSQL cluster."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stakeworks.cli.main import main
from tests.conftest import NORTHWIND_ACCOUNTS, NORTHWIND_CONTACTS, Cluster, stored

MORE_ACCOUNTS = """name,arr,currency,renewal_date,tier,industry,region,csm
Contoso,90000,EUR,2027-02-28,mid_market,retail,EMEA,Dana Ruiz
Fabrikam,120000,EUR,2027-05-31,enterprise,media,AMER,Dana Ruiz
"""
EXECUTIVES = "name,title,level,function\nAda Brook,CRO,c_level,sales\n"


def run(capsys: pytest.CaptureFixture[str], *args: str, user: str = "Dana Ruiz") -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["--user", user, "--today", "2026-11-01", *args])
    out, err = capsys.readouterr()
    return code, out, err


def ok(capsys: pytest.CaptureFixture[str], *args: str, user: str = "Dana Ruiz") -> str:
    code, out, err = run(capsys, *args, user=user)
    assert code == 0, err
    return out


def name_login(capsys: pytest.CaptureFixture[str], server: str, name: str) -> None:
    """On a server the person acting is the login, named in the team table (`--user` is ignored there)."""
    ok(capsys, "--db", server, "team", "add", "postgres", "--role", "admin", "--name", name)


@pytest.fixture
def team(server_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """A team store with three accounts (Northwind is Alex Rivera's, the others Dana Ruiz's)."""
    for name, text in (("a.csv", NORTHWIND_ACCOUNTS), ("b.csv", MORE_ACCOUNTS)):
        (tmp_path / name).write_text(text)
        ok(capsys, "--db", server_db, "import", "accounts", str(tmp_path / name))
    (tmp_path / "c.csv").write_text(NORTHWIND_CONTACTS)
    ok(capsys, "--db", server_db, "import", "contacts", str(tmp_path / "c.csv"))
    return server_db


def contacts_csv(path: Path, **changes: str) -> Path:
    """Northwind's contacts with some cells changed: `Tom_Chen_title="CTO"`."""
    lines = NORTHWIND_CONTACTS.splitlines()
    header = lines[0].split(",")
    rows = [line.split(",") for line in lines[1:]]
    for spec, value in changes.items():
        who, _, column = spec.rpartition("__")
        row = next(r for r in rows if r[1] == who.replace("_", " "))
        row[header.index(column)] = value
    path.write_text("\n".join([lines[0], *(",".join(r) for r in rows)]) + "\n")
    return path


def test_work_goes_on_with_the_server_stopped_and_reaches_it_later(
    own_cluster: Cluster, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    url = own_cluster.create_database("offline_stopped")
    ok(capsys, "init", url)
    (tmp_path / "a.csv").write_text(NORTHWIND_ACCOUNTS)
    (tmp_path / "c.csv").write_text(NORTHWIND_CONTACTS)
    ok(capsys, "--db", url, "import", "accounts", str(tmp_path / "a.csv"))
    ok(capsys, "--db", url, "import", "contacts", str(tmp_path / "c.csv"))
    copy = tmp_path / "offline.db"
    ok(capsys, "checkout", url, str(copy))
    own_cluster.stop()
    try:
        # Everything a CSM does works on the copy while the server is away...
        ok(capsys, "--db", str(copy), "touch", "Northwind", "Lisa Park", "--kind", "meeting", "--date", "2026-10-31")
        ok(capsys, "--db", str(copy), "depart", "Northwind", "Tom Chen", "--date", "2026-10-30")
        assert json.loads(ok(capsys, "--db", str(copy), "assess", "Northwind", "--json"))["account"] == "Northwind"
        # ...and a sync says it cannot reach the server, changing nothing in the copy.
        before = copy.read_bytes()
        code, _, err = run(capsys, "sync", str(copy))
        assert code == 3 and "cannot reach" in err and copy.read_bytes() == before
    finally:
        own_cluster.launch()
    report = json.loads(ok(capsys, "sync", str(copy), "--json"))
    assert report["refused"] == [] and report["conflicts"] == []
    assert stored(url, "SELECT status, departed_on FROM contacts WHERE name = 'Tom Chen'") == [
        ("departed", "2026-10-30")
    ]
    assert stored(url, "SELECT count(*) FROM touches WHERE date = '2026-10-31'") == [(1,)]
    # The champion's playbook, made offline, went along with the departure.
    tasks = "SELECT action, due_date FROM playbook_tasks ORDER BY id"
    assert stored(url, tasks) and stored(url, tasks) == stored(copy, tasks)


def test_checkout_holds_the_portfolio_and_sync_brings_both_ways(
    team: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    copy = tmp_path / "offline.db"
    data = json.loads(ok(capsys, "checkout", team, str(copy), "--json"))
    assert data["accounts"] == 3 and data["contacts"] == 3
    risk = json.loads(ok(capsys, "--db", str(copy), "risk", "--json"))
    assert sorted(r["account"] for r in risk) == ["Contoso", "Fabrikam", "Northwind"]
    # The copy changes a title; the server (Alex) changes a strength of the same contact.
    ok(capsys, "--db", str(copy), "import", "contacts", str(contacts_csv(tmp_path / "m.csv", Tom_Chen__title="CTO")))
    ok(capsys, "--db", team, "import", "contacts", str(contacts_csv(tmp_path / "t.csv", Tom_Chen__strength="4")),
       user="Alex Rivera")  # fmt: skip
    report = json.loads(ok(capsys, "sync", str(copy), "--json"))
    assert report["conflicts"] == [] and report["refused"] == []
    assert report["sent"] == 2  # the title, and the signal the import raised about it
    for db in (team, copy):
        assert stored(db, "SELECT title, strength FROM contacts WHERE name = 'Tom Chen'") == [("CTO", 4)]
        assert stored(db, "SELECT count(*) FROM signals WHERE kind = 'title_changed'") == [(1,)]
    # A second sync has nothing to do, and the records keep the server's versions.
    again = json.loads(ok(capsys, "sync", str(copy), "--json"))
    assert (again["sent"], again["received"]) == (0, 0)
    assert stored(copy, "SELECT version FROM contacts ORDER BY id") == stored(
        team, "SELECT version FROM contacts ORDER BY id"
    )


def test_the_copy_holds_only_the_users_accounts_with_mine(
    team: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    copy = tmp_path / "mine.db"
    name_login(capsys, team, "Dana Ruiz")
    ok(capsys, "checkout", team, str(copy), "--mine")
    assert stored(copy, "SELECT name FROM accounts ORDER BY name") == [("Contoso",), ("Fabrikam",)]
    assert stored(copy, "SELECT count(*) FROM contacts") == [(0,)]
    one = tmp_path / "one.db"
    ok(capsys, "checkout", team, str(one), "--account", "northwind")
    assert stored(one, "SELECT name FROM accounts") == [("Northwind",)]
    assert stored(one, "SELECT count(*) FROM contacts") == [(3,)]


def test_an_offline_change_reaches_the_servers_history_with_the_time_it_was_made(
    team: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    copy = tmp_path / "offline.db"
    ok(capsys, "checkout", team, str(copy))
    ok(capsys, "--db", str(copy), "--today", "2026-10-20", "import", "contacts",
       str(contacts_csv(tmp_path / "m.csv", Sarah_Kim__title="CEO")))  # fmt: skip
    made = stored(copy, "SELECT at FROM history WHERE field = 'title' AND new = 'CEO'")
    assert made and made[0][0].startswith("2026-10-20T")
    ok(capsys, "sync", str(copy))  # synced on 2026-11-01
    assert stored(team, "SELECT at FROM history WHERE field = 'title' AND new = 'CEO'") == made
    # The copy now holds the server's history, that line included, once.
    assert stored(copy, "SELECT at FROM history WHERE field = 'title' AND new = 'CEO'") == made


def test_the_same_field_on_both_sides_is_a_conflict_kept_until_resolved(
    team: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    copy = tmp_path / "offline.db"
    ok(capsys, "checkout", team, str(copy))
    ok(
        capsys,
        "--db",
        str(copy),
        "import",
        "contacts",
        str(contacts_csv(tmp_path / "m.csv", Lisa_Park__department="Platform")),
    )
    name_login(capsys, team, "Alex Rivera")
    ok(capsys, "--db", team, "import", "contacts", str(contacts_csv(tmp_path / "t.csv", Lisa_Park__department="Infra")),
       user="Alex Rivera")  # fmt: skip
    code, out, err = run(capsys, "sync", str(copy), "--json")
    assert code == 1, err  # something needs the user
    (conflict,) = json.loads(out)["conflicts"]
    assert {k: conflict[k] for k in ("record", "field", "mine", "theirs", "mine_by", "theirs_by")} == {
        "record": "contact Lisa Park", "field": "department", "mine": "Platform", "theirs": "Infra",
        "mine_by": "Dana Ruiz", "theirs_by": "Alex Rivera",
    }  # fmt: skip
    # Neither side was overwritten; a sync again keeps it, with the same id.
    assert stored(team, "SELECT department FROM contacts WHERE name = 'Lisa Park'") == [("Infra",)]
    assert stored(copy, "SELECT department FROM contacts WHERE name = 'Lisa Park'") == [("Platform",)]
    code, out, _ = run(capsys, "sync", str(copy), "--json")
    assert code == 1 and [c["id"] for c in json.loads(out)["conflicts"]] == [conflict["id"]]
    assert stored(team, "SELECT department FROM contacts WHERE name = 'Lisa Park'") == [("Infra",)]
    # Taking mine (offline) and syncing sends it.
    ok(capsys, "sync", str(copy), "--take", "mine", str(conflict["id"]))
    report = json.loads(ok(capsys, "sync", str(copy), "--json"))
    assert report["conflicts"] == [] and report["sent"] == 1
    assert stored(team, "SELECT department FROM contacts WHERE name = 'Lisa Park'") == [("Platform",)]


def test_taking_theirs_puts_the_servers_value_in_the_copy(
    team: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    copy = tmp_path / "offline.db"
    ok(capsys, "checkout", team, str(copy))
    ok(capsys, "--db", str(copy), "import", "contacts", str(contacts_csv(tmp_path / "m.csv", Lisa_Park__strength="1")))
    ok(capsys, "--db", team, "import", "contacts", str(contacts_csv(tmp_path / "t.csv", Lisa_Park__strength="5")))
    (conflict,) = json.loads(run(capsys, "sync", str(copy), "--json")[1])["conflicts"]
    ok(capsys, "sync", str(copy), "--take", "theirs", str(conflict["id"]))
    assert stored(copy, "SELECT strength FROM contacts WHERE name = 'Lisa Park'") == [(5,)]
    report = json.loads(ok(capsys, "sync", str(copy), "--json"))
    assert (report["sent"], report["conflicts"]) == (0, [])
    assert stored(team, "SELECT strength FROM contacts WHERE name = 'Lisa Park'") == [(5,)]


def test_a_fourth_sponsorship_made_offline_is_refused_at_sync_and_kept_in_the_copy(
    team: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    (tmp_path / "e.csv").write_text(EXECUTIVES)
    (tmp_path / "x.csv").write_text("name,arr,csm\nLitware,50000,Dana Ruiz\n")
    ok(capsys, "--db", team, "import", "executives", str(tmp_path / "e.csv"))
    ok(capsys, "--db", team, "import", "accounts", str(tmp_path / "x.csv"))
    ok(capsys, "--db", team, "sponsors", "assign", "Ada Brook", "Northwind")
    ok(capsys, "--db", team, "sponsors", "assign", "Ada Brook", "Contoso")
    copy = tmp_path / "offline.db"
    ok(capsys, "checkout", team, str(copy))
    ok(capsys, "--db", str(copy), "sponsors", "assign", "Ada Brook", "Fabrikam")  # her third, in the copy
    ok(capsys, "--db", team, "sponsors", "assign", "Ada Brook", "Litware")  # her third, on the server
    code, out, err = run(capsys, "sync", str(copy))
    assert code == 1, err
    assert "sponsor assignment (executive Ada Brook, account Fabrikam)" in out and "over capacity" in out
    assert stored(team, "SELECT count(*) FROM sponsor_assignments WHERE active = 1") == [(3,)]
    # The copy holds the server's three; its own is kept aside, sent again and reported at each sync.
    assert stored(copy, "SELECT count(*) FROM sponsor_assignments WHERE active = 1") == [(3,)]
    code, out, _ = run(capsys, "sync", str(copy), "--json")
    (refused,) = json.loads(out)["refused"]
    assert code == 1 and refused["change"] == "insert" and "over capacity" in refused["reason"]
    # Once the server has room, the next sync sends it.
    ok(capsys, "--db", team, "sponsors", "unassign", "Ada Brook", "Litware")
    report = json.loads(ok(capsys, "sync", str(copy), "--json"))
    assert report["refused"] == [] and report["sent"] == 1
    active = (
        "SELECT a.name FROM sponsor_assignments s JOIN accounts a ON a.id = s.account_id WHERE s.active = 1 ORDER BY 1"
    )
    assert stored(team, active) == stored(copy, active) == [("Contoso",), ("Fabrikam",), ("Northwind",)]


def test_dropping_a_refused_change_leaves_the_servers_records(
    team: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    (tmp_path / "e.csv").write_text(EXECUTIVES)
    (tmp_path / "x.csv").write_text("name,arr,csm\nLitware,50000,Dana Ruiz\n")
    ok(capsys, "--db", team, "import", "executives", str(tmp_path / "e.csv"))
    ok(capsys, "--db", team, "import", "accounts", str(tmp_path / "x.csv"))
    for account in ("Northwind", "Contoso"):
        ok(capsys, "--db", team, "sponsors", "assign", "Ada Brook", account)
    copy = tmp_path / "offline.db"
    ok(capsys, "checkout", team, str(copy))
    ok(capsys, "--db", str(copy), "sponsors", "assign", "Ada Brook", "Fabrikam")
    ok(capsys, "--db", team, "sponsors", "assign", "Ada Brook", "Litware")
    (refused,) = json.loads(run(capsys, "sync", str(copy), "--json")[1])["refused"]
    ok(capsys, "sync", str(copy), "--take", "theirs", refused["id"])
    report = json.loads(ok(capsys, "sync", str(copy), "--json"))
    assert (report["refused"], report["sent"]) == ([], 0)


def test_a_sync_cut_short_is_finished_without_applying_anything_twice(
    team: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
):
    from stakeworks.db import sync

    copy = tmp_path / "offline.db"
    ok(capsys, "checkout", team, str(copy))
    ok(capsys, "--db", str(copy), "touch", "Northwind", "Sarah Kim", "--kind", "call", "--date", "2026-10-30")
    ok(
        capsys,
        "--db",
        str(copy),
        "import",
        "contacts",
        str(contacts_csv(tmp_path / "m.csv", Sarah_Kim__department="FP&A")),
    )
    before = stored(copy, "SELECT count(*) FROM touches")

    def killed(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt  # the process dies after the server committed, before the copy did

    with monkeypatch.context() as m:
        m.setattr(sync, "_finish", killed)
        assert run(capsys, "sync", str(copy))[0] == 130
    assert stored(team, "SELECT count(*) FROM touches WHERE date = '2026-10-30'") == [(1,)]
    assert stored(copy, "SELECT count(*) FROM touches") == before  # the copy as it was
    report = json.loads(ok(capsys, "sync", str(copy), "--json"))
    assert report["resumed"] is True and report["sent"] == 0
    assert stored(team, "SELECT count(*) FROM touches WHERE date = '2026-10-30'") == [(1,)]
    assert stored(copy, "SELECT count(*) FROM touches WHERE date = '2026-10-30'") == [(1,)]
    assert stored(team, "SELECT count(*) FROM history WHERE field = 'department' AND new = 'FP&A'") == [(1,)]
    assert stored(copy, "SELECT count(*) FROM touches") == stored(team, "SELECT count(*) FROM touches")


def test_new_records_made_offline_get_the_servers_ids(team: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    copy = tmp_path / "offline.db"
    ok(capsys, "checkout", team, str(copy))
    (tmp_path / "x.csv").write_text("name,arr,csm\nLitware,50000,Dana Ruiz\n")
    (tmp_path / "y.csv").write_text("name,arr,csm\nTailspin,70000,Alex Rivera\n")
    (tmp_path / "p.csv").write_text("account,name,title,roles\nLitware,Ines Moreau,CIO,champion\n")
    ok(capsys, "--db", str(copy), "import", "accounts", str(tmp_path / "x.csv"))
    ok(capsys, "--db", str(copy), "import", "contacts", str(tmp_path / "p.csv"))
    ok(capsys, "--db", str(copy), "touch", "Litware", "Ines Moreau", "--kind", "meeting", "--date", "2026-10-29")
    ok(capsys, "--db", team, "import", "accounts", str(tmp_path / "y.csv"))  # takes the next id on the server
    report = json.loads(ok(capsys, "sync", str(copy), "--json"))
    assert report["refused"] == [] and report["conflicts"] == []
    ask = (
        "SELECT a.name, c.name, r.role, t.kind FROM accounts a JOIN contacts c ON c.account_id = a.id "
        "JOIN contact_roles r ON r.contact_id = c.id JOIN touches t ON t.contact_id = c.id WHERE a.name = 'Litware'"
    )
    assert stored(team, ask) == [("Litware", "Ines Moreau", "champion", "meeting")]
    assert stored(copy, ask) == stored(team, ask)
    ids = "SELECT id, name FROM accounts ORDER BY id"
    assert stored(copy, ids) == stored(team, ids)  # Tailspin came too, every record under the server's id


def test_hostile_input_is_refused_and_writes_nothing(team: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    copy = tmp_path / "offline.db"
    code, _, err = run(capsys, "checkout", "mysql://x@host/db", str(copy))
    assert code == 2 and "postgresql://" in err and not copy.exists()
    code, _, err = run(capsys, "checkout", "postgresql://nobody@/nodb?host=/nonexistent", str(copy))
    assert code == 3 and "cannot reach" in err and not copy.exists()
    code, _, err = run(capsys, "checkout", team, str(copy), "--account", "Nope Inc")
    assert code == 2 and "Nope Inc" in err and not copy.exists()
    plain = tmp_path / "plain.db"
    ok(capsys, "init", str(plain))
    before = plain.read_bytes()
    code, _, err = run(capsys, "checkout", team, str(plain))
    assert code == 2 and "exists" in err and plain.read_bytes() == before
    code, _, err = run(capsys, "sync", str(plain))
    assert code == 2 and "not an offline copy" in err and plain.read_bytes() == before
    code, _, err = run(capsys, "sync", str(tmp_path / "missing.db"))
    assert code == 3 and not (tmp_path / "missing.db").exists()
    ok(capsys, "checkout", team, str(copy))
    before = copy.read_bytes()
    code, _, err = run(capsys, "sync", str(copy), "--take", "mine", "42")
    assert code == 2 and "no conflict '42'" in err and copy.read_bytes() == before
    code, _, err = run(capsys, "sync", str(copy), "--take", "both", "1")
    assert code == 2 and "mine or theirs" in err and copy.read_bytes() == before
    assert "Traceback" not in err


def test_a_tampered_copy_names_no_sql(team: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    """Table and field names in the copy's own tables reach SQL only when they are the store's."""
    copy = tmp_path / "offline.db"
    ok(capsys, "checkout", team, str(copy))
    stored(copy, "INSERT INTO offline_conflicts (tbl, key, field, record, mine, theirs, mine_by, mine_at, theirs_by, "
           "theirs_at) VALUES ('contacts', '[1]', 'notes = notes; DROP TABLE accounts; --', 'x', '1', '2', '', '', '', '')")  # fmt: skip
    (conflict_id,) = stored(copy, "SELECT id FROM offline_conflicts")[0]
    before = copy.read_bytes()
    code, _, err = run(capsys, "sync", str(copy), "--take", "theirs", str(conflict_id))
    assert code == 2 and "names no field" in err and copy.read_bytes() == before
    assert stored(copy, "SELECT count(*) FROM accounts") == [(3,)]


TOM = "SELECT c.title, c.strength, r.role FROM contacts c JOIN contact_roles r ON r.contact_id = c.id WHERE c.name = 'Tom Chen'"
TOM_TOUCHES = "SELECT t.date FROM touches t JOIN contacts c ON c.id = t.contact_id WHERE c.name = 'Tom Chen' ORDER BY 1"


def delete_tom(db: str | Path) -> None:
    from stakeworks.db.store import Store

    with Store(db, create=False) as store:
        store.delete_contact(stored(db, "SELECT id FROM contacts WHERE name = 'Tom Chen'")[0][0])


@pytest.mark.parametrize("side", ["mine", "theirs"])
def test_an_offline_edit_to_a_record_deleted_on_the_server_is_a_conflict(
    team: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], side: str
):
    name_login(capsys, team, "Alex Rivera")
    copy = tmp_path / "offline.db"
    ok(capsys, "checkout", team, str(copy))
    ok(capsys, "--db", str(copy), "import", "contacts", str(contacts_csv(tmp_path / "m.csv", Tom_Chen__title="CTO")))
    ok(capsys, "--db", str(copy), "touch", "Northwind", "Tom Chen", "--kind", "call", "--date", "2026-10-30")
    delete_tom(team)
    code, out, err = run(capsys, "sync", str(copy), "--json")
    assert code == 1, err
    report = json.loads(out)
    (conflict,) = report["conflicts"]
    assert report["refused"] == [] and report["sent"] == 0
    assert {k: conflict[k] for k in ("record", "field", "mine", "theirs", "mine_by", "theirs_by")} == {
        "record": "contact Tom Chen", "field": "(the record)", "mine": "changed title", "theirs": "deleted",
        "mine_by": "Dana Ruiz", "theirs_by": "Alex Rivera",
    }  # fmt: skip
    assert conflict["theirs_at"].startswith("20")  # when the server deleted it
    # The copy keeps Tom as it changed him, with his touch; the server keeps him deleted, at
    # every sync until the user picks a side.
    assert stored(copy, TOM) == [("CTO", 5, "champion")] and stored(copy, TOM_TOUCHES) == [
        ("2026-03-01",),
        ("2026-10-30",),
    ]
    code, out, _ = run(capsys, "sync", str(copy))
    assert code == 1 and f"{conflict['id']}: contact Tom Chen was deleted on the server by Alex Rivera at 20" in out
    assert "; you changed title" in out
    code, out, _ = run(capsys, "sync", str(copy), "--json")
    assert code == 1 and [c["id"] for c in json.loads(out)["conflicts"]] == [conflict["id"]]
    assert stored(team, TOM) == [] and stored(copy, TOM) == [("CTO", 5, "champion")]
    ok(capsys, "sync", str(copy), "--take", side, str(conflict["id"]))
    report = json.loads(ok(capsys, "sync", str(copy), "--json"))
    assert report["conflicts"] == [] and report["refused"] == []
    if side == "mine":  # made again on the server, with his role and his touch
        assert stored(team, TOM) == stored(copy, TOM) == [("CTO", 5, "champion")]
        assert stored(team, TOM_TOUCHES) == stored(copy, TOM_TOUCHES) == [("2026-03-01",), ("2026-10-30",)]
    else:
        assert report["sent"] == 0 and stored(team, TOM) == stored(copy, TOM) == []
    assert stored(copy, "SELECT id, name FROM contacts ORDER BY id") == stored(
        team, "SELECT id, name FROM contacts ORDER BY id"
    )


@pytest.mark.parametrize("side", ["mine", "theirs"])
def test_a_record_deleted_offline_and_changed_on_the_server_is_a_conflict(
    team: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], side: str
):
    name_login(capsys, team, "Alex Rivera")
    copy = tmp_path / "offline.db"
    ok(capsys, "checkout", team, str(copy))
    ok(capsys, "--db", team, "touch", "Northwind", "Tom Chen", "--kind", "meeting", "--date", "2026-10-28")
    ok(capsys, "sync", str(copy))  # the copy holds the touch too
    delete_tom(copy)
    ok(capsys, "--db", team, "import", "contacts", str(contacts_csv(tmp_path / "t.csv", Tom_Chen__strength="4")))
    code, out, err = run(capsys, "sync", str(copy), "--json")
    assert code == 1, err
    report = json.loads(out)
    (conflict,) = report["conflicts"]
    assert report["refused"] == [] and report["sent"] == 0  # neither Tom nor his role nor his touch
    assert {k: conflict[k] for k in ("record", "field", "mine", "theirs", "theirs_by")} == {
        "record": "contact Tom Chen", "field": "(the record)", "mine": "deleted", "theirs": "changed strength",
        "theirs_by": "Alex Rivera",
    }  # fmt: skip
    assert stored(team, TOM) == [("VP Engineering", 4, "champion")] and stored(team, TOM_TOUCHES) == [
        ("2026-03-01",),
        ("2026-10-28",),
    ]
    assert stored(copy, TOM) == [] and stored(copy, TOM_TOUCHES) == []
    code, out, _ = run(capsys, "sync", str(copy), "--json")
    assert code == 1 and [c["id"] for c in json.loads(out)["conflicts"]] == [conflict["id"]]
    assert stored(team, TOM) == [("VP Engineering", 4, "champion")]
    ok(capsys, "sync", str(copy), "--take", side, str(conflict["id"]))
    if side == "theirs":  # back in the copy as the server holds him, offline
        assert stored(copy, TOM) == [("VP Engineering", 4, "champion")] and stored(copy, TOM_TOUCHES) == [
            ("2026-03-01",),
            ("2026-10-28",),
        ]
    report = json.loads(ok(capsys, "sync", str(copy), "--json"))
    assert report["conflicts"] == [] and report["refused"] == []
    expected = [] if side == "mine" else [("VP Engineering", 4, "champion")]
    assert stored(team, TOM) == stored(copy, TOM) == expected
    assert (
        stored(team, TOM_TOUCHES)
        == stored(copy, TOM_TOUCHES)
        == ([] if side == "mine" else [("2026-03-01",), ("2026-10-28",)])
    )


def test_a_record_deleted_offline_while_a_colleague_logged_a_touch_of_it_is_a_conflict(
    team: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    """Only the touch is new on the server (the contact's own fields are as they were): the
    delete would take the colleague's touch along, so it waits for the user."""
    copy = tmp_path / "offline.db"
    ok(capsys, "checkout", team, str(copy))
    delete_tom(copy)
    ok(capsys, "--db", team, "touch", "Northwind", "Tom Chen", "--kind", "meeting", "--date", "2026-10-28")
    code, out, err = run(capsys, "sync", str(copy), "--json")
    assert code == 1, err
    (conflict,) = json.loads(out)["conflicts"]
    assert (conflict["record"], conflict["mine"], conflict["theirs"]) == (
        "contact Tom Chen",
        "deleted",
        "changed touches",
    )
    assert stored(team, TOM_TOUCHES) == [("2026-03-01",), ("2026-10-28",)]
    ok(capsys, "sync", str(copy), "--take", "theirs", str(conflict["id"]))
    assert stored(copy, TOM_TOUCHES) == [("2026-03-01",), ("2026-10-28",)]
    report = json.loads(ok(capsys, "sync", str(copy), "--json"))
    assert (report["sent"], report["conflicts"], report["refused"]) == (0, [], [])
