"""Undo of the last save or delete: every row back as it was, or a refusal that writes nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from stakeworks.db.store import Store
from stakeworks.db.undo import TRACKED
from stakeworks.domain.errors import Refusal
from stakeworks.domain.models import Account, Contact, PlanItem, Touch
from tests.conftest import BOTH_BACKENDS

pytestmark = BOTH_BACKENDS

NOT_COMPARED = {"version"}  # bumped by an undo on purpose: editors opened before it see a stale edit


def dump(store: Store) -> dict[str, list[tuple]]:
    """Every tracked table, row by row, in key order (versions left out); read with the raw connection,
    as the store's own tests do, to see every column."""
    out = {}
    for table, keys in TRACKED.items():
        cols = [r[1] for r in store.conn.execute(f"PRAGMA table_info({table})") if r[1] not in NOT_COMPARED]
        out[table] = store.conn.execute(f"SELECT {', '.join(cols)} FROM {table} ORDER BY {', '.join(keys)}").fetchall()
    return out


def northwind_id(store: Store) -> int:
    return next(i for i, n in store.account_names() if n == "Northwind")


def test_deleting_an_account_and_undoing_puts_every_row_back(sample_copy: Path):
    with Store(sample_copy) as s:
        before = dump(s)
        account = northwind_id(s)
        assert s.account_impact(account)["contacts"] > 0
        with s.undoable() as token:
            s.delete_account(account)
        assert not s.account_names(account)
        assert dump(s) != before
        s.undo(token)
        assert dump(s) == before
        with pytest.raises(Refusal, match="already undone"):
            s.undo(token)


def test_deleting_a_contact_takes_touches_roles_tasks_and_undo_restores_links(sample_copy: Path):
    with Store(sample_copy) as s:
        account = northwind_id(s)
        tom = next(c for c in s.contacts(account) if c.name == "Tom Chen")
        lisa = next(c for c in s.contacts(account) if c.name == "Lisa Park")
        s.save_contact(lisa.model_copy(update={"reports_to_id": tom.id}))
        s.save_plan_item(PlanItem(account_id=account, target_contact_id=tom.id, target_label="Tom", first_action="x"))
        before = dump(s)
        impact = s.contact_impact(tom.id)
        assert impact["touches"] > 0 and impact["reports"] == 1 and impact["plan_items"] >= 1
        with s.undoable() as token:
            s.delete_contact(tom.id)
        assert s.contact_impact(tom.id)["touches"] == 0
        assert s.contact(lisa.id).reports_to_id is None
        s.undo(token)
        assert dump(s) == before
        assert s.contact(lisa.id).reports_to_id == tom.id


def test_undoing_a_logged_touch_restores_the_last_touch(sample_copy: Path):
    with Store(sample_copy) as s:
        tom = next(c for c in s.contacts(northwind_id(s)) if c.name == "Tom Chen")
        before = dump(s)
        with s.undoable() as token:
            s.add_touch(Touch(contact_id=tom.id, date=date(2026, 10, 31), kind="meeting"))
        assert s.contact(tom.id).last_touch == date(2026, 10, 31)
        s.undo(token)
        assert dump(s) == before


def test_undoing_a_save_refuses_when_the_row_changed_since_and_writes_nothing(sample_copy: Path):
    with Store(sample_copy) as s:
        tom = next(c for c in s.contacts(northwind_id(s)) if c.name == "Tom Chen")
        with s.undoable() as token:
            tom = s.save_contact(tom.model_copy(update={"title": "CTO"}))
        s.save_contact(tom.model_copy(update={"title": "Chief Technology Officer"}))
        after = dump(s)
        with pytest.raises(Refusal, match="changed again since"):
            s.undo(token)
        assert dump(s) == after


def test_undoing_a_creation_refuses_when_records_were_added_to_it_since(tmp_path: Path):
    with Store(tmp_path / "s.db") as s:
        with s.undoable() as token:
            account = s.create_account(Account(name="Acme"))
        s.save_contact(Contact(account_id=account, name="Ann"))
        with pytest.raises(Refusal, match="added since depend on it"):
            s.undo(token)
        assert [c.name for c in s.contacts(account)] == ["Ann"]


def test_undoing_a_creation_removes_it(tmp_path: Path):
    with Store(tmp_path / "s.db") as s:
        with s.undoable() as token:
            s.create_account(Account(name="Acme", arr=1200.5))
        s.undo(token)
        assert s.account_names() == []


def test_undo_of_an_account_edit_bumps_the_version_so_open_editors_see_it(sample_copy: Path):
    with Store(sample_copy) as s:
        account = northwind_id(s)
        v0 = s.account_version(account)
        renewal = s.account(account).renewal_date
        assert renewal != date(2026, 12, 1)
        with s.undoable() as token:
            s.update_account(s.account(account).model_copy(update={"renewal_date": date(2026, 12, 1)}), v0)
        assert s.account_version(account) == v0 + 1
        s.undo(token)
        assert s.account(account).renewal_date == renewal
        assert s.account_version(account) == v0 + 2


def test_account_names_are_unique_in_any_case_and_stale_edits_are_refused(sample_copy: Path):
    from stakeworks.domain.errors import InputError, StaleEdit

    with Store(sample_copy) as s:
        with pytest.raises(InputError, match="Name: an account called Northwind already exists"):
            s.create_account(Account(name="NORTHWIND"))
        account = s.account(northwind_id(s))
        v = s.account_version(account.id)
        s.update_account(account.model_copy(update={"csm": "Someone Else"}), v)
        with pytest.raises(StaleEdit):
            s.update_account(account.model_copy(update={"csm": "Me"}), v)
        assert s.account(account.id).csm == "Someone Else"
