"""Multi-threading plan proposals (DOMAIN section 9)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from stakeworks.domain.models import Contact, PlanItem, Role
from stakeworks.domain.plans import not_yet_planned, propose
from stakeworks.domain.rules import assess

TODAY = date(2026, 3, 10)
RENEWAL = date(2026, 9, 30)
_ids = iter(range(1, 100_000))


def person(
    name: str,
    *,
    roles: tuple[str, ...] = (),
    level: str = "manager",
    dept: str = "Engineering",
    title: str = "",
    strength: int | None = 4,
    days: int | None = 5,
) -> Contact:
    return Contact(
        id=next(_ids), account_id=1, name=name, roles=frozenset(roles), level=level, department=dept, title=title,
        strength=strength, last_touch=None if days is None else TODAY - timedelta(days=days),
    )  # fmt: skip


def plan(people: list[Contact], renewal: date | None = RENEWAL) -> list[PlanItem]:
    return propose(1, people, assess(people, TODAY, renewal), TODAY, renewal)


def by_source(items: list[PlanItem], source: str) -> PlanItem:
    return next(i for i in items if i.source == source)


def test_a_known_cfo_is_the_target_not_a_cfo_placeholder():
    """Issue 14: "CFO (name unknown) … identify the CFO's name" with the CFO on the map."""
    ann = person("Ann Lee", roles=("champion",), level="vp")
    bob = person("Bob Stone", level="c_level", dept="Finance", title="CFO", strength=None, days=None)
    items = plan([ann, bob, person("Cy")])
    eb = by_source(items, "economic_buyer")
    assert eb.target_contact_id == bob.id and "Bob Stone" in eb.first_action
    assert not any("CFO (name unknown)" in i.target_label for i in items)
    sponsor = by_source(items, "executive_sponsor")  # Bob is taken: a title nobody on the map holds
    assert sponsor.target_contact_id is None and sponsor.target_label == "CTO (name unknown)"


def test_a_placeholder_never_names_a_title_on_the_map():
    guide = person("Fay", roles=("champion",), level="vp", dept="Finance")
    cfo = person("Cat", roles=("economic_buyer",), level="c_level", dept="Finance", title="CFO", strength=2)
    sponsor = by_source(plan([guide, cfo, person("Gus", dept="Finance")]), "executive_sponsor")
    assert sponsor.target_label == "C-level executive (name unknown)"


def test_a_target_is_never_its_own_path():
    """Issue 14: "Ann Lee | Through Ann Lee"."""
    ann = person("Ann Lee", level="vp")  # the only engaged contact, asked to become champion
    (item,) = [i for i in plan([ann]) if i.target_contact_id == ann.id]
    assert item.path_contact_id != ann.id and "Ann Lee" not in item.path_label
    assert item.path_label == "Direct (already engaged)"


def test_path_prefers_same_department_then_the_closest_level_above():
    target = person("Target", roles=("economic_buyer",), level="manager", dept="Finance", strength=2)
    same_dept = person("Same", level="user", dept="Finance", strength=3)
    above = person("Above", level="director", dept="Ops", strength=5)
    far_above = person("Far", level="c_level", dept="Ops", strength=5)
    eb = by_source(plan([target, same_dept, above, far_above]), "economic_buyer")
    assert eb.path_contact_id == same_dept.id and eb.path_label == "Introduction through Same"
    eb = by_source(plan([target, above, far_above]), "economic_buyer")
    assert eb.path_contact_id == above.id


def test_nobody_engaged_means_direct_outreach():
    items = plan([person("A", strength=None, days=None), person("B", roles=("champion",), level="vp", days=None)])
    assert items and all(i.path_label == "Direct outreach" and i.path_contact_id is None for i in items)


def test_an_overdue_champion_is_re_engaged_within_a_week():
    """Issue 14: an overdue champion got no re-engagement item."""
    tom = person("Tom Chen", roles=("champion",), level="vp", days=45)
    item = by_source(plan([tom, person("Lisa")]), "champion")
    assert item.target_contact_id == tom.id and item.due_date == TODAY + timedelta(days=7)
    assert item.first_action == "Re-engage: Tom Chen last touched 45 days ago, every 30"


def test_an_overdue_sponsor_is_re_engaged_within_a_week():
    ceo = person("Cora", roles=("executive_sponsor",), level="c_level", dept="Exec", days=120)
    item = by_source(plan([ceo, person("Lisa")]), "executive_sponsor")
    assert item.target_contact_id == ceo.id and item.due_date == TODAY + timedelta(days=7)
    assert "last touched 120 days ago, every 90" in item.first_action


def test_economic_buyer_is_met_60_days_before_the_renewal_at_the_latest():
    eb = person("Eve", roles=("economic_buyer",), level="c_level", dept="Finance", strength=2)
    assert by_source(plan([eb, person("X")]), "economic_buyer").due_date == RENEWAL - timedelta(days=60)
    soon = TODAY + timedelta(days=20)  # 60 days before is already past: within the week
    assert by_source(plan([eb, person("X")], soon), "economic_buyer").due_date == TODAY + timedelta(days=7)
    assert by_source(plan([eb, person("X")], None), "economic_buyer").due_date == TODAY + timedelta(days=90)


def test_otherwise_this_quarter():
    items = plan([person("Tom", roles=("champion",), level="vp"), person("Lisa")])
    sponsor = by_source(items, "executive_sponsor")
    assert sponsor.due_date == TODAY + timedelta(days=90)


def test_role_gap_targets_the_holder_closest_to_engaged():
    never = person("Never", roles=("economic_buyer",), level="c_level", strength=5, days=None)
    weak = person("Weak", roles=("economic_buyer",), level="vp", strength=2)
    unrated = person("Unrated", roles=("economic_buyer",), level="director", strength=None)
    assert by_source(plan([never, weak, person("X")]), "economic_buyer").target_contact_id == weak.id
    assert by_source(plan([never, unrated, person("X")]), "economic_buyer").target_contact_id == unrated.id


def test_depth_targets_a_known_contact_in_the_missing_band_highest_first():
    people = [
        person("VP", roles=("champion",), level="vp"),
        person("M", level="manager"),
        person("CEO", level="c_level", dept="Exec", strength=None, days=None),
        person("Dir", level="director", dept="Ops", strength=None, days=None),
    ]
    depth = [i for i in plan(people) if i.source in ("depth", "executive_sponsor")]
    assert any(i.target_contact_id == people[2].id for i in depth)
    assert not any(i.target_label.startswith("C-level contact (name unknown)") for i in depth)


def test_breadth_targets_someone_in_a_department_with_nobody_engaged():
    people = [person("A", roles=("champion",), level="vp"), person("B"),
              person("Fin", dept="Finance", strength=None)]  # fmt: skip
    breadth = [i for i in plan(people) if i.target_contact_id == people[2].id]
    assert len(breadth) == 1


def test_nothing_is_proposed_twice():
    """Sarah Kim is the economic buyer, the missing executive band and a second department:
    one item, not three."""
    tom = person("Tom Chen", roles=("champion",), level="vp", strength=5)
    sarah = person("Sarah Kim", roles=("economic_buyer",), level="c_level", dept="Finance", title="CFO", strength=2)
    items = plan([tom, sarah, person("Lisa Park")])
    assert [i.target_contact_id for i in items].count(sarah.id) == 1
    assert [i.target_label for i in items] == ["Sarah Kim (CFO)", "CTO (name unknown)"]


def test_open_or_dropped_plan_items_block_a_proposal_a_done_one_does_not():
    eb = person("Eve", roles=("economic_buyer",), level="c_level", dept="Finance", strength=2)
    proposals = plan([eb, person("X")])
    mine = by_source(proposals, "economic_buyer")
    for status, blocked in (("open", True), ("dropped", True), ("done", False)):
        stored = PlanItem(account_id=1, target_contact_id=eb.id, target_label="Eve (hand-written)",
                          first_action="Lunch", status=status, source="")  # fmt: skip
        left = not_yet_planned(proposals, [stored])
        assert (mine not in left) is blocked
    placeholder = by_source(proposals, "executive_sponsor")
    stored = PlanItem(account_id=1, target_label=placeholder.target_label.upper(), status="open")
    assert placeholder not in not_yet_planned(proposals, [stored])


contact_st = st.builds(
    lambda level, roles, strength, days, dept, status: Contact(
        id=next(_ids),
        account_id=1,
        name=f"P{next(_ids)}",
        level=level,
        roles=frozenset(roles),
        strength=strength,
        last_touch=None if days is None else TODAY - timedelta(days=days),
        department=dept,
        status=status,
        departed_on=TODAY if status == "departed" else None,
    ),  # fmt: skip
    st.sampled_from(["c_level", "vp", "director", "manager", "user"]),
    st.sets(st.sampled_from([r.value for r in Role]), max_size=3),
    st.one_of(st.none(), st.integers(1, 5)),
    st.one_of(st.none(), st.integers(0, 500)),
    st.sampled_from(["", "Engineering", "Finance", "Ops"]),
    st.sampled_from(["active", "active", "active", "not_engaged", "departed"]),
)


@settings(deadline=None)  # a loaded 2-core CI box must not turn a slow example into a failure
@given(st.lists(contact_st, max_size=8), st.one_of(st.none(), st.integers(-10, 300)))
def test_every_proposal_keeps_the_rules_of_section_9(people, renewal_in):
    renewal = None if renewal_in is None else TODAY + timedelta(days=renewal_in)
    items = plan(people, renewal)
    known = {c.id for c in people if c.status != "departed"}
    engaged = {c.id for c in people if assess(people, TODAY, renewal).states[c.id].engaged}
    targets = [i.target_contact_id if i.target_contact_id is not None else i.target_label.casefold() for i in items]
    assert len(targets) == len(set(targets))  # nothing proposed twice
    assert len({i.source for i in items}) == len(items)  # at most one item per gap or factor
    for i in items:
        assert i.path_contact_id is None or i.path_contact_id != i.target_contact_id
        assert i.path_contact_id is None or i.path_contact_id in engaged
        assert i.target_contact_id is None or i.target_contact_id in known
        assert i.due_date is not None and i.due_date >= TODAY and i.first_action
