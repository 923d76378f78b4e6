"""Influence lines from one contact (DOMAIN section 14): pick whom they sway, the sign and a short
note; or take a line away. Nothing is written here: the account screen saves what comes back."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, Static

from stakeworks.domain.influence import MARKS, NOTE_MAX, InfluenceLine
from stakeworks.domain.models import Contact
from stakeworks.domain.text import control_problem
from stakeworks.screens.base import StakeworksModal
from stakeworks.widgets import palette

SIGN_CHOICES = [("For us (+)", "positive"), ("Against us (−)", "negative"), ("Neither (0)", "neutral")]


@dataclass(frozen=True, slots=True)
class InfluenceEdit:
    """What the dialog asks for: the line from its contact to `to_id` saved as given, or removed."""

    to_id: int
    sign: str
    note: str
    remove: bool = False


def lines_text(source: Contact, lines: list[InfluenceLine], names: dict[int, str]) -> Text:
    own = [x for x in lines if x.from_id == source.id]
    if not own:
        return Text(f"{source.name} has no influence lines yet.", style=palette.MUTED)
    out = Text(f"{source.name} influences:")
    for x in own:
        out += Text(f"\n  ┈({MARKS[x.sign]})┈▶ ") + Text(names.get(x.to_id, "?"), style="bold")
        if x.note:
            out += Text(f"  {x.note}", style=palette.MUTED)
    return out


class InfluenceEditor(StakeworksModal[InfluenceEdit | None]):
    """Dismisses with the line to save or remove, or None."""

    CSS_PATH = "influence_editor.tcss"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="influence.save", priority=True),
        Binding("ctrl+d", "remove", "Remove line", id="influence.remove", priority=True),
        Binding("escape", "cancel", "Cancel", id="influence.cancel"),
    ]
    blocks_undo = True
    """ctrl+z waits until the dialog is closed."""

    def __init__(self, source: Contact, contacts: Sequence[Contact], lines: list[InfluenceLine]) -> None:
        super().__init__()
        self.source = source
        self.others = [c for c in contacts if c.id != source.id and c.id is not None and c.status != "departed"]
        self.lines = {x.to_id: x for x in lines if x.from_id == source.id}
        self.names = {c.id: c.name for c in contacts if c.id is not None}

    def compose(self) -> ComposeResult:
        first = next(iter(self.lines.values()), None)
        with Vertical(id="dialog"):
            yield Static(Text("Influence lines from ", style="bold") + Text(self.source.name, style="bold"))
            yield Static(lines_text(self.source, list(self.lines.values()), self.names), id="lines")
            yield Label("Influences (someone of this account)")
            people = [(Text(c.name + (f" ({c.title})" if c.title else "")), c.id) for c in self.others]
            yield Select(people, value=first.to_id if first else Select.NULL, prompt="(pick a person)",
                         id="target", compact=True)  # fmt: skip
            yield Label("Sign")
            yield Select(SIGN_CHOICES, value=first.sign if first else "positive", allow_blank=False, id="sign",
                         compact=True)  # fmt: skip
            yield Label(f"Note (one line, at most {NOTE_MAX} characters)")
            yield Input(first.note if first else "", id="note", max_length=NOTE_MAX, select_on_focus=False,
                        compact=True, placeholder="e.g. old rivalry from the merger")  # fmt: skip
            yield Static("", id="error", classes="error")
            with Horizontal(id="buttons"):
                yield Button("Save (ctrl+s)", variant="primary", id="save")
                yield Button("Remove line (ctrl+d)", variant="error", id="remove")
                yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#error", Static).display = False
        self._show_remove()
        self.query_one("#target", Select).focus()

    def _target(self) -> int | None:
        value = self.query_one("#target", Select).value
        return value if isinstance(value, int) else None

    def _show_remove(self) -> None:
        self.query_one("#remove", Button).disabled = self._target() not in self.lines

    @on(Select.Changed, "#target")
    def _picked(self) -> None:
        """Picking someone with a line already shows its sign and note, to change or remove."""
        line = self.lines.get(self._target() or -1)
        if line is not None:
            self.query_one("#sign", Select).value = line.sign
            self.query_one("#note", Input).value = line.note
        self._show_remove()

    def _error(self, message: str | None) -> None:
        box = self.query_one("#error", Static)
        box.update(Text(message, style=palette.BAD_STRONG) if message else "")
        box.display = bool(message)

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        target, note = self._target(), self.query_one("#note", Input).value.strip()
        sign = self.query_one("#sign", Select).value
        if target is None:
            self._error("Influences: pick the person they sway")
            return
        if problem := control_problem(note):
            self._error(f"Note: {problem}")
            return
        self.dismiss(InfluenceEdit(target, str(sign), note))

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#remove")
    def action_remove(self) -> None:
        target = self._target()
        if target is None or target not in self.lines:
            self._error("Remove: pick a person they have a line to")
            return
        line = self.lines[target]
        self.dismiss(InfluenceEdit(target, line.sign, line.note, remove=True))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
