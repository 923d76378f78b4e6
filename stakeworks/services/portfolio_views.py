"""What the heat map, cadence and sponsors screens show: the first two from one read of every
contact.

The app computes them in a worker once the portfolio is loaded (issue 20), so opening a
screen shows ready rows instead of reading 200,000 contacts and assessing each again; a
screen opened before that, or after the portfolio changed, computes its own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from stakeworks.domain.cadence import CadenceItem, cadence
from stakeworks.domain.heatmap import Cell, account_row, totals
from stakeworks.domain.rows import ContactRow
from stakeworks.domain.settings import Settings
from stakeworks.services.ports import StorePort
from stakeworks.services.program import Pair, Program, load_program


@dataclass(frozen=True, slots=True)
class HeatmapData:
    rows: list[tuple[int, str, dict[str, Cell]]]  # (account id, name, persona -> cell), by name
    meta: dict[int, tuple[str, str, str]]  # account id -> (tier, region, CSM)
    totals: dict[str, int]  # persona -> accounts engaged there, over every row (no filter)
    keys: list[str]  # each row's key (its account id)


@dataclass(frozen=True, slots=True)
class CadenceData:
    items: list[CadenceItem]
    csm_of: dict[int, str]
    keys: list[str]  # each item's row key (its contact id), made here rather than on the UI thread
    overdue: int


def heatmap_data(
    store: StorePort, today: date, settings: Settings, contacts: Mapping[int, Sequence[ContactRow]] | None = None
) -> HeatmapData:
    by_account = store.contact_rows() if contacts is None else contacts
    rows, meta = [], {}
    for a in sorted(store.account_rows(), key=lambda a: a.name.casefold()):
        rows.append((a.id, a.name, account_row(by_account.get(a.id, ()), today, settings)))
        meta[a.id] = (a.tier, a.region, a.csm)
    return HeatmapData(rows, meta, totals([cells for _, _, cells in rows]), [str(r[0]) for r in rows])


def cadence_data(
    store: StorePort, today: date, settings: Settings, contacts: Mapping[int, Sequence[ContactRow]] | None = None
) -> CadenceData:
    accounts = store.account_rows()
    names = {a.id: a.name for a in accounts}
    items = cadence(names, store.contact_rows() if contacts is None else contacts, today, settings)
    keys = [str(it.contact.id) for it in items]
    return CadenceData(items, {a.id: a.csm for a in accounts}, keys, sum(1 for it in items if it.overdue))


@dataclass(frozen=True, slots=True)
class SponsorProgramData:
    program: Program
    pairs: list[Pair]  # the optimiser's suggestion
    starts: dict[tuple[int, int], date]  # (executive, account) -> since when


def sponsor_program(store: StorePort, today: date) -> SponsorProgramData:
    prog = load_program(store, today)
    pairs = prog.suggestion()
    starts = {(a.executive_id, a.account_id): a.start_date for a in store.assignments()}
    return SponsorProgramData(prog, pairs, starts)


def both(store: StorePort, today: date, settings: Settings) -> tuple[HeatmapData, CadenceData]:
    contacts = store.contact_rows()
    return heatmap_data(store, today, settings, contacts), cadence_data(store, today, settings, contacts)
