"""Leave when the terminal goes away.

When the terminal window closes, the app is only sent SIGHUP if it belongs to the session's
leader or foreground job. Run under `make demo` (make leads the session and waits for its child)
it is not, and Textual's input thread then reads an endless end-of-file and spins a CPU
(Textualize/textual#6690). A hung-up terminal refuses every ioctl, so asking for its attributes
once a second tells us it is gone.
"""

from __future__ import annotations

import sys

if sys.platform != "win32":  # Windows' driver has no such loop
    import termios

CHECK_EVERY = 1.0  # seconds: one ioctl, nothing to notice; a dead terminal spins at most this long


def terminal_fd() -> int | None:
    """The terminal the app reads keys from, or None when there is nothing to watch."""
    stdin = sys.__stdin__
    if sys.platform == "win32" or stdin is None:
        return None
    try:
        fd = stdin.fileno()
    except (OSError, ValueError):
        return None
    return fd if not terminal_gone(fd) else None


def terminal_gone(fd: int) -> bool:
    if sys.platform == "win32":
        return False
    try:
        termios.tcgetattr(fd)
    except termios.error:  # EIO once hung up; ENOTTY: not a terminal at all
        return True
    return False
