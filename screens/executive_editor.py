"""Add or edit one of our executives for the sponsor program."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from pydantic import ValidationError
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Input, Label, Select, Static

from stakeworks.domain.changes import rebase
from stakeworks.domain.errors import StakeworksError
from stakeworks.domain.labels import LEVEL, label
from stakeworks.domain.models import Executive
from stakeworks.domain.validation import field_label, plain_errors
from stakeworks.interchange.importer.values import infer_level
from stakeworks.screens.base import (
    CompactWhenShort,
    GuardsUnsavedChanges,
    ShowsWorkerErrors,
    StakeworksModal,
    WritesInWorkers,
)
from stakeworks.widgets import palette

if TYPE_CHECKING:
    from stakeworks.domain.undo import UndoToken

FIELDS = ("name", "title", "function", "industries", "region", "capacity", "exception_reason")


class ExecutiveEditor(
    CompactWhenShort, GuardsUnsavedChanges, WritesInWorkers, ShowsWorkerErrors, StakeworksModal[bool]
):
    """Escape asks before unsaved changes are lost (save, discard, keep editing)."""

    BINDINGS = [
        Binding("escape", "leave", "Close", id="executive.cancel"),
        Binding("ctrl+s", "save", "Save", id="executive.save"),
    ]
    DEFAULT_CSS = """
    ExecutiveEditor { align: center middle; }
    ExecutiveEditor #dialog { width: 76; height: 90%; border: thick $primary; background: $surface; padding: 0 2; }
    ExecutiveEditor #error { height: auto; }
    ExecutiveEditor #buttons { height: auto; }
    """

    def __init__(self, executive: Executive | None = None) -> None:
        super().__init__()
        self.executive = executive or Executive(name="New executive")
        """The executive as last read from the store: a save is refused when the stored one changed since."""
        self._saving = False
        self.is_new = executive is None
        self.unsaved_what = "the new executive" if executive is None else executive.name
        self._initial: dict[str, object] = {}
        self._level_follows_title = self.is_new
        """A new executive's level comes from the title (the importer's rule) until the user picks one."""
        self._levels_set: list[str] = []

    @staticmethod
    def _values(e: Executive) -> dict[str, str]:
        return {
            "name": e.name, "title": e.title, "function": e.function, "industries": "; ".join(sorted(e.industries)),
            "region": e.region, "capacity": str(e.capacity), "exception_reason": e.exception_reason,
        }  # fmt: skip

    def compose(self) -> ComposeResult:
        e = self.executive
        values = self._values(e)
        if self.is_new:
            values["name"] = ""  # typed afresh, not appended to a made-up name
        with VerticalScroll(id="dialog"):
            yield Static(
                Text("Executive (VP or C-level; more than 3 accounts needs an exception reason)", style="bold")
            )
            for field in FIELDS:
                yield Label(field_label(field) + (" (separate with ;)" if field == "industries" else ""))
                # The cursor at the end, nothing selected: a first key never replaces the value.
                yield Input(values[field], id=field, select_on_focus=False,
                            placeholder="their name" if field == "name" else "")  # fmt: skip
            yield Label("Level")
            yield Select([(label(LEVEL, "vp"), "vp"), (label(LEVEL, "c_level"), "c_level")], value=e.level.value,
                         allow_blank=False, id="level")  # fmt: skip
            yield Static("", id="error")
            with Horizontal(id="buttons"):
                yield Button("Save", variant="primary", id="save")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self._initial = self._current()

    @on(Input.Changed, "#title")
    def _title_changed(self, event: Input.Changed) -> None:
        level = infer_level(event.value).value
        select = self.query_one("#level", Select)
        if self._level_follows_title and level in ("vp", "c_level") and select.value != level:
            self._levels_set.append(level)  # so its Changed message is told apart from a pick
            select.value = level

    @on(Select.Changed, "#level")
    def _level_picked(self, event: Select.Changed) -> None:
        if self._levels_set and event.value == self._levels_set[0]:
            self._levels_set.pop(0)
        elif event.value != self.executive.level.value:
            self._level_follows_title = False

    def _current(self) -> dict[str, object]:
        values: dict[str, object] = {f: self.query_one(f"#{f}", Input).value for f in FIELDS}
        values["level"] = self.query_one("#level", Select).value
        return values

    def has_unsaved_changes(self) -> bool:
        return self._current() != self._initial

    def save_changes(self, then: Callable[[], object] | None = None) -> bool:
        return self.action_save(then)

    @on(Button.Pressed, "#save")
    @on(Input.Submitted)
    def _save_pressed(self) -> None:
        self.action_save()

    def action_save(self, then: Callable[[], object] | None = None) -> bool:
        raw = {f: self.query_one(f"#{f}", Input).value for f in FIELDS}
        error = self.query_one("#error", Static)
        self.call_after_refresh(error.scroll_visible)
        try:
            capacity = int(raw["capacity"] or 3)
        except ValueError:
            error.update(Text(f"Capacity must be a whole number, not {raw['capacity']}", style=palette.BAD_STRONG))
            return False
        try:
            updated = Executive.model_validate(
                {**self.executive.model_dump(), **raw, "capacity": capacity,
                 "industries": frozenset(i.strip() for i in raw["industries"].split(";") if i.strip()),
                 "level": self.query_one("#level", Select).value}
            )  # fmt: skip
        except ValidationError as exc:
            error.update(Text("; ".join(plain_errors(exc.errors()).values()), style=palette.BAD_STRONG))
            return False
        if self._saving:
            return False
        self._saving = True
        base = self.executive
        store = self.session.store

        def write() -> UndoToken | tuple[str, Executive | None]:
            from stakeworks.services import edits

            return edits.save_executive(store, updated, base)

        def done(stale: UndoToken | tuple[str, Executive | None]) -> None:
            self._saving = False
            if not isinstance(stale, tuple):
                self.session.remember_undo(
                    ("added our executive " if base.id is None else "saved ") + updated.name, stale
                )
                self.dismiss(True)
                if then is not None:
                    then()
                return
            message, fresh = stale
            if fresh is None:
                error.update(Text(message, style=palette.BAD_STRONG))
                return
            # Their change is shown, yours is kept on top of it: saving again writes only what you changed.
            merged, _theirs, both = rebase(base, updated, fresh)
            self.executive = fresh
            self._show(merged)
            note = f" You both changed {', '.join(sorted(both))}: yours is kept." if both else ""
            error.update(
                Text(
                    f"{message}.{note} Save again to write your changes on top of theirs, or Cancel.",
                    style=palette.WARN,
                )
            )

        def failed(exc: StakeworksError) -> None:
            self._saving = False
            error.update(Text(str(exc), style=palette.BAD_STRONG))

        self.store_write(write, done, failed=failed, what="Saving the executive")
        return True

    def _show(self, e: Executive) -> None:
        for field, value in self._values(e).items():
            self.query_one(f"#{field}", Input).value = value
        self.query_one("#level", Select).value = e.level.value

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.leave()
