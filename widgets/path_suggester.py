"""Completion of a file path as it is typed, through Textual's suggester (right arrow or end
takes the greyed-out rest): the first entry of the folder typed so far whose name starts with
what follows the last slash; a folder's completion ends with a slash, so the next part follows."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from textual.suggester import Suggester


def complete_path(value: str) -> str | None:
    """`value` with the rest of the first matching entry's name, or None (nothing matches, or no folder)."""
    head, _, prefix = value.rpartition(os.sep)
    folder = Path(os.path.expanduser(head + os.sep if head or value.startswith(os.sep) else "."))
    try:
        names = sorted(e.name + (os.sep if e.is_dir() else "") for e in os.scandir(folder))
    except OSError:  # no such folder (yet), or not readable: nothing to offer
        return None
    hidden = prefix.startswith(".")
    for name in names:
        if name.startswith(prefix) and name != prefix and (hidden or not name.startswith(".")):
            return value + name[len(prefix) :]
    return None


class PathSuggester(Suggester):
    """The folder is read on each keystroke (not cached: files come and go), off the UI thread."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        if not value:
            return None
        return await asyncio.to_thread(complete_path, value)
