"""Influence lines in the rules, as properties over random accounts (DOMAIN sections 4, 9, 14):
only a negative line is information about risk, and only for `unmanaged_detractor`; a line
never makes a plan item its own path."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stakeworks.domain.influence import InfluenceLine
from stakeworks.domain.plans import propose
from stakeworks.domain.rules import assess
from tests.unit.test_properties import TODAY, people_st, renewal_st


def lines_st(people: list, sign: st.SearchStrategy[str]) -> st.SearchStrategy[list[InfluenceLine]]:
    ids = [c.id for c in people]
    pair = st.tuples(st.sampled_from(ids), st.sampled_from(ids), sign).filter(lambda p: p[0] != p[1])
    return st.lists(pair, max_size=6, unique_by=lambda p: (p[0], p[1])).map(
        lambda pairs: [InfluenceLine(n, 1, a, b, s, "") for n, (a, b, s) in enumerate(pairs, 1)]
    )


# A loaded 2-core CI box must not turn slow examples or their generation into a failure.
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(people_st, renewal_st, st.data())
def test_lines_for_us_or_neutral_never_change_the_verdict(people, renewal, data):
    if len(people) < 2:
        return
    lines = data.draw(lines_st(people, st.sampled_from(["positive", "neutral"])))
    without, with_lines = assess(people, TODAY, renewal), assess(people, TODAY, renewal, influences=lines)
    assert (with_lines.score, with_lines.factor_codes) == (without.score, without.factor_codes)


# A loaded 2-core CI box must not turn slow examples or their generation into a failure.
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(people_st, renewal_st, st.data())
def test_a_line_against_us_adds_at_most_an_unmanaged_detractor(people, renewal, data):
    if len(people) < 2:
        return
    lines = data.draw(lines_st(people, st.sampled_from(["positive", "negative", "neutral"])))
    without, with_lines = assess(people, TODAY, renewal), assess(people, TODAY, renewal, influences=lines)
    assert set(with_lines.factor_codes) - set(without.factor_codes) <= {"unmanaged_detractor"}
    assert set(without.factor_codes) <= set(with_lines.factor_codes)
    assert with_lines.score >= without.score  # information about risk only raises it
    sources = {x.from_id for x in lines if x.sign == "negative"}
    if "unmanaged_detractor" in set(with_lines.factor_codes) - set(without.factor_codes):
        assert any(c.id in sources and c.status == "active" and not c.engagement_strategy for c in people)


# A loaded 2-core CI box must not turn slow examples or their generation into a failure.
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(people_st, renewal_st, st.data())
def test_a_plan_item_is_never_its_own_path(people, renewal, data):
    if len(people) < 2:
        return
    lines = data.draw(lines_st(people, st.sampled_from(["positive", "negative", "neutral"])))
    verdict = assess(people, TODAY, renewal, influences=lines)
    for item in propose(1, people, verdict, TODAY, renewal, influences=lines):
        assert item.path_contact_id is None or item.path_contact_id != item.target_contact_id
        if item.path_contact_id is not None:
            assert verdict.states[item.path_contact_id].engaged
