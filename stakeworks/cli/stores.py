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
from pathlib import Path

from stakeworks.cli.args import default_db_path
from stakeworks.cli.output import Output, say
from stakeworks.domain.errors import StoreError

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


def forget_created(path: Path) -> None:
    """Remove a store this run created when the command that created it failed: bad input writes nothing."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            path.with_name(path.name + suffix).unlink()


def run_init(args: argparse.Namespace, path: Path, out: Output) -> int:
    """`init [PATH]`: an empty store, owner-only; an existing stakeworks store is left as it is."""
    from stakeworks.db.store import Store

    target = Path(args.path).expanduser() if getattr(args, "path", None) else path
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


def run_restore(args: argparse.Namespace, path: Path, out: Output) -> int:
    """`restore BACKUP`: the store replaced by a checked backup; the old one kept as PATH.bak."""
    from stakeworks.db.restore import restore

    backup = Path(args.backup).expanduser()
    if not exists(path) and not path.parent.is_dir():
        raise StoreError(f"cannot restore to {path}: the folder {path.parent} does not exist")
    kept = restore(path, backup)
    out.emit(
        {"database": str(path), "backup": str(backup), "previous": str(kept) if kept else None},
        lambda: say(
            f"Restored {path} from {backup}."
            + (f" The store it replaced is kept as {kept}." if kept else "")
        ),
    )
    return 0
