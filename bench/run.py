"""The benchmark suite: every figure a median of several runs beside its floor.

`make bench` generates the large portfolio once (bench/data/, ignored by git),
runs every measurement and writes bench/results.md. `--quick` runs a tiny
version (small store, 3 runs) as a smoke test.
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import contextlib
import io
import json
import os
import platform
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 1)
FRAME_MS = 1000 / 60


@dataclass
class Figure:
    name: str
    samples: list[float]  # seconds
    floor_name: str = ""
    floor: list[float] = field(default_factory=list)
    target: str = ""
    limit_ratio: float | None = None
    limit_ms: float | None = None
    note: str = ""
    unit: str = "ms"

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def ratio(self) -> float | None:
        return self.median / statistics.median(self.floor) if self.floor else None

    def ok(self) -> bool:
        good = True
        if self.limit_ratio is not None and self.ratio is not None:
            good &= self.ratio <= self.limit_ratio
        if self.limit_ms is not None:
            good &= self.median * (1000 if self.unit == "ms" else 1) <= self.limit_ms
        return good


def timed(fn: Callable[[], object], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def fresh_copy(src: Path, tmp: Path, name: str) -> Path:
    dst = tmp / name
    for suffix in ("", "-wal", "-shm"):
        Path(str(dst) + suffix).unlink(missing_ok=True)
    shutil.copyfile(src, dst)
    return dst


# -- start-up to first frame (subprocesses, so imports count) --------------------------------

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
from stakeworks.screens.app import make_app
make_app(Path(sys.argv[1]), date(2026, 11, 1)).run(headless=True, size=(120, 40))
"""
)

FILLED_APP = """
import os, sys, time
from datetime import date
from pathlib import Path
from stakeworks.screens.app import StakeworksApp, make_app
loaded = StakeworksApp._portfolio_loaded
def filled(self, rows):
    loaded(self, rows)
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
    out = subprocess.run([sys.executable, "-c", script, *args], cwd=ROOT, check=True, capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})  # fmt: skip
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
    filled = [run_script(FILLED_APP, str(db)) for _ in range(runs)]
    return [
        Figure(f"start to first frame of the home screen, {label}", first, "bare Textual app (Header, DataTable, Footer) to its first frame", floor,
               f"<= {limit}x", limit_ratio=limit),
        Figure(f"start to home screen filled with every account, {label}", filled, "same floor", floor,
               "(reported, no target)", note="verdicts computed in a worker after the first frame; the search index follows them"),
    ]  # fmt: skip


# -- in-process measurements ----------------------------------------------------------------------


def bench_rules(db: Path, runs: int) -> list[Figure]:
    from stakeworks.db.store import Store
    from stakeworks.domain.rules import assess, key_people

    with Store(db) as s:
        account_id = max(
            s.conn.execute("SELECT account_id, count(*) FROM contacts GROUP BY account_id"), key=lambda r: r[1]
        )[0]
        contacts = s.contacts(account_id)
        renewal = s.account(account_id).renewal_date
    n = len(contacts)
    rules = timed(lambda: assess(contacts, TODAY, renewal), runs * 20)
    keys = timed(lambda: key_people(contacts, TODAY, renewal), runs)
    return [
        Figure(f"rules engine, one {n}-contact account (assess)", rules, target="<= 1 ms median", limit_ms=1.0),
        Figure("key people of that account (a what-if per critical contact)", keys, target="(reported)"),
    ]


def bench_live_edit(db: Path, runs: int, tmp: Path) -> list[Figure]:
    """Open the editor on the 200-contact account; change the strength and time
    until Textual hands the updated frame to the terminal (rules, widgets,
    layout if needed and the render of what changed): wall time as a user sees
    it, and the main thread's CPU time (the work, without waiting for the tick)."""
    from textual.app import App

    from stakeworks.screens.app import make_app
    from stakeworks.screens.contact_editor import ContactEditor
    from stakeworks.services import accounts as services

    copy = fresh_copy(db, tmp, "edit.db")
    wall: list[float] = []
    cpu: list[float] = []
    frames: list[tuple[float, float]] = []
    display = App._display

    def spy(self: App, screen: object, renderable: object) -> None:
        display(self, screen, renderable)  # type: ignore[arg-type]
        if renderable is not None:
            frames.append((time.perf_counter(), time.thread_time()))

    async def main() -> None:
        app = make_app(copy, TODAY)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            account_id = max(
                app.store.conn.execute("SELECT account_id, count(*) FROM contacts GROUP BY account_id"),
                key=lambda r: r[1],
            )[0]
            view = services.account_view(app.store, account_id, TODAY)
            target = next(c for c in view.contacts if c.status == "active")
            await app.push_screen(ContactEditor(view, target))
            await pilot.pause()
            editor = app.screen
            for i in range(runs * 4):
                await pilot.pause()
                frames.clear()
                w0, c0 = time.perf_counter(), time.thread_time()
                editor._set("strength", 1 + i % 5)
                while not frames:
                    await asyncio.sleep(0.0005)
                wall.append(frames[0][0] - w0)
                cpu.append(frames[0][1] - c0)

    App._display = spy  # type: ignore[method-assign]
    try:
        asyncio.run(main())
    finally:
        App._display = display  # type: ignore[method-assign]
    return [
        Figure("live recalculation after one edit, 200-contact account (edit to updated frame, wall)", wall,
               f"one frame at 60 Hz ({FRAME_MS:.1f} ms)", [FRAME_MS / 1000], "<= 1 frame, median", limit_ratio=1.0),
        Figure("the same, main-thread CPU time (the work without waiting for the next tick)", cpu,
               f"one frame at 60 Hz ({FRAME_MS:.1f} ms)", [FRAME_MS / 1000], "(reported)"),
    ]  # fmt: skip


