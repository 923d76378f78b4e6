"""Real CRM export shapes, end to end (issue 15): one fixture per shape, cut from
published exports with invented rows (tests/fixtures/README.md says where each
came from). Each import is checked for counts, account links, reports-to links,
titles to levels, dates, roles, owners and ARR; a re-import changes nothing; an
export with one title and one account changed updates exactly those."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

from stakeworks.db.store import Store
from stakeworks.domain.models import Account, Contact
from tests.conftest import BOTH_BACKENDS, FIXTURES, file_digest

pytestmark = BOTH_BACKENDS


def _q(store: Store, sql: str) -> list[tuple]:
    """A raw read for the test (the store's own API has no SQL)."""
    return store.conn.execute(sql).fetchall()


CRM = FIXTURES / "crm"
SF = CRM / "salesforce_dataloader"


def _ok(result) -> dict:
    assert result.code == 0, result.err
    return json.loads(result.out)


def _accounts(db: Path) -> dict[str, Account]:
    """Accounts by name, or by "name crm_id" when names are shared."""
    with Store(db) as s:
        accounts = s.accounts()
    names = [a.name for a in accounts]
    return {(a.name if names.count(a.name) == 1 else f"{a.name} {a.crm_id}"): a for a in accounts}


def _people(db: Path) -> dict[str, tuple[Contact, str | None, str]]:
    """name -> (contact, the name of whom they report to, their account's crm id or name)."""
    with Store(db) as s:
        accounts = {a.id: a for a in s.accounts()}
        contacts = [c for a in accounts for c in s.contacts(a)]
    by_id: dict[int | None, str] = {c.id: c.name for c in contacts}
    return {
        c.name: (c, by_id.get(c.reports_to_id), accounts[c.account_id].crm_id or accounts[c.account_id].name)
        for c in contacts
    }


def _count(db: Path, table: str) -> int:
    with Store(db) as s:
        return s.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_salesforce_data_loader_export_all(cli):
    accounts = _ok(cli("import", "accounts", str(SF / "Account.csv"), "--json"))
    assert accounts == {"added": 4, "updated": 0, "unchanged": 0, "touches": 0}
    got = _accounts(cli.db)
    norway, singapore = got["Halvard Shipping 0018a00002HvLs1"], got["Halvard Shipping 0018a00002HvLs2"]
    assert (norway.crm, norway.region, singapore.region) == ("salesforce", "Norway", "Singapore")
    bank = got["Brightwater Bank"]
    # AnnualRevenue is the bank's own revenue, never our ARR (issue 15: 119 billion topped the triage).
    assert bank.arr == 0 and bank.company_revenue == 119_000_000_000 and bank.currency == "USD"
    assert singapore.currency == "SGD" and norway.currency == "EUR" and got["Quillon Labs"].domain == "quillon.example"
    assert all(a.csm == "" for a in got.values())  # OwnerId is a user id, not a name: not taken as the CSM
    risk = json.loads(cli("risk", "--json", "--today", "2026-03-10").out)
    assert {r["arr"] for r in risk} == {None}  # no ARR column: unknown, null (issue 31), never 0

    # Contacts join their accounts by AccountId alone: `import accounts` kept the ids.
    contacts = _ok(cli("import", "contacts", str(SF / "Contact.csv"), "--json"))
    assert contacts == {"added": 7, "updated": 0, "unchanged": 0, "touches": 5}
    people = _people(cli.db)
    ingrid, _, ingrid_account = people["Ingrid Solberg"]
    tomas, tomas_boss, _ = people["Tomas Berg"]
    mette, mette_boss, _ = people["Mette Dahl"]
    wei, _, wei_account = people["Wei Ling Tan"]
    priya, priya_boss, priya_account = people["Priya Natarajan"]
    assert (ingrid_account, wei_account, priya_account) == ("0018a00002HvLs1", "0018a00002HvLs2", "0018a00002HvLs3")
    assert (tomas_boss, mette_boss, priya_boss) == ("Ingrid Solberg", "Tomas Berg", "Marcus Reed")
    assert (ingrid.level, tomas.level, mette.level, wei.level, priya.level) == (
        "c_level",
        "vp",
        "manager",
        "director",
        "director",
    )
    assert ingrid.last_touch == date(2026, 2, 20) and mette.last_touch is None  # "2026-02-20 00:00:00"
    assert (ingrid.crm, ingrid.crm_id) == ("salesforce", "0038a00003Pq001")  # the 18-character id's 15-character key

    # Roles from their own files: OpportunityContactRole then AccountContactRole.
    roles = _ok(cli("import", "roles", str(SF / "OpportunityContactRole.csv"), "--json"))
    assert roles == {"added": 0, "updated": 4, "unchanged": 0, "touches": 0, "skipped": 1}
    assert _ok(cli("import", "roles", str(SF / "AccountContactRole.csv"), "--json"))["updated"] == 2
    people = _people(cli.db)
    assert set(people["Marcus Reed"][0].roles) == {"economic_buyer"} and people["Marcus Reed"][0].key_to_success
    assert set(people["Tomas Berg"][0].roles) == {"decision_maker"} and people["Tomas Berg"][0].key_to_success
    assert (
        set(people["Priya Natarajan"][0].roles) == {"technical_lead"}
        and not people["Priya Natarajan"][0].key_to_success
    )
    assert set(people["Ingrid Solberg"][0].roles) == {"executive_sponsor"}
    assert set(people["Wei Ling Tan"][0].roles) == {"influencer"} and people["Mette Dahl"][0].roles == frozenset()

    # The same exports again: nothing changes, and the store says so.
    before = file_digest(cli.db)
    assert _ok(cli("import", "accounts", str(SF / "Account.csv"), "--json"))["unchanged"] == 4
    assert _ok(cli("import", "contacts", str(SF / "Contact.csv"), "--json")) == {
        "added": 0, "updated": 0, "unchanged": 7, "touches": 0,
    }  # fmt: skip
    assert _ok(cli("import", "roles", str(SF / "OpportunityContactRole.csv"), "--json"))["unchanged"] == 4
    with Store(cli.db) as s:
        assert s.conn.execute("SELECT count(*) FROM contacts").fetchone()[0] == 7
    assert _people(cli.db).keys() == people.keys()
    del before


def test_salesforce_export_with_one_title_and_one_account_changed(cli, tmp_path: Path):
    _ok(cli("import", "accounts", str(SF / "Account.csv"), "--json"))
    _ok(cli("import", "contacts", str(SF / "Contact.csv"), "--json"))
    rows = list(csv.reader((SF / "Contact.csv").open(encoding="utf-8")))
    header = rows[0]
    title, account = header.index("Title"), header.index("AccountId")
    for r in rows[1:]:
        if r[header.index("LastName")] == "Berg":
            r[title] = "SVP, Fleet Technology"
        if r[header.index("LastName")] == "Mori":
            r[account] = "0018a00002HvLs3AAE"  # Aiko moved from Quillon Labs to Brightwater Bank in the CRM
    newer = tmp_path / "Contact.csv"
    with newer.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, quoting=csv.QUOTE_ALL).writerows(rows)
    dry = _ok(cli("import", "contacts", str(newer), "--dry-run", "--json"))
    updates = {o["name"]: o["changes"] for o in dry["preview"] if o["action"] == "update"}
    assert updates == {"Tomas Berg": {"title": ["VP, Fleet Technology", "SVP, Fleet Technology"]}}
    # A move in the CRM is not made behind the CSM's back (CLI.md "A living map"): Aiko stays at
    # Quillon Labs, and a moved_account signal asks the CSM (confirming departs her there).
    aiko = next(o for o in dry["preview"] if o["name"] == "Aiko Mori")
    assert aiko["action"] == "unchanged" and aiko["signals"] == [
        "moved_account: Salesforce has them at Brightwater Bank"
    ]
    # VP to SVP is the same level in other words: taken, no signal
    assert dry["summary"]["unchanged"] == 6 and dry["signals"] == {"moved_account": 1}
    assert _ok(cli("import", "contacts", str(newer), "--json")) == {
        "added": 0,
        "updated": 1,
        "unchanged": 6,
        "touches": 0,
        "signals": {"moved_account": 1},
    }
    people = _people(cli.db)
    assert people["Tomas Berg"][0].title == "SVP, Fleet Technology" and people["Tomas Berg"][0].level == "vp"
    assert people["Aiko Mori"][2] == "0018a00002HvLs4"
    # An account export with one account changed updates that one.
    accounts = (SF / "Account.csv").read_text(encoding="utf-8").replace('"Biotechnology"', '"Life Sciences"')
    changed = tmp_path / "Account.csv"
    changed.write_text(accounts, encoding="utf-8")
    assert _ok(cli("import", "accounts", str(changed), "--json")) == {
        "added": 0,
        "updated": 1,
        "unchanged": 3,
        "touches": 0,
    }
    assert _accounts(cli.db)["Quillon Labs"].industry == "Life Sciences"


