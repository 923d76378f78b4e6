"""Departure and its undo through any path (DOMAIN section 6), not-rated strength
in the store and in imports, and the schema 6 upgrade, through the CLI and the store."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from stakeworks.db.store import Store
from stakeworks.domain.errors import InputError
from stakeworks.domain.models import Contact, Status
from stakeworks.domain.playbook import KNOWLEDGE_TASK
from tests.conftest import BOTH_BACKENDS, stored

pytestmark = BOTH_BACKENDS

FIX = Path(__file__).resolve().parent.parent / "fixtures"
HEADER = "account,name,title,email,department,level,roles,strength,sentiment,status,last_touch\n"
TOM = "Northwind,Tom Chen,VP Engineering,tom@northwind.example,Engineering,vp,champion,5,advocate,{status},2026-03-01\n"


def tasks(cli, *args: str) -> list[dict]:
    r = cli("tasks", *args, "--json", "--today", "2026-03-10")
    assert r.code == 0, r.err
    return json.loads(r.out)


def states(rows: list[dict]) -> Counter:
    return Counter(t["status"] for t in rows)


def import_tom(cli, tmp_path: Path, status: str, today: str) -> None:
    f = tmp_path / f"tom-{status}.csv"
    f.write_text(HEADER + TOM.format(status=status))
    r = cli("import", "contacts", str(f), "--today", today)
    assert r.code == 0, r.err


def contact(db: Path, name: str) -> Contact:
    with Store(db) as s:
        ((aid, _),) = s.account_names()
        return next(c for c in s.contacts(aid) if c.name == name)


# -- every path ---------------------------------------------------------------------------------


def test_depart_command_creates_the_playbook_once(northwind):
    first = json.loads(northwind("depart", "Northwind", "Tom Chen", "--date", "2026-03-10", "--json").out)
    assert first["playbook"] is True and first["tasks_created"] == 16
    again = json.loads(northwind("depart", "Northwind", "Tom Chen", "--date", "2026-03-10", "--json").out)
    assert again["tasks_created"] == 0
    rows = tasks(northwind)
    assert len(rows) == 16 and states(rows) == {"open": 16}
    assert Counter(t["kind"] for t in rows) == {"task": 8, "checklist": 8}
    assert all(t["contact"] == "Tom Chen" and t["done"] is False for t in rows)


def test_an_import_that_says_departed_starts_the_playbook_and_back_to_active_cancels_it(northwind, tmp_path):
    import_tom(northwind, tmp_path, "departed", "2026-03-12")
    tom = contact(northwind.db, "Tom Chen")
    assert tom.status == "departed" and tom.departed_on == date(2026, 3, 12)  # the departure date defaults to today
    rows = tasks(northwind)
    assert states(rows) == {"open": 16} and {t["due"] for t in rows} >= {"2026-03-12", "2026-04-09"}
    # one task done before the undo stays done
    with Store(northwind.db) as s:
        interim = next(t for t in s.playbook_tasks() if t.action == "Identify an interim contact")
        s.set_task_done(interim.id, True)  # type: ignore[arg-type]
    import_tom(northwind, tmp_path, "active", "2026-03-15")
    assert contact(northwind.db, "Tom Chen").departed_on is None
    rows = tasks(northwind)
    assert states(rows) == {"cancelled": 15, "done": 1}
    assert all(not t["overdue"] for t in rows)  # cancelled is never open, so never overdue
    text = northwind("tasks", "--today", "2026-03-20").out
    assert text.count("cancelled") == 15


def test_the_editor_path_is_the_store_write(northwind):
    """The contact editor saves through Store.save_contact: the same effects."""
    tom = contact(northwind.db, "Tom Chen")
    with Store(northwind.db) as s:
        s.save_contact(tom.model_copy(update={"status": Status.DEPARTED, "departed_on": date(2026, 3, 9)}))
        assert s.open_task_count(tom.id) == 16  # type: ignore[arg-type]
        back = s.contact(tom.id)  # type: ignore[arg-type]
        s.save_contact(back.model_copy(update={"status": Status.ACTIVE}), today=date(2026, 3, 11))
        assert s.open_task_count(tom.id) == 0  # type: ignore[arg-type]
        assert {t.cancelled_on for t in s.playbook_tasks()} == {date(2026, 3, 11)}


def test_departing_again_after_an_undo(northwind):
    northwind("depart", "Northwind", "Tom Chen", "--date", "2026-03-10")
    tom = contact(northwind.db, "Tom Chen")
    with Store(northwind.db) as s:
        s.save_contact(tom.model_copy(update={"status": Status.ACTIVE}), today=date(2026, 3, 11))
    # the same departure marked again: what the undo cancelled is open again, nothing is duplicated
    r = json.loads(northwind("depart", "Northwind", "Tom Chen", "--date", "2026-03-10", "--json").out)
    assert r["tasks_created"] == 16 and states(tasks(northwind)) == {"open": 16}
    tom = contact(northwind.db, "Tom Chen")
    with Store(northwind.db) as s:
        s.save_contact(tom.model_copy(update={"status": Status.ACTIVE}), today=date(2026, 3, 12))
    # a new departure later: a second playbook; the first stays in history
    northwind("depart", "Northwind", "Tom Chen", "--date", "2026-06-01")
    rows = tasks(northwind)
    assert states(rows) == {"open": 16, "cancelled": 16}
    assert {t["due"] for t in rows if t["status"] == "open"} >= {"2026-06-01", "2026-06-29"}


def test_a_corrected_departure_date_moves_its_playbook(northwind):
    northwind("depart", "Northwind", "Tom Chen", "--date", "2026-03-10")
    with Store(northwind.db) as s:
        first = next(t for t in s.playbook_tasks() if t.kind == "checklist")
        s.set_task_done(first.id, True)  # type: ignore[arg-type]
    r = json.loads(northwind("depart", "Northwind", "Tom Chen", "--date", "2026-03-03", "--json").out)
    assert r["tasks_created"] == 0
    rows = tasks(northwind)
    assert len(rows) == 16 and states(rows) == {"open": 15, "done": 1}
    assert min(t["due"] for t in rows) == "2026-03-03" and max(t["due"] for t in rows) == "2026-03-31"


def test_an_executive_sponsor_gets_the_playbook_a_plain_contact_does_not(northwind, tmp_path):
    f = tmp_path / "more.csv"
    f.write_text(HEADER + "Northwind,Ceo One,CEO,,Exec,c_level,executive_sponsor,4,neutral,active,2026-03-01\n")
    assert northwind("import", "contacts", str(f)).code == 0
    assert json.loads(northwind("depart", "Northwind", "Ceo One", "--date", "2026-03-10", "--json").out)["playbook"]
    lisa = json.loads(northwind("depart", "Northwind", "Lisa Park", "--date", "2026-03-10", "--json").out)
    assert lisa["playbook"] is False and lisa["tasks_created"] == 0
    assert {t["contact"] for t in tasks(northwind)} == {"Ceo One"}


def test_a_new_contact_that_arrives_departed_gets_no_playbook(northwind, tmp_path):
    f = tmp_path / "old.csv"
    f.write_text(HEADER + "Northwind,Old Champ,VP,,Engineering,vp,champion,4,neutral,departed,2024-01-01\n")
    assert northwind("import", "contacts", str(f)).code == 0
    assert tasks(northwind) == []


# -- the knowledge task and cancelled tasks -------------------------------------------------------


def test_document_all_knowledge_is_done_when_its_checklist_is(northwind):
    northwind("depart", "Northwind", "Tom Chen", "--date", "2026-03-10")
    with Store(northwind.db) as s:
        knowledge = next(t for t in s.playbook_tasks() if t.action == KNOWLEDGE_TASK)
        with pytest.raises(InputError, match="8 item"):
            s.set_task_done(knowledge.id, True)  # type: ignore[arg-type]
        items = [t for t in s.playbook_tasks() if t.kind == "checklist"]
        for item in items[:-1]:
            s.set_task_done(item.id, True)  # type: ignore[arg-type]
        assert not next(t for t in s.playbook_tasks() if t.id == knowledge.id).done
        s.set_task_done(items[-1].id, True)  # type: ignore[arg-type]
        assert next(t for t in s.playbook_tasks() if t.id == knowledge.id).done
        s.set_task_done(items[0].id, False)  # type: ignore[arg-type]
        assert not next(t for t in s.playbook_tasks() if t.id == knowledge.id).done


def test_a_cancelled_task_cannot_be_ticked(northwind):
    northwind("depart", "Northwind", "Tom Chen", "--date", "2026-03-10")
    tom = contact(northwind.db, "Tom Chen")
    with Store(northwind.db) as s:
        s.save_contact(tom.model_copy(update={"status": Status.ACTIVE}), today=date(2026, 3, 11))
        task = s.playbook_tasks()[0]
        with pytest.raises(InputError, match="cancelled on 2026-03-11"):
            s.set_task_done(task.id, True)  # type: ignore[arg-type]


# -- not rated in the store and in imports --------------------------------------------------------


def test_csv_without_a_strength_column_or_with_a_blank_cell_imports_not_rated(cli, tmp_path):
    (tmp_path / "a.csv").write_text("name\nAcme\n")
    assert cli("import", "accounts", str(tmp_path / "a.csv")).code == 0
    (tmp_path / "no_column.csv").write_text("account,name\nAcme,Ann\n")
    (tmp_path / "blank.csv").write_text("account,name,strength\nAcme,Bob,\nAcme,Cy,4\n")
    assert cli("import", "contacts", str(tmp_path / "no_column.csv")).code == 0
    assert cli("import", "contacts", str(tmp_path / "blank.csv")).code == 0
    people = {c["name"]: c for c in json.loads(cli("assess", "Acme", "--json").out)["contacts"]}
    assert (people["Ann"]["strength"], people["Bob"]["strength"], people["Cy"]["strength"]) == (None, None, 4)
    assert "○○○○○ not rated" in cli("assess", "Acme").out
    # a blank cell on a later import keeps a rating made since (it says nothing, it does not clear)
    (tmp_path / "again.csv").write_text("account,name,strength\nAcme,Cy,\n")
    assert cli("import", "contacts", str(tmp_path / "again.csv")).code == 0
    assert {c["name"]: c for c in json.loads(cli("assess", "Acme", "--json").out)["contacts"]}["Cy"]["strength"] == 4
    assert stored(cli.db, "SELECT count(*) FROM contacts WHERE strength IS NULL")[0][0] == 2


def test_not_rated_round_trips_through_export_and_the_app_model(cli, tmp_path):
    (tmp_path / "a.csv").write_text("name\nAcme\n")
    cli("import", "accounts", str(tmp_path / "a.csv"))
    (tmp_path / "c.csv").write_text("account,name\nAcme,Ann\n")
    cli("import", "contacts", str(tmp_path / "c.csv"))
    out = tmp_path / "dump.json"
    assert cli("export", "json", str(out)).code == 0
    assert json.loads(out.read_text())["tables"]["contacts"][0]["strength"] is None
    csv_out = tmp_path / "contacts.csv"
    assert cli("export", "contacts", str(csv_out)).code == 0
    back = tmp_path / "back.db"
    assert cli("import", "accounts", str(tmp_path / "a.csv"), db_path=back).code == 0
    assert cli("import", "contacts", str(csv_out), db_path=back).code == 0
    assert json.loads(cli("assess", "Acme", "--json", db_path=back).out)["contacts"][0]["strength"] is None


def test_assess_json_lists_not_engaged_with_reason_and_detail(northwind, tmp_path):
    (tmp_path / "new.csv").write_text("account,name,level\nNorthwind,Newbie,user\n")
    northwind("import", "contacts", str(tmp_path / "new.csv"))
    data = json.loads(northwind("assess", "Northwind", "--json", "--today", "2026-03-10").out)
    assert data["not_engaged"] == [
        {"name": "Newbie", "reason": "never_touched", "detail": "never touched"},
        {"name": "Sarah Kim", "reason": "weak", "detail": "strength 2 (weak)"},
    ]
    assert data["score"] == 66  # a name nobody has met changes nothing


# -- schema 6 ------------------------------------------------------------------------------------------


def test_schema_5_store_upgrades_keeping_strengths_and_tying_tasks_to_their_departure(tmp_path: Path):
    path = tmp_path / "v5.db"
    shutil.copyfile(FIX / "db" / "schema_v5.db", path)
    with Store(path) as s:
        people = {c.name: c for c in s.contacts(1)}
        assert (people["Old Timer"].strength, people["Report"].strength, people["Gone Champ"].strength) == (4, 3, 5)
        tasks_ = s.playbook_tasks()
        assert len(tasks_) == 16 and {t.departed_on for t in tasks_} == {date(2026, 2, 20)}
        assert sum(t.done for t in tasks_) == 3 and all(t.cancelled_on is None for t in tasks_)
        assert stored(path, "SELECT count(*) FROM verdict_cache")[0][0] == 0  # the rules changed
        s.save_contact(people["Report"].model_copy(update={"strength": None}))
        assert s.contact(people["Report"].id).strength is None
        with pytest.raises(sqlite3.IntegrityError, match="strength BETWEEN 1 AND 5"):  # the range check is still there
            stored(path, "UPDATE contacts SET strength = 7 WHERE id = 1")
        assert stored(path, "PRAGMA integrity_check")[0][0] == "ok"
        assert stored(path, "PRAGMA foreign_key_check") == []
    # another connection sees the new schema too
    raw = sqlite3.connect(path)
    raw.execute("INSERT INTO contacts (account_id, name) VALUES (1, 'Unrated')")
    assert raw.execute("SELECT strength FROM contacts WHERE name = 'Unrated'").fetchone() == (None,)