def bench_risk(db: Path, pristine: Path, runs: int, tmp: Path) -> list[Figure]:
    """Steady state on `db`; cold days on copies of `pristine` (the generated store, no verdict cached)."""
    from stakeworks.cli.main import main as cli

    def floor() -> None:
        conn = sqlite3.connect(db)
        conn.execute("SELECT id, name, arr, renewal_date, tier, csm, industry, region FROM accounts").fetchall()
        conn.execute(
            "SELECT id, account_id, name, department, level, strength, sentiment, status, departed_on, last_touch, "
            "engagement_strategy FROM contacts"
        ).fetchall()
        conn.execute("SELECT contact_id, role FROM contact_roles").fetchall()
        conn.close()

    def risk(path: Path) -> None:
        with contextlib.redirect_stdout(io.StringIO()):
            cli(["--db", str(path), "--today", TODAY.isoformat(), "risk", "--json"])

    floors = timed(floor, runs)
    cold = []
    for i in range(runs):  # a fresh copy each time: nothing cached for the day yet
        copy = fresh_copy(pristine, tmp, f"cold{i}.db")
        t0 = time.perf_counter()
        risk(copy)
        cold.append(time.perf_counter() - t0)
        copy.unlink()
    risk(db)  # the first run of the day computes and caches every verdict; later runs read the cache
    return [
        Figure("`risk --json` on the large store, in-process", timed(lambda: risk(db), runs),
               "reading the same rows out of SQLite into Python tuples", floors, "<= 2.0x", limit_ratio=2.0),
        Figure("the same, first run of a day (every verdict computed, then cached)", cold, "same floor", floors,
               "(reported)"),
    ]  # fmt: skip


def bench_search(db: Path, runs: int) -> list[Figure]:
    from rapidfuzz import process

    from stakeworks.db.store import Store
    from stakeworks.domain.search import SearchIndex, entries_from_store

    with Store(db) as s:
        entries = entries_from_store(s)
        biggest = max(
            s.conn.execute("SELECT account_id, count(*) FROM contacts GROUP BY account_id"), key=lambda r: r[1]
        )[0]
        fresh = entries_from_store(s, biggest)
    t0 = time.perf_counter()
    index = SearchIndex(entries)
    built = time.perf_counter() - t0
    # After an edit the app swaps the edited account's entries on the UI thread.
    updates = timed(lambda: index.replace_account(biggest, fresh), runs * 4)
    texts = [e.text for e in entries]
    rng = random.Random(3)
    names = [e.label for e in rng.sample(entries, 50)]
    queries = []
    for n in names:  # typed with one typo, the way people type
        q = n.lower()
        k = rng.randrange(1, len(q))
        queries.append(q[:k] + q[k + 1 :])
    ours = []
    floor = []
    for q in queries[: max(runs * 4, 10)]:
        t0 = time.perf_counter()
        index.search(q, limit=40)
        ours.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        process.extract(q, texts, limit=40)
        floor.append(time.perf_counter() - t0)
    return [
        Figure(f"fuzzy search, one keystroke, over {len(texts):,} accounts and contacts", ours,
               "rapidfuzz process.extract (default WRatio) over the same prepared strings", floor,
               "<= 1.5x and <= 50 ms median", limit_ratio=1.5, limit_ms=50),
        Figure(f"search index updated after an edit of the {len(fresh) - 1}-contact account (UI thread)", updates,
               f"one frame ({FRAME_MS:.1f} ms); rebuilding the whole index instead: {built:.1f} s", [FRAME_MS / 1000],
               "<= 1 frame (our own bar)",
               limit_ratio=1.0),
    ]  # fmt: skip


