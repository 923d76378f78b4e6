"""Accounts (home): every account with its verdict; type to filter, Enter opens."""

from __future__ import annotations

from operator import attrgetter
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.events import Key
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static

from stakeworks.screens.base import FollowsPortfolio, OpensSelectedAccount
from stakeworks.widgets.portfolio_table import PortfolioTable

if TYPE_CHECKING:
    from stakeworks.domain.portfolio import AccountSummary

HOME_COLUMNS = (
    "risk",
    "score",
    "change",
    "trend",
    "name",
    "arr",
    "renewal",
    "csm",
    "tier",
    "bus",
    "contacts",
    "sponsor",
)


def fuzzy_filter(rows: list[AccountSummary], query: str) -> list[AccountSummary]:
    """Keep rows whose name, CSM or tier fuzzily match; best matches keep triage order."""
    q = query.strip().casefold()
    if not q:
        return rows
    from rapidfuzz import fuzz, process  # on the first filter keystroke, not before the first frame

    texts = [f"{r.name} {r.csm} {r.tier} {' '.join(r.sponsors)}".casefold() for r in rows]
    hits = process.extract(q, texts, scorer=fuzz.partial_token_set_ratio, processor=None, limit=None, score_cutoff=75)
    keep = {i for _, _, i in hits}
    return [r for i, r in enumerate(rows) if i in keep]


class HomeScreen(FollowsPortfolio, OpensSelectedAccount, Screen[None]):
    CSS_PATH = "home.tcss"
    BINDINGS = [
        Binding("enter", "open", "Open", id="home.open"),
        Binding("s", "cycle_sort", "Sort", id="home.sort"),
        Binding("i", "import_file", "Import CSV", id="home.import"),
        Binding("escape", "clear_filter", "Clear filter", show=False, id="home.clear_filter"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="Type to filter accounts (fuzzy: name, CSM, tier, sponsor)…", id="filter")
        yield Static("Loading portfolio…", id="summary")
        yield PortfolioTable(HOME_COLUMNS, id="accounts")
        yield Footer()

    def on_mount(self) -> None:
        self.watch(self.app, "portfolio_stamp", self.portfolio_changed)
        self.query_one(PortfolioTable).focus()

    def refresh_rows(self) -> None:
        app = self.app
        rows = sorted(app.summaries.values(), key=attrgetter("sort_key"))  # type: ignore[attr-defined]
        shown = fuzzy_filter(rows, self.query_one("#filter", Input).value)
        self.query_one(PortfolioTable).show(shown, app.today)  # type: ignore[attr-defined]
        high = sum(1 for r in rows if r.risk == "high")
        single = sum(1 for r in rows if r.bus_factor <= 1)
        self.query_one("#summary", Static).update(
            f"{len(shown)} of {len(rows)} accounts · {high} high risk · {single} with bus factor ≤ 1"
        )

    @on(Input.Changed, "#filter")
    def _filter(self) -> None:
        self.refresh_rows()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.query_one(PortfolioTable).focus()

    def on_key(self, event: Key) -> None:
        # Type-to-filter: a printable key on the table goes to the filter box.
        table = self.query_one(PortfolioTable)
        if self.focused is table and event.is_printable and event.character and event.character not in "si/?":
            box = self.query_one("#filter", Input)
            box.focus()
            box.insert_text_at_cursor(event.character)
            event.stop()

    def action_cycle_sort(self) -> None:
        label = self.query_one(PortfolioTable).cycle_sort()
        self.notify(f"Sorted by {label}", timeout=2)

    def action_clear_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.value = ""
        self.query_one(PortfolioTable).focus()

    def action_import_file(self) -> None:
        from stakeworks.screens.importer import ImportScreen

        self.app.push_screen(ImportScreen())
