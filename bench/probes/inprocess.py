"""In-process probes: the rules, a live edit, risk, search, triage, the screens, the optimiser."""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import random
import sqlite3
import time
from functools import partial
from pathlib import Path

from bench.measures import FRAME_MS, TODAY, Figure, fresh_copy, timed
from bench.probes.app_timing import _ticker as _ticker  # people.py's probe takes it from here
from bench.probes.app_timing import settled_app, time_action, watch_frames


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
        async with settled_app(copy) as (app, pilot):
            account_id = max(
                app.session.store.conn.execute("SELECT account_id, count(*) FROM contacts GROUP BY account_id"),
                key=lambda r: r[1],
            )[0]
            view = services.account_view(app.session.store, account_id, TODAY)
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
        entries = list(entries_from_store(s))
        biggest = max(
            s.conn.execute("SELECT account_id, count(*) FROM contacts GROUP BY account_id"), key=lambda r: r[1]
        )[0]
        fresh = list(entries_from_store(s, biggest))
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
    from stakeworks.widgets.portfolio_table import PortfolioTable

    copy = fresh_copy(db, tmp, "triage.db")
    opened: list[float] = []
    paged: list[float] = []

    async def main() -> None:
        async with settled_app(copy) as (app, pilot):
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
            assert table.row_count == len(app.session.summaries)

    asyncio.run(main())
    return [
        Figure("triage screen opened and filled", opened, target="<= 500 ms", limit_ms=500),
        Figure("triage page-down (one frame's work)", paged, f"one frame ({FRAME_MS:.1f} ms)", [FRAME_MS / 1000],
               "<= 1 frame", limit_ratio=1.0),
    ]  # fmt: skip


def bench_screens(db: Path, runs: int, tmp: Path) -> list[Figure]:
    """Each portfolio-wide screen opened for the first time on the large store: time
    until it is filled, and the longest the event loop went without running meanwhile
    (what a user feels as a freeze). A new app per run, so every open is a first one."""
    modes = ("heatmap", "cadence", "sponsors", "tasks")
    ready: dict[str, list[float]] = {m: [] for m in modes}
    stall: dict[str, list[float]] = {m: [] for m in modes}

    async def main(frames: list[float]) -> None:
        async with settled_app(fresh_copy(db, tmp, "screens.db")) as (app, pilot):
            # A user looks at the home screen first: the app computes the heat map's and
            # cadence's rows meanwhile (its prefetch); wait for that, as they would.
            for _ in range(600):
                if app.session.prefetched("heatmap") is not None:
                    break
                await asyncio.sleep(0.01)
            for mode in modes:
                # Filled: its table holds rows (what the user waits for), then the first frame drawn with them.
                waited = await time_action(
                    app, pilot, partial(app.action_go, mode), partial(_filled, app, mode), frames
                )
                ready[mode].append(waited.seconds)
                stall[mode].append(waited.stall)
                app.action_go("home")
                await pilot.pause()

    with watch_frames() as frames:
        for _ in range(runs):
            asyncio.run(main(frames))
    out = []
    for mode in modes:
        out.append(Figure(f"{mode} screen opened and filled", ready[mode], target="<= 500 ms",
                          limit_ms=500))  # fmt: skip
        out.append(Figure(f"longest event-loop stall meanwhile ({mode})", stall[mode], f"one frame ({FRAME_MS:.1f} ms)",
                          [FRAME_MS / 1000], "<= 50 ms", limit_ms=50))  # fmt: skip
    return out


def _filled(app: object, mode: str) -> bool:
    """The screen of `mode` is in front and its main table has rows (or, for a list that is
    empty on this store, its load has finished)."""
    from textual.widgets import DataTable

    from stakeworks.widgets.virtual_table import VirtualTable

    screen = app.screen  # type: ignore[attr-defined]
    if not type(screen).__name__.lower().startswith(mode[:4]):
        return False
    tables = [*screen.query(VirtualTable), *screen.query(DataTable)]
    if tables and tables[0].row_count > 0:
        return True
    return not any(w.node is screen and not w.is_finished for w in app.workers)  # type: ignore[attr-defined]


def bench_suggest(db: Path, runs: int, tmp: Path) -> Figure:
    from stakeworks.db.store import Store
    from stakeworks.services import program

    copy = fresh_copy(db, tmp, "suggest.db")
    with Store(copy) as s:
        s.set_meta("settings", json.dumps({"program_size": 600}))
        # One run first, untimed: on the generated store no verdict was ever computed, and that
        # first run computes every one (the 10 s run at 50k; `risk`'s first run of a day times
        # the same work), as scipy loads once per process.
        pairs = program.load_program(s, TODAY).suggestion()
        samples = timed(lambda: program.load_program(s, TODAY).suggestion(), runs)
    return Figure("`sponsors suggest` over the whole portfolio and program", samples,
                  target="<= 2 s median, no run over 5x it", limit_ms=2000, limit_spread=5.0,
                  note=f"{len(pairs)} pairs assigned; the day's verdicts cached")  # fmt: skip