def bench_triage(db: Path, runs: int, tmp: Path) -> list[Figure]:
    from stakeworks.screens.app import make_app
    from stakeworks.widgets.portfolio_table import PortfolioTable

    copy = fresh_copy(db, tmp, "triage.db")
    opened: list[float] = []
    paged: list[float] = []

    async def main() -> None:
        app = make_app(copy, TODAY)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            for _ in range(runs):
                await pilot.press("ctrl+o")
                await pilot.pause()
                t0 = time.perf_counter()
                app.action_go("triage")
                await pilot.pause(0)
                table = app.screen.query_one(PortfolioTable)
                app.screen._compositor.render_update(full=True)
                opened.append(time.perf_counter() - t0)
                for _ in range(3):
                    t0 = time.perf_counter()
                    table.action_page_down()
                    app.screen._compositor.render_update(full=True)
                    paged.append(time.perf_counter() - t0)
            assert table.row_count == len(app.summaries)

    asyncio.run(main())
    return [
        Figure("triage screen opened and filled, 10,000 accounts", opened, target="<= 500 ms", limit_ms=500),
        Figure("triage page-down (one frame's work)", paged, f"one frame ({FRAME_MS:.1f} ms)", [FRAME_MS / 1000],
               "<= 1 frame", limit_ratio=1.0),
    ]  # fmt: skip


async def _ticker(gaps: list[float], stop: asyncio.Event) -> None:
    """Record how late each 5 ms sleep wakes up: the event loop's stalls."""
    last = time.perf_counter()
    while not stop.is_set():
        await asyncio.sleep(0.005)
        now = time.perf_counter()
        gaps.append(now - last - 0.005)
        last = now


def bench_screens(db: Path, runs: int, tmp: Path) -> list[Figure]:
    """Each portfolio-wide screen opened for the first time on the large store: time
    until it is filled, and the longest the event loop went without running meanwhile
    (what a user feels as a freeze). A new app per run, so every open is a first one."""
    from stakeworks.screens.app import make_app

    modes = ("heatmap", "cadence", "sponsors", "tasks")
    ready: dict[str, list[float]] = {m: [] for m in modes}
    stall: dict[str, list[float]] = {m: [] for m in modes}

    async def main() -> None:
        app = make_app(fresh_copy(db, tmp, "screens.db"), TODAY)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            for mode in modes:
                gaps: list[float] = []
                stop = asyncio.Event()
                task = asyncio.create_task(_ticker(gaps, stop))
                t0 = time.perf_counter()
                app.action_go(mode)
                await pilot.pause()
                await app.workers.wait_for_complete()
                await pilot.pause()
                ready[mode].append(time.perf_counter() - t0)
                stop.set()
                await task
                stall[mode].append(max(gaps))
                app.action_go("home")
                await pilot.pause()

    for _ in range(runs):
        asyncio.run(main())
    out = []
    for mode in modes:
        out.append(Figure(f"{mode} screen opened and filled, 10,000 accounts", ready[mode], target="(reported)"))
        out.append(Figure(f"longest event-loop stall meanwhile ({mode})", stall[mode], f"one frame ({FRAME_MS:.1f} ms)",
                          [FRAME_MS / 1000], "(reported)"))  # fmt: skip
    return out


# Peak memory is the process's own high-water mark (VmHWM). getrusage's ru_maxrss
# would not do: Linux carries it across exec, so a child of this (large) bench
# process would report the parent's size.
PEAK_MB = """
def peak_mb():
    return int(next(l for l in open("/proc/self/status") if l.startswith("VmHWM")).split()[1]) / 1024
"""

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
               "sqlite-utils insert_all of the same rows without validation", floor, "<= 2.5x", limit_ratio=2.5),
        Figure("peak memory of that import", peak, target="<= 500 MB", limit_ms=500, unit="MB"),
        Figure("re-import of the same CSV (every row matched and unchanged)", again, "same floor", floor, "(reported)"),
        Figure("peak memory of the re-import", again_peak, target="(reported)", unit="MB"),
    ]  # fmt: skip


