"""Mark a contact departed: the playbook for champions, then pick an interim contact."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from stakeworks.domain.errors import StakeworksError
from stakeworks.domain.models import Contact
from stakeworks.services import accounts as services
from stakeworks.services.accounts import DepartureResult
from stakeworks.widgets import palette


class DepartScreen(ModalScreen[bool]):
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
            when = date.fromisoformat(event.value.strip())
        except ValueError:
            message.update(Text(f"{event.value!r} is not a date (YYYY-MM-DD)", style=palette.BAD_STRONG))
            return
        try:
            self.result = services.depart(self.app.store, self.contact.account_id, self.contact, when, self.today)  # type: ignore[attr-defined,arg-type]
        except StakeworksError as exc:
            message.update(Text(str(exc), style=palette.BAD_STRONG))
            return
        r = self.result
        text = Text(f"{self.contact.name} marked departed on {when}.\n")
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
        services.pick_interim(self.app.store, self.result.contact if self.result else self.contact, successor, self.today)  # type: ignore[attr-defined]
        self.app.call_from_thread(self._picked_done, successor)

    def _picked_done(self, successor: Contact) -> None:
        self.app.notify(f"{successor.name} is the interim contact.", markup=False)
        self.dismiss(True)

    def action_close(self) -> None:
        self.dismiss(self.result is not None)
