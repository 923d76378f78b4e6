"""Exposure (DOMAIN section 13): the people engaged as champion or economic buyer at two or more
of our accounts, most ARR at stake first; under each, every account where they are active with
its risk score now and if they left. Enter opens the account."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Static

from stakeworks.domain.labels import roles_text
from stakeworks.domain.people import Exposure
from stakeworks.screens.base import ShowsWorkerErrors, StakeworksScreen
from stakeworks.screens.messages import OpenAccount
from stakeworks.services import people
from stakeworks.widgets import palette
from stakeworks.widgets.badges import money, plain
from stakeworks.widgets.key_footer import KeyFooter


def score_change(before: int, after: int, added: tuple[str, ...]) -> Text:
    if after > before or added:
        return Text(f"{before} → {after} / 100", style=palette.BAD_STRONG)
    return Text(f"{before} → {after} / 100", style=palette.MUTED)


class ExposureScreen(ShowsWorkerErrors, StakeworksScreen[None]):
    CSS_PATH = "exposure.tcss"
    BINDINGS = [Binding("enter", "open", "Open account", id="exposure.open")]

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, int] = {}  # row key -> account id

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Reading who holds several accounts…", id="status")
        yield DataTable(id="exposure", cursor_type="row")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("Person", "Account", "Roles", "Risk score if they left", "ARR")
        self.load()

    def on_screen_resume(self) -> None:
        self.load()  # an edit elsewhere may have changed who is engaged

    @work(thread=True, exclusive=True, group="exposure", exit_on_error=False)
    def load(self) -> None:
        found = people.portfolio_exposure(self.session.store, self.session.today, self.session.settings)
        self.app.call_from_thread(self.show, found)

    def show(self, found: list[Exposure]) -> None:
        table = self.query_one(DataTable)
        keep = table.cursor_row
        table.clear()
        self.rows = {}
        for n, e in enumerate(found):
            for i, a in enumerate(e.accounts):
                person = Text(e.person, style="bold") + Text(f"\n{money(e.arr_at_risk)} at stake") if i == 0 else ""
                key = f"{n}:{a.account_id}"
                self.rows[key] = a.account_id
                table.add_row(person, plain(a.account) + Text(f"\nas {a.contact}", style=palette.MUTED),
                              plain(roles_text(a.roles)), score_change(a.score, a.score_if_gone, a.added_factors),
                              money(a.arr), key=key, height=2)  # fmt: skip
        table.move_cursor(row=max(0, min(keep, table.row_count - 1)))
        at_stake = sum(e.arr_at_risk for e in found)
        self.query_one("#status", Static).update(
            f"{len(found)} {'person holds' if len(found) == 1 else 'people hold'} two or more accounts · "
            f"{money(at_stake)} ARR at stake if they left · enter opens the account"
            if found
            else "Nobody is an engaged champion or economic buyer at two or more accounts. The same person is "
            "known by email, CRM id, or a link (stakeworks link)."
        )

    @on(DataTable.RowSelected)
    def _selected_row(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return
        key = str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        if key in self.rows:
            self.post_message(OpenAccount(self.rows[key]))
