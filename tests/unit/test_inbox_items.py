"""The inbox's rows (services/inbox.py): a person seen at a domain many accounts share names the
first few accounts and how many more, not every one of them (issue 32's inbox at 10,000 accounts)."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

from stakeworks.db.store import Store
from stakeworks.services import inbox
from tests.conftest import TODAY


def test_a_person_seen_at_a_domain_five_accounts_share_names_three_and_counts_the_rest(sample_copy: Path):
    with sqlite3.connect(sample_copy) as conn:
        ids = [r[0] for r in conn.execute("SELECT id FROM accounts ORDER BY id LIMIT 5")]
        conn.executemany("UPDATE accounts SET domain = 'shared.example' WHERE id = ?", [(i,) for i in ids])
        names = dict(conn.execute("SELECT id, name FROM accounts"))
    with Store(sample_copy) as store:
        store.record_interactions([
            (f"mail:<s{n}@x>", "pat@shared.example", (TODAY - timedelta(days=n)).isoformat(), "from_them", "email",
             "Pat Shared", "", "") for n in (2, 6)
        ])  # fmt: skip
        item = next(i for i in inbox.items(store, TODAY) if i.key == "seen:pat@shared.example")
    assert item.account_id is None
    assert item.account == " / ".join(names[i] for i in ids[:3]) + " +2 more"
    assert "say which account" in item.proposal
