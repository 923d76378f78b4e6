"""Sponsor matching: executives and their load, open program accounts, the
optimal suggestion; keys to assign, unassign and accept."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from stakeworks.domain.errors import StakeworksError
from stakeworks.domain.sponsors import Pair, duties
from stakeworks.screens.base import ShowsWorkerErrors
from stakeworks.screens.messages import AccountChanged
from stakeworks.services import program
from stakeworks.services.program import Program
from stakeworks.widgets import dates, palette
from stakeworks.widgets.badges import plain


def load_bar(used: int, capacity: int) -> Text:
    style = palette.BAD_STRONG if used > capacity else palette.WARN if used == capacity else palette.GOOD
    mark = " OVER" if used > capacity else " FULL" if used == capacity else ""
    return Text("█" * used + "░" * max(0, capacity - used), style=style) + Text(f" {used}/{capacity}{mark}")


class SponsorsScreen(ShowsWorkerErrors, Screen[None]):
    CSS_PATH = "sponsors.tcss"
    BINDINGS = [
        Binding("a", "assign", "Assign exec → account", id="sponsors.assign"),
        Binding("u", "unassign", "Unassign", id="sponsors.unassign"),
        Binding("enter", "accept", "Accept suggestion", id="sponsors.accept", show=False),
        Binding("x", "accept_all", "Accept all", id="sponsors.accept_all"),
        Binding("n", "new_executive", "New exec", id="sponsors.new_executive"),
        Binding("e", "edit_executive", "Edit exec", id="sponsors.edit_executive"),
        Binding("r", "retire", "Retire exec", id="sponsors.retire"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.program: Program | None = None
        self.pairs: list[Pair] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Loading sponsor program…", id="status")
        with Horizontal(id="top"):
            with Vertical():
                yield Static("Executives (VP+, at most 3 accounts each)", classes="title")
                yield DataTable(id="executives", cursor_type="row")
            with Vertical():
                yield Static("Their accounts and duties", classes="title")
                yield DataTable(id="assignments", cursor_type="row")
        with Horizontal(id="bottom"):
            with Vertical():
                yield Static("Program accounts without a sponsor", classes="title")
                yield DataTable(id="candidates", cursor_type="row")
            with Vertical():
                yield Static("Suggested pairs (optimal total fit)", classes="title")
                yield DataTable(id="suggestions", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#executives", DataTable).add_columns("Executive", "Level", "Function", "Load")
        self.query_one("#assignments", DataTable).add_columns("Account", "Tier", "Duty", "Due")
        self.query_one("#candidates", DataTable).add_columns("#", "Account", "Score", "Why")
        self.query_one("#suggestions", DataTable).add_columns("Executive", "Account", "Fit", "Why")
        self.load()

    @work(thread=True, exclusive=True, group="sponsors", exit_on_error=False)
    def load(self) -> None:
        prog = program.load_program(self.app.store, self.app.today)  # type: ignore[attr-defined]
        pairs = prog.suggestion()
        self.app.call_from_thread(self.show, prog, pairs)

    def show(self, prog: Program, pairs: list[Pair]) -> None:
        self.program, self.pairs = prog, pairs
        execs = self.query_one("#executives", DataTable)
        keep = execs.cursor_row
        execs.clear()
        for e in prog.executives:
            used = len(prog.load.get(e.id, []))  # type: ignore[arg-type]
            execs.add_row(plain(e.name), e.level.value, plain(e.function), load_bar(used, e.capacity), key=str(e.id))
        if execs.row_count:
            execs.move_cursor(row=min(keep, execs.row_count - 1))
        cands = self.query_one("#candidates", DataTable)
        cands.clear()
        for c in prog.candidates:
            if c.in_program and not c.sponsors:
                why = ", ".join(f"{x.name.split('_')[0]} {x.points:.0f}" for x in c.score.components if x.points)
                cands.add_row(str(c.rank), plain(c.account.name), f"{c.score.total:.1f}", why, key=str(c.account.id))
        sug = self.query_one("#suggestions", DataTable)
        sug.clear()
        for i, p in enumerate(pairs):
            why = "; ".join(x.why for x in p.fit.components if x.points) or "no fit signals"
            sug.add_row(plain(p.executive.name), plain(p.account.name), f"{p.fit.total:.0f}", plain(why), key=str(i))
        full = sum(1 for e in prog.executives if len(prog.load.get(e.id, [])) >= e.capacity)  # type: ignore[arg-type]
        self.query_one("#status", Static).update(
            f"{len(prog.executives)} executives · {full} at capacity · {cands.row_count} program accounts open · "
            f"{len(pairs)} suggested pairs, total fit {sum(p.fit.total for p in pairs):.0f}"
        )
        self._show_assignments()

    @on(DataTable.RowHighlighted, "#executives")
    def _exec_highlighted(self) -> None:
        self._show_assignments()

    def _selected_executive(self):  # type: ignore[no-untyped-def]
        if self.program is None:
            return None
        table = self.query_one("#executives", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((e for e in self.program.executives if str(e.id) == key), None)

    def _show_assignments(self) -> None:
        table = self.query_one("#assignments", DataTable)
        table.clear()
        ex = self._selected_executive()
        if ex is None or self.program is None:
            return
        starts = {s.account_id: s.start_date for s in self.app.store.assignments() if s.executive_id == ex.id}  # type: ignore[attr-defined]
        for account_id, name in self.program.load.get(ex.id, []):
            acc = self.program.accounts[account_id]
            for i, d in enumerate(duties(acc.tier, starts[account_id], acc.last_ebr, self.app.today)):  # type: ignore[attr-defined]
                due = Text(dates.show(d.due), style=palette.BAD_STRONG if d.overdue else "")
                table.add_row(
                    plain(name) if i == 0 else "", acc.tier if i == 0 else "", d.what, due, key=f"{account_id}:{i}"
                )

    def _selected_candidate(self) -> int | None:
        table = self.query_one("#candidates", DataTable)
        if not table.row_count:
            return None
        return int(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)  # type: ignore[arg-type]

    def _write(self, fn, ex, account_id: int) -> bool:  # type: ignore[no-untyped-def]
        assert self.program is not None
        name = self.program.accounts[account_id].name
        try:
            fn(self.app.store, ex, account_id, name, self.app.today)  # type: ignore[attr-defined]
        except StakeworksError as exc:
            self.notify(str(exc), title="Refused", severity="error", timeout=10, markup=False)
            return False
        self.app.post_message(AccountChanged(account_id))
        return True

    def action_assign(self) -> None:
        ex = self._selected_executive()
        account_id = self._selected_candidate()
        if ex is None or account_id is None:
            self.notify("Select an executive (top) and a program account (bottom left).", severity="warning")
            return
        if self._write(program.assign, ex, account_id):
            self.notify(f"{ex.name} now sponsors {self.program.accounts[account_id].name}.", markup=False)  # type: ignore[union-attr]
        self.load()

    def action_unassign(self) -> None:
        ex = self._selected_executive()
        table = self.query_one("#assignments", DataTable)
        if ex is None or not table.row_count:
            self.notify("Select an executive with an account first.", severity="warning")
            return
        key = str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        account_id = int(key.split(":")[0])
        if self._write(program.unassign, ex, account_id):
            self.notify(f"{ex.name} no longer sponsors {self.program.accounts[account_id].name}.", markup=False)  # type: ignore[union-attr]
        self.load()

    @on(DataTable.RowSelected, "#suggestions")
    def _suggestion_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_accept()

    def action_accept(self) -> None:
        table = self.query_one("#suggestions", DataTable)
        if not table.row_count or self.program is None:
            return
        pair = self.pairs[int(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)]  # type: ignore[arg-type]
        ex = next(e for e in self.program.executives if e.id == pair.executive.id)
        if self._write(program.assign, ex, pair.account.id):
            self.notify(f"Accepted: {ex.name} sponsors {pair.account.name}.", markup=False)
        self.load()

    def action_accept_all(self) -> None:
        if self.program is None:
            return
        for pair in self.pairs:
            ex = next(e for e in self.program.executives if e.id == pair.executive.id)
            self._write(program.assign, ex, pair.account.id)
        self.load()

    def action_new_executive(self) -> None:
        from stakeworks.screens.executive_editor import ExecutiveEditor

        self.app.push_screen(ExecutiveEditor(), lambda saved: self.load() if saved else None)

    def action_edit_executive(self) -> None:
        from stakeworks.screens.executive_editor import ExecutiveEditor

        ex = self._selected_executive()
        if ex is not None:
            self.app.push_screen(ExecutiveEditor(ex), lambda saved: self.load() if saved else None)

    def action_retire(self) -> None:
        """Retiring ends the executive's assignments; press r twice to confirm."""
        ex = self._selected_executive()
        if ex is None:
            return
        if getattr(self, "_retire_pending", None) != ex.id:
            self._retire_pending = ex.id
            accounts = ", ".join(n for _, n in self.program.load.get(ex.id, [])) or "no accounts"  # type: ignore[union-attr]
            self.notify(
                f"Press r again to retire {ex.name} and end their sponsorships ({accounts}).",
                severity="warning",
                markup=False,
            )
            return
        self._retire_pending = None
        ended = [a for a, _ in self.program.load.get(ex.id, [])]  # type: ignore[union-attr]
        self.app.store.save_executive(ex.model_copy(update={"active": False}))  # type: ignore[attr-defined]
        for account_id in ended:
            self.app.post_message(AccountChanged(account_id))
        self.notify(f"{ex.name} retired.", markup=False)
        self.load()
