"""Who to touch this week: overdue and soon-due contacts, most critical first."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from screens.base import ShowsWorkerErrors
from screens.messages import OpenAccount
from stakeworks.cadence import CadenceItem, cadence
from widgets.badges import plain

PRIORITY_STYLE = {"critical": "bold red", "high": "red", "medium": "yellow", "varies": "", "low": "dim"}


class CadenceScreen(ShowsWorkerErrors, Screen[None]):
    BINDINGS = [
        Binding("t", "log_touch", "Log touch", id="log_touch"),
        Binding("o", "open", "Open account", id="open"),
    ]
    DEFAULT_CSS = """
    CadenceScreen #summary { padding: 0 1; color: $text-muted; height: 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.items: list[CadenceItem] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="summary")
        yield DataTable(id="cadence", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("Priority", "Due", "Account", "Contact", "Roles", "Last touch")
        self.watch(self.app, "portfolio_stamp", lambda _s: self.load())

    @work(thread=True, exclusive=True, group="cadence", exit_on_error=False)
    def load(self) -> None:
        app = self.app
        store = app.store  # type: ignore[attr-defined]
        items = cadence(dict(store.account_names()), store.contact_rows(), app.today, app.settings)  # type: ignore[attr-defined]
        self.app.call_from_thread(self.show, items)

    def show(self, items: list[CadenceItem]) -> None:
        self.items = items
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        for i, it in enumerate(items):
            due = (
                Text(f"overdue {-it.due_in}d", style="bold red")
                if it.overdue
                else Text(f"in {it.due_in}d", style="yellow")
            )
            last = "never" if it.days_since_touch is None else f"{it.days_since_touch}d ago (max {it.threshold_days})"
            table.add_row(
                Text(it.priority, style=PRIORITY_STYLE[it.priority]), due, plain(it.account), plain(it.contact.name),
                plain(", ".join(sorted(it.contact.roles)) or "—"), last, key=str(i),
            )  # fmt: skip
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))
        overdue = sum(1 for i in items if i.overdue)
        self.query_one("#summary", Static).update(
            f"Who to touch this week: {overdue} overdue, {len(items) - overdue} due within 14 days"
        )

    def _selected(self) -> CadenceItem | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        return self.items[int(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)]  # type: ignore[arg-type]

    def action_log_touch(self) -> None:
        from screens.log_touch import LogTouchScreen

        item = self._selected()
        if item is None:
            return
        contact = self.app.store.contact(item.contact.id)  # type: ignore[attr-defined]
        self.app.push_screen(LogTouchScreen(contact, self.app.today))  # type: ignore[attr-defined]

    @on(DataTable.RowSelected)
    def _selected_row(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        item = self._selected()
        if item is not None:
            self.post_message(OpenAccount(item.account_id, item.contact.id))
