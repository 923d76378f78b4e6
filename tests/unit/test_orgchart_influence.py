"""Influence lines on the SVG org chart (DOMAIN section 14, issue 33): drawn dotted with their
sign, and the chart's checks hold with them on random org charts (no overlapping boxes, no line
over a box, text escaped)."""

from __future__ import annotations

import random
from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stakeworks.domain.influence import InfluenceLine
from stakeworks.domain.models import Contact, Level
from stakeworks.interchange.orgchart import render_html, render_svg
from tests.unit.test_orgchart import NS, box_of, crossings, node_groups, org, overlapping, parse, report_of

SVG = "{http://www.w3.org/2000/svg}"


def with_lines(people: list[Contact], count: int, seed: int) -> list[InfluenceLine]:
    rng = random.Random(seed)
    if len(people) < 2:
        return []
    pairs = {tuple(rng.sample([c.id for c in people], 2)) for _ in range(count)}
    return [InfluenceLine(i, 1, a, b, rng.choice(["positive", "negative", "neutral"]), "")  # type: ignore[arg-type]
            for i, (a, b) in enumerate(sorted(pairs), 1)]  # fmt: skip


def influence_paths(root) -> list:
    return [p for p in root.iter(f"{SVG}path") if "influence" in p.get("class", "").split()]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(size=st.integers(min_value=0, max_value=60), lines=st.integers(0, 25), seed=st.integers(0, 10_000))
def test_any_org_with_influence_lines_keeps_its_boxes_apart_and_clear(size: int, lines: int, seed: int) -> None:
    people = org(size, seed)
    report = replace(report_of(people), influences=with_lines(people, lines, seed))
    root = parse(render_svg(report))
    assert overlapping([box_of(g) for g in node_groups(root)]) == []
    assert crossings(root) == []  # influence paths included: each names the two boxes it joins
    drawn = {(p.get("data-from"), p.get("data-to"), p.get("data-sign")) for p in influence_paths(root)}
    assert drawn == {(f"c{x.from_id}", f"c{x.to_id}", x.sign) for x in report.influences}
    width, height = float(root.get("width", "0")), float(root.get("height", "0"))
    for p in influence_paths(root):
        pts = [tuple(map(float, part.split())) for part in p.get("d", "").replace("M", " ").split("L")]
        assert all(0 <= x <= width and 0 <= y <= height for x, y in pts)


def test_two_hundred_contacts_with_forty_lines() -> None:
    people = org(200, 11)
    report = replace(report_of(people), influences=with_lines(people, 40, 3))
    root = parse(render_svg(report))
    assert len(influence_paths(root)) == len(report.influences) >= 35
    assert overlapping([box_of(g) for g in node_groups(root)]) == []
    assert crossings(root) == []


def test_a_line_is_dotted_with_its_sign_and_named_in_the_legend() -> None:
    people = [
        Contact(id=1, account_id=1, name="Cy CEO", level=Level.C_LEVEL),
        Contact(id=2, account_id=1, name="Vi VP", level=Level.VP, reports_to_id=1),
        Contact(id=3, account_id=1, name="Mo <Manager>", level=Level.MANAGER),
    ]
    lines = [InfluenceLine(1, 1, 3, 1, "negative", "<b>rival</b>"), InfluenceLine(2, 1, 2, 3, "positive", "")]
    svg = render_svg(replace(report_of(people), influences=lines))
    root = parse(svg)
    (against,) = [p for p in influence_paths(root) if p.get("data-from") == "c3"]
    assert against.get("class") == "influence negative" and against.get("data-to") == "c1"
    assert "stroke-dasharray" in svg.split(".influence {")[1].split("}")[0]  # dotted
    signs = {"".join(t.itertext()) for t in root.iter(f"{SVG}text") if "sign" in t.get("class", "").split()}
    assert signs == {"−", "+"}
    legend = " ".join("".join(t.itertext()) for t in root.iter(f"{SVG}text") if t.get("class") == "legend")
    assert "dotted line (+ − 0)" in legend
    assert crossings(root) == []
    html = render_html(replace(report_of(people), influences=lines))
    assert html.count('class="influence ') == 2
    assert root.find("s:title", NS) is not None
