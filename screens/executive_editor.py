"""Add or edit one of our executives for the sponsor program."""

from __future__ import annotations

from pydantic import ValidationError
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from stakeworks.domain.changes import rebase
from stakeworks.domain.errors import StakeworksError, StaleEdit
from stakeworks.domain.models import Executive
from stakeworks.screens.base import ShowsWorkerErrors, WritesInWorkers
from stakeworks.widgets import palette

FIELDS = ("name", "title", "function", "industries", "region", "capacity", "exception_reason")


class ExecutiveEditor(WritesInWorkers, ShowsWorkerErrors, ModalScreen[bool]):
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="executive.cancel"),
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

    @staticmethod
    def _values(e: Executive) -> dict[str, str]:
        return {
            "name": e.name, "title": e.title, "function": e.function, "industries": "; ".join(sorted(e.industries)),
            "region": e.region, "capacity": str(e.capacity), "exception_reason": e.exception_reason,
        }  # fmt: skip

    def compose(self) -> ComposeResult:
        e = self.executive
        values = self._values(e)
        with VerticalScroll(id="dialog"):
            yield Static(
                Text("Executive (VP or C-level; more than 3 accounts needs an exception reason)", style="bold")
            )
            for field in FIELDS:
                yield Label(
                    field.replace("_", " ").capitalize() + (" (separate with ;)" if field == "industries" else "")
                )
                yield Input(values[field], id=field)
            yield Label("Level")
            yield Select([("VP", "vp"), ("C-level", "c_level")], value=e.level.value, allow_blank=False, id="level")
            yield Static("", id="error")
            with Horizontal(id="buttons"):
                yield Button("Save", variant="primary", id="save")
                yield Button("Cancel", id="cancel")

    @on(Button.Pressed, "#save")
    @on(Input.Submitted)
    def action_save(self) -> None:
        raw = {f: self.query_one(f"#{f}", Input).value for f in FIELDS}
        error = self.query_one("#error", Static)
        self.call_after_refresh(error.scroll_visible)
        try:
            capacity = int(raw["capacity"] or 3)
        except ValueError:
            error.update(Text(f"capacity: {raw['capacity']!r} is not a whole number", style=palette.BAD_STRONG))
            return
        try:
            updated = Executive.model_validate(
                {**self.executive.model_dump(), **raw, "capacity": capacity,
                 "industries": frozenset(i.strip() for i in raw["industries"].split(";") if i.strip()),
                 "level": self.query_one("#level", Select).value}
            )  # fmt: skip
        except ValidationError as exc:
            error.update(
                Text(
                    "; ".join(
                        f"{'.'.join(map(str, x['loc'])) or 'executive'}: {x['msg'].removeprefix('Value error, ')}"
                        for x in exc.errors()
                    ),
                    style=palette.BAD_STRONG,
                )
            )
            return
        if self._saving:
            return
        self._saving = True
        base = self.executive
        store = self.app.store  # type: ignore[attr-defined]

        def write() -> tuple[str, Executive | None] | None:
            try:
                store.save_executive(updated, base if base.id is not None else None)
            except StaleEdit as exc:
                fresh = next((x for x in store.executives(include_retired=True) if x.id == base.id), None)
                return str(exc), fresh
            return None

        def done(stale: tuple[str, Executive | None] | None) -> None:
            self._saving = False
            if stale is None:
                self.dismiss(True)
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
                Text(f"{message}.{note} Save again to write your changes on top of theirs, or Cancel.", style=palette.WARN)
            )

        def failed(exc: StakeworksError) -> None:
            self._saving = False
            error.update(Text(str(exc), style=palette.BAD_STRONG))

        self.store_write(write, done, failed=failed, what="Saving the executive")

    def _show(self, e: Executive) -> None:
        for field, value in self._values(e).items():
            self.query_one(f"#{field}", Input).value = value
        self.query_one("#level", Select).value = e.level.value

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)
