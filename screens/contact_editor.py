"""Contact editor: every change re-runs the rules before anything is saved."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.reactive import reactive
from textual.widgets import Checkbox, Header, Input, Label, Select, SelectionList, Static, TextArea

from stakeworks.domain import days, labels
from stakeworks.domain.changes import changed, describe, rebase
from stakeworks.domain.errors import StakeworksError
from stakeworks.domain.models import ROLE_PRIORITY, Contact, Role, Status
from stakeworks.domain.playbook import gets_playbook, status_change
from stakeworks.domain.rules import Assessment, assess
from stakeworks.domain.validation import field_label, plain_errors
from stakeworks.interchange.importer.values import infer_level
from stakeworks.screens.base import (
    CompactWhenShort,
    GuardsUnsavedChanges,
    ShowsWorkerErrors,
    StakeworksScreen,
    WritesInWorkers,
)
from stakeworks.services import edits
from stakeworks.services.accounts import AccountView
from stakeworks.widgets import palette
from stakeworks.widgets.checklist import Checklist
from stakeworks.widgets.coverage_panel import CoveragePanel
from stakeworks.widgets.key_footer import KeyFooter
from stakeworks.widgets.steady import update_steady
from stakeworks.widgets.strength_input import StrengthInput

if TYPE_CHECKING:
    from stakeworks.domain.undo import UndoToken

ROLE_LABELS = {r: f"{labels.ROLE[r]} ({ROLE_PRIORITY[r]})" for r in labels.ROLE}
"""A role's name and how much it weighs ("Champion (critical)")."""
TEXT_FIELDS = ("name", "title", "email", "department")


def show_error(box: Static, text: Text | str) -> None:
    """An error line under its field; no line at all while there is none."""
    box.update(text)
    box.display = bool(str(text))


