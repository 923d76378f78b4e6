"""One run of the app, without Textual: the store, the day, the preferences, the portfolio and
what is computed ahead from it, the search index, the undo stack and the team's changes.

The App creates one `Session` and keeps navigation, keys and looks; screens reach the session
through `screens/base.py` (`self.session`) and read and write through the services with
`session.store`. Every method here is plain Python: the App calls the slow ones (`load_portfolio`,
`build_search_index`, `refresh_account`, `compute_views`, `undo`, `team_changes`) in its thread
workers and hands their results to the quick ones (`portfolio_loaded`, ...) on the UI thread, so
the state below changes on one thread only. Tests drive it without an app
(tests/unit/test_session.py).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit

from stakeworks.domain.errors import ServerUnreachable, StoreError
from stakeworks.domain.settings import Settings
from stakeworks.domain.undo import UndoToken
from stakeworks.services.ports import ImportResult, StorePort
from stakeworks.services.quiet_gc import collector_paused, return_free_memory

if TYPE_CHECKING:  # pydantic and rapidfuzz load with the first portfolio, not with the session
    from stakeworks.domain.portfolio import AccountSummary
    from stakeworks.domain.search import SearchEntry, SearchIndex
    from stakeworks.domain.sync import OfflineStatus, Progress
    from stakeworks.interchange.config import ConfigFile

UNDO_KEPT = 50
"""How many of the session's writes ctrl+z can take back."""
RETRY_AFTER_S = (0.25, 0.5, 1.0, 2.0, 4.0, 5.0)
"""Waits between attempts to reach a team server that went away (then the last, again and again)."""


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
    currency: str = "EUR"
    """The currency of amounts that name none: the import screen's default and a new account's."""

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
            currency=values["currency"].value,
        )


@dataclass(frozen=True)
class UndoEntry:
    """One write of this session that ctrl+z can take back."""

    label: str
    token: UndoToken
    account_ids: tuple[int, ...]
    settings: bool = False
    """A change of the team's settings: undoing it reads them again (every verdict follows)."""


@dataclass(frozen=True)
class TeamEvent:
    """What the team store's watcher reports: another login "saved" (`table`, `user`), the
    server was "lost" (`reason`), or it is "back" (reconnected and listening again)."""

    kind: str
    table: str = ""
    user: str = ""
    reason: str = ""


class StoreSource(Protocol):
    """Where the session's store comes from, and the store layer's work beyond the `Store` facade.
    The entry layer builds it (`stakeworks/cli/launch.py`: above the services, only the entry
    imports `stakeworks.db`); the session opens it in the app's first worker."""

    @property
    def path(self) -> Path:
        """The file; for a team store only a name (exports are never written "over" it)."""
        ...

    @property
    def team_url(self) -> str | None:
        """A team store's postgresql:// URL; None for a file."""
        ...

    def open(self) -> StorePort: ...

    def changes(
        self, stopped: Callable[[], bool], own_pid: Callable[[], int | None]
    ) -> Iterator[tuple[str, str] | None]:
        """(table, user) of each save others make on a team store, until `stopped()`; None first,
        once listening. Raises ServerUnreachable when the server goes away. `own_pid`: the
        server process of the session's own connection, whose saves are not news."""
        ...

    def demo(self, today: date) -> StoreSource:
        """A throwaway copy of the demo portfolio dated for `today`."""
        ...

    def discard(self) -> None:
        """Remove what this source made for itself (a demo copy's folder); a user's store stays."""
        ...

    def offline_status(self, store: StorePort) -> OfflineStatus | None:
        """Where an offline copy of a team store stands (`stakeworks checkout`); None for any other store."""
        ...

    def sync_offline(self, store: StorePort, progress: Progress | None = None) -> dict[str, Any]:
        """Sync an offline copy with its team store (`stakeworks sync`): the report's JSON;
        `progress` hears how far it got (stakeworks.domain.sync.Progress)."""
        ...

    def offline_conflicts(self, store: StorePort) -> list[dict[str, Any]]:
        """An offline copy's open conflicts, then the refused changes it keeps aside (ids R1, ...)."""
        ...

    def take_offline(self, store: StorePort, conflict_id: str, side: str) -> dict[str, Any]:
        """Resolve one of them in the copy (`sync --take mine|theirs ID`)."""
        ...

    def apply_import(
        self,
        store: StorePort,
        kind: str,
        plan: Any,
        *,
        progress: Callable[[int, int], None] | None = None,
        dry_run: bool = False,
        skip_invalid: bool = False,
        decisions: Mapping[int, str] | None = None,
        today: date | None = None,
        full: bool = False,
    ) -> ImportResult:
        """Apply an import plan of `kind` (accounts, contacts, executives, roles) to `store` in one
        transaction (`db/importing.py`, which imports the store: the facade cannot offer it)."""
        ...


