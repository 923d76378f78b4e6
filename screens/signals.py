"""The signals inbox: signs that someone left or changed (a bounce, a new title, ...), newest
first, each with its evidence. c confirms (a departure goes through the playbook, a title
change updates title and level), x dismisses (the same evidence never raises it again),
enter opens the account."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Static

from stakeworks.domain.errors import StakeworksError
from stakeworks.domain.signals import KIND_WORDS, SignalView
from stakeworks.screens.base import ShowsWorkerErrors, StakeworksScreen
from stakeworks.screens.messages import AccountChanged, OpenAccount
from stakeworks.services import edits, records
from stakeworks.widgets import dates
from stakeworks.widgets.badges import plain
from stakeworks.widgets.key_footer import KeyFooter


class SignalsScreen(ShowsWorkerErrors, StakeworksScreen[None]):
    CSS_PATH = "signals.tcss"
    BINDINGS = [
        Binding("c", "confirm", "Confirm", id="signals.confirm"),
        Binding("x", "dismiss_signal", "Dismiss", id="signals.dismiss"),
        Binding("enter", "open", "Open account", id="signals.open"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.views: list[SignalView] = []
        self.account_id: int | None = None
        """The signals of every account: an undo anywhere may bring one back (AccountChanged)."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Loading signals…", id="status")
        yield DataTable(id="signals", cursor_type="row")
        yield Static("", id="evidence", classes="why")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("Date", "What", "Account", "Contact", "Suggestion")
        self.load()

    def on_screen_resume(self) -> None:
        self.load()  # an import may have raised new ones meanwhile

    def on_account_changed(self, message: AccountChanged) -> None:
        """An undo of a confirm or dismiss: the signal is open again."""
        message.stop()  # the app has its own copy to refresh the account's summary
        self.load()

    @work(thread=True, exclusive=True, group="signals", exit_on_error=False)
    def load(self) -> None:
        views = records.open_signals(self.session.store)
        self.app.call_from_thread(self.show, views)

    def show(self, views: list[SignalView]) -> None:
        self.views = views
        table = self.query_one(DataTable)
        keep = table.cursor_row
        table.clear()
        for v in views:
            table.add_row(
                dates.show(v.signal.raised_on), KIND_WORDS[v.signal.kind], plain(v.account), plain(v.contact),
                plain(v.suggestion), key=str(v.signal.id),
            )  # fmt: skip
        if not views:
            table.add_row("", Text("No open signals. Importing mail or a calendar raises them.", style="dim"),
                          "", "", "", key="none")  # fmt: skip
        table.move_cursor(row=min(keep, table.row_count - 1))
        self.query_one("#status", Static).update(
            f"{len(views)} open signal{'s' if len(views) != 1 else ''} · c confirms what it suggests · "
            "x dismisses it (the same evidence will not raise it again)"
        )
        self.session.open_signals = len(views)
        self._show_evidence()

    def _selected(self) -> SignalView | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        key = str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        return next((v for v in self.views if str(v.signal.id) == key), None)

    @on(DataTable.RowHighlighted)
    def _show_evidence(self) -> None:
        v = self._selected()
        panel = self.query_one("#evidence", Static)
        if v is None:
            panel.update("")
            return
        panel.update(Text("Evidence: ", style="bold") + Text(v.signal.evidence) + Text("\nSuggestion: ", style="bold")
                     + Text(v.suggestion))  # fmt: skip

    @on(DataTable.RowSelected)
    def _selected_row(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        v = self._selected()
        if v is not None:
            self.post_message(OpenAccount(v.account_id))

    def action_confirm(self) -> None:
        from stakeworks.screens.dialogs import Confirm

        v = self._selected()
        if v is None:
            return
        effect = (
            f"{v.contact} is marked departed today; a champion or sponsor gets the departure playbook."
            if v.departs
            else f"{v.contact}'s title and level change as the signal says."
        )
        body = Text(v.signal.evidence + "\n\n") + Text(effect)

        def answered(yes: bool | None) -> None:
            if yes:
                self.decide(v, confirm=True)

        self.app.push_screen(Confirm(f"Confirm: {v.suggestion}?", body, yes="Confirm"), answered)

    def action_dismiss_signal(self) -> None:
        v = self._selected()
        if v is not None:
            self.decide(v, confirm=False)

    @work(thread=True, group="signal-writes", exit_on_error=False, description="decide")
    def decide(self, v: SignalView, *, confirm: bool) -> None:
        store, today, user = self.session.store, self.session.today, self.session.prefs.user
        signal_id = v.signal.id
        assert signal_id is not None  # read from the store
        try:
            undo = edits.decide_signal(store, signal_id, confirm, user, today)
        except StakeworksError as exc:
            self.app.call_from_thread(
                self.notify, str(exc), title="Not done", severity="error", timeout=10, markup=False
            )
            return
        done = f"Confirmed: {v.suggestion}." if confirm else f"Dismissed the signal about {v.contact}."
        what = f"confirmed the signal about {v.contact}" if confirm else f"dismissed the signal about {v.contact}"
        self.app.call_from_thread(self.session.remember_undo, what, undo, (v.account_id,))
        self.app.call_from_thread(self._decided, done, v.account_id)

    def _decided(self, done: str, account_id: int) -> None:
        self.notify(done, markup=False)
        self.app.post_message(AccountChanged(account_id))
        self.load()
