"""Escape sequences in names never reach the terminal raw (issue 19, case 5).

The names are written with SQL, as an older version (or another tool) could have stored them.
The app runs as a user runs it, in a pseudo-terminal, and the test reads the bytes the terminal
receives: each control character of a name arrives as a symbol, never as a control sequence.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.terminal import Terminal

EVIL = "Evil\x1b]0;pwned\x07Corp\x1b[2J"
EVIL_SHOWN = "Evil␛]0;pwned␇Corp␛[2J"


def _legacy_names(db: Path) -> None:
    conn = sqlite3.connect(db)
    conn.execute("UPDATE accounts SET name = ? WHERE name = 'Northwind'", (EVIL,))
    conn.commit()
    conn.close()


def terminal_output(db: Path, until: bytes, timeout: float = 90.0) -> bytes:
    """Run the app until its output holds `until`, then quit (ctrl+q); return every byte the
    terminal got."""
    terminal = Terminal(db)
    try:
        terminal.read_for(timeout, until)
        terminal.type(b"\x11")  # ctrl+q
        terminal.read_for(5.0)
    finally:
        terminal.close()
    return terminal.received


def test_escape_sequences_in_names_reach_the_terminal_as_symbols(sample_copy: Path):
    _legacy_names(sample_copy)
    out = terminal_output(sample_copy, until=EVIL_SHOWN.encode())
    assert EVIL_SHOWN.encode() in out  # the home screen lists the account, its controls as symbols
    # none of the name's own sequences reached the terminal: no title change, no screen clear
    assert b"\x1b]0;pwned" not in out and b"pwned\x07" not in out and b"Corp\x1b[2J" not in out
