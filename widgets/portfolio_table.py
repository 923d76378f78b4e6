"""The portfolio as a table: one row per account, keyed by account id."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from rich.text import Text

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
    style = palette.BAD_STRONG if 0 <= days <= 90 else "dim" if days < 0 else ""
    return Text(f"{dates.show(s.renewal_date)} ({days:+d}d)", style=style)  # type: ignore[union-attr]


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


COLUMNS: dict[str, Column] = {
    "risk": ("Risk", lambda s, t: risk_badge(s.risk), lambda s: RISK_RANK[s.risk]),
    "score": ("Score", lambda s, t: Text(str(s.score), justify="right"), lambda s: -s.score),
    "name": ("Account", lambda s, t: plain(s.name), lambda s: s.name.casefold()),
    "arr": ("ARR", lambda s, t: Text(money(s.arr), justify="right"), lambda s: -s.arr),
    "renewal": ("Renewal", _renewal, lambda s: s.renewal_date or date.max),
    "csm": ("CSM", lambda s, t: plain(s.csm), lambda s: s.csm.casefold()),
    "tier": ("Tier", lambda s, t: plain(s.tier), lambda s: s.tier),
    "bus": ("Bus", lambda s, t: Text(str(s.bus_factor), style=palette.BAD_STRONG if s.bus_factor <= 1 else ""), lambda s: s.bus_factor),
    "contacts": ("People", lambda s, t: Text(f"{s.active_count}/{s.contact_count}", justify="right"), lambda s: s.active_count),
    "sponsor": ("Sponsor", lambda s, t: plain(", ".join(s.sponsors) or "—"), lambda s: ", ".join(s.sponsors)),
    "trend": ("Trend 90d", lambda s, t: Text(sparkline(list(s.trend), 13), style=palette.ACCENT), lambda s: s.change_30d or 0),
    "change": ("Δ30d", lambda s, t: _change(s), lambda s: -(s.change_30d or 0)),
    "factors": ("Factors", lambda s, t: plain(" ".join(c for c in s.factor_codes if c != "multi_threaded")), lambda s: len(s.factors)),
}  # fmt: skip


WIDTHS = {"risk": 7, "score": 5, "change": 5, "trend": 13, "name": 26, "arr": 6, "renewal": 19, "csm": 16,
          "tier": 10, "bus": 3, "contacts": 6, "sponsor": 20, "factors": 80}  # fmt: skip
RIGHT = {"score", "change", "arr", "bus", "contacts"}


class PortfolioTable(VirtualTable):
    """Accounts with their verdicts; click a header (or press s) to sort.

    Row key = account id. Only the visible rows are ever turned into cells.
    """

    def __init__(self, columns: Sequence[str], *, id: str | None = None) -> None:
        super().__init__(
            [VColumn(k, COLUMNS[k][0], WIDTHS[k], "right" if k in RIGHT else "left") for k in columns], id=id
        )
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

    def cycle_sort(self) -> str:
        order = [None, *self.column_keys]
        nxt = order[(order.index(self.sort_column) + 1) % len(order)]
        self.sort_column, self.sort_reverse = nxt, False
        self.show(self._rows, self.today)
        return COLUMNS[nxt][0] if nxt else "triage order"
