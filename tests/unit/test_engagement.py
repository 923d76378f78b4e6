"""DOMAIN revision 2: engagement that must be earned, not-rated strength,
`champion_weak`, and the one "known but not engaged" list with its reasons."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from stakeworks.domain.cadence import cadence
from stakeworks.domain.models import Contact
from stakeworks.domain.rules import assess, contact_state, strength_dots
from stakeworks.domain.settings import Settings

TODAY = date(2026, 3, 10)
_ids = iter(range(1, 100_000))


def person(
    name: str = "P",
    *,
    roles: tuple[str, ...] = (),
    level: str = "manager",
    dept: str = "Engineering",
    strength: int | None = 4,
    days: int | None = 5,
    status: str = "active",
) -> Contact:
    return Contact(
        id=next(_ids), name=name, roles=frozenset(roles), level=level, department=dept, strength=strength,
        last_touch=None if days is None else TODAY - timedelta(days=days), status=status,
        departed_on=TODAY - timedelta(days=3) if status == "departed" else None,
    )  # fmt: skip


def why(c: Contact, settings: Settings | None = None) -> str | None:
    return contact_state(c, TODAY, settings or Settings()).why_not


def listed(people: list[Contact]) -> list[tuple[str, str, str]]:
    return [(n.name, n.reason, n.detail) for n in assess(people, TODAY).not_engaged]


# -- engaged needs a touch, a rating, and (untimed) a touch within the window ---------------


def test_a_contact_never_touched_is_not_engaged_even_without_a_threshold():
    user = person(level="user", strength=5, days=None)
    state = contact_state(user, TODAY)
    assert state.threshold_days is None and not state.overdue  # nothing is due ...
    assert not state.engaged and state.why_not == "never_touched"  # ... and nothing was earned


@pytest.mark.parametrize(("days", "engaged", "reason"), [(365, True, None), (366, False, "stale")])
def test_untimed_contact_touched_365_days_ago_is_engaged_366_is_stale(days, engaged, reason):
    user = person(level="user", days=days)
    state = contact_state(user, TODAY)
    assert state.engaged is engaged and state.why_not == reason
    assert not state.overdue  # stale is not overdue: there is no threshold to pass
    if reason:
        assert listed([user]) == [("P", "stale", "last touched 366 days ago, not within 365")]


def test_the_untimed_window_is_a_setting():
    user = person(level="user", days=200)
    assert contact_state(user, TODAY).engaged
    short = Settings(untimed_engagement_window_days=180)
    assert not contact_state(user, TODAY, short).engaged and why(user, short) == "stale"


def test_not_rated_is_never_a_made_up_three():
    c = person(strength=None)
    assert not contact_state(c, TODAY).engaged and why(c) == "not_rated"
    assert Contact(name="New").strength is None  # a new contact starts not rated
    assert strength_dots(None) == "○○○○○ not rated" and strength_dots(3) == "●●●○○"


def test_a_freshly_imported_list_gives_no_coverage():
    """Issue 14: names with no strength and no touches used to count as engaged."""
    fresh = [person(f"P{i}", level=lvl, dept=d, strength=None, days=None)
             for i, (lvl, d) in enumerate((("c_level", "Finance"), ("vp", "Ops"), ("user", "Ops")))]  # fmt: skip
    a = assess(fresh, TODAY)
    assert not any(s.engaged for s in a.states.values())
    assert a.coverage["breadth"].status == "missing"
    assert a.coverage["breadth"].reason == "no engaged contact (3 known but not engaged)"
    assert "thin_depth" in a.factor_codes and "multi_threaded" not in a.factor_codes


def test_adding_a_never_touched_person_does_not_add_an_engaged_one():
    """Issue 14's Cedar Retail: adding a name before anyone met them lowered the score."""
    base = [person("A", level="vp", roles=("champion",)), person("B", level="manager")]
    before = assess(base, TODAY)
    after = assess([*base, person("New", level="user", dept="Finance", strength=None, days=None)], TODAY)
    assert after.score >= before.score
    assert [n.name for n in after.not_engaged] == ["New"]


# -- reason codes, in their order, at their boundaries --------------------------------------


def test_each_reason_code_and_its_words():
    people = [
        person("Status", status="not_engaged", days=None, strength=None),
        person("Never", days=None),
        person("Late", level="director", days=92),
        person("Stale", level="user", days=400),
        person("Unrated", strength=None),
        person("Weak", strength=2),
        person("AtRisk", strength=1),
        person("Gone", status="departed"),
        person("Fine"),
    ]
    assert listed(people) == [
        ("Status", "status_not_engaged", "status not engaged"),
        ("Never", "never_touched", "never touched"),
        ("Late", "overdue", "last touched 92 days ago, every 91"),
        ("Stale", "stale", "last touched 400 days ago, not within 365"),
        ("Unrated", "not_rated", "strength not rated"),
        ("Weak", "weak", "strength 2 (weak)"),
        ("AtRisk", "weak", "strength 1 (at risk)"),
    ]  # departed is not known; engaged is not listed


def test_the_first_reason_that_applies_wins():
    assert why(person(status="not_engaged", days=None, strength=1)) == "status_not_engaged"
    assert why(person(days=None, strength=None)) == "never_touched"
    assert why(person(level="manager", days=31, strength=None)) == "overdue"
    assert why(person(level="user", days=366, strength=2)) == "stale"
    assert why(person(strength=None)) == "not_rated"


