"""The stakeholder map as a picture: an org chart in SVG, and an HTML page around it.

Seed 000's map drawn for a slide: the three level bands top to bottom; inside
a band, people sit under whoever they report to when the manager is in the
same band, and a reports-to line that crosses bands runs through a lane of its
own in the left margin, so no line is ever hidden behind a box. Each box shows
the name (champion star), title, strength dots, the engaged / overdue / not
engaged mark and the role badges; open plan targets that are nobody yet are
dashed placeholders in the band they belong to.

The layout packs each band's trees into lines no wider than a slide-friendly
width (blocks are never split, so boxes cannot overlap), which keeps a
200-contact account about as wide as it is tall. Pure functions: the report
in, SVG text out; every piece of user text is XML-escaped, and control
characters (not allowed in XML at all) are shown as their visible symbols.
"""

from __future__ import annotations

import bisect
import math
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from stakeworks.domain.labels import risk_score
from stakeworks.domain.models import Contact
from stakeworks.domain.plans import timeline
from stakeworks.domain.reports_to import drawn_manager
from stakeworks.domain.vocab import BAND_OF_LEVEL, Band
from stakeworks.domain.words import known_arr, money
from stakeworks.interchange.report import ROLE_WORD, STRENGTH_WORD, MapReport

BOX_W, BOX_H = 232, 88
GAP_X, GAP_Y = 24, 40
INDENT = 24  # the gutter a parent's wrapped children leave for its trunk line
BAND_HEAD, BAND_PAD, BAND_GAP = 46, 14, 28  # the title, then a strip free for lines
MARGIN = 24
LANE_STEP, MAX_LANES = 5, 24  # left-margin lanes for lines no straight route can take
HEAD_H, LEGEND_H = 78, 48
FONT = "'Segoe UI', 'Helvetica Neue', Helvetica, Arial, sans-serif"

BAND_TITLES = {
    Band.EXECUTIVE: "EXECUTIVE LEVEL (C-level)",
    Band.SENIOR: "VP / DIRECTOR LEVEL",
    Band.WORKING: "MANAGER / USER LEVEL",
}
ROLE_BADGE = {
    "champion": "CHAMPION",
    "economic_buyer": "ECON. BUYER",
    "decision_maker": "DECISION",
    "executive_sponsor": "SPONSOR",
    "technical_lead": "TECH LEAD",
    "end_user_champion": "EU CHAMP",
    "influencer": "INFLUENCER",
    "detractor": "DETRACTOR",
    "end_user": "END USER",
}
# Where a placeholder for a plan target that is nobody yet goes, by the gap that proposed it.
PLACEHOLDER_BAND = {
    "economic_buyer": Band.EXECUTIVE,
    "executive_sponsor": Band.EXECUTIVE,
    "depth_executive": Band.EXECUTIVE,
    "depth_senior": Band.SENIOR,
    "champion": Band.SENIOR,
    "decision_maker": Band.SENIOR,
    "depth_working": Band.WORKING,
    "breadth": Band.WORKING,
}

