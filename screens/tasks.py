"""Playbook tasks across the portfolio (or one account): open first, tick them off."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from stakeworks.domain.models import PlaybookTask
from stakeworks.screens.base import ShowsWorkerErrors, WritesInWorkers
from stakeworks.widgets import dates, palette
from stakeworks.widgets.badges import plain


def task_state(t: PlaybookTask, today) -> Text:  # type: ignore[no-untyped-def]
    if t.status == "cancelled":
        return Text("✗ cancelled", style="dim strike")
    if t.done:
        return Text("✓ done", style=palette.GOOD)
    if t.due_date and t.due_date < today:
        return Text(f"⚠ overdue {(today - t.due_date).days}d", style=palette.BAD_STRONG)
    if t.due_date and t.due_date == today:
        return Text("● due today", style=palette.WARN)
    return Text("○ open")


class TasksScreen(WritesInWorkers, ShowsWorkerErrors, Screen[None]):
    BINDINGS = [
        Binding("space", "toggle", "Tick / untick", id="tasks.toggle"),
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

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="summary")
        yield DataTable(id="tasks", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns(
            "State", "Due", "Action", "Account", "Departed", "Owner"
        )  # the action in view at 80 columns
        self.load()

    def on_screen_resume(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="tasks", exit_on_error=False)
    def load(self) -> None:
        store = self.app.store  # type: ignore[attr-defined]
        tasks = store.playbook_tasks(self.account_id)
        accounts = dict(store.account_names())
        people = store.playbook_contact_names()
        self.app.call_from_thread(self.show, tasks, accounts, people)

    def show(self, tasks: list[PlaybookTask], accounts: dict[int, str], people: dict[int, str]) -> None:
        self.tasks = tasks
        today = self.app.today  # type: ignore[attr-defined]
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        for t in tasks:
            if self.hide_done and t.status != "open":
                continue
            action = ("☐ " if not t.done else "☑ ") + t.action if t.kind == "checklist" else t.action
            table.add_row(
                task_state(t, today), dates.show(t.due_date), plain(action), plain(accounts.get(t.account_id, "?")),
                plain(people.get(t.contact_id, "?")), t.owner, key=str(t.id),
            )  # fmt: skip
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))
        open_ = [t for t in tasks if t.status == "open"]  # cancelled tasks are history, never open
        overdue = [t for t in open_ if t.due_date and t.due_date < today]
        scope = accounts.get(self.account_id, "") if self.account_id else "all accounts"
        self.query_one("#summary", Static).update(
            Text(f"Playbook tasks · {scope} · {len(open_)} open · ")
            + Text(f"{len(overdue)} overdue", style=palette.BAD_STRONG if overdue else "")
        )

    def action_toggle(self) -> None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return
        task_id = int(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)  # type: ignore[arg-type]
        task = next(t for t in self.tasks if t.id == task_id)
        store = self.app.store  # type: ignore[attr-defined]
        self.store_write(
            lambda: store.set_task_done(task_id, not task.done),
            lambda _: self.load(),
            failed=lambda exc: self.notify(str(exc), severity="warning", markup=False),
            what="Ticking the task",
        )

    def action_toggle_done(self) -> None:
        self.hide_done = not self.hide_done
        self.load()
