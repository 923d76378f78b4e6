"""The inbox (ctrl+l): everything the map proposes, each row with its evidence. Change signals (a
bounce, a new title, ...), people seen in mail and calendar who are not on the map, strength
suggestions. c accepts what the row proposes (a signal asks first: a departure starts the
playbook), x rejects or dismisses it (the same evidence will not propose it again), space marks
rows and C accepts every marked row at once; every decision is undoable with ctrl+z; enter
opens the account."""

from __future__ import annotations

import contextlib

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Header, Static

from stakeworks.domain.errors import StakeworksError
from stakeworks.domain.undo import UndoToken
from stakeworks.screens.base import ShowsPrefetchedView, ShowsWorkerErrors, StakeworksScreen
from stakeworks.screens.messages import AccountChanged, OpenAccount
from stakeworks.services import inbox
from stakeworks.services.inbox import Inbox, InboxItem
from stakeworks.services.quiet_gc import collector_paused
from stakeworks.widgets import dates
from stakeworks.widgets.badges import plain
from stakeworks.widgets.key_footer import KeyFooter
from stakeworks.widgets.virtual_table import VColumn, VirtualTable

# Thousands of proposals after a mailbox import: the table draws only the lines on screen.
COLUMNS = [VColumn("mark", " ", 1), VColumn("date", "Date", 12, priority=4),
           VColumn("what", "What", 22, priority=1, min_width=14), VColumn("account", "Account", 24, priority=2, min_width=14),
           VColumn("who", "Who", 22, priority=0, min_width=14), VColumn("proposal", "Proposal", 44, priority=3, min_width=20)]  # fmt: skip
NOTHING = Text("Nothing proposed. Importing mail or a calendar proposes people and signals.", style="dim")


