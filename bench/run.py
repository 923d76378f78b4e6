"""The benchmark suite: every figure a median of several runs beside its floor.

`make bench` generates the large portfolio once (bench/data/, ignored by git),
runs every measurement and writes bench/results.md. `--quick` runs a tiny
version (small store, 3 runs) as a smoke test. What is timed is in
bench/probes/, how in bench/measures.py, the table in bench/report.py.
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import io
import json
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.measures import ROOT, TODAY, Figure, fresh_copy
from bench.probes.inprocess import (
    bench_live_edit,
    bench_risk,
    bench_rules,
    bench_screens,
    bench_search,
    bench_suggest,
    bench_triage,
)
from bench.probes.mail import bench_mail
from bench.probes.processes import bench_import, bench_memory
from bench.probes.risk_process import bench_risk_process
from bench.probes.startup import bench_startup
from bench.probes.team import bench_team
from bench.report import render, show_in_readme


def correctness(db: Path) -> str:
    """`risk --json` agrees with the rules engine run account by account on 100 accounts."""
    from stakeworks.cli.main import main as cli
    from stakeworks.db.store import Store
    from stakeworks.domain.rules import assess

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        cli(["--db", str(db), "--today", TODAY.isoformat(), "risk", "--json"])
    rows = {r["account"]: r for r in json.loads(buf.getvalue())}
    with Store(db) as s:
        ids = s.account_names()
        for account_id, name in random.Random(1).sample(ids, min(100, len(ids))):
            a = assess(s.contacts(account_id), TODAY, s.account(account_id).renewal_date)
            got = rows[name]
            assert (got["score"], got["risk"], got["factors"]) == (a.score, a.risk, a.factor_codes), name
    return f"`risk --json` agrees with the rules engine, account by account, on {min(100, len(ids))} random accounts."


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="tiny store, 3 runs: a smoke test")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results.md"))
    parser.add_argument("--data", help="where the generated portfolio lives (default bench/data, or bench/data-quick)")
    args = parser.parse_args()
    started = time.perf_counter()
    from bench.generate import generate

    data = Path(args.data) if args.data else ROOT / "bench" / ("data-quick" if args.quick else "data")
    db, csv_path = data / "large.db", data / "contacts.csv"
    if not db.exists() or not csv_path.exists():
        print("generating the large portfolio (once)…", file=sys.stderr)
        db, csv_path = generate(data, 0.02 if args.quick else 1.0)
    runs = 3 if args.quick else args.runs
    # Byte-compile our packages as any Python does on a first run: the floor's Textual
    # was compiled by pip, and a machine with PYTHONDONTWRITEBYTECODE set (this one)
    # would otherwise time the compiler on every start of our app instead.
    for package in ("stakeworks", "screens", "widgets", "db"):
        compileall.compile_dir(ROOT / package, quiet=1)
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        sample = fresh_copy(ROOT / "sample.db", tmp, "sample.db")
        large = fresh_copy(db, tmp, "large.db")
        steps: list[tuple[str, Callable[[], object]]] = [
            ("startup sample", lambda: bench_startup(sample, runs, "sample.db", 1.5)),
            ("startup large", lambda: bench_startup(large, runs, "10,000-account store", 2.0)),
            ("rules", lambda: bench_rules(large, runs)),
            ("live edit", lambda: bench_live_edit(large, runs, tmp)),
            ("risk", lambda: bench_risk(large, db, runs, tmp)),
            ("risk, whole process", lambda: bench_risk_process(db, runs, tmp)),
            ("search", lambda: bench_search(large, runs)),
            ("triage", lambda: bench_triage(large, runs, tmp)),
            ("screens", lambda: bench_screens(large, runs, tmp)),
            ("import", lambda: bench_import(db, csv_path, runs, tmp)),
            ("suggest", lambda: bench_suggest(large, runs, tmp)),
            ("memory", lambda: bench_memory(db, runs, tmp)),
            ("mail", lambda: bench_mail(db, 2_000 if args.quick else 100_000, runs, tmp)),
            ("team store", lambda: bench_team(db, csv_path, runs, tmp)),
        ]
        figures: list[Figure] = []
        for name, step in steps:
            print(f"… {name}", file=sys.stderr)
            got = step()
            figures.extend(got if isinstance(got, list) else [got])  # type: ignore[arg-type]
        notes = [correctness(large)]
    text = render(figures, notes, started)
    Path(args.out).write_text(text)
    if not args.quick:
        show_in_readme(text)
    print(text)


if __name__ == "__main__":
    main()
