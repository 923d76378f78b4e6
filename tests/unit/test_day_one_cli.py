"""Issue 31, the command line's contract for a first week: a dry run creates nothing, `-` is
stdout, exports carry every column, --rejected, touch with several people and today's date,
--json everywhere, the same date words as the app, proper plurals, the config's currency."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from stakeworks.cli.main import main
from tests.conftest import NORTHWIND_ACCOUNTS, file_digest, stored


def test_dry_run_on_a_missing_store_creates_nothing(cli, tmp_path: Path):
    accounts = tmp_path / "a.csv"
    accounts.write_text("name,arr\nAcme,1000\n")
    target = tmp_path / "new.db"
    r = cli("import", "accounts", str(accounts), "--dry-run", db_path=target)
    assert r.code == 0, r.err
    assert "line 2" in r.out and "add" in r.out
    assert not target.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv"]  # no -wal, -shm or journal either


def test_bad_dry_run_on_a_missing_store_creates_nothing(cli, tmp_path: Path):
    bad = tmp_path / "bad.csv"
    bad.write_text("name,arr\nAcme,12x\n")
    target = tmp_path / "new.db"
    r = cli("import", "accounts", str(bad), "--dry-run", db_path=target)
    assert r.code == 2 and "line 2, column arr" in r.err
    assert not target.exists()


def test_export_to_dash_writes_stdout_and_no_file(tmp_path: Path, monkeypatch, capfd):
    monkeypatch.chdir(tmp_path)
    db = str(tmp_path / "store.db")
    (tmp_path / "a.csv").write_text(NORTHWIND_ACCOUNTS)
    assert main(["--db", db, "import", "accounts", "a.csv"]) == 0

    def stdout_of(*args: str) -> str:  # `-` is the process's own standard output (its descriptor)
        capfd.readouterr()
        assert main(["--db", db, *args]) == 0
        return capfd.readouterr().out

    assert json.loads(stdout_of("export", "json", "-"))["tables"]["accounts"][0]["name"] == "Northwind"
    assert next(csv.DictReader(io.StringIO(stdout_of("export", "accounts", "-"))))["name"] == "Northwind"
    assert stdout_of("map", "Northwind", "-o", "-").startswith("#")
    assert not (tmp_path / "-").exists()


def test_export_accounts_carries_every_json_column_and_reimports(cli, tmp_path: Path):
    source = tmp_path / "Account.csv"
    source.write_text(
        "Id,Name,AnnualRevenue,Website,CurrencyIsoCode,Description\n"
        "001000000000001AAA,Nissan Motors,177000000000,https://nissan.example,USD,Cars\n"
    )
    assert cli("import", "accounts", str(source)).code == 0
    out = tmp_path / "accounts.csv"
    assert cli("export", "accounts", str(out)).code == 0
    row = next(csv.DictReader(out.open()))
    assert cli("export", "json", str(tmp_path / "all.json")).code == 0
    dump = json.loads((tmp_path / "all.json").read_text())["tables"]["accounts"][0]
    assert set(dump) - set(row) == {"id", "version"}  # every column but the store's bookkeeping
    assert row["crm"] == "salesforce" and row["crm_id"] == "001000000000001"
    assert row["company_revenue"] == "177000000000.0" and row["domain"] == "nissan.example"
    again = tmp_path / "again.db"
    assert cli("import", "accounts", str(out), db_path=again).code == 0
    assert stored(again, "SELECT crm, crm_id, company_revenue, domain, notes FROM accounts") == [
        ("salesforce", "001000000000001", 177000000000.0, "nissan.example", "Cars")
    ]


def test_rejected_goes_where_asked(northwind, tmp_path: Path):
    bad = tmp_path / "contacts.csv"
    bad.write_text("account,name,strength\nNorthwind,Ann One,4\nNorthwind,Bob Two,9\n")
    target = tmp_path / "out" / "bad-rows.csv"
    target.parent.mkdir()
    r = northwind("import", "contacts", str(bad), "--skip-invalid", "--rejected", str(target), "--json")
    assert r.code == 0, r.err
    assert json.loads(r.out)["rejected_file"] == str(target)
    rows = list(csv.DictReader(target.open()))
    assert [x["name"] for x in rows] == ["Bob Two"] and "strength" in rows[0]["reason"]
    assert not (tmp_path / "contacts.rejected.csv").exists()


def test_rejected_needs_skip_invalid_and_a_folder_that_exists(northwind, tmp_path: Path):
    bad = tmp_path / "contacts.csv"
    bad.write_text("account,name,strength\nNorthwind,Ann One,4\n")
    before = file_digest(northwind.db)
    r = northwind("import", "contacts", str(bad), "--rejected", str(tmp_path / "r.csv"))
    assert r.code == 2 and "--skip-invalid" in r.err
    r = northwind("import", "contacts", str(bad), "--skip-invalid", "--rejected", str(tmp_path / "no" / "r.csv"))
    assert r.code == 2 and "does not exist" in r.err
    assert file_digest(northwind.db) == before


def test_touch_several_people_today_by_default(northwind):
    r = northwind("touch", "Northwind", "Tom Chen", "Sarah Kim", "--kind", "meeting", "--today", "2026-03-10")
    assert r.code == 0, r.err
    # by: the account's CSM, as DOMAIN section 12 has it when nobody is named
    assert (
        r.out.strip() == "Logged a meeting with Tom Chen and Sarah Kim on 2026-03-10 by Alex Rivera (CSM) (2 touches)."
    )
    rows = stored(northwind.db, "SELECT c.name, t.date, t.kind FROM touches t JOIN contacts c ON c.id = t.contact_id "
                                "WHERE t.kind = 'meeting' ORDER BY c.name")  # fmt: skip
    assert rows == [("Sarah Kim", "2026-03-10", "meeting"), ("Tom Chen", "2026-03-10", "meeting")]
    r = northwind("touch", "Northwind", "Lisa Park", "--kind", "call", "--json", "--today", "2026-03-10")
    data = json.loads(r.out)
    assert data["contacts"] == ["Lisa Park"] and data["touches"] == 1 and data["date"] == "2026-03-10"


def test_touch_with_one_bad_name_writes_nothing(northwind):
    before = file_digest(northwind.db)
    r = northwind("touch", "Northwind", "Tom Chen", "Nobody Here", "--kind", "meeting")
    assert r.code == 2 and "Nobody Here" in r.err
    r = northwind("touch", "Northwind", "Tom Chen", "tom chen", "--kind", "meeting")
    assert r.code == 2 and "named twice" in r.err
    assert file_digest(northwind.db) == before


def test_date_words_on_every_date_option(northwind):
    r = northwind("touch", "Northwind", "Tom Chen", "--kind", "call", "--date", "-3", "--today", "2026-03-10", "--json")
    assert json.loads(r.out)["date"] == "2026-03-07"
    r = northwind("touch", "Northwind", "Lisa Park", "--kind", "call", "--date", "today", "--today", "2026-03-10",
                  "--json")  # fmt: skip
    assert json.loads(r.out)["date"] == "2026-03-10"
    r = northwind("depart", "Northwind", "Tom Chen", "--date", "+2", "--today", "2026-03-10", "--json")
    assert r.code == 0 and json.loads(r.out)["departed_on"] == "2026-03-12"
    r = northwind("history", "Northwind", "--since", "-30", "--today", "2026-03-10")
    assert r.code == 0
    r = northwind("depart", "Northwind", "Sarah Kim", "--date", "yesterday")
    assert r.code == 2 and "'yesterday' is not a date (YYYY-MM-DD, today, +N or -N" in r.err


def test_departure_counts_tasks_in_words(northwind):
    r = northwind("depart", "Northwind", "Tom Chen", "--date", "2026-03-10", "--today", "2026-03-10")
    assert "Departure playbook: 16 new tasks (see stakeworks tasks)." in r.out
    assert "task(s)" not in r.out


def test_map_json_is_map_format_json(northwind):
    a = northwind("map", "Northwind", "--json", "--today", "2026-03-10")
    b = northwind("map", "Northwind", "--format", "json", "--today", "2026-03-10")
    assert a.code == b.code == 0 and json.loads(a.out) == json.loads(b.out)
    r = northwind("map", "Northwind", "--json", "--format", "svg")
    assert r.code == 2 and "choose one" in r.err


def test_import_currency_from_config_file(cli, tmp_path: Path):
    config = tmp_path / "config.toml"
    config.write_text('currency = "USD"\n')
    accounts = tmp_path / "a.csv"
    accounts.write_text("name,arr\nAcme,1000\n")
    r = cli("import", "accounts", str(accounts), "--config", str(config))
    assert r.code == 0 and "EUR" not in r.err
    assert stored(cli.db, "SELECT currency FROM accounts") == [("USD",)]
    other = tmp_path / "b.csv"
    other.write_text("name,arr\nBeta,1000\n")
    assert cli("import", "accounts", str(other), "--config", str(config), "--currency", "GBP").code == 0
    assert stored(cli.db, "SELECT currency FROM accounts WHERE name = 'Beta'") == [("GBP",)]


def test_config_check_names_a_bad_currency(tmp_path: Path, capsys):
    config = tmp_path / "config.toml"
    config.write_text('theme = "nord"\ncurrency = "dollars"\n')
    assert main(["config", "check", "--config", str(config)]) == 2
    assert "line 2: currency: use a 3-letter currency code" in capsys.readouterr().err


def test_unknown_arr_is_a_dash_and_null_never_zero(cli, tmp_path: Path):
    accounts = tmp_path / "a.csv"
    accounts.write_text("name,arr,currency\nKnown Co,240000,USD\nUnknown Co,,USD\n")
    assert cli("import", "accounts", str(accounts)).code == 0
    risk = {r["account"]: r["arr"] for r in json.loads(cli("risk", "--json").out)}
    assert risk == {"Known Co": 240000.0, "Unknown Co": None}
    table = {line.split()[0] + " " + line.split()[1]: line for line in cli("risk").out.splitlines()[2:]}
    assert "240,000" in table["Known Co"] and " — " in table["Unknown Co"] and " 0 " not in table["Unknown Co"]
    report = cli("map", "Unknown Co").out
    assert "**ARR:** — |" in report and "USD 0" not in report
    assert json.loads(cli("map", "Unknown Co", "--json").out)["arr"] is None
    assert "**ARR:** USD 240,000 |" in cli("map", "Known Co").out
    assert "ARR —" in cli("map", "Unknown Co", "--format", "svg").out


def test_two_accounts_of_one_name_are_told_apart_in_every_list(cli, tmp_path: Path):
    from tests.conftest import FIXTURES

    export = FIXTURES / "crm" / "salesforce_export2"
    assert cli("import", "accounts", str(export / "Account.csv")).code == 0
    assert cli("import", "contacts", str(export / "Contact.csv"), "--today", "2026-03-10").code == 0
    one, two = "Nissan Motors (CRM 001Dn00000KfQ2cIAF)", "Nissan Motors (CRM 001Dn00000KfQ2CIAV)"
    for command in (("risk",), ("cadence",), ("heatmap",)):
        text = cli(*command, "--today", "2026-03-10").out
        assert one in text and two in text, command
    assert {r["account"] for r in json.loads(cli("risk", "--json").out)} >= {one, two}
    assert "Halden Freight (" not in cli("risk").out  # a name nobody shares stays as it is
    r = cli("assess", one, "--json", "--today", "2026-03-10")  # what a list shows is what a command takes
    assert r.code == 0 and [c["name"] for c in json.loads(r.out)["contacts"]] == ["Haruki Sato"]
    r = cli("assess", "Nissan Motors")
    assert r.code == 2 and one in r.err and two in r.err


def test_dry_run_on_an_empty_server_database_creates_no_schema(pg_cluster, tmp_path: Path, capsys):
    url = pg_cluster.create_database("dry_run_empty")
    accounts = tmp_path / "a.csv"
    accounts.write_text("name,arr\nAcme,1000\n")
    assert main(["--db", url, "import", "accounts", str(accounts), "--dry-run"]) == 0
    assert "line 2" in capsys.readouterr().out
    assert main(["--db", url, "risk"]) == 3  # still no store there
    assert "no stakeworks store" in capsys.readouterr().err
