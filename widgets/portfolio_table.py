"""The portfolio as a table: one row per account, keyed by account id."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from rich.text import Text
from textual.widgets import DataTable

from stakeworks.portfolio import AccountSummary
from widgets.badges import money, plain, risk_badge, sparkline

RISK_RANK = {"high": 0, "medium": 1, "low": 2}

# column key -> (label, cell builder, sort key)
Column = tuple[str, Callable[[AccountSummary, date], Any], Callable[[AccountSummary], Any]]


def _renewal(s: AccountSummary, today: date) -> Text:
    days = s.days_to_renewal(today)
    if days is None:
        return Text("—", style="dim")
    style = "bold red" if 0 <= days <= 90 else "dim" if days < 0 else ""
    return Text(f"{s.renewal_date.isoformat()} ({days:+d}d)", style=style)  # type: ignore[union-attr]


def _change(s: AccountSummary) -> Text:
    if s.change_30d is None:
        return Text("new", style="dim")
    if s.change_30d == 0:
        return Text("=", justify="right")
    # A rising score is worse: more risk.
    return Text(
        f"{'▲' if s.change_30d > 0 else '▼'}{abs(s.change_30d)}",
        style="red" if s.change_30d > 0 else "green",
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
    "bus": ("Bus", lambda s, t: Text(str(s.bus_factor), style="bold red" if s.bus_factor <= 1 else ""), lambda s: s.bus_factor),
    "contacts": ("People", lambda s, t: Text(f"{s.active_count}/{s.contact_count}", justify="right"), lambda s: s.active_count),
    "sponsor": ("Sponsor", lambda s, t: plain(", ".join(s.sponsors) or "—"), lambda s: ", ".join(s.sponsors)),
    "trend": ("Trend 90d", lambda s, t: Text(sparkline(list(s.trend), 13), style="cyan"), lambda s: s.change_30d or 0),
    "change": ("Δ30d", lambda s, t: _change(s), lambda s: -(s.change_30d or 0)),
    "factors": ("Factors", lambda s, t: plain(" ".join(c for c in s.factor_codes if c != "multi_threaded")), lambda s: len(s.factors)),
}  # fmt: skip


class PortfolioTable(DataTable[Any]):
    """Accounts with their verdicts; click a header (or press s) to sort."""

    DEFAULT_CSS = """
    PortfolioTable { height: 1fr; }
    """

    def __init__(self, columns: Sequence[str], *, id: str | None = None) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, id=id)
        self.column_keys = list(columns)
        self.sort_column: str | None = None
        self.sort_reverse = False
        self.today = date.today()
        self._rows: list[AccountSummary] = []

    def on_mount(self) -> None:
        for key in self.column_keys:
            self.add_column(COLUMNS[key][0], key=key)

    def show(self, rows: Sequence[AccountSummary], today: date) -> None:
        """Show these rows (already in triage order unless a column sort is on)."""
        self.today = today
        self._rows = list(rows)
        if self.sort_column:
            key = COLUMNS[self.sort_column][2]
            self._rows.sort(key=key, reverse=self.sort_reverse)
        selected = self.selected_account_id
        with self.app.batch_update():
            self.clear()
            for s in self._rows:
                self.add_row(*(COLUMNS[c][1](s, today) for c in self.column_keys), key=str(s.id))
        if selected is not None and str(selected) in self.rows:
            self.move_cursor(row=self.get_row_index(str(selected)))

    @property
    def selected_account_id(self) -> int | None:
        if not self.row_count:
            return None
        try:
            key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        except Exception:  # the cursor can sit past the end after a clear
            return None
        return int(key.value) if key.value is not None else None

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        event.stop()
        self.sort_by(str(event.column_key.value))

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
