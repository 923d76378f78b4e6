"""The sentiment x key-to-success matrix of one account (seed 004)."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from stakeworks.domain.models import Contact
from stakeworks.screens.base import StakeworksModal
from stakeworks.widgets.matrix import sentiment_matrix


class MatrixScreen(StakeworksModal[None]):
    BINDINGS = [Binding("escape,s,q", "dismiss", "Close", id="matrix.close")]
    DEFAULT_CSS = """
    MatrixScreen { align: center middle; }
    MatrixScreen VerticalScroll { width: 90%; height: auto; max-height: 90%; border: thick $primary; background: $surface; }
    """

    def __init__(self, contacts: Sequence[Contact]) -> None:
        super().__init__()
        self.contacts = contacts

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(sentiment_matrix(self.contacts), id="matrix")