STYLE = f"""
text {{ font-family: {FONT}; fill: #1f2328; }}
.heading {{ font-size: 22px; font-weight: 700; }}
.subheading {{ font-size: 13px; fill: #57606a; }}
.band rect {{ fill: #f6f8fa; stroke: #d0d7de; }}
.band text {{ font-size: 12px; font-weight: 700; letter-spacing: 0.06em; fill: #57606a; }}
.band .empty {{ font-weight: 400; font-style: italic; letter-spacing: 0; }}
.edge {{ fill: none; stroke: #8c959f; stroke-width: 1.5; }}
.edge.cross {{ stroke: #afb8c1; stroke-dasharray: 5 3; }}
.box {{ fill: #ffffff; stroke: #8c959f; stroke-width: 1.2; }}
.engaged .box {{ stroke: #1a7f37; stroke-width: 2; }}
.overdue .box {{ stroke: #bf8700; stroke-width: 2; }}
.departed .box {{ fill: #f6f8fa; stroke-dasharray: 2 3; }}
.departed text {{ fill: #6e7781; }}
.placeholder .box {{ fill: #fbfbfc; stroke: #6e7781; stroke-dasharray: 6 4; }}
.name {{ font-size: 14px; font-weight: 700; }}
.star {{ fill: #bf8700; }}
.title {{ font-size: 12px; fill: #57606a; }}
.dots {{ font-size: 13px; letter-spacing: 1px; }}
.s-high {{ fill: #1a7f37; }} .s-mid {{ fill: #9a6700; }} .s-low {{ fill: #cf222e; }} .s-none {{ fill: #8c959f; }}
.mark {{ font-size: 11px; font-weight: 600; }}
.mark.engaged {{ fill: #1a7f37; }} .mark.overdue {{ fill: #9a6700; }} .mark.not-engaged {{ fill: #57606a; }}
.mark.departed {{ fill: #6e7781; }} .mark.plan {{ fill: #0969da; }}
.badge rect {{ fill: #ddf4ff; stroke: #54aeff; }}
.badge text {{ font-size: 9.5px; font-weight: 700; fill: #0550ae; }}
.badge.detractor rect {{ fill: #ffebe9; stroke: #ff8182; }}
.badge.detractor text {{ fill: #a40e26; }}
.badge.key rect {{ fill: #fbefff; stroke: #d2a8ff; }}
.badge.key text {{ fill: #6e40c9; }}
.badge.plan rect {{ fill: #fff8c5; stroke: #d4a72c; }}
.badge.plan text {{ fill: #7d4e00; }}
.legend {{ font-size: 12px; fill: #57606a; }}
.influence {{ fill: none; stroke-width: 1.6; stroke-dasharray: 1.5 3.5; stroke-linecap: round; }}
.influence.positive {{ stroke: #1a7f37; }} .influence.negative {{ stroke: #cf222e; }} .influence.neutral {{ stroke: #6e7781; }}
.sign {{ font-size: 11px; font-weight: 700; }}
.sign.positive {{ fill: #1a7f37; }} .sign.negative {{ fill: #cf222e; }} .sign.neutral {{ fill: #6e7781; }}
"""


# -- text ----------------------------------------------------------------------------------------


def xml_text(value: object) -> str:
    """User text made safe for XML: escaped, and control characters shown as their symbols.

    XML 1.0 forbids most control characters even as character references, so
    they become the visible Control Pictures (U+2400 block) instead of
    vanishing or breaking the file.
    """
    out = []
    for ch in str(value):
        code = ord(ch)
        if ch == "&":
            out.append("&amp;")
        elif ch == "<":
            out.append("&lt;")
        elif ch == ">":
            out.append("&gt;")
        elif ch == '"':
            out.append("&quot;")
        elif ch == "'":
            out.append("&#39;")
        elif code < 0x20 or code == 0x7F:
            out.append(chr(0x2400 + code) if code < 0x20 else "\u2421")
        elif 0xD800 <= code <= 0xDFFF or code in (0xFFFE, 0xFFFF):
            out.append("\ufffd")
        else:
            out.append(ch)
    return "".join(out)


def text_width(text: str, size: float, bold: bool = False) -> float:
    """An estimate of rendered width in pixels (no font metrics in a pure function).

    Generous on purpose: a wide estimate truncates a little early, a narrow one
    would let text run out of its box.
    """
    em = 0.0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        if unicodedata.east_asian_width(ch) in ("W", "F"):
            em += 1.0
        elif ch in "il.,:;'|!jt ()[]":
            em += 0.36
        elif ch.isupper() or ch in "mwMW@%&●○★⚠✓✗◌":
            em += 0.8
        else:
            em += 0.64
    # Measured against DejaVu Sans, the widest of the usual fallbacks.
    return em * size * (1.1 if bold else 1.0)


def fit(text: str, width: float, size: float, bold: bool = False) -> str:
    """The text, cut with an ellipsis where it would not fit in `width` pixels."""
    text = " ".join(str(text).split()) if "\n" in str(text) or "\r" in str(text) else str(text)
    if text_width(text, size, bold) <= width:
        return text
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if text_width(text[:mid] + "…", size, bold) <= width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + "…"


# -- the chart's model -----------------------------------------------------------------------------


