"""Opening the TUI: on a store, or on a temporary copy of the bundled demo."""

from __future__ import annotations

import argparse
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stakeworks.cli.registry import command

if TYPE_CHECKING:
    from stakeworks.db.importing import ImportReport
    from stakeworks.domain.sync import OfflineStatus, Progress
    from stakeworks.screens.app import StakeworksApp
    from stakeworks.services.ports import StorePort
    from stakeworks.services.session import Prefs


@dataclass(frozen=True)
class DbSource:
    """The session's store (`services/session.StoreSource`): a file or a team store's URL, opened
    with `stakeworks.db`, which only this layer imports."""

    location: Path | str
    demo_dir: Path | None = None
    """The temporary folder of a demo copy, removed with it."""

    @property
    def team_url(self) -> str | None:
        if not isinstance(self.location, str):  # a file: the store's modules load in the first worker
            return None
        from stakeworks.db.postgres import is_url

        return str(self.location) if is_url(self.location) else None

    @property
    def path(self) -> Path:
        from stakeworks.db.postgres import shown

        return Path(shown(self.team_url)) if self.team_url else Path(self.location)

    def open(self) -> StorePort:
        from stakeworks.db.store import Store

        return Store(self.location)

    def changes(
        self, stopped: Callable[[], bool], own_pid: Callable[[], int | None]
    ) -> Iterator[tuple[str, str] | None]:
        from stakeworks.db.postgres import notices

        if self.team_url is not None:
            yield from notices(self.team_url, stopped, own_pid)

    def demo(self, today: date) -> DbSource:
        from stakeworks.db.demo import prepare_demo_copy

        workdir = Path(tempfile.mkdtemp(prefix="stakeworks-demo-"))
        source = workdir / "sample.db"
        source.write_bytes(sample_db_bytes())
        target = prepare_demo_copy(source, workdir / "demo.db", today)
        source.unlink()
        return DbSource(target, workdir)

    def discard(self) -> None:
        if self.demo_dir is not None:
            shutil.rmtree(self.demo_dir, ignore_errors=True)

    def offline_status(self, store: StorePort) -> OfflineStatus | None:
        from stakeworks.db.offline import status
        from stakeworks.db.store import Store

        assert isinstance(store, Store)
        return status(store)

    def sync_offline(self, store: StorePort, progress: Progress | None = None) -> dict[str, Any]:
        from stakeworks.db.offline import read_checkout
        from stakeworks.db.store import Store
        from stakeworks.db.sync import sync

        assert isinstance(store, Store)
        with Store(read_checkout(store).server, create=False) as server:
            return sync(store, server, progress).as_json()

    def offline_conflicts(self, store: StorePort) -> list[dict[str, Any]]:
        from stakeworks.db.store import Store
        from stakeworks.db.sync import conflicts, kept_aside

        assert isinstance(store, Store)
        return conflicts(store) + kept_aside(store)

    def take_offline(self, store: StorePort, conflict_id: str, side: str) -> dict[str, Any]:
        from stakeworks.db.store import Store
        from stakeworks.db.sync import take

        assert isinstance(store, Store)
        return take(store, conflict_id, side)

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
    ) -> ImportReport:
        from stakeworks.db import importing
        from stakeworks.db.store import Store

        assert isinstance(store, Store)  # opened by `open` above
        if kind == "contacts":
            return importing.apply_contacts(
                store, plan, progress, dry_run=dry_run, skip_invalid=skip_invalid, decisions=decisions, today=today,
                full=full,
            )  # fmt: skip
        apply = {"accounts": importing.apply_accounts, "executives": importing.apply_executives,
                 "roles": importing.apply_roles}[kind]  # fmt: skip
        return apply(store, plan, dry_run=dry_run, skip_invalid=skip_invalid)


def make_app(path: Path | str, today: date, title: str = "", prefs: Prefs | None = None) -> StakeworksApp:
    """The app factory: tests build the app on a temporary copy of sample.db.

    The file is checked here (a cheap header read); the store itself opens in
    the app's first worker so the first frame does not wait for it.
    """
    from stakeworks.db.postgres import is_url
    from stakeworks.screens.app import StakeworksApp
    from stakeworks.services.quiet_gc import one_heap_for_all_threads
    from stakeworks.services.session import Session

    one_heap_for_all_threads()  # before the app's workers start
    if not is_url(path):
        from stakeworks.db.connection import check_file

        path = Path(path)
        check_file(path)
    return StakeworksApp(Session(DbSource(path), today, prefs), title)


def open_app(path: Path, today: date, *, title: str = "", args: argparse.Namespace | None = None) -> int:
    from stakeworks.cli.args import load_config
    from stakeworks.db.connection import connect

    cfg = load_config(args or argparse.Namespace())
    if str(path).startswith(("postgresql://", "postgres://")):
        from stakeworks.db.postgres import connect_server

        connect_server(str(path), create=False).close()  # the same on a team store
    else:
        connect(path).close()  # fail fast with exit 3 (and migrate) before Textual loads
    from stakeworks.services.session import Prefs

    app = make_app(path, today=today, title=title, prefs=Prefs.from_config(cfg))
    app.run()
    return app.return_code or 0  # 129 when the terminal went away (screens/terminal_watch.py)


@command("app")
def _app(args: argparse.Namespace, path: Path, today: date, out: Any) -> int:
    return open_app(path, today, args=args)


def sample_db_bytes() -> bytes:
    """The bundled demo portfolio, read from the package wherever it is installed."""
    from importlib.resources import files

    return files("stakeworks.data").joinpath("sample.db").read_bytes()


def open_demo(today: date, *, explicit_today: bool = False, args: argparse.Namespace | None = None) -> int:
    from stakeworks.db.demo import prepare_demo_copy

    workdir = Path(tempfile.mkdtemp(prefix="stakeworks-demo-"))
    try:
        source = workdir / "sample.db"
        source.write_bytes(sample_db_bytes())
        target = prepare_demo_copy(source, workdir / "demo.db", today)
        return open_app(target, today, title="demo (a temporary copy)", args=args)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
