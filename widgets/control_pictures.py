"""User text in the app shows control characters as symbols, never as terminal commands.

Textual's Content and Rich's Text remove BEL, backspace, VT, FF and CR from what they draw
and let every other control character through, ESC included: a name holding
``\\x1b]0;pwned\\x07`` retitled the terminal and ``\\x1b[2J`` blanked it. Both libraries strip
through one translation table each (the default argument of their strip function, the same
dict object), so `install` adds every C0/C1 control and DEL to those tables, mapped to the
visible symbols of `stakeworks.domain.text` (one character each: span offsets and column
widths stay right); tab and line feed keep their meaning, CR is still removed. This covers
every widget (tables, labels, trees, inputs, toasts, titles), since all of them draw through
Content or Text; a Pilot test reads the terminal's bytes to prove it. Textual is pinned
exactly (pyproject.toml), so the tables' names cannot move under us unnoticed.
"""

from __future__ import annotations

import rich.control
import textual.content

from stakeworks.domain.text import PICTURES

KEEP = (0x09, 0x0A)  # tab, line feed
REMOVE = (0x0D,)  # carriage return: removed, as both libraries do


def install() -> None:
    """Make both libraries show control characters as symbols (idempotent)."""
    table: dict[int, str | None] = {n: p for n, p in PICTURES.items() if n not in KEEP}
    table.update(dict.fromkeys(REMOVE))
    targets: tuple[dict[int, str | None], ...] = (
        rich.control._CONTROL_STRIP_TRANSLATE,  # type: ignore[assignment]  # rich types its private table narrower
        textual.content._CONTROL_STRIP_TRANSLATE,
    )
    for target in targets:
        target.update(table)