class Session:
    """Everything one run of the app works on; see the module's docstring for who calls what."""

    def __init__(self, source: StoreSource, today: date, prefs: Prefs | None = None) -> None:
        self.source = source
        self.today = today
        """The day every verdict is computed for (`--today`, else the real date)."""
        self.prefs = prefs or Prefs()
        self.settings = Settings()
        """The store's shared settings (thresholds); read when the store opens."""
        self._store: StorePort | None = None
        self.summaries: dict[int, AccountSummary] = {}
        """Every account's verdict, by account id (loaded in a worker)."""
        self.open_signals = 0
        """Signals waiting for the CSM (a bounce, a new title): counted on the home screen."""
        self.stamp = 0
        """Bumped whenever `summaries` changes; the App mirrors it in a reactive screens watch."""
        self.search_index: SearchIndex | None = None
        """Fuzzy search over every account and contact; None until the first load (rapidfuzz loads then)."""
        self.indexing = False
        self._edited_while_indexing: set[int] = set()
        self.undo_stack: list[UndoEntry] = []
        """The session's saves and deletes, newest last: ctrl+z takes back the newest."""
        self._prefetched: tuple[int, dict[str, object]] = (-1, {})
        self._prefetching: int | None = None  # the stamp whose views a worker computes
        self._team_changes: set[tuple[str, str]] = set()

    # -- the store --------------------------------------------------------------------------

    @property
    def is_open(self) -> bool:
        return self._store is not None

    @property
    def store(self) -> StorePort:
        """The one door to the data, for the services; open once the first load has run."""
        if self._store is None:
            raise StoreError("Still opening the database; try again in a moment.")
        return self._store

    def open(self) -> StorePort:
        """Open the store if it is not (the first worker does: it loads pydantic) and read its settings."""
        if self._store is None:
            self._store = self.source.open()
            self.settings = self._store.settings()
        return self._store

    @property
    def where(self) -> str:
        """The store in a few words, for the title bar."""
        url = self.source.team_url
        return f"team store {urlsplit(url).path.lstrip('/')}" if url else self.source.path.name

    def export_folder(self) -> Path:
        """Where file copies go: the configured export folder, else beside the database."""
        return self.prefs.export_dir or (Path.home() if self.source.team_url else self.source.path.parent)

    def switch_to(self, source: StoreSource) -> None:
        """Work on another store from now on (the demo): what was read and undoable here is dropped."""
        self.close()
        self.source = source
        self.summaries = {}
        self.search_index = None
        self.undo_stack.clear()

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
        self.source.discard()

    # -- the portfolio and the search index (slow halves in workers) ----------------------------

    def load_portfolio(self) -> tuple[list[AccountSummary], int]:
        """Every account's verdict and the number of open signals (a worker)."""
        from stakeworks.services import accounts

        self.indexing = True  # the index is stale from here until `search_loaded`
        # Opening imports the store's modules: with the collector on, a full collection
        # (~55 ms at 50,000 accounts) ran there, on the way to the home screen's rows.
        with collector_paused():
            store = self.open()
            rows = accounts.portfolio(store, self.today, self.settings)
            signals = store.open_signal_count()  # a count: no model per signal, no pydantic import at start
        return rows, signals

    def portfolio_loaded(self, rows: list[AccountSummary], signals: int) -> None:
        self.summaries = {r.id: r for r in rows}
        self.open_signals = signals
        self.stamp += 1

    def build_search_index(self) -> SearchIndex:
        """The index over every account and contact (a worker: ~2 s for 210,000 entries)."""
        from stakeworks.domain.search import SearchIndex, entries_from_store

        with collector_paused():
            index = SearchIndex(entries_from_store(self.store))
        return_free_memory()  # the build's scratch (every word in a dict): ~30 MB at 50,000 accounts
        return index

    def search_loaded(self, index: SearchIndex) -> set[int]:
        """Take the new index; returns the accounts edited while it was built (to refresh again)."""
        self.search_index = index
        self.indexing = False
        edited, self._edited_while_indexing = self._edited_while_indexing, set()
        return edited

    def refresh_account(self, account_id: int) -> tuple[AccountSummary, list[SearchEntry]] | None:
        """One account's summary and search entries after an edit; None when it is gone (a worker)."""
        from stakeworks.domain.search import entries_from_store
        from stakeworks.services import accounts

        if not self.store.account_names(account_id):  # deleted (or its creation undone)
            return None
        row = accounts.account_summary(self.store, account_id, self.today, self.settings)
        return row, list(entries_from_store(self.store, account_id))

    def account_refreshed(self, row: AccountSummary, entries: list[SearchEntry]) -> None:
        # The index changes on the UI thread only, so a search never sees it half-updated.
        self.summaries[row.id] = row
        self._reindex(row.id, entries)

    def account_removed(self, account_id: int) -> None:
        self.summaries.pop(account_id, None)
        self._reindex(account_id, [])

    def _reindex(self, account_id: int, entries: list[SearchEntry]) -> None:
        if self.indexing:
            self._edited_while_indexing.add(account_id)
        if self.search_index is not None:
            self.search_index.replace_account(account_id, entries)
        self.stamp += 1

    # -- portfolio-wide views, computed ahead -----------------------------------------------------

    def compute_views(self, stamp: int, cancelled: Callable[[], bool]) -> Iterator[dict[str, object]]:
        """The heat map's and cadence's rows from one read of every contact, then the sponsor
        program, then the inbox (a worker; each batch as soon as it is ready, `views_ready`
        takes it)."""
        from stakeworks.services import inbox, portfolio_views
        from stakeworks.services.program import load_program

        self._prefetching = stamp
        try:
            # The views' scratch goes back to the system once, after the last (the app's
            # worker): with one C heap for every thread (`one_heap_for_all_threads`), a trim
            # between views held the heap while the heat map screen drew (a 80 ms stall at 50k).
            with collector_paused():
                heatmap, cadence = portfolio_views.both(self.store, self.today, self.settings)
                if not cancelled():
                    yield {"heatmap": heatmap, "cadence": cadence}
                del heatmap, cadence
                sponsors = load_program(self.store, self.today).shown()  # no suggestion: scipy loads on demand
            if not cancelled():
                yield {"sponsors": sponsors}
            del sponsors
            with collector_paused():  # `seen` and `suggestions` over the whole portfolio: seconds at 50k
                proposed = None if cancelled() else inbox.load(self.store, self.today)
            self.store.release_cache()  # the scans' last pages, of no use to the next read
        finally:
            self._prefetching = None
        # The last batch once done: a screen still waiting then reads its own (a sponsors screen
        # opened again meanwhile, its view taken by the first open).
        if proposed is not None and not cancelled():
            yield {"inbox": proposed}

    def views_ready(self, stamp: int, views: dict[str, object]) -> None:
        kept = self._prefetched[1] if self._prefetched[0] == stamp else {}
        self._prefetched = (stamp, {**kept, **views})

    def prefetched(self, name: str) -> object | None:
        """A view computed ahead, if the portfolio has not changed since."""
        stamp, views = self._prefetched
        return views.get(name) if stamp == self.stamp else None

    def keep_view(self, stamp: int, name: str, view: object) -> None:
        """A view a screen computed itself for `stamp`: the next open shows it while it holds."""
        if stamp == self.stamp:
            self.views_ready(stamp, {name: view})

    def take_prefetched(self, name: str) -> object | None:
        """`prefetched`, used once: a screen that writes what it shows reads afresh next time."""
        view = self.prefetched(name)
        self._prefetched[1].pop(name, None)
        return view

    def prefetching(self) -> bool:
        """Whether the views of the portfolio as it is now are being computed."""
        return self._prefetching is not None and self._prefetching == self.stamp

    # -- undo -------------------------------------------------------------------------------------

    def remember_undo(
        self, label: str, token: UndoToken, account_ids: tuple[int, ...] = (), *, settings: bool = False
    ) -> None:
        """Keep a write of this session for ctrl+z (the newest is undone first)."""
        self._drop_inbox()
        if not token.empty:
            self.undo_stack.append(UndoEntry(label, token, account_ids, settings))
            del self.undo_stack[:-UNDO_KEPT]

    def undo(self, entry: UndoEntry) -> set[int]:
        """Put back what `entry` wrote (a worker); returns its accounts that still exist.
        A refusal (a row changed since) raises and writes nothing."""
        self.store.undo(entry.token)
        if entry.settings:
            self.settings = self.store.settings()
        return {a for a in entry.account_ids if self.store.account_names(a)}

    def forget_undo(self, entry: UndoEntry) -> None:
        """Drop `entry` from the stack: undone, or refused (what cannot come back now never will)."""
        self._drop_inbox()
        if self.undo_stack and self.undo_stack[-1] is entry:
            self.undo_stack.pop()

    def _drop_inbox(self) -> None:
        # Any write may change what the map proposes, also one that changes no account's
        # summary (dismissing a person seen at a domain several accounts share): read it again.
        self._prefetched[1].pop("inbox", None)

    # -- the team's saves (a team store) -----------------------------------------------------------

    def team_changes(self, stopped: Callable[[], bool]) -> Iterator[TeamEvent]:
        """Every save others make, until `stopped()` (a worker; waits for the store). When the
        server goes away: "lost", then attempts to reach it with growing waits (RETRY_AFTER_S);
        once it answers, the store's connection is renewed, the LISTEN resumes, then "back"."""
        while not self.is_open and not stopped():  # the first load opens it
            time.sleep(0.05)
        down, attempts = False, 0
        while not stopped():
            try:
                if down:
                    self.store.reconnect()
                for change in self.source.changes(stopped, lambda: self.store.session_id):
                    if change is not None:
                        yield TeamEvent("saved", *change)
                    elif down:  # listening again: what was missed meanwhile is read afresh
                        down, attempts = False, 0
                        yield TeamEvent("back")
                return
            except ServerUnreachable as exc:
                if not down:
                    down = True
                    yield TeamEvent("lost", reason=str(exc))
            _wait(RETRY_AFTER_S[min(attempts, len(RETRY_AFTER_S) - 1)], stopped)
            attempts += 1

    def note_team_change(self, table: str, user: str) -> bool:
        """Collect one save; True for the first of a burst (an import writes many tables)."""
        first = not self._team_changes
        self._team_changes.add((user, table.replace("_", " ")))
        return first

    def take_team_changes(self) -> tuple[list[str], list[str]]:
        """Who saved and what, since the first of the burst."""
        changes, self._team_changes = self._team_changes, set()
        return sorted({u for u, _ in changes}), sorted({t for _, t in changes})

    # -- an offline copy of a team store (issue 37) ------------------------------------------------

    def offline_status(self) -> OfflineStatus | None:
        """Where the copy stands, for the status line (a worker: it compares the copy with its base)."""
        return None if self.source.team_url else self.source.offline_status(self.store)

    def sync_offline(self, progress: Progress | None = None) -> dict[str, Any]:
        """Send the copy's changes and bring the server's (a worker); then the portfolio is reloaded."""
        return self.source.sync_offline(self.store, progress)

    def offline_conflicts(self) -> list[dict[str, Any]]:
        """What the last sync left for the user: conflicts, then refused changes kept aside (a worker)."""
        return self.source.offline_conflicts(self.store)

    def take_offline(self, conflict_id: str, side: str) -> dict[str, Any]:
        """Keep mine (sent at the next sync) or take theirs, in the copy (a worker)."""
        return self.source.take_offline(self.store, conflict_id, side)


def _wait(seconds: float, stopped: Callable[[], bool]) -> None:
    """Sleep in short steps, so a worker cancelled meanwhile (the app quitting) ends at once."""
    until = time.monotonic() + seconds
    while not stopped() and (left := until - time.monotonic()) > 0:
        time.sleep(min(left, 0.05))
