"""Log a touch: kind, date (today by default), note. One key from anywhere."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, Static

from stakeworks.domain import days, labels
from stakeworks.domain.errors import StakeworksError
from stakeworks.domain.models import Contact
from stakeworks.screens.base import (
    CompactWhenShort,
    GuardsUnsavedChanges,
    ShowsWorkerErrors,
    StakeworksModal,
    WritesInWorkers,
)
from stakeworks.screens.dialogs import Confirm
from stakeworks.screens.messages import AccountChanged
from stakeworks.services import edits
from stakeworks.widgets import dates, palette

if TYPE_CHECKING:
    from stakeworks.domain.undo import UndoToken


def main_contact(contacts: Sequence[Contact]) -> Contact | None:
    """Who "the account's main contact" is: the strongest active champion,
    else the strongest active economic buyer, else the strongest active contact."""
    active = [c for c in contacts if c.status == "active"]
    for role in ("champion", "economic_buyer"):
        holders = [c for c in active if role in c.roles]
        if holders:
            return max(holders, key=lambda c: c.strength or 0)
    return max(active, key=lambda c: c.strength or 0, default=None)


class LogTouchScreen(CompactWhenShort, GuardsUnsavedChanges, WritesInWorkers, ShowsWorkerErrors, StakeworksModal[bool]):
    """Escape asks before a typed note (or a changed date or kind) is lost."""

    CSS_PATH = "log_touch.tcss"
    BINDINGS = [
        Binding("escape", "leave", "Close", id="touch.cancel"),
        Binding("ctrl+s", "save", "Save", id="touch.save"),
    ]

    blocks_undo = True
    """ctrl+z waits until the dialog is closed."""

    def __init__(self, contact: Contact, today: date) -> None:
        super().__init__()
        self.contact = contact
        self.today = today
        self._saving = False
        self.unsaved_what = "the touch"

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text("Log a touch with ") + Text(self.contact.name, style="bold"), id="title")
            yield Label("Kind")
            yield Select(labels.choices(labels.TOUCH_KIND), value="call", allow_blank=False, id="kind")
            yield Label("Date (YYYY-MM-DD)")
            yield Input(self.today.isoformat(), id="date")  # typing a date replaces the default
            yield Label("Note")
            yield Input(placeholder="What happened, in a line", id="note")
            yield Label("With us (who from our side: a CSM, or one of our executives by name)")
            yield Input(placeholder="e.g. Alex Rivera, or Ayo Mensah (our executive)", id="by")
            yield Static("", id="error")
            with Horizontal(id="buttons"):
                yield Button("Save", variant="primary", id="save")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#note", Input).focus()

    def has_unsaved_changes(self) -> bool:
        return (
            bool(self.query_one("#note", Input).value.strip())
            or bool(self.query_one("#by", Input).value.strip())
            or self.query_one("#date", Input).value.strip() != self.today.isoformat()
            or self.query_one("#kind", Select).value != "call"
        )

    def save_changes(self, then: Callable[[], object] | None = None) -> bool:
        return self.action_save(then)

    @on(Button.Pressed, "#save")
    @on(Input.Submitted)
    def _save_pressed(self) -> None:
        self.action_save()

    def action_save(self, then: Callable[[], object] | None = None) -> bool:
        error = self.query_one("#error", Static)
        raw = self.query_one("#date", Input).value
        try:
            when = days.parse_day(raw, "Date")
        except StakeworksError as exc:
            error.update(Text(str(exc), style=palette.BAD_STRONG))
            self.query_one("#date", Input).focus()
            return False
        kind = str(self.query_one("#kind", Select).value)
        note = self.query_one("#note", Input).value
        if self._saving:
            return False
        if when > self.today:
            self._confirm_future(kind, when, note, then)
            return False  # asked first: nothing is saved (nor closed) until the answer
        self._write(kind, when, note, then)
        return True

    def _confirm_future(self, kind: str, when: date, note: str, then: Callable[[], object] | None) -> None:
        """A touch is logged after it happened: a date ahead of today is most often a typo."""
        ahead = (when - self.today).days
        body = Text(f"{dates.show(when)} is {ahead:,} day{'s' if ahead != 1 else ''} after today "
                    f"({dates.show(self.today)}). Until then it counts as a touch today.\n"
                    "Log it with that date anyway?")  # fmt: skip

        def answered(yes: bool | None) -> None:
            if yes:
                self._write(kind, when, note, then)
            else:
                self.query_one("#date", Input).focus()

        self.app.push_screen(
            Confirm("That date is in the future", body, yes="Log it anyway", no="Change the date"), answered
        )

    def _write(self, kind: str, when: date, note: str, then: Callable[[], object] | None) -> None:
        """Log it in a worker; ctrl+z takes it back afterwards."""
        self._saving = True
        error = self.query_one("#error", Static)
        store, contact = self.session.store, self.contact
        by = self.query_one("#by", Input).value
        what = f"logged a {labels.label(labels.TOUCH_KIND, kind).lower()} with {contact.name} on {dates.show(when)}"

        def write() -> UndoToken:
            return edits.log_touch(store, contact.id, kind, when, note, by)  # type: ignore[arg-type]

        account_id = contact.account_id
        assert account_id is not None  # the contact being touched is stored, so it has its account

        def saved(undo: UndoToken) -> None:
            self.session.remember_undo(what, undo, (account_id,))
            self.app.post_message(AccountChanged(account_id))
            self.app.notify(f"{what[0].upper()}{what[1:]}. ctrl+z undoes it.", markup=False)
            self.dismiss(True)
            if then is not None:
                then()

        def refused(exc: StakeworksError) -> None:
            self._saving = False
            error.update(Text(str(exc), style=palette.BAD_STRONG))

        self.store_write(write, saved, failed=refused, what="Logging the touch")

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.leave()
