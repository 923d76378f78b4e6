"""Sponsor matching: our executives and their load, open program accounts, the
optimal suggestion; keys to assign, unassign and accept.

"Our sponsor" is one of our executives sponsoring a customer account; the
customer's own senior leader is "their executive sponsor" (a contact's role),
never just "sponsor", on this screen or any other.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Header, Static
from textual.worker import get_current_worker

from stakeworks.domain.errors import StakeworksError
from stakeworks.domain.labels import LEVEL, TIER, label
from stakeworks.domain.models import StoredExecutive
from stakeworks.domain.sponsors import Candidate, Pair, briefly, duties
from stakeworks.screens.base import ShowsPrefetchedView, ShowsWorkerErrors, StakeworksScreen
from stakeworks.screens.messages import AccountChanged
from stakeworks.services import edits, program
from stakeworks.services.program import Program
from stakeworks.services.quiet_gc import collector_paused
from stakeworks.widgets import dates, palette
from stakeworks.widgets.badges import plain
from stakeworks.widgets.key_footer import KeyFooter
from stakeworks.widgets.virtual_table import VColumn, VirtualTable

Write = tuple[str, StoredExecutive, int]
"""("assign" or "unassign", our executive, account id)."""


def load_bar(used: int, capacity: int) -> Text:
    style = palette.BAD_STRONG if used > capacity else palette.WARN if used == capacity else palette.GOOD
    mark = " OVER" if used > capacity else " FULL" if used == capacity else ""
    return Text("█" * used + "░" * max(0, capacity - used), style=style) + Text(f" {used}/{capacity}{mark}")


# Lazy tables: 1,000 executives on a 50,000-account store filled a DataTable in 150 ms of the UI
# thread (every cell parsed and measured); these draw only the lines in view. At 80 columns
# the narrow columns stay: the load and the due dates.
EXECUTIVE_COLUMNS = [VColumn("name", "Our executive", 18, priority=0, min_width=12),
                     VColumn("load", "Load", 14, priority=1), VColumn("level", "Level", 8, priority=2),
                     VColumn("function", "Function", 14, priority=3, min_width=8)]  # fmt: skip
ASSIGNMENT_COLUMNS = [
    VColumn("due", "Due", 11, priority=0),
    VColumn("what", "Account and duty", 40, priority=1, min_width=16),
]
# Two accounts of one name differ by their CRM id at the end: a long name loses its middle.
CANDIDATE_COLUMNS = [VColumn("n", "#", 4, priority=0),
                     VColumn("account", "Account", 24, priority=0, min_width=14, keep_end_after=" ("),
                     VColumn("score", "Score", 5, priority=1), VColumn("why", "Why", 40, priority=2, min_width=10)]  # fmt: skip
SUGGESTION_COLUMNS = [VColumn("executive", "Our executive", 16, priority=0, min_width=12),
                      VColumn("account", "Account", 22, priority=0, min_width=12, keep_end_after=" ("),
                      VColumn("fit", "Fit", 4, priority=1),
                      VColumn("why", "Why", 40, priority=2, min_width=10)]  # fmt: skip


def _executive_cells(prog: Program) -> Callable[[int, str], Text]:
    def cell(row: int, column: str) -> Text:
        e = prog.executives[row]
        if column == "load":
            return load_bar(len(prog.load.get(e.id, [])), e.capacity)
        return plain(e.name if column == "name" else label(LEVEL, e.level) if column == "level" else e.function)

    return cell


def _candidate_cells(candidates: list[Candidate]) -> Callable[[int, str], Text]:
    def cell(row: int, column: str) -> Text:
        c = candidates[row]
        if column == "n":
            return Text(str(row + 1))  # numbered as listed: no gaps
        if column == "account":
            return plain(c.account.name)
        return Text(f"{c.score.total:.0f}") if column == "score" else plain(briefly(c.score))

    return cell


def _suggestion_cells(pairs: list[Pair]) -> Callable[[int, str], Text]:
    def cell(row: int, column: str) -> Text:
        p = pairs[row]
        if column == "executive":
            return plain(p.executive.name)
        if column == "account":
            return plain(p.account.name)
        return Text(f"{p.fit.total:.0f}") if column == "fit" else plain(briefly(p.fit))

    return cell


class SponsorsScreen(ShowsPrefetchedView, ShowsWorkerErrors, StakeworksScreen[None]):
    CSS_PATH = "sponsors.tcss"
    BINDINGS = [
        Binding("a", "assign", "Assign", id="sponsors.assign"),
        Binding("u", "unassign", "Unassign", id="sponsors.unassign"),
        Binding("enter", "accept", "Accept suggestion", id="sponsors.accept", show=False),
        Binding("x", "accept_all", "Queue / approve all", id="sponsors.accept_all"),
        Binding("o", "app.go('program')", "Owner's review", id="sponsors.program"),
        Binding("n", "new_executive", "New exec", id="sponsors.new_executive"),
        Binding("e", "edit_executive", "Edit exec", id="sponsors.edit_executive"),
        Binding("r", "retire", "Retire", id="sponsors.retire"),
    ]
    view_name, view_type, take_view = "sponsors", Program, True

    def __init__(self) -> None:
        super().__init__()
        self.program: Program | None = None
        self.pairs: list[Pair] = []
        self.suggested = False  # the optimiser has answered for the program shown
        self.open_candidates: list[Candidate] = []
        """The candidates table's rows: program accounts without our sponsor, by program score."""
        self.account_id: int | None = None
        """The program of every account: an undo anywhere may change it (AccountChanged)."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Loading sponsor program…", id="status")
        with Horizontal(id="top"):
            with Vertical():
                yield Static("Our executives (VP+, 3 accounts each)", classes="title")
                yield VirtualTable(EXECUTIVE_COLUMNS, id="executives")
            with Vertical():
                yield Static("Accounts they sponsor", id="assignments-title", classes="title")
                yield VirtualTable(ASSIGNMENT_COLUMNS, id="assignments")
        with Horizontal(id="bottom"):
            with Vertical():
                yield Static("Program accounts without our sponsor", classes="title")
                yield VirtualTable(CANDIDATE_COLUMNS, id="candidates")
                yield Static("", id="candidate-why", classes="why")
            with Vertical():
                yield Static("Suggested pairs (best total fit)", classes="title")
                yield VirtualTable(SUGGESTION_COLUMNS, id="suggestions")
                yield Static("", id="suggestion-why", classes="why")
        yield KeyFooter()

    def on_account_changed(self, message: AccountChanged) -> None:
        """An undo of an assignment (or of anything the program scores): show the program as stored."""
        message.stop()  # the app has its own copy to refresh the account's summary
        self.load()

    def on_mount(self) -> None:
        # The prefetched program, or its worker's when done, or our own read; after the first
        # frame, so that building the screen and filling it are two short turns, not one long.
        self.call_after_refresh(self.refresh_rows)
        # Keys typed with ctrl+e act on the executives, once they are in.
        self.focus_when_shown(self.query_one("#executives", VirtualTable))

    def show(self, prog: Program) -> None:
        self.show_program(prog)
        self.suggest(prog)

    @work(thread=True, exclusive=True, group="sponsors", exit_on_error=False)
    def load(self) -> None:
        prog = program.load_program(self.session.store, self.session.today).shown()
        self.app.call_from_thread(self.show_program, prog)
        self._suggest(prog)

    # A description of its own: else Textual describes a worker by repr() of its arguments, on
    # the UI thread (a whole Program: a 200 ms freeze on 10,000 accounts). Likewise elsewhere.
    @work(thread=True, exclusive=True, group="sponsors", exit_on_error=False, description="suggest")
    def suggest(self, prog: Program) -> None:
        self._suggest(prog)

    def _suggest(self, prog: Program) -> None:
        with collector_paused():  # scipy's first import allocates enough to set off full collections
            pairs = prog.suggestion()
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.show_suggestion, prog, pairs)

    def show_program(self, prog: Program) -> None:
        """The program's tables; the suggestion's follows from its worker (`show_suggestion`)."""
        self.program, self.pairs, self.suggested = prog, [], False
        # Each table's cells are built as their lines are drawn; the cursor stays on its row.
        self.query_one("#executives", VirtualTable).set_rows([str(e.id) for e in prog.executives],
                                                             _executive_cells(prog))  # fmt: skip
        self.open_candidates = candidates = [c for c in prog.candidates if c.in_program and not c.sponsors]
        table = self.query_one("#candidates", VirtualTable)
        table.set_rows([str(c.account.id) for c in candidates], _candidate_cells(candidates), table.cursor_key)
        self.query_one("#suggestions", VirtualTable).set_rows([], _suggestion_cells([]))
        self.query_one("#suggestion-why", Static).update("Computing the best total fit…")
        self._show_status()
        self._show_assignments()
        self._show_candidate_why()
        self.rows_shown()

    def show_suggestion(self, prog: Program, pairs: list[Pair]) -> None:
        if prog is not self.program:  # the program was read again meanwhile: its own suggestion follows
            return
        self.pairs, self.suggested = pairs, True
        self.query_one("#suggestions", VirtualTable).set_rows([str(i) for i in range(len(pairs))],
                                                              _suggestion_cells(pairs))  # fmt: skip
        self._show_status()
        self._show_suggestion_why()

    def _show_status(self) -> None:
        prog, pairs = self.program, self.pairs
        if prog is None:
            return
        full = sum(1 for e in prog.executives if len(prog.load.get(e.id, [])) >= e.capacity)
        open_count = len(self.open_candidates)
        suggested = (
            f"{len(pairs)} suggested pairs, total fit {sum(p.fit.total for p in pairs):.0f}"
            if self.suggested
            else "suggesting the best total fit…"
        )
        self.query_one("#status", Static).update(
            f"{len(prog.executives)} executives of ours · {full} full · {open_count} program accounts open · {suggested}"
        )

    @on(VirtualTable.RowHighlighted, "#executives")
    def _exec_highlighted(self) -> None:
        self._show_assignments()

    @on(VirtualTable.RowHighlighted, "#candidates")
    def _show_candidate_why(self) -> None:
        c = self._row_of("#candidates", lambda key: next(x for x in self.open_candidates if str(x.account.id) == key))
        text = (
            ""
            if c is None
            else Text(f"{c.account.name}: ", style="bold")
            + Text("; ".join(x.why for x in c.score.components) + f" (score {c.score.total:.1f})")
        )
        self.query_one("#candidate-why", Static).update(text)

    @on(VirtualTable.RowHighlighted, "#suggestions")
    def _show_suggestion_why(self) -> None:
        p = self._row_of("#suggestions", lambda key: self.pairs[int(key)])
        text = (
            ""
            if p is None
            else Text(f"{p.executive.name} → {p.account.name}: ", style="bold")
            + Text("; ".join(x.why for x in p.fit.components) + f" (fit {p.fit.total:.0f})")
        )
        self.query_one("#suggestion-why", Static).update(text)

    def _row_of(self, table_id: str, find: Callable[[str], Any]) -> Any:
        key = self.query_one(table_id, VirtualTable).cursor_key
        if key is None:
            return None
        try:
            return find(key)
        except (StopIteration, IndexError, ValueError):
            return None

    def _selected_executive(self) -> StoredExecutive | None:
        if self.program is None:
            return None
        prog = self.program
        found: StoredExecutive | None = self._row_of(
            "#executives", lambda key: next(e for e in prog.executives if str(e.id) == key)
        )
        return found

    def _show_assignments(self) -> None:
        table = self.query_one("#assignments", VirtualTable)
        title = self.query_one("#assignments-title", Static)
        ex = self._selected_executive()
        if ex is None or self.program is None:
            title.update("Accounts they sponsor")
            table.set_rows([], lambda row, column: Text(""))
            return
        sponsored = self.program.load.get(ex.id, [])
        # Whose accounts these are, always in the title: the list changes with the executive highlighted.
        title.update(Text(f"{ex.name}'s accounts ({len(sponsored)}) · duties"))
        rows: list[tuple[tuple[Text, Text], str]] = (
            [] if sponsored else [((Text(""), Text("none yet", style="dim")), "none")]
        )
        for account_id, name in sponsored:
            acc = self.program.accounts[account_id]
            start: date = self.program.starts.get((ex.id or 0, account_id)) or self.session.today
            # The account on a line of its own, its duties under it: the due dates stay in view at 80 columns.
            rows.append(((Text(""), Text(name, style="bold") + Text(f" · {label(TIER, acc.tier)}")), f"{account_id}:a"))
            for i, d in enumerate(duties(acc.tier, start, acc.last_ebr, self.session.today)):
                due = Text(dates.show(d.due), style=palette.BAD_STRONG if d.overdue else "")
                rows.append(((due, Text(f"  {d.what}" + (" (overdue)" if d.overdue else ""))), f"{account_id}:{i}"))
        # A few rows (three accounts' duties): built here, drawn as they are.
        table.set_rows([key for _, key in rows], lambda row, column: rows[row][0][column == "what"])

    def _selected_candidate(self) -> int | None:
        key = self.query_one("#candidates", VirtualTable).cursor_key
        return None if key is None else int(key)

    # -- writes: in a worker, then one message and a reload ------------------------------------

    @work(thread=True, group="sponsor-writes", exit_on_error=False, description="write")
    def write(self, writes: list[Write], done: str) -> None:
        """Each write on its own (the store's trigger refuses a fourth sponsorship); every
        refusal is reported with its reason, and the others still stand."""
        assert self.program is not None
        store, today = self.session.store, self.session.today
        written: list[int] = []
        refused: list[str] = []
        for kind, ex, account_id in writes:
            name = self.program.accounts[account_id].name
            try:
                undo = edits.sponsorship(store, kind == "assign", ex, account_id, name, today)
            except StakeworksError as exc:
                refused.append(str(exc))
                continue
            written.append(account_id)
            what = f"assigned {ex.name} to {name}" if kind == "assign" else f"ended {ex.name}'s sponsorship of {name}"
            self.app.call_from_thread(self.session.remember_undo, what, undo, (account_id,))
        self.app.call_from_thread(self._written, written, refused, done)

    def _written(self, written: list[int], refused: list[str], done: str) -> None:
        for account_id in written:
            self.app.post_message(AccountChanged(account_id))
        if written:
            self.notify(done, markup=False)
        if refused:
            self.notify("\n".join(refused), title="Refused", severity="error", timeout=10, markup=False)
        self.load()

    def action_assign(self) -> None:
        """Asks first: which account (the highlighted one first), with the executive's load in view."""
        from stakeworks.screens.assign_sponsor import AssignSponsor

        ex = self._selected_executive()
        prog = self.program
        if ex is None or prog is None or not self.open_candidates:
            self.notify("Select one of our executives (top); program accounts without a sponsor are listed "
                        "bottom left.", severity="warning")  # fmt: skip
            return
        highlighted = self._selected_candidate()
        start = next((i for i, c in enumerate(self.open_candidates) if c.account.id == highlighted), 0)
        load = [name for _, name in prog.load.get(ex.id, [])]

        def picked(account_id: int | None) -> None:
            if account_id is not None:
                self.write([("assign", ex, account_id)], f"{ex.name} now sponsors {prog.accounts[account_id].name}.")

        self.app.push_screen(AssignSponsor(ex, load, list(self.open_candidates), start), picked)

    def action_unassign(self) -> None:
        """Asks which of the executive's accounts (when more than one), then confirms."""
        from stakeworks.screens.dialogs import Choose

        ex = self._selected_executive()
        if ex is None or self.program is None:
            return
        sponsored = self.program.load.get(ex.id, [])
        if not sponsored:
            self.notify(f"{ex.name} sponsors no account.", severity="warning", markup=False)
            return
        if len(sponsored) == 1:
            self._confirm_unassign(ex, sponsored[0][0])
            return
        table = self.query_one("#assignments", VirtualTable)
        start = 0
        key = table.cursor_key
        if key is not None and table.has_focus:
            start = next((i for i, (a, _) in enumerate(sponsored) if key.startswith(f"{a}:")), 0)
        self.app.push_screen(
            Choose(f"Which account should {ex.name} stop sponsoring?", [(n, a) for a, n in sponsored], start),
            lambda picked: self._confirm_unassign(ex, picked) if isinstance(picked, int) else None,
        )

    def _confirm_unassign(self, ex: StoredExecutive, account_id: int) -> None:
        from stakeworks.screens.dialogs import Confirm

        assert self.program is not None
        name = self.program.accounts[account_id].name
        body = Text(
            f"{name} will have no sponsor of ours from {ex.name}, and the EBR and check-in duties of this "
            "sponsorship stop. The account and its people are not changed."
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self.write([("unassign", ex, account_id)], f"{ex.name} no longer sponsors {name}.")

        self.app.push_screen(Confirm(f"End {ex.name}'s sponsorship of {name}?", body, yes="Unassign"), answered)

    @on(VirtualTable.RowSelected, "#suggestions")
    def _suggestion_selected(self, event: VirtualTable.RowSelected) -> None:
        event.stop()
        self.action_accept()

    def _executive_of(self, pair: Pair) -> StoredExecutive:
        assert self.program is not None
        return next(e for e in self.program.executives if e.id == pair.executive.id)

    def action_accept(self) -> None:
        pair = self._row_of("#suggestions", lambda key: self.pairs[int(key)])
        if pair is None:
            return
        ex = self._executive_of(pair)
        self.write([("assign", ex, pair.account.id)], f"Accepted: {ex.name} sponsors {pair.account.name}.")

    def action_accept_all(self) -> None:
        """Every suggested pair into the owner's review queue, or (the owner's explicit choice)
        approved at once; the dialog lists the pairs."""
        from stakeworks.screens.dialogs import Choose

        if self.program is None or not self.pairs:
            self.notify("No suggested pair to accept.", severity="warning")
            return
        pairs = list(self.pairs)
        n = len(pairs)
        choices: list[tuple[str, object]] = [
            (f"Put the {n} pairs in the review queue (the program's owner decides)", "queue"),
            (f"Approve all {n} now (I own the program)", "approve"),
        ]
        title = f"{n} suggested pairs: " + "; ".join(f"{p.executive.name} → {p.account.name}" for p in pairs)
        self.app.push_screen(Choose(title, choices), partial(self._apply_chosen, pairs))

    def _apply_chosen(self, pairs: list[Pair], how: object) -> None:
        if how is not None:  # None: cancelled
            self.apply_suggestion(pairs, how)

    @work(thread=True, group="sponsor-writes", exit_on_error=False, description="apply suggestion")
    def apply_suggestion(self, pairs: list[Pair], how: object) -> None:
        store, today, user = self.session.store, self.session.today, self.session.prefs.user
        try:
            count, undo = edits.take_suggestion(store, pairs, how == "approve", user, today)
        except StakeworksError as exc:
            self.app.call_from_thread(self._written, [], [str(exc)], "")
            return
        if how == "approve":
            done, what = f"Approved {count} suggested pairs.", f"approved {count} suggested pairs"
            written = [p.account.id for p in pairs]
        else:
            done = f"{count} suggested pairs put in the review queue (o: the owner's review)."
            what, written = f"queued {count} suggested pairs", []
        self.app.call_from_thread(self.session.remember_undo, what, undo, tuple(written))
        self.app.call_from_thread(self._written, written, [], done)
        if not written:
            self.app.call_from_thread(self.notify, done, markup=False)

    def action_new_executive(self) -> None:
        from stakeworks.screens.executive_editor import ExecutiveEditor

        self.app.push_screen(ExecutiveEditor(), self._reload_if)

    def action_edit_executive(self) -> None:
        from stakeworks.screens.executive_editor import ExecutiveEditor

        ex = self._selected_executive()
        if ex is not None:
            self.app.push_screen(ExecutiveEditor(ex), self._reload_if)

    def action_retire(self) -> None:
        """Retiring ends the executive's sponsorships: it asks first, naming them."""
        from stakeworks.screens.dialogs import Confirm

        ex = self._selected_executive()
        if ex is None or self.program is None:
            return
        accounts = [n for _, n in self.program.load.get(ex.id, [])]
        body = Text(f"Their sponsorships end: {', '.join(accounts)}." if accounts else "They sponsor no account now.")

        def answered(yes: bool | None) -> None:
            if yes:
                self.retire(ex)

        self.app.push_screen(Confirm(f"Retire {ex.name} from the sponsor program?", body, yes="Retire"), answered)

    def _reload_if(self, saved: bool | None) -> None:
        if saved:
            self.load()

    @work(thread=True, group="sponsor-writes", exit_on_error=False)
    def retire(self, ex: StoredExecutive) -> None:
        assert self.program is not None
        ended = [a for a, _ in self.program.load.get(ex.id, [])]
        try:
            # Only the active flag is written, and only while the executive is as shown here: a title,
            # capacity or exception reason changed elsewhere since is never put back.
            undo = edits.retire_executive(self.session.store, ex)
        except StakeworksError as exc:
            self.app.call_from_thread(self._written, [], [f"Not retired: {exc}"], "")
            return
        self.app.call_from_thread(self.session.remember_undo, f"retired {ex.name}", undo, tuple(ended))
        self.app.call_from_thread(self._written, ended, [], f"{ex.name} retired (ctrl+z undoes it).")
