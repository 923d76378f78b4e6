"""What the heat map, cadence and sponsors screens show: the first two from one read of every
contact.

The app computes them in a worker once the portfolio is loaded (issue 20), so opening a
screen shows ready rows instead of reading 200,000 contacts and assessing each again; a
screen opened before that, or after the portfolio changed, computes its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import overload

import numpy as np

from stakeworks.domain.cadence import CadenceItem, cadence, is_overdue
from stakeworks.domain.heatmap import PERSONAS, STATES, Cell, account_row
from stakeworks.domain.rows import AccountRow
from stakeworks.domain.settings import Settings
from stakeworks.services.ports import StorePort
from stakeworks.services.slices import contact_slices


class HeatmapData:
    """The heat map as columns, one row per account by name: each persona's cell as a state
    code, a strength and a contact id (50,000 dicts of six Cells were 69 MB at 50k)."""

    __slots__ = ("account_ids", "names", "_states", "_strengths", "_contacts", "_meta", "choices", "totals", "keys")

    def __init__(
        self,
        account_ids: np.ndarray,
        names: Sequence[str],
        cells: np.ndarray,  # (rows, personas, 3): state code, strength (0: none), contact id (0: none)
        meta: np.ndarray,  # (rows, 3): tier, region, CSM as indexes into `choices` (-1: none)
        choices: tuple[list[str], list[str], list[str]],
    ) -> None:
        self.account_ids, self.names, self.choices = account_ids, names, choices
        """`choices`: the tiers, regions and CSMs the rows have, sorted: the filters' options, made
        here rather than on the UI thread (three passes over 50,000 accounts)."""
        self._states = np.ascontiguousarray(cells[:, :, 0], dtype=np.int8)
        self._strengths = np.ascontiguousarray(cells[:, :, 1], dtype=np.int8)
        self._contacts = np.ascontiguousarray(cells[:, :, 2], dtype=np.int64)
        self._meta = meta
        engaged = np.count_nonzero(self._states == STATES.index("engaged"), axis=0)
        self.totals = {p: int(engaged[i]) for i, p in enumerate(PERSONAS)}  # persona -> accounts engaged there
        self.keys = IdKeys(account_ids)  # each row's key (its account id)

    @classmethod
    def empty(cls) -> HeatmapData:
        return HeatmapData(np.zeros(0, np.int64), [], np.zeros((0, len(PERSONAS), 3), np.int64),
                           np.zeros((0, 3), np.int32), ([], [], []))  # fmt: skip

    def __len__(self) -> int:
        return len(self.account_ids)

    def cell(self, row: int, persona: str) -> Cell:
        """The persona's cell of a row, made when drawn (without the contact's name: no screen shows it)."""
        p = PERSONAS.index(persona)
        state, strength, contact = self._states[row, p], self._strengths[row, p], self._contacts[row, p]
        if state == _MISSING:
            return _MISSING_CELL
        return Cell(STATES[state], int(strength) or None, None, int(contact) or None)

    def where(self, tier: str | None, region: str | None, csm: str | None) -> np.ndarray:
        """Which rows have the tier, region and CSM given (None: any), as a mask."""
        keep = np.ones(len(self), dtype=bool)
        for i, wanted in enumerate((tier, region, csm)):
            if wanted is not None:
                code = self.choices[i].index(wanted) if wanted in self.choices[i] else -2
                keep &= self._meta[:, i] == code
        return keep

    def rows(self, keep: np.ndarray) -> HeatmapData:
        """The rows a mask keeps, in the same order, with their totals."""
        ids = self.account_ids[keep]
        names = [self.names[i] for i in np.flatnonzero(keep).tolist()]
        cells = np.stack((self._states[keep], self._strengths[keep], self._contacts[keep]), axis=2)
        return HeatmapData(ids, names, cells, self._meta[keep], self.choices)


_MISSING = STATES.index("missing")
_MISSING_CELL = Cell("missing")  # one for every missing cell


NONE = np.iinfo(np.int32).min
"""An int column's "no value" (never touched)."""
PRIORITIES = ("critical", "high", "medium", "varies", "low")  # cadence order