@dataclass
class Node:
    """One box: a contact, or a placeholder for a plan target that is nobody yet."""

    key: str
    band: Band
    name: str
    title: str = ""
    contact_id: int | None = None
    strength: int | None = None
    roles: tuple[str, ...] = ()
    champion: bool = False
    key_person: bool = False
    plan_action: str = ""
    mark: str = ""  # engaged | overdue | not-engaged | departed | plan
    mark_text: str = ""
    placeholder: bool = False
    departed: bool = False
    boss: str | None = None  # key of the node this one reports to (any band)
    tooltip: str = ""
    x: float = 0.0
    y: float = 0.0

    @property
    def classes(self) -> str:
        kind = "placeholder" if self.placeholder else "contact"
        state = "departed" if self.departed else self.mark
        return f"node {kind} {state}".strip()

    @property
    def box(self) -> tuple[float, float, float, float]:
        """left, top, right, bottom"""
        return self.x, self.y, self.x + BOX_W, self.y + BOX_H


@dataclass
class Edge:
    """A reports-to line as orthogonal points, from the boss's box to the report's; or, with a
    `sign`, an influence line from the one who sways to the one swayed (DOMAIN section 14)."""

    boss: str
    report: str
    points: list[tuple[float, float]]
    cross: bool  # the two sit in different bands
    sign: str = ""


@dataclass
class BandArea:
    band: Band
    x: float
    y: float
    width: float
    height: float
    empty: bool


@dataclass
class Chart:
    """The laid-out chart: boxes, bands and lines in pixels, ready to draw."""

    account: str
    subtitle: str
    nodes: list[Node]
    edges: list[Edge]
    bands: list[BandArea]
    width: float
    height: float
    legend: list[str]


# -- from the report to nodes ---------------------------------------------------------------------------


def _mark(c: Contact, report: MapReport) -> tuple[str, str]:
    state = report.assessment.states.get(c.id)
    if c.status == "departed":
        return "departed", "✗ departed" + (f" {c.departed_on}" if c.departed_on else "")
    if c.status == "not_engaged":
        return "not-engaged", "not engaged"
    if state is not None and state.overdue:
        if state.days_since_touch is None:
            return "overdue", "⚠ never touched"
        return "overdue", f"⚠ overdue {state.days_since_touch}d / {state.threshold_days}d"
    if state is not None and state.engaged:
        return "engaged", "✓ engaged"
    strength = getattr(c, "strength", None)
    if state is not None and state.days_since_touch is None:
        return "not-engaged", "never touched"
    if state is not None and state.why_not == "stale":  # untimed, last touched outside the window
        return "not-engaged", f"last touched {state.days_since_touch}d ago"
    if strength is None:
        return "not-engaged", "not rated"
    return "not-engaged", "not engaged (" + STRENGTH_WORD.get(strength, "?").lower() + ")"


def _nodes(report: MapReport) -> list[Node]:
    contacts = list(report.contacts)
    by_id = {c.id: c for c in contacts}
    open_items = [p for p in report.plan if p.status == "open"] + list(report.proposed)
    actions: dict[int, str] = {}
    for p in open_items:
        if p.target_contact_id is not None and p.target_contact_id not in actions:
            actions[p.target_contact_id] = p.first_action
    nodes: list[Node] = []
    for c in contacts:
        mark, mark_text = _mark(c, report)
        boss = drawn_manager(c, by_id)
        strength = getattr(c, "strength", None)
        tip = [c.name, c.title, c.department]
        if strength is not None:
            tip.append(f"relationship {strength}/5 ({STRENGTH_WORD.get(strength, '?')})")
        tip.append(", ".join(ROLE_WORD.get(str(r), str(r)) for r in sorted(c.roles)))
        tip.append(mark_text)
        if boss is not None:
            tip.append(f"reports to {boss.name}")
        if c.id in actions:
            tip.append(f"plan: {actions[c.id]}")
        nodes.append(
            Node(
                key=f"c{c.id}",
                band=BAND_OF_LEVEL[c.level],
                name=c.name,
                title=c.title,
                contact_id=c.id,
                strength=strength,
                roles=tuple(sorted(str(r) for r in c.roles)),
                champion="champion" in c.roles,
                key_person=c.id in report.key_people,
                plan_action=actions.get(c.id, "") if c.id is not None else "",
                mark=mark,
                mark_text=mark_text,
                departed=c.status == "departed",
                boss=f"c{boss.id}" if boss is not None else None,
                tooltip=" · ".join(t for t in tip if t),
            )
        )
    for i, p in enumerate(p for p in open_items if p.target_contact_id is None):
        when = timeline(p.due_date, report.today)
        due = f" · due {p.due_date.isoformat()}" if p.due_date else ""
        nodes.append(
            Node(
                key=f"p{i}",
                band=PLACEHOLDER_BAND.get(p.source, Band.SENIOR),
                name=p.target_label or "To be identified",
                title=p.first_action,
                mark="plan",
                mark_text="◌ plan target" + due,
                placeholder=True,
                tooltip=" · ".join(x for x in (p.target_label, p.first_action, p.path_label, when) if x and x != "—"),
            )
        )
    return nodes


