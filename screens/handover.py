"""Handover (DOMAIN section 12, from the palette): pick one of ours and see what they hold, the
accounts where they touched an engaged contact in the last 365 days, orphaned ones (nobody else
of ours knows any engaged contact there) first, and per contact who else of ours knows them."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Header, Static

from stakeworks.domain.errors import StakeworksError
from stakeworks.screens.base import ShowsWorkerErrors, StakeworksScreen
from stakeworks.screens.messages import OpenAccount
from stakeworks.services import our_side
from stakeworks.services.our_side import HandoverRow
from stakeworks.widgets import palette
from stakeworks.widgets.badges import plain, risk_badge
from stakeworks.widgets.key_footer import KeyFooter


class HandoverScreen(ShowsWorkerErrors, StakeworksScreen[None]):
    CSS_PATH = "handover.tcss"
    BINDINGS = [Binding("o", "open", "Open account", id="handover.open")]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[HandoverRow] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Pick one of ours (enter): what would they leave behind?", id="status")
        with Horizontal():
            yield DataTable(id="people", cursor_type="row")
            yield DataTable(id="held", cursor_type="row")
        yield Static("", id="detail", classes="why")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#people", DataTable).add_column("One of ours")
        self.query_one("#held", DataTable).add_columns("Account", "Risk", "Score", "Known only by them")
        self.load_people()

    @work(thread=True, exclusive=True, group="handover-people", exit_on_error=False)
    def load_people(self) -> None:
        names = our_side.people_of_ours(self.session.store)
        self.app.call_from_thread(self._people_loaded, names)

    def _people_loaded(self, names: list[str]) -> None:
        table = self.query_one("#people", DataTable)
        table.clear()
        for name in names:
            table.add_row(plain(name), key=name)
        table.focus()

    @on(DataTable.RowSelected, "#people")
    def _picked(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.query_one("#status", Static).update(Text(f"Reading what {event.row_key.value} holds…"))
        self.load_held(str(event.row_key.value))

    @work(thread=True, exclusive=True, group="handover", exit_on_error=False)
    def load_held(self, who: str) -> None:
        try:
            shown, rows = our_side.handover_of(self.session.store, who, self.session.today)
        except StakeworksError as exc:
            self.app.call_from_thread(self.query_one("#status", Static).update, Text(str(exc)))
            return
        self.app.call_from_thread(self._held_loaded, shown, rows)

    def _held_loaded(self, who: str, rows: list[HandoverRow]) -> None:
        self.rows = rows
        orphaned = sum(r.held.orphaned for r in rows)
        self.query_one("#status", Static).update(
            Text(f"{who} holds {len(rows)} accounts; ") + Text(f"{orphaned} orphaned", style=palette.BAD_STRONG
                                                               if orphaned else "")
            + Text(" (nobody else of ours knows an engaged contact there)")
        )  # fmt: skip
        table = self.query_one("#held", DataTable)
        table.clear()
        for i, r in enumerate(rows):
            alone = sum(not c.others for c in r.held.contacts)
            table.add_row(plain(r.account), risk_badge(r.risk), str(r.score),
                          Text("ORPHANED", style=palette.BAD_STRONG) if r.held.orphaned else str(alone),
                          key=str(i))  # fmt: skip
        self._show_detail()

    @on(DataTable.RowHighlighted, "#held")
    def _show_detail(self) -> None:
        table = self.query_one("#held", DataTable)
        panel = self.query_one("#detail", Static)
        if not self.rows or not table.row_count:
            panel.update("")
            return
        r = self.rows[min(table.cursor_row, len(self.rows) - 1)]
        lines = Text(r.account, style="bold")
        for c in r.held.contacts:
            others = ", ".join(c.others) or "nobody else of ours"
            lines += Text(f"\n{r.contact_names.get(c.contact_id, '?')}: ") + Text(others)
        panel.update(lines)

    @on(DataTable.RowSelected, "#held")
    def _open_held(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        table = self.query_one("#held", DataTable)
        if self.rows and table.row_count:
            self.post_message(OpenAccount(self.rows[min(table.cursor_row, len(self.rows) - 1)].held.account_id))
