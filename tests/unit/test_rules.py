"""Each factor fires and does not fire at its boundaries (DOMAIN sections 2-4)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from stakeworks.domain.models import Contact
from stakeworks.domain.rules import (
    assess,
    contact_state,
    coverage_grid,
    key_people,
    strength_dots,
    threshold_days,
    whatif,
)
from stakeworks.domain.settings import Settings
from stakeworks.domain.vocab import Band

TODAY = date(2026, 3, 10)
_ids = iter(range(1, 10_000))


def person(
    name: str = "P",
    *,
    roles: tuple[str, ...] = (),
    level: str = "manager",
    dept: str = "Engineering",
    strength: int = 4,
    days: int | None = 5,
    status: str = "active",
    sentiment: str = "neutral",
    strategy: str = "",
    departed_days: int | None = None,
) -> Contact:
    return Contact(
        id=next(_ids), name=name, roles=frozenset(roles), level=level, department=dept, strength=strength,
        last_touch=None if days is None else TODAY - timedelta(days=days), status=status, sentiment=sentiment,
        engagement_strategy=strategy,
        departed_on=None if departed_days is None else TODAY - timedelta(days=departed_days),
    )  # fmt: skip


def codes(contacts, renewal=None, today=TODAY):
    return assess(contacts, today, renewal).factor_codes


def test_threshold_is_smallest_applicable():
    assert threshold_days("c_level", ["economic_buyer"]) == 90
    assert threshold_days("vp", ["champion"]) == 30
    assert threshold_days("director", []) == 91
    assert threshold_days("user", []) is None
    assert threshold_days("user", ["executive_sponsor"]) == 90


def test_each_settings_object_gets_its_own_thresholds():
    """contact_state remembers thresholds per Settings object: new settings are never answered from old ones."""
    c = person(level="manager", days=40)
    assert contact_state(c, TODAY).overdue is True  # manager: 30 days by default
    relaxed = Settings(level_threshold_days={**Settings().level_threshold_days, "manager": 60})
    assert contact_state(c, TODAY, relaxed).threshold_days == 60
    assert contact_state(c, TODAY, relaxed).overdue is False
    assert contact_state(c, TODAY).overdue is True
    for _ in range(40):  # many short-lived settings objects: ids get reused, answers must not
        strict = Settings(level_threshold_days={**Settings().level_threshold_days, "manager": 10})
        assert contact_state(person(level="manager", days=20), TODAY, strict).overdue is True
        del strict


@pytest.mark.parametrize(("days", "overdue"), [(30, False), (31, True)])
def test_thirty_days_is_on_time_thirty_one_is_overdue(days, overdue):
    c = person(roles=("champion",), days=days)
    assert contact_state(c, TODAY).overdue is overdue
    assert ("champion_overdue" in codes([c])) is overdue


def test_never_touched_with_threshold_is_overdue_user_without_threshold_never():
    assert contact_state(person(days=None), TODAY).overdue
    assert not contact_state(person(level="user", days=None), TODAY).overdue


@pytest.mark.parametrize(("strength", "engaged"), [(2, False), (3, True)])
def test_strength_two_is_not_engaged_three_is(strength, engaged):
    eb = person(roles=("economic_buyer",), level="c_level", strength=strength)
    assert contact_state(eb, TODAY).engaged is engaged
    assert ("no_economic_buyer_engaged" in codes([eb, person()])) is not engaged


def test_single_department_one_vs_two_departments():
    same = [person("A", dept="Engineering"), person("B", dept=" engineering ")]
    assert "single_department" in codes(same)
    two = [person("A", dept="Engineering"), person("B", dept="Finance")]
    assert "single_department" not in codes(two)
    # one engaged contact is not "all in one department"
    assert "single_department" not in codes([person("A")])


@pytest.mark.parametrize(("renewal_in", "fires"), [(90, True), (91, False), (0, True), (-1, False)])
def test_renewal_near_uncovered_window(renewal_in, fires):
    eb = person(roles=("economic_buyer",), level="c_level", days=120)
    found = "renewal_near_uncovered" in codes([eb, person()], renewal=TODAY + timedelta(days=renewal_in))
    assert found is fires


@pytest.mark.parametrize(("touched", "fires"), [(90, False), (91, True)])
def test_renewal_near_covered_by_recent_touch(touched, fires):
    dm = person(roles=("decision_maker",), level="c_level", days=touched, strength=2)
    assert ("renewal_near_uncovered" in codes([dm, person()], renewal=TODAY + timedelta(days=30))) is fires


def test_no_contacts_and_single_contact():
    assert "no_contacts" in codes([])
    assert "no_contacts" in codes([person(status="not_engaged")])
    assert "single_contact" in codes([person()])
    assert not {"no_contacts", "single_contact"} & set(codes([person("A"), person("B")]))


@pytest.mark.parametrize(("departed", "fires"), [(90, True), (91, False)])
def test_champion_departed_window(departed, fires):
    gone = person("Gone", roles=("champion",), status="departed", departed_days=departed)
    assert ("champion_departed" in codes([gone, person("X"), person("Y")])) is fires


def test_champion_departed_silent_when_an_engaged_champion_is_in_place():
    gone = person("Gone", roles=("champion",), status="departed", departed_days=5)
    new = person("New", roles=("champion",))
    assert "champion_departed" not in codes([gone, new, person("Y")])


def test_champion_overdue_only_when_every_champion_is():
    a = person("A", roles=("champion",), days=40)
    b = person("B", roles=("champion",), days=10)
    assert "champion_overdue" not in codes([a, b])
    assert "champion_overdue" in codes([a])


@pytest.mark.parametrize(("days", "fires"), [(90, False), (91, True)])
def test_sponsor_overdue(days, fires):
    s = person(roles=("executive_sponsor",), level="c_level", days=days)
    assert ("sponsor_overdue" in codes([s, person()])) is fires


def test_no_executive_sponsor_counts_active_only():
    s = person(roles=("executive_sponsor",), level="c_level", status="not_engaged")
    assert "no_executive_sponsor" in codes([s, person()])
    assert "no_executive_sponsor" not in codes([person(roles=("executive_sponsor",), level="c_level"), person()])


def test_thin_depth_needs_all_three_bands():
    two = [person(level="vp"), person(level="manager")]
    assert "thin_depth" in codes(two)
    three = [person(level="c_level"), person(level="vp"), person(level="user")]
    assert "thin_depth" not in codes(three)


def test_unmanaged_detractor_by_role_or_sentiment():
    assert "unmanaged_detractor" in codes([person(sentiment="detractor"), person()])
    assert "unmanaged_detractor" in codes([person(roles=("detractor",)), person()])
    assert "unmanaged_detractor" not in codes([person(roles=("detractor",), strategy="Workshop"), person()])
    assert "unmanaged_detractor" not in codes([person(roles=("detractor",), strategy="   ")] * 0 + [person()])


def test_multi_threaded_boundaries():
    base = [person("A", level="vp", dept="Eng"), person("B", level="manager", dept="Fin")]
    assert "multi_threaded" not in codes(base)
    third = person("C", level="manager", dept="Eng")
    assert "multi_threaded" in codes([*base, third])
    flat = [person(n, level="manager", dept=d) for n, d in (("A", "Eng"), ("B", "Fin"), ("C", "Ops"))]
    assert "multi_threaded" not in codes(flat)


def test_risk_is_low_when_only_multi_threaded_and_score_capped():
    healthy = [
        person("CEO", level="c_level", dept="Exec", roles=("executive_sponsor",)),
        person("CFO", level="c_level", dept="Finance", roles=("economic_buyer",)),
        person("VP", level="vp", dept="Eng", roles=("champion",)),
        person("U", level="user", dept="Eng"),
    ]
    a = assess(healthy, TODAY)
    assert a.factor_codes == ["multi_threaded"] and a.risk == "low" and a.score == 0
    worst = assess([], TODAY, TODAY + timedelta(days=10))
    assert worst.score == min(100, sum(30 if f.level == "high" else 12 for f in worst.factors))


def test_decision_maker_stand_in_and_window():
    eb = person("EB", roles=("economic_buyer",), level="c_level", strength=2, days=365)
    assert assess([eb], TODAY).coverage["decision_maker"].status == "ok"
    old = person("EB", roles=("economic_buyer",), level="c_level", strength=2, days=366)
    assert assess([old], TODAY).coverage["decision_maker"].status == "gap"
    assert assess([person()], TODAY).coverage["decision_maker"].status == "missing"


def test_bus_factor_counts_distinct_people():
    both = person("Both", roles=("champion", "economic_buyer"))
    assert assess([both], TODAY).bus_factor == 1
    assert assess([both, person("EB", roles=("economic_buyer",))], TODAY).bus_factor == 2
    assert assess([person()], TODAY).bus_factor == 0


def test_key_people_filter_matches_brute_force():
    import random

    rng = random.Random(3)
    roles = ("champion", "economic_buyer", "decision_maker", "executive_sponsor", "end_user", "influencer")
    for _ in range(150):
        people = [
            person(
                f"P{i}", roles=tuple(rng.sample(roles, rng.randint(0, 2))), level=rng.choice(("c_level", "vp", "manager", "user")),
                dept=rng.choice(("A", "B")), strength=rng.randint(1, 5), days=rng.choice((None, 5, 40, 100, 400)),
                status=rng.choice(("active", "active", "not_engaged", "departed")), departed_days=10,
            )
            for i in range(rng.randint(0, 6))
        ]  # fmt: skip
        renewal = TODAY + timedelta(days=rng.randint(0, 120))
        brute = {
            c.id for c in people if c.status != "departed" and whatif(people, c.id or 0, TODAY, renewal).key_person
        }
        assert key_people(people, TODAY, renewal) == brute


def test_settings_change_thresholds():
    c = person(roles=("champion",), level="vp", days=40)
    assert contact_state(c, TODAY).overdue
    relaxed = Settings(role_threshold_days={"champion": 45, "economic_buyer": 90, "executive_sponsor": 90})
    assert not contact_state(c, TODAY, relaxed).overdue


def test_coverage_grid_shows_engaged_only_by_department_and_band():
    grid = coverage_grid(
        [
            person("A", level="vp", dept="Eng"),
            person("B", level="user", dept="eng"),
            person("C", strength=1, dept="Fin"),
        ],
        TODAY,
    )
    assert list(grid) == ["Eng"]
    assert [c.name for c in grid["Eng"][Band.SENIOR]] == ["A"] and grid["Eng"][Band.EXECUTIVE] == []


def test_strength_dots():
    assert strength_dots(3) == "●●●○○"