def test_salesforce_report_export_matches_by_15_character_ids(cli):
    """A report exports 15-character ids and a copyright footer; the Data Loader's 18-character ids still match."""
    _ok(cli("import", "accounts", str(SF / "Account.csv"), "--json"))
    _ok(cli("import", "contacts", str(SF / "Contact.csv"), "--json"))
    report = CRM / "salesforce_report" / "contacts_report.csv"
    dry = _ok(cli("import", "contacts", str(report), "--dry-run", "--json"))
    assert [o["action"] for o in dry["preview"]] == [
        "update",
        "update",
        "update",
        "update",
        "add",
    ]  # the footer is no row
    assert "'Buyer Attributes' -> roles" in dry["mapping"] and "'Account ID' -> account_ref" in dry["mapping"]
    assert _ok(cli("import", "contacts", str(report), "--json")) == {
        "added": 1,
        "updated": 4,
        "unchanged": 0,
        "touches": 1,
    }
    people = _people(cli.db)
    lena, lena_boss, lena_account = people["Lena Vogt"]
    assert (lena_boss, lena_account, lena.level, lena.level_inferred) == (
        "Priya Natarajan",
        "0018a00002HvLs3",
        "manager",
        True,
    )
    assert set(lena.roles) == {"end_user", "detractor"} and lena.last_touch == date(2026, 3, 9)
    ingrid = people["Ingrid Solberg"][0]
    assert (
        set(ingrid.roles) == {"executive_sponsor", "decision_maker"}
        and "Contact owner: Jonas Lindqvist" in ingrid.notes
    )
    assert people["Wei Ling Tan"][2] == "0018a00002HvLs2"  # the Singapore "Halvard Shipping", by its Account ID
    assert _count(cli.db, "contacts") == 8
    again = _ok(cli("import", "contacts", str(report), "--json"))
    assert again == {"added": 0, "updated": 0, "unchanged": 5, "touches": 0}


