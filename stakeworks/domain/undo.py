"""What one undoable write changed (the store records it, `db/undo.py`; the app keeps it for ctrl+z).

A plain record of row images, so the session and the services can hold and type it without
reaching into the store."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Key = tuple[str, tuple[Any, ...]]
"""A row: its table and its key's values."""
Row = dict[str, Any]


@dataclass
class UndoToken:
    """What one write changed: each row's image before it (None: it did not exist) and after."""

    before: dict[Key, Row | None] = field(default_factory=dict)
    after: dict[Key, Row | None] = field(default_factory=dict)
    used: bool = False

    @property
    def empty(self) -> bool:
        return not self.before
