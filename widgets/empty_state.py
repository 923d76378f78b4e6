"""What an empty store says: how to start, each way one key away."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Static

from stakeworks.widgets import palette


class EmptyState(Static, can_focus=True):
    """Shown instead of the accounts table while the store holds no account.

    Keys: `n` a new account, `i` import a CSV, `d` the demo portfolio; the
    choice goes up as a `Chosen` message for the screen to act on.
    """

    DEFAULT_CSS = """
    EmptyState { height: 1fr; padding: 1 2; display: none; }
    EmptyState:focus { background: $boost; }
    """
    BINDINGS = [
        Binding("n", "choose('new')", "New account", id="empty.new_account"),
        Binding("i", "choose('import')", "Import CSV", id="empty.import"),
        Binding("d", "choose('demo')", "Open the demo", id="empty.demo"),
    ]

    @dataclass
    class Chosen(Message):
        choice: str
        """"new", "import" or "demo"."""

    def show(self, new_key: str = "ctrl+n") -> None:
        t = Text("No accounts yet.", style="bold") + Text(" Start one of three ways:\n\n")
        for key, what, how in (
            ("n", "New account", f'type one in ({new_key} anywhere, or ctrl+p "New account")'),
            ("i", "Import CSV", "accounts or contacts exported from your CRM"),
            ("d", "Open the demo", "a throwaway 40-account portfolio; this file stays as it is"),
        ):
            t += Text(f" {key} ", style="bold reverse") + Text(f" {what}", style="bold") + Text(f": {how}\n\n")
        t += Text("Then: f1 shows every key, ctrl+f searches, ctrl+r ranks accounts by risk.", style=palette.MUTED)
        self.update(t)

    def action_choose(self, choice: str) -> None:
        self.post_message(self.Chosen(choice))
