"""The stakeholder map as seed 000 draws it: level bands, org tree, dots, marks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from stakeworks.domain.influence import MARKS, InfluenceLine
from stakeworks.domain.models import Contact
from stakeworks.domain.reports_to import drawn_manager
from stakeworks.domain.rules import NEVER_TOUCHED, STALE, Assessment, band_of
from stakeworks.domain.vocab import Band
from stakeworks.widgets import palette
from stakeworks.widgets.badges import dots

BAND_TITLES = {
    Band.EXECUTIVE: "Executive (C-level)",
    Band.SENIOR: "Senior (VP / Director)",
    Band.WORKING: "Working (Manager / User)",
}
ROLE_TAGS = {
    "champion": "CHAMP",
    "economic_buyer": "EB",
    "decision_maker": "DM",
    "executive_sponsor": "THEIR SPONSOR",
    "technical_lead": "TECH",
    "end_user_champion": "EU-CHAMP",
    "influencer": "INFL",
    "detractor": "DETRACTOR",
    "end_user": "USER",
}


def contact_label(c: Contact, assessment: Assessment, key_people: set[int], today: date) -> tuple[Text, Text]:
    """Who they are (name, title, strength, roles, key), and what is wrong (warnings): the map puts
    the second on a line of its own when both do not fit its width."""
    state = assessment.states.get(c.id)
    label = Text()
    label += Text("★ " if "champion" in c.roles else "  ", style=palette.STAR)
    label += Text(c.name, style="bold" if state and state.engaged else "dim" if c.status != "active" else "")
    if c.title:
        label += Text(f" · {c.title}", style="dim")
    label += Text(" ") + dots(c.strength)
    for role in sorted(c.roles):
        label += Text(f" [{ROLE_TAGS[role]}]", style=palette.BAD_STRONG if role == "detractor" else palette.ACCENT)
    warnings = []
    if c.status == "departed":
        warnings.append(f"departed {c.departed_on or ''}".strip())
    elif c.status == "not_engaged":
        warnings.append("not engaged")
    if state and state.overdue:
        if state.days_since_touch is None:
            warnings.append(f"never touched (every {state.threshold_days}d)")
        else:
            warnings.append(f"overdue {state.days_since_touch}d/{state.threshold_days}d")
    elif state and state.why_not == NEVER_TOUCHED:
        warnings.append("never touched")
    elif state and state.why_not == STALE:
        warnings.append(f"last touched {state.days_since_touch}d ago")
    if c.sentiment == "detractor" or "detractor" in c.roles:
        warnings.append("detractor")
    if c.id in key_people:
        label += Text(" 🔑key", style=palette.KEY)
    return label, Text(" ⚠ " + ", ".join(warnings), style=palette.BAD_STRONG) if warnings else Text()


SIGN_STYLE = {"positive": palette.GOOD, "negative": palette.BAD, "neutral": palette.MUTED}


def influence_label(lines: Sequence[InfluenceLine], names: dict[int, str]) -> Text:
    """A contact's influence lines (DOMAIN section 14), dotted with their sign, apart from the
    tree's reports-to: `┈(+)┈▶ Sarah Kim  ┈(-)┈▶ Lisa Park`."""
    out = Text()
    for i, x in enumerate(lines):
        out += Text(("  " if i else "") + f"┈({MARKS[x.sign]})┈▶ ", style=SIGN_STYLE[x.sign])
        out += Text(names.get(x.to_id, "?"), style="dim")
    return out


@dataclass(frozen=True, slots=True)
class MapEntry:
    """One person on the map, their lines built: what `map_layout` computes off the UI thread."""

    contact_id: int
    label: Text
    warning: Text
    """What is wrong, put after the label or on a line of its own when both do not fit."""
    sways: Text | None
    """Their influence lines, on a line under them."""
    children: tuple[MapEntry, ...]


MapLayout = tuple[tuple[Band, tuple[MapEntry, ...]], ...]
"""Each band with the people at its top, their reports under them."""


def map_layout(
    contacts: Sequence[Contact], assessment: Assessment, key_people: set[int], today: date,
    influences: Sequence[InfluenceLine] = (),
) -> MapLayout:  # fmt: skip
    """The map's people and lines, pure computation: a screen builds it in its worker so that the
    UI thread only adds the tree's nodes (a 200-contact account's labels take tens of ms)."""
    by_id = {c.id: c for c in contacts}
    names = {c.id: c.name for c in contacts if c.id is not None}
    outgoing: dict[int, list[InfluenceLine]] = {}
    for x in influences:
        outgoing.setdefault(x.from_id, []).append(x)
    # A person hangs under their manager when both sit in the same band.
    children: dict[int | None, list[Contact]] = {}
    for c in sorted(contacts, key=lambda c: (c.status == "departed", c.name)):
        boss = drawn_manager(c, by_id)
        parent = boss.id if boss is not None and band_of(boss.level) == band_of(c.level) else None
        children.setdefault(parent, []).append(c)

    def entry(c: Contact, depth: int) -> MapEntry:
        label, warning = contact_label(c, assessment, key_people, today)
        boss = by_id.get(c.reports_to_id) if c.reports_to_id else None
        if depth == 1 and boss is not None:
            warning += Text(f" ↑ {boss.name}", style="dim")
        sways = influence_label(outgoing[c.id], names) if c.id in outgoing else None
        kids = tuple(entry(k, depth + 1) for k in children.get(c.id, []))
        return MapEntry(c.id, label, warning, sways, kids)  # type: ignore[arg-type]  # stored contacts: ids set

    top = children.get(None, [])
    return tuple((band, tuple(entry(c, 1) for c in top if band_of(c.level) == band)) for band in Band)