def test_hubspot_companies_and_contacts(cli):
    companies = cli("import", "accounts", str(CRM / "hubspot" / "companies.csv"), "--json")
    got = _ok(companies)
    assert (got["added"], got["notes"][0].startswith("2 rows with an amount but no currency")) == (3, True)
    accounts = _accounts(cli.db)
    lumen = accounts["Lumen Grid Energy"]
    assert (lumen.crm, lumen.crm_id, lumen.csm, lumen.domain) == (
        "hubspot",
        "21526623102",
        "Marisol Vance",
        "lumengrid.example",
    )
    assert (
        lumen.arr == 0 and lumen.company_revenue == 500_000_000 and accounts["Kestrel Analytics"].csm == "Devon Achebe"
    )
    r = cli("import", "contacts", str(CRM / "hubspot" / "contacts.csv"), "--json")
    assert _ok(r) == {"added": 4, "updated": 0, "unchanged": 0, "touches": 3}
    # Two columns mean the company; the associated company's own wins, and the user is told.
    assert "'Company name' is used (the associated company's)" in r.err
    people = _people(cli.db)
    rosa, _, rosa_account = people["Rosa Delgado"]
    owen, _, owen_account = people["Owen Pratt"]
    hana, _, hana_account = people["Hana Kobayashi"]
    ewan, _, ewan_account = people["Ewan Fraser"]
    assert (rosa_account, owen_account, hana_account, ewan_account) == (
        "21526623102",
        "21526623102",
        "26032936107",
        "19570433918",
    )
    assert set(rosa.roles) == {"champion"} and set(owen.roles) == {"economic_buyer"}
    assert set(hana.roles) == {"end_user", "detractor"} and set(ewan.roles) == {"decision_maker", "influencer"}
    assert (rosa.level, owen.level, hana.level, ewan.level) == ("vp", "c_level", "user", "director")
    assert rosa.last_touch == date(2026, 2, 5) and ewan.last_touch == date(
        2025, 10, 23
    )  # "2/5/26 1:51", "10/23/25 8:14"
    assert "Contact owner: Marisol Vance" in rosa.notes and (rosa.crm, rosa.crm_id) == ("hubspot", "1415")
    assert _ok(cli("import", "contacts", str(CRM / "hubspot" / "contacts.csv"), "--json"))["unchanged"] == 4


