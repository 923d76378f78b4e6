"""How commands print: JSON for scripts, aligned text tables for people."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import Any

from stakeworks.domain.text import printable
from stakeworks.interchange.jsontext import strict_json


def listing(names: Sequence[str], limit: int = 12) -> str:
    """`a, b, c and 99,988 more`: a list a person can read, however long (a file with 100,000
    columns once printed a 789,000-character note)."""
    shown = ", ".join(names[:limit])
    return shown if len(names) <= limit else f"{shown} and {len(names) - limit:,} more"


def say(text: str) -> str:
    """Text for the terminal: user text's control characters shown as symbols (domain/text.py)."""
    return printable(text)


class Output:
    def __init__(self, as_json: bool) -> None:
        self.as_json = as_json

    def emit(self, data: Any, text: Callable[[], str]) -> None:
        if self.as_json:
            # Indented for a person at a terminal; one line for scripts (json's C encoder:
            # indentation forces the pure-Python one, ~0.1 s on a 10,000-account portfolio).
            indent = 2 if sys.stdout.isatty() else None
            sys.stdout.write(strict_json(data, indent) + "\n")
        else:
            sys.stdout.write(say(text()) + "\n")


def text_table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
    body = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join([line, "  ".join("-" * w for w in widths), *body])
