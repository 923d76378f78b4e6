"""One person on several accounts (DOMAIN section 13, issue 33), rule by rule: the same person by
email (any case), by CRM id, by a hand link; where they are and were, a move with its dates;
exposure only for engaged champions and economic buyers at two or more accounts, with each
account's score before and after and the ARR at stake. On a file and on a team store."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import BOTH_BACKENDS, Result, dump_text, stored

pytestmark = BOTH_BACKENDS

TODAY = "2026-03-10"
ACCOUNTS = """name,arr,currency,renewal_date,tier
Northwind,240000,EUR,2026-09-30,enterprise
Contoso,500000,EUR,2026-12-31,strategic
Fabrikam,100000,EUR,2027-01-31,mid_market
"""
# Tom is the engaged champion of Northwind and Contoso (same email, another case at Contoso);
# Rita is an engaged technical lead at two accounts (not exposed); Sam is champion at two but
# engaged only at one (strength 2 at Fabrikam).
CONTACTS = """account,name,title,email,department,level,roles,strength,sentiment,last_touch,last_touch_kind
Northwind,Tom Chen,VP Engineering,tom@chen.example,Engineering,vp,champion,5,advocate,2026-03-01,call
Northwind,Sarah Kim,CFO,sarah@northwind.example,Finance,c_level,economic_buyer,2,neutral,2025-12-15,qbr
Northwind,Lisa Park,Engineering Manager,lisa@northwind.example,Engineering,manager,technical_lead,3,supportive,2026-03-05,email
Contoso,Thomas Chen,Advisor,tom.chen@contoso.example,Operations,vp,champion,4,supportive,2026-03-02,meeting
Contoso,Rita Ruiz,Tech Lead,rita@ruiz.example,IT,manager,technical_lead,4,supportive,2026-03-03,call
Contoso,Olga Berg,CFO,olga@contoso.example,Finance,c_level,economic_buyer,4,supportive,2026-03-01,meeting
Fabrikam,Rita Ruiz,Tech Lead,rita@ruiz.example,IT,manager,technical_lead,4,supportive,2026-03-03,call
Fabrikam,Sam Ode,Director,sam@ode.example,Sales,director,champion,2,neutral,2026-03-03,call
Contoso,Sam Ode,Director,sam@ode.example,Sales,director,champion,4,supportive,2026-03-03,call
"""


@pytest.fixture
def portfolio(cli: Callable[..., Result], tmp_path: Path) -> Callable[..., Result]:
    (tmp_path / "a.csv").write_text(ACCOUNTS)
    (tmp_path / "c.csv").write_text(CONTACTS)
    assert cli("import", "accounts", str(tmp_path / "a.csv")).code == 0
    assert cli("import", "contacts", str(tmp_path / "c.csv")).code == 0
    # The same address written in another case (a CRM keeps it as typed).
    stored(cli.db, "UPDATE contacts SET email = 'TOM@Chen.Example' WHERE name = 'Thomas Chen'")  # type: ignore[attr-defined]

    def run(*args: str) -> Result:
        return cli("--today", TODAY, *args)

    run.db = cli.db  # type: ignore[attr-defined]
    return run


def js(result: Result) -> Any:
    assert result.code == 0, result.err
    return json.loads(result.out)


def places(data: object) -> list[tuple[str, str, str]]:
    assert isinstance(data, dict)
    return [(a["account"], a["contact"], a["status"]) for a in data["accounts"]]


def test_the_same_email_in_any_case_is_the_same_person(portfolio: Callable[..., Result]):
    data = js(portfolio("person", "tom@chen.example", "--json"))
    assert places(data) == [("Contoso", "Thomas Chen", "active"), ("Northwind", "Tom Chen", "active")]
    by_name = js(portfolio("person", "thomas chen", "--json"))
    assert places(by_name) == places(data) and by_name["person"] == "Thomas Chen"
    assert js(portfolio("person", "lisa@northwind.example", "--json"))["accounts"] == [
        {"account": "Northwind", "contact": "Lisa Park", "status": "active", "roles": ["technical_lead"],
         "strength": 3, "departed": None}
    ]  # fmt: skip


def test_the_same_crm_contact_id_is_the_same_person_in_either_salesforce_form(portfolio: Callable[..., Result]):
    db = portfolio.db  # type: ignore[attr-defined]
    stored(db, "UPDATE contacts SET crm = 'salesforce', crm_id = '003A0000006Vm9r' WHERE name = 'Lisa Park'")
    stored(db, "UPDATE contacts SET crm = 'salesforce', crm_id = '003A0000006Vm9rIAC' WHERE name = 'Olga Berg'")
    assert places(js(portfolio("person", "Lisa Park", "--json"))) == [
        ("Contoso", "Olga Berg", "active"), ("Northwind", "Lisa Park", "active"),
    ]  # fmt: skip
    # Another CRM's id of the same text is another person.
    stored(db, "UPDATE contacts SET crm = 'hubspot' WHERE name = 'Olga Berg'")
    assert places(js(portfolio("person", "Lisa Park", "--json"))) == [("Northwind", "Lisa Park", "active")]


def test_a_hand_link_joins_two_records_and_unlink_takes_it_back(portfolio: Callable[..., Result]):
    assert places(js(portfolio("person", "Lisa Park", "--json"))) == [("Northwind", "Lisa Park", "active")]
    linked = portfolio("link", "Northwind", "Lisa Park", "Fabrikam", "Rita Ruiz", "--json")
    assert js(linked)["linked"] is True
    # Rita's email joins her Contoso record too: the person is the whole chain.
    assert places(js(portfolio("person", "Lisa Park", "--json"))) == [
        ("Contoso", "Rita Ruiz", "active"), ("Fabrikam", "Rita Ruiz", "active"), ("Northwind", "Lisa Park", "active"),
    ]  # fmt: skip
    assert js(portfolio("link", "Northwind", "Lisa Park", "Fabrikam", "Rita Ruiz", "--json"))["linked"] is False
    assert portfolio("unlink", "Northwind", "Lisa Park", "Fabrikam", "Rita Ruiz").code == 0
    assert places(js(portfolio("person", "Lisa Park", "--json"))) == [("Northwind", "Lisa Park", "active")]
    again = portfolio("unlink", "Northwind", "Lisa Park", "Fabrikam", "Rita Ruiz")
    assert again.code == 2 and "were not linked by hand" in again.err


def test_links_refused_write_nothing(portfolio: Callable[..., Result]):
    db = portfolio.db  # type: ignore[attr-defined]
    before = dump_text(db)
    same = portfolio("link", "Northwind", "Tom Chen", "Northwind", "Lisa Park")
    assert same.code == 1 and "both contacts of Northwind" in same.err
    by_email = portfolio("unlink", "Fabrikam", "Rita Ruiz", "Contoso", "Rita Ruiz")
    assert by_email.code == 1 and "share the email rita@ruiz.example" in by_email.err
    unknown = portfolio("link", "Northwind", "Tom Chen", "Contoso", "Nobody'; DROP TABLE contacts; --")
    assert unknown.code == 2 and "no contact named" in unknown.err and "Traceback" not in unknown.err
    assert dump_text(db) == before


def test_a_move_is_shown_with_its_dates(portfolio: Callable[..., Result]):
    assert portfolio("depart", "Northwind", "Tom Chen", "--date", "2026-02-01").code == 0
    data = js(portfolio("person", "Tom@chen.example", "--json"))
    assert isinstance(data, dict)
    assert data["accounts"][1] == {"account": "Northwind", "contact": "Tom Chen", "status": "departed",
                                   "roles": ["champion"], "strength": 5, "departed": "2026-02-01"}  # fmt: skip
    assert data["moves"] == [{"from": "Northwind", "departed": "2026-02-01", "to": "Contoso"}]
    text = portfolio("person", "tom@chen.example")
    assert "Moved: left Northwind on 2026-02-01; now active at Contoso." in text.out


def test_person_refusals_are_one_line(portfolio: Callable[..., Result]):
    assert "nobody with the email" in portfolio("person", "who@nowhere.example").err
    long = portfolio("person", "x" * 10_000)
    assert long.code == 2 and len(long.err) < 200
    stored(portfolio.db, "UPDATE contacts SET name = 'Rita Ruiz' WHERE name = 'Olga Berg'")  # type: ignore[attr-defined]
    two = portfolio("person", "Rita Ruiz")
    assert two.code == 2 and "2 people are called 'Rita Ruiz'" in two.err and "give the email" in two.err


def test_exposure_lists_engaged_champions_and_buyers_at_two_accounts_or_more(portfolio: Callable[..., Result]):
    data = js(portfolio("exposure", "--json"))
    assert isinstance(data, list)
    # Rita (technical lead) and Sam (engaged at Contoso only) are not exposed.
    assert [e["person"] for e in data] == ["Thomas Chen"]  # named as at the first account where active
    (tom,) = data
    assert [(a["account"], a["roles"], a["arr"]) for a in tom["accounts"]] == [
        ("Contoso", ["champion"], 500000), ("Northwind", ["champion"], 240000),
    ]  # fmt: skip
    # Each account's scores are its own departure what-if's.
    for a, contact in zip(tom["accounts"], ("Thomas Chen", "Tom Chen"), strict=True):
        w = js(portfolio("whatif", a["account"], contact, "--json"))
        assert (a["score"], a["score_if_gone"]) == (w["before"]["score"], w["after"]["score"])
    contoso, northwind = tom["accounts"]
    assert contoso["score_if_gone"] == contoso["score"]  # Sam is an engaged champion there too
    assert northwind["score_if_gone"] > northwind["score"]
    assert tom["arr_at_risk"] == 240000  # only the accounts whose risk rises


def test_exposure_needs_engagement_at_two_accounts(portfolio: Callable[..., Result]):
    # Sam engaged at Fabrikam too: now exposed. Tom departed at Northwind: no longer.
    stored(portfolio.db, "UPDATE contacts SET strength = 4 WHERE name = 'Sam Ode'")  # type: ignore[attr-defined]
    assert portfolio("depart", "Northwind", "Tom Chen", "--date", "2026-03-09").code == 0
    data = js(portfolio("exposure", "--json"))
    assert isinstance(data, list) and [e["person"] for e in data] == ["Sam Ode"]
    assert [a["account"] for a in data[0]["accounts"]] == ["Contoso", "Fabrikam"]
    text = portfolio("exposure")
    assert "Sam Ode:" in text.out and "ARR at stake" in text.out and "risk score now" in text.out


def test_exposure_orders_by_arr_at_stake(portfolio: Callable[..., Result]):
    stored(portfolio.db, "UPDATE contacts SET strength = 4 WHERE name = 'Sam Ode'")  # type: ignore[attr-defined]
    data = js(portfolio("exposure", "--json"))
    assert isinstance(data, list)
    assert [e["arr_at_risk"] for e in data] == sorted((e["arr_at_risk"] for e in data), reverse=True)
    assert len(data) == 2


def _moving(cli: Callable[..., Result], tmp_path: Path, contoso_tom: str = "") -> dict:
    """Tom, Northwind's champion, whom the CRM now has at Contoso: the moved_account signal."""
    (tmp_path / "a.csv").write_text("name,arr\nNorthwind,240000\nContoso,500000\n")
    before = "Id,account,name,roles,strength,last_touch\nC-1,Northwind,Tom Chen,champion,5,2026-03-01\n"
    (tmp_path / "c1.csv").write_text(before + contoso_tom)
    (tmp_path / "c2.csv").write_text("Id,account,name\nC-1,Contoso,Tom Chen\n")
    assert cli("import", "accounts", str(tmp_path / "a.csv")).code == 0
    assert cli("--today", TODAY, "import", "contacts", str(tmp_path / "c1.csv")).code == 0
    assert cli("--today", TODAY, "import", "contacts", str(tmp_path / "c2.csv")).code == 0
    (signal,) = js(cli("--today", TODAY, "signals", "--json"))
    assert signal["kind"] == "moved_account"
    return signal


