"""Accounts (home): every account with its verdict; type to filter, Enter opens."""

from __future__ import annotations

from operator import attrgetter
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.events import Key
from textual.widgets import Header, Input, Static

from stakeworks.domain.labels import TIER, label
from stakeworks.domain.words import plural
from stakeworks.screens.base import FollowsPortfolio, OpensSelectedAccount, StakeworksScreen
from stakeworks.screens.type_ahead import hand_to_top
from stakeworks.widgets.empty_state import EmptyState
from stakeworks.widgets.key_footer import KeyFooter
from stakeworks.widgets.lookup_input import LookupInput
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
FILTER_TYPO = 80
"""rapidfuzz ratio (0-100) at which a filter word of 4+ letters still matches: one typo."""
# At a narrow terminal the last of these drop first.
HOME_PRIORITY = ("name", "risk", "score", "renewal", "arr", "csm", "tier", "renewal+", "bus", "sponsor", "change",
                 "contacts", "trend")  # fmt: skip


def fuzzy_filter(rows: list[AccountSummary], query: str) -> list[AccountSummary]:
    """Rows where every query word starts a word of the name, CSM, tier or our sponsor
    (or is one typo away, for words of 4 letters or more). Rows matched by their name
    come first, each group in triage order, so enter opens the account the user typed.

    "dana" keeps Dana's accounts only; it used to match "Hana" and every account whose
    text held a similar fragment.
    """
    words = query.casefold().split()
    if not words:
        return rows
    from rapidfuzz import fuzz  # on the first filter keystroke, not before the first frame

    def tokens(text: str) -> list[str]:
        return text.casefold().replace(",", " ").split()

    cache: dict[str, bool] = {}

    def hit(word: str, token: str) -> bool:
        key = f"{word}\0{token}"
        found = cache.get(key)
        if found is None:
            found = token.startswith(word) or (
                len(word) >= 4 and max(fuzz.ratio(word, token), fuzz.ratio(word, token[: len(word) + 1])) >= FILTER_TYPO
            )
            cache[key] = found
        return found

    by_name: list[AccountSummary] = []
    by_other: list[AccountSummary] = []
    for r in rows:
        name = tokens(r.name)
        other = tokens(f"{r.csm} {label(TIER, r.tier)} {' '.join(r.sponsors)}")
        if all(any(hit(w, t) for t in name) for w in words):
            by_name.append(r)
        elif all(any(hit(w, t) for t in name + other) for w in words):
            by_other.append(r)
    return by_name + by_other