@pytest.mark.parametrize(("days", "reason"), [(30, "weak"), (31, "overdue")])
def test_overdue_boundary_comes_before_weak(days, reason):
    assert why(person(roles=("champion",), level="vp", strength=2, days=days)) == reason


@pytest.mark.parametrize(("strength", "reason"), [(2, "weak"), (3, None)])
def test_weak_boundary(strength, reason):
    assert why(person(strength=strength)) == reason


def test_coverage_reasons_use_the_same_words():
    sarah = person("Sarah Kim", roles=("economic_buyer",), level="c_level", dept="Finance", strength=2, days=85)
    a = assess([sarah, person("Tom", roles=("champion",), level="vp")], TODAY)
    assert a.coverage["economic_buyer"].reason == (
        "known but not engaged: Sarah Kim: strength 2 (weak) — renewal decision at risk"
    )
    (row,) = a.not_engaged
    assert row.detail in a.coverage["economic_buyer"].reason


def test_explain_false_skips_the_list_but_not_the_verdicts():
    people = [person("W", strength=2), person("X")]
    quiet, full = assess(people, TODAY, explain=False), assess(people, TODAY)
    assert quiet.not_engaged == () and len(full.not_engaged) == 1
    assert quiet.factor_codes == full.factor_codes and quiet.score == full.score


# -- champion_weak ----------------------------------------------------------------------------


def test_weak_champion_fires_champion_weak_with_the_reason():
    """Issue 14: Northwind's only champion going from 5 to 2 used to lower the score."""
    tom = person("Tom Chen", roles=("champion",), level="vp", strength=2)
    a = assess([tom, person("Lisa")], TODAY)
    (f,) = [f for f in a.factors if f.code == "champion_weak"]
    assert f.level == "high" and f.rationale == "no engaged champion: Tom Chen: strength 2 (weak)"
    assert a.coverage["champion"].status == "gap"


def test_not_rated_champion_fires_champion_weak():
    c = person("Ann Lee", roles=("champion",), level="vp", strength=None)
    a = assess([c, person()], TODAY)
    assert "champion_weak" in a.factor_codes and "champion_overdue" not in a.factor_codes
    assert "Ann Lee: strength not rated" in next(f.rationale for f in a.factors if f.code == "champion_weak")


def test_weak_champion_beside_an_overdue_one():
    weak = person("Weak", roles=("champion",), level="vp", strength=2, days=3)
    late = person("Late", roles=("champion",), level="vp", strength=5, days=45)
    a = assess([weak, late, person()], TODAY)
    assert "champion_weak" in a.factor_codes and "champion_overdue" not in a.factor_codes
    rationale = next(f.rationale for f in a.factors if f.code == "champion_weak")
    assert "Weak: strength 2 (weak)" in rationale and "Late" not in rationale  # the late one is a time gap


def test_champion_weak_and_overdue_are_never_both():
    late = person("Late", roles=("champion",), level="vp", days=45)
    assert assess([late, person()], TODAY).factor_codes.count("champion_overdue") == 1
    assert "champion_weak" not in assess([late, person()], TODAY).factor_codes
    fine = person("Fine", roles=("champion",), level="vp")
    assert not {"champion_weak", "champion_overdue"} & set(assess([fine, late, person()], TODAY).factor_codes)


def test_champion_weak_counts_active_champions_only():
    parked = person("Parked", roles=("champion",), level="vp", strength=2, status="not_engaged")
    assert "champion_weak" not in assess([parked, person()], TODAY).factor_codes


def test_worked_example_with_tom_weak_goes_up_not_down():
    renewal = date(2026, 9, 30)
    tom = Contact(id=1, name="Tom Chen", level="vp", department="Engineering", roles={"champion"}, strength=5,
                  last_touch=date(2026, 3, 1))  # fmt: skip
    sarah = Contact(id=2, name="Sarah Kim", level="c_level", department="Finance", roles={"economic_buyer"},
                    strength=2, last_touch=date(2025, 12, 15))  # fmt: skip
    lisa = Contact(id=3, name="Lisa Park", level="manager", department="Engineering", roles={"technical_lead"},
                   strength=3, last_touch=date(2026, 3, 5))  # fmt: skip
    assert assess([tom, sarah, lisa], TODAY, renewal).score == 66
    weak = tom.model_copy(update={"strength": 2})
    assert assess([weak, sarah, lisa], TODAY, renewal).score == 96  # champion_weak: +30, single_department stays


# -- cadence: never touched is said, not aged -------------------------------------------------


def test_cadence_says_never_touched_and_lists_it_first():
    people = {
        1: [
            person("Never", roles=("champion",), level="vp", days=None),
            person("Late", roles=("champion",), level="vp", days=300),
            person("Untimed never", level="user", days=None),
        ]
    }
    items = cadence({1: "Acme"}, people, TODAY)
    assert [i.contact.name for i in items] == ["Never", "Late"]  # no threshold, nothing due
    assert items[0].never_touched and items[0].due_in is None and items[0].overdue
    assert items[1].due_in == -270 and not items[1].never_touched
