"""How commands print: JSON for scripts, aligned text tables for people."""

from __future__ import annotations

import json
import math
import re
import sys
from collections.abc import Callable
from typing import Any

from stakeworks.domain.text import printable

# DEL and the C1 controls: json.dumps escapes U+0000-U+001F itself but, with ensure_ascii off,
# writes these raw, and some terminals obey U+009B as an escape sequence.
_RAW_CONTROLS = re.compile("[\x7f-\x9f]")


def strict_json(data: Any, indent: int | None = None) -> str:
    """JSON that any parser reads and no terminal obeys: never Infinity or NaN (a value a store
    written before they were refused may still hold becomes null), every control escaped."""
    try:
        text = json.dumps(data, ensure_ascii=False, indent=indent, allow_nan=False)
    except ValueError:  # a non-finite float somewhere: rare, so only then walk the data
        text = json.dumps(_finite(data), ensure_ascii=False, indent=indent, allow_nan=False)
    return _RAW_CONTROLS.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _finite(value: Any) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


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
