"""A one-line filter or search box that leaves the app's navigation keys to the app."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import Input

# Input's readline-style keys that the app uses to go places (sponsors, who to touch);
# the same edits stay on end and ctrl+backspace.
GIVEN_BACK = frozenset({"ctrl+e", "ctrl+w"})


def _without(bindings: list[BindingType], keys: frozenset[str]) -> list[BindingType]:
    out: list[BindingType] = []
    for b in bindings:
        if not isinstance(b, Binding):
            out.append(b)
            continue
        kept = [k for k in b.key.split(",") if k.strip() not in keys]
        if kept:
            name = b.action.replace("(True)", "_select").replace("(", "_").replace(")", "")
            out.append(
                Binding(",".join(kept), b.action, b.description or name.replace("_", " "), show=b.show,
                        priority=b.priority, id=f"lookup.{name}")
            )  # fmt: skip
    return out


class LookupInput(Input, inherit_bindings=False):
    """Every printable key is text, as in any Input; ctrl+e and ctrl+w go to the app (on a
    list screen a user reaches for navigation more often than for end-of-line)."""

    BINDINGS: ClassVar[list[BindingType]] = _without(list(Input.BINDINGS), GIVEN_BACK)
