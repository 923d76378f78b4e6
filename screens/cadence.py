"""Who to touch this week: overdue and soon-due contacts, most critical first."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Header, Static

from stakeworks.domain.labels import ROLE_SHORT, roles_text
from stakeworks.screens.base import ShowsPrefetchedView, ShowsWorkerErrors, StakeworksScreen
from stakeworks.screens.messages import OpenAccount
from stakeworks.services.portfolio_views import CadenceData, Due, cadence_data
from stakeworks.services.quiet_gc import collector_paused
from stakeworks.widgets import palette
from stakeworks.widgets.badges import plain
from stakeworks.widgets.key_footer import KeyFooter
from stakeworks.widgets.scope_filter import ScopeFilter
from stakeworks.widgets.virtual_table import VColumn, VirtualTable

PRIORITY_STYLE = {
    "critical": palette.BAD_STRONG,
    "high": palette.BAD,
    "medium": palette.WARN,
    "varies": "",
    "low": "dim",
}


def _due(it: Due) -> Text:
    if it.due_in is None:  # never touched: overdue, with no made-up age
        return Text("overdue", style=palette.BAD_STRONG)
    return (
        Text(f"overdue {-it.due_in}d", style=palette.BAD_STRONG)
        if it.overdue
        else Text(f"in {it.due_in}d", style=palette.WARN)
    )


def _last(it: Due) -> Text:
    if it.days_since_touch is None:
        return Text(f"never touched (max {it.threshold_days})", style="bold")
    return Text(f"{it.days_since_touch}d ago (max {it.threshold_days})")


# A 10,000-account portfolio has tens of thousands of contacts due: draw only the visible lines.
CELLS = {
    "priority": lambda it: Text(it.priority, style=PRIORITY_STYLE[it.priority]),
    "due": _due,
    "account": lambda it: plain(it.account),
    "contact": lambda it: plain(it.name),
    "roles": lambda it: plain(roles_text(it.roles, ROLE_SHORT)),
    "last": _last,
}
# At 80 columns the roles go first, then the last touch narrows to its age ("188d ago").
COLUMNS = [VColumn("priority", "Priority", 9, priority=3), VColumn("due", "Due", 13, priority=0),
           VColumn("account", "Account", 26, priority=2, min_width=16),
           VColumn("contact", "Contact", 22, priority=1, min_width=16),
           VColumn("roles", "Roles", 22, priority=5, min_width=12),
           VColumn("last", "Last touch", 22, priority=4, min_width=13, cut_at=" (")]  # fmt: skip


class CadenceScreen(ShowsPrefetchedView, ShowsWorkerErrors, StakeworksScreen[None]):
    BINDINGS = [
        Binding("t", "log_touch", "Log touch", id="cadence.log_touch"),
        Binding("o", "open", "Open account", id="cadence.open"),
        Binding("f", "focus_filter", "Filter", id="cadence.filter"),
    ]
    DEFAULT_CSS = """
    CadenceScreen #summary { padding: 0 1; color: $text-muted; height: 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.data = CadenceData.empty()
        self.items = self.data
        """The rows in view (after the filter)."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield ScopeFilter(id="scope")
        yield Static("", id="summary")
        yield VirtualTable(COLUMNS, id="cadence")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.watch(self.app, "portfolio_stamp", self.portfolio_changed)
        self.focus_when_shown(
            self.query_one(VirtualTable)
        )  # `t` typed with ctrl+w logs a touch for the first row, once it is in

    view_name, view_type = "cadence", CadenceData

    @work(thread=True, exclusive=True, group="cadence", exit_on_error=False)
    def load(self) -> None:
        session = self.session
        with collector_paused():
            data = cadence_data(session.store, session.today, session.settings)
        self.app.call_from_thread(self.show, data)

    def show(self, data: CadenceData | None = None) -> None:
        if data is not None:
            self.data = data
            self.query_one(ScopeFilter).set_csms(data.csm_of.values())
        scope = self.query_one(ScopeFilter)
        items = self.data
        if scope.active:  # a filtered view: each account asked once, here
            keeps, names, csm_of = scope.matcher(), items.account_names, items.csm_of
            items = items.of_accounts(lambda a: keeps(names.get(a, "?"), csm_of.get(a, "")))
        self.items = items
        table = self.query_one(VirtualTable)
        table.set_rows(items.keys, lambda row, col: CELLS[col](items[row]), table.cursor_key)
        overdue = items.overdue
        text = f"Who to touch this week: {overdue} overdue, {len(items) - overdue} due within 14 days"
        if scope.active:
            text += f" · {scope.describe()}"
        self.query_one("#summary", Static).update(Text(text))
        self.rows_shown()

    @on(ScopeFilter.Changed)
    def _scope(self) -> None:
        self.show()

    def action_focus_filter(self) -> None:
        self.query_one("#scope-csm").focus()

    def _selected(self) -> Due | None:
        table = self.query_one(VirtualTable)
        return self.items[table.cursor_row] if table.row_count else None

    def action_log_touch(self) -> None:
        item = self._selected()
        if item is None:
            return
        self.workbench.hold_keys_while(self._open_log_touch(item.contact_id))

    @work(thread=True, exclusive=True, group="cadence-touch", exit_on_error=False)
    def _open_log_touch(self, contact_id: int) -> None:
        """Read the contact in a worker (a write elsewhere in the app may hold the store), then open the dialog."""
        from stakeworks.screens.log_touch import LogTouchScreen
        from stakeworks.services import records

        contact = records.contact(self.session.store, contact_id)
        self.app.call_from_thread(self.app.push_screen, LogTouchScreen(contact, self.session.today))

    @on(VirtualTable.RowSelected)
    def _selected_row(self, event: VirtualTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        item = self._selected()
        if item is not None:
            self.post_message(OpenAccount(item.account_id, item.contact_id))
