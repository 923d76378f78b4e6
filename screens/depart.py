"""Mark a contact departed: the playbook for champions, then pick an interim contact."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from stakeworks.domain import days
from stakeworks.domain.errors import StakeworksError
from stakeworks.domain.models import Contact, StoredContact
from stakeworks.domain.words import plural
from stakeworks.screens.base import ShowsWorkerErrors, StakeworksModal, WritesInWorkers
from stakeworks.services import edits
from stakeworks.services.accounts import DepartureResult
from stakeworks.widgets import dates, palette

if TYPE_CHECKING:
    from stakeworks.domain.undo import UndoToken


class DepartScreen(WritesInWorkers, ShowsWorkerErrors, StakeworksModal[bool]):
    """Step 1: the date. Step 2: the playbook summary and suggested successors."""

    BINDINGS = [Binding("escape", "close", "Close", id="depart.close")]
    blocks_undo = True
    """ctrl+z waits until the dialog is closed: the interim contact is picked for the departure shown."""
    DEFAULT_CSS = """
    DepartScreen { align: center middle; }
    DepartScreen #dialog { width: 80; height: auto; max-height: 90%; border: thick $error; background: $surface; padding: 1 2; }
    DepartScreen OptionList { height: auto; max-height: 10; }
    DepartScreen #message { height: auto; margin: 1 0; }
    """

    def __init__(self, contact: StoredContact, today: date) -> None:
        super().__init__()
        self.contact = contact
        self.today = today
        self.result: DepartureResult | None = None
        self._saving = False

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text("Mark ") + Text(self.contact.name, style="bold") + Text(" as departed"))
            yield Static(
                "Departure date (today, -3 for three days ago, or 2026-03-31); enter to confirm"
            )  # wraps at 80
            yield Input(self.today.isoformat(), id="date")
            yield Static("", id="message")
            yield OptionList(id="successors")

    def on_mount(self) -> None:
        self.query_one(OptionList).display = False
        self.query_one(Input).focus()

    @on(Input.Submitted, "#date")
    def _confirm(self, event: Input.Submitted) -> None:
        message = self.query_one("#message", Static)
        try:
            when = days.parse_day(event.value, "The departure date", self.today)
        except StakeworksError as exc:
            message.update(Text(str(exc), style=palette.BAD_STRONG))
            return
        if self._saving:
            return
        self._saving = True
        store, contact, today = self.session.store, self.contact, self.today

        def refused(exc: StakeworksError) -> None:
            self._saving = False
            message.update(Text(str(exc), style=palette.BAD_STRONG))

        self.store_write(
            lambda: edits.depart(store, contact.account_id, contact, when, today),
            lambda done: self._departed(done[0], done[1], when), failed=refused, what="Saving the departure",
        )  # fmt: skip

    def _departed(self, r: DepartureResult, undo: UndoToken, when: date) -> None:
        self._saving = False
        self.result = r
        tasks = (
            f" ({r.tasks_created} playbook {'task' if r.tasks_created == 1 else 'tasks'})" if r.tasks_created else ""
        )
        label = f"marked {self.contact.name} departed on {dates.show(when)}{tasks}"
        self.session.remember_undo(label, undo, (r.contact.account_id or 0,))
        message = self.query_one("#message", Static)
        text = Text(f"{self.contact.name} marked departed on {dates.show(when)} (ctrl+z undoes it).\n")
        if r.changed_meanwhile:  # another change since the dialog opened: kept, the departure on top
            text += Text(f"Changed elsewhere meanwhile, and kept: {r.changed_meanwhile}.\n", style=palette.WARN)
        if r.playbook:
            text += Text(
                f"Departure playbook: {plural(r.tasks_created, 'new task')} and checklist items (ctrl+t lists them).\n",
                style="bold",
            )
        if r.successors:
            text += Text("Pick the interim contact (enter), or escape to decide later:")
        message.update(text)
        self.query_one(Input).disabled = True
        options = self.query_one(OptionList)
        for i, s in enumerate(r.successors):
            options.add_option(
                Option(Text(s.contact.name, style="bold") + Text(f"  {s.reason}", style="dim"), id=str(i))
            )
        options.display = bool(r.successors)
        if r.successors:
            options.highlighted = 0
            options.focus()

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        assert self.result is not None
        self.pick(self.result.successors[event.option_index].contact)

    @work(thread=True, exclusive=True, group="depart", exit_on_error=False)
    def pick(self, successor: Contact) -> None:
        departed = self.result.contact if self.result else self.contact
        undo = edits.pick_interim(self.session.store, departed, successor, self.today)
        self.app.call_from_thread(self._picked_done, successor, undo)

    def _picked_done(self, successor: Contact, undo: UndoToken) -> None:
        what = f"made {successor.name} the interim contact for {self.contact.name}"
        self.session.remember_undo(what, undo, (self.contact.account_id or 0,))
        self.app.notify(f"{successor.name} is the interim contact (ctrl+z undoes it).", markup=False)
        self.dismiss(True)

    def action_close(self) -> None:
        self.dismiss(self.result is not None)
