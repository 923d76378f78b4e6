"""A whole store from a file to a server or back (`stakeworks copy`), and a team store's
backup, which is a file store holding the same.

The copy is the JSON export's data loaded into the target in one transaction, so "the export
of both is identical" holds by construction and every record passes the same checks as an
`import json`; the source's history comes along and the copy adds none of its own.
"""

from __future__ import annotations

from pathlib import Path

from stakeworks.db import interchange
from stakeworks.db.store import Store
from stakeworks.domain.errors import InputError
from stakeworks.interchange.files import private_temp


def is_empty(store: Store) -> bool:
    return not any(
        store.repos.tx.query(f"SELECT 1 FROM {table} LIMIT 1") for table in ("accounts", "executives", "contacts")
    )


def copy_store(source: Store, target: Store, *, replace: bool = False) -> dict[str, int]:
    """Everything `source` holds into `target`; a target with data only with `replace`."""
    if not replace and not is_empty(target):
        raise InputError(f"{target.path} already holds a portfolio; add --replace to overwrite it with the copy")
    return interchange.load(target, interchange.dump(source), source.path, replace=replace)


def backup_server(store: Store, target: Path, *, exclusive: bool = True) -> None:
    """A team store's backup: a file store with the same export, whole or not at all."""
    with private_temp(target, exclusive=exclusive) as temp, Store(temp) as copy:
        interchange.load(copy, interchange.dump(store), store.path)
