"""What changed in a record, said in a line, and an edit carried over onto a newer copy.

A screen writes the record it read; when the store's copy changed since (another program, an
import, another screen), the save is refused with what changed ("department 'Engineering' ->
'Platform'"), and a second save writes only the fields the user changed, on top of the newer
copy: nothing someone else saved is silently put back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from stakeworks.domain.text import printable

if TYPE_CHECKING:  # pydantic loads with the first model, not with this module (issue 20)
    from pydantic import BaseModel

R = TypeVar("R", bound="BaseModel")

NOT_EDITED = frozenset({"id", "version", "last_touch", "last_touch_kind"})
"""Bookkeeping and what the store derives: never compared as an edit."""


def changed(before: BaseModel, after: BaseModel, ignore: frozenset[str] = NOT_EDITED) -> dict[str, tuple[Any, Any]]:
    """field -> (before, after) for every field whose value differs."""
    return {
        name: (getattr(before, name), getattr(after, name))
        for name in type(before).model_fields
        if name not in ignore and getattr(before, name) != getattr(after, name)
    }


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "(blank)"
    if isinstance(value, frozenset | set):
        return ", ".join(sorted(str(v) for v in value)) or "(none)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = printable(str(value), keep="")
    return repr(text) if isinstance(value, str) else text


def describe(changes: dict[str, tuple[Any, Any]], limit: int = 4) -> str:
    """`department 'Engineering' → 'Platform'; strength 3 → 4` (the first `limit`, then a count)."""
    parts = [f"{name.replace('_', ' ')} {_shown(old)} → {_shown(new)}" for name, (old, new) in changes.items()]
    if len(parts) > limit:
        parts = [*parts[:limit], f"and {len(parts) - limit} more"]
    return "; ".join(parts) or "nothing you can see (it was saved again)"


def rebase(original: R, draft: R, fresh: R) -> tuple[R, dict[str, tuple[Any, Any]], set[str]]:
    """The user's edit (`original` -> `draft`) carried onto `fresh`, the store's newer copy.

    Returns the merged record (fresh, with only the fields the user changed set to theirs,
    and fresh's version), what changed elsewhere, and the fields both sides changed (there
    the user's value is kept: saving again is their choice to overwrite).
    """
    mine = changed(original, draft)
    theirs = changed(original, fresh)
    merged = fresh.model_copy(update={name: new for name, (_old, new) in mine.items()})
    return merged, theirs, set(mine) & set(theirs)
