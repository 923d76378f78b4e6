"""Log a touch: kind, date (today by default), note. One key from anywhere."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, Static

from stakeworks.domain import days, labels
from stakeworks.domain.errors import StakeworksError
from stakeworks.domain.models import Contact, StoredContact
from stakeworks.screens.base import (
    CompactWhenShort,
    GuardsUnsavedChanges,
    ShowsWorkerErrors,
    StakeworksModal,
    WritesInWorkers,
)
from stakeworks.screens.dialogs import Confirm
from stakeworks.screens.messages import AccountChanged
from stakeworks.services import edits, records
from stakeworks.widgets import dates, palette
from stakeworks.widgets.checklist import Checklist

if TYPE_CHECKING:
    from stakeworks.domain.undo import UndoToken


def main_contact(contacts: Sequence[StoredContact]) -> StoredContact | None:
    """Who "the account's main contact" is: the strongest active champion,
    else the strongest active economic buyer, else the strongest active contact."""
    active = [c for c in contacts if c.status == "active"]
    for role in ("champion", "economic_buyer"):
        holders = [c for c in active if role in c.roles]
        if holders:
            return max(holders, key=lambda c: c.strength or 0)
    return max(active, key=lambda c: c.strength or 0, default=None)


class LogTouchScreen(CompactWhenShort, GuardsUnsavedChanges, WritesInWorkers, ShowsWorkerErrors, StakeworksModal[bool]):
    """One touch with one or more people of an account (one touch each, one write). The note comes
    first; Enter in it saves once something is written there, and in the last field; elsewhere it
    goes to the next field, so a bare Enter never saves fields the user has not seen. Escape asks before anything typed
    (or a changed date, kind or person) is lost."""

    CSS_PATH = "log_touch.tcss"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="touch.save"),
        Binding("escape", "leave", "Close", id="touch.cancel"),
    ]

    blocks_undo = True
    """ctrl+z waits until the dialog is closed."""

    def __init__(self, contact: StoredContact, today: date) -> None:
        super().__init__()
        self.contact = contact
        self.today = today
        self._saving = False
        self.unsaved_what = "the touch"
        self.people: list[Contact] = [contact]
        """Who can be ticked: the account's people who have not left (loaded in a worker)."""

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text("Log a touch with ") + Text(self.contact.name, style="bold"), id="title")
            yield Label("Note")
            yield Input(placeholder="What happened, in a line", id="note")
            yield Label("With (space ticks more people of the account: one touch each)")
            assert self.contact.id is not None  # a stored contact
            yield Checklist[int]((Text(self.contact.name), self.contact.id, True), id="people")
            with Horizontal(id="when"):
                with Vertical():
                    yield Label("Kind")
                    yield Select(labels.choices(labels.TOUCH_KIND), value="call", allow_blank=False, id="kind")
                with Vertical():
                    yield Label("Date (today, -3, 2026-03-31)")
                    yield Input(self.today.isoformat(), id="date")  # typing a date replaces the default
            yield Label("With us (a CSM, or one of our executives by name)")
            yield Input(placeholder="a CSM's name, or one of our executives' (empty: nobody named)", id="by")
            yield Static("", id="error")
            yield Static("ctrl+s saves · tab (or enter) next field · escape closes", id="keys")
            with Horizontal(id="buttons"):
                yield Button("Save (ctrl+s)", variant="primary", id="save")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#note", Input).focus()
        self.load_people()

    @work(thread=True, exclusive=True, group="touch-people", exit_on_error=False)
    def load_people(self) -> None:
        account_id = self.contact.account_id
        assert account_id is not None  # the contact being touched is stored, so it has its account
        contacts = records.contacts(self.session.store, account_id)
        people = [c for c in contacts if c.status != "departed" or c.id == self.contact.id]
        self.app.call_from_thread(self._show_people, people)

    def _show_people(self, people: list[Contact]) -> None:
        """The contact the dialog was opened for first and ticked, then the others by name."""
        others = sorted((c for c in people if c.id != self.contact.id), key=lambda c: c.name.casefold())
        self.people = [self.contact, *others]
        checklist = self.query_one("#people", Checklist)
        ticked = set(checklist.selected)
        checklist.clear_options()
        checklist.add_options([(Text(c.name), c.id, c.id in ticked) for c in self.people if c.id is not None])
        checklist.highlighted = 0  # down goes to the next person, as the keys count on

    def ticked(self) -> list[Contact]:
        chosen = set(self.query_one("#people", Checklist).selected)
        return [c for c in self.people if c.id in chosen]

    def has_unsaved_changes(self) -> bool:
        return (
            bool(self.query_one("#note", Input).value.strip())
            or bool(self.query_one("#by", Input).value.strip())
            or self.query_one("#date", Input).value.strip() != self.today.isoformat()
            or self.query_one("#kind", Select).value != "call"
            or [c.id for c in self.ticked()] != [self.contact.id]
        )

    def save_changes(self, then: Callable[[], object] | None = None) -> bool:
        return self.action_save(then)

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Input.Submitted)
    def _enter(self, event: Input.Submitted) -> None:
        # Enter saves from a written note, or from the form's last field (every field above it seen).
        if (event.input.id == "note" and event.value.strip()) or event.input.id == "by":
            self.action_save()
        else:
            self.focus_next()

    def action_save(self, then: Callable[[], object] | None = None) -> bool:
        error = self.query_one("#error", Static)
        raw = self.query_one("#date", Input).value
        try:
            when = days.parse_day(raw, "Date", self.today)
        except StakeworksError as exc:
            error.update(Text(str(exc), style=palette.BAD_STRONG))
            self.query_one("#date", Input).focus()
            return False
        kind = str(self.query_one("#kind", Select).value)
        note = self.query_one("#note", Input).value
        if not self.ticked():
            error.update(Text("Tick at least one person the touch was with.", style=palette.BAD_STRONG))
            self.query_one("#people").focus()
            return False
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
        store, people = self.session.store, self.ticked()
        by = self.query_one("#by", Input).value
        names = " and ".join([", ".join(c.name for c in people[:-1]), people[-1].name] if len(people) > 1
                             else [people[0].name])  # fmt: skip
        what = f"logged a {labels.label(labels.TOUCH_KIND, kind).lower()} with {names} on {dates.show(when)}"

        def write() -> UndoToken:
            # One transaction: every touch is logged, or none.
            return edits.log_touches(store, [p.id for p in people if p.id is not None], kind, when, note, by)

        account_id = self.contact.account_id
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