def bench_suggest(db: Path, runs: int, tmp: Path) -> Figure:
    from stakeworks.db.store import Store
    from stakeworks.services import program

    copy = fresh_copy(db, tmp, "suggest.db")
    with Store(copy) as s:
        s.set_meta("settings", json.dumps({"program_size": 600}))
        samples = timed(lambda: program.load_program(s, TODAY).suggestion(), runs)
        pairs = program.load_program(s, TODAY).suggestion()
    return Figure("`sponsors suggest`, 10,000 accounts, 200 executives, program of 600", samples, target="<= 2 s",
                  limit_ms=2000, note=f"{len(pairs)} pairs assigned")  # fmt: skip


MEMORY_SCRIPT = """
import sys
from datetime import date
from pathlib import Path
from stakeworks.screens.app import make_app
app = make_app(Path(sys.argv[1]), date(2026, 11, 1))
async def measure(pilot):
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    status = {l.split(":")[0]: l.split()[1] for l in open("/proc/self/status") if l.startswith("Vm")}
    print("RSS", int(status["VmRSS"]) / 1024, int(status["VmHWM"]) / 1024)
    pilot.app.exit()
app.run(headless=True, size=(120, 40), auto_pilot=measure)
"""


def bench_memory(db: Path, runs: int, tmp: Path) -> list[Figure]:
    """The app on a copy of the generated store: a cold day (every verdict computed), the worst case."""
    resident, peak = [], []
    for _ in range(runs):
        copy = fresh_copy(db, tmp, "mem.db")
        out = subprocess.run([sys.executable, "-c", MEMORY_SCRIPT, str(copy)], cwd=ROOT, capture_output=True, text=True,
                             check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})  # fmt: skip
        line = next(x for x in out.stdout.splitlines() + out.stderr.splitlines() if x.startswith("RSS"))
        resident.append(float(line.split()[1]))
        peak.append(float(line.split()[2]))
    return [
        Figure("resident memory of the app on the large store (portfolio and search loaded, cold day)", resident,
               target="<= 400 MB", limit_ms=400, unit="MB"),
        Figure("the app's peak memory while loading it (VmHWM)", peak, target="(reported)", unit="MB"),
    ]  # fmt: skip


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


def machine() -> str:
    libs = ", ".join(
        f"{p} {metadata.version(p)}" for p in ("textual", "pydantic", "rapidfuzz", "sqlite-utils", "scipy")
    )
    return (f"{os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}, "
            f"SQLite {sqlite3.sqlite_version}; {libs}")  # fmt: skip


def met(f: Figure) -> str:
    if f.limit_ratio is None and f.limit_ms is None:
        return "—"  # reported only
    return "yes" if f.ok() else "NO"


def render(figures: list[Figure], notes: list[str], started: float) -> str:
    def ms(v: float, unit: str) -> str:
        return f"{v:,.1f} MB" if unit == "MB" else f"{v * 1000:,.1f} ms" if v < 10 else f"{v:,.2f} s"

    lines = [
        "# Benchmark results",
        "",
        f"Machine: {machine()}. Generated {time.strftime('%Y-%m-%d %H:%M')} in {time.perf_counter() - started:,.0f} s.",
        "",
        "| what | median | min | max | n | floor (median) | ratio | target | met |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for f in figures:
        floor = f"{ms(statistics.median(f.floor), 'ms')} ({f.floor_name})" if f.floor else "—"
        ratio = f"{f.ratio:.2f}x" if f.ratio is not None else "—"
        lines.append(
            f"| {f.name}{f' ({f.note})' if f.note else ''} | {ms(f.median, f.unit)} | {ms(min(f.samples), f.unit)} | "
            f"{ms(max(f.samples), f.unit)} | {len(f.samples)} | {floor} | {ratio} | {f.target} | "
            f"{met(f)} |"
        )
    lines += ["", *notes, ""]
    return "\n".join(lines)


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
            ("search", lambda: bench_search(large, runs)),
            ("triage", lambda: bench_triage(large, runs, tmp)),
            ("screens", lambda: bench_screens(large, runs, tmp)),
            ("import", lambda: bench_import(db, csv_path, runs, tmp)),
            ("suggest", lambda: bench_suggest(large, runs, tmp)),
            ("memory", lambda: bench_memory(db, runs, tmp)),
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


def show_in_readme(results: str, readme: Path = ROOT / "README.md") -> None:
    """Copy the results (without their title) between the README's bench markers."""
    start, end = "<!-- bench:start -->", "<!-- bench:end -->"
    text = readme.read_text()
    if start not in text or end not in text:
        return
    body = results.split("\n", 2)[2].strip()
    head, rest = text.split(start, 1)
    readme.write_text(f"{head}{start}\n{body}\n{end}{rest.split(end, 1)[1]}")


if __name__ == "__main__":
    main()
