"""The inbox's rows (services/inbox.py): a person seen at a domain many accounts share names the
first few accounts and how many more, not every one of them (issue 32's inbox at 10,000 accounts)."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from stakeworks.db.store import Store
from stakeworks.services import evidence, inbox
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


def test_the_compact_inbox_words_every_row_as_the_full_proposals_do(sample_copy: Path):
    """What the inbox keeps is trimmed and shared (it is computed ahead and kept); each row still
    says what the full proposals say, for a person seen with seven contacts under four names too."""
    with sqlite3.connect(sample_copy) as conn:
        account_id = conn.execute("SELECT account_id FROM contacts WHERE email <> '' GROUP BY account_id "
                                  "HAVING count(*) >= 7 ORDER BY account_id").fetchone()[0]  # fmt: skip
        conn.execute("UPDATE accounts SET domain = 'lee.example' WHERE id = ?", (account_id,))
        mapped = [r[0] for r in conn.execute("SELECT email FROM contacts WHERE account_id = ? AND email <> '' "
                                             "LIMIT 7", (account_id,))]  # fmt: skip
    assert len(mapped) >= 6
    with Store(sample_copy) as store:
        store.record_interactions([
            (f"mail:<m{n}@x>", "lee@lee.example", (TODAY - timedelta(days=n)).isoformat(), "from_them", "email",
             f"Lee {n % 4}", "", "") for n in range(1, 9)
        ] + [
            (f"mail:<m{n}@x>", email, (TODAY - timedelta(days=n)).isoformat(), "from_them", "email", "", "", "")
            for n, email in enumerate(mapped, start=1)
        ])  # fmt: skip
        accounts = dict(store.account_names())
        seen, suggested = evidence.seen(store, TODAY), evidence.suggestions(store, TODAY)
        names = store.contact_names_of([c for s in seen for c in s.with_contacts] + [s.contact_id for s in suggested])
        full = [inbox._seen_item(s, accounts, names) for s in seen]
        full += [inbox._suggestion_item(s, *names.get(s.contact_id, ("?", 0)), accounts) for s in suggested]
        kept = [i for i in inbox.items(store, TODAY) if i.kind != inbox.SIGNAL]
    assert any(len(s.with_contacts) > 5 and len(s.names) > 3 for s in seen)
    assert [(i.key, i.what, i.account, i.who, i.proposal, i.evidence) for i in kept] == [
        (i.key, i.what, i.account, i.who, i.proposal, i.evidence) for i in full
    ]


def test_the_inbox_keys_made_when_asked_find_each_row_and_nothing_else(sample_copy: Path):
    """The keys of the suggestions are numbers until asked for: each still names its row, is
    found where it is, and a key of no row (or no key at all) is not found."""
    with Store(sample_copy) as store:
        found = inbox.load(store, TODAY)
    keys = [i.key for i in found]
    assert any(k.startswith("suggestion:") for k in keys) and any(k.startswith("signal:") for k in keys)
    assert list(found.keys) == keys and found.keys[-2:] == keys[-2:] and found.keys[-1] == keys[-1]
    assert [found.keys.index(k) for k in keys] == list(range(len(keys)))
    assert all(k in found.keys for k in keys)
    last = keys[-1]
    for missing in ("suggestion:1", "suggestion:x", "seen:nobody@nowhere.example", last + "0"):
        assert missing not in found.keys
    assert found.keys.index(last, len(keys) - 1) == len(keys) - 1
    with pytest.raises(ValueError):
        found.keys.index(last, 0, len(keys) - 1)
