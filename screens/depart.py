"""Mark a contact departed: the playbook for champions, then pick an interim contact."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from stakeworks.domain import days
from stakeworks.domain.errors import StakeworksError
from stakeworks.domain.models import Contact
from stakeworks.screens.base import ShowsWorkerErrors, StakeworksModal, WritesInWorkers
from stakeworks.services import accounts as services
from stakeworks.services.accounts import DepartureResult
from stakeworks.widgets import palette


class DepartScreen(WritesInWorkers, ShowsWorkerErrors, StakeworksModal[bool]):
    """Step 1: the date. Step 2: the playbook summary and suggested successors."""

    BINDINGS = [Binding("escape", "close", "Close", id="depart.close")]
    DEFAULT_CSS = """
    DepartScreen { align: center middle; }
    DepartScreen #dialog { width: 80; height: auto; max-height: 90%; border: thick $error; background: $surface; padding: 1 2; }
    DepartScreen OptionList { height: auto; max-height: 10; }
    DepartScreen #message { height: auto; margin: 1 0; }
    """

    def __init__(self, contact: Contact, today: date) -> None:
        super().__init__()
        self.contact = contact
        self.today = today
        self.result: DepartureResult | None = None
        self._saving = False

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text("Mark ") + Text(self.contact.name, style="bold") + Text(" as departed"))
            yield Label("Departure date (YYYY-MM-DD), enter to confirm")
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
            when = days.parse_day(event.value, "The departure date")
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
            lambda: services.depart(store, contact.account_id, contact, when, today),  # type: ignore[arg-type]
            lambda result: self._departed(result, when), failed=refused, what="Saving the departure",
        )  # fmt: skip

    def _departed(self, r: DepartureResult, when: date) -> None:
        self._saving = False
        self.result = r
        message = self.query_one("#message", Static)
        text = Text(f"{self.contact.name} marked departed on {when}.\n")
        if r.changed_meanwhile:  # another change since the dialog opened: kept, the departure on top
            text += Text(f"Changed elsewhere meanwhile, and kept: {r.changed_meanwhile}.\n", style=palette.WARN)
        if r.playbook:
            text += Text(
                f"Departure playbook: {r.tasks_created} new task(s) and checklist items (ctrl+t lists them).\n",
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
        services.pick_interim(
            self.session.store, self.result.contact if self.result else self.contact, successor, self.today
        )
        self.app.call_from_thread(self._picked_done, successor)

    def _picked_done(self, successor: Contact) -> None:
        self.app.notify(f"{successor.name} is the interim contact.", markup=False)
        self.dismiss(True)

    def action_close(self) -> None:
        self.dismiss(self.result is not None)
