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

from stakeworks.domain.errors import StakeworksError
from stakeworks.domain.models import Executive
from stakeworks.widgets import palette

FIELDS = ("name", "title", "function", "industries", "region", "capacity", "exception_reason")


class ExecutiveEditor(ModalScreen[bool]):
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

    def compose(self) -> ComposeResult:
        e = self.executive
        values = {
            "name": e.name, "title": e.title, "function": e.function, "industries": "; ".join(sorted(e.industries)),
            "region": e.region, "capacity": str(e.capacity), "exception_reason": e.exception_reason,
        }  # fmt: skip
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
        try:
            self.app.store.save_executive(updated)  # type: ignore[attr-defined]
        except StakeworksError as exc:
            error.update(Text(str(exc), style=palette.BAD_STRONG))
            return
        self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)