# -- layout ------------------------------------------------------------------------------------------
#
# Every box is BOX_H tall and every step down is BOX_H + GAP_Y, so inside a band
# all boxes sit on one grid of rows: the strip between two rows is free of boxes
# from edge to edge, and lines run through those strips, never over a box.


@dataclass
class _Block:
    """A laid-out subtree: its size, each node's offset and each wrapped parent's trunk."""

    width: float
    height: float
    places: list[tuple[Node, float, float]]
    trunks: dict[str, float]


def _pack(blocks: Sequence[_Block], max_width: float) -> tuple[list[list[_Block]], float, float]:
    """Blocks into lines no wider than max_width (a block wider than that gets a line to itself)."""
    lines: list[list[_Block]] = []
    width = 0.0
    for b in blocks:
        if lines and width + GAP_X + b.width <= max_width:
            lines[-1].append(b)
            width += GAP_X + b.width
        else:
            lines.append([b])
            width = b.width
    widths = [sum(b.width for b in line) + GAP_X * (len(line) - 1) for line in lines]
    heights = [max(b.height for b in line) for line in lines]
    return lines, max(widths, default=0.0), sum(heights) + GAP_Y * max(0, len(lines) - 1)


def _place_lines(lines: list[list[_Block]], dx: float, dy: float) -> _Block:
    places: list[tuple[Node, float, float]] = []
    trunks: dict[str, float] = {}
    y = dy
    width = 0.0
    for line in lines:
        x = dx
        for b in line:
            places += [(n, x + px, y + py) for n, px, py in b.places]
            trunks.update({k: x + tx for k, tx in b.trunks.items()})
            x += b.width + GAP_X
        width = max(width, x - GAP_X)
        y += max(b.height for b in line) + GAP_Y
    return _Block(width, y - GAP_Y - dy, places, trunks)


def _block(node: Node, children: dict[str, list[Node]], max_width: float) -> _Block:
    inner = max(BOX_W, max_width - INDENT)
    kids = [_block(k, children, inner) for k in children.get(node.key, [])]
    if not kids:
        return _Block(BOX_W, BOX_H, [(node, 0.0, 0.0)], {})
    lines, lines_w, lines_h = _pack(kids, inner)
    # Children wrapped onto several lines leave a gutter on the left for the parent's trunk line.
    indent = INDENT if len(lines) > 1 else 0.0
    first_w = sum(b.width for b in lines[0]) + GAP_X * (len(lines[0]) - 1)
    if first_w >= BOX_W:
        node_x, kids_x = indent + (first_w - BOX_W) / 2, indent
    else:  # children narrower than their parent: centre them under it
        node_x, kids_x = 0.0, (BOX_W - first_w) / 2
    placed = _place_lines(lines, kids_x, BOX_H + GAP_Y)
    trunks = dict(placed.trunks)
    if indent:
        trunks[node.key] = indent / 2
    width = max(BOX_W + node_x, placed.width)
    return _Block(width, BOX_H + GAP_Y + lines_h, [(node, node_x, 0.0), *placed.places], trunks)


def chart_width(count: int) -> float:
    """The width bands pack into: about as wide as tall for big accounts, 4 to 12 boxes."""
    columns = min(12, max(4, round(math.sqrt(count * 1.6))))
    return columns * (BOX_W + GAP_X) - GAP_X


