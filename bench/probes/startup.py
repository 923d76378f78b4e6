"""Start-up to first frame, in subprocesses so that imports count."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from bench.measures import ROOT, Figure

# Both apps are timed the same way: from just before the process is spawned to
# the first frame Textual hands to its driver (App._display with updates not
# held), then the process ends at once. Waiting for a clean exit instead would
# also time the portfolio worker, which runs after the first frame.
FIRST_FRAME = """
import os, sys, time
from textual.app import App
_display = App._display
def first_frame(self, screen, renderable):
    _display(self, screen, renderable)
    if renderable is not None and self._running and not self._batch_count:
        print("FIRST", time.time(), type(screen).__name__, flush=True)
        os._exit(0)
App._display = first_frame
"""

BARE_APP = (
    FIRST_FRAME
    + """
from textual.widgets import DataTable, Footer, Header
class Bare(App):
    def compose(self):
        yield Header(); yield DataTable(); yield Footer()
Bare().run(headless=True, size=(120, 40))
"""
)

OUR_APP = (
    FIRST_FRAME
    + """
from datetime import date
from pathlib import Path
from stakeworks.cli.launch import make_app
make_app(Path(sys.argv[1]), date(2026, 11, 1)).run(headless=True, size=(120, 40))
"""
)

FILLED_APP = """
import os, sys, time
from datetime import date
from pathlib import Path
from stakeworks.cli.launch import make_app
from stakeworks.screens.app import StakeworksApp
loaded = StakeworksApp._portfolio_loaded
def filled(self, rows, *rest):
    loaded(self, rows, *rest)
    def shown():
        print("FIRST", time.time(), len(rows), flush=True)
        os._exit(0)
    self.call_after_refresh(shown)  # the frame after the rows reached the home table
StakeworksApp._portfolio_loaded = filled
make_app(Path(sys.argv[1]), date(2026, 11, 1)).run(headless=True, size=(120, 40))
"""


def run_script(script: str, *args: str) -> float:
    """Seconds from spawn to the script's FIRST line (or to its exit if it prints none)."""
    t0 = time.time()
    # A probe that never reaches its frame (a renamed hook, a crash in a worker) must fail
    # the run with its output, not hang it.
    out = subprocess.run([sys.executable, "-c", script, *args], cwd=ROOT, check=True, capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)  # fmt: skip
    ended = time.time()
    first = [line.split() for line in out.stdout.splitlines() if line.startswith("FIRST")]
    if script is OUR_APP:
        assert first and first[0][2] == "HomeScreen", out.stdout  # the first frame is the home screen
    return (float(first[0][1]) if first else ended) - t0


def bench_startup(db: Path, runs: int, label: str, limit: float) -> list[Figure]:
    floor, first = [], []
    # A process start is ~0.25 s and noisy on a shared machine: twice the runs, interleaved
    # so that drift hits the floor and our app alike.
    for _ in range(2 * runs):
        floor.append(run_script(BARE_APP))
        first.append(run_script(OUR_APP, str(db)))
    # One start first, untimed: on a store no app has opened yet it computes every verdict (the
    # 8.6 s run at 50k; `risk`'s first run of a day times that work), as a first start after an
    # import does once. The runs timed are the starts of a day that follow.
    run_script(FILLED_APP, str(db))
    filled = [run_script(FILLED_APP, str(db)) for _ in range(runs)]
    return [
        Figure(f"start to first frame of the home screen, {label}", first, "bare Textual app (Header, DataTable, Footer) to its first frame", floor,
               f"<= {limit}x", limit_ratio=limit),
        Figure(f"start to home screen filled with every account, {label}", filled, "same floor", floor,
               "<= 1 s median, no run over 2x it", limit_ms=1000, limit_spread=2.0,
               note="the day's verdicts cached; the search index follows the rows in a worker"),
    ]  # fmt: skip
