"""A tiny smoke run of the benchmark generator (the suite itself runs with `make bench`)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bench.generate import generate


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
