"""Global fuzzy search over accounts and contacts; Enter jumps there."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from stakeworks.domain.search import Hit
from stakeworks.screens.base import StakeworksModal
from stakeworks.screens.messages import OpenAccount
from stakeworks.widgets.lookup_input import LookupInput


class SearchScreen(StakeworksModal[None]):
    CSS_PATH = "search.tcss"
    BINDINGS = [
        Binding("escape", "dismiss", "Close", id="search.close"),
        Binding("down", "move(1)", "Next", show=False, id="search.next"),
        Binding("up", "move(-1)", "Previous", show=False, id="search.previous"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.hits: list[Hit] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield LookupInput(placeholder="Search people and accounts (typos are fine: 'tom chn')", id="query")
            yield Static("", id="count")
            yield OptionList(id="results")

    @on(Input.Changed, "#query")
    def _search(self, event: Input.Changed) -> None:
        index = self.session.search_index
        self.hits = index.search(event.value, limit=40) if index is not None else []
        results = self.query_one(OptionList)
        results.clear_options()
        for i, hit in enumerate(self.hits):
            e = hit.entry
            kind = "◆ " if e.contact_id is None else "• "
            results.add_option(
                Option(Text(kind) + Text(e.label, style="bold") + Text(f"  {e.detail}", style="dim"), id=str(i))
            )
        if self.hits:
            results.highlighted = 0
        count = f"{len(self.hits)} matches" if index is not None else "still loading the portfolio…"
        self.query_one("#count", Static).update(count if event.value.strip() else "")

    def action_move(self, delta: int) -> None:
        results = self.query_one(OptionList)
        if results.option_count:
            current = results.highlighted or 0
            results.highlighted = max(0, min(results.option_count - 1, current + delta))

    @on(Input.Submitted, "#query")
    def _submit(self) -> None:
        highlighted = self.query_one(OptionList).highlighted
        if highlighted is not None:
            self._open(highlighted)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._open(event.option_index)

    def _open(self, index: int) -> None:
        if index >= len(self.hits):
            return
        entry = self.hits[index].entry
        self.dismiss()
        self.app.post_message(OpenAccount(entry.account_id, entry.contact_id))
