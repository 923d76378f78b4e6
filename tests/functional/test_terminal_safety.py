"""Escape sequences in names never reach the terminal raw (issue 19, case 5).

The names are written with SQL, as an older version (or another tool) could have stored them.
The app runs as a user runs it, in a pseudo-terminal, and the test reads the bytes the terminal
receives: each control character of a name arrives as a symbol, never as a control sequence.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import sqlite3
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

from tests.conftest import ROOT
from tests.pilot import TODAY

EVIL = "Evil\x1b]0;pwned\x07Corp\x1b[2J"
EVIL_SHOWN = "Evil␛]0;pwned␇Corp␛[2J"
ROWS, COLUMNS = 40, 120


def _legacy_names(db: Path) -> None:
    conn = sqlite3.connect(db)
    conn.execute("UPDATE accounts SET name = ? WHERE name = 'Northwind'", (EVIL,))
    conn.commit()
    conn.close()


def terminal_output(db: Path, until: bytes, timeout: float = 90.0) -> bytes:
    """Run the app in a pseudo-terminal until its output holds `until`, then quit (ctrl+q);
    return every byte the terminal got."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(COLUMNS), "LINES": str(ROWS)}
    app = subprocess.Popen(
        [sys.executable, "-m", "stakeworks", "--db", str(db), "--today", TODAY.isoformat(), "app"],
        stdin=follower, stdout=follower, stderr=follower, env=env, cwd=ROOT, start_new_session=True,
    )  # fmt: skip
    os.close(follower)
    received = b""

    def read_for(seconds: float, stop: bytes | None = None) -> None:
        nonlocal received
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and (stop is None or stop not in received):
            ready, _, _ = select.select([leader], [], [], 0.2)
            if ready:
                try:
                    received += os.read(leader, 1 << 16)
                except OSError:  # the app has exited
                    return

    try:
        read_for(timeout, until)
        os.write(leader, b"\x11")  # ctrl+q
        read_for(5.0)
    finally:
        if app.poll() is None:
            app.kill()
        app.wait(timeout=10)
        os.close(leader)
    return received


def test_escape_sequences_in_names_reach_the_terminal_as_symbols(sample_copy: Path):
    _legacy_names(sample_copy)
    out = terminal_output(sample_copy, until=EVIL_SHOWN.encode())
    assert EVIL_SHOWN.encode() in out  # the home screen lists the account, its controls as symbols
    # none of the name's own sequences reached the terminal: no title change, no screen clear
    assert b"\x1b]0;pwned" not in out and b"pwned\x07" not in out and b"Corp\x1b[2J" not in out
