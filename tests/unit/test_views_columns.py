"""The views computed ahead, held as columns: the same rows, in the same order, as the rules engine's."""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import pytest

from stakeworks.db.store import Store
from stakeworks.domain.cadence import cadence
from stakeworks.domain.heatmap import PERSONAS, account_row
from stakeworks.services import accounts as services
from stakeworks.services import portfolio_views
from stakeworks.services.portfolio_views import IdKeys
from stakeworks.services.slices import contact_slices
from tests.conftest import TODAY


def _as_domain(store: Store) -> list[tuple[object, ...]]:
    items = cadence(services.account_labels(store), store.contact_rows(), TODAY, store.settings())
    return [
        (i.account_id, i.contact.id, i.contact.name, i.contact.roles, i.priority, i.threshold_days,
         i.days_since_touch, i.due_in, i.overdue)
        for i in items
    ]  # fmt: skip


@pytest.mark.parametrize("accounts_a_slice", [1000, 3])
def test_cadence_columns_equal_the_rules_engine_in_order(
    sample_copy: Path, monkeypatch: pytest.MonkeyPatch, accounts_a_slice: int
):
    # Slices of 3 accounts: the columns of many slices are merged in cadence order.
    monkeypatch.setattr(portfolio_views, "contact_slices", functools.partial(contact_slices, size=accounts_a_slice))
    with Store(sample_copy) as store:
        data = portfolio_views.cadence_data(store, TODAY, store.settings())
        expected = _as_domain(store)
        names = dict(store.account_names())
    rows = [
        (d.account_id, d.contact_id, d.name, d.roles, d.priority, d.threshold_days, d.days_since_touch, d.due_in,
         d.overdue)
        for d in data
    ]  # fmt: skip
    assert len(rows) > 20 and rows == expected
    assert [d.account for d in data] == [names[d.account_id] for d in data]
    assert list(data.keys) == [str(d.contact_id) for d in data]
    assert data.overdue == sum(1 for r in expected if r[-1]) > 0


def test_cadence_of_some_accounts_keeps_their_rows_in_order(sample_copy: Path):
    with Store(sample_copy) as store:
        data = portfolio_views.cadence_data(store, TODAY, store.settings())
    wanted = {data[0].account_id, data[len(data) - 1].account_id}
    some = data.of_accounts(wanted.__contains__)
    assert 0 < len(some) < len(data)
    assert list(some) == [d for d in data if d.account_id in wanted]
    assert some.overdue == sum(1 for d in some if d.overdue)
    assert len(data.of_accounts(lambda a: False)) == 0 and data.of_accounts(lambda a: False).keys[:] == []


def test_id_keys_find_a_key_without_making_every_string():
    keys = IdKeys(np.array([7, 42, 9, 42], dtype=np.int64))
    assert keys[1] == "42" and keys[-1] == "42" and keys[1:3] == ["42", "9"] and len(keys) == 4
    assert keys.index("42") == 1 and keys.index("42", 2) == 3 and keys.index("9") == 2
    for missing in ("8", "seen:x"):
        with pytest.raises(ValueError):
            keys.index(missing)


def test_heatmap_columns_equal_the_rules_engine_and_filter_by_tier_region_and_csm(sample_copy: Path):
    with Store(sample_copy) as store:
        data = portfolio_views.heatmap_data(store, TODAY, store.settings())
        accounts = {a.id: a for a in store.account_rows()}
        contacts, settings = store.contact_rows(), store.settings()
    assert len(data) == len(accounts) == 40
    assert data.names == sorted(data.names, key=str.casefold)
    for row, account_id in enumerate(data.account_ids.tolist()):
        assert data.names[row] == accounts[account_id].name and data.keys[row] == str(account_id)
        expected = account_row(contacts.get(account_id, []), TODAY, settings)
        for p in PERSONAS:
            cell = data.cell(row, p)
            assert (cell.state, cell.strength, cell.contact_id) == (
                expected[p].state, expected[p].strength, expected[p].contact_id
            ), (accounts[account_id].name, p)  # fmt: skip
    engaged = {p: sum(1 for r in range(len(data)) if data.cell(r, p).state == "engaged") for p in PERSONAS}
    assert data.totals == engaged and sum(engaged.values()) > 0
    a = accounts[int(data.account_ids[0])]
    some = data.rows(data.where(a.tier, None, a.csm))
    assert 0 < len(some) < len(data)
    assert all(accounts[i].tier == a.tier and accounts[i].csm == a.csm for i in some.account_ids.tolist())
    assert len(some) == sum(1 for x in accounts.values() if (x.tier, x.csm) == (a.tier, a.csm))
    assert some.totals == {p: sum(1 for r in range(len(some)) if some.cell(r, p).state == "engaged") for p in PERSONAS}
    assert len(data.rows(data.where(None, "nowhere", None))) == 0
