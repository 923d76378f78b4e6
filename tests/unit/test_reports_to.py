"""One reports-to rule (stakeworks/domain/reports_to.py): the store refuses what the maps leave out."""

from __future__ import annotations

from pathlib import Path

import pytest

from stakeworks.db import postgres_schema, schema
from stakeworks.db.store import Store
from stakeworks.domain.errors import InputError
from stakeworks.domain.models import Account, Contact, Level
from stakeworks.domain.reports_to import CYCLE, SAME_ACCOUNT, drawn_manager, link_problem, loops


def test_loops_follows_managers_up_and_stops_at_strangers() -> None:
    assert not loops(1, {1: 2, 2: 3, 3: None})
    assert not loops(1, {1: 2, 2: 99})  # 99 is another account's person: the walk stops there
    assert loops(1, {1: 2, 2: 3, 3: 1})
    assert loops(1, {1: 2, 2: 3, 3: 2})  # a loop above them, not through them
    assert loops(1, {1: 1})


def test_link_problem_names_the_other_account_and_the_cycle() -> None:
    above = {2: (10, 3), 3: (10, None)}
    assert link_problem(1, 10, 2, above) is None
    assert link_problem(1, 10, None, {}) is None
    assert link_problem(1, 11, 2, above) == SAME_ACCOUNT
    assert link_problem(1, 10, 7, above) == SAME_ACCOUNT  # nobody by that id
    assert link_problem(3, 10, 2, above) == CYCLE  # 2 reports to 3 already
    assert link_problem(2, 10, 2, {2: (10, None)}) == CYCLE
    assert link_problem(None, 10, 2, above) is None  # a new contact is under nobody yet


def test_drawn_manager_leaves_out_a_link_whose_chain_loops() -> None:
    people = [
        Contact(id=1, account_id=1, name="Ann", level=Level.C_LEVEL),
        Contact(id=2, account_id=1, name="Bo", reports_to_id=1),
        Contact(id=3, account_id=1, name="Cy", reports_to_id=4),
        Contact(id=4, account_id=1, name="Di", reports_to_id=3),
        Contact(id=5, account_id=1, name="Ed", reports_to_id=3),
        Contact(id=6, account_id=1, name="Fi", reports_to_id=42),
    ]
    by_id = {c.id: c for c in people}
    drawn = {c.name: (boss.name if (boss := drawn_manager(c, by_id)) else None) for c in people}
    assert drawn == {"Ann": None, "Bo": "Ann", "Cy": None, "Di": None, "Ed": None, "Fi": None}


def test_the_store_refuses_with_the_rules_words(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        a = store.create_account(Account(name="A"))
        b = store.create_account(Account(name="B"))
        boss = store.save_contact(Contact(account_id=a, name="Boss"))
        mid = store.save_contact(Contact(account_id=a, name="Mid", reports_to_id=boss.id))
        low = store.save_contact(Contact(account_id=a, name="Low", reports_to_id=mid.id))
        with pytest.raises(InputError, match=CYCLE):
            store.save_contact(boss.model_copy(update={"reports_to_id": low.id}))
        with pytest.raises(InputError, match=CYCLE):
            store.save_contact(boss.model_copy(update={"reports_to_id": boss.id}))
        other = store.save_contact(Contact(account_id=b, name="Other"))
        with pytest.raises(InputError, match=SAME_ACCOUNT):
            store.save_contact(other.model_copy(update={"reports_to_id": low.id}))
        assert store.contact(boss.id).reports_to_id is None
        assert store.contact(other.id).reports_to_id is None


def test_the_schemas_guard_bulk_writes_with_the_same_words() -> None:
    """Imports and loads write links in bulk and meet the triggers, not the check above: both
    backends' triggers must say what the rule says."""
    server = "\n".join(postgres_schema.statements())
    for words in (CYCLE, SAME_ACCOUNT):
        assert f"'{words}'" in schema.V1
        assert f"'{words}'" in server
