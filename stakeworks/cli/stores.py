"""Which commands may create a store, and the commands about the store file itself:
`init [PATH]` and `restore BACKUP` (CLI.md revision 2).

A store is created only by `init`, by an import into a path that does not exist yet, or by
the app on the default path in the user data directory (which alone also creates missing
folders). Every other command on a missing path (or an empty file) is exit 3, so a mistyped
`--db` never answers with an empty success. `restore` may put a backup where no store is:
bringing a lost store back is what it is for.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from stakeworks.cli.args import default_db_path, is_server
from stakeworks.cli.output import Output, say
from stakeworks.db.team import Member
from stakeworks.domain.errors import InputError, StoreError
from stakeworks.domain.text import printable

CREATE = ("import",)
"""Commands that may create the store at a path that does not exist yet."""


def is_default(path: Path) -> bool:
    return path.expanduser() == default_db_path()


def exists(path: Path) -> bool:
    """Something is at `path` (an empty file, as a failed creation can leave, counts as nothing)."""
    try:
        return path.is_dir() or (path.exists() and path.stat().st_size > 0)
    except OSError as exc:  # a folder we may not read: say so, never a traceback
        raise StoreError(f"cannot read {path}: {exc.strerror or exc}") from None


def check_may_open(command: str, path: Path) -> bool:
    """Refuse (exit 3) a command that would create a store it may not; True when this run may
    create one (the caller removes it again if the command fails)."""
    if exists(path):
        return False
    default = is_default(path)
    if command in CREATE or (command == "app" and default):
        if not default and not exists(path.parent):
            raise StoreError(f"cannot create {path}: the folder {path.parent} does not exist")
        return True
    raise StoreError(f"no database at {path}; create it with `stakeworks init {path}` or by importing")


@contextlib.contextmanager
def scratch_store() -> Iterator[Path]:
    """Where a dry run on a missing store previews: an empty store in a private temporary
    folder, removed afterwards, so the path the user named stays as it was (nothing there)."""
    with tempfile.TemporaryDirectory(prefix="stakeworks-dry-run-") as folder:
        yield Path(folder) / "preview.db"


def forget_created(path: Path) -> None:
    """Remove a store this run created when the command that created it failed: bad input writes nothing."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            path.with_name(path.name + suffix).unlink()


def run_init(args: argparse.Namespace, path: Path, out: Output) -> int:
    """`init [PATH]`: an empty store, owner-only; an existing stakeworks store is left as it is."""
    from stakeworks.db.store import Store

    raw = getattr(args, "path", None)
    if is_server(raw or path):
        return _init_server(str(raw or path), out)
    target = Path(raw).expanduser() if raw else path
    default = is_default(target)
    if not exists(target) and not default and not target.parent.is_dir():
        raise StoreError(f"cannot create {target}: the folder {target.parent} does not exist")
    existed = exists(target)
    try:
        with Store(target, create=True, make_parents=default) as store:
            version = store.schema_version()
    except StoreError:
        if not existed:
            forget_created(target)
        raise
    if existed:
        out.emit(
            {"database": str(target), "created": False, "schema": version},
            lambda: say(f"{target} is already a stakeworks database (schema {version}); nothing was changed."),
        )
        return 0
    out.emit(
        {"database": str(target), "created": True, "schema": version},
        lambda: say(f"Created an empty stakeworks database at {target} (owner-only)."),
    )
    return 0


def _init_server(url: str, out: Output) -> int:
    """`init postgresql://...`: the schema in an empty database; a store already there is left be."""
    from stakeworks.db.postgres import connect_server, shown
    from stakeworks.db.schema import LATEST_VERSION

    probe = connect_server(url, create=False) if server_has_store(url) else None
    if probe is not None:
        probe.close()
        out.emit(
            {"database": shown(url), "created": False, "schema": LATEST_VERSION},
            lambda: say(
                f"{shown(url)} already holds a stakeworks store (schema {LATEST_VERSION}); nothing was changed."
            ),
        )
        return 0
    connect_server(url, create=True).close()
    out.emit(
        {"database": shown(url), "created": True, "schema": LATEST_VERSION},
        lambda: say(f"Created the stakeworks schema in {shown(url)}."),
    )
    return 0


