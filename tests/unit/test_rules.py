"""Each factor fires and does not fire at its boundaries (DOMAIN sections 2-4)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from stakeworks.domain.labels import FACTOR, label, risk_score, risk_score_change
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


def test_single_department_fires_from_one_engaged_contact_naming_them():
    """Revision 3: one engaged contact spans one department; a second in another ends it."""
    (f,) = [f for f in assess([person("Lisa Park")], TODAY).factors if f.code == "single_department"]
    assert f.level == "medium"
    assert f.rationale == "all engaged contacts in Engineering (Lisa Park): a reorg there could sever the relationship"
    assert "single_department" not in codes([person("Lisa Park"), person("Sarah Kim", dept="Finance")])


def test_single_department_blank_department_counts_as_none():
    blank = assess([person("Ann", dept="  "), person("Bo", dept="")], TODAY)
    (f,) = [f for f in blank.factors if f.code == "single_department"]
    assert f.rationale.startswith("no department recorded for the engaged contacts (Ann, Bo)")
    # Engineering and a blank span one department, not two
    assert "single_department" in codes([person("A", dept="Engineering"), person("B", dept=" ")])


def test_single_department_not_without_an_engaged_contact():
    cold = [person("A", strength=2), person("B", days=None)]
    assert "single_department" not in codes(cold) and "nobody_engaged" in codes(cold)


def test_nobody_engaged_names_each_person_with_why():
    cold = [person("Ann Lee", strength=2), person("Bo Li", days=None)]
    (f,) = [f for f in assess(cold, TODAY).factors if f.code == "nobody_engaged"]
    assert f.level == "high"
    assert f.rationale == "Ann Lee: strength 2 (weak); Bo Li: never touched"  # shown after the label
    assert "nobody_engaged" in codes([])  # also when there is nobody at all
    assert "nobody_engaged" in codes([person("Gone", status="departed", departed_days=3), person("P", strength=1)])
    assert "nobody_engaged" not in codes([person("Ann Lee", strength=2), person("Eve")])


@pytest.mark.parametrize("people", [[], [person("Ann Lee", strength=2)], [person("Bo Li", days=None)]])
def test_no_rationale_repeats_the_label_it_is_shown_after(people: list[Contact]):
    """Every screen shows 'Label: rationale'; 'Nobody engaged: nobody engaged: ...' read as a stutter."""
    for f in assess(people, TODAY).factors:
        assert not f.rationale.lower().startswith(label(FACTOR, f.code).lower()), f


def test_no_champion_fires_when_no_active_contact_holds_the_role():
    (f,) = [f for f in assess([person("A"), person("B")], TODAY).factors if f.code == "no_champion"]
    assert f.level == "high" and f.rationale == "no contact is a champion: nobody advocates for us"
    parked = person("Tom Chen", roles=("champion",), status="not_engaged")
    rationale = next(f.rationale for f in assess([parked, person()], TODAY).factors if f.code == "no_champion")
    assert rationale == "no active champion (Tom Chen: status not engaged): nobody advocates for us"
    long_gone = person("Old Champ", roles=("champion",), status="departed", departed_days=200)
    rationale = next(f.rationale for f in assess([long_gone, person()], TODAY).factors if f.code == "no_champion")
    assert "since Old Champ left" in rationale
    weak = person("W", roles=("champion",), strength=2)
    assert "no_champion" not in codes([weak, person()])  # an active champion, weak: champion_weak instead


@pytest.mark.parametrize(
    ("champions", "fired"),
    [
        ((), "no_champion"),
        (({"status": "departed", "departed_days": 10},), "champion_departed"),
        (({"status": "departed", "departed_days": 10}, {"days": 45}), "champion_departed"),  # departure before overdue
        (({"status": "departed", "departed_days": 10}, {"strength": 2}), "champion_departed"),
        (({"status": "departed", "departed_days": 120}, {"days": 45}), "champion_overdue"),
        (({"days": 45},), "champion_overdue"),
        (({"days": 45}, {"strength": 2}), "champion_weak"),
        (({"strength": None},), "champion_weak"),
        (({"days": 45}, {}), None),  # one engaged champion: nothing of the family
        (({"status": "departed", "departed_days": 10}, {}), None),
    ],
)
def test_champion_family_fires_at_most_one_the_first_that_holds(champions, fired):
    family = {"champion_departed", "no_champion", "champion_overdue", "champion_weak"}
    people = [person(f"C{i}", roles=("champion",), level="vp", **kw) for i, kw in enumerate(champions)]
    got = family & set(codes([*people, person("X"), person("Y")]))
    assert got == ({fired} if fired else set())


def test_sponsor_family_fires_at_most_one():
    late = person("Late", roles=("executive_sponsor",), level="c_level", days=120)
    parked = person("Parked", roles=("executive_sponsor",), level="c_level", status="not_engaged")
    assert {"no_executive_sponsor", "sponsor_overdue"} & set(codes([late, person()])) == {"sponsor_overdue"}
    assert {"no_executive_sponsor", "sponsor_overdue"} & set(codes([parked, person()])) == {"no_executive_sponsor"}
    fine = person("Fine", roles=("executive_sponsor",), level="c_level")
    assert not {"no_executive_sponsor", "sponsor_overdue"} & set(codes([late, fine, person()]))


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
    s = person("Ines Roth", roles=("executive_sponsor",), level="c_level", days=days)
    factors = {f.code: f for f in assess([s, person()], TODAY).factors}
    assert ("sponsor_overdue" in factors) is fires
    if fires:
        assert factors["sponsor_overdue"].level == "medium" and "Ines Roth" in factors["sponsor_overdue"].rationale


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


def test_a_touch_today_reads_today_not_0_days_ago():
    """Log a touch, look at coverage: 'touched 0 days ago' read like a bug; '1 days ago' too."""
    eb = person("Eve", roles=("economic_buyer",), level="c_level", strength=2, days=0)
    assert assess([eb], TODAY).coverage["decision_maker"].reason.startswith("Eve, economic buyer standing in")
    assert "touched today, " in assess([eb], TODAY).coverage["decision_maker"].reason
    yesterday = person("Eve", roles=("economic_buyer",), level="c_level", strength=2, days=1)
    assert "touched 1 day ago, " in assess([yesterday], TODAY).coverage["decision_maker"].reason


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


# -- DOMAIN section 7, revision 3 ------------------------------------------------------------

NORTHWIND_RENEWAL = date(2026, 9, 30)
TOM = Contact(id=1, name="Tom Chen", title="VP Engineering", level="vp", department="Engineering",
              roles={"champion"}, strength=5, sentiment="advocate", last_touch=date(2026, 3, 1))  # fmt: skip
SARAH = Contact(id=2, name="Sarah Kim", title="CFO", level="c_level", department="Finance",
                roles={"economic_buyer"}, strength=2, sentiment="neutral", last_touch=date(2025, 12, 15))  # fmt: skip
LISA = Contact(id=3, name="Lisa Park", title="Engineering Manager", level="manager", department="Engineering",
               roles={"technical_lead"}, strength=3, sentiment="supportive", last_touch=date(2026, 3, 5))  # fmt: skip


def test_worked_example_scores_66_then_96_with_tom_gone_or_weak():
    now = assess([TOM, SARAH, LISA], TODAY, NORTHWIND_RENEWAL)
    assert (now.risk, now.score, now.bus_factor) == ("high", 66, 1)
    assert now.factor_codes == ["no_economic_buyer_engaged", "no_executive_sponsor", "single_department", "thin_depth"]
    gone = whatif([TOM, SARAH, LISA], TOM.id, TODAY, NORTHWIND_RENEWAL)  # type: ignore[arg-type]
    assert gone.key_person and gone.after.score == 96
    assert [f.code for f in gone.added_factors] == ["champion_departed"] and gone.removed_factors == []
    assert "single_department" in gone.after.factor_codes  # Lisa, the one engaged contact left, is in Engineering
    weak = assess([TOM.model_copy(update={"strength": 2}), SARAH, LISA], TODAY, NORTHWIND_RENEWAL)
    assert weak.score == 96 and "champion_weak" in weak.factor_codes


def test_empty_account_scores_100_and_each_step_to_northwind_lowers_it_or_leaves_it():
    empty = assess([], TODAY, NORTHWIND_RENEWAL)
    assert empty.score == 100
    assert {"no_contacts", "nobody_engaged", "no_champion", "no_economic_buyer_engaged"} <= set(empty.factor_codes)
    # The map built the way a CSM would: a person added (not rated, never touched), then rated, then touched.
    steps: list[list[Contact]] = []
    people: list[Contact] = []
    for full in (TOM, LISA, SARAH):
        people = [*people, full.model_copy(update={"strength": None, "last_touch": None})]
        steps.append(people)
        people = [*people[:-1], people[-1].model_copy(update={"strength": full.strength})]
        steps.append(people)
        people = [*people[:-1], full]
        steps.append(people)
    scores = [assess(p, TODAY, NORTHWIND_RENEWAL).score for p in steps]
    assert all(b <= a for a, b in zip([100, *scores], scores, strict=False)), scores
    assert scores[-1] == 66


def test_a_stand_in_decision_maker_and_the_economic_buyer_line_do_not_contradict():
    """Issue 30: the same person is ok as decision maker (a year's window) and a gap as
    economic buyer (a 90-day cadence); each line says which and why."""
    jonas = person("Jonas Nakamura", roles=("economic_buyer",), level="c_level", days=120)
    coverage = assess([jonas, person()], TODAY).coverage
    dm, eb = coverage["decision_maker"], coverage["economic_buyer"]
    assert (dm.status, eb.status) == ("ok", "gap")
    assert (
        dm.reason == "Jonas Nakamura, economic buyer standing in as decision maker: touched 120 days ago, within a year"
    )
    assert "Jonas Nakamura: last touched 120 days ago, every 90" in eb.reason
    gone_quiet = person("Jonas Nakamura", roles=("economic_buyer",), level="c_level", days=400)
    dm = assess([gone_quiet, person()], TODAY).coverage["decision_maker"]
    assert dm.status == "gap"
    assert dm.reason == (
        "no economic buyer standing in as decision maker touched within a year: Jonas Nakamura: last touched 400 days ago"
    )
    maker = person("Ada Ruiz", roles=("decision_maker",), level="c_level", days=30)
    assert (
        assess([maker, jonas], TODAY).coverage["decision_maker"].reason == "Ada Ruiz touched 30 days ago, within a year"
    )


def test_the_score_says_it_is_a_risk_score_and_a_capped_change_names_its_factors():
    assert risk_score(66) == "risk score 66 / 100"
    assert risk_score_change(66, 96, ["champion_departed"]) == "risk score 66 → 96 / 100 (+30)"
    assert risk_score_change(100, 100, ["champion_departed"]) == "risk score stays 100: + champion departed"
    assert risk_score_change(84, 100, ["champion_departed"], ["single_department"], arrow="->") == (
        "risk score 84 -> 100 / 100 (+16): + champion departed, - one department only"
    )
    assert risk_score_change(54, 54, ["champion_overdue"], ["no_champion"]) == (
        "risk score stays 54: + champion overdue, - no champion"
    )
    assert risk_score_change(66, 66) == "risk score stays 66"
