"""The stakeworks App: one store, one portfolio cache, screens on top."""

from __future__ import annotations

import gc
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from textual import on, work
from textual.app import App
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import ModalScreen, Screen
from textual.theme import Theme
from textual.worker import get_current_worker

from stakeworks.db.connection import check_file
from stakeworks.db.postgres import is_url as is_team_store
from stakeworks.db.postgres import shown as shown_url
from stakeworks.domain.errors import StakeworksError
from stakeworks.domain.settings import Settings
from stakeworks.interchange import files
from stakeworks.screens.base import GuardsUnsavedChanges, ShowsPrefetchedView, ShowsWorkerErrors
from stakeworks.screens.commands import StakeworksCommands
from stakeworks.screens.home import HomeScreen
from stakeworks.screens.messages import AccountChanged, OpenAccount
from stakeworks.screens.terminal_watch import CHECK_EVERY, terminal_fd, terminal_gone
from stakeworks.screens.type_ahead import HandsOnTypeAhead
from stakeworks.services.quiet_gc import collector_paused, return_free_memory
from stakeworks.widgets import control_pictures, dates, palette

if TYPE_CHECKING:
    from stakeworks.db.store import Store
    from stakeworks.db.undo import UndoToken
    from stakeworks.domain.portfolio import AccountSummary
    from stakeworks.domain.search import SearchEntry, SearchIndex
    from stakeworks.interchange.config import ConfigFile


@dataclass(frozen=True)
class UndoEntry:
    """One write of this session that ctrl+z can take back."""

    label: str
    token: UndoToken
    account_ids: tuple[int, ...]


def _lazy_screen(module: str, name: str) -> Screen:
    return getattr(import_module(module), name)()


# The other list screens are imported and made on first use (so the first frame loads only the
# home screen), then kept installed: showing one again is a resume, not a rebuild of 10,000 rows.
LAZY_SCREENS: dict[str, Callable[[], Screen]] = {
    "triage": partial(_lazy_screen, "stakeworks.screens.triage", "TriageScreen"),
    "sponsors": partial(_lazy_screen, "stakeworks.screens.sponsors", "SponsorsScreen"),
    "tasks": partial(_lazy_screen, "stakeworks.screens.tasks", "TasksScreen"),
    "cadence": partial(_lazy_screen, "stakeworks.screens.cadence", "CadenceScreen"),
    "heatmap": partial(_lazy_screen, "stakeworks.screens.heatmap", "HeatmapScreen"),
    "program": partial(_lazy_screen, "stakeworks.screens.sponsor_program", "SponsorProgramScreen"),
    "signals": partial(_lazy_screen, "stakeworks.screens.signals", "SignalsScreen"),
}


@dataclass
class Prefs:
    """The user's preferences the app uses (from the config file, `stakeworks.interchange.config`)."""

    theme: str = "textual-dark"
    date_format: str = "iso"
    """How dates are shown: "iso" or a strftime pattern."""
    keymap: dict[str, str] = field(default_factory=dict)
    export_dir: Path | None = None
    """Where file copies go (map pictures, clipboard copies); None: beside the database."""
    config_path: Path | None = None
    """Where a theme chosen in the app is remembered; None: not remembered (tests, the demo)."""
    problems: list[str] = field(default_factory=list)
    """What is wrong in the config file, shown once at start-up."""
    keymap_lines: dict[str, int] = field(default_factory=dict)
    user: str = "unknown"
    """Who is making changes (recorded with sponsor decisions): the config's user, else the login name."""

    @classmethod
    def from_config(cls, cfg: ConfigFile, *, remember: bool = True) -> Prefs:
        from stakeworks.interchange.config import resolve

        values = resolve(cfg)
        return cls(
            theme=values["theme"].value,
            date_format=values["date_format"].value,
            keymap=dict(cfg.keymap),
            export_dir=Path(values["export_dir"].value).expanduser(),
            config_path=cfg.path if remember else None,
            problems=[str(p) for p in cfg.problems],
            keymap_lines={k: n for k in cfg.keymap if (n := cfg.line_of("keymap", k))},
            user=values["user"].value,
        )


