"""Persona coverage heat map: accounts x personas, column totals, filters."""

from __future__ import annotations

import numpy as np
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Header, Select, Static

from stakeworks.domain.heatmap import PERSONAS, Cell
from stakeworks.screens.base import ShowsPrefetchedView, ShowsWorkerErrors, StakeworksScreen
from stakeworks.screens.messages import OpenAccount
from stakeworks.services.portfolio_views import HeatmapData, heatmap_data
from stakeworks.services.quiet_gc import collector_paused
from stakeworks.widgets import palette
from stakeworks.widgets.badges import plain
from stakeworks.widgets.key_footer import KeyFooter
from stakeworks.widgets.virtual_table import VColumn, VirtualTable

LABEL = {
    "champion": "Champion",
    "economic_buyer": "Econ. buyer",
    "executive_sponsor": "Their sponsor",
    "decision_maker": "Decision mkr",
    "technical_lead": "Tech lead",
    "end_user_champion": "EU champion",
}
SHORT_LABEL = {
    "champion": "Champion",
    "economic_buyer": "Buyer",
    "executive_sponsor": "Their sp.",
    "decision_maker": "Decider",
    "technical_lead": "Tech lead",
    "end_user_champion": "EU champ",
}


def cell_text(cell: Cell) -> Text:
    """Colour by strength, and always a mark: colour is never the only carrier."""
    if cell.state == "engaged":
        style = {5: palette.CELL_GREAT, 4: palette.CELL_GOOD, 3: palette.CELL_WARN}.get(cell.strength or 3, "")
        return Text(f" ■ {cell.strength} ", style=style)
    return {
        "detractor": Text(" ✗ det ", style=palette.CELL_BAD),
        "overdue": Text(" ! due ", style=palette.CELL_WARN),
        "known": Text(" ? known", style="italic"),
        "missing": Text(" · —  ", style="dim"),
    }[cell.state]


class HeatmapScreen(ShowsPrefetchedView, ShowsWorkerErrors, StakeworksScreen[None]):
    BINDINGS = [Binding("enter", "open", "Open at persona", id="heatmap.open", show=False)]
    DEFAULT_CSS = """
    HeatmapScreen #filters { height: auto; padding: 0 1; }
    HeatmapScreen #filters Select { width: 1fr; }
    HeatmapScreen #totals { height: auto; padding: 0 1; }
    HeatmapScreen #legend { height: 1; padding: 0 1; color: $text-muted; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.data = HeatmapData.empty()
        self.shown = self.data
        """The rows in the table, after the filters."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="filters"):
            yield Select([], prompt="Tier: any", id="tier")
            yield Select([], prompt="Region: any", id="region")
            yield Select([], prompt="CSM: any", id="csm")
            yield Select([("High", "high"), ("Medium", "medium"), ("Low", "low")], prompt="Risk: any", id="risk")
        yield Static(
            "■ n engaged (best strength) · ✗ detractor · ! overdue · ? known, not engaged · — missing", id="legend"
        )
        # 10,000 accounts: only the visible lines are drawn (a DataTable fill took seconds).
        # At 80 columns every persona stays in view: narrower cells, shorter headers.
        columns = [VColumn("account", "Account", 28, min_width=16)] + [
            VColumn(p, LABEL[p], 12, priority=1 + i, min_width=9, short_label=SHORT_LABEL[p])
            for i, p in enumerate(PERSONAS)
        ]
        yield VirtualTable(columns, cell_cursor=True, id="heatmap")
        yield Static("", id="totals")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.watch(self.app, "portfolio_stamp", self.portfolio_changed)
        table = self.query_one(VirtualTable)
        table.move_cursor_column(1)
        self.focus_when_shown(table)  # keys typed with ctrl+g move over the rows, once they are in

    view_name, view_type = "heatmap", HeatmapData

    @work(thread=True, exclusive=True, group="heatmap", exit_on_error=False)
    def load(self) -> None:
        session = self.session
        with collector_paused():
            data = heatmap_data(session.store, session.today, session.settings)
        self.app.call_from_thread(self.show, data)

    def show(self, data: HeatmapData) -> None:
        self.data = data
        for i, select_id in enumerate(("tier", "region", "csm")):
            select = self.query_one(f"#{select_id}", Select)
            current = select.value
            values = data.choices[i]
            with self.prevent(Select.Changed):
                select.set_options([(v, v) for v in values])
                if current in values:
                    select.value = current
        self.refresh_table()
        self.rows_shown()

    def _visible(self) -> HeatmapData:
        tier, region, csm = (self.query_one(f"#{s}", Select).value for s in ("tier", "region", "csm"))
        risk = self.query_one("#risk", Select).value
        if not isinstance(risk, str) and not any(isinstance(w, str) for w in (tier, region, csm)):
            return self.data  # no filter: every row, as the worker made them
        data = self.data
        keep = data.where(*(w if isinstance(w, str) else None for w in (tier, region, csm)))
        if isinstance(risk, str):
            summaries = self.session.summaries
            for row in np.flatnonzero(keep).tolist():
                account_id = int(data.account_ids[row])
                if account_id in summaries and summaries[account_id].risk != risk:
                    keep[row] = False
        return data.rows(keep)

    def refresh_table(self) -> None:
        table = self.query_one(VirtualTable)
        visible = self._visible()
        self.shown = visible

        def cell(row: int, column: str) -> Text:
            return plain(visible.names[row]) if column == "account" else cell_text(visible.cell(row, column))

        table.set_rows(visible.keys, cell, table.cursor_key)
        sums = visible.totals
        n = len(visible)
        line = Text("Engaged in: ", style="bold")
        for p in PERSONAS:
            style = palette.BAD_STRONG if n and sums[p] / n < 0.5 else palette.GOOD_STRONG
            line += Text(f"{LABEL[p]} ") + Text(f"{sums[p]}/{n}", style=style) + Text("  ")
        self.query_one("#totals", Static).update(line)

    @on(Select.Changed)
    def _filter(self) -> None:
        self.refresh_table()

    @on(VirtualTable.RowSelected)
    def _cell_selected(self, event: VirtualTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        table = self.query_one(VirtualTable)
        if not table.row_count:
            return
        shown, row = self.shown, table.cursor_row
        persona = table.cursor_column_key
        contact_id = shown.cell(row, persona).contact_id if persona in PERSONAS else None
        self.post_message(OpenAccount(int(shown.account_ids[row]), contact_id))
