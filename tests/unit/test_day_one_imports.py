"""Issue 31, real exports imported as a user would (dry run first): Salesforce Data Loader
exports joined with --accounts-file in either id length, a contacts file joining accounts a
generic CSV brought in, Excel's error values as empty cells, possible person accounts in the
preview, and the kind of a file told from its header. Fixtures: tests/fixtures/README.md."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from stakeworks.domain.identity import id_key, salesforce_short
from stakeworks.domain.person_accounts import PersonAccountScan
from stakeworks.interchange.csvfiles import read_csv
from stakeworks.interchange.importer import kind_of_file, kind_of_header
from tests.conftest import FIXTURES, file_digest, stored

CRM = FIXTURES / "crm"
DATALOADER = CRM / "salesforce_dataloader"
EXPORT2 = CRM / "salesforce_export2"


def _names_only(source: Path, target: Path, name_column: str = "Name") -> Path:
    """The accounts a CSM typed in by hand from the CRM's list: names, no ids."""
    with source.open(newline="", encoding="utf-8-sig") as fh:
        names = sorted({row[name_column] for row in csv.DictReader(fh)})
    target.write_text("name,tier\n" + "".join(f"{n},enterprise\n" for n in names))
    return target


def _with_ids(source: Path, target: Path, length: int) -> Path:
    """The same export with every id cut to `length` characters (15: as a report exports them)."""
    with source.open(newline="", encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    cut = [[c[:length] if len(c) == 18 and c[:3].isalnum() and c.isalnum() else c for c in r] for r in rows]
    with target.open("w", newline="") as fh:
        csv.writer(fh, quoting=csv.QUOTE_ALL).writerows(cut)
    return target


def test_salesforce_checksum_tells_18_character_ids():
    assert salesforce_short("001Dn00000KfQ2aIAF") == "001Dn00000KfQ2a"
    assert salesforce_short("001Dn00000KfQ2CIAV") == "001Dn00000KfQ2C"
    assert salesforce_short("001Dn00000KfQ2CIAF") is None  # the case of the 15 says V, not F
    assert salesforce_short("ORDER-2026-000001X") is None and salesforce_short("001Dn00000KfQ2a") is None
    assert id_key(" 001Dn00000KfQ2aiaf ") == "001Dn00000KfQ2a"  # the suffix is read in any case


@pytest.mark.parametrize("export", ["salesforce_dataloader", "salesforce_export2"])
@pytest.mark.parametrize("length", [18, 15])
def test_accounts_file_joins_18_character_account_ids_in_either_length(cli, tmp_path: Path, export: str, length: int):
    folder = CRM / export
    assert cli("import", "accounts", str(_names_only(folder / "Account.csv", tmp_path / "names.csv"))).code == 0
    accounts_file = _with_ids(folder / "Account.csv", tmp_path / "Account.csv", length)
    contacts = folder / "Contact.csv"
    before = file_digest(cli.db)
    args = ("import", "contacts", str(contacts), "--accounts-file", str(accounts_file), "--today", "2026-03-10")
    dry = cli(*args, "--dry-run", "--json")
    assert dry.code in (0, 2), dry.err
    preview = json.loads(dry.out)["preview"]
    assert not [p for p in preview if "accounts file" in p.get("reason", "")]
    assert file_digest(cli.db) == before  # the dry run wrote nothing
    shared = {row["Name"] for row in csv.DictReader(accounts_file.open())}
    if len(shared) == sum(1 for _ in csv.DictReader(accounts_file.open())):  # no name two accounts share
        r = cli(*args, "--json")
        assert r.code == 0, r.err
        assert json.loads(r.out)["added"] == len(preview)


def test_contacts_join_accounts_a_generic_csv_brought_in(cli):
    dry = cli("import", "accounts", str(EXPORT2 / "Account.csv"), "--dry-run", "--json")
    assert dry.code == 0 and json.loads(dry.out)["crm"] == "csv"  # Id,Name,AnnualRevenue says no CRM
    assert cli("import", "accounts", str(EXPORT2 / "Account.csv")).code == 0
    r = cli("import", "contacts", str(EXPORT2 / "Contact.csv"), "--today", "2026-03-10", "--json")
    assert r.code == 0, r.err
    assert json.loads(r.out)["added"] == 5
    rows = stored(
        cli.db,
        "SELECT a.crm_id, c.name FROM contacts c JOIN accounts a ON a.id = c.account_id WHERE a.name = 'Nissan Motors' "
        "ORDER BY c.name",
    )
    # Two accounts one name, ids that differ only in case: each person went to their own.
    assert rows == [("001Dn00000KfQ2CIAV", "Aiko Mori"), ("001Dn00000KfQ2cIAF", "Haruki Sato")]


def test_an_unknown_account_id_says_what_to_run(cli, tmp_path: Path):
    assert cli("init").code == 0
    r = cli("import", "contacts", str(EXPORT2 / "Contact.csv"))
    assert r.code == 2
    assert "line 2, column AccountId: no account with Salesforce id '001Dn00000KfQ2aIAF' in the store" in r.err
    assert "stakeworks import accounts FILE" in r.err and "--accounts-file" in r.err


def test_excel_error_values_are_empty_cells(cli):
    assert cli("import", "accounts", str(CRM / "excel" / "accounts_errors.csv")).code == 0
    assert stored(cli.db, "SELECT name, domain, industry, company_revenue FROM accounts ORDER BY name") == [
        ("Brightwater Clinics", "brightwater.example", "", None),
        ("Halden Freight", "", "Transportation", 48000000.0),
    ]
    r = cli("import", "contacts", str(CRM / "excel" / "contacts_errors.csv"), "--today", "2026-03-10", "--json")
    assert r.code == 0, r.err
    assert "signals" not in json.loads(r.out)  # a bounce field holding #N/A raises nothing
    rows = stored(cli.db, "SELECT name, title, department, notes, email, last_touch FROM contacts ORDER BY name")
    assert rows == [
        ("Chidi Okafor", "", "", "Met at the 2025 user summit", "", "2026-02-03"),
        ("Maren Lindqvist", "Chief Financial Officer", "", "", "maren.lindqvist@halden.example", "2026-01-20"),
        ("Petter Aune", "", "Operations", "", "petter.aune@halden.example", None),
    ]
    assert not any("#" in str(v) for row in rows for v in row)
    assert stored(cli.db, "SELECT count(*) FROM signals") == [(0,)]


def test_rejected_rows_keep_what_the_file_said(cli, tmp_path: Path):
    assert cli("import", "accounts", str(CRM / "excel" / "accounts_errors.csv")).code == 0
    bad = tmp_path / "c.csv"
    bad.write_text("AccountId,FirstName,LastName,Title,Strength\n001Dn00000KfQ2aIAF,Ann,One,#N/A,9\n")
    r = cli("import", "contacts", str(bad), "--skip-invalid", "--rejected", str(tmp_path / "r.csv"))
    assert r.code == 0, r.err
    (row,) = csv.DictReader((tmp_path / "r.csv").open())
    assert row["Title"] == "#N/A" and "strength" in row["reason"]


def test_person_accounts_named_in_the_preview(cli):
    folder = CRM / "salesforce_person_accounts"
    r = cli("import", "accounts", str(folder / "Account.csv"), "--dry-run")
    assert r.code == 0 and "possible person accounts: 3 of 3 accounts (Elena Varga, Grace Mbeki, Tomasz Wrona)" in r.out
    assert "single-threaded" in r.out
    assert cli("import", "accounts", str(folder / "Account.csv")).code == 0
    r = cli("import", "contacts", str(folder / "Contact.csv"), "--dry-run", "--json")
    people = json.loads(r.out)["person_accounts"]
    assert people["count"] == people["of"] == 3 and "single-threaded" in people["meaning"]


def test_person_accounts_without_the_crm_mark_are_told_by_their_one_namesake_contact():
    scan = PersonAccountScan()
    for account, name, person in [(1, "Ana Ruiz", "Ana Ruiz"), (2, "Acme", "Bo Li"), (2, "Acme", "Cy Wu"),
                                  (3, "Lee Park", "Lee Park"), (3, "Lee Park", "Kim Park")]:  # fmt: skip
        scan.add(account, name, person)
    found = scan.found()
    assert found is not None and (found.count, found.of, found.examples) == (1, 3, ("Ana Ruiz",))
    business = PersonAccountScan()
    business.add(1, "Acme", "Bo Li")
    assert business.found() is None


def test_a_business_export_names_no_person_accounts(cli):
    assert cli("import", "accounts", str(EXPORT2 / "Account.csv")).code == 0
    r = cli("import", "contacts", str(EXPORT2 / "Contact.csv"), "--dry-run", "--json", "--today", "2026-03-10")
    assert "person_accounts" not in json.loads(r.out)


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        (EXPORT2 / "Account.csv", "accounts"),
        (EXPORT2 / "Contact.csv", "contacts"),
        (DATALOADER / "Account.csv", "accounts"),
        (DATALOADER / "Contact.csv", "contacts"),
        (DATALOADER / "OpportunityContactRole.csv", "roles"),
        (CRM / "salesforce_person_accounts" / "Account.csv", "accounts"),
        (CRM / "hubspot" / "companies.csv", "accounts"),
        (CRM / "hubspot" / "contacts.csv", "contacts"),
        (CRM / "dynamics365" / "accounts.csv", "accounts"),
        (CRM / "excel" / "accounts.csv", "accounts"),
        (CRM / "salesforce_report" / "contacts_report.csv", "contacts"),
        (FIXTURES / "calendar" / "google.ics", "calendar"),
        (FIXTURES / "mail" / "ordinary.mbox", "mail"),
    ],
)
def test_kind_told_from_the_header(path: Path, kind: str):
    guess = kind_of_file(path)
    assert guess.kind == kind, guess.why


def test_kind_of_header_says_why_and_when_it_cannot_tell():
    assert kind_of_header(["Id", "Name", "AnnualRevenue"]).why == "its column AnnualRevenue describes companies"
    assert kind_of_header(["name", "capacity", "industries"]).kind == "executives"
    assert kind_of_header(["Id", "Name"]).kind is None
    assert read_csv(EXPORT2 / "Account.csv").headers == ["Id", "Name", "AnnualRevenue"]


def test_an_accounts_file_given_as_contacts_says_which_command_reads_it(cli):
    assert cli("init").code == 0
    r = cli("import", "contacts", str(EXPORT2 / "Account.csv"))
    assert r.code == 2 and "missing required column 'account'" in r.err
    assert f"it looks like an accounts file (its column AnnualRevenue describes companies): " \
           f"stakeworks import accounts {EXPORT2 / 'Account.csv'}" in r.err  # fmt: skip
