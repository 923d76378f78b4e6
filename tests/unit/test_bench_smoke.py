"""A tiny smoke run of the benchmark generator (the suite itself runs with `make bench`)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bench.generate import generate
from tests.conftest import ROOT
from tests.pgcluster import find_bindir


def test_generator_is_exact_and_deterministic(tmp_path: Path):
    db, csv_path = generate(tmp_path / "a", scale=0.005)
    conn = sqlite3.connect(db)
    counts = [conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("accounts", "contacts", "touches")]
    assert counts == [50, 1000, 5000]
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT max(n) FROM (SELECT count(*) n FROM contacts GROUP BY account_id)").fetchone()[0] == 200
    db2, csv2 = generate(tmp_path / "b", scale=0.005)
    assert csv_path.read_bytes() == csv2.read_bytes()
    assert sum(1 for _ in csv_path.open()) == 1001


@pytest.mark.slow
def test_quick_suite_runs_every_measurement(tmp_path: Path):
    """`python -m bench.run --quick` on a tiny store: every figure is measured and the
    correctness check passes (a smoke test: the numbers themselves are not judged here)."""
    import subprocess
    import sys

    root = ROOT
    out = tmp_path / "results.md"
    readme = (root / "README.md").read_text()
    done = subprocess.run(
        [sys.executable, "-m", "bench.run", "--quick", "--out", str(out), "--data", str(tmp_path / "data")],
        cwd=root, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    table = [line for line in out.read_text().splitlines() if line.startswith("| ") and "---" not in line][1:]
    names = " ".join(row.split(" | ")[0] for row in table)
    for figure in ("first frame", "live recalculation", "rules engine", "risk --json", "fuzzy search",
                   "triage screen", "cadence screen", "event-loop stall", "import of the", "re-import", "sponsors suggest",
                   "resident memory", "start to home screen filled", "longest event-loop stall meanwhile (sponsors)"):  # fmt: skip
        assert figure in names, figure
    text = out.read_text()
    # on a cold day, the same day warm, the next day and a month on; on the server too where one runs
    assert (
        "agrees with the rules engine, account by account, on 100 random accounts of the SQLite file: a cold day"
        in text
    )
    if find_bindir()[0] is not None:
        assert "of the PostgreSQL copy: a cold day" in text and "team store: `risk --json`" in names
        assert "offline: `checkout`" in names and "offline: `sync`" in names
    assert (root / "README.md").read_text() == readme  # only a full run refreshes the README's table
