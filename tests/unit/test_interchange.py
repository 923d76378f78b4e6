"""Real CRM exports in (Salesforce report, Salesforce data export, HubSpot)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from stakeworks.db.store import Store
from stakeworks.domain.models import StoredContact
from stakeworks.interchange.importer import infer_level, parse_date
from tests.conftest import BOTH_BACKENDS, FIXTURES, file_digest, stored

pytestmark = BOTH_BACKENDS

FIX = FIXTURES


@pytest.fixture
def two_accounts(cli):
    assert cli("import", "accounts", str(FIX / "accounts.csv")).code == 0
    return cli


def _people(db: Path, account: str) -> dict[str, tuple[StoredContact, str | None]]:
    with Store(db) as s:
        aid = next(i for i, n in s.account_names() if n == account)
        contacts = s.contacts(aid)
        by_id: dict[int | None, str] = {c.id: c.name for c in contacts}
        return {c.name: (c, by_id.get(c.reports_to_id)) for c in contacts}


def test_salesforce_report_export(two_accounts):
    cli = two_accounts
    dry = cli("import", "contacts", str(FIX / "salesforce_report.csv"), "--dry-run", "--json")
    assert dry.code == 0, dry.err
    plan = json.loads(dry.out)
    assert plan["rows"] == 4 and "Lead Source" in plan["ignored"]
    assert "'Buyer Attributes' -> roles" in plan["mapping"] and "'First Name' -> first_name" in plan["mapping"]
    assert stored(cli.db, "SELECT count(*) FROM contacts")[0][0] == 0  # dry run wrote nothing
    r = cli("import", "contacts", str(FIX / "salesforce_report.csv"), "--json")
    assert r.code == 0, r.err
    assert json.loads(r.out)["added"] == 4
    people = _people(cli.db, "Northwind")
    tom, _ = people["Tom Chen"]
    sarah, _ = people["Sarah Kim"]
    lisa, boss = people["Lisa Park"]
    omar, _ = people["Omar Haddad"]
    assert set(tom.roles) == {"champion"} and tom.last_touch == date(2026, 3, 1) and tom.level == "vp"
    assert set(sarah.roles) == {"economic_buyer", "decision_maker"} and sarah.last_touch == date(2025, 12, 15)
    assert set(lisa.roles) == {"technical_lead"} and boss == "Tom Chen" and lisa.level_inferred
    assert omar.level == "vp" and set(omar.roles) == {"influencer"}
    assert "Contact owner: Alex Rivera" in tom.notes


def test_salesforce_data_export_with_account_ids(cli):
    assert cli("import", "accounts", str(FIX / "salesforce_accounts.csv")).code == 0
    r = cli(
        "import", "contacts", str(FIX / "salesforce_contacts.csv"),
        "--accounts-file", str(FIX / "salesforce_accounts.csv"), "--json",
    )  # fmt: skip
    assert r.code == 0, r.err
    people = _people(cli.db, "Contoso Retail")
    ana, _ = people["Ana Costa"]
    ben, ben_boss = people["Ben Weber"]
    cleo, cleo_boss = people["Cleo Ueda"]
    assert (ana.level, ben.level, cleo.level) == ("c_level", "director", "manager")
    assert ben_boss == "Ana Costa" and cleo_boss == "Ben Weber"
    assert ana.last_touch == date(2026, 2, 20) and cleo.last_touch is None


def test_hubspot_export_with_bom_crlf_and_roles(two_accounts):
    cli = two_accounts
    r = cli("import", "contacts", str(FIX / "hubspot_contacts.csv"), "--json")
    assert r.code == 0, r.err
    people = _people(cli.db, "Contoso Retail")
    jana, _ = people["Jana Novák"]
    kai, _ = people["Kai Berg"]
    wei, _ = people["Lu, Wei"]
    assert set(jana.roles) == {"economic_buyer"} and jana.level == "director" and jana.last_touch == date(2026, 3, 4)
    assert set(kai.roles) == {"end_user", "detractor"} and kai.level == "manager"
    assert wei.level == "c_level" and set(wei.roles) == {"executive_sponsor"}


def test_reimport_updates_only_what_changed(two_accounts, tmp_path: Path):
    cli = two_accounts
    first = json.loads(cli("import", "contacts", str(FIX / "salesforce_report.csv"), "--json").out)
    assert first == {"added": 4, "updated": 0, "unchanged": 0, "touches": 3}
    again = json.loads(cli("import", "contacts", str(FIX / "salesforce_report.csv"), "--json").out)
    assert again == {"added": 0, "updated": 0, "unchanged": 4, "touches": 0}
    newer = tmp_path / "newer.csv"
    newer.write_text(
        (FIX / "salesforce_report.csv").read_text().replace('"Engineering Manager"', '"Senior Engineering Manager"')
    )
    third = json.loads(cli("import", "contacts", str(newer), "--json").out)
    assert third == {"added": 0, "updated": 1, "unchanged": 3, "touches": 0}
    assert stored(cli.db, "SELECT count(*) FROM contacts")[0][0] == 4


def test_map_override_assigns_a_column(two_accounts, tmp_path: Path):
    cli = two_accounts
    f = tmp_path / "odd.csv"
    f.write_text("Company,Person,Role Title\nNorthwind,Zed Zulu,Head of Data\n")
    bad = cli("import", "contacts", str(f))
    assert bad.code == 2 and "missing required column 'name'" in bad.err
    ok = cli("import", "contacts", str(f), "--map", "Person=name", "--map", "Role Title=title")
    assert ok.code == 0, ok.err
    zed, _ = _people(cli.db, "Northwind")["Zed Zulu"]
    assert zed.title == "Head of Data" and zed.level == "director"


def test_ambiguous_dates_refused_with_line_or_chosen_by_format(two_accounts, tmp_path: Path):
    cli = two_accounts
    f = tmp_path / "dates.csv"
    f.write_text("account,name,last_touch\nNorthwind,Amy A,03/04/2026\nNorthwind,Bob B,05/06/2026\n")
    before = file_digest(cli.db)
    r = cli("import", "contacts", str(f))
    assert r.code == 2 and "line 2, column last_touch: '03/04/2026' is ambiguous" in r.err
    assert "line 3, column last_touch: '05/06/2026' is ambiguous" in r.err
    assert file_digest(cli.db) == before
    g = tmp_path / "dates2.csv"
    g.write_text("account,name,last_touch\nNorthwind,Amy A,03/04/2026\nNorthwind,Bob B,25/04/2026\n")
    r = cli("import", "contacts", str(g))  # 25/04 tells the whole file is day-first
    assert r.code == 0, r.err
    amy, _ = _people(cli.db, "Northwind")["Amy A"]
    assert amy.last_touch == date(2026, 4, 3)
    r = cli("import", "contacts", str(f), "--date-format", "%m/%d/%Y")
    assert r.code == 0, r.err
    assert _people(cli.db, "Northwind")["Bob B"][0].last_touch == date(2026, 5, 6)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2026-03-01", date(2026, 3, 1)), ("2026-03-01T10:00:00Z", date(2026, 3, 1)),
     ("25/12/2025", date(2025, 12, 25)), ("12/25/2025", date(2025, 12, 25)), ("7/7/2026", date(2026, 7, 7))],
)  # fmt: skip
def test_date_forms(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("title", "level"),
    [("Chief Revenue Officer", "c_level"), ("CFO", "c_level"), ("SVP Sales", "vp"), ("EVP, Operations", "vp"),
     ("Vice President of Finance", "vp"), ("Head of Procurement", "director"), ("Sr. Manager, IT", "manager"),
     ("Team Lead", "manager"), ("Directeur Financier", "director"), ("Geschäftsführer", "c_level"),
     ("Software Engineer", "user")],
)  # fmt: skip
def test_level_inference(title, level):
    assert infer_level(title) == level


def test_reimport_compares_roles_strength_and_levels_as_stored(northwind, tmp_path: Path):
    """A re-import decides changed or unchanged field by field against the stored row."""
    from tests.conftest import NORTHWIND_CONTACTS

    cli = northwind
    same = tmp_path / "same.csv"
    same.write_text(NORTHWIND_CONTACTS)
    assert json.loads(cli("import", "contacts", str(same), "--json").out)["unchanged"] == 3
    changed = tmp_path / "changed.csv"
    changed.write_text(
        NORTHWIND_CONTACTS.replace("Engineering,vp,champion,5", "Engineering,vp,champion;decision_maker,5")
        .replace("Finance,c_level,economic_buyer,2", "Finance,c_level,economic_buyer,4")
    )  # fmt: skip
    assert changed.read_text() != NORTHWIND_CONTACTS
    report = json.loads(cli("import", "contacts", str(changed), "--json").out)
    assert (report["updated"], report["unchanged"]) == (2, 1)
    people = _people(cli.db, "Northwind")
    assert people["Tom Chen"][0].roles == {"champion", "decision_maker"}
    assert people["Sarah Kim"][0].strength == 4
    assert people["Sarah Kim"][0].version == 1  # written once, by the import that changed her
    assert people["Lisa Park"][0].version == 0


def test_the_quick_pass_sees_the_records_that_records_reads(tmp_path: Path):
    """`cells_of` (the pass that sizes a contacts file and finds its date convention) keeps the
    records `records()` keeps: blank lines and rows of commas, a report's footer, the header after
    blank lines, are not records; rows starting with G, C, a quote or a space still are."""
    from stakeworks.interchange.csvfiles import read_csv

    path = tmp_path / "report.csv"
    path.write_text(
        "\n,,\naccount,name,last_touch\n"
        "Globex,Ann,03/04/2026\n\n,,\nCrimson,Bob,#N/A\n"
        '"Quoted, Inc",Cy,2026-01-02\n Spaced,Di,\nAcme,\'=Ed,13/04/2026\n'
        '"Grand Totals (5 records)",,\n"Confidential Information - Do Not Distribute",,\n',
        encoding="utf-8",
    )
    table = read_csv(path)
    assert table.headers == ["account", "name", "last_touch"]
    records = [cells for _, cells in table.records(raw=True)]
    assert len(records) == 5
    assert list(table.cells_of([2])) == [[r[2]] for r in records]
    assert list(table.cells_of([2])) == [["03/04/2026"], ["#N/A"], ["2026-01-02"], [""], ["13/04/2026"]]
