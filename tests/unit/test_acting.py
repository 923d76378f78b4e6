"""Acting on risk: playbook, successors, plan proposals, cadence, the map report."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

from stakeworks.db.store import Store
from stakeworks.domain.cadence import cadence
from stakeworks.domain.models import Contact
from stakeworks.domain.plans import propose
from stakeworks.domain.playbook import suggest_successors
from stakeworks.domain.rules import assess
from tests.conftest import BOTH_BACKENDS, file_digest

pytestmark = BOTH_BACKENDS

TODAY = date(2026, 3, 10)


def test_whatif_worked_example_store_unchanged(northwind):
    before = file_digest(northwind.db)
    data = json.loads(northwind("whatif", "Northwind", "Tom Chen", "--json", "--today", "2026-03-10").out)
    assert (data["before"]["score"], data["after"]["score"]) == (66, 96)
    assert file_digest(northwind.db) == before


def test_proposed_plan_introduces_economic_buyer_through_champion(northwind):
    with Store(northwind.db) as s:
        ((aid, _),) = s.account_names()
        contacts = s.contacts(aid)
    renewal = date(2026, 9, 30)
    items = propose(aid, contacts, assess(contacts, TODAY, renewal), TODAY, renewal)
    eb = next(i for i in items if i.source == "economic_buyer")
    assert eb.target_label.startswith("Sarah Kim") and "Tom Chen" in eb.path_label
    assert "Tom Chen" in eb.first_action and "Sarah Kim" in eb.first_action
    assert eb.due_date == date(2026, 8, 1)  # at the latest 60 days before the renewal
    cto = next(i for i in items if i.source == "executive_sponsor")
    assert cto.target_label == "CTO (name unknown)" and cto.target_contact_id is None


def test_markdown_report_has_every_section_with_right_rows(northwind):
    r = northwind("map", "Northwind", "--today", "2026-03-10")
    assert r.code == 0, r.err
    md = r.out
    for heading in ("## Stakeholder Map: Northwind", "### Active Contacts", "### Known But Not Engaged",
                    "### Coverage Assessment", "### Single-Thread Risk", "### Multi-Threading Plan"):  # fmt: skip
        assert heading in md
    assert "**ARR:** EUR 240,000" in md and "**Renewal:** 2026-09-30" in md
    assert "**Risk:** high (risk score 66 / 100, bus factor 1)" in md
    assert "| Tom Chen 🔑 | VP Engineering | Champion | Strong | Mar 1, 2026 (call) | Advocate |" in md
    assert "| Sarah Kim | CFO | Economic Buyer | Weak | Dec 15, 2025 (qbr) | Neutral |" in md
    assert "| Lisa Park | Engineering Manager | Technical Lead | Neutral | Mar 5, 2026 (email) | Supportive |" in md
    assert "| Economic Buyer | ⚠ Gap | High -- known but not engaged: Sarah Kim: strength 2 (weak)" in md
    assert "| Sarah Kim (CFO) | Economic Buyer | strength 2 (weak) | Critical |" in md
    assert "Not on the map yet (open plan targets): CTO (name unknown) (proposed)" in md
    assert "| Executive Sponsor | ✗ Missing | Medium" in md
    assert "| Breadth (departments) | ⚠ Gap | Medium -- narrow (Engineering only)" in md
    assert "| no_economic_buyer_engaged | High |" in md
    assert "Dependent on Tom Chen" in md
    assert "| Sarah Kim (CFO) (proposed) | Introduction through Tom Chen (champion) |" in md
    data = json.loads(northwind("map", "Northwind", "--format", "json", "--today", "2026-03-10").out)
    assert [c["name"] for c in data["active_contacts"]] == ["Lisa Park", "Sarah Kim", "Tom Chen"]
    assert data["coverage"]["economic_buyer"]["status"] == "gap" and data["plan"][0]["status"] == "proposed"
    (sarah,) = data["known_not_engaged"]
    assert (sarah["name"], sarah["reason"], sarah["detail"]) == ("Sarah Kim", "weak", "strength 2 (weak)")
    assert [t["target"] for t in data["not_yet_known"]] == ["CTO (name unknown)"]


def _c(cid: int, name: str, dept: str, level: str, strength: int, sentiment: str = "neutral") -> Contact:
    return Contact(
        id=cid, account_id=1, name=name, department=dept, level=level, strength=strength, sentiment=sentiment
    )


def test_successors_same_department_first_then_level_strength_sentiment():
    gone = _c(1, "Gone", "Engineering", "vp", 5)
    same = _c(2, "Same Dept", "engineering ", "director", 3)
    other = _c(3, "Other Dept", "Finance", "director", 3)
    ranked = suggest_successors(gone, [gone, other, same])
    assert [s.contact.name for s in ranked] == ["Same Dept", "Other Dept"]
    assert ranked[0].reason.startswith("same department, one level down, strength 3")
    a = _c(4, "A", "Engineering", "director", 4, "neutral")
    b = _c(5, "B", "Engineering", "director", 4, "advocate")
    c = _c(6, "C", "Engineering", "manager", 5, "advocate")
    assert [s.contact.name for s in suggest_successors(gone, [c, a, b])] == ["B", "A", "C"]


def test_cadence_orders_critical_and_overdue_first():
    today = TODAY
    people = {
        1: [
            Contact(id=1, account_id=1, name="Champ late", level="vp", roles=frozenset({"champion"}), last_touch=today - timedelta(days=40)),
            Contact(id=2, account_id=1, name="Manager soon", level="manager", last_touch=today - timedelta(days=20)),
            Contact(id=3, account_id=1, name="Fresh", level="manager", last_touch=today - timedelta(days=1)),
            Contact(id=4, account_id=1, name="User", level="user", last_touch=None),
            Contact(id=5, account_id=1, name="EB soon", level="c_level", roles=frozenset({"economic_buyer"}), last_touch=today - timedelta(days=80)),
        ]
    }  # fmt: skip
    items = cadence({1: "Acme"}, people, today)
    assert [i.contact.name for i in items] == ["Champ late", "EB soon", "Manager soon"]
    assert items[0].overdue and items[0].due_in == -10
    assert items[1].due_in == 10 and not items[1].overdue


def test_json_round_trip_is_byte_exact(cli, sample_copy: Path, tmp_path: Path):
    first, second = tmp_path / "one.json", tmp_path / "two.json"
    assert cli("export", "json", str(first), db_path=sample_copy).code == 0
    empty = tmp_path / "empty.db"
    r = cli("import", "json", str(first), db_path=empty)
    assert r.code == 0, r.err
    assert cli("export", "json", str(second), db_path=empty).code == 0
    assert first.read_bytes() == second.read_bytes()
    again = cli("import", "json", str(first), db_path=empty)
    assert again.code == 2 and "empty database" in again.err


def test_csv_export_escapes_formula_cells(cli, sample_copy: Path, tmp_path: Path):
    with Store(sample_copy) as s:
        aid = s.account_names()[0][0]
        s.save_contact(Contact(account_id=aid, name='=HYPERLINK("x")', title="+cmd", notes="@risk", department="-1"))
    out = tmp_path / "contacts.csv"
    assert cli("export", "contacts", str(out), db_path=sample_copy).code == 0
    text = out.read_text()
    assert "'=HYPERLINK" in text and "'+cmd" in text and "'@risk" in text and "'-1" in text
