"""The day's verdict cache never serves a stale verdict."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

from stakeworks.db.store import Store
from stakeworks.domain.models import Role, Touch
from stakeworks.domain.portfolio import summarize
from stakeworks.services import accounts as services
from tests.conftest import stored

TODAY = date(2026, 11, 1)


def _fresh(s: Store, today: date) -> dict[int, tuple]:
    rows = summarize(s.account_rows(), s.contact_rows(), today, s.settings())
    return {r.id: (r.score, r.risk, r.bus_factor, r.factor_codes) for r in rows}


def _served(s: Store, today: date) -> dict[int, tuple]:
    return {r.id: (r.score, r.risk, r.bus_factor, r.factor_codes) for r in services.portfolio(s, today)}


def test_cache_matches_fresh_computation_after_random_edits(sample_copy: Path):
    rng = random.Random(4)
    with Store(sample_copy) as s:
        assert _served(s, TODAY) == _fresh(s, TODAY)  # cold
        assert stored(sample_copy, "SELECT count(*) FROM verdict_cache")[0][0] == 40
        ids = [i for i, _ in s.account_names()]
        for step in range(40):
            account_id = rng.choice(ids)
            contacts = s.contacts(account_id)
            action = step % 5
            if action == 0 and contacts:
                c = rng.choice(contacts)
                s.save_contact(c.model_copy(update={"strength": rng.randint(1, 5)}))
            elif action == 1 and contacts:
                c = rng.choice(contacts)
                s.save_contact(c.model_copy(update={"roles": frozenset(rng.sample(list(Role), 2))}))
            elif action == 2 and contacts:
                s.add_touch(Touch(contact_id=rng.choice(contacts).id, date=TODAY, kind="call"))
            elif action == 3:
                a = s.account(account_id)
                s.save_account(a.model_copy(update={"renewal_date": TODAY + timedelta(days=rng.randint(0, 120))}))
            elif contacts:
                s.delete_contact(rng.choice(contacts).id)  # type: ignore[arg-type]
            assert _served(s, TODAY) == _fresh(s, TODAY), f"step {step}"
        # A new day makes every cached verdict stale (people become overdue with time).
        later = TODAY + timedelta(days=45)
        assert _served(s, later) == _fresh(s, later)
        # New settings too.
        s.set_meta("settings", '{"engaged_min_strength": 4}')
        assert _served(s, later) == _fresh(s, later)