def test_hubspot_contacts_by_associated_company_domain(cli, tmp_path: Path):
    _ok(cli("import", "accounts", str(CRM / "hubspot" / "companies.csv"), "--json"))
    f = tmp_path / "contacts.csv"
    f.write_text("Record ID,First Name,Last Name,Email,Associated Company Domain,Job Title,Create Date\n"
                 "501,Ida,Berg,ida@kestrel.example,www.Kestrel.example,CTO,2025-11-03 09:12\n"
                 "502,Jon,Lee,jon@x.example,nowhere.example,Analyst,2025-11-03 09:12\n")  # fmt: skip
    r = cli("import", "contacts", str(f))
    assert (
        r.code == 2
        and "line 3, column Associated Company Domain: no account with the domain 'nowhere.example'" in r.err
    )
    ok = cli("import", "contacts", str(f), "--skip-invalid", "--json")
    assert _ok(ok)["added"] == 1 and _people(cli.db)["Ida Berg"][2] == "19570433918"


def test_dynamics_365_accounts_contacts_and_users(cli):
    d = CRM / "dynamics365"
    _ok(cli("import", "accounts", str(d / "accounts.csv"), "--json"))
    accounts = _accounts(cli.db)
    adatum = accounts["Adatum Corporation"]
    assert (adatum.csm, adatum.region, adatum.arr, adatum.company_revenue) == (
        "Colin Byrne",
        "Northwest",
        0,
        135_000_000,
    )
    assert _ok(cli("import", "contacts", str(d / "contacts.csv"), "--json"))["added"] == 5
    people = _people(cli.db)
    nadia, _, nadia_account = people["Nadia Rahimi"]
    beatriz, _, _ = people["Beatriz Souza"]
    theo, _, _ = people["Theo Lindgren"]
    kofi, _, _ = people["Kofi Asante"]
    assert nadia_account == "Adatum Corporation" and set(nadia.roles) == {"decision_maker"} and nadia.level == "c_level"
    assert beatriz.level == "vp" and set(people["Piet van Dijk"][0].roles) == {"influencer"}
    assert set(theo.roles) == {"detractor"} and theo.level == "director" and "competitor" in theo.notes
    assert kofi.roles == frozenset()  # "Unknown" decision influence is no role, not an error
    # Executives from a user export: First Name + Last Name, people below VP skipped with their reason.
    r = cli("import", "executives", str(d / "users.csv"), "--dry-run", "--json")
    preview = _ok(r)["preview"]
    assert [(o["name"], o["action"]) for o in preview] == [
        ("Dana Whitfield", "add"), ("Rafael Ortiz", "add"), ("Claire Dubois", "add"),
        ("Noor Haddad", "skipped"), ("Sven Aaltonen", "skipped"),
    ]  # fmt: skip
    assert "'Sales Manager' is manager: the sponsor program takes VPs and above" in preview[3]["reason"]
    assert _ok(cli("import", "executives", str(d / "users.csv"), "--json")) == {
        "added": 3, "updated": 0, "unchanged": 0, "touches": 0, "skipped": 2,
    }  # fmt: skip
    with Store(cli.db) as s:
        assert {(e.name, e.level) for e in s.executives()} == {
            ("Dana Whitfield", "c_level"), ("Rafael Ortiz", "vp"), ("Claire Dubois", "vp"),
        }  # fmt: skip