class SignalsScreen(ShowsPrefetchedView, ShowsWorkerErrors, StakeworksScreen[None]):
    CSS_PATH = "signals.tcss"
    BINDINGS = [
        Binding("c", "confirm", "Accept", id="signals.confirm"),
        Binding("x", "dismiss_signal", "Reject", id="signals.dismiss"),
        Binding("space", "mark", "Mark", id="signals.mark"),
        Binding("C", "accept_marked", "Accept marked", id="signals.accept_marked"),
        Binding("enter", "open", "Open account", id="signals.open"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.items = Inbox([], [], [], {}, {})
        self._drawn: tuple[int, InboxItem] | None = None  # the row whose cells are being drawn
        self.marked: set[str] = set()
        self.account_id: int | None = None
        """The signals of every account: an undo anywhere may bring one back (AccountChanged)."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Loading the inbox…", id="status")
        yield VirtualTable(COLUMNS, id="signals")
        yield Static("", id="evidence", classes="why")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.focus_when_shown(
            self.query_one(VirtualTable)
        )  # space or c typed with ctrl+l act on the rows, once they are in

    def on_screen_resume(self) -> None:
        # Computed ahead by the app (`Session.compute_views`) while the portfolio and this
        # session's writes leave it as it is; else read again (an import may have raised more).
        # After the frame: building the screen and filling it are two short turns, not one long.
        self.call_after_refresh(self.refresh_rows)

    def on_account_changed(self, message: AccountChanged) -> None:
        """An undo of a decision (here or anywhere): its row is proposed again."""
        message.stop()  # the app has its own copy to refresh the account's summary
        self.load()

    view_name, view_type = "inbox", Inbox

    @work(thread=True, exclusive=True, group="signals", exit_on_error=False)
    def load(self) -> None:
        session = self.session
        stamp = session.stamp
        with collector_paused():  # tens of thousands of proposals: no collection pass stalls the UI meanwhile
            found = inbox.load(session.store, session.today)
        self.app.call_from_thread(self._loaded, stamp, found)

    def _loaded(self, stamp: int, found: Inbox) -> None:
        self.session.keep_view(stamp, self.view_name, found)
        self.show(found)

    def show(self, found: Inbox) -> None:
        if found is self.items:  # shown already (the screen shown again, nothing changed meanwhile)
            return
        self.items, self._drawn = found, None
        if self.marked:  # each looked up: the keys of 150,000 suggestions are made when asked for
            self.marked = {key for key in self.marked if key in found.keys}
        self._fill()
        signals, seen = found.signals, found.seen
        self.query_one("#status", Static).update(
            f"{signals} signal{'s' if signals != 1 else ''}, {seen} seen not on the map, "
            f"{len(found) - signals - seen} strength suggestions · c accepts · x rejects · space marks, C accepts "
            "the marked · ctrl+z undoes"
        )
        self.session.open_signals = signals
        self._show_evidence()
        self.rows_shown()

    def _fill(self) -> None:
        """The rows as keys; a cell is made only when its line is drawn."""
        table = self.query_one(VirtualTable)
        if not self.items:
            table.set_rows(["none"], lambda row, col: NOTHING if col == "what" else Text(""))
            return
        table.set_rows(self.items.keys, self._cell, table.cursor_key)

    def _cell(self, row: int, column: str) -> Text:
        if self._drawn is None or self._drawn[0] != row:
            self._drawn = (row, self.items[row])  # a row's words are made once for its cells
        i = self._drawn[1]
        if column == "mark":
            return Text("●" if i.key in self.marked else "")
        if column == "date":
            return Text(dates.show(i.day) if i.day else "")
        return Text(i.what) if column == "what" else plain(getattr(i, column))

    def _selected(self) -> InboxItem | None:
        table = self.query_one(VirtualTable)
        return self.items[table.cursor_row] if self.items and table.cursor_row < len(self.items) else None

    @on(VirtualTable.RowHighlighted)
    def _show_evidence(self) -> None:
        i = self._selected()
        panel = self.query_one("#evidence", Static)
        if i is None:
            panel.update("")
            return
        panel.update(Text("Evidence: ", style="bold") + Text(i.evidence) + Text("\nProposal: ", style="bold")
                     + Text(i.proposal))  # fmt: skip

    @on(VirtualTable.RowSelected)
    def _selected_row(self, event: VirtualTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        i = self._selected()
        if i is not None and i.account_id is not None:
            self.post_message(OpenAccount(i.account_id))

    def action_mark(self) -> None:
        i = self._selected()
        if i is None:
            return
        self.marked ^= {i.key}
        self._fill()  # the same rows, drawn again with the mark
        table = self.query_one(VirtualTable)
        table.move_cursor(table.cursor_row + 1)

    def action_confirm(self) -> None:
        i = self._selected()
        if i is None:
            return
        if i.kind != inbox.SIGNAL:
            self.decide([i], accept=True)
            return
        from stakeworks.screens.dialogs import Confirm

        departs = i.ref.departs  # type: ignore[union-attr]
        effect = (
            f"{i.who} is marked departed today; a champion or sponsor gets the departure playbook."
            if departs
            else f"{i.who}'s title and level change as the signal says."
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self.decide([i], accept=True)

        self.app.push_screen(Confirm(f"Confirm: {i.proposal}?", Text(i.evidence + "\n\n") + Text(effect),
                                     yes="Confirm"), answered)  # fmt: skip

    def action_accept_marked(self) -> None:
        keys, rows = self.items.keys, []
        for key in self.marked:  # one lookup each (`in` is that same lookup)
            with contextlib.suppress(ValueError):
                rows.append(keys.index(key))
        chosen = [self.items[row] for row in sorted(rows)]
        if not chosen:
            self.notify("Mark rows with space first; C accepts every marked row.", markup=False)
            return
        from stakeworks.screens.dialogs import Confirm

        body = Text("\n".join(f"{i.what}: {i.who} ({i.account}): {i.proposal}" for i in chosen[:12]))

        def answered(yes: bool | None) -> None:
            if yes:
                self.decide(chosen, accept=True)

        self.app.push_screen(Confirm(f"Accept {len(chosen)} proposals?", body, yes="Accept all"), answered)

    def action_dismiss_signal(self) -> None:
        i = self._selected()
        if i is not None:
            self.decide([i], accept=False)

    @work(thread=True, group="signal-writes", exit_on_error=False, description="decide")
    def decide(self, chosen: list[InboxItem], *, accept: bool) -> None:
        store, today, user = self.session.store, self.session.today, self.session.prefs.user
        try:
            undo = (inbox.accept if accept else inbox.reject)(store, chosen, today, user)
        except StakeworksError as exc:
            self.app.call_from_thread(
                self.notify, str(exc), title="Not done", severity="error", timeout=10, markup=False
            )
            return
        self.app.call_from_thread(self._decided, chosen, accept, undo)

    def _decided(self, chosen: list[InboxItem], accept: bool, undo: UndoToken) -> None:
        one = chosen[0]
        if len(chosen) > 1:
            done = f"Accepted {len(chosen)} proposals" if accept else f"Rejected {len(chosen)} proposals"
            what = done.lower()
        elif one.kind == inbox.SIGNAL:
            done = f"Confirmed: {one.proposal}" if accept else f"Dismissed the signal about {one.who}"
            what = f"{'confirmed' if accept else 'dismissed'} the signal about {one.who}"
        else:
            done = f"Accepted: {one.proposal} ({one.who})" if accept else f"Rejected: {one.proposal} ({one.who})"
            what = done[0].lower() + done[1:]
        accounts = tuple(sorted({i.account_id for i in chosen if i.account_id is not None}))
        self.session.remember_undo(what, undo, accounts)
        self.notify(f"{done}. ctrl+z undoes it.", markup=False)
        self.marked -= {i.key for i in chosen}
        for account_id in accounts:
            self.app.post_message(AccountChanged(account_id))
        self.load()