class StakeholderMap(Tree[int]):
    """Bands as top nodes; inside each, people under whoever they report to
    (when the manager is in the same band), else at the band's top."""

    DEFAULT_CSS = """
    StakeholderMap { height: 1fr; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(Text("Stakeholders"), id=id)
        self.show_root = False
        self.guide_depth = 3
        self._shown: MapLayout | None = None
        self._shown_width = 0

    def on_resize(self) -> None:
        # Lines are split to fit the width: a width that splits them otherwise lays them out
        # again. Only then: the scrollbar a large account's map gets as it fills narrows it by
        # two cells, which seldom moves a split, and rebuilding 200 people's nodes costs ~5 ms.
        width = self.scrollable_content_region.width
        if self._shown is not None and width != self._shown_width:
            if self._splits(self._shown, width) != self._splits(self._shown, self._shown_width):
                self.show(self._shown)
            else:
                self._shown_width = width

    def _apart(self, e: MapEntry, depth: int, width: int) -> bool:
        """Whether what is wrong goes on a line of its own under the person (the same contact
        when selected): wrapped, never cut, when the whole would not fit the map's width."""
        room = width - depth * self.guide_depth - 2  # the expand mark a split line adds
        return bool(e.warning) and width > 0 and e.label.cell_len + e.warning.cell_len > room

    def _splits(self, layout: MapLayout, width: int) -> list[bool]:
        found: list[bool] = []

        def walk(e: MapEntry, depth: int) -> None:
            found.append(self._apart(e, depth, width))
            for k in e.children:
                walk(k, depth + 1)

        for _band, top in layout:
            for e in top:
                walk(e, 1)
        return found

    def _width_for(self, layout: MapLayout) -> int:
        """The width its lines will have: without the vertical scrollbar that more people than
        fit its height bring (else it would lay them all out twice as it fills)."""
        region = self.scrollable_content_region
        lines = len(layout) + len(self._splits(layout, region.width))  # at least
        if not self.show_vertical_scrollbar and self.styles.overflow_y == "auto" and lines > region.height:
            return region.width - self.styles.scrollbar_size_vertical
        return region.width

    def get_label_width(self, node: TreeNode[int]) -> int:
        # What `render_label` would measure, without building each label's Text again: the
        # tree measures every line (~220 for a 200-contact account) whenever it changes.
        icon = (self.ICON_NODE_EXPANDED if node.is_expanded else self.ICON_NODE) if node.allow_expand else ""
        label = node.label  # the label as `process_label` made it: a Text
        return cell_len(icon) + (label.cell_len if isinstance(label, Text) else cell_len(label))

    def show(self, layout: MapLayout, select: int | None = None) -> None:
        """The people of `layout` (from `map_layout`) as the tree's nodes, the cursor kept on whom it was."""
        previous = select if select is not None else self.selected_contact_id
        self._shown = layout
        width = self._shown_width = self._width_for(layout)
        self.clear()
        nodes: dict[int, TreeNode[int]] = {}

        def add(parent: TreeNode[int], e: MapEntry, depth: int) -> None:
            apart = self._apart(e, depth, width)
            label = e.label if apart or not e.warning else e.label + e.warning
            split = e.children or apart or e.sways is not None
            node = (
                parent.add(label, data=e.contact_id, expand=True)
                if split
                else parent.add_leaf(label, data=e.contact_id)
            )
            if apart:
                node.add_leaf(e.warning, data=e.contact_id)
            if e.sways is not None:  # their influence lines, dotted with the sign, on a line under them
                node.add_leaf(e.sways, data=e.contact_id)
            for k in e.children:
                add(node, k, depth + 1)
            nodes[e.contact_id] = node

        for band, top in layout:
            band_node = self.root.add(Text(BAND_TITLES[band], style="bold"), expand=True)
            for e in top:
                add(band_node, e, 1)
            if not top:
                band_node.add_leaf(Text("(nobody mapped at this level)", style="dim italic"))
        target = nodes.get(previous) if previous is not None else next(iter(nodes.values()), None)
        if target is not None:
            self.call_after_refresh(self.move_cursor, target)

    @property
    def selected_contact_id(self) -> int | None:
        node = self.cursor_node
        return node.data if node is not None else None
