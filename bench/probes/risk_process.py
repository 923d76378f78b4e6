"""`risk --json` as a user runs it: a whole process, on the first run of a day (yesterday's
verdicts in the cache, as every morning) and in the steady state, against a fresh Python
reading the account, contact and role rows into tuples (issue 20)."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

from bench.measures import ROOT, TODAY, Figure, fresh_copy

FLOOR = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
conn.execute("SELECT id, name, arr, renewal_date, tier, csm, industry, region FROM accounts").fetchall()
conn.execute("SELECT id, account_id, name, department, level, strength, sentiment, status, departed_on, last_touch, "
             "engagement_strategy FROM contacts").fetchall()
conn.execute("SELECT contact_id, role FROM contact_roles").fetchall()
"""


def _run(args: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(args, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, timeout=300)
    return time.perf_counter() - t0


def bench_risk_process(pristine: Path, runs: int, tmp: Path) -> list[Figure]:
    risk = [sys.executable, "-m", "stakeworks", "risk", "--json"]
    yesterday = (TODAY - timedelta(days=1)).isoformat()
    warm = fresh_copy(pristine, tmp, "risk-yesterday.db")
    _run([*risk, "--db", str(warm), "--today", yesterday])  # yesterday's look: every verdict cached
    floor = [_run([sys.executable, "-c", FLOOR, str(warm)]) for _ in range(runs)]
    morning, steady = [], []
    for i in range(runs):
        copy = fresh_copy(warm, tmp, f"risk-morning{i}.db")
        morning.append(_run([*risk, "--db", str(copy), "--today", TODAY.isoformat()]))
        steady.append(_run([*risk, "--db", str(copy), "--today", TODAY.isoformat()]))
        copy.unlink()
    what = "a fresh Python reading the account, contact and role rows into tuples"
    return [
        Figure("`risk --json`, whole process, first run of a day (yesterday's verdicts cached)", morning, what,
               floor, "<= 2.0x", limit_ratio=2.0),
        Figure("`risk --json`, whole process, steady state", steady, "same floor", floor, "<= 0.6x", limit_ratio=0.6),
    ]  # fmt: skip
