"""Identity of imported records (DOMAIN section 10), cell values and column shapes of real exports."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from stakeworks.db.schema import LATEST_VERSION
from stakeworks.db.store import Store
from stakeworks.domain.identity import AccountDirectory, AccountIdentity, ContactIndex, crm_key, domain_key, name_key
from stakeworks.interchange.importer import detect_crm, map_columns, parse_currency, parse_date, parse_money
from stakeworks.interchange.importer.columns import ACCOUNT_ALIASES, CONTACT_ALIASES
from tests.conftest import BOTH_BACKENDS, FIXTURES

pytestmark = BOTH_BACKENDS


def _q(store: Store, sql: str) -> list[tuple]:
    """A raw read for the test (the store's own API has no SQL)."""
    return store.conn.execute(sql).fetchall()


def test_name_key_folds_case_accents_and_spacing():
    assert name_key("  Zoë   NG ") == name_key("zoe ng") == "zoe ng"
    assert name_key("José Núñez") == "jose nunez" and name_key("Ann Lee") != name_key("Anne Lee")


def test_salesforce_ids_compare_by_their_15_characters():
    assert crm_key("salesforce", "0018a00002HvLs1AAE") == crm_key("salesforce", "0018a00002HvLs1") == "0018a00002HvLs1"
    assert crm_key("hubspot", "21526623102") == "21526623102"
    assert crm_key("hubspot", "0018a00002HvLs1AAE") == "0018a00002HvLs1AAE"  # only Salesforce ids carry a checksum


def test_domain_key():
    assert domain_key("https://www.Acme.example/about?x=1") == "acme.example" == domain_key("acme.example")


def test_matching_order_crm_id_then_email_then_name():
    index = ContactIndex()
    index.add(1, 10, "Ann Lee", "ann@acme.example", "salesforce", "003A")
    index.add(2, 10, "Bo Kim", "", "", "")
    # The CRM id wins over everything else, even another account (the person moved).
    assert index.match(11, "Someone Else", "x@y.example", "salesforce", "003A").how == "crm"
    # Email at the same account; the same email at another account is someone else.
    assert index.match(10, "A. Lee", "ANN@acme.example", "", "").id == 1
    assert index.match(11, "Ann Lee", "ann@acme.example", "", "").how == ""
    # Name without a contradicting email; with a different email, a possible duplicate.
    assert index.match(10, "bo  kim", "bo@acme.example", "", "").id == 2
    possible = index.match(10, "Ann Lee", "ann.lee@acme.example", "", "")
    assert (possible.how, possible.id) == ("possible", 1)
    # Two rows of one file with one name and two emails are two people, not a question.
    index.first_new = 3  # ids from 3 up were added by this file
    index.add(3, 12, "Cy Fox", "cy@a.example", "", "")
    assert index.match(12, "Cy Fox", "cy.fox@b.example", "", "").how == ""
    # Two different ids in the same CRM are two records, whatever else they share.
    assert index.match(10, "Ann Lee", "ann@acme.example", "salesforce", "003B").how == ""


def test_account_directory_resolves_by_id_name_or_domain():
    d = AccountDirectory.of([
        AccountIdentity(1, "Halvard Shipping", "salesforce", "0018a00002HvLs1", "halvard.example"),
        AccountIdentity(2, "Halvard Shipping", "salesforce", "0018a00002HvLs2"),
        AccountIdentity(3, "Quillon Labs"),
    ])  # fmt: skip
    assert d.resolve(crm="salesforce", ref="0018a00002HvLs2AAE", name="Halvard Shipping").id == 2
    assert d.resolve(name="quillon  labs").id == 3
    assert d.resolve(domain="https://www.halvard.example").id == 1
    with pytest.raises(ValueError, match="2 accounts are named 'Halvard Shipping'"):
        d.resolve(name="Halvard Shipping")
    with pytest.raises(ValueError, match="no account with Salesforce id '001X'"):
        d.resolve(crm="salesforce", ref="001X")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("$1,100.04 ", (1100.04, "USD")), (" $ -   ", (0.0, "USD")), ("€85.500,00", (85500.0, "EUR")),
     ("1 100,04 €", (1100.04, "EUR")), ("1,100", (1100.0, None)), ("1.1E+06", (1100000.0, None)),
     ("(250.00)", (-250.0, None)), ("£12,000", (12000.0, "GBP"))],
)  # fmt: skip
def test_money_cells(cell, expected):
    assert parse_money(cell) == expected


def test_money_and_currency_refusals():
    with pytest.raises(ValueError, match="is not a number"):
        parse_money("twelve")
    assert parse_currency("usd") == "USD" and parse_currency("US Dollar") == "USD" and parse_currency("Euro") == "EUR"
    with pytest.raises(ValueError, match="is not a currency"):
        parse_currency("Doubloons")


