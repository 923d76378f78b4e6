"""One multi-threading plan item, the user's own or a proposal to adjust: target, path, first action, due.

The target is a mapped contact or someone not in the map yet ("CTO, name
unknown"); the path is the contact who introduces us, or free words. Nothing
is written here: the item goes back to the plan screen, which saves it.
"""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, Select, Static

from stakeworks.domain.forms import parse_day
from stakeworks.domain.labels import PLAN_STATUS, choices
from stakeworks.domain.models import Contact, PlanItem, PlanStatus
from stakeworks.screens.base import StakeworksModal
from stakeworks.widgets import palette

NOT_MAPPED = -1
"""The target choice for someone not in the map yet."""


def target_label(contact: Contact) -> str:
    return f"{contact.name} ({contact.title})" if contact.title else contact.name


class PlanItemEditor(StakeworksModal[PlanItem | None]):
    """Dismisses with the item as edited (not yet saved), or None."""

    CSS_PATH = "plan_item_editor.tcss"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="planitem.save", priority=True),
        Binding("escape", "cancel", "Cancel", id="planitem.cancel"),
    ]
    blocks_undo = True
    """ctrl+z waits until the dialog is closed."""

    def __init__(self, item: PlanItem, contacts: list[Contact], today: date, *, title: str = "") -> None:
        super().__init__()
        self.item = item
        self.contacts = [c for c in contacts if c.status != "departed" or c.id in (item.target_contact_id,
                                                                                    item.path_contact_id)]  # fmt: skip
        self.today = today
        self.title_text = title or ("New plan item" if item.id is None else "Edit plan item")

    def compose(self) -> ComposeResult:
        item = self.item
        people = [(Text(target_label(c)), c.id) for c in self.contacts if c.id is not None]
        known = {c.id for c in self.contacts}
        target = item.target_contact_id if item.target_contact_id in known else NOT_MAPPED
        with Vertical(id="dialog"):
            yield Static(Text(self.title_text, style="bold"), id="title")
            with VerticalScroll(id="fields"):
                yield Label("Target: who to engage")
                yield Select([*people, (Text("Someone not in the map yet…"), NOT_MAPPED)], value=target,
                             allow_blank=False, id="target", compact=True)  # fmt: skip
                yield Input(item.target_label if target == NOT_MAPPED else "", id="target_label",
                            placeholder="Role or name, e.g. CTO (name unknown)", select_on_focus=False, compact=True)  # fmt: skip
                yield Static("", id="error-target", classes="error")
                yield Label("Path: who introduces us, or how we get there")
                path = item.path_contact_id if item.path_contact_id in known else Select.NULL
                yield Select(people, value=path, prompt="(no one: direct outreach)", id="path", compact=True)
                yield Input(item.path_label, id="path_label", placeholder="e.g. Through the champion (an introduction)",
                            select_on_focus=False, compact=True)  # fmt: skip
                yield Label("First action")
                yield Input(item.first_action, id="first_action", placeholder="The next concrete step",
                            select_on_focus=False, compact=True)  # fmt: skip
                yield Static("", id="error-first_action", classes="error")
                yield Label("Due (YYYY-MM-DD, +30 for thirty days from today, blank for none)")
                yield Input(
                    item.due_date.isoformat() if item.due_date else "",
                    id="due_date",
                    select_on_focus=False,
                    compact=True,
                    placeholder="YYYY-MM-DD or +30",
                )
                yield Static("", id="error-due_date", classes="error")
                if item.id is not None:
                    yield Label("Status")
                    yield Select(choices(PLAN_STATUS), value=item.status.value,
                                 allow_blank=False, id="status", compact=True)  # fmt: skip
            with Horizontal(id="buttons"):
                yield Button("Save (ctrl+s)", variant="primary", id="save")
                yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        for box in self.query(".error"):
            box.display = False
        self._show_label()
        first = self.query_one("#first_action", Input)
        if self.item.first_action:
            first.cursor_position = len(first.value)
        self.query_one("#target", Select).focus()

    def _show_label(self) -> None:
        self.query_one("#target_label", Input).display = self.query_one("#target", Select).value == NOT_MAPPED

    @on(Select.Changed, "#target")
    def _target(self) -> None:
        self._show_label()
        if self.query_one("#target", Select).value == NOT_MAPPED:
            self.query_one("#target_label", Input).focus()

    @on(Select.Changed, "#path")
    def _path(self, event: Select.Changed) -> None:
        """Picking the introducer writes the usual words for it (still editable)."""
        contact = next((c for c in self.contacts if c.id == event.value), None)
        box = self.query_one("#path_label", Input)
        if contact is not None:
            role = "champion introduction" if "champion" in contact.roles else "introduction"
            box.value = f"Through {contact.name} ({role})"
        elif not box.value.strip() or box.value.startswith("Through "):
            box.value = "Direct outreach"

    def _error(self, field: str, message: str | None) -> None:
        box = self.query_one(f"#error-{field}", Static)
        box.update(Text(message, style=palette.BAD_STRONG) if message else "")
        box.display = bool(message)

    def read(self) -> PlanItem | None:
        """The item as the fields say, or None with every problem shown beside its field."""
        ok = True
        target = self.query_one("#target", Select).value
        contact = next((c for c in self.contacts if c.id == target), None)
        label = target_label(contact) if contact else self.query_one("#target_label", Input).value.strip()
        if not label:
            self._error("target", "Target: pick a contact, or name the role (e.g. CTO, name unknown)")
            ok = False
        else:
            self._error("target", None)
        action = self.query_one("#first_action", Input).value.strip()
        if not action:
            self._error("first_action", "First action: what is the next step?")
            ok = False
        else:
            self._error("first_action", None)
        try:
            due = parse_day(self.query_one("#due_date", Input).value, self.today)
            self._error("due_date", None)
        except ValueError as exc:
            self._error("due_date", f"Due: {exc}")
            ok = False
        if not ok:
            return None
        path = self.query_one("#path", Select).value
        picked = self.query_one("#status", Select).value if self.item.id is not None else self.item.status
        status = picked if isinstance(picked, str) else self.item.status
        return self.item.model_copy(
            update={
                "target_contact_id": contact.id if contact else None,
                "target_label": label,
                "path_contact_id": None if path is Select.NULL else path,
                "path_label": self.query_one("#path_label", Input).value.strip() or "Direct outreach",
                "first_action": action,
                "due_date": due,
                "status": PlanStatus(status),
            }
        )

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        item = self.read()
        if item is None:
            self.notify("Not saved: see the fields in red.", severity="error")
            return
        self.dismiss(item)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
