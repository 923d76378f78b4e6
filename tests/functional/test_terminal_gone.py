"""The app leaves when its terminal goes away, even when no hang-up signal reaches it (under
`make demo`, make leads the session and the app is not told; it used to spin a CPU forever)."""

from __future__ import annotations

from pathlib import Path

from tests.terminal import Terminal


def test_the_app_exits_when_its_terminal_is_hung_up(sample_copy: Path):
    terminal = Terminal(sample_copy, ignore_hangup=True)
    try:
        terminal.read_for(90.0, b"Northwind")
        assert b"Northwind" in terminal.received  # the home screen was up
        assert terminal.app.poll() is None
        terminal.hang_up()
        assert terminal.app.wait(timeout=15) == 129  # 128 + SIGHUP, as if the signal had come
    finally:
        terminal.close()
