"""Risk triage: the whole portfolio in DOMAIN triage order, with filters."""

from __future__ import annotations

from operator import attrgetter

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Header, Input, Select, Static

from stakeworks.domain.labels import FACTOR, label, risk_score
from stakeworks.domain.portfolio import AccountSummary
from stakeworks.domain.words import plural
from stakeworks.screens.base import FollowsPortfolio, OpensSelectedAccount, StakeworksScreen
from stakeworks.widgets.key_footer import KeyFooter
from stakeworks.widgets.lookup_input import LookupInput
from stakeworks.widgets.portfolio_table import PortfolioTable

TRIAGE_COLUMNS = ("risk", "score", "name", "renewal", "arr", "csm", "tier", "bus", "factors")
TRIAGE_PRIORITY = ("name", "risk", "score", "factors", "renewal", "arr", "csm", "renewal+", "factors+", "tier", "bus")
ALL = "__all__"


class TriageScreen(FollowsPortfolio, OpensSelectedAccount, StakeworksScreen[None]):
    CSS_PATH = "triage.tcss"
    BINDINGS = [
        Binding("enter", "open", "Open", id="triage.open"),
        Binding("t", "log_touch", "Log touch", id="triage.log_touch"),
        Binding("f", "focus_filters", "Filters", id="triage.filters"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="filters"):
            yield Select([("High", "high"), ("Medium", "medium"), ("Low", "low")], prompt="Risk: any", id="risk")
            yield Select(
                [("Strategic", "strategic"), ("Enterprise", "enterprise"), ("Mid-market", "mid_market"), ("SMB", "smb")],
                prompt="Tier: any", id="tier",
            )  # fmt: skip
            yield Select([], prompt="CSM: any", id="csm")
            yield LookupInput(placeholder="Renewal within N days", id="within", type="integer")
        yield Static("", id="summary")
        yield PortfolioTable(TRIAGE_COLUMNS, priority=TRIAGE_PRIORITY, id="triage")
        yield Static("", id="why")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.watch(self.app, "portfolio_stamp", self.portfolio_changed)
        self.query_one(PortfolioTable).focus()

    def _filtered(self) -> list[AccountSummary]:
        rows = sorted(self.session.summaries.values(), key=attrgetter("sort_key"))
        risk = self.query_one("#risk", Select).value
        tier = self.query_one("#tier", Select).value
        csm = self.query_one("#csm", Select).value
        within = self.query_one("#within", Input).value.strip()
        today = self.session.today
        if isinstance(risk, str):
            rows = [r for r in rows if r.risk == risk]
        if isinstance(tier, str):
            rows = [r for r in rows if r.tier == tier]
        if isinstance(csm, str):
            rows = [r for r in rows if r.csm == csm]
        if within.lstrip("-").isdigit():
            n = int(within)
            # A renewal that already lapsed is the most urgent of all: it stays in, never drops out.
            rows = [r for r in rows if r.renewal_date is not None and (r.renewal_date - today).days <= n]
        return rows

    def refresh_rows(self) -> None:
        csm_select = self.query_one("#csm", Select)
        csms = sorted({s.csm for s in self.session.summaries.values() if s.csm})
        current = csm_select.value
        with self.prevent(Select.Changed):
            csm_select.set_options([(c, c) for c in csms])
            if isinstance(current, str) and current in csms:
                csm_select.value = current
        rows = self._filtered()
        self.query_one(PortfolioTable).show(rows, self.session.today)
        total = len(self.session.summaries)
        arr = sum(r.arr for r in rows)
        self.query_one("#summary", Static).update(f"{len(rows)} of {plural(total, 'account')} · ARR in view {arr:,.0f}")

    @on(Select.Changed)
    @on(Input.Changed, "#within")
    def _filters_changed(self) -> None:
        self.refresh_rows()

    @on(PortfolioTable.RowHighlighted)
    def _highlighted(self, event: PortfolioTable.RowHighlighted) -> None:
        if event.row_key is not None:
            self.explain(int(event.row_key))

    @work(thread=True, exclusive=True, group="triage-why", exit_on_error=False)
    def explain(self, account_id: int) -> None:
        """The selected account's factors in full sentences (the list keeps a word or two each;
        the portfolio is assessed without the sentences, which would cost every row)."""
        from stakeworks.services import records

        session = self.session
        account, verdict = records.account_verdict(session.store, account_id, session.today, session.settings)
        text = Text(f"{account.name}", style="bold") + Text(f" ({risk_score(verdict.score)}): ")
        fired = [f for f in verdict.factors if f.code != "multi_threaded"] or list(verdict.factors)
        text += Text(
            "; ".join(f"{label(FACTOR, f.code)} ({f.level}): {f.rationale}" for f in fired) or "no risk factor"
        )
        self.app.call_from_thread(self.query_one("#why", Static).update, text)

    def action_focus_filters(self) -> None:
        self.query_one("#risk", Select).focus()

    def action_log_touch(self) -> None:

        account_id = self.query_one(PortfolioTable).selected_account_id
        if account_id is None:
            return
        self.workbench.hold_keys_while(self._open_log_touch(account_id))

    @work(thread=True, exclusive=True, group="triage-touch", exit_on_error=False)
    def _open_log_touch(self, account_id: int) -> None:
        """Read the account's contacts in a worker (a write elsewhere in the app may hold the store)."""
        from stakeworks.screens.log_touch import LogTouchScreen, main_contact
        from stakeworks.services import records

        contact = main_contact(records.contacts(self.session.store, account_id))
        if contact is None:
            self.app.call_from_thread(self.notify, "No active contact to touch at this account.", severity="warning")
            return
        self.app.call_from_thread(self.app.push_screen, LogTouchScreen(contact, self.session.today))