@pytest.mark.parametrize(
    ("text", "fmt", "expected"),
    [("2/5/24 1:51", "%m/%d/%Y", date(2024, 2, 5)), ("12/4/25 12:39", "%m/%d/%Y", date(2025, 12, 4)),
     ("2026-03-04 10:12", None, date(2026, 3, 4)), ("3/15/2024 2:30 PM", None, date(2024, 3, 15)),
     ("2023-05-29 00:00:00", None, date(2023, 5, 29)), ("02/23/26", None, date(2026, 2, 23)),
     ("23.02.2026", None, date(2026, 2, 23))],
)  # fmt: skip
def test_crm_date_forms(text, fmt, expected):
    assert parse_date(text, fmt) == expected


def test_detect_crm_from_headers():
    assert detect_crm(["Id", "IsDeleted", "Name", "AnnualRevenue"]) == "salesforce"
    assert detect_crm(["Contact ID", "First Name", "Account ID", "Contact Owner"]) == "salesforce"
    assert detect_crm(["Record ID", "Company name", "Company owner"]) == "hubspot"
    assert detect_crm(["(Do Not Modify) Account", "Account Name"]) == "dynamics365"
    assert detect_crm(["Email", "Company Name", "Decision influence labels"]) == "dynamics365"
    assert detect_crm(["name", "arr"]) == "csv"


def test_duplicate_headers_are_resolved_by_meaning_and_said():
    headers = ["Record ID - Contact", "First Name", "Company Name", "Last Activity Date", "Record ID - Company",
               "Company name", "Last Activity Date"]  # fmt: skip
    m = map_columns(headers, CONTACT_ALIASES)
    chosen = {f: headers[i] + f"@{i}" for i, f in m.fields.items()}
    assert chosen["account"] == "Company name@5" and chosen["account_ref"] == "Record ID - Company@4"
    assert chosen["last_touch"] == "Last Activity Date@3"  # the contact's own; the company's is not the contact's
    assert m.fallbacks == {"account": [2]} and "(the associated company's)" in m.warnings[0]
    assert m.reasons["Last Activity Date"] == "describes the associated company, not the contact"
    plain = map_columns(["Title", "Job Title", "Name"], CONTACT_ALIASES)
    assert (
        plain.fields[0] == "title"
        and plain.fallbacks == {"title": [1]}
        and "(the most direct name)" in plain.warnings[0]
    )


def test_arr_only_from_columns_that_mean_it():
    m = map_columns(["Name", "AnnualRevenue", "Annual Revenue", "Contract Value"], ACCOUNT_ALIASES)
    assert {f for f in m.fields.values()} == {"name", "company_revenue", "arr"}
    assert m.fields[3] == "arr" and m.fields[1] == "company_revenue"


def test_schema_8_keeps_every_account_and_contact(tmp_path: Path):
    """Accounts are rebuilt to drop UNIQUE(name): ids, values and references survive, from any older store."""
    old = tmp_path / "v7.db"
    shutil.copyfile(FIXTURES / "db" / "schema_v7.db", old)
    raw = sqlite3.connect(old)
    raw.execute("UPDATE accounts SET version = 3")  # edited three times: the counter survives the rebuild
    raw.commit()
    before = raw.execute("SELECT * FROM accounts ORDER BY id").fetchall()
    contacts = raw.execute("SELECT id, account_id, reports_to_id FROM contacts ORDER BY id").fetchall()
    sponsors = raw.execute(
        "SELECT id, executive_id, account_id, start_date, ended_on, active FROM sponsor_assignments ORDER BY id"
    ).fetchall()
    raw.close()
    with Store(old) as s:
        assert s.conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
        after = _q(s, f"SELECT {', '.join(f'a.{c}' for c in _v7_columns())} FROM accounts a ORDER BY id")
        assert after == before
        assert _q(s, "SELECT id, account_id, reports_to_id FROM contacts ORDER BY id") == contacts
        v7 = "id, executive_id, account_id, start_date, ended_on, active"  # v9 added the score at the start
        assert _q(s, f"SELECT {v7} FROM sponsor_assignments ORDER BY id") == sponsors
        assert _q(s, "PRAGMA foreign_key_check") == [] and _q(s, "PRAGMA integrity_check") == [("ok",)]
        assert _q(s, "SELECT DISTINCT crm, crm_id FROM accounts") in ([("", "")], [])
        assert s.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        # The renewal trigger came back with the rebuilt table.
        names = {r[0] for r in _q(s, "SELECT name FROM sqlite_schema WHERE type = 'trigger'")}
        assert "verdict_stale_account_update" in names


def _v7_columns() -> list[str]:
    return ["id", "name", "arr", "currency", "renewal_date", "tier", "industry", "region", "csm", "strategic_value",
            "growth_potential", "kraljic", "last_ebr", "next_ebr", "notes", "version"]  # fmt: skip
