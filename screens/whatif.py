"""Departure what-if: coverage and factors before and after; nothing written."""

from __future__ import annotations

from datetime import date

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Static

from stakeworks.domain.labels import risk_score_change
from stakeworks.domain.models import Contact
from stakeworks.domain.rules import whatif
from stakeworks.domain.settings import Settings
from stakeworks.screens.base import StakeworksModal
from stakeworks.services.accounts import AccountView
from stakeworks.widgets import palette
from stakeworks.widgets.coverage_panel import render_assessment
from stakeworks.widgets.key_footer import KeyFooter


class WhatIfScreen(StakeworksModal[None]):
    CSS_PATH = "whatif.tcss"
    BINDINGS = [Binding("escape,w,q", "dismiss", "Close", id="whatif.close")]

    def __init__(self, view: AccountView, contact: Contact, today: date, settings: Settings) -> None:
        super().__init__()
        self.result = whatif(view.contacts, contact.id, today, view.account.renewal_date, settings)  # type: ignore[arg-type]
        self.contact = contact

    def compose(self) -> ComposeResult:
        r = self.result
        verdict = (
            Text("KEY PERSON: their departure adds a high-level factor", style=palette.KEY)
            if r.key_person
            else Text("Not a key person: no new high-level factor", style=palette.GOOD)
        )
        head = Text("What if ") + Text(self.contact.name, style="bold") + Text(" left today? ")
        added, removed = [f.code for f in r.added_factors], [f.code for f in r.removed_factors]
        head += Text(risk_score_change(r.before.score, r.after.score, added, removed), style="bold")
        with VerticalScroll(id="dialog"):
            yield Static(Group(head, verdict, Text("Nothing is written: this is a simulation.", style="dim")))
            with Horizontal():
                yield Static(Group(Text("NOW", style="bold underline"), render_assessment(r.before)), classes="side")
                yield Static(
                    Group(Text("AFTER", style="bold underline"), render_assessment(r.after, r.before)), classes="side"
                )
        yield KeyFooter()