class IdKeys(Sequence[str]):
    """Row keys (ids as text, after `prefix`: "42", "suggestion:421") made when asked for:
    290,000 strings held for a table that shows forty rows were a tenth of the app's memory at
    50k (issue 36)."""

    __slots__ = ("_ids", "_prefix")

    def __init__(self, ids: np.ndarray, prefix: str = "") -> None:
        self._ids, self._prefix = ids, prefix

    def __len__(self) -> int:
        return len(self._ids)

    @overload
    def __getitem__(self, i: int) -> str: ...
    @overload
    def __getitem__(self, i: slice) -> list[str]: ...
    def __getitem__(self, i: int | slice) -> str | list[str]:
        if isinstance(i, slice):
            return [f"{self._prefix}{x}" for x in self._ids[i].tolist()]
        return f"{self._prefix}{int(self._ids[i])}"

    def index(self, key: object, start: int = 0, stop: int | None = None) -> int:
        """One comparison over the column (no string made per row)."""
        text = str(key)
        if not text.startswith(self._prefix):
            raise ValueError(key)
        try:
            wanted = int(text[len(self._prefix) :])
        except ValueError:
            raise ValueError(key) from None
        found = np.flatnonzero(self._ids[start:stop] == wanted)
        if not len(found):
            raise ValueError(key)
        return start + int(found[0])


@dataclass(frozen=True, slots=True)
class Due:
    """One cadence row, made when it is drawn or picked (CadenceData holds columns)."""

    account_id: int
    account: str
    contact_id: int
    name: str
    roles: frozenset[str]
    priority: str
    threshold_days: int
    days_since_touch: int | None
    due_in: int | None
    """Days until the threshold is passed, negative = overdue by that many; None = never touched."""

    @property
    def overdue(self) -> bool:
        return is_overdue(self.due_in)


class CadenceData(Sequence[Due]):
    """The cadence as columns, one entry per due contact, in cadence order: at 50k, 290,000
    CadenceItems each holding its whole ContactRow were 132 MB; these columns are under 25 MB."""

    __slots__ = ("_cols", "_names", "_roles", "account_names", "csm_of", "keys", "overdue")

    def __init__(
        self,
        cols: dict[str, np.ndarray],
        names: bytes,
        roles: Sequence[frozenset[str]],
        account_names: Mapping[int, str],
        csm_of: dict[int, str],
    ) -> None:
        self._cols, self._names, self._roles = cols, names, roles
        self.account_names, self.csm_of = account_names, csm_of
        self.keys = IdKeys(cols["contact"])  # each row's key (its contact id)
        due = cols["due"]
        self.overdue = int(np.count_nonzero((due == NONE) | (due < 0)))

    @classmethod
    def empty(cls) -> CadenceData:
        return _CadenceColumns().done({}, {}, {})

    def __len__(self) -> int:
        return len(self._cols["contact"])

    @overload
    def __getitem__(self, i: int) -> Due: ...
    @overload
    def __getitem__(self, i: slice) -> list[Due]: ...
    def __getitem__(self, i: int | slice) -> Due | list[Due]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        c = self._cols
        if not -len(self) <= i < len(self):
            raise IndexError(i)
        since, due, account_id = int(c["since"][i]), int(c["due"][i]), int(c["account"][i])
        return Due(
            account_id, self.account_names.get(account_id, "?"), int(c["contact"][i]),
            self._names[c["name_start"][i] : c["name_end"][i]].decode(), self._roles[c["roles"][i]],
            PRIORITIES[c["priority"][i]], int(c["threshold"][i]),
            None if since == NONE else since, None if due == NONE else due,
        )  # fmt: skip

    def __iter__(self) -> Iterator[Due]:
        return (self[i] for i in range(len(self)))

    def of_accounts(self, keep: Callable[[int], bool]) -> CadenceData:
        """The rows of the accounts `keep` keeps (each account asked once), in the same order."""
        ids = self._cols["account"]
        wanted = np.fromiter((a for a in np.unique(ids).tolist() if keep(a)), dtype=np.int64)
        mask = np.isin(ids, wanted)
        cols = {name: col[mask] for name, col in self._cols.items()}
        return CadenceData(cols, self._names, self._roles, self.account_names, self.csm_of)


