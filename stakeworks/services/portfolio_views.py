"""What the heat map, cadence and sponsors screens show: the first two from one read of every
contact.

The app computes them in a worker once the portfolio is loaded (issue 20), so opening a
screen shows ready rows instead of reading 200,000 contacts and assessing each again; a
screen opened before that, or after the portfolio changed, computes its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from stakeworks.domain.cadence import CadenceItem, cadence, cadence_order
from stakeworks.domain.heatmap import Cell, account_row, totals
from stakeworks.domain.settings import Settings
from stakeworks.services.ports import StorePort
from stakeworks.services.slices import contact_slices


@dataclass(frozen=True, slots=True)
class HeatmapData:
    rows: list[tuple[int, str, dict[str, Cell]]]  # (account id, name, persona -> cell), by name
    meta: dict[int, tuple[str, str, str]]  # account id -> (tier, region, CSM)
    totals: dict[str, int]  # persona -> accounts engaged there, over every row (no filter)
    keys: list[str]  # each row's key (its account id)
    choices: tuple[list[str], list[str], list[str]]
    """The tiers, regions and CSMs the rows have, sorted: the filters' options, made here rather
    than on the UI thread (three passes over 50,000 accounts)."""


@dataclass(frozen=True, slots=True)
class CadenceData:
    items: list[CadenceItem]
    csm_of: dict[int, str]
    keys: list[str]  # each item's row key (its contact id), made here rather than on the UI thread
    overdue: int


def heatmap_data(store: StorePort, today: date, settings: Settings) -> HeatmapData:
    heat, _ = _views(store, today, settings, heatmap=True, cadence_too=False)
    assert heat is not None
    return heat


def cadence_data(store: StorePort, today: date, settings: Settings) -> CadenceData:
    _, due = _views(store, today, settings, heatmap=False, cadence_too=True)
    assert due is not None
    return due


def both(store: StorePort, today: date, settings: Settings) -> tuple[HeatmapData, CadenceData]:
    """The heat map's and cadence's rows from one read of every contact."""
    heat, due = _views(store, today, settings, heatmap=True, cadence_too=True)
    assert heat is not None and due is not None
    return heat, due


def _views(
    store: StorePort, today: date, settings: Settings, *, heatmap: bool, cadence_too: bool
) -> tuple[HeatmapData | None, CadenceData | None]:
    """Every contact read a slice of accounts at a time (services/slices.py): each slice's
    heat-map rows and cadence items are made before the next is read."""
    accounts = sorted(store.account_rows(), key=lambda a: a.name.casefold())
    names = {a.id: a.name for a in accounts}
    rows: list[tuple[int, str, dict[str, Cell]]] = []
    items: list[CadenceItem] = []
    for some, contacts in contact_slices(store, accounts):
        if heatmap:
            rows += [(a.id, a.name, account_row(contacts.get(a.id, ()), today, settings)) for a in some]
        if cadence_too:
            items += cadence(names, contacts, today, settings)
    heat = None
    if heatmap:
        meta = {a.id: (a.tier, a.region, a.csm) for a in accounts}
        tiers, regions, csms = (sorted({m[i] for m in meta.values() if m[i]}) for i in range(3))
        keys = [str(r[0]) for r in rows]
        heat = HeatmapData(rows, meta, totals([cells for _, _, cells in rows]), keys, (tiers, regions, csms))
    due = None
    if cadence_too:
        items.sort(key=cadence_order)
        keys = [str(it.contact.id) for it in items]
        due = CadenceData(items, {a.id: a.csm for a in accounts}, keys, sum(1 for it in items if it.overdue))
    return heat, due
