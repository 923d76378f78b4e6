"""Property tests of the rules engine (hypothesis)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stakeworks.db.store import Store
from stakeworks.domain.models import Contact, Role
from stakeworks.domain.rules import FACTOR_LEVELS, LEVEL_ORDER, Assessment, assess, contact_state, whatif
from stakeworks.domain.rules.validity import valid_until
from tests.conftest import file_digest

TODAY = date(2026, 3, 10)

# A name a name input accepts: printable, not blank (drawn from printable characters, so the
# filter rarely rejects and hypothesis does not give up on examples).
NAME_ST = st.text(
    st.characters(
        codec="utf-8", exclude_categories=("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp", "Zs"), include_characters=" "
    ),
    min_size=1,
    max_size=12,
).filter(lambda s: s.strip() and s.isprintable())
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
    NAME_ST,
    st.sampled_from(["c_level", "vp", "director", "manager", "user"]),
    st.sets(st.sampled_from([r.value for r in Role]), max_size=3),
    st.one_of(st.none(), st.integers(1, 5)),
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
    low = 1 if target.strength is None else target.strength + 1
    stronger = target.model_copy(update={"strength": data.draw(st.integers(low, 5))})
    before = {f.code for f in assess(people, TODAY, renewal).factors if f.level == "high"}
    after = {
        f.code for f in assess([*people[:i], stronger, *people[i + 1 :]], TODAY, renewal).factors if f.level == "high"
    }
    assert after <= before


def less_engaged(c: Contact, how: str, data: st.DataObject) -> Contact | None:
    """The same contact a little less engaged (None when it cannot be: already at the bottom)."""
    if how == "weaker":
        if c.strength is None or c.strength == 1:
            return None
        return c.model_copy(update={"strength": data.draw(st.integers(1, c.strength - 1))})
    if how == "not_rated":
        return None if c.strength is None else c.model_copy(update={"strength": None})
    if c.last_touch is None:
        return None
    older = data.draw(st.one_of(st.none(), st.integers(1, 400)))  # None: the touch never happened
    return c.model_copy(update={"last_touch": None if older is None else c.last_touch - timedelta(days=older)})


@settings(deadline=None)  # a loaded 2-core CI box must not turn a slow example into a failure
@given(people_st, renewal_st, st.data())
def test_score_never_falls_when_a_contact_becomes_less_engaged(people, renewal, data):
    """Weaker, an older touch, or not rated, everything else equal: the score never falls, the
    risk never falls, and no high factor is lost without another taking its place. Revision 3
    has no exception: the last engaged contact leaving trades `single_department` for
    `nobody_engaged`."""
    if not people:
        return
    i = data.draw(st.integers(0, len(people) - 1))
    changed = less_engaged(people[i], data.draw(st.sampled_from(["weaker", "older", "not_rated"])), data)
    if changed is None:
        return
    before = assess(people, TODAY, renewal)
    after = assess([*people[:i], changed, *people[i + 1 :]], TODAY, renewal)
    assert LEVEL_ORDER[after.risk] >= LEVEL_ORDER[before.risk]
    assert sum(f.level == "high" for f in after.factors) >= sum(f.level == "high" for f in before.factors)
    assert after.score >= before.score


# -- the score gets better as the map does (DOMAIN revision 3, section 4) ------------------------

POSITIVE_ROLES = ("champion", "economic_buyer", "decision_maker", "executive_sponsor")


def _unmanaged_detractor(c: Contact) -> bool:
    return ("detractor" in c.roles or c.sentiment == "detractor") and not c.engagement_strategy.strip()


def better_map(people: list[Contact], how: str, data: st.DataObject) -> list[Contact] | None:
    """The map after one change that makes it better (section 4's list), or None when that
    change cannot be made to these people or is one of the section's exceptions."""
    if how == "add":
        new = data.draw(contact_st.filter(lambda c: c.id not in {p.id for p in people}))
        return None if _unmanaged_detractor(new) else [*people, new]  # a detractor is news of risk
    if not people:
        return None
    i = data.draw(st.integers(0, len(people) - 1))
    c = people[i]
    if how == "touch":
        day = TODAY - timedelta(days=data.draw(st.integers(0, 500)))
        changed = c.model_copy(update={"last_touch": max(day, c.last_touch or day)})
    elif how == "rate":
        if c.strength == 5:
            return None
        changed = c.model_copy(update={"strength": data.draw(st.integers((c.strength or 0) + 1, 5))})
    elif how == "role":
        changed = c.model_copy(update={"roles": c.roles | {data.draw(st.sampled_from(POSITIVE_ROLES))}})
        if contact_state(changed, TODAY).overdue and not contact_state(c, TODAY).overdue:
            return None  # the role's shorter cadence reveals a lapse: news of risk
    else:  # "return": a departure ends
        if c.status != "departed" or _unmanaged_detractor(c):
            return None
        changed = c.model_copy(update={"status": "active", "departed_on": None})
    return [*people[:i], changed, *people[i + 1 :]]


@settings(max_examples=400, deadline=None)
@given(people_st, renewal_st, st.sampled_from(["touch", "rate", "add", "role", "return"]), st.data())
def test_a_better_map_never_scores_worse(people, renewal, how, data):
    """Touching a contact, rating one higher, adding one, giving one of the four positive roles
    (unless its cadence makes them overdue), ending a departure: the score never rises, nor the risk."""
    better = better_map(people, how, data)
    if better is None:
        return
    before = assess(people, TODAY, renewal)
    after = assess(better, TODAY, renewal)
    why = (how, before.factor_codes, after.factor_codes)
    assert after.score <= before.score, why
    # Under the cap too (most random accounts score 100): the points never rise either.
    assert _points(after) <= _points(before), why
    assert LEVEL_ORDER[after.risk] <= LEVEL_ORDER[before.risk], why


def _points(a: Assessment) -> int:
    return sum(30 if f.level == "high" else 12 if f.level == "medium" else 0 for f in a.factors)


@given(people_st, renewal_st)
def test_families_fire_at_most_one_each(people, renewal):
    codes = set(assess(people, TODAY, renewal).factor_codes)
    assert len(codes & {"champion_departed", "no_champion", "champion_overdue", "champion_weak"}) <= 1
    assert len(codes & {"no_executive_sponsor", "sponsor_overdue"}) <= 1
    engaged_champion = any(contact_state(c, TODAY).engaged and "champion" in c.roles for c in people)
    assert bool(codes & {"champion_departed", "no_champion", "champion_overdue", "champion_weak"}) != engaged_champion


@given(people_st, renewal_st, st.data())
def test_whatif_matches_a_real_departure(people, renewal, data):
    if not people:
        return
    target = people[data.draw(st.integers(0, len(people) - 1))]
    sim = whatif(people, target.id, TODAY, renewal)
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
            whatif(contacts, c.id, TODAY, s.account(account_id).renewal_date)
    assert file_digest(sample_copy) == before


# -- how long a verdict holds (issue 20: the cache serves every day up to valid_until) -----

future_contact_st = st.builds(
    lambda c, touch, left: c.model_copy(
        update={
            "last_touch": None if touch is None else TODAY - timedelta(days=touch),
            "departed_on": None if c.status != "departed" else TODAY - timedelta(days=left),
        }
    ),  # fmt: skip
    contact_st,
    st.one_of(st.none(), st.integers(-60, 500)),  # a touch logged ahead of today included
    st.integers(-30, 400),
)


def _verdict(people: list[Contact], day: date, renewal: date | None) -> tuple[object, ...]:
    a = assess(people, day, renewal)
    return a.score, a.risk, a.bus_factor, a.factor_codes


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)  # a loaded CI box
@given(st.lists(future_contact_st, max_size=8, unique_by=lambda c: c.id), renewal_st)
def test_a_verdict_is_the_same_every_day_until_its_valid_until(people, renewal):
    until = valid_until(people, TODAY, renewal)
    first = _verdict(people, TODAY, renewal)
    last = min(until, TODAY + timedelta(days=800))
    day = TODAY
    while day <= last:
        assert _verdict(people, day, renewal) == first, (day, until)
        day += timedelta(days=1)
    # It is no longer than it must be: the day after, something can differ (never just "forever").
    assert until == date.max or until < TODAY + timedelta(days=2000)


def test_a_decision_makers_touch_leaving_the_renewal_window_ends_the_verdict():
    """Renewal in 40 days, a C-level decision maker touched 51 days ago: on time for their own
    threshold, but 40 days on the touch is past the 90-day renewal window and the renewal is no
    longer covered: the verdict must end the day before."""
    maker = Contact(id=1, name="Ada", level="c_level", roles=frozenset({Role.DECISION_MAKER}), strength=4,
                    last_touch=TODAY - timedelta(days=51))  # fmt: skip
    renewal = TODAY + timedelta(days=40)
    until = valid_until([maker], TODAY, renewal)
    assert _verdict([maker], until, renewal) == _verdict([maker], TODAY, renewal)
    assert _verdict([maker], until + timedelta(days=1), renewal) != _verdict([maker], TODAY, renewal)
    assert until == TODAY - timedelta(days=51) + timedelta(days=90)
