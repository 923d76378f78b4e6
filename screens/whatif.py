"""Departure what-if: coverage and factors before and after; nothing written."""

from __future__ import annotations

from datetime import date

from rich.console import Group
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Static

from stakeworks.domain.labels import risk_score_change, roles_text
from stakeworks.domain.models import StoredContact
from stakeworks.domain.people import ExposedAt
from stakeworks.domain.rules import whatif
from stakeworks.domain.settings import Settings
from stakeworks.screens.base import StakeworksModal
from stakeworks.services import people
from stakeworks.services.accounts import AccountView
from stakeworks.widgets import palette
from stakeworks.widgets.badges import plain
from stakeworks.widgets.coverage_panel import render_assessment
from stakeworks.widgets.key_footer import KeyFooter


def elsewhere_text(name: str, found: list[ExposedAt]) -> Text:
    """ "Tom Chen is also at ...: Contoso (as Thomas Chen, champion): risk score 12 → 42 / 100 (+30) if they left"."""
    out = Text(f"{name} is also at another account of ours:", style="bold")
    for a in found:
        roles = f", {roles_text(a.roles)}" if a.roles else ""
        out += Text("\n  ") + plain(a.account) + Text(f" (as {a.contact}{roles}): ")
        style = palette.BAD_STRONG if a.at_stake else palette.MUTED
        out += Text(
            f"{risk_score_change(a.score, a.score_if_gone, a.added_factors)} if they left there too", style=style
        )
    return out


class WhatIfScreen(StakeworksModal[None]):
    CSS_PATH = "whatif.tcss"
    BINDINGS = [Binding("escape,w,q", "dismiss", "Close", id="whatif.close")]

    def __init__(self, view: AccountView, contact: StoredContact, today: date, settings: Settings) -> None:
        super().__init__()
        self.result = whatif(view.contacts, contact.id, today, view.account.renewal_date, settings, None,
                             view.influences)  # fmt: skip
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
            yield Static("", id="elsewhere")
            with Horizontal():
                yield Static(Group(Text("NOW", style="bold underline"), render_assessment(r.before)), classes="side")
                yield Static(
                    Group(Text("AFTER", style="bold underline"), render_assessment(r.after, r.before)), classes="side"
                )
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#elsewhere", Static).display = False
        self.find_elsewhere()

    @work(thread=True, exclusive=True, group="whatif-elsewhere", exit_on_error=False)
    def find_elsewhere(self) -> None:
        """The other accounts of ours where the same person is active (DOMAIN section 13)."""
        assert self.contact.id is not None  # a stored contact
        session = self.session
        found = people.elsewhere(session.store, self.contact.id, session.today, session.settings)
        if found:
            self.app.call_from_thread(self._show_elsewhere, found)

    def _show_elsewhere(self, found: list[ExposedAt]) -> None:
        box = self.query_one("#elsewhere", Static)
        box.update(elsewhere_text(self.contact.name, found))
        box.display = True