class HomeScreen(FollowsPortfolio, OpensSelectedAccount, StakeworksScreen[None]):
    """The filter has focus: every printable key is text. Down (or tab) moves into the list,
    enter opens the top match, escape clears the filter and then moves to the list. The
    letter keys (sort, import) act only while the list has focus, where any other printable
    key goes back to the filter."""

    CSS_PATH = "home.tcss"
    BINDINGS = [
        Binding("enter", "open", "Open", id="home.open"),
        Binding("down", "to_list", "List", show=False, id="home.to_list"),
        Binding("escape", "escape", "Clear filter", id="home.clear_filter"),
        Binding("s", "cycle_sort", "Sort", id="home.sort"),
        Binding("i", "import_file", "Import CSV", id="home.import"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield LookupInput(
            placeholder="Filter by account, CSM, tier, our sponsor · enter opens the top one · ↓ the list",
            id="filter",
        )
        yield Static("Loading portfolio…", id="summary")
        yield PortfolioTable(HOME_COLUMNS, priority=HOME_PRIORITY, id="accounts")
        yield EmptyState(id="empty")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.watch(self.app, "portfolio_stamp", self.portfolio_changed)
        self.query_one("#filter", Input).focus()

    @property
    def _filter_box(self) -> Input:
        return self.query_one("#filter", Input)

    def refresh_rows(self) -> None:
        session = self.session
        rows = sorted(session.summaries.values(), key=attrgetter("sort_key"))
        shown = fuzzy_filter(rows, self._filter_box.value)
        table = self.query_one(PortfolioTable)
        table.show(shown, session.today)
        self._show_empty(not rows and session.stamp > 0)
        high = sum(1 for r in rows if r.risk == "high")
        single = sum(1 for r in rows if r.bus_factor <= 1)
        self.query_one("#summary", Static).update(
            f"{len(shown)} of {plural(len(rows), 'account')} · {high} high risk · {single} bus factor ≤ 1"
            + (f" · {plural(session.open_signals, 'signal')} (ctrl+l)" if session.open_signals else "")
            + f" · sorted: {table.sort_label}"
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not self.is_mounted:
            return True
        if action in ("open", "cycle_sort") and self.query_one(EmptyState).display:
            return False  # no account to open or sort: the footer keeps the empty state's keys
        in_filter = self.focused is self._filter_box
        if action in ("cycle_sort", "import_file"):
            return not in_filter  # letters are text in the filter: hidden there
        if action == "escape":
            return bool(self._filter_box.value) or in_filter
        return True

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

    def _show_empty(self, empty: bool) -> None:
        """A store with no account says what to do instead of showing an empty table."""
        panel = self.query_one(EmptyState)
        if panel.display == empty:
            return
        panel.display = empty
        self.query_one(PortfolioTable).display = not empty
        self.query_one("#filter", Input).display = not empty
        self.query_one("#summary", Static).display = not empty
        if empty:
            new_key = next((b.binding.key for b in self.active_bindings.values()
                            if b.binding.action == "new_account"), "ctrl+n")  # fmt: skip
            panel.show(new_key)
            panel.focus()
        else:
            self._filter_box.focus()

    def on_empty_state_chosen(self, message: EmptyState.Chosen) -> None:
        if message.choice == "new":
            self.workbench.action_new_account()
        elif message.choice == "import":
            self.action_import_file()
        elif message.choice == "demo":
            self.workbench.open_demo()

    @on(Input.Changed, "#filter")
    def _filter(self) -> None:
        self.refresh_rows()
        self.refresh_bindings()

    @on(Input.Submitted, "#filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        """Enter in the filter opens the top match."""
        event.stop()
        table = self.query_one(PortfolioTable)
        if table.row_count:
            table.move_cursor(0)
            self.action_open()

    def on_key(self, event: Key) -> None:
        table = self.query_one(PortfolioTable)
        if self.focused is not table or self.app.screen is not self:  # a key typed ahead into a dialog on top
            return
        if event.key == "up" and table.cursor_row == 0:
            # Up from the first row goes back to the filter, as down came from it.
            event.stop()
            self._filter_box.focus()
            return
        # Type-to-filter: a printable key the list does not act on goes to the filter box.
        if event.is_printable and event.character and event.key not in self.active_bindings:
            event.stop()
            # After the keys before it have reached the app: one of them may have opened a screen
            # (ctrl+n, then the new account's name), which is where this key belongs.
            self.app.call_later(self._type_to_filter, event)

    def _type_to_filter(self, event: Key) -> None:
        if self.app.screen is not self:  # (is_current holds under a dialog too)
            hand_to_top(self.app.screen, event)
            return
        box = self._filter_box
        box.focus()
        box.insert_text_at_cursor(event.character or "")

    def action_to_list(self) -> None:
        table = self.query_one(PortfolioTable)
        table.focus()

    def action_escape(self) -> None:
        box = self._filter_box
        if box.value:
            box.value = ""  # clears, and the focus stays where it is
        else:
            self.query_one(PortfolioTable).focus()

    def action_cycle_sort(self) -> None:
        table = self.query_one(PortfolioTable)
        table.cycle_sort()
        self.refresh_rows()

    def action_import_file(self) -> None:
        from stakeworks.screens.importer import ImportScreen

        self.app.push_screen(ImportScreen())
