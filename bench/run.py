"""The benchmark suite: every figure a median of several runs beside its floor.

`make bench` generates the large portfolio once (bench/data/, ignored by git),
runs every measurement and writes bench/results.md. `--quick` runs a tiny
version (small store, 3 runs) as a smoke test. What is timed is in
bench/probes/, how in bench/measures.py, the table in bench/report.py.
"""

from __future__ import annotations

import argparse
import compileall
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.correctness import risk_agrees
from bench.measures import ROOT, Figure, fresh_copy
from bench.probes.evidence import bench_evidence
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
from bench.probes.offline import bench_offline
from bench.probes.people import bench_account_with_lines, bench_people
from bench.probes.processes import bench_import, bench_memory
from bench.probes.risk_process import bench_risk_process
from bench.probes.startup import bench_startup
from bench.probes.team import bench_team
from bench.report import growth_table, load_run, render, save_run, show_in_readme

RUNS = {False: ROOT / "bench" / "figures-10k.json", True: ROOT / "bench" / "figures-50k.json"}
SAME_AT_ANY_SCALE = ("startup sample", "mail", "team store", "offline")
"""Steps whose figures do not depend on the portfolio's size (sample.db, a mailbox of its own, the
team store's ratios to the file, a CSM's 300 accounts): `--large` leaves them out. Every other
step runs at 50k too, so each of its figures gets a growth row; a new step is in by default."""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="tiny store, 3 runs: a smoke test")
    parser.add_argument("--large", action="store_true", help="the 50,000-account store (make bench-large)")
    parser.add_argument("--runs", type=int, default=None, help="runs per figure (5, or 3 for --quick and --large)")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results.md"))
    parser.add_argument("--data", help="where the generated portfolio lives (default bench/data, or bench/data-quick)")
    parser.add_argument(
        "--only", action="append", default=[], metavar="STEP",
        help="run only the steps whose name contains STEP (repeatable); prints the table, keeps nothing",
    )  # fmt: skip
    args = parser.parse_args()
    started = time.perf_counter()
    from bench.generate import generate

    scale, folder = (0.02, "data-quick") if args.quick else (5.0, "data-large") if args.large else (1.0, "data")
    data = Path(args.data) if args.data else ROOT / "bench" / folder
    db, csv_path = data / "large.db", data / "contacts.csv"
    if not db.exists() or not csv_path.exists():
        print("generating the large portfolio (once)…", file=sys.stderr)
        db, csv_path = generate(data, scale)
    runs = args.runs or (3 if args.quick or args.large else 5)
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
            ("startup large", lambda: bench_startup(large, runs, "the generated store", 1.3)),
            ("rules", lambda: bench_rules(large, runs)),
            ("live edit", lambda: bench_live_edit(large, runs, tmp)),
            ("risk", lambda: bench_risk(large, db, runs, tmp)),
            ("risk, whole process", lambda: bench_risk_process(db, runs, tmp)),
            ("search", lambda: bench_search(large, runs)),
            ("triage", lambda: bench_triage(large, runs, tmp)),
            ("screens", lambda: bench_screens(large, runs, tmp)),
            ("import", lambda: bench_import(db, csv_path, runs, tmp)),
            ("suggest", lambda: bench_suggest(large, runs, tmp)),
            ("people", lambda: bench_people(large, runs, tmp, notes)),
            ("influence lines", lambda: bench_account_with_lines(large, runs, tmp)),
            ("memory", lambda: bench_memory(db, runs, tmp, large=args.large)),
            ("mail", lambda: bench_mail(db, 2_000 if args.quick else 100_000, runs, tmp)),
            ("team store", lambda: bench_team(db, csv_path, runs, tmp, notes)),
            ("offline", lambda: bench_offline(db, runs, tmp)),
            (
                "the map keeps itself",
                lambda: bench_evidence(
                    db, runs, tmp, notes, *((2_000, 400) if args.quick else ()), imports=not args.large
                ),
            ),
        ]
        if args.large:
            steps = [s for s in steps if s[0] not in SAME_AT_ANY_SCALE]
        if args.only:
            steps = [s for s in steps if any(o in s[0] for o in args.only)]
            if not steps:
                parser.error(f"no step matches {args.only}")
        figures: list[Figure] = []
        notes: list[str] = []
        for name, step in steps:
            print(f"… {name}", file=sys.stderr)
            got = step()
            figures.extend(got if isinstance(got, list) else [got])  # type: ignore[arg-type]
        if not args.only:
            notes.insert(0, risk_agrees(str(large), "the SQLite file"))
    seconds = time.perf_counter() - started
    if args.quick or args.only:  # a smoke test or a few steps: their own table only, nothing kept
        text = render(figures, notes, seconds, time.strftime("%Y-%m-%d %H:%M"))
        if args.quick:
            Path(args.out).write_text(text)
        print(text)
        return
    save_run(RUNS[args.large], figures, notes, seconds)
    small, large = load_run(RUNS[False]), load_run(RUNS[True])
    if small is None:
        print("the 50k figures are kept; run `make bench` for the 10k table they are set beside", file=sys.stderr)
        return
    extra = [*growth_table(small[0], large[0], large[2], large[3]), "", *large[1]] if large else None
    text = render(small[0], small[1], small[2], small[3], extra)
    Path(args.out).write_text(text)
    show_in_readme(text)
    print(text)


if __name__ == "__main__":
    main()