def test_spreadsheet_resaved_from_excel(cli):
    """Header spaces, cp1252, "$1,100.04 " and " $ -   " (Excel's accounting format), "€85.500,00"."""
    _ok(cli("import", "accounts", str(CRM / "dynamics365" / "accounts.csv"), "--json"))
    r = cli("import", "accounts", str(CRM / "excel" / "accounts.csv"), "--json")
    assert _ok(r) == {"added": 1, "updated": 3, "unchanged": 0, "touches": 0} and "cp1252" in r.err
    accounts = _accounts(cli.db)
    adatum, fabrikam, trey = accounts["Adatum Corporation"], accounts["Fabrikam Residences"], accounts["Trey Research"]
    assert (adatum.arr, adatum.currency, adatum.renewal_date) == (1100.04, "USD", date(2026, 9, 30))
    assert (fabrikam.arr, fabrikam.company_revenue, fabrikam.csm) == (240_000, 342_000_000, "Aisha Mensah")
    assert (trey.arr, trey.currency) == (0, "USD")
    muller = accounts["Müller Präzision"]
    assert (muller.arr, muller.currency, muller.renewal_date, muller.region) == (
        85_500,
        "EUR",
        date(2026, 12, 31),
        "DACH",
    )


def test_annual_revenue_is_not_arr_and_the_assumed_currency_is_said(cli, tmp_path: Path):
    f = tmp_path / "accounts.csv"
    f.write_text("Name,AnnualRevenue,ARR\nAcme,119000000000,52000\n")
    r = cli("import", "accounts", str(f), "--json")
    out = _ok(r)
    assert "taken in the account's stored currency, or EUR for a new account" in out["notes"][0]
    assert "EUR for a new account" in r.err
    acme = _accounts(cli.db)["Acme"]
    assert (acme.arr, acme.company_revenue, acme.currency) == (52_000, 119_000_000_000, "EUR")
    assert _ok(cli("import", "accounts", str(f), "--currency", "USD", "--json"))["updated"] == 1
    assert _accounts(cli.db)["Acme"].currency == "USD"
    g = tmp_path / "clash.csv"
    g.write_text("Name,ARR,Currency\nAcme,€52.000,USD\n")
    bad = cli("import", "accounts", str(g))
    assert bad.code == 2 and "line 2, column Currency: USD but the amount says EUR" in bad.err