class _CadenceColumns:
    """Collects each slice's cadence items (already in cadence order) as rows of numbers, so no
    ContactRow outlives its slice; `done` sorts them as `cadence_order` does: the account by its
    rank among the names, and within one account the slice's order (by name) holds, the sort
    being stable."""

    FIELDS = ("contact", "account", "name_start", "name_end", "roles", "priority", "threshold", "since", "due")
    # Names: offsets into one blob of ~15 bytes a contact, far below 2**31 at a million contacts.
    TYPES = (np.int64, np.int64, np.int32, np.int32, np.int32, np.int8, np.int32, np.int32, np.int32)

    def __init__(self) -> None:
        self.roles: dict[frozenset[str], int] = {}  # each set of roles held once
        self.names = bytearray()  # every name, UTF-8, one after another
        self.chunks: list[np.ndarray] = []

    def add(self, items: Iterable[CadenceItem]) -> None:
        names, roles, rows = self.names, self.roles, []
        for it in items:
            start = len(names)
            names += it.contact.name.encode()
            rows.append((
                it.contact.id or 0, it.account_id, start, len(names), roles.setdefault(it.contact.roles, len(roles)),
                PRIORITIES.index(it.priority), it.threshold_days,
                NONE if it.days_since_touch is None else it.days_since_touch, NONE if it.due_in is None else it.due_in,
            ))  # fmt: skip
        self.chunks.append(np.array(rows, dtype=np.int64).reshape(len(rows), len(self.FIELDS)))

    def done(self, rank: Mapping[int, int], account_names: Mapping[int, str], csm_of: dict[int, str]) -> CadenceData:
        table = np.concatenate(self.chunks) if self.chunks else np.zeros((0, len(self.FIELDS)), dtype=np.int64)
        self.chunks.clear()
        account_rank = np.fromiter((rank.get(a, -1) for a in table[:, 1].tolist()), np.int64, len(table))
        due = table[:, 8]
        order = np.lexsort((account_rank, np.where(due == NONE, 0, due), due != NONE, table[:, 5]))
        cols = {
            f: np.ascontiguousarray(table[order, i], dtype=t)
            for i, (f, t) in enumerate(zip(self.FIELDS, self.TYPES, strict=True))
        }
        return CadenceData(cols, bytes(self.names), tuple(self.roles), account_names, csm_of)


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
    cells: list[np.ndarray] = []
    due_columns = _CadenceColumns()
    for some, contacts in contact_slices(store, accounts):
        if heatmap:
            cells.append(_cell_codes([account_row(contacts.get(a.id, ()), today, settings) for a in some]))
        if cadence_too:
            due_columns.add(cadence(names, contacts, today, settings))
    heat = None
    if heatmap:
        heat = _heatmap(accounts, cells)
    due = None
    if cadence_too:
        due = due_columns.done(_name_ranks(accounts), names, {a.id: a.csm for a in accounts})
    return heat, due


def _name_ranks(accounts: Sequence[AccountRow]) -> dict[int, int]:
    """Each account's place among `accounts` (sorted by folded name); names that fold alike
    share one, as `cadence_order` compares them."""
    ranks: dict[int, int] = {}
    folded, rank = None, 0
    for i, a in enumerate(accounts):
        if a.name.casefold() != folded:
            folded, rank = a.name.casefold(), i
        ranks[a.id] = rank
    return ranks


def _cell_codes(rows: Sequence[dict[str, Cell]]) -> np.ndarray:
    """(rows, personas, 3): each cell's state code, strength and contact id (0: none)."""
    codes = [
        [(STATES.index(c.state), c.strength or 0, c.contact_id or 0) for c in (r[p] for p in PERSONAS)] for r in rows
    ]
    return np.array(codes, dtype=np.int64).reshape(len(rows), len(PERSONAS), 3)


def _heatmap(accounts: Sequence[AccountRow], cells: list[np.ndarray]) -> HeatmapData:
    meta = [(a.tier, a.region, a.csm) for a in accounts]
    choices = tuple(sorted({m[i] for m in meta if m[i]}) for i in range(3))
    code = [{v: n for n, v in enumerate(values)} for values in choices]
    meta_codes = np.array([[code[i].get(m[i], -1) for i in range(3)] for m in meta], np.int32).reshape(len(meta), 3)
    ids = np.fromiter((a.id for a in accounts), np.int64, len(accounts))
    every = np.concatenate(cells) if cells else np.zeros((0, len(PERSONAS), 3), np.int64)
    return HeatmapData(ids, [a.name for a in accounts], every, meta_codes, (choices[0], choices[1], choices[2]))
