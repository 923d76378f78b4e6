"""The stakeworks App: one store, one portfolio cache, screens on top."""

from __future__ import annotations

from datetime import date
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import App
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen

from db.connection import check_file
from screens.base import ShowsWorkerErrors
from screens.commands import StakeworksCommands
from screens.messages import AccountChanged, OpenAccount
from stakeworks.portfolio import AccountSummary
from stakeworks.search import SearchEntry, SearchIndex, entries_from_store
from stakeworks.settings import Settings

if TYPE_CHECKING:
    from db.store import Store

# mode -> (module, class): imported on first use, so the first frame loads only the home screen.
MODES = {
    "triage": ("screens.triage", "TriageScreen"),
    "sponsors": ("screens.sponsors", "SponsorsScreen"),
    "tasks": ("screens.tasks", "TasksScreen"),
    "cadence": ("screens.cadence", "CadenceScreen"),
    "heatmap": ("screens.heatmap", "HeatmapScreen"),
}


def _lazy_screen(module: str, name: str) -> Screen:
    return getattr(import_module(module), name)()


class StakeworksApp(ShowsWorkerErrors, App[None]):
    """Keyboard-first workbench over one stakeworks database."""

    CSS_PATH = "app.tcss"
    TITLE = "stakeworks"
    COMMANDS = App.COMMANDS | {StakeworksCommands}
    BINDINGS = [
        Binding("slash", "search", "Search", id="search"),
        Binding("ctrl+f", "search", "Search", show=False, id="search_alt"),
        Binding("question_mark", "help", "Help", id="help"),
        Binding("ctrl+r", "switch_mode('triage')", "Triage", id="triage"),
        Binding("ctrl+o", "switch_mode('home')", "Accounts", id="home"),
        Binding("ctrl+e", "switch_mode('sponsors')", "Sponsors", id="sponsors", show=False),
        Binding("ctrl+t", "switch_mode('tasks')", "Tasks", id="tasks", show=False),
        Binding("ctrl+g", "switch_mode('heatmap')", "Heat map", id="heatmap", show=False),
        Binding("ctrl+w", "switch_mode('cadence')", "Touch this week", id="cadence", show=False),
        Binding("ctrl+q", "quit", "Quit", id="quit", show=False),
    ]

    portfolio_stamp: reactive[int] = reactive(0)
    """Bumped whenever `summaries` changes; portfolio screens watch it."""

    def __init__(self, path: Path, today: date, subtitle: str = "") -> None:
        super().__init__()
        self.db_path = path
        self.store: Store = None  # type: ignore[assignment]
        """The one door to the database; opened by the first worker (it loads pydantic)."""
        self.today = today
        self.settings = Settings()
        self.summaries: dict[int, AccountSummary] = {}
        """Every account's verdict, by account id (loaded in a worker)."""
        self.search_index = SearchIndex([])
        self.sub_title = f"{path.name} · today {today.isoformat()}" + (f" · {subtitle}" if subtitle else "")

    def on_mount(self) -> None:
        from screens.home import HomeScreen

        self.add_mode("home", HomeScreen)
        for mode, (module, name) in MODES.items():
            self.add_mode(mode, lambda module=module, name=name: _lazy_screen(module, name))
        self.switch_mode("home")
        # After the first frame: the worker is CPU-bound and would hold the GIL while it paints.
        self.call_after_refresh(self.load_portfolio)

    # -- loading (workers never touch widgets) --------------------------------------

    @work(thread=True, exclusive=True, group="portfolio", exit_on_error=False)
    def load_portfolio(self) -> None:
        from stakeworks import services

        if self.store is None:
            from db.store import Store

            self.store = Store(self.db_path)
            self.settings = self.store.settings()
        rows = services.portfolio(self.store, self.today, self.settings)
        entries = self._search_entries()
        self.call_from_thread(self._portfolio_loaded, rows, entries)

    def _search_entries(self) -> list[SearchEntry]:
        return entries_from_store(self.store)

    def _portfolio_loaded(self, rows: list[AccountSummary], entries: list[SearchEntry]) -> None:
        self.summaries = {r.id: r for r in rows}
        self.search_index = SearchIndex(entries)
        self.portfolio_stamp += 1

    @work(thread=True, group="refresh", exit_on_error=False)
    def refresh_account(self, account_id: int) -> None:
        """Recompute one account's summary after an edit (not the whole portfolio)."""
        from stakeworks import services

        row = services.account_summary(self.store, account_id, self.today, self.settings)
        entries = self._search_entries()
        self.call_from_thread(self._account_refreshed, row, entries)

    def _account_refreshed(self, row: AccountSummary, entries: list[SearchEntry]) -> None:
        self.summaries[row.id] = row
        self.search_index = SearchIndex(entries)
        self.portfolio_stamp += 1

    # -- navigation ---------------------------------------------------------------------

    @on(OpenAccount)
    def open_account(self, message: OpenAccount) -> None:
        from screens.account import AccountScreen

        self.push_screen(AccountScreen(message.account_id, message.contact_id))

    @on(AccountChanged)
    def account_changed(self, message: AccountChanged) -> None:
        self.refresh_account(message.account_id)

    def action_search(self) -> None:
        from screens.search import SearchScreen

        self.push_screen(SearchScreen())

    def action_help(self) -> None:
        from screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def on_unmount(self) -> None:
        if self.store is not None:
            self.store.close()


def make_app(path: Path, today: date, title: str = "") -> StakeworksApp:
    """The app factory: tests build the app on a temporary copy of sample.db.

    The file is checked here (a cheap header read); the store itself opens in
    the first worker so the first frame does not wait for it.
    """
    check_file(Path(path))
    return StakeworksApp(Path(path), today, title)