def layout(report: MapReport, max_width: float | None = None) -> Chart:
    """Place every box and route every line; pure and deterministic (same report, same picture)."""
    nodes = _nodes(report)
    by_key = {n.key: n for n in nodes}
    max_width = max_width or chart_width(len(nodes))
    ranked = sorted(nodes, key=lambda n: (n.placeholder, n.departed, n.name.casefold(), n.key))
    order = {n.key: i for i, n in enumerate(ranked)}

    # Same-band reports-to makes the trees inside a band; other lines cross bands.
    children: dict[str, list[Node]] = {}
    roots: dict[Band, list[Node]] = {b: [] for b in Band}
    for n in ranked:
        boss = by_key.get(n.boss) if n.boss else None
        if boss is not None and boss.band == n.band:
            children.setdefault(boss.key, []).append(n)
        else:
            roots[n.band].append(n)
    # Room for a left-margin lane per boss whose lines cross bands; what routing leaves unused is given back.
    cross_bosses = {n.boss for n in nodes if n.boss and by_key[n.boss].band != n.band}
    swaying = _influences(report, by_key)
    reserved = min(len(cross_bosses | {f"i{a}" for a, _, _ in swaying}), MAX_LANES)
    left = MARGIN + (LANE_STEP * (reserved + 1) if reserved else 0)

    band_areas: list[BandArea] = []
    trunks: dict[str, float] = {}
    placed_x: dict[str, float] = {}
    y: float = MARGIN + HEAD_H
    inner_w: float = max_width
    for band in Band:
        # A root whose boss sits in a band above follows that boss's order, left to right.
        def root_key(n: Node) -> tuple[float, int]:
            return (placed_x.get(n.boss, math.inf) if n.boss else math.inf, order[n.key])

        blocks = [_block(r, children, max_width) for r in sorted(roots[band], key=root_key)]
        top = y + BAND_HEAD
        if blocks:
            lines, _, _ = _pack(blocks, max_width)
            placed = _place_lines(lines, left + BAND_PAD, top)
            for n, px, py in placed.places:
                n.x, n.y = px, py
                placed_x[n.key] = px
            trunks.update(placed.trunks)
            inner_w = max(inner_w, placed.width - left - BAND_PAD)
            height = BAND_HEAD + placed.height + BAND_PAD
        else:
            height = BAND_HEAD + 24
        band_areas.append(BandArea(band, left, y, 0.0, height, not blocks))
        y += height + BAND_GAP
    width = left + BAND_PAD + inner_w + BAND_PAD + MARGIN
    for b in band_areas:
        b.width = width - MARGIN - left

    edges, used = _route(nodes, by_key, trunks, order, left, swaying)
    spare = LANE_STEP * (reserved - used) + (LANE_STEP if reserved and not used else 0)
    if spare:
        for n in nodes:
            n.x -= spare
        for e in edges:
            e.points = [(x - spare, y) for x, y in e.points]
        for b in band_areas:
            b.x -= spare
        width -= spare
    legend = _legend(width - 2 * MARGIN)
    return Chart(
        account=report.account.name,
        subtitle=_subtitle(report),
        nodes=nodes,
        edges=edges,
        bands=band_areas,
        width=math.ceil(width),
        height=math.ceil(y - BAND_GAP + 16 + 20 * len(legend) + MARGIN),
        legend=legend,
    )


def _subtitle(report: MapReport) -> str:
    a, acc = report.assessment, report.account
    parts = [
        report.today.isoformat(),
        f"risk {a.risk.upper()} ({risk_score(a.score)}, bus factor {a.bus_factor})",
        f"ARR {money(known_arr(acc.arr), acc.currency)}",
    ]
    if acc.renewal_date:
        parts.append(f"renewal {acc.renewal_date.isoformat()}")
    if report.sponsors:
        parts.append("our sponsor " + ", ".join(report.sponsors))
    return " · ".join(parts)


LEGEND = (
    "★ champion",
    "●●●○○ relationship strength 1-5",
    "✓ engaged",
    "⚠ overdue for a touch",
    "✗ departed",
    "KEY: their departure raises a high-level risk",
    "dashed box: open plan target, nobody yet",
    "dashed line: reports to someone in another band",
    "dotted line (+ − 0): influences for us, against us, neither",
)


def _legend(width: float) -> list[str]:
    lines: list[str] = []
    for item in LEGEND:
        if lines and text_width(lines[-1] + " · " + item, 12) <= width:
            lines[-1] += " · " + item
        else:
            lines.append(item)
    return lines


