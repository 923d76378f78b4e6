"""The app's half of the session: the session's slow work in thread workers, its results
handed back on the UI thread, where the session changes and screens are told."""

from __future__ import annotations

import gc
from functools import partial
from importlib import import_module
from typing import TYPE_CHECKING

from textual import work
from textual.app import App
from textual.reactive import reactive
from textual.worker import Worker, WorkerState, get_current_worker

from stakeworks.domain.errors import StakeworksError
from stakeworks.screens.base import ShowsPrefetchedView
from stakeworks.screens.messages import AccountChanged
from stakeworks.services.quiet_gc import return_free_memory
from stakeworks.services.session import Session, StoreSource, TeamEvent, UndoEntry

if TYPE_CHECKING:
    from stakeworks.domain.portfolio import AccountSummary
    from stakeworks.domain.search import SearchEntry, SearchIndex


UNREACHABLE = " · server unreachable, retrying"
"""Added to the app's title (every screen's header) while the team server is away."""


class RunsSession(App[None]):
    """Mixin for the App: loads the portfolio, the search index and the views computed ahead,
    refreshes one account after an edit, follows the team's saves, undoes, switches to the demo."""

    session: Session
    _undoing = False

    portfolio_stamp: reactive[int] = reactive(0, repaint=False)
    """The session's stamp, bumped whenever the portfolio changes; portfolio screens watch it."""

    @work(thread=True, exclusive=True, group="portfolio", exit_on_error=False)
    def load_portfolio(self) -> None:
        """Every account's verdict, shown as soon as it is ready; then the search index
        (the slower half on a big store: ~2 s for 210,000 entries)."""
        worker = get_current_worker()
        rows, signals = self.session.load_portfolio()
        if worker.is_cancelled:  # a newer load (after an import) replaced this one: its data is newer
            return
        self.call_from_thread(self._portfolio_loaded, rows, signals)
        index = self.session.build_search_index()
        if not worker.is_cancelled:
            self.call_from_thread(self._search_loaded, index)

    def _portfolio_loaded(self, rows: list[AccountSummary], signals: int = 0) -> None:
        self.session.portfolio_loaded(rows, signals)
        self.portfolio_stamp = self.session.stamp

    def _search_loaded(self, index: SearchIndex) -> None:
        edited = self.session.search_loaded(index)
        # The index is millions of long-lived objects; left in the collector's view, every
        # full collection walks them all with the GIL held (0.4 s UI stalls on 10,000
        # accounts while a screen loads). Frozen, the collector skips them.
        gc.freeze()
        for account_id in edited:  # saved while the index was being built: index them again
            self.refresh_account(account_id)
        self.prefetch_views(self.session.stamp)

    @work(thread=True, exclusive=True, group="prefetch", exit_on_error=False)
    def prefetch_views(self, stamp: int) -> None:
        """The heat map's, cadence's and sponsors' rows while the user is still on the home
        screen: opening one then only draws (services/portfolio_views.py)."""
        worker = get_current_worker()
        # The screens' own modules too: their first open then only mounts and draws.
        for factory in self.SCREENS.values():
            if isinstance(factory, partial):
                import_module(factory.args[0])
        for views in self.session.compute_views(stamp, lambda: worker.is_cancelled):
            self.call_from_thread(self._views_ready, stamp, views)
        return_free_memory()

    def _views_ready(self, stamp: int, views: dict[str, object]) -> None:
        self.session.views_ready(stamp, views)
        self._refresh_awaiting_screens()

    def _refresh_awaiting_screens(self) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, ShowsPrefetchedView) and screen.awaiting_views:  # opened meanwhile
                screen.awaiting_views = False
                screen.refresh_rows()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "prefetch" and event.state == WorkerState.ERROR:
            # The screens opened meanwhile read their own rows (the error is shown as any is).
            self._refresh_awaiting_screens()

    @work(thread=True, group="refresh", exit_on_error=False)
    def refresh_account(self, account_id: int) -> None:
        """Recompute one account's summary after an edit (not the whole portfolio)."""
        fresh = self.session.refresh_account(account_id)
        if fresh is None:
            self.call_from_thread(self._account_removed, account_id)
        else:
            self.call_from_thread(self._account_refreshed, *fresh)

    def _account_removed(self, account_id: int) -> None:
        # Screens of an account that no longer exists have nothing to show: leave them.
        while len(self.screen_stack) > 1 and getattr(self.screen, "account_id", None) == account_id:
            self.pop_screen()
        self.session.account_removed(account_id)
        self.portfolio_stamp = self.session.stamp

    def _account_refreshed(self, row: AccountSummary, entries: list[SearchEntry]) -> None:
        self.session.account_refreshed(row, entries)
        self.portfolio_stamp = self.session.stamp

    # -- live for the team (a PostgreSQL store) -------------------------------------------

    @work(thread=True, exclusive=True, group="team", exit_on_error=False)
    def watch_team(self) -> None:
        """Others' saves on the team store, as the server announces them: the portfolio and the
        screen in front are read again (db/postgres.py notices)."""
        worker = get_current_worker()
        for event in self.session.team_changes(lambda: worker.is_cancelled):
            self.call_from_thread(self._team_event, event)

    def _team_event(self, event: TeamEvent) -> None:
        if event.kind == "saved":
            self._team_saved(event.table, event.user)
        elif event.kind == "lost":
            # In every screen's header until it is back; open editors keep their text, and a
            # save meanwhile is refused saying so (the store's ServerUnreachable).
            self.title = self.title.removesuffix(UNREACHABLE) + UNREACHABLE
            self.notify(
                "Server unreachable, retrying. What you type stays; saving waits until it is back.",
                title="Team store", severity="warning", timeout=10, markup=False,
            )  # fmt: skip
        else:
            self.title = self.title.removesuffix(UNREACHABLE)
            self.notify("The server is back: shown as it is now.", title="Team store", markup=False, timeout=5)
            self._reread()

    def _team_saved(self, table: str, user: str) -> None:
        # A burst of notices (an import writes many tables) becomes one reload and one line.
        if self.session.note_team_change(table, user):
            self.set_timer(0.4, self._team_reload)

    def _team_reload(self) -> None:
        users, tables = self.session.take_team_changes()
        self.notify(f"{', '.join(users)} saved {', '.join(tables)}: shown as it is now.", markup=False, timeout=4)
        self._reread()

    def _reread(self) -> None:
        """The portfolio and the screen in front, read again from the store."""
        self.load_portfolio()
        screen = self.screen
        reload = getattr(screen, "reload", None) or (
            getattr(screen, "load", None) if hasattr(screen, "account_id") else None
        )
        if callable(reload):
            reload()

    @work(thread=True, exclusive=True, group="demo", exit_on_error=False)
    def open_demo(self) -> None:
        """Switch this session to a throwaway copy of the demo portfolio (the database stays untouched)."""
        demo = self.session.source.demo(self.session.today)
        self.call_from_thread(self._switch_to_demo, demo)

    def _switch_to_demo(self, demo: StoreSource) -> None:
        self.session.switch_to(demo)
        self.workers.cancel_group(self, "team")  # the demo is a file: nobody else saves there
        today = self.session.today.isoformat()
        self.sub_title = f"demo (a temporary copy) · today {today} · quit to return to your database"
        self.notify("This is a throwaway copy of the demo portfolio; your database is untouched.", timeout=8)
        self.load_portfolio()

    def action_undo(self) -> None:
        if self._undoing:
            return
        if not self.session.undo_stack:
            self.notify("Nothing to undo in this session.", severity="information")
            return
        self._undoing = True
        self.undo_last(self.session.undo_stack[-1])

    @work(thread=True, exclusive=True, group="undo", exit_on_error=False, description="undo last")
    def undo_last(self, entry: UndoEntry) -> None:
        try:
            existing = self.session.undo(entry)
        except StakeworksError as exc:
            self.call_from_thread(self._undo_failed, entry, str(exc))
            return
        self.call_from_thread(self._undone, entry, existing)

    def _undo_failed(self, entry: UndoEntry, reason: str) -> None:
        self._undoing = False
        self.session.forget_undo(entry)  # a change that cannot come back now never will
        self.notify(f"{entry.label}: {reason}", title="Not undone", severity="error", markup=False, timeout=10)

    def _undone(self, entry: UndoEntry, existing: set[int]) -> None:
        self._undoing = False
        self.session.forget_undo(entry)
        if entry.settings:
            self.load_portfolio()  # every verdict follows the settings
        for account_id in entry.account_ids:
            self.post_message(AccountChanged(account_id))
            for screen in self.screen_stack:  # open views of it, or of every account (None), show it as it is again
                shown = getattr(screen, "account_id", False)
                if shown is None or (account_id in existing and shown == account_id):
                    screen.post_message(AccountChanged(account_id))
        left = len(self.session.undo_stack)
        more = f" ({left} more can be undone)" if left else ""
        self.notify(f"Undone: {entry.label}{more}.", markup=False)