class ContactEditor(CompactWhenShort, GuardsUnsavedChanges, WritesInWorkers, ShowsWorkerErrors, StakeworksScreen[bool]):
    """Escape asks before unsaved changes are lost (save, discard, keep editing)."""

    CSS_PATH = "contact_editor.tcss"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="editor.save"),
        Binding("escape", "leave", "Close", id="editor.discard"),
    ]

    blocks_undo = True
    """ctrl+z (undo the last save or delete) waits until the editor is closed."""

    # repaint=False: a repaint of the screen is a full-screen render; the watcher updates the two widgets that change.
    draft: reactive[Contact | None] = reactive(None, always_update=True, repaint=False)
    """The contact as edited so far (valid fields only); recalculated on change."""

    def __init__(self, view: AccountView, contact: Contact) -> None:
        super().__init__()
        self.view = view
        self.original = contact
        self.baseline: Assessment = view.assessment
        self.last: Assessment = view.assessment
        self.errors: dict[str, str] = {}
        self._saving = False
        self._error_boxes: dict[str, Static] = {}
        self.unsaved_what = "the new contact" if contact.id is None else contact.name
        self._level_follows_title = contact.id is None or contact.level_inferred
        """The level comes from the title (the importer's rule) until the user picks one."""
        self._levels_set: list[str] = []
        """Levels put into the level box from the title, whose Changed messages are still to come."""

    def compose(self) -> ComposeResult:
        c = self.original
        others = [(Text(o.name), o.id) for o in self.view.contacts if o.id != c.id]
        yield Header()
        with Horizontal():
            with VerticalScroll(id="form"):
                for field in TEXT_FIELDS:
                    yield Label(field_label(field))
                    # The cursor at the end, nothing selected: a first key adds to the name, never replaces it.
                    value = "" if field == "name" and c.id is None else getattr(c, field)  # a new contact: typed afresh
                    yield Input(
                        value, id=field, select_on_focus=False, placeholder="their name" if field == "name" else ""
                    )
                    yield Static("", id=f"error-{field}", classes="error")
                yield Label("Strength")
                yield StrengthInput(c.strength, id="strength")
                yield Label("Roles: space ticks or unticks; several allowed")
                yield Checklist[str](*[(ROLE_LABELS[r.value], r.value, r in c.roles) for r in Role], id="roles")
                with Horizontal(classes="row"):
                    for field, words, value in (
                        ("level", labels.LEVEL, c.level.value),
                        ("sentiment", labels.SENTIMENT, c.sentiment.value),
                        ("status", labels.STATUS, c.status.value),
                    ):
                        with Vertical(classes="choice"):
                            yield Label(field_label(field))
                            yield Select(labels.choices(words), value=value, allow_blank=False, id=field)
                yield Label("Departed on (YYYY-MM-DD, when the status is Departed)")
                yield Input(c.departed_on.isoformat() if c.departed_on else "", id="departed_on", select_on_focus=False)
                yield Static("", id="error-departed_on", classes="error")
                yield Label("Reports to")
                yield Select(others, value=c.reports_to_id if c.reports_to_id in {o[1] for o in others} else Select.NULL,
                             prompt="(nobody)", id="reports_to_id")  # fmt: skip
                yield Checkbox("Key to success", c.key_to_success, id="key_to_success")
                yield Label("Engagement strategy")
                yield TextArea(c.engagement_strategy, id="engagement_strategy")
                yield Label("Notes")
                yield TextArea(c.notes, id="notes")
            with VerticalScroll(id="live"):
                yield Static("", id="delta")
                yield CoveragePanel(id="coverage")
        yield KeyFooter()

    def on_mount(self) -> None:
        # Looked up once: a DOM query per keystroke costs more than the rules themselves.
        self._error_boxes = {w.id.removeprefix("error-"): w for w in self.query(".error").results(Static) if w.id}
        account = self.view.account.name
        self.sub_title = (
            f"Add contact to {account}" if self.original.id is None else f"Edit {self.original.name} ({account})"
        )
        self.draft = self.original
        if self.original.id is None:  # the name box starts empty: saving asks for one
            self.errors["name"] = "Name cannot be empty"
        self.query_one("#name", Input).focus()

    # -- live recalculation ---------------------------------------------------------

    def watch_draft(self, draft: Contact | None) -> None:
        if draft is None:
            return
        contacts = [draft if c.id == draft.id else c for c in self.view.contacts]
        if draft.id is None:
            contacts.append(draft)
        session = self.session
        self.last = assess(contacts, session.today, self.view.account.renewal_date, session.settings,
                           influences=self.view.influences)  # fmt: skip
        self.query_one(CoveragePanel).show(self.last, self.baseline)
        delta = self.last.score - self.baseline.score
        note = Text("Live: ", style="bold") + Text(
            labels.risk_score_change(
                self.baseline.score,
                self.last.score,
                [c for c in self.last.factor_codes if c not in self.baseline.factor_codes],
                [c for c in self.baseline.factor_codes if c not in self.last.factor_codes],
            ),
            style=palette.BAD_STRONG if delta > 0 else palette.GOOD_STRONG if delta < 0 else "",
        )
        note += Text("  · not saved yet (ctrl+s saves; escape asks before anything is lost)", style="dim")
        update_steady(self.query_one("#delta", Static), note)

    def _set(self, field: str, value: Any) -> None:
        """Apply one field if valid; otherwise show why beside the field."""
        assert self.draft is not None
        error = self._error_boxes.get(field)
        try:
            new = Contact.model_validate({**self.draft.model_dump(), field: value})
        except ValidationError as exc:
            found = plain_errors(exc.errors())
            reason = found.get(field) or "; ".join(found.values())
            self.errors[field] = reason
            if error is not None:
                show_error(error, Text(reason, style=palette.BAD_STRONG))
            return
        if self.errors.pop(field, None) is not None and error is not None:
            show_error(error, "")
        self.draft = new

    @on(Input.Changed)
    def _text_changed(self, event: Input.Changed) -> None:
        field = event.input.id or ""
        if field == "departed_on":
            raw = event.value.strip()
            if not raw:
                self._set(field, None)
                return
            try:
                day = date.fromisoformat(raw)
            except ValueError:
                self.errors[field] = f"Departed on: {raw} is not a date (write it as 2026-03-31)"
            else:
                if days.in_range(day):
                    self._set(field, day)
                    return
                self.errors[field] = f"Departed on: {raw} is out of range: use a date {days.RANGE_TEXT}"
            show_error(self.query_one("#error-departed_on", Static), Text(self.errors[field], style=palette.BAD_STRONG))
            return
        if field in TEXT_FIELDS:
            self._set(field, event.value)
        if field == "title" and self._level_follows_title:
            self._level_from_title(event.value)

    def _level_from_title(self, title: str) -> None:
        """ "CFO" is C-level, "Senior Vice President" a VP, as an imported title would be."""
        level = infer_level(title).value
        self._set("level_inferred", True)
        self._set("level", level)
        select = self.query_one("#level", Select)
        if select.value != level:
            self._levels_set.append(level)  # so its Changed message is told apart from a pick
            select.value = level

    @on(StrengthInput.Changed)
    def _strength(self, event: StrengthInput.Changed) -> None:
        if self.draft is not None:
            self._set("strength", event.value)

    @on(SelectionList.SelectedChanged)
    def _roles(self, event: SelectionList.SelectedChanged) -> None:
        if self.draft is not None:
            self._set("roles", frozenset(event.selection_list.selected))

    @on(Select.Changed)
    def _select(self, event: Select.Changed) -> None:
        if self.draft is None or event.select.id is None:
            return
        value = None if event.value is Select.NULL else event.value
        if event.select.id == "status" and value == "departed" and self.draft.departed_on is None:
            self.query_one("#departed_on", Input).value = self.session.today.isoformat()
        if event.select.id == "level":
            if self._levels_set and value == self._levels_set[0]:
                self._levels_set.pop(0)
                return  # the title's level, set above: not a pick
            if value == self.draft.level:
                return  # the form showing the level it holds (it was mounted, or a newer one shown)
            self._level_follows_title = False  # the user has spoken
            self._set("level_inferred", False)
        self._set(event.select.id, value)

    @on(Checkbox.Changed)
    def _check(self, event: Checkbox.Changed) -> None:
        if self.draft is not None:
            self._set("key_to_success", event.value)

    @on(TextArea.Changed)
    def _area(self, event: TextArea.Changed) -> None:
        if self.draft is not None and event.text_area.id:
            self._set(event.text_area.id, event.text_area.text)

    # -- save / discard -----------------------------------------------------------------

    def has_unsaved_changes(self) -> bool:
        errors = dict(self.errors)
        if self.original.id is None and not self.query_one("#name", Input).value:
            errors.pop("name", None)  # a new contact not named yet: nothing typed to lose there
        return bool(errors) or (self.draft is not None and self.draft != self.original)

    def action_save(self) -> None:
        self.save_changes()

    def save_changes(self, then: Callable[[], object] | None = None) -> bool:
        if self.errors:
            reason = next(iter(self.errors.values()))
            self.notify(f"Not saved: {reason}", severity="error", markup=False)
            return False
        assert self.draft is not None
        draft = self.draft
        if draft.status == Status.DEPARTED and draft.departed_on is None:
            self.notify("Not saved: a departed contact needs a departure date.", severity="error")
            return False
        if self._saving:
            return False
        self._saving = True
        store, today = self.session.store, self.session.today

        def write() -> UndoToken | edits.Stale[Contact]:
            """How to undo the save (ctrl+z), or the stored contact when it changed since this
            editor read it (nothing written)."""
            return edits.save_contact(store, draft, today)

        def done(undo: UndoToken | edits.Stale[Contact]) -> None:
            self._saving = False
            if isinstance(undo, edits.Stale):
                self._changed_elsewhere(draft, undo.stored)
                return
            assert draft.account_id is not None  # saved, into its account
            what = ("added " if draft.id is None else "saved ") + draft.name
            self.session.remember_undo(what, undo, (draft.account_id,))
            self.app.notify(f"{what[0].upper()}{what[1:]}.{self._departure_note(draft)} ctrl+z undoes it.",
                            markup=False)  # fmt: skip
            self.dismiss(True)
            if then is not None:
                then()

        def refused(exc: StakeworksError) -> None:
            self._saving = False
            self.notify(f"Not saved: {exc}", severity="error", markup=False, timeout=10)

        self.store_write(write, done, failed=refused, what=f"Saving {draft.name}")
        return True

    def _changed_elsewhere(self, draft: Contact, fresh: Contact) -> None:
        """Someone saved this contact since the editor opened it: take their version as the new
        starting point, keep only the fields changed here on top of it, and say what they changed.
        A second ctrl+s then writes just those fields: nothing of theirs goes back."""
        merged, theirs, both = rebase(self.original, draft, fresh)
        self.original = fresh
        self._show_fields(merged, set(theirs) - both)
        self.draft = merged
        mine = changed(fresh, merged)
        kept = f" Yours are kept on top: {', '.join(f.replace('_', ' ') for f in mine)}." if mine else ""
        clash = f" You both changed {', '.join(sorted(both))}: ctrl+s keeps yours." if both else ""
        self.notify(
            f"{fresh.name} was changed elsewhere since you opened it: {describe(theirs)}.{kept}{clash} "
            "ctrl+s saves your changes over theirs, escape discards yours.",
            title="Changed elsewhere", severity="warning", timeout=20, markup=False,
        )  # fmt: skip

    def _show_fields(self, contact: Contact, fields: set[str]) -> None:
        """Put the newer stored values of `fields` into the form."""
        for field in fields:
            value = getattr(contact, field)
            if field in TEXT_FIELDS:
                self.query_one(f"#{field}", Input).value = value
            elif field == "departed_on":
                self.query_one("#departed_on", Input).value = value.isoformat() if value else ""
            elif field in ("level", "sentiment", "status"):
                self.query_one(f"#{field}", Select).value = value.value
            elif field == "reports_to_id":
                self.query_one("#reports_to_id", Select).value = value if value is not None else Select.NULL
            elif field == "key_to_success":
                self.query_one("#key_to_success", Checkbox).value = value
            elif field in ("engagement_strategy", "notes"):
                self.query_one(f"#{field}", TextArea).load_text(value)
            elif field == "strength":
                self.query_one(StrengthInput).value = value
            elif field == "roles":
                roles = self.query_one("#roles", Checklist)
                roles.deselect_all()
                for role in value:
                    roles.select(str(role))

    def _departure_note(self, saved: Contact) -> str:
        """What the save did to the playbook (the store did it, as on every path)."""
        change = status_change(self.original.status if self.original.id is not None else None, saved.status)
        if change == "departed" and gets_playbook(saved.roles):
            return " Departure playbook created: tasks and knowledge checklist (k lists them)."
        if change == "returned":
            return " The open playbook tasks of their departure are cancelled."
        return ""
