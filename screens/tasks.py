"""Playbook tasks across the portfolio (or one account): open first, tick them off."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Static

from stakeworks.domain.models import PlaybookTask
from stakeworks.screens.base import ShowsWorkerErrors, StakeworksScreen, WritesInWorkers
from stakeworks.screens.messages import AccountChanged, OpenAccount
from stakeworks.services import edits, records
from stakeworks.services.accounts import Interim
from stakeworks.widgets import dates, palette
from stakeworks.widgets.badges import plain
from stakeworks.widgets.key_footer import KeyFooter
from stakeworks.widgets.scope_filter import ScopeFilter

if TYPE_CHECKING:
    from stakeworks.domain.undo import UndoToken


def task_state(t: PlaybookTask, today) -> Text:
    if t.status == "cancelled":
        return Text("✗ cancelled", style="dim strike")
    if t.done:
        return Text("✓ done", style=palette.GOOD)
    if t.due_date and t.due_date < today:
        return Text(f"⚠ overdue {(today - t.due_date).days}d", style=palette.BAD_STRONG)
    if t.due_date and t.due_date == today:
        return Text("● due today", style=palette.WARN)
    return Text("○ open")


class TasksScreen(WritesInWorkers, ShowsWorkerErrors, StakeworksScreen[None]):
    BINDINGS = [
        Binding("space", "tick", "Tick / untick", id="tasks.toggle"),
        Binding("enter", "open", "Open account", id="tasks.open"),
        Binding("f", "focus_filter", "Filter", id="tasks.filter"),
        Binding("h", "toggle_done", "Hide/show done and cancelled", id="tasks.hide_done"),
    ]
    DEFAULT_CSS = """
    TasksScreen #summary { padding: 0 1; color: $text-muted; height: 1; }
    """

    def __init__(self, account_id: int | None = None) -> None:
        super().__init__()
        self.account_id = account_id
        self.tasks: list[PlaybookTask] = []
        self.hide_done = False
        self.csm_of: dict[int, str] = {}
        self.interims: dict[int, Interim] = {}
        """The interim contact picked for each departed contact (by the departed contact's id)."""
        self._by_account: dict[int, Interim] = {}
        self._loaded: tuple[list[PlaybookTask], dict[int, str], dict[int, str]] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        if self.account_id is None:
            yield ScopeFilter(id="scope")
        yield Static("", id="summary")
        yield DataTable(id="tasks", cursor_type="row", zebra_stripes=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("State", "Due", "Action", "Account", "Departed", "Owner")  # the action in view at 80 columns
        table.focus()  # the list, not the filter above it: space ticks, enter opens
        self.load()

    def on_screen_resume(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="tasks", exit_on_error=False)
    def load(self) -> None:
        found = records.task_list(self.session.store, self.account_id)
        self.app.call_from_thread(self._loaded_now, found.tasks, found.account_names, found.contact_names, found.csm_of,
                                  found.interims)  # fmt: skip

    def _loaded_now(self, tasks: list[PlaybookTask], accounts: dict[int, str], people: dict[int, str],
                    csm_of: dict[int, str], interims: list[Interim]) -> None:  # fmt: skip
        self.csm_of = csm_of
        # Newest pick first: the first one seen for a departure is the one in force.
        self.interims = {}
        for i in interims:
            if i.departed_id is not None:
                self.interims.setdefault(i.departed_id, i)
        self._by_account = {i.account_id: i for i in reversed(interims)}
        if self.account_id is None:
            self.query_one(ScopeFilter).set_csms(csm_of.values())
        self._loaded = (tasks, accounts, people)
        self.show(tasks, accounts, people)

    def _interim_for(self, t: PlaybookTask) -> Interim | None:
        found = self.interims.get(t.contact_id)
        if found is None:  # a pick recorded before picks named their departure
            legacy = self._by_account.get(t.account_id)
            found = legacy if legacy is not None and legacy.departed_id is None else None
        return found

    def show(self, tasks: list[PlaybookTask], accounts: dict[int, str], people: dict[int, str]) -> None:
        scope = self.query_one(ScopeFilter) if self.account_id is None else None
        if scope is not None and scope.active:
            keeps = scope.matcher()
            tasks = [t for t in tasks if keeps(accounts.get(t.account_id, ""), self.csm_of.get(t.account_id, ""))]
        self.tasks = tasks
        today = self.session.today
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        for t in tasks:
            if self.hide_done and t.status != "open":
                continue
            action = plain(("☐ " if not t.done else "☑ ") + t.action if t.kind == "checklist" else t.action)
            interim = self._interim_for(t) if t.action == "Identify an interim contact" else None
            if interim is not None:
                action += Text(" → ") + Text(interim.name, style="bold")
            table.add_row(
                task_state(t, today), dates.show(t.due_date), action, plain(accounts.get(t.account_id, "?")),
                plain(people.get(t.contact_id, "?")), t.owner, key=str(t.id),
            )  # fmt: skip
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))
        open_ = [t for t in tasks if t.status == "open"]  # cancelled tasks are history, never open
        overdue = [t for t in open_ if t.due_date and t.due_date < today]
        where = accounts.get(self.account_id, "") if self.account_id else "all accounts"
        if scope is not None and scope.active:
            where = scope.describe()
        summary = Text(f"Playbook tasks · {where} · {len(open_)} open · ")
        summary += Text(f"{len(overdue)} overdue", style=palette.BAD_STRONG if overdue else "")
        picked = [i for i in self.interims.values() if i.account_id in {t.account_id for t in tasks}]
        if picked:
            summary += Text(" · interim: ") + Text(
                "; ".join(f"{i.name} for {i.departed_name}" for i in picked[:3]) + ("…" if len(picked) > 3 else "")
            )
        self.query_one("#summary", Static).update(summary)

    @on(ScopeFilter.Changed)
    def _scope(self) -> None:
        if self._loaded is not None:
            self.show(*self._loaded)

    def action_focus_filter(self) -> None:
        if self.account_id is None:
            self.query_one("#scope-csm").focus()

    def _current(self) -> PlaybookTask | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        task_id = int(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)  # type: ignore[arg-type]
        return next((t for t in self.tasks if t.id == task_id), None)

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        """The task's account, with the departed contact selected on the map."""
        task = self._current()
        if task is not None:
            self.post_message(OpenAccount(task.account_id, task.contact_id))

    def action_tick(self) -> None:
        task = self._current()
        if task is None or task.id is None:
            return
        store, task_id, done = self.session.store, task.id, not task.done
        what = f'{"ticked" if done else "unticked"} "{task.action}"'

        def write() -> UndoToken:
            return edits.set_task_done(store, task_id, done)

        def written(undo: UndoToken) -> None:
            self.session.remember_undo(what, undo, (task.account_id,))
            self.load()

        self.store_write(write, written, failed=lambda exc: self.notify(str(exc), severity="warning", markup=False),
                         what="Ticking the task")  # fmt: skip

    def on_account_changed(self, message: AccountChanged) -> None:
        """An undo wrote tasks: show them as stored."""
        if self.account_id in (None, message.account_id):
            self.load()

    def action_toggle_done(self) -> None:
        self.hide_done = not self.hide_done
        self.load()