class StakeworksApp(HandsOnTypeAhead, ShowsWorkerErrors, App[None]):
    """Keyboard-first workbench over one stakeworks database."""

    CSS_PATH = "app.tcss"
    TITLE = "stakeworks"
    COMMANDS = App.COMMANDS | {StakeworksCommands}
    # Home is the default mode, not a switch away from Textual's blank screen:
    # switch_mode holds updates for 50 ms, which the first frame would wait for.
    # It is the only mode: every other screen goes on its one stack, so escape always
    # returns to where the user came from (one back stack), and ctrl+o unwinds to home.
    DEFAULT_MODE = "home"
    MODES = {"home": HomeScreen}
    SCREENS = LAZY_SCREENS
    # Keys that work everywhere are not printable (a printable one is text in a text
    # field); / and ? are shortcuts for the same actions outside text fields.
    BINDINGS = [
        Binding("slash", "search", "Search", show=False, id="app.search"),
        Binding("ctrl+f", "search", "Search", id="app.search_alt"),
        Binding("f1", "help", "Help", id="app.help"),
        Binding("question_mark", "help", "Help", show=False, id="app.help_alt"),
        Binding("ctrl+r", "go('triage')", "Triage", id="app.triage"),
        Binding("ctrl+o", "go('home')", "Accounts", id="app.accounts"),
        Binding("ctrl+e", "go('sponsors')", "Sponsors", id="app.sponsors", show=False),
        Binding("ctrl+t", "go('tasks')", "Tasks", id="app.tasks", show=False),
        Binding("ctrl+g", "go('heatmap')", "Heat map", id="app.heatmap", show=False),
        Binding("ctrl+w", "go('cadence')", "Touch this week", id="app.cadence", show=False),
        Binding("ctrl+l", "go('signals')", "Signals", id="app.signals", show=False),
        Binding("escape", "go_back", "Back", id="app.back"),
        Binding("ctrl+n", "new_account", "New account", id="app.new_account"),
        Binding("ctrl+z", "undo", "Undo", id="app.undo", show=False),
        Binding("ctrl+q", "quit", "Quit", id="app.quit", show=False),
        Binding("ctrl+y", "copy_row", "Copy row", id="app.copy_row", show=False),
    ]

    portfolio_stamp: reactive[int] = reactive(0, repaint=False)
    """Bumped whenever `summaries` changes; portfolio screens watch it."""

    def __init__(self, path: Path | str, today: date, subtitle: str = "", prefs: Prefs | None = None) -> None:
        control_pictures.install()  # user text's control characters show as symbols, never act
        super().__init__()
        self.prefs = prefs or Prefs()
        """The user's preferences: theme, keymap, where file copies go."""
        self._start_problems = list(self.prefs.problems)
        self.keymap_in_use: dict[str, str] = {}
        """The user's keymap entries in force (those without a problem), for the help screen."""
        self._apply_theme(self.prefs.theme)
        dates.use(self.prefs.date_format)
        self._apply_keymap_quickly()
        self.store_url: str | None = str(path) if is_team_store(path) else None
        """A team store's postgresql:// URL (None: a file); the app is the same on both."""
        self.db_path = Path(shown_url(str(path))) if self.store_url else Path(path)
        """The file (for a team store, only a name: exports are never written "over" it)."""
        self.store: Store = None  # type: ignore[assignment]
        """The one door to the database; opened by the first worker (it loads pydantic)."""
        self.today = today
        self.settings = Settings()
        self.summaries: dict[int, AccountSummary] = {}
        """Every account's verdict, by account id (loaded in a worker)."""
        self.open_signals = 0
        """Signals waiting for the CSM (a bounce, a new title): counted on the home screen."""
        self.search_index: SearchIndex | None = None
        """Fuzzy search over every account and contact; None until the first load (rapidfuzz loads then)."""
        self._indexing = False
        self._edited_while_indexing: set[int] = set()
        self.undo_stack: list[UndoEntry] = []
        """The session's saves and deletes, newest last: ctrl+z takes back the newest."""
        self._undoing = False
        self._demo_dir: Path | None = None
        self._team_changes: set[tuple[str, str]] = set()
        self._prefetched: tuple[int, dict[str, object]] = (-1, {})
        self._prefetching: int | None = None  # the portfolio stamp whose views a worker computes
        where = f"team store {urlsplit(self.store_url).path.lstrip('/')}" if self.store_url else self.db_path.name
        self.sub_title = f"{where} · today {today.isoformat()}" + (f" · {subtitle}" if subtitle else "")

    def on_mount(self) -> None:
        # After the first frame: the worker is CPU-bound and would hold the GIL while it paints.
        self.call_after_refresh(self.load_portfolio)
        if self.store_url:
            self.watch_team()
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        if not self.is_headless and (fd := terminal_fd()) is not None:
            self.set_interval(CHECK_EVERY, partial(self._leave_if_terminal_gone, fd), name="terminal watch")
        if self.prefs.keymap:
            self.call_after_refresh(self.check_keymap)
        elif self._start_problems:
            self._report_config_problems([])

    def _leave_if_terminal_gone(self, fd: int) -> None:
        if terminal_gone(fd):
            self.exit(return_code=129)  # 128 + SIGHUP: what the hang-up signal would have done

    # -- preferences: theme and keymap ------------------------------------------------

    def _apply_theme(self, name: str) -> None:
        wrong = palette.theme_problem(name)
        if wrong:
            self._start_problems.append(f"theme: {wrong}; using {self.theme}")
        else:
            self.theme = name
        self.console.push_theme(palette.rich_theme(self.current_theme))

    def _theme_changed(self, theme: Theme) -> None:
        """The app's own colours follow the theme; a theme picked in the palette is remembered."""
        self.console.pop_theme()
        self.console.push_theme(palette.rich_theme(theme))
        self.refresh_css()
        if theme.name != self.prefs.theme and self.prefs.config_path is not None:
            self.prefs.theme = theme.name
            self.remember_theme(theme.name)

    @work(thread=True, group="prefs", exit_on_error=False)
    def remember_theme(self, name: str) -> None:
        from stakeworks.interchange.config import remember

        path = self.prefs.config_path
        assert path is not None
        try:
            remember(path, "theme", name)
        except (OSError, StakeworksError) as exc:
            text = f"Theme not remembered: {exc}"
            self.call_from_thread(self.notify, text, severity="warning", markup=False)

    def _apply_keymap_quickly(self) -> None:
        """Before the first frame: the entries whose keys are at least key names."""
        if not self.prefs.keymap:
            return
        from stakeworks.screens.keymap import key_problem, normalize

        ok = {k: v for k, v in self.prefs.keymap.items() if not any(key_problem(x) for x in normalize(v))}
        if ok:
            self.keymap_in_use = {k: ",".join(normalize(v)) for k, v in ok.items()}
            self.set_keymap(self.keymap_in_use)

    @work(thread=True, group="prefs", exit_on_error=False)
    def check_keymap(self) -> None:
        """The full check imports every screen, so it runs in a worker after the first frame;
        entries with a problem keep their default keys, and the problems are shown."""
        from stakeworks.screens.keymap import check_keymap, usable

        problems = check_keymap(self.prefs.keymap, self.prefs.keymap_lines.get)
        keymap = usable(self.prefs.keymap, problems)
        self.call_from_thread(self._keymap_checked, keymap, [str(p) for p in problems])

    def _keymap_checked(self, keymap: dict[str, str], problems: list[str]) -> None:
        self.keymap_in_use = keymap
        self.set_keymap(keymap)
        self._report_config_problems(problems)

    def _report_config_problems(self, problems: list[str]) -> None:
        everything = self._start_problems + problems
        self._start_problems = []
        if everything:
            where = self.prefs.config_path or "the config file"
            shown = "\n".join(everything[:6]) + (f"\n… and {len(everything) - 6} more" if len(everything) > 6 else "")
            self.notify(
                f"{shown}\n(`stakeworks config check` lists them; those settings keep their defaults)",
                title=f"Problems in {where}",
                severity="warning",
                timeout=12,
                markup=False,
            )

    # -- loading (workers never touch widgets) --------------------------------------

    @work(thread=True, exclusive=True, group="portfolio", exit_on_error=False)
    def load_portfolio(self) -> None:
        """Every account's verdict, shown as soon as it is ready; then the search index
        (the slower half on a big store: ~2 s for 210,000 entries)."""
        from stakeworks.services import accounts as services

        if self.store is None:
            from stakeworks.db.store import Store

            self.store = Store(self.store_url or self.db_path)
            self.settings = self.store.settings()
        self._indexing = True  # read on the UI thread by _account_refreshed
        worker = get_current_worker()
        with collector_paused():
            rows = services.portfolio(self.store, self.today, self.settings)
            signals = len(self.store.signals("open"))
        if worker.is_cancelled:  # a newer load (after an import) replaced this one: its data is newer
            return
        self.call_from_thread(self._portfolio_loaded, rows, signals)
        from stakeworks.domain.search import SearchIndex, entries_from_store

        with collector_paused():
            index = SearchIndex(entries_from_store(self.store))
        if not worker.is_cancelled:
            self.call_from_thread(self._search_loaded, index)

    def _portfolio_loaded(self, rows: list[AccountSummary], signals: int = 0) -> None:
        self.summaries = {r.id: r for r in rows}
        self.open_signals = signals
        self.portfolio_stamp += 1

    def _search_loaded(self, index: SearchIndex) -> None:
        self.search_index = index
        self._indexing = False
        # The index is millions of long-lived objects; left in the collector's view, every
        # full collection walks them all with the GIL held (0.4 s UI stalls on 10,000
        # accounts while a screen loads). Frozen, the collector skips them.
        gc.freeze()
        # Edits saved while the index was being built may be missing from it: index them again.
        edited, self._edited_while_indexing = self._edited_while_indexing, set()
        for account_id in edited:
            self.refresh_account(account_id)
        self.prefetch_views(self.portfolio_stamp)

    # -- portfolio-wide views, ready before they are asked for ---------------------------

    @work(thread=True, exclusive=True, group="prefetch", exit_on_error=False)
    def prefetch_views(self, stamp: int) -> None:
        """The heat map's and cadence's rows from one read of every contact, while the user is
        still on the home screen: opening either then only draws (services/portfolio_views.py)."""
        from stakeworks.services import portfolio_views
        from stakeworks.services.program import load_program

        worker = get_current_worker()
        # The screens' own modules too: their first open then only mounts and draws.
        for factory in LAZY_SCREENS.values():
            if isinstance(factory, partial):
                import_module(factory.args[0])
        self._prefetching = stamp
        try:
            with collector_paused():
                heatmap, cadence = portfolio_views.both(self.store, self.today, self.settings)
                if not worker.is_cancelled:
                    self.call_from_thread(self._views_ready, stamp, {"heatmap": heatmap, "cadence": cadence})
                del heatmap, cadence
                sponsors = load_program(self.store, self.today)  # without its suggestion: scipy loads on demand
        finally:
            self._prefetching = None
        if not worker.is_cancelled:
            self.call_from_thread(self._views_ready, stamp, {"sponsors": sponsors})
        return_free_memory()

    def _views_ready(self, stamp: int, views: dict[str, object]) -> None:
        kept = self._prefetched[1] if self._prefetched[0] == stamp else {}
        self._prefetched = (stamp, {**kept, **views})
        for screen in self.screen_stack:
            if isinstance(screen, ShowsPrefetchedView) and screen.awaiting_views:  # opened meanwhile
                screen.awaiting_views = False
                screen.refresh_rows()

    def prefetched(self, name: str) -> object | None:
        """A view computed ahead, if the portfolio has not changed since."""
        stamp, views = self._prefetched
        return views.get(name) if stamp == self.portfolio_stamp else None

    def take_prefetched(self, name: str) -> object | None:
        """`prefetched`, used once: a screen that writes what it shows reads afresh next time."""
        view = self.prefetched(name)
        self._prefetched[1].pop(name, None)
        return view

    def prefetching(self) -> bool:
        """Whether the views of the portfolio as it is now are being computed."""
        return self._prefetching is not None and self._prefetching == self.portfolio_stamp

    @work(thread=True, group="refresh", exit_on_error=False)
    def refresh_account(self, account_id: int) -> None:
        """Recompute one account's summary after an edit (not the whole portfolio)."""
        from stakeworks.domain.search import entries_from_store
        from stakeworks.services import accounts as services

        if not self.store.account_names(account_id):  # deleted (or its creation undone)
            self.call_from_thread(self._account_removed, account_id)
            return
        row = services.account_summary(self.store, account_id, self.today, self.settings)
        entries = list(entries_from_store(self.store, account_id))
        self.call_from_thread(self._account_refreshed, row, entries)

    def _account_removed(self, account_id: int) -> None:
        # Screens of an account that no longer exists have nothing to show: leave them.
        while len(self.screen_stack) > 1 and getattr(self.screen, "account_id", None) == account_id:
            self.pop_screen()
        self.summaries.pop(account_id, None)
        if self._indexing:
            self._edited_while_indexing.add(account_id)
        if self.search_index is not None:
            self.search_index.replace_account(account_id, [])
        self.portfolio_stamp += 1

    def _account_refreshed(self, row: AccountSummary, entries: list[SearchEntry]) -> None:
        # The index changes on this thread only, so a search never sees it half-updated.
        self.summaries[row.id] = row
        if self._indexing:
            self._edited_while_indexing.add(row.id)
        if self.search_index is not None:
            self.search_index.replace_account(row.id, entries)
        self.portfolio_stamp += 1

    # -- live for the team (a PostgreSQL store) -------------------------------------------

    @work(thread=True, exclusive=True, group="team", exit_on_error=False)
    def watch_team(self) -> None:
        """Others' saves on the team store, as the server announces them: the portfolio and the
        screen in front are read again (db/postgres.py notices)."""
        import time

        from stakeworks.db.postgres import notices

        worker = get_current_worker()
        while self.store is None and not worker.is_cancelled:  # the first load opens it
            time.sleep(0.05)
        if worker.is_cancelled:
            return
        own = self.store.session_id
        for table, user in notices(str(self.store_url), lambda: worker.is_cancelled, ignore_pid=own):
            self.call_from_thread(self._team_saved, table, user)

    def _team_saved(self, table: str, user: str) -> None:
        # A burst of notices (an import writes many tables) becomes one reload and one line.
        first = not self._team_changes
        self._team_changes.add((user, table.replace("_", " ")))
        if first:
            self.set_timer(0.4, self._team_reload)

    def _team_reload(self) -> None:
        changes, self._team_changes = self._team_changes, set()
        users = sorted({u for u, _ in changes})
        tables = sorted({t for _, t in changes})
        self.notify(f"{', '.join(users)} saved {', '.join(tables)}: shown as it is now.", markup=False, timeout=4)
        self.load_portfolio()
        screen = self.screen
        reload = getattr(screen, "reload", None) or (
            getattr(screen, "load", None) if hasattr(screen, "account_id") else None
        )
        if callable(reload):
            reload()

    # -- navigation ---------------------------------------------------------------------

    @on(OpenAccount)
    def open_account(self, message: OpenAccount) -> None:
        from stakeworks.screens.account import AccountScreen

        self.push_screen(AccountScreen(message.account_id, message.contact_id))

    @on(AccountChanged)
    def account_changed(self, message: AccountChanged) -> None:
        self.refresh_account(message.account_id)

    def action_go(self, name: str) -> None:
        """Show a list screen. Home unwinds the stack to the accounts list; another screen
        already on the stack is unwound to; a new one goes on top, so escape returns here.
        Dialogs on top are closed first, and an editor with unsaved changes asks."""
        if name == "home":
            self.unwind(lambda screen: False)
            return
        target = self.get_screen(name)
        if target in self.screen_stack:
            self.unwind(lambda screen: screen is target)
        else:
            self.unwind(lambda screen: not isinstance(screen, ModalScreen), lambda: self.push_screen(target))

    def unwind(self, stop: Callable[[Screen], bool], then: Callable[[], object] | None = None) -> None:
        """Close screens from the top until `stop(screen)` holds or only home is left, then
        run `then`. An editor with unsaved changes asks first; keeping it open stops here."""
        top = self.screen
        if len(self.screen_stack) <= 1 or stop(top):
            if then is not None:
                then()
            return
        if isinstance(top, GuardsUnsavedChanges):
            top.leave(lambda: self.unwind(stop, then))
            return
        from stakeworks.screens.dialogs import UnsavedChanges

        if isinstance(top, UnsavedChanges):  # a question is open: it is answered first
            self.bell()
            return
        top.dismiss()
        self.unwind(stop, then)

    def action_go_back(self) -> None:
        """Escape: back to the screen this one was opened from."""
        top = self.screen
        if isinstance(top, GuardsUnsavedChanges):
            top.leave()
        elif len(self.screen_stack) > 1:
            top.dismiss()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "go_back":
            return len(self.screen_stack) > 1
        if action == "undo":
            # An editor is open: its own fields come first, and what it shows must stay what is stored.
            return not getattr(self.screen, "blocks_undo", False)
        return True

    # -- create and undo ------------------------------------------------------------------------

    def action_new_account(self) -> None:
        from stakeworks.screens.account_editor import AccountEditor

        if self.store is None:
            self.notify("Still opening the database; try again in a moment.", severity="warning")
            return
        if not isinstance(self.screen, AccountEditor):
            self.push_screen(AccountEditor())

    @work(thread=True, exclusive=True, group="demo", exit_on_error=False)
    def open_demo(self) -> None:
        """Switch this session to a throwaway copy of the demo portfolio (the database stays untouched)."""
        import tempfile
        from importlib.resources import files

        from stakeworks.db.demo import prepare_demo_copy

        workdir = Path(tempfile.mkdtemp(prefix="stakeworks-demo-"))
        source = workdir / "sample.db"
        source.write_bytes(files("stakeworks.data").joinpath("sample.db").read_bytes())
        target = prepare_demo_copy(source, workdir / "demo.db", self.today)
        source.unlink()
        self.call_from_thread(self._switch_to_demo, target, workdir)

    def _switch_to_demo(self, target: Path, workdir: Path) -> None:
        if self.store is not None:
            self.store.close()
            self.store = None  # type: ignore[assignment]
        self._demo_dir = workdir
        self.db_path = target
        self.store_url = None
        self.workers.cancel_group(self, "team")  # the demo is a file: nobody else saves there
        self.summaries = {}
        self.search_index = None
        self.undo_stack.clear()
        self.sub_title = f"demo (a temporary copy) · today {self.today.isoformat()} · quit to return to your database"
        self.notify("This is a throwaway copy of the demo portfolio; your database is untouched.", timeout=8)
        self.load_portfolio()

    def remember_undo(self, label: str, token: UndoToken, account_ids: tuple[int, ...] = ()) -> None:
        """Keep a write of this session for ctrl+z (the newest is undone first)."""
        if not token.empty:
            self.undo_stack.append(UndoEntry(label, token, account_ids))
            del self.undo_stack[:-50]

    def action_undo(self) -> None:
        if self._undoing:
            return
        if not self.undo_stack:
            self.notify("Nothing to undo in this session.", severity="information")
            return
        self._undoing = True
        self.undo_last(self.undo_stack[-1])

    @work(thread=True, exclusive=True, group="undo", exit_on_error=False, description="undo last")
    def undo_last(self, entry: UndoEntry) -> None:
        from stakeworks.domain.errors import StakeworksError

        try:
            self.store.undo(entry.token)
        except StakeworksError as exc:
            self.call_from_thread(self._undo_failed, entry, str(exc))
            return
        existing = {a for a in entry.account_ids if self.store.account_names(a)}
        self.call_from_thread(self._undone, entry, existing)

    def _undo_failed(self, entry: UndoEntry, reason: str) -> None:
        self._undoing = False
        # A change that cannot come back now never will: drop it, so the one before can be undone.
        if self.undo_stack and self.undo_stack[-1] is entry:
            self.undo_stack.pop()
        self.notify(f"{entry.label}: {reason}", title="Not undone", severity="error", markup=False, timeout=10)

    def _undone(self, entry: UndoEntry, existing: set[int]) -> None:
        self._undoing = False
        if self.undo_stack and self.undo_stack[-1] is entry:
            self.undo_stack.pop()
        for account_id in entry.account_ids:
            self.post_message(AccountChanged(account_id))
            for screen in self.screen_stack:  # open views of it show it as it is again
                if account_id in existing and getattr(screen, "account_id", None) == account_id:
                    screen.post_message(AccountChanged(account_id))
        more = f" ({len(self.undo_stack)} more can be undone)" if self.undo_stack else ""
        self.notify(f"Undone: {entry.label}{more}.", markup=False)

    def action_search(self) -> None:
        from stakeworks.screens.search import SearchScreen

        if not isinstance(self.screen, SearchScreen):
            self.push_screen(SearchScreen())

    # -- sharing: the clipboard, and a file copy where the clipboard cannot reach ---------

    def action_copy_row(self) -> None:
        """Copy the selected row (a table's row, a contact on the map) to the clipboard."""
        # With the focus in a filter box, "the selected row" is the highlighted row of the screen's list.
        text = (
            selected_text(self.focused)
            or selected_text(self.screen.focused)
            or next((t for w in self.screen.query("VirtualTable, DataTable, Tree") if (t := selected_text(w))), None)
        )
        if not text:
            self.notify("Select a row first.", severity="warning")
            return
        self.share(text, "copied-row.txt", "the selected row")

    def share(self, text: str, file_name: str, what: str) -> None:
        """Copy to the clipboard (OSC 52) and write a file copy, since not every terminal passes OSC 52 on."""
        self.copy_to_clipboard(text)
        self.write_copy(text, file_name, what)

    def export_folder(self) -> Path:
        """Where file copies go: the configured export folder, else beside the database."""
        return self.prefs.export_dir or (Path.home() if self.store_url else self.db_path.parent)

    @work(thread=True, group="share", exit_on_error=False, description="write copy")
    def write_copy(self, text: str, file_name: str, what: str) -> None:
        target = self.export_folder() / file_name
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            files.write_text(files.check_output(target, self.db_path), text)  # owner-only, whole or not at all
        except (OSError, StakeworksError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else str(exc)
            message = f"Copied {what} to the clipboard; no file copy ({target}: {reason})."
            self.call_from_thread(self.notify, message, severity="warning", markup=False)
            return
        message = f"Copied {what} to the clipboard. If your terminal did not pass it on, it is also in {target}"
        self.call_from_thread(self.notify, message, title="Copied", markup=False, timeout=8)

    def action_help(self) -> None:
        from stakeworks.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def on_unmount(self) -> None:
        if self.store is not None:
            self.store.close()
        if self._demo_dir is not None:
            import shutil

            shutil.rmtree(self._demo_dir, ignore_errors=True)


def selected_text(widget: object) -> str | None:
    """What "the selected row" means for the widget that has focus."""
    from textual.widgets import DataTable, Tree

    from stakeworks.widgets.virtual_table import VirtualTable

    if isinstance(widget, VirtualTable):
        return widget.selected_text
    if isinstance(widget, Tree) and widget.cursor_node is not None:
        return str(widget.cursor_node.label).strip()  # a str or a Text, whose str is its plain text
    if isinstance(widget, DataTable) and widget.row_count:
        return "\t".join(str(c).strip() for c in widget.get_row_at(widget.cursor_row))
    return None


def make_app(path: Path | str, today: date, title: str = "", prefs: Prefs | None = None) -> StakeworksApp:
    """The app factory: tests build the app on a temporary copy of sample.db.

    The file is checked here (a cheap header read); the store itself opens in
    the first worker so the first frame does not wait for it.
    """
    if is_team_store(path):
        return StakeworksApp(str(path), today, title, prefs)
    check_file(Path(path))
    return StakeworksApp(Path(path), today, title, prefs)