def test_two_accounts_may_share_a_name_only_with_different_crm_ids(cli, tmp_path: Path):
    f = tmp_path / "a.csv"
    f.write_text("name,arr\nNissan Motors,10\nNissan Motors,20\n")
    r = cli("import", "accounts", str(f))
    assert r.code == 2 and "line 3, column name: account 'Nissan Motors' also on line 2" in r.err
    g = tmp_path / "b.csv"
    g.write_text("Id,Name\n001A,Nissan Motors\n001B,Nissan Motors\n")
    assert _ok(cli("import", "accounts", str(g), "--json"))["added"] == 2
    # Wherever a name is asked for, a shared one is refused with the choices, and the CRM id is taken.
    amb = cli("assess", "Nissan Motors")
    assert amb.code == 2 and "(Nissan Motors (CRM 001A); Nissan Motors (CRM 001B)); give its CRM id" in amb.err
    assert cli("assess", "001B", "--json").code == 0
    assert cli("assess", "Nissan Motors (CRM 001A)", "--json").code == 0
    # A contacts file naming the shared account by name alone cannot say which one.
    h = tmp_path / "c.csv"
    h.write_text("Account,Name\nNissan Motors,Kei Sato\n")
    c = cli("import", "contacts", str(h))
    assert c.code == 2 and "2 accounts are named 'Nissan Motors'" in c.err and "give the account's CRM id" in c.err


def test_masked_sandbox_every_contact_with_the_same_email(cli, tmp_path: Path):
    """A Salesforce sandbox masks every email to one address; the contact ids still tell people apart."""
    _ok(cli("import", "accounts", str(SF / "Account.csv"), "--json"))
    rows = list(csv.reader((SF / "Contact.csv").open(encoding="utf-8")))
    email = rows[0].index("Email")
    for r in rows[1:]:
        r[email] = "masked@sandbox.example.invalid"
    masked = tmp_path / "Contact.csv"
    with masked.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    assert _ok(cli("import", "contacts", str(masked), "--json"))["added"] == 7
    assert _ok(cli("import", "contacts", str(masked), "--json"))["unchanged"] == 7


def test_possible_duplicate_is_listed_and_decided(northwind, tmp_path: Path):
    cli = northwind
    f = tmp_path / "sf.csv"
    f.write_text("Account Name,First Name,Last Name,Email,Title\nNorthwind,Tom,Chen,tom.chen@northwind.example,CTO\n")
    dry = cli("import", "contacts", str(f), "--dry-run", "--json")
    assert dry.code == 2 and "decide with --same 2 or --new 2" in dry.err
    (row,) = json.loads(dry.out)["preview"]
    assert row["action"] == "possible_duplicate" and row["candidate"]["email"] == "tom@northwind.example"
    before = file_digest(cli.db)
    refused = cli("import", "contacts", str(f))
    assert refused.code == 2 and "line 2: possible duplicate of Tom Chen <tom@northwind.example>" in refused.err
    assert file_digest(cli.db) == before
    assert _ok(cli("import", "contacts", str(f), "--same", "2", "--json"))["updated"] == 1
    people = _people(cli.db)
    assert people["Tom Chen"][0].email == "tom.chen@northwind.example" and people["Tom Chen"][0].title == "CTO"
    g = tmp_path / "sf2.csv"
    g.write_text("Account Name,First Name,Last Name,Email\nNorthwind,Lisa,Park,lisa.p@other.example\n")
    assert _ok(cli("import", "contacts", str(g), "--new", "2", "--json"))["added"] == 1
    with Store(cli.db) as s:
        assert s.conn.execute("SELECT count(*) FROM contacts WHERE name = 'Lisa Park'").fetchone()[0] == 2


def test_name_matching_folds_case_accents_and_spaces(northwind, tmp_path: Path):
    cli = northwind
    f = tmp_path / "c.csv"
    f.write_text("account,name,title\nNorthwind,  sárah   KIM ,Chief Financial Officer\n")
    assert _ok(cli("import", "contacts", str(f), "--json")) == {"added": 0, "updated": 1, "unchanged": 0, "touches": 0}


