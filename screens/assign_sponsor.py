"""Ask before assigning one of our executives as an account's sponsor: the executive and their
load in view, the account picked here (the one highlighted on the sponsors screen first)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from stakeworks.domain.labels import TIER, label
from stakeworks.domain.models import Executive
from stakeworks.domain.sponsors import Candidate
from stakeworks.screens.base import StakeworksModal


class AssignSponsor(StakeworksModal[int]):
    """Dismisses with the picked account's id, or None (escape: nothing is written)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="sponsors.assign_cancel")]
    DEFAULT_CSS = """
    AssignSponsor { align: center middle; }
    AssignSponsor #dialog { width: 76; max-width: 95%; height: auto; max-height: 90%; border: thick $primary;
                            background: $surface; padding: 0 1; }
    AssignSponsor OptionList { height: auto; max-height: 12; }
    AssignSponsor #load { margin-bottom: 1; }
    AssignSponsor #hint { color: $text-muted; }
    """

    def __init__(self, executive: Executive, load: list[str], candidates: list[Candidate], highlighted: int) -> None:
        super().__init__()
        self.executive = executive
        self.load = load
        self.candidates = candidates
        self.highlighted = highlighted

    def compose(self) -> ComposeResult:
        ex, used = self.executive, len(self.load)
        with Vertical(id="dialog"):
            yield Static(Text("Assign ") + Text(ex.name, style="bold") + Text(" as our sponsor of which account?"))
            full = " (full: one more is refused)" if used >= ex.capacity else ""
            carried = f": {', '.join(self.load)}" if self.load else ": no account yet"
            yield Static(Text(f"Load {used}/{ex.capacity}{full}{carried}"), id="load")
            yield OptionList(
                *[
                    Option(Text(c.account.name, style="bold") + Text(f"  {label(TIER, c.account.tier)}"
                                                                     f" · program score {c.score.total:.0f}"),
                           id=str(c.account.id))
                    for c in self.candidates
                ]
            )  # fmt: skip
            yield Static("enter assigns · escape cancels (nothing is written)", id="hint")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        if self.candidates:
            options.highlighted = min(max(0, self.highlighted), len(self.candidates) - 1)
        options.focus()

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.candidates[event.option_index].account.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
