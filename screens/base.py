"""Shared screen behaviour: worker failures become a message, never silence."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar, cast

from textual import events
from textual.app import App
from textual.message_pump import MessagePump
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Input, Select
from textual.worker import Worker, WorkerState

from stakeworks.domain.errors import StakeworksError
from stakeworks.screens.messages import OpenAccount
from stakeworks.screens.type_ahead import KeepsTypeAhead
from stakeworks.services.session import Session
from stakeworks.widgets.portfolio_table import PortfolioTable
from stakeworks.widgets.text_keys import type_format_character
from stakeworks.widgets.virtual_table import VirtualTable

ResultT = TypeVar("ResultT")


class Workbench(Protocol):
    """What a screen may ask of the app beyond Textual's `App`: the session (the store, the day,
    the portfolio: `services/session.py`) and the app's few shared actions. `StakeworksApp`
    implements it (mypy checks that in screens/app.py); no screen imports the app."""

    @property
    def session(self) -> Session: ...

    def load_portfolio(self) -> object:
        """Read every account's verdict again (after an import), in the app's worker."""
        ...

    def open_demo(self) -> object: ...
    def share(self, text: str, file_name: str, what: str) -> None:
        """Copy to the clipboard and write a file copy in the export folder."""
        ...

    def hold_keys_while(self, worker: Worker[Any]) -> None:
        """Keys typed while `worker` runs wait for it (it reads, then opens a screen they belong to)."""
        ...

    def action_go(self, name: str) -> None: ...
    def action_new_account(self) -> None: ...
    def action_search(self) -> None: ...
    def action_undo(self) -> None: ...
    def action_help(self) -> None: ...
    def action_settings(self) -> None: ...


def workbench(app: App[Any]) -> Workbench:
    """The running app as screens see it (the stakeworks app is the only one they run in)."""
    return cast(Workbench, app)


# For the type checker a message pump (whose `self.app` it reads); at run time a plain mixin.
if TYPE_CHECKING:
    _AppReader = MessagePump
else:
    _AppReader = object


class SessionAccess(_AppReader):
    """`self.session` and `self.workbench` for screens: the app's data and actions."""

    @property
    def workbench(self) -> Workbench:
        return workbench(self.app)

    @property
    def session(self) -> Session:
        """The store (for the services), the day, the settings, the portfolio, preferences, undo."""
        return self.workbench.session


class StakeworksScreen(KeepsTypeAhead, SessionAccess, Screen[ResultT], Generic[ResultT]):
    """A screen of the stakeworks app: its data through `self.session` and the services, the
    app's shared actions through `self.workbench`."""

    _styled_by_mount = True

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        # Runs before Screen's own handler. A screen's first resume comes right after its mount,
        # which styled every widget as it was registered; Textual would style them all again,
        # in the same callback as the first layout (issue 20: most of the heat map's longest
        # stall). Later resumes restyle, as the theme may have changed meanwhile.
        if self._styled_by_mount:
            self._styled_by_mount = False
            event.refresh_styles = False

    def on_key(self, event: events.Key) -> None:
        type_format_character(self.focused, event)  # a name's zero-width joiner reaches its field


class StakeworksModal(KeepsTypeAhead, SessionAccess, ModalScreen[ResultT], Generic[ResultT]):
    """A modal screen of the stakeworks app (`self.session`, `self.workbench` as for `StakeworksScreen`)."""

    def on_key(self, event: events.Key) -> None:
        type_format_character(self.focused, event)  # a name's zero-width joiner reaches its field


# The mixins below are mixed into screens; for the type checker they are screens themselves,
# so their `self.query_one`, `self.notify` and `self.session` are checked like a screen's.
if TYPE_CHECKING:
    _Screen = StakeworksScreen[Any]
    _Pump = MessagePump
else:
    _Screen = _Pump = object