class _Obstacles:
    """The boxes by row, to ask quickly whether a vertical line would pass over one."""

    def __init__(self, nodes: Sequence[Node]) -> None:
        rows: dict[float, list[Node]] = {}
        for n in nodes:
            rows.setdefault(n.y, []).append(n)
        self.rows = sorted((y, sorted(ns, key=lambda n: n.x)) for y, ns in rows.items())
        self.tops = [y for y, _ in self.rows]
        self.used: dict[float, list[tuple[float, float, str]]] = {}  # x -> vertical runs (lo, hi, boss)

    def clear(self, x: float, y1: float, y2: float, skip: set[str]) -> bool:
        """No box but those in `skip` meets the vertical line at x from y1 to y2."""
        lo, hi = min(y1, y2), max(y1, y2)
        first = max(0, bisect.bisect_left(self.tops, lo - BOX_H - 2))
        for y, row in self.rows[first:]:
            if y - 2 > hi:
                break
            if y + BOX_H + 2 < lo:
                continue
            i = bisect.bisect_right([n.x for n in row], x + 2) - 1
            if i >= 0 and row[i].x + BOX_W + 2 >= x and row[i].key not in skip:
                return False
        return True

    def free_run(self, x: float, y1: float, y2: float, boss: str) -> bool:
        """No other boss's line already runs along x over part of y1..y2."""
        lo, hi = min(y1, y2), max(y1, y2)
        return all(b == boss or end < lo or start > hi for start, end, b in self.used.get(x, ()))

    def take(self, x: float, y1: float, y2: float, boss: str) -> None:
        self.used.setdefault(x, []).append((min(y1, y2), max(y1, y2), boss))


def _influences(report: MapReport, by_key: dict[str, Node]) -> list[tuple[str, str, str]]:
    """(from key, to key, sign) of every influence line between two boxes on the chart."""
    return [
        (f"c{x.from_id}", f"c{x.to_id}", x.sign)
        for x in report.influences
        if f"c{x.from_id}" in by_key and f"c{x.to_id}" in by_key and x.from_id != x.to_id
    ]


def _route(
    nodes: list[Node],
    by_key: dict[str, Node],
    trunks: dict[str, float],
    order: dict[str, int],
    left: float,
    influences: Sequence[tuple[str, str, str]] = (),
) -> tuple[list[Edge], int]:
    """Every reports-to line and influence line, and how many left-margin lanes the lines
    that leave a tree needed.

    A line inside a band's tree follows the tree. A line across bands (and
    every influence line) goes straight down when no box is in the way; else
    it leaves through the free strip beside the boss's row, runs along the
    nearest gutter clear of boxes (the left margin at worst, one lane per
    boss), and enters through the free strip above the report's row.
    Influence lines run between the reports-to lines of a strip (their own
    offsets), dotted, so the two never draw as one.
    """
    obstacles = _Obstacles(nodes)
    gutters = sorted({n.x - GAP_X / 2 for n in nodes} | {n.x + BOX_W + GAP_X / 2 for n in nodes})
    cross = sorted(
        (n for n in nodes if n.boss and by_key[n.boss].band != n.band),
        key=lambda n: (order[n.boss or ""], n.y, n.x),
    )
    step_of = {k: i % 6 for i, k in enumerate(dict.fromkeys(n.boss for n in cross))}
    lanes: dict[str, int] = {}
    edges: list[Edge] = []
    for n in nodes:
        boss = by_key.get(n.boss) if n.boss else None
        if boss is None or boss.band != n.band:
            continue
        bx, by, cx, cy = boss.x + BOX_W / 2, boss.y + BOX_H, n.x + BOX_W / 2, n.y
        below, above = by + GAP_Y / 2, cy - GAP_Y / 2
        if abs(below - above) < 0.5:
            pts = [(bx, by), (bx, below), (cx, below), (cx, cy)]
        else:  # wrapped children: down the parent's trunk in its gutter
            t = trunks[boss.key]
            pts = [(bx, by), (bx, below), (t, below), (t, above), (cx, above), (cx, cy)]
        edges.append(Edge(boss.key, n.key, pts, False))
    route = _Router(obstacles, gutters, lanes, left)
    for n in cross:
        boss = by_key[n.boss or ""]
        off = 5 + step_of[boss.key] * 2.5  # lines of different bosses in one strip run side by side, not on top
        edges.append(Edge(boss.key, n.key, route(boss, n, off, boss.key), True))
    for i, (source, target, sign) in enumerate(influences):
        a, b = by_key[source], by_key[target]
        off = 6.25 + (i % 6) * 2.5  # between the reports-to lines' offsets
        edges.append(Edge(a.key, b.key, route(a, b, off, f"i{a.key}"), a.band != b.band, sign))
    return edges, min(len(lanes), MAX_LANES)


