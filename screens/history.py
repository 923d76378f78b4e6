"""An account's history: what changed on its map since a day (the last EBR by default), and
every change with who made it and when (CLI.md "Team store": `diff` and `history`)."""

from __future__ import annotations

from datetime import date, timedelta

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Header, Input, Static

from stakeworks.domain import days
from stakeworks.domain.errors import StakeworksError
from stakeworks.domain.history import HistoryLine, MapDiff, diff_lines
from stakeworks.screens.base import ShowsWorkerErrors, StakeworksScreen
from stakeworks.services import history as services
from stakeworks.widgets.key_footer import KeyFooter


class HistoryScreen(ShowsWorkerErrors, StakeworksScreen[None]):
    CSS_PATH = "history.tcss"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="history.back"),
    ]

    def __init__(self, account_id: int, account_name: str, since: date) -> None:
        super().__init__()
        self.account_id = account_id
        self.account_name = account_name
        self.since = since

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="since-row"):
            yield Static(f"{self.account_name}: changes since", markup=False)
            yield Input(self.since.isoformat(), id="since", placeholder="YYYY-MM-DD")
        yield Static("Loading…", id="diff", markup=False)
        yield DataTable(id="lines", cursor_type="row")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("When (UTC)", "Who", "Change")
        self.reload()

    def reload(self) -> None:
        self.load(self.since)

    @on(Input.Submitted, "#since")
    def since_typed(self, event: Input.Submitted) -> None:
        try:
            self.since = days.parse_day(event.value.strip(), "the day", self.session.today)
        except StakeworksError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.reload()

    @work(thread=True, exclusive=True, group="history", exit_on_error=False)
    def load(self, since: date) -> None:
        session = self.session
        diff = services.map_diff(session.store, self.account_id, since, session.today)
        lines = services.account_history(session.store, self.account_id, since)
        self.app.call_from_thread(self.show, diff, lines)

    def show(self, diff: MapDiff, lines: list[HistoryLine]) -> None:
        self.query_one("#diff", Static).update("\n".join(diff_lines(diff)))
        table = self.query_one(DataTable)
        table.clear()
        for line in reversed(lines):  # newest first
            table.add_row(line.at.replace("T", " ").rstrip("Z"), Text(line.user), Text(line.in_words()))
        if not lines:
            table.add_row("", "", Text(f"No changes recorded since {diff.since.isoformat()}.", style="dim"))


def default_since(last_ebr: date | None, today: date) -> date:
    """The last EBR (what the team reviewed with the customer), else 90 days back."""
    return last_ebr if last_ebr and last_ebr <= today else today - timedelta(days=90)