class ShowsWorkerErrors(_Pump):
    """Mixin for screens: Worker.StateChanged does not bubble, so each screen
    that runs workers reports their errors itself."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state != WorkerState.ERROR or event.worker.error is None:
            return
        err = event.worker.error
        text = str(err) if isinstance(err, StakeworksError) else f"{type(err).__name__}: {err}"
        self.app.notify(text, title="Something went wrong", severity="error", markup=False, timeout=10)


WAIT_NOTICE_S = 1.0
"""A write still waiting after this long says so: the screen is not frozen, the database is busy."""


class WritesInWorkers(_Screen):
    """Mixin for screens that write: every store write runs in a thread worker, so the screen
    stays live while SQLite waits for another program's lock (up to its 5 s busy timeout).
    A write still waiting after a second says so; one that fails (locked, refused, stale)
    comes back as a message (`ShowsWorkerErrors`, or the `failed` callback), never an exit."""

    def store_write(
        self,
        write: Callable[[], Any],
        done: Callable[[Any], object] | None = None,
        *,
        failed: Callable[[StakeworksError], object] | None = None,
        what: str = "Saving",
    ) -> Worker[None]:
        """Run `write()` in a worker; then `done(result)` (or `failed(error)`) on the UI thread."""
        app = self.app

        def run() -> None:
            try:
                result = write()
            except StakeworksError as exc:
                if failed is None:
                    raise
                app.call_from_thread(self._after_write, failed, exc)
                return
            if done is not None:
                app.call_from_thread(self._after_write, done, result)

        worker: Worker[None] = self.run_worker(
            run, thread=True, group="store-write", exit_on_error=False, description=what
        )

        def still_waiting() -> None:
            if worker.is_running:
                self.notify(
                    f"{what}: waiting for the database (another program is writing to it)…", timeout=4, markup=False
                )  # `what` may name a contact: their name is text, never markup

        self.set_timer(WAIT_NOTICE_S, still_waiting)
        return worker

    def _after_write(self, then: Callable[[Any], object], value: Any) -> None:
        if self.is_attached:  # the screen may have closed meanwhile
            then(value)


class OpensSelectedAccount(_Screen):
    """Mixin for screens built around a PortfolioTable: enter or a double
    click on a row, or the screen's own `open` binding, opens that account."""

    # A named handler, not @on: decorated handlers are only collected from
    # Textual classes, while names are looked up along the whole MRO.
    def on_virtual_table_row_selected(self, event: VirtualTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        account_id = self.query_one(PortfolioTable).selected_account_id
        if account_id is not None:
            self.post_message(OpenAccount(account_id))


class FollowsPortfolio(_Screen):
    """Mixin for screens listing the whole portfolio (home, triage, heat map,
    cadence): they redraw when it changes, but only the screen in view pays for
    it at once (10,000 rows re-sorted, or a heat map recomputed); one underneath
    catches up when it is shown again."""

    _portfolio_stale = False

    def refresh_rows(self) -> None:
        raise NotImplementedError

    def portfolio_changed(self, _stamp: int = 0) -> None:
        if self.is_current:
            self.refresh_rows()
        else:
            self._portfolio_stale = True

    def on_screen_resume(self) -> None:
        if self._portfolio_stale:
            self._portfolio_stale = False
            self.refresh_rows()


class ShowsPrefetchedView(FollowsPortfolio):
    """Mixin for a portfolio screen whose rows the app computes ahead (`Session.compute_views`):
    it shows them if they are of the portfolio as it is, waits for them if the app's worker is
    on it (the app calls `refresh_rows` when they are ready), else computes its own (`load`)."""

    view_name = ""  # the app's name for the view
    view_type: type = object  # what the app hands over
    take_view = False  # True for a screen that writes what it shows: it reads afresh next time
    awaiting_views = False

    def load(self) -> Any:  # a worker: reads and computes the view, then shows it
        raise NotImplementedError

    def show(self, data: Any) -> None:
        raise NotImplementedError

    def refresh_rows(self) -> None:
        session = self.session
        ready = session.take_prefetched(self.view_name) if self.take_view else session.prefetched(self.view_name)
        if isinstance(ready, self.view_type):
            self.show(ready)
        elif session.prefetching():
            self.awaiting_views = True
        else:
            self.load()


class GuardsUnsavedChanges(_Screen):
    """Mixin for editor screens: leaving with unsaved changes asks first (save, discard
    or keep editing); leaving with none just closes. Escape calls `leave`, and so does
    the app before it navigates past the editor (ctrl+o)."""

    unsaved_what = "this record"
    """How the question names what was edited ("Tom Chen", "the touch")."""

    def has_unsaved_changes(self) -> bool:
        raise NotImplementedError

    def save_changes(self, then: Callable[[], object] | None = None) -> bool:
        """Save and close, then run `then`. The write runs in a worker, so this returns at once:
        True when the save started (the editor closes and `then` runs once the store has it),
        False when it cannot (the editor stays open, saying why; so it does when the store
        refuses the save)."""
        raise NotImplementedError

    def action_leave(self) -> None:
        self.leave()

    def leave(self, then: Callable[[], object] | None = None) -> None:
        """Close the editor, asking first when something is unsaved; `then` runs once it
        is closed (never when the user keeps editing or the save is refused)."""
        if not self.has_unsaved_changes():
            self.dismiss(False)
            if then is not None:
                then()
            return
        from stakeworks.screens.dialogs import DISCARD, SAVE, UnsavedChanges

        def answered(choice: str | None) -> None:
            if choice == SAVE:
                self.save_changes(then)
            elif choice == DISCARD:
                self.dismiss(False)
                if then is not None:
                    then()

        self.app.push_screen(UnsavedChanges(self.unsaved_what), answered)


class CompactWhenShort(_Screen):
    """Mixin for forms: in a short terminal (under `COMPACT_BELOW` rows) the fields drop
    their borders (Textual's compact style) and the screen gets the class `-compact`, so
    an 80x24 terminal shows three times as many fields."""

    COMPACT_BELOW = 32

    def on_resize(self, event: events.Resize) -> None:
        compact = self.app.size.height < self.COMPACT_BELOW
        self.set_class(compact, "-compact")
        for widget in self.query("Input, Select, Button"):
            if isinstance(widget, (Input, Select, Button)):  # always, by the query; says so to mypy
                widget.compact = compact
