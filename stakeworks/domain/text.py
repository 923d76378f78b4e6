"""User text that cannot take over a terminal: control characters refused on input, shown as
visible symbols on output.

A name such as ``Evil\\x1b]0;pwned\\x07Corp`` would retitle the terminal, and ``\\x1b[2J`` blank
it, if printed raw. Input refuses control characters in records (`models.py` uses the checks
below); stores written before that, and every other text that reaches a terminal, go through
`printable`, which swaps each control character for one visible character of the same width,
so tables keep their columns: C0 controls become their Unicode control pictures (ESC -> ␛,
BEL -> ␇), DEL becomes ␡ and the C1 controls (U+0080-U+009F, which some terminals obey as
ESC-sequences) become �.
"""

from __future__ import annotations

import re
import unicodedata

PROSE_CONTROLS = "\n\r\t"
"""The control characters multi-line fields (notes, strategy) may hold: line breaks (a CSV from
Windows brings CR LF inside quoted fields) and tabs."""

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")

# One visible character per control character: the length of the text (and the span offsets
# of styled text built from it) stays the same.
PICTURES: dict[int, str] = {n: chr(0x2400 + n) for n in range(0x20)}
PICTURES[0x7F] = "\u2421"
PICTURES.update({n: "\ufffd" for n in range(0x80, 0xA0)})


def printable(text: str, keep: str = "\n\t") -> str:
    """`text` with every control character but those in `keep` swapped for a visible symbol."""
    if text.isprintable():  # the fast path: almost every name
        return text
    if "\n" in keep:
        text = text.replace("\r\n", "\n")
    table = {n: p for n, p in PICTURES.items() if chr(n) not in keep}
    return text.translate(table)


def control_name(ch: str) -> str:
    """``ESC (U+001B)``: how a message names a control character."""
    name = {"\x00": "NUL", "\x07": "BEL", "\x08": "backspace", "\t": "tab", "\n": "line break",
            "\r": "carriage return", "\x1b": "ESC", "\x7f": "DEL"}.get(ch)  # fmt: skip
    code = f"U+{ord(ch):04X}"
    return f"{name} ({code})" if name else code


def control_problem(text: str, allow: str = "") -> str | None:
    """Why `text` is refused, or None: the first control character not in `allow`, named."""
    if text.isprintable():
        return None
    for match in _CONTROL.finditer(text):
        if match.group() not in allow:
            return f"contains a control character, {control_name(match.group())}, at position {match.start() + 1}"
    return None


def is_invisible(text: str) -> bool:
    """True when nothing of `text` would show: only spaces and format characters (zero-width
    space and joiners, direction marks, the byte-order mark)."""
    return all(ch.isspace() or unicodedata.category(ch) in ("Cf", "Cc", "Zs", "Zl", "Zp") for ch in text)


def shorten(text: str, limit: int = 60) -> str:
    """User text quoted in a message: a pasted page is cut, not echoed whole."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
