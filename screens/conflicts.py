"""What a sync left for the user (issue 37): each conflict side by side (the copy's value and
the server's, with who changed each), then the changes the server refused that the copy keeps
aside. m keeps mine (sent at the next sync), t takes theirs; both work offline."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Static

from stakeworks.domain.errors import StakeworksError
from stakeworks.screens.base import ShowsWorkerErrors, StakeworksScreen
from stakeworks.widgets.badges import plain
from stakeworks.widgets.key_footer import KeyFooter


def _side(value: Any, who: str) -> Text:
    shown = plain("" if value is None else str(value))
    return shown + Text(f"  ({who})", style="dim") if who else shown


class ConflictsScreen(ShowsWorkerErrors, StakeworksScreen[None]):
    CSS_PATH = "conflicts.tcss"
    BINDINGS = [
        Binding("m", "take('mine')", "Keep mine", id="conflicts.mine"),
        Binding("t", "take('theirs')", "Take theirs", id="conflicts.theirs"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, dict[str, Any]] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Reading the copy…", id="status")
        yield DataTable(id="conflicts", cursor_type="row")
        yield Static("", id="sides", classes="why")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("Id", "Field", "Mine", "Theirs", "Record")
        self.load()

    @work(thread=True, exclusive=True, group="conflicts", exit_on_error=False)
    def load(self) -> None:
        try:
            rows = self.session.offline_conflicts()
        except StakeworksError as exc:
            self.app.call_from_thread(self._status, str(exc))
            return
        self.app.call_from_thread(self.show, rows)

    def _status(self, text: str) -> None:
        self.query_one("#status", Static).update(plain(text))

    def show(self, rows: list[dict[str, Any]]) -> None:
        self.rows = {str(r["id"]): r for r in rows}
        table = self.query_one(DataTable)
        keep = table.cursor_row
        table.clear()
        for r in rows:
            table.add_row(str(r["id"]), plain(r["field"]), _side(r["mine"], ""), _side(r["theirs"], ""),
                          plain(r["record"]), key=str(r["id"]))  # fmt: skip
        if not rows:
            table.add_row("", Text("Nothing to resolve: the last sync went through.", style="dim"), "", "", "",
                          key="none")  # fmt: skip
        table.move_cursor(row=min(keep, table.row_count - 1))
        self._status(f"{len(rows)} to resolve · m keeps mine (sent at the next sync, F5) · t takes theirs")
        self._show_sides()

    @on(DataTable.RowHighlighted)
    def _show_sides(self) -> None:
        """The highlighted row's two sides in full, whatever the terminal's width."""
        table = self.query_one(DataTable)
        row = self.rows.get(str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)) if (
            table.row_count) else None  # fmt: skip
        if row is None:
            self.query_one("#sides", Static).update("")
            return
        when = {side: str(row[f"{side}_at"]).replace("T", " ")[:16] for side in ("mine", "theirs")}
        text = Text(f"{row['record']}, {row['field']}\n", style="bold")
        text += Text("Mine:   ", style="bold") + _side(
            row["mine"], " ".join(filter(None, [row["mine_by"], when["mine"]]))
        )
        text += Text("\nTheirs: ", style="bold") + _side(
            row["theirs"], " ".join(filter(None, [row["theirs_by"], when["theirs"]]))
        )
        self.query_one("#sides", Static).update(text)

    def action_take(self, side: str) -> None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return
        key = str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        if key != "none":
            self.take(key, side)

    @work(thread=True, group="conflict-writes", exit_on_error=False)
    def take(self, conflict_id: str, side: str) -> None:
        try:
            done = self.session.take_offline(conflict_id, side)
        except StakeworksError as exc:
            self.app.call_from_thread(self.notify, str(exc), title="Not done", severity="error", markup=False)
            return
        said = f"{done['record']}, {done['field']}: " + ("kept yours" if side == "mine" else "took theirs")
        self.app.call_from_thread(self.notify, said, markup=False)
        self.load()