@dataclass
class _Router:
    """A line from one box to another that leaves its own tree: straight down when nothing is
    in the way, else out through the free strip beside the first box's row, along a gutter clear
    of boxes (a left-margin lane at worst, one per `owner`), in through the strip above the
    second box's row."""

    obstacles: _Obstacles
    gutters: list[float]
    lanes: dict[str, int]
    left: float

    def __call__(self, boss: Node, n: Node, off: float, owner: str) -> list[tuple[float, float]]:
        obstacles = self.obstacles
        bx, cx, cy = boss.x + BOX_W / 2, n.x + BOX_W / 2, n.y
        down = boss.y < n.y
        by = boss.y + BOX_H if down else boss.y
        enter = cy - off
        if down and obstacles.clear(bx, by, enter, {boss.key}) and obstacles.free_run(bx, by, enter, owner):
            obstacles.take(bx, by, enter, owner)
            return [(bx, by), (bx, enter), (cx, enter), (cx, cy)]
        leave = by + off if down else by - off
        best: float | None = None
        for g in sorted(self.gutters, key=lambda g: (abs(g - bx) + abs(g - cx), g)):
            for gx in (g, g - 4, g + 4, g - 8, g + 8):
                if obstacles.clear(gx, leave, enter, set()) and obstacles.free_run(gx, leave, enter, owner):
                    best = gx
                    break
            if best is not None:
                break
        if best is None:
            lane = self.lanes.setdefault(owner, len(self.lanes) % MAX_LANES)
            best = self.left - LANE_STEP * (lane + 1)
        obstacles.take(best, leave, enter, owner)
        return [(bx, by), (bx, leave), (best, leave), (best, enter), (cx, enter), (cx, cy)]


# -- drawing -------------------------------------------------------------------------------------------


def _num(v: float) -> str:
    return f"{v:.1f}".rstrip("0").rstrip(".")


def _badges(items: Iterable[tuple[str, str]], x: float, y: float, right: float) -> list[str]:
    out = []
    for label, cls in items:
        w = text_width(label, 9.5, bold=True) * 0.92 + 10
        if x + w > right:
            out.append(f'<text class="title" x="{_num(x)}" y="{_num(y + 12)}">…</text>')
            break
        out.append(
            f'<g class="badge {cls}"><rect x="{_num(x)}" y="{_num(y)}" width="{_num(w)}" height="16" rx="8"/>'
            f'<text x="{_num(x + w / 2)}" y="{_num(y + 11.5)}" text-anchor="middle">{xml_text(label)}</text></g>'
        )
        x += w + 4
    return out


def _dots(strength: int | None, x: float, y: float) -> str:
    if strength is None:
        return f'<text class="dots s-none" x="{_num(x)}" y="{_num(y)}">○○○○○</text>'
    cls = "s-high" if strength >= 4 else "s-mid" if strength == 3 else "s-low"
    return (
        f'<text class="dots" x="{_num(x)}" y="{_num(y)}"><tspan class="{cls}">{"●" * strength}</tspan>'
        f'<tspan class="s-none">{"○" * (5 - strength)}</tspan></text>'
    )


def _node_svg(n: Node) -> str:
    x, y, inner = n.x, n.y, BOX_W - 20
    ident = f' data-contact-id="{n.contact_id}"' if n.contact_id is not None else ""
    out = [
        f'<g class="{n.classes}" id="n-{n.key}"{ident}>',
        f"<title>{xml_text(n.tooltip)}</title>",
        f'<rect class="box" x="{_num(x)}" y="{_num(y)}" width="{BOX_W}" height="{BOX_H}" rx="8"/>',
    ]
    name_x, name_w = x + 10, inner
    if n.champion:
        out.append(f'<text class="name star" x="{_num(x + 10)}" y="{_num(y + 22)}">★</text>')
        name_x, name_w = x + 28, inner - 18
    if n.key_person:
        name_w -= 40
        out += _badges([("KEY", "key")], x + BOX_W - 44, y + 9, x + BOX_W)
    name = xml_text(fit(n.name, name_w, 14, True))
    out.append(f'<text class="name" x="{_num(name_x)}" y="{_num(y + 22)}">{name}</text>')
    if n.title:
        title = xml_text(fit(n.title, inner, 12))
        out.append(f'<text class="title" x="{_num(x + 10)}" y="{_num(y + 40)}">{title}</text>')
    mark_x = x + 10
    if not n.placeholder:
        out.append(_dots(n.strength, x + 10, y + 60))
        mark_x = x + 80
    mark = xml_text(fit(n.mark_text, x + BOX_W - 10 - mark_x, 11, True))
    out.append(f'<text class="mark {n.mark}" x="{_num(mark_x)}" y="{_num(y + 59)}">{mark}</text>')
    badges = [(ROLE_BADGE.get(r, r.upper()), "detractor" if r == "detractor" else "role") for r in n.roles]
    if n.plan_action:
        badges.insert(0, ("PLAN", "plan"))
    if badges:
        out += _badges(badges, x + 10, y + 66, x + BOX_W - 8)
    out.append("</g>")
    return "".join(out)