def test_a_confirmed_move_is_one_person_and_the_playbook_names_the_warm_path(
    cli: Callable[..., Result], tmp_path: Path
):
    signal = _moving(cli, tmp_path)
    assert "add them at Contoso, an account of ours" in signal["suggestion"]
    assert cli("--today", TODAY, "signals", "confirm", str(signal["id"])).code == 0
    # No email: the two records are one person by the link the move made.
    data = js(cli("--today", TODAY, "person", "Tom Chen", "--json"))
    assert places(data) == [("Contoso", "Tom Chen", "active"), ("Northwind", "Tom Chen", "departed")]
    assert data["moves"] == [{"from": "Northwind", "departed": TODAY, "to": "Contoso"}]
    tasks = js(cli("--today", TODAY, "tasks", "Northwind", "--json"))
    assert isinstance(tasks, list)
    (intro,) = [t["action"] for t in tasks if t["action"].startswith("Introduction to the replacement")]
    assert intro == "Introduction to the replacement (if known): ask Tom Chen, now at Contoso, an account of ours"


def test_a_move_to_where_the_map_has_them_already_names_them_there(cli: Callable[..., Result], tmp_path: Path):
    tom = "X-9,Contoso,Thomas Chen,,,\n"
    signal = _moving(cli, tmp_path, tom)
    assert "add them at Contoso" in signal["suggestion"]  # not yet known as the same person
    stored(cli.db, "UPDATE contacts SET crm_id = '' WHERE name = 'Thomas Chen'")  # type: ignore[attr-defined]
    js(cli("link", "Northwind", "Tom Chen", "Contoso", "Thomas Chen", "--json"))
    (signal,) = js(cli("--today", TODAY, "signals", "--json"))
    assert signal["suggestion"] == (
        "mark Tom Chen departed from Northwind: they are Thomas Chen at Contoso already, "
        "an account of ours (a warm path back in)"
    )
    assert cli("--today", TODAY, "signals", "confirm", str(signal["id"])).code == 0
    rows = stored(cli.db, "SELECT a.name, c.name, c.status, c.crm_id FROM contacts c "  # type: ignore[attr-defined]
                          "JOIN accounts a ON a.id = c.account_id ORDER BY c.id")  # fmt: skip
    assert rows == [("Northwind", "Tom Chen", "departed", ""), ("Contoso", "Thomas Chen", "active", "C-1")]
    tasks = js(cli("--today", TODAY, "tasks", "Northwind", "--json"))
    assert any(t["action"].endswith("ask Thomas Chen, now at Contoso, an account of ours") for t in tasks)


def test_the_departure_what_if_names_the_other_accounts_the_person_holds(portfolio: Callable[..., Result]):
    data = js(portfolio("whatif", "Northwind", "Tom Chen", "--json"))
    assert isinstance(data, dict)
    (contoso,) = data["elsewhere"]
    w = js(portfolio("whatif", "Contoso", "Thomas Chen", "--json"))
    assert contoso == {"account": "Contoso", "contact": "Thomas Chen", "roles": ["champion"],
                       "score": w["before"]["score"], "score_if_gone": w["after"]["score"], "arr": 500000}  # fmt: skip
    text = portfolio("whatif", "Northwind", "Tom Chen").out
    assert "also at Contoso as Thomas Chen (champion): risk score" in text
    assert js(portfolio("whatif", "Northwind", "Lisa Park", "--json"))["elsewhere"] == []