def check_server_may_open(command: str, url: str) -> Member | None:
    """As `check_may_open` for a server: a database without a store is exit 3 for every
    command but an import (which creates the schema, as it creates a file). Who logged in, as
    the store's team names them (None: no store or no team roles yet); a login without a role
    is told who can give them one."""
    from stakeworks.db import team
    from stakeworks.db.postgres import open_server, shown

    conn = open_server(url)
    try:
        raw = conn.raw
        if not raw.execute("SELECT to_regclass('stakeworks_schema') IS NOT NULL").fetchone()[0]:
            if command not in CREATE:
                raise StoreError(f"no stakeworks store at {shown(url)}; create it with `stakeworks init {shown(url)}`")
            return None
        if not raw.execute("SELECT to_regclass('stakeworks_team') IS NOT NULL").fetchone()[0]:
            return None
        member = team.acting(raw)
        if member is None:
            raise team.no_role(raw.execute("SELECT session_user").fetchone()[0])
        return member
    finally:
        conn.close()


def act_as_login(command: str, url: str, args: argparse.Namespace, today: date | None) -> None:
    """On a server the person acting is the login, as the team names it, never a claimed name
    (CLI.md revision 3): history, approvals and a touch's `by` record it from here on."""
    from stakeworks.db import actor

    member = check_server_may_open(command, url)
    if member is None:
        return
    actor.set_default(member.name, today, from_server=True)
    if getattr(args, "user", None) or os.environ.get("STAKEWORKS_USER"):
        sys.stderr.write(
            f"stakeworks: note: --user and $STAKEWORKS_USER are ignored on a team store: "
            f"you are {printable(member.name)} ({member.login}, {member.role})\n"
        )


def server_has_store(url: str) -> bool:
    from stakeworks.db.postgres import open_server

    conn = open_server(url)
    try:
        return bool(conn.raw.execute("SELECT to_regclass('stakeworks_schema') IS NOT NULL").fetchone()[0])
    finally:
        conn.close()


def run_copy(args: argparse.Namespace, out: Output) -> int:
    """`copy SOURCE TARGET [--replace]`: a whole store between a file and a server, either way."""
    from stakeworks.db.copying import copy_store
    from stakeworks.db.store import Store

    source = str(args.source) if is_server(args.source) else Path(args.source).expanduser()
    target = str(args.target) if is_server(args.target) else Path(args.target).expanduser()
    if str(source) == str(target):
        raise InputError("copy needs two different stores")
    new_file = isinstance(target, Path) and not exists(target)
    if isinstance(target, Path) and new_file and not target.parent.is_dir():
        raise StoreError(f"cannot create {target}: the folder {target.parent} does not exist")
    with Store(source, create=False) as src:
        try:
            with Store(target, create=True, make_parents=False) as dst:
                counts = copy_store(src, dst, replace=bool(args.replace))
                shown_target = dst.location
        except BaseException:
            if new_file and isinstance(target, Path):
                forget_created(target)
            raise
        shown_source = src.location
    out.emit(
        {"source": str(shown_source), "target": str(shown_target), "copied": counts},
        lambda: say(f"Copied {shown_source} to {shown_target}: "
                    + ", ".join(f"{n} {t}" for t, n in counts.items() if n) + "."),
    )  # fmt: skip
    return 0


def run_restore(args: argparse.Namespace, path: Path, out: Output) -> int:
    """`restore BACKUP`: the store replaced by a checked backup; the old one kept as PATH.bak."""
    from stakeworks.db.restore import restore

    if is_server(path):
        raise InputError(
            "restore replaces a store file; to put a backup on the team server use "
            "`stakeworks copy BACKUP URL --replace`"
        )

    backup = Path(args.backup).expanduser()
    if not exists(path) and not path.parent.is_dir():
        raise StoreError(f"cannot restore to {path}: the folder {path.parent} does not exist")
    kept = restore(path, backup)
    out.emit(
        {"database": str(path), "backup": str(backup), "previous": str(kept) if kept else None},
        lambda: say(f"Restored {path} from {backup}." + (f" The store it replaced is kept as {kept}." if kept else "")),
    )
    return 0