SIGN_MARK = {"positive": "+", "negative": "−", "neutral": "0"}


def _edge_svg(e: Edge) -> str:
    (x0, y0), *rest = e.points
    d = f"M{_num(x0)} {_num(y0)}" + "".join(f"L{_num(x)} {_num(y)}" for x, y in rest)
    if e.sign:  # its sign where it leaves the first box, in the strip beside its row
        (_, _), (x1, y1) = e.points[0], e.points[1]
        mark = f'<text class="sign {e.sign}" x="{_num(x1 + 4)}" y="{_num(y1 + 4)}">{SIGN_MARK[e.sign]}</text>'
        return (
            f'<path class="influence {e.sign}" data-from="{e.boss}" data-to="{e.report}" '
            f'data-sign="{e.sign}" d="{d}"/>{mark}'
        )
    cls = "edge cross" if e.cross else "edge"
    return f'<path class="{cls}" data-from="{e.boss}" data-to="{e.report}" d="{d}"/>'


def render_svg(report: MapReport, chart: Chart | None = None) -> str:
    """The org chart as a standalone SVG document (UTF-8 text, no XML declaration)."""
    chart = chart or layout(report)
    w, h = chart.width, chart.height
    account = xml_text(chart.account)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" '
        'role="img" aria-labelledby="chart-title">',
        f'<title id="chart-title">Stakeholder map: {account}</title>',
        f"<desc>{xml_text(chart.subtitle)}</desc>",
        f"<style>{STYLE}</style>",
        f'<rect x="0" y="0" width="{w}" height="{h}" fill="#ffffff"/>',
        f'<text class="heading" x="{MARGIN}" y="{MARGIN + 26}">Stakeholder map: {account}</text>',
        f'<text class="subheading" x="{MARGIN}" y="{MARGIN + 50}">{xml_text(chart.subtitle)}</text>',
    ]
    for b in chart.bands:
        empty = (
            f'<text class="empty" x="{_num(b.x + BAND_PAD)}" y="{_num(b.y + BAND_HEAD + 8)}">'
            "(nobody mapped at this level)</text>"
            if b.empty
            else ""
        )
        out.append(
            f'<g class="band" data-band="{b.band.value}"><rect x="{_num(b.x)}" y="{_num(b.y)}" '
            f'width="{_num(b.width)}" height="{_num(b.height)}" rx="10"/>'
            f'<text x="{_num(b.x + BAND_PAD)}" y="{_num(b.y + 20)}">{BAND_TITLES[b.band]}</text>{empty}</g>'
        )
    out += ['<g class="edges">', *(_edge_svg(e) for e in chart.edges), "</g>"]
    out += ['<g class="nodes">', *(_node_svg(n) for n in chart.nodes), "</g>"]
    legend_y = h - MARGIN - 20 * len(chart.legend) + 14
    for i, line in enumerate(chart.legend):
        out.append(f'<text class="legend" x="{MARGIN}" y="{_num(legend_y + 20 * i)}">{xml_text(line)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def render_html(report: MapReport) -> str:
    """A self-contained HTML page with the SVG inline (opens in any browser, prints on one page)."""
    chart = layout(report)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>Stakeholder map: {xml_text(chart.account)}</title>\n"
        f"<style>body{{margin:0;padding:16px;background:#fff;font-family:{FONT}}}"
        "svg{max-width:100%;height:auto;display:block}@media print{body{padding:0}}</style>\n"
        "</head>\n<body>\n" + render_svg(report, chart) + "</body>\n</html>\n"
    )


__all__ = ["Chart", "Edge", "Node", "chart_width", "layout", "render_html", "render_svg", "xml_text"]
