"""Narrow a portfolio-wide list to one CSM's book, or to accounts whose name holds some words."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Select


class ScopeFilter(Horizontal):
    """A CSM picker and an account-name box; every change goes up as `Changed`."""

    DEFAULT_CSS = """
    ScopeFilter { height: auto; padding: 0 1; }
    ScopeFilter Select { width: 32; }
    ScopeFilter Input { width: 1fr; }
    """

    @dataclass
    class Changed(Message):
        csm: str | None
        """Only this CSM's accounts, or every CSM's."""
        account: str
        """Words the account name must hold (any case), or "" for every account."""

    def compose(self) -> ComposeResult:
        yield Select([], prompt="CSM: everyone", id="scope-csm", compact=True)
        yield Input(placeholder="Account name contains…", id="scope-account", compact=True, select_on_focus=False)

    def set_csms(self, names: Iterable[str]) -> None:
        """The CSMs to pick from, keeping the one picked when it is still there."""
        select = self.query_one("#scope-csm", Select)
        current = select.value
        csms = sorted({n for n in names if n}, key=str.casefold)
        with self.prevent(Select.Changed):
            select.set_options([(n, n) for n in csms])
            if isinstance(current, str) and current in csms:
                select.value = current

    @property
    def csm(self) -> str | None:
        value = self.query_one("#scope-csm", Select).value
        return value if isinstance(value, str) else None

    @property
    def account(self) -> str:
        return self.query_one("#scope-account", Input).value.strip()

    def matcher(self) -> Callable[[str, str], bool]:
        """Whether a row of an account (by its name and CSM) stays in view: the filter's values
        read once, for 50,000 rows on the UI thread."""
        wanted_csm = self.csm
        words = self.account.casefold().split()
        if wanted_csm is None and not words:
            return lambda _name, _csm: True

        def keeps(account_name: str, csm: str) -> bool:
            if wanted_csm is not None and csm != wanted_csm:
                return False
            name = account_name.casefold()
            return all(w in name for w in words)

        return keeps

    @property
    def active(self) -> bool:
        return self.csm is not None or bool(self.account)

    def describe(self) -> str:
        parts = ([f"CSM {self.csm}"] if self.csm else []) + ([f"account “{self.account}”"] if self.account else [])
        return ", ".join(parts)

    @on(Select.Changed, "#scope-csm")
    @on(Input.Changed, "#scope-account")
    def _changed(self, event: Message) -> None:
        event.stop()
        self.post_message(self.Changed(self.csm, self.account))
