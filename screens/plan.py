"""The multi-threading plan of one account: stored items and proposals from gaps."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Static

from stakeworks.domain.errors import StakeworksError
from stakeworks.domain.labels import PLAN_STATUS, label
from stakeworks.domain.models import PlanItem, PlanStatus
from stakeworks.domain.plans import not_yet_planned, propose, timeline
from stakeworks.screens.base import ShowsWorkerErrors, WritesInWorkers
from stakeworks.widgets import palette
from stakeworks.widgets.badges import plain


class PlanScreen(WritesInWorkers, ShowsWorkerErrors, Screen[bool]):
    BINDINGS = [
        Binding("a", "accept", "Accept proposal", id="plan.accept"),
        Binding("x", "done", "Done", id="plan.done"),
        Binding("d", "drop", "Drop", id="plan.drop"),
        Binding("e", "edit", "Edit action", id="plan.edit"),
        Binding("escape", "back", "Back", id="plan.back"),
    ]
    DEFAULT_CSS = """
    PlanScreen #summary { padding: 0 1; height: auto; }
    PlanScreen #edit { display: none; }
    PlanScreen #edit.editing { display: block; }
    """

    def __init__(self, account_id: int) -> None:
        super().__init__()
        self.account_id = account_id
        self.rows: list[tuple[PlanItem, bool]] = []  # (item, proposed)
        self.changed = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="summary")
        yield DataTable(id="plan", cursor_type="row", zebra_stripes=True)
        yield Input(placeholder="New first action, enter to save", id="edit", select_on_focus=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("Status", "Target", "Path to engagement", "First action", "Timeline")
        self.load()

    @work(thread=True, exclusive=True, group="plan", exit_on_error=False)
    def load(self) -> None:
        from stakeworks.services import accounts as services

        app = self.app
        view = services.account_view(app.store, self.account_id, app.today, app.settings)  # type: ignore[attr-defined]
        stored = app.store.plan_items(self.account_id)  # type: ignore[attr-defined]
        proposals = propose(
            self.account_id,
            view.contacts,
            view.assessment,
            app.today,
            view.account.renewal_date,
            app.settings,  # type: ignore[attr-defined]
        )
        proposed = not_yet_planned(proposals, stored)
        self.app.call_from_thread(self.show, view.account.name, stored, proposed)

    def show(self, name: str, stored: list[PlanItem], proposed: list[PlanItem]) -> None:
        self.rows = [(p, False) for p in stored] + [(p, True) for p in proposed]
        today: date = self.app.today  # type: ignore[attr-defined]
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
            + Text(f" · {len(stored)} in the plan, {len(proposed)} proposed from gaps (a accepts)")
        )

    def _current(self) -> tuple[PlanItem, bool] | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        return self.rows[int(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)]  # type: ignore[arg-type]

    def _save(self, item: PlanItem, expected: PlanItem | None = None, said: str = "") -> None:
        """Write in a worker; `expected` (the item as shown) refuses a stale change, saying what changed."""
        store = self.app.store  # type: ignore[attr-defined]

        def saved(_: object) -> None:
            self.changed = True
            if said:
                self.notify(said, markup=False)
            self.load()

        def refused(exc: StakeworksError) -> None:
            self.notify(f"Not saved: {exc}", severity="warning", markup=False, timeout=10)
            self.load()  # show what is stored now

        self.store_write(lambda: store.save_plan_item(item, expected), saved, failed=refused, what="Saving the plan")

    def action_accept(self) -> None:
        current = self._current()
        if current and current[1]:
            self._save(current[0], said="Added to the plan.")

    def _set_status(self, status: PlanStatus) -> None:
        current = self._current()
        if current is None:
            return
        item, proposed = current
        self._save(item.model_copy(update={"status": status}), None if proposed else item)

    def action_done(self) -> None:
        self._set_status(PlanStatus.DONE)

    def action_drop(self) -> None:
        self._set_status(PlanStatus.DROPPED)

    def action_edit(self) -> None:
        current = self._current()
        if current is None:
            return
        box = self.query_one("#edit", Input)
        box.value = current[0].first_action
        box.add_class("editing")
        box.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        current = self._current()
        event.input.remove_class("editing")
        self.query_one(DataTable).focus()
        if current is None or not event.value.strip():
            return
        item, proposed = current
        self._save(item.model_copy(update={"first_action": event.value.strip()}), None if proposed else item)

    def action_back(self) -> None:
        box = self.query_one("#edit", Input)
        if box.has_class("editing"):
            box.remove_class("editing")
            self.query_one(DataTable).focus()
            return
        self.dismiss(self.changed)
