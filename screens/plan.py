"""The multi-threading plan of one account: stored items and proposals from gaps."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Static

from stakeworks.domain.errors import StakeworksError
from stakeworks.domain.labels import PLAN_STATUS, label
from stakeworks.domain.models import Contact, PlanItem, PlanStatus
from stakeworks.domain.plans import not_yet_planned, propose, timeline
from stakeworks.screens.base import ShowsWorkerErrors, StakeworksScreen, WritesInWorkers
from stakeworks.screens.messages import AccountChanged
from stakeworks.widgets import palette
from stakeworks.widgets.badges import plain
from stakeworks.widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    from stakeworks.domain.undo import UndoToken


class PlanScreen(WritesInWorkers, ShowsWorkerErrors, StakeworksScreen[bool]):
    BINDINGS = [
        Binding("n", "new", "New item", id="plan.new"),
        Binding("e", "edit", "Edit", id="plan.edit"),
        Binding("a", "accept", "Accept proposal", id="plan.accept"),
        Binding("x", "done", "Done", id="plan.done"),
        Binding("d", "drop", "Drop", id="plan.drop"),
        Binding("escape", "back", "Back", id="plan.back"),
    ]
    DEFAULT_CSS = """
    PlanScreen #summary { padding: 0 1; height: auto; }
    """

    def __init__(self, account_id: int) -> None:
        super().__init__()
        self.account_id = account_id
        self.rows: list[tuple[PlanItem, bool]] = []  # (item, proposed)
        self.contacts: list[Contact] = []
        """The account's contacts, for the plan-item editor's choices."""
        self.changed = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="summary")
        yield DataTable(id="plan", cursor_type="row", zebra_stripes=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("Status", "Target", "Path to engagement", "First action", "Timeline")
        self.load()

    @work(thread=True, exclusive=True, group="plan", exit_on_error=False)
    def load(self) -> None:
        from stakeworks.services import accounts as services
        from stakeworks.services import records

        session = self.session
        view = services.account_view(session.store, self.account_id, session.today, session.settings)
        stored = records.plan_items(session.store, self.account_id)
        proposals = propose(
            self.account_id,
            view.contacts,
            view.assessment,
            session.today,
            view.account.renewal_date,
            session.settings,
            view.influences,
        )
        proposed = not_yet_planned(proposals, stored)
        self.app.call_from_thread(self.show, view.account.name, stored, proposed, view.contacts)

    def show(self, name: str, stored: list[PlanItem], proposed: list[PlanItem],
             contacts: list[Contact] | None = None) -> None:  # fmt: skip
        if contacts is not None:
            self.contacts = contacts
        self.rows = [(p, False) for p in stored] + [(p, True) for p in proposed]
        today: date = self.session.today
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        style = {"open": palette.WARN, "done": palette.GOOD, "dropped": "dim"}
        for i, (p, is_proposed) in enumerate(self.rows):
            status = (
                Text("proposed", style=palette.ACCENT)
                if is_proposed
                else Text(label(PLAN_STATUS, p.status), style=style[p.status.value])
            )
            table.add_row(
                status,
                plain(p.target_label),
                plain(p.path_label),
                plain(p.first_action),
                timeline(p.due_date, today),
                key=str(i),
            )
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))
        self.query_one("#summary", Static).update(
            Text("Multi-threading plan · ")
            + Text(name, style="bold")
            + Text(
                f" · {len(stored)} in the plan, {len(proposed)} proposed from gaps (a accepts, e adjusts)"
                " · n adds your own"
            )
        )

    def _current(self) -> tuple[PlanItem, bool] | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        return self.rows[int(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)]  # type: ignore[arg-type]  # our rows are keyed by index: never None

    def _save(self, item: PlanItem, expected: PlanItem | None = None, said: str = "") -> None:
        """Write in a worker; `expected` (the item as shown) refuses a stale change, saying what
        changed. The write is undoable: ctrl+z takes it back."""
        from stakeworks.services import edits

        store = self.session.store

        def write() -> UndoToken:
            return edits.save_plan_item(store, item, expected)

        def saved(undo: UndoToken) -> None:
            self.changed = True
            self.session.remember_undo(said.rstrip(".") or "saved a plan item", undo, (self.account_id,))
            self.notify(
                f"{said[:1].upper()}{said[1:].rstrip('.')}. ctrl+z undoes it." if said else "Saved.", markup=False
            )
            self.load()

        def refused(exc: StakeworksError) -> None:
            self.notify(f"Not saved: {exc}", severity="warning", markup=False, timeout=10)
            self.load()  # show what is stored now

        self.store_write(write, saved, failed=refused, what="Saving the plan")

    def on_account_changed(self, message: AccountChanged) -> None:
        """An undo wrote this account's plan: show it as stored."""
        if message.account_id == self.account_id:
            self.load()

    def action_accept(self) -> None:
        current = self._current()
        if current and current[1]:
            self._save(current[0], said=f"added to the plan: {current[0].target_label}")

    def _set_status(self, status: PlanStatus) -> None:
        current = self._current()
        if current is None:
            return
        item, proposed = current
        verb = {"done": "marked done", "dropped": "dropped", "open": "reopened"}[status.value]
        self._save(item.model_copy(update={"status": status}), None if proposed else item,
                   said=f"{verb}: {item.target_label}")  # fmt: skip

    def action_done(self) -> None:
        self._set_status(PlanStatus.DONE)

    def action_drop(self) -> None:
        self._set_status(PlanStatus.DROPPED)

    def _editor(self, item: PlanItem, expected: PlanItem | None, title: str, said: str) -> None:
        from stakeworks.screens.plan_item_editor import PlanItemEditor

        def edited(result: PlanItem | None) -> None:
            if result is not None:
                self._save(result, expected, said=said)

        self.app.push_screen(PlanItemEditor(item, self.contacts, self.session.today, title=title), edited)

    def action_new(self) -> None:
        """A plan item of one's own: a mapped contact or someone not in the map yet."""
        self._editor(PlanItem(account_id=self.account_id, path_label="Direct outreach"), None, "New plan item",
                     "added your plan item")  # fmt: skip

    def action_edit(self) -> None:
        current = self._current()
        if current is None:
            self.action_new()
            return
        item, proposed = current
        if proposed:
            self._editor(item, None, "Adjust the proposal, then save it into the plan", "added the adjusted proposal")
        else:
            self._editor(item, item, "Edit plan item", f"edited the plan item for {item.target_label}")

    def action_back(self) -> None:
        self.dismiss(self.changed)
