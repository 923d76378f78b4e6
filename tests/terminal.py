"""The app as a user runs it: in a pseudo-terminal, every byte the terminal gets read back."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

from tests.conftest import ROOT
from tests.pilot import TODAY

ROWS, COLUMNS = 40, 120


class Terminal:
    """One app process on the follower side of a pseudo-terminal; the test holds the leader."""

    def __init__(self, db: Path, *, ignore_hangup: bool = False) -> None:
        self.leader, follower = pty.openpty()
        fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
        env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(COLUMNS), "LINES": str(ROWS)}
        # A new session without this terminal as its controlling one: closing the leader hangs the
        # terminal up but sends no SIGHUP, as for an app whose parent (make) leads the session.
        command = [sys.executable, "-m", "stakeworks", "--db", str(db), "--today", TODAY.isoformat(), "app"]
        if ignore_hangup:  # an ignored signal stays ignored across exec (no preexec_fn: unsafe with threads)
            command = ["sh", "-c", 'trap "" HUP; exec "$@"', "sh", *command]
        self.app = subprocess.Popen(
            command, stdin=follower, stdout=follower, stderr=follower, env=env, cwd=ROOT, start_new_session=True
        )
        os.close(follower)
        self.received = b""
        self._open = True

    def read_for(self, seconds: float, stop: bytes | None = None) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and (stop is None or stop not in self.received):
            ready, _, _ = select.select([self.leader], [], [], 0.2)
            if ready:
                try:
                    self.received += os.read(self.leader, 1 << 16)
                except OSError:  # the app has exited
                    return

    def type(self, keys: bytes) -> None:
        os.write(self.leader, keys)

    def hang_up(self) -> None:
        """What closing the terminal window does: the leader side goes away."""
        os.close(self.leader)
        self._open = False

    def close(self) -> None:
        if self.app.poll() is None:
            self.app.kill()
        self.app.wait(timeout=10)
        if self._open:
            os.close(self.leader)
