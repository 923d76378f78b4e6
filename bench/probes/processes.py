"""Whole-process probes with their peak memory: a 200,000-contact import (1,000,000 at 50k) and the app's memory."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from bench.measures import PEAK_MB, ROOT, Figure, fresh_copy

IMPORT_SCRIPT = (
    PEAK_MB
    + """
import sys, time
from stakeworks.cli.main import main
t0 = time.perf_counter()
code = main(["--db", sys.argv[1], "import", "contacts", sys.argv[2]])
print(time.perf_counter() - t0, peak_mb(), code)
"""
)

FLOOR_IMPORT = (
    PEAK_MB
    + """
import csv, sys, time
import sqlite_utils
t0 = time.perf_counter()
db = sqlite_utils.Database(sys.argv[1])
with open(sys.argv[2], newline="", encoding="utf-8") as fh:
    rows = csv.DictReader(fh)
    db["contacts_floor"].insert_all(rows, batch_size=1000)
print(time.perf_counter() - t0, peak_mb(), 0)
"""
)


def bench_import(db: Path, csv_path: Path, runs: int, tmp: Path) -> list[Figure]:
    from stakeworks.db.store import Store

    empty = tmp / "accounts-only.db"
    shutil.copyfile(db, empty)
    with Store(empty) as s, s.transaction() as c:
        c.execute("DELETE FROM contacts")
    ours, floor, peak, again, again_peak = [], [], [], [], []

    def import_into(target: Path) -> tuple[float, float]:
        out = subprocess.run([sys.executable, "-c", IMPORT_SCRIPT, str(target), str(csv_path)], cwd=ROOT,
                             capture_output=True, text=True, check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})  # fmt: skip
        seconds, mb, code = out.stdout.split()[-3:]
        assert code == "0", out.stderr
        return float(seconds), float(mb)

    for i in range(runs):
        target = fresh_copy(empty, tmp, f"import{i}.db")
        for times, peaks in ((ours, peak), (again, again_peak)):  # then the same file again: all unchanged
            seconds, mb = import_into(target)
            times.append(seconds)
            peaks.append(mb)
        flo = tmp / f"floor{i}.db"
        flo.unlink(missing_ok=True)
        out = subprocess.run([sys.executable, "-c", FLOOR_IMPORT, str(flo), str(csv_path)], cwd=ROOT,
                             capture_output=True, text=True, check=True)  # fmt: skip
        floor.append(float(out.stdout.split()[-3]))
    rows = sum(1 for _ in csv_path.open()) - 1
    return [
        Figure(f"import of the {rows:,}-contact CSV (validated, one transaction)", ours,
               "sqlite-utils insert_all of the same rows without validation", floor, "<= 2.0x", limit_ratio=2.0),
        Figure("peak memory of that import", peak, target="<= 300 MB (flat: batches of rows)", limit_ms=300, unit="MB"),
        Figure("re-import of the same CSV (every row matched and unchanged)", again, "same floor", floor, "(reported)"),
        Figure("peak memory of the re-import", again_peak, target="<= 450 MB (flat: batches of rows)", limit_ms=450,
               unit="MB"),
    ]  # fmt: skip


MEMORY_SCRIPT = """
import sys
from datetime import date
from pathlib import Path
from stakeworks.cli.launch import make_app
app = make_app(Path(sys.argv[1]), date(2026, 11, 1))
def memory():
    status = {l.split(":")[0]: l.split()[1] for l in open("/proc/self/status") if l.startswith("Vm")}
    return int(status["VmRSS"]) / 1024, int(status["VmHWM"]) / 1024
async def measure(pilot):
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    loaded = memory()
    # The views computed ahead (heat map, cadence, sponsors, inbox) start as the portfolio's
    # worker ends: wait until no worker is left, so the figure is the app as it then sits.
    while any(w.is_running for w in pilot.app.workers):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause(0.2)
    print("RSS", *loaded, *memory())
    pilot.app.exit()
app.run(headless=True, size=(120, 40), auto_pilot=measure)
"""


def bench_memory(db: Path, runs: int, tmp: Path, *, large: bool = False) -> list[Figure]:
    """The app on a copy of the generated store: a cold day (every verdict computed), the worst case."""
    limit = 300 if large else 200  # issue 36: 50,000 accounts and 1,000,000 contacts in 300 MB
    resident: list[float] = []
    peak: list[float] = []
    sitting: list[float] = []
    sitting_peak: list[float] = []
    for _ in range(runs):
        copy = fresh_copy(db, tmp, "mem.db")
        out = subprocess.run([sys.executable, "-c", MEMORY_SCRIPT, str(copy)], cwd=ROOT, capture_output=True, text=True,
                             check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})  # fmt: skip
        line = next(x for x in out.stdout.splitlines() + out.stderr.splitlines() if x.startswith("RSS"))
        loaded_rss, loaded_peak, sitting_rss, sitting_hwm = (float(x) for x in line.split()[1:5])
        resident.append(loaded_rss)
        peak.append(loaded_peak)
        sitting.append(sitting_rss)
        sitting_peak.append(sitting_hwm)
    return [
        Figure("resident memory of the app, portfolio and search loaded (cold day)", resident, target="(reported)",
               unit="MB"),
        Figure("the app's peak memory while loading them (VmHWM)", peak, target="(reported)", unit="MB"),
        Figure("resident memory of the app once every view computed ahead is ready (heat map, cadence, sponsors, "
               "inbox)", sitting, target=f"<= {limit} MB", limit_ms=limit, unit="MB"),
        Figure("the app's peak memory by then (VmHWM)", sitting_peak, target="(reported)", unit="MB"),
    ]  # fmt: skip