def test_skip_invalid_writes_good_rows_and_a_rejected_file(northwind, tmp_path: Path):
    cli = northwind
    f = tmp_path / "mixed.csv"
    f.write_text(
        "account,name,email,strength,reports_to\n"
        "Northwind,Ana A,ana@n.example,4,\n"
        "Nowhere,Bad Account,not-an-email,9,\n"  # three problems on one row, all reported at once
        "Northwind,Cy C,cy@n.example,3,ghost@n.example\n"  # reports to nobody: rejected after the first pass
        "Northwind,Di D,di@n.example,2,ana@n.example\n"
    )
    before = file_digest(cli.db)
    r = cli("import", "contacts", str(f))
    assert r.code == 2 and file_digest(cli.db) == before
    for needle in ("line 3, column account: no account named 'Nowhere'", "line 3, column strength: 9 is out of range",
                   "line 3, column email: not an email address"):  # fmt: skip
        assert needle in r.err, r.err
    ok = cli("import", "contacts", str(f), "--skip-invalid", "--json")
    out = _ok(ok)
    assert (out["added"], out["rejected"]) == (2, 2)
    rejected = Path(out["rejected_file"])
    assert rejected == tmp_path / "mixed.rejected.csv"
    rows = list(csv.DictReader(rejected.open(encoding="utf-8")))
    assert [r["name"] for r in rows] == ["Bad Account", "Cy C"]
    assert "no contact 'ghost@n.example' at Northwind" in rows[1]["reason"] and "9 is out of range" in rows[0]["reason"]
    people = _people(cli.db)
    assert people["Di D"][1] == "Ana A" and "Cy C" not in people


def test_dry_run_json_preview_shape(northwind, tmp_path: Path):
    cli = northwind
    f = tmp_path / "c.csv"
    f.write_text("account,name,title,email\nNorthwind,Tom Chen,VP Engineering,tom@northwind.example\n"
                 "Northwind,Sarah Kim,CFO and COO,sarah@northwind.example\nNorthwind,New Person,Analyst,\n"
                 "Northwind,,Analyst,\n")  # fmt: skip
    r = cli("import", "contacts", str(f), "--dry-run", "--json", "--skip-invalid")
    out = _ok(r)
    assert out["summary"] == {
        "add": 1,
        "update": 1,
        "unchanged": 1,
        "possible_duplicate": 0,
        "rejected": 1,
        "skipped": 0,
    }
    by_line = {o["line"]: o for o in out["preview"]}
    assert by_line[2]["action"] == "unchanged"
    assert by_line[3]["changes"] == {"title": ["CFO", "CFO and COO"]}
    assert by_line[4]["action"] == "add" and by_line[4]["changes"]["title"] == [None, "Analyst"]
    assert by_line[5] == {"line": 5, "action": "rejected", "name": "", "reason": "name: name is required"}
    assert _count(cli.db, "contacts") == 3  # a dry run writes nothing


def test_dynamics_excel_export_ids_and_contacts_at_another_account(cli, tmp_path: Path):
    """Dynamics' Excel export carries each row's id in a "(Do Not Modify)" column; an email
    known at another account is not the same person there (DOMAIN section 10)."""
    a = tmp_path / "accounts.csv"
    a.write_text("(Do Not Modify) Account,(Do Not Modify) Row Checksum,Account Name\n"
                 "6f1e9a3c-0b1d-4f0e-9a55-1c2d3e4f5a6b,xyz,Contoso\n7a2b8c4d-1e2f-4a3b-8c9d-0e1f2a3b4c5d,abc,Fabrikam\n")  # fmt: skip
    _ok(cli("import", "accounts", str(a), "--json"))
    c = tmp_path / "contacts.csv"
    c.write_text("(Do Not Modify) Contact,Full Name,Company Name,Email\n"
                 "11111111-2222-3333-4444-555555555555,Avi Cohen,Contoso,avi@shared.example\n"
                 "66666666-7777-8888-9999-000000000000,Avi Cohen,Fabrikam,avi@shared.example\n")  # fmt: skip
    out = _ok(cli("import", "contacts", str(c), "--json"))
    assert out["added"] == 2
    with Store(cli.db) as s:
        crm = _q(s, "SELECT DISTINCT crm FROM accounts")
    assert crm == [("dynamics365",)]
