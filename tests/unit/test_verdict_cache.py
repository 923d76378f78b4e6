"""The day's verdict cache never serves a stale verdict."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

from stakeworks.db.store import Store
from stakeworks.domain.influence import lines_by_account
from stakeworks.domain.models import Role, Touch
from stakeworks.domain.portfolio import summarize
from stakeworks.domain.settings import Settings
from stakeworks.services import accounts as services
from tests.conftest import stored

TODAY = date(2026, 11, 1)


def _fresh(s: Store, today: date) -> dict[int, tuple]:
    # The demo has influence lines (a negative one makes a detractor, DOMAIN section 14).
    lines = lines_by_account(s.influences())
    rows = summarize(s.account_rows(), s.contact_rows(), today, s.settings(), influences=lines)
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
                s.delete_contact(rng.choice(contacts).id)
            assert _served(s, TODAY) == _fresh(s, TODAY), f"step {step}"
        # A new day makes every cached verdict stale (people become overdue with time).
        later = TODAY + timedelta(days=45)
        assert _served(s, later) == _fresh(s, later)
        # New settings too.
        s.set_meta("settings", '{"engaged_min_strength": 4}')
        assert _served(s, later) == _fresh(s, later)


def test_every_later_day_serves_what_a_fresh_computation_says_recomputing_only_what_crossed(
    sample_copy: Path, monkeypatch
):
    """Issue 20: the first look of a morning. A verdict holds until the day before one of its
    comparisons can change (domain/rules/validity.py); each day up to 120 days on, what is
    served equals the rules run fresh, only the accounts whose verdict could change are
    assessed again, and each day gets its score in the trend."""
    assessed: list[int] = []

    def counting(accounts, *args, **kwargs):
        assessed.extend(a.id for a in accounts)
        return summarize(accounts, *args, **kwargs)

    monkeypatch.setattr(services, "summarize", counting)
    with Store(sample_copy) as s:
        total = len(s.account_names())
        assert _served(s, TODAY) == _fresh(s, TODAY)
        assert len(assessed) == total  # a cold start computes everything once
        recomputed = []
        for ahead in range(1, 121):
            day = TODAY + timedelta(days=ahead)
            assessed.clear()
            assert _served(s, day) == _fresh(s, day), day
            recomputed.append(len(assessed))
            assert stored(sample_copy, "SELECT count(*) FROM score_history WHERE day = ?", (day.isoformat(),)) == [
                (total,)
            ]
        # The day after, most verdicts still hold; over four months, far fewer than a full
        # recomputation every morning (40 x 120).
        assert recomputed[0] < total // 4
        assert sum(recomputed) < total * 120 // 4


def test_a_verdict_kept_under_older_rules_is_never_served(sample_copy: Path):
    """Issue 30: a store filled before rules revision 3 keeps verdicts keyed by its settings
    alone (and valid for months); none of them may be served after the upgrade."""
    with Store(sample_copy) as s:
        fresh = _fresh(s, TODAY)
        served = _served(s, TODAY)
        assert served == fresh
    old_key = Settings().to_json()  # what the key was before the rules' revision joined it
    stored(
        sample_copy,
        "UPDATE verdict_cache SET settings = ?, score = 84, factors = 'champion_departed thin_depth', "
        "valid_until = '9999-12-31'",
        (old_key,),
    )
    with Store(sample_copy) as s:
        assert _served(s, TODAY) == fresh
        assert not s.cached_verdicts(TODAY, old_key)  # replaced by today's, under the new key
        assert set(s.cached_verdicts(TODAY, services.verdict_key(s.settings()))) == set(fresh)


def test_a_cold_day_shares_one_factor_tuple_per_combination_as_a_warm_day_does(sample_copy: Path):
    with Store(sample_copy) as s:
        for rows in (services.portfolio(s, TODAY), services.portfolio(s, TODAY)):  # cold, then served from the cache
            by_codes: dict[tuple[str, ...], list] = {}
            for r in rows:
                by_codes.setdefault(tuple(r.factor_codes), []).append(r.factors)
            assert any(len(same) > 1 for same in by_codes.values())  # the sample has accounts alike
            assert all(f is same[0] for same in by_codes.values() for f in same)
            assert all(f.rationale == "" for r in rows for f in r.factors)


def test_some_accounts_verdicts_are_the_portfolios_rows_of_them(sample_copy: Path, monkeypatch):
    """`summaries_of` (what `handover` reads) reads only the accounts given, a slice of ids per
    statement, and serves the same verdicts as the portfolio: cached ones and one made stale."""
    import stakeworks.db.repository as repository

    monkeypatch.setattr(repository, "IDS_PER_STATEMENT", 7)  # 40 accounts: several slices
    with Store(sample_copy) as s:
        everyone = {r.id: r for r in services.portfolio(s, TODAY, record=False, trends=False)}
        ids = sorted(everyone)[3:]
        (c, *_) = s.contacts(ids[0])
        s.save_contact(c.model_copy(update={"strength": 1 if c.strength != 1 else 5}))  # its verdict is dropped
        some = services.summaries_of(s, ids, TODAY)  # computes the stale one
        fresh = {r.id: r for r in services.portfolio(s, TODAY, record=False, trends=False)}
        assert [r.id for r in some] == [r.id for r in fresh.values() if r.id in set(ids)]  # triage order kept
        assert [(r.name, r.arr, r.risk, r.score, r.sponsors) for r in some] == [
            (fresh[r.id].name, fresh[r.id].arr, fresh[r.id].risk, fresh[r.id].score, fresh[r.id].sponsors) for r in some
        ]
        assert services.summaries_of(s, [], TODAY) == []
