"""Relationship strength 1-5 as dots, or not rated; keys 1-5 set it, 0 clears it, left/right step it."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from stakeworks.widgets.badges import dots

NAMES = {5: "Strong", 4: "Good", 3: "Neutral", 2: "Weak", 1: "At risk"}


class StrengthInput(Widget, can_focus=True):
    DEFAULT_CSS = """
    StrengthInput {
        height: 3;
        border: tall $border-blurred;
        padding: 0 1;
        background: $surface;
    }
    StrengthInput:focus { border: tall $border; }
    """
    BINDINGS = [
        Binding("1", "set(1)", "At risk", show=False, id="strength.at_risk"),
        Binding("2", "set(2)", "Weak", show=False, id="strength.weak"),
        Binding("3", "set(3)", "Neutral", show=False, id="strength.neutral"),
        Binding("4", "set(4)", "Good", show=False, id="strength.good"),
        Binding("5", "set(5)", "Strong", show=False, id="strength.strong"),
        Binding("0,backspace,delete", "clear", "Not rated", show=False, id="strength.not_rated"),
        Binding("left,minus", "step(-1)", "Weaker", show=False, id="strength.weaker"),
        Binding("right,plus", "step(1)", "Stronger", show=False, id="strength.stronger"),
    ]

    value: reactive[int | None] = reactive(None)
    """Current strength, 1 to 5, or None: not rated."""

    @dataclass
    class Changed(Message):
        strength_input: StrengthInput
        value: int | None

    def __init__(self, value: int | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.set_reactive(StrengthInput.value, value)

    def render(self) -> Text:
        if self.value is None:
            return dots(None) + Text("   (keys 1-5 rate it, ←/→)", style="dim")
        return dots(self.value) + Text(
            f"  {self.value} {NAMES[self.value]}   (keys 1-5, 0 not rated, ←/→)", style="dim"
        )

    def watch_value(self, value: int | None) -> None:
        self.post_message(self.Changed(self, value))

    def action_set(self, value: int) -> None:
        self.value = value

    def action_clear(self) -> None:
        self.value = None

    def action_step(self, delta: int) -> None:
        # From not rated, an arrow starts the rating at 3 (neutral).
        self.value = 3 if self.value is None else max(1, min(5, self.value + delta))

    def on_click(self) -> None:
        self.focus()
