"""Property tests of the rules engine (hypothesis)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stakeworks.db.store import Store
from stakeworks.domain.models import Contact, Role
from stakeworks.domain.rules import FACTOR_LEVELS, LEVEL_ORDER, assess, whatif
from tests.conftest import file_digest

TODAY = date(2026, 3, 10)

contact_st = st.builds(
    lambda i, name, level, roles, strength, status, sentiment, days, dept, strategy: Contact(
        id=i,
        name=name,
        level=level,
        roles=frozenset(roles),
        strength=strength,
        status=status,
        sentiment=sentiment,
        last_touch=None if days is None else TODAY - timedelta(days=days),
        department=dept,
        engagement_strategy=strategy,
        departed_on=TODAY - timedelta(days=days or 0) if status == "departed" else None,
    ),  # fmt: skip
    st.integers(1, 10**6),
    st.text(min_size=1, max_size=12).filter(str.strip),
    st.sampled_from(["c_level", "vp", "director", "manager", "user"]),
    st.sets(st.sampled_from([r.value for r in Role]), max_size=3),
    st.integers(1, 5),
    st.sampled_from(["active", "active", "not_engaged", "departed"]),
    st.sampled_from(["advocate", "supportive", "neutral", "resistant", "detractor"]),
    st.one_of(st.none(), st.integers(0, 500)),
    st.sampled_from(["", "Engineering", "engineering ", "Finance", "Ops"]),
    st.sampled_from(["", "plan"]),
)
people_st = st.lists(contact_st, max_size=8, unique_by=lambda c: c.id)
renewal_st = st.one_of(st.none(), st.integers(-30, 200).map(lambda d: TODAY + timedelta(days=d)))


@given(people_st, renewal_st)
def test_risk_is_highest_factor_and_score_is_the_points(people, renewal):
    a = assess(people, TODAY, renewal)
    levels = [f.level for f in a.factors]
    assert a.risk == max(levels, key=LEVEL_ORDER.__getitem__, default="low")
    points = sum(30 if lv == "high" else 12 if lv == "medium" else 0 for lv in levels)
    assert 0 <= a.score <= 100 and a.score == min(100, points)
    assert all(FACTOR_LEVELS[f.code] == f.level for f in a.factors)
    assert len({f.code for f in a.factors}) == len(a.factors)


@given(people_st, renewal_st, st.data())
def test_raising_strength_never_adds_a_high_factor(people, renewal, data):
    if not people:
        return
    i = data.draw(st.integers(0, len(people) - 1))
    target = people[i]
    if target.strength == 5:
        return
    stronger = target.model_copy(update={"strength": data.draw(st.integers(target.strength + 1, 5))})
    before = {f.code for f in assess(people, TODAY, renewal).factors if f.level == "high"}
    after = {
        f.code for f in assess([*people[:i], stronger, *people[i + 1 :]], TODAY, renewal).factors if f.level == "high"
    }
    assert after <= before


@given(people_st, renewal_st, st.data())
def test_whatif_matches_a_real_departure(people, renewal, data):
    if not people:
        return
    target = people[data.draw(st.integers(0, len(people) - 1))]
    sim = whatif(people, target.id, TODAY, renewal)  # type: ignore[arg-type]
    gone = target.model_copy(update={"status": "departed", "departed_on": TODAY})
    real = assess([gone if c.id == target.id else c for c in people], TODAY, renewal)
    assert sim.after.factor_codes == real.factor_codes and sim.after.score == real.score


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(st.integers(0, 39), st.integers(0, 20))
def test_whatif_never_writes(sample_copy: Path, account_index: int, contact_index: int):
    Store(sample_copy).close()  # first open switches the copy to WAL: a one-time header change
    before = file_digest(sample_copy)
    with Store(sample_copy) as s:
        ids = [i for i, _ in s.account_names()]
        account_id = ids[account_index % len(ids)]
        contacts = s.contacts(account_id)
        if contacts:
            c = contacts[contact_index % len(contacts)]
            whatif(contacts, c.id, TODAY, s.account(account_id).renewal_date)  # type: ignore[arg-type]
    assert file_digest(sample_copy) == before
