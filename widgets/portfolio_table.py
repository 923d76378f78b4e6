"""The portfolio as a table: one row per account, keyed by account id."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from rich.text import Text

from stakeworks.domain.labels import FACTOR_SHORT, TIER, TIER_ORDER, label
from stakeworks.widgets import dates, palette
from stakeworks.widgets.badges import money, plain, risk_badge, sparkline
from stakeworks.widgets.virtual_table import VColumn, VirtualTable

if TYPE_CHECKING:  # the rules behind AccountSummary load in the portfolio worker, after the first frame
    from stakeworks.domain.portfolio import AccountSummary

RISK_RANK = {"high": 0, "medium": 1, "low": 2}

# column key -> (label, cell builder, sort key)
Column = tuple[str, Callable[["AccountSummary", date], Any], Callable[["AccountSummary"], Any]]


def _renewal(s: AccountSummary, today: date) -> Text:
    days = s.days_to_renewal(today)
    if days is None:
        return Text("—", style="dim")
    style = palette.BAD_STRONG if days <= 90 else ""  # lapsed (negative) is the most urgent, not faded
    return Text(f"{dates.show(s.renewal_date)} ({days:+d}d)", style=style)


def _change(s: AccountSummary) -> Text:
    if s.change_30d is None:
        return Text("new", style="dim")
    if s.change_30d == 0:
        return Text("=", justify="right")
    # A rising score is worse: more risk.
    return Text(
        f"{'▲' if s.change_30d > 0 else '▼'}{abs(s.change_30d)}",
        style=palette.BAD if s.change_30d > 0 else palette.GOOD,
        justify="right",
    )


def _factors(s: AccountSummary) -> Text:
    """Each fired factor in a word or two, highest level first; the account screen and
    triage's detail line give the full sentences."""
    words = [label(FACTOR_SHORT, f.code) for f in s.factors if f.code != "multi_threaded"]
    return Text(", ".join(words) or "multi-threaded" if s.factors else "—")


COLUMNS: dict[str, Column] = {
    "risk": ("Risk", lambda s, t: risk_badge(s.risk), lambda s: RISK_RANK[s.risk]),
    "score": ("Risk score", lambda s, t: Text(str(s.score), justify="right"), lambda s: -s.score),
    "name": ("Account", lambda s, t: plain(s.label), lambda s: s.label.casefold()),
    "arr": ("ARR", lambda s, t: Text(money(s.arr), justify="right"), lambda s: -s.arr),
    "renewal": ("Renewal", _renewal, lambda s: s.renewal_date or date.max),
    "csm": ("CSM", lambda s, t: plain(s.csm), lambda s: s.csm.casefold()),
    "tier": ("Tier", lambda s, t: Text(label(TIER, s.tier)), lambda s: TIER_ORDER.get(s.tier, len(TIER_ORDER))),
    "bus": ("Bus", lambda s, t: Text(str(s.bus_factor), style=palette.BAD_STRONG if s.bus_factor <= 1 else ""), lambda s: s.bus_factor),
    "contacts": ("People", lambda s, t: Text(f"{s.active_count}/{s.contact_count}", justify="right"), lambda s: s.active_count),
    "sponsor": ("Our sponsor", lambda s, t: plain(", ".join(s.sponsors) or "—"), lambda s: (not s.sponsors, ", ".join(s.sponsors).casefold())),
    "trend": ("Trend 90d", lambda s, t: Text(sparkline(list(s.trend), 13), style=palette.ACCENT), lambda s: s.change_30d or 0),
    "change": ("Δ30d", lambda s, t: _change(s), lambda s: -(s.change_30d or 0)),
    "factors": ("Why (risk factors)", lambda s, t: _factors(s), lambda s: -len(s.factors)),
}  # fmt: skip


WIDTHS = {"risk": 6, "score": 10, "change": 5, "trend": 13, "name": 26, "arr": 6, "renewal": 18, "csm": 16,
          "tier": 10, "bus": 3, "contacts": 6, "sponsor": 20, "factors": 40}  # fmt: skip
# How narrow a column may get before it drops (the renewal date keeps its whole date).
MIN_WIDTHS = {"name": 24, "csm": 10, "sponsor": 12, "factors": 24}
RIGHT = {"score", "change", "arr", "bus", "contacts"}
CUT_AT = {"renewal": " (", "factors": ", "}  # a value is never cut mid-way


class PortfolioTable(VirtualTable):
    """Accounts with their verdicts; click a header (or press s) to sort.

    Row key = account id. Only the visible rows are ever turned into cells.
    """

    def __init__(self, columns: Sequence[str], *, priority: Sequence[str] = (), id: str | None = None) -> None:
        """`priority`: the column keys from the one to keep longest (default: `columns`' order);
        "key+" in it is where that column widens to its full width (see `fit_columns`)."""
        order = list(priority or columns)
        rank = {k: i for i, k in enumerate(order) if not k.endswith("+")}
        grow = {k[:-1]: i for i, k in enumerate(order) if k.endswith("+")}
        # The renewal column fits the whole date in the format in use, then "(+24d)" when there is room.
        widths = {**WIDTHS, "renewal": dates.widest() + 8}
        min_widths = {**MIN_WIDTHS, "renewal": dates.widest()}
        super().__init__(
            [
                VColumn(k, COLUMNS[k][0], widths[k], "right" if k in RIGHT else "left", rank.get(k, len(order)),
                        min_widths.get(k), grow.get(k), CUT_AT.get(k), k == "factors",
                        keep_end_after=" (" if k == "name" else None)
                for k in columns
            ],
            id=id,
        )  # fmt: skip
        self.column_keys = list(columns)
        self.sort_column: str | None = None
        self.sort_reverse = False
        self.today = date.today()
        self._rows: list[AccountSummary] = []
        self._shown: list[AccountSummary] = []

    def show(self, rows: Sequence[AccountSummary], today: date) -> None:
        """Show these rows (already in triage order unless a column sort is on)."""
        self.today = today
        self._rows = list(rows)
        shown = list(rows)
        if self.sort_column:
            shown.sort(key=COLUMNS[self.sort_column][2], reverse=self.sort_reverse)
        self._shown = shown
        self.set_header_marks({self.sort_column: " ▼" if not self.sort_reverse else " ▲"} if self.sort_column else {})
        keep = self.cursor_key
        self.set_rows([str(s.id) for s in shown], lambda row, col: COLUMNS[col][1](self._shown[row], self.today), keep)

    @property
    def selected_account_id(self) -> int | None:
        key = self.cursor_key
        return int(key) if key is not None else None

    def on_virtual_table_header_selected(self, event: VirtualTable.HeaderSelected) -> None:
        event.stop()
        self.sort_by(event.column_key)

    def sort_by(self, column: str) -> None:
        if self.sort_column == column:
            self.sort_reverse = not self.sort_reverse
        else:
            self.sort_column, self.sort_reverse = column, False
        self.show(self._rows, self.today)

    @property
    def sort_label(self) -> str:
        """What the rows are sorted by, in words."""
        if self.sort_column is None:
            return "triage order"
        return f"{COLUMNS[self.sort_column][0]}{' (reversed)' if self.sort_reverse else ''}"

    def cycle_sort(self) -> str:
        """The next column on screen (never one dropped for width), then triage order."""
        order = [None, *(c.key for c in self.columns)]
        current = order.index(self.sort_column) if self.sort_column in order else 0
        nxt = order[(current + 1) % len(order)]
        self.sort_column, self.sort_reverse = nxt, False
        self.show(self._rows, self.today)
        return self.sort_label
