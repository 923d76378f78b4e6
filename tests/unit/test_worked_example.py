"""DOMAIN section 7, every value, through the public CLI."""

from __future__ import annotations

import json

from tests.conftest import BOTH_BACKENDS, file_digest

pytestmark = BOTH_BACKENDS


def test_assess_matches_domain_worked_example(northwind):
    r = northwind("assess", "Northwind", "--json", "--today", "2026-03-10")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert data["account"] == "Northwind"
    assert data["today"] == "2026-03-10"
    assert (data["risk"], data["score"], data["bus_factor"]) == ("high", 66, 1)
    cov = data["coverage"]
    assert (cov["champion"]["status"], cov["champion"]["risk"]) == ("ok", "low")
    assert "single-threaded to one champion" in cov["champion"]["reason"]
    assert "Tom Chen" in cov["champion"]["reason"]
    assert (cov["economic_buyer"]["status"], cov["economic_buyer"]["risk"]) == ("gap", "high")
    assert "Sarah Kim" in cov["economic_buyer"]["reason"]
    assert (cov["executive_sponsor"]["status"], cov["executive_sponsor"]["risk"]) == ("missing", "medium")
    assert (cov["decision_maker"]["status"], cov["decision_maker"]["risk"]) == ("ok", "low")
    assert "Sarah Kim" in cov["decision_maker"]["reason"] and "85 days" in cov["decision_maker"]["reason"]
    assert (cov["breadth"]["status"], cov["breadth"]["risk"]) == ("gap", "medium")
    assert "Engineering only" in cov["breadth"]["reason"]
    assert (cov["depth"]["status"], cov["depth"]["risk"]) == ("gap", "medium")
    assert "no executive band" in cov["depth"]["reason"]
    factors = {f["code"]: f["level"] for f in data["factors"]}
    assert factors == {
        "no_economic_buyer_engaged": "high",
        "no_executive_sponsor": "medium",
        "single_department": "medium",
        "thin_depth": "medium",
    }
    assert all(f["rationale"] for f in data["factors"])
    people = {c["name"]: c for c in data["contacts"]}
    assert people["Tom Chen"]["engaged"] and people["Tom Chen"]["days_since_touch"] == 9
    assert people["Tom Chen"]["threshold_days"] == 30 and people["Tom Chen"]["key_person"]
    assert people["Lisa Park"]["engaged"] and people["Lisa Park"]["days_since_touch"] == 5
    assert people["Lisa Park"]["threshold_days"] == 30
    assert not people["Sarah Kim"]["engaged"] and not people["Sarah Kim"]["overdue"]
    assert people["Sarah Kim"]["days_since_touch"] == 85 and people["Sarah Kim"]["threshold_days"] == 90
    assert people["Tom Chen"]["roles"] == ["champion"] and people["Sarah Kim"]["level"] == "c_level"


def test_whatif_tom_leaves_goes_to_96_and_writes_nothing(northwind):
    before = file_digest(northwind.db)
    r = northwind("whatif", "Northwind", "Tom Chen", "--json", "--today", "2026-03-10")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert data["before"]["score"] == 66 and data["after"]["score"] == 96
    assert "champion_departed" in data["after"]["factors"]
    assert "single_department" in data["after"]["factors"]  # Lisa, the one engaged contact left, is in Engineering
    assert "single_department" in data["before"]["factors"]
    assert data["key_person"] is True
    assert file_digest(northwind.db) == before


def test_whatif_lisa_is_not_a_key_person(northwind):
    data = json.loads(northwind("whatif", "northwind", "lisa park", "--json", "--today", "2026-03-10").out)
    assert data["key_person"] is False


def test_risk_lists_northwind_with_codes(northwind):
    data = json.loads(northwind("risk", "--json", "--today", "2026-03-10").out)
    assert data == [
        {
            "account": "Northwind",
            "risk": "high",
            "score": 66,
            "renewal_date": "2026-09-30",
            "arr": 240000.0,
            "factors": ["no_economic_buyer_engaged", "no_executive_sponsor", "single_department", "thin_depth"],
        }
    ]


def test_text_output_says_the_score_is_a_risk_score_out_of_100(northwind):
    assess = northwind("assess", "Northwind", "--today", "2026-03-10").out
    assert assess.splitlines()[0] == "Northwind: risk high, risk score 66 / 100, bus factor 1"
    risk = northwind("risk", "--today", "2026-03-10").out.splitlines()
    assert "risk score" in risk[0] and "66 / 100" in risk[-1]
    whatif = northwind("whatif", "Northwind", "Tom Chen", "--today", "2026-03-10").out
    assert "  risk score 66 -> 96 / 100 (+30)" in whatif.splitlines()


def test_a_capped_whatif_names_the_factors_it_adds_and_removes(northwind):
    """Issue 30: "100 -> 100 (+0)" beside KEY PERSON told nothing; the factors tell the change."""
    data = json.loads(northwind("assess", "Northwind", "--json", "--today", "2026-05-01").out)
    assert data["score"] == 100  # two months on, nobody touched: everyone overdue
    r = northwind("whatif", "Northwind", "Tom Chen", "--today", "2026-05-01")
    assert r.code == 0, r.err
    assert "  risk score stays 100: + champion departed, - champion overdue" in r.out.splitlines()
