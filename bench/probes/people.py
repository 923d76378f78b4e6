"""People across accounts (issue 33): `exposure` over the whole portfolio and a `person` lookup.

The generated portfolio gives every contact an address of their own, so a copy of it first
shares some: a share of the champions and economic buyers become the same person as one at
another account (the same email, a few in another case, a few by hand link), as a parent
company's CFO or a consultant would be.
"""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from bench.correctness import exposure_agrees
from bench.measures import FRAME_MS, TODAY, Figure, fresh_copy, timed

if TYPE_CHECKING:
    from textual.app import App

SHARED_PEOPLE = 400
"""People made the same person at two accounts (and a tenth of them at a third)."""


def _share_people(db: Path) -> list[str]:
    """Give pairs of critical contacts at different accounts one address; those addresses, the
    one to look up first."""
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT c.id, c.account_id FROM contacts c JOIN contact_roles r ON r.contact_id = c.id "
            "WHERE r.role IN ('champion', 'economic_buyer') AND c.status = 'active' "
            "GROUP BY c.account_id ORDER BY c.account_id"
        ).fetchall()
        shared = min(SHARED_PEOPLE, len(rows) * 10 // 21)  # a small (--quick) store shares fewer
        chosen = rows[: shared * 2 + shared // 10]
        pairs = [chosen[i : i + 2] for i in range(0, shared * 2, 2)]
        for n, pair in enumerate(pairs):
            for k, (cid, _) in enumerate(pair):
                email = f"shared.person{n}@people.example"
                conn.execute("UPDATE contacts SET email = ? WHERE id = ?", (email.upper() if k else email, cid))
        for n, (cid, _) in enumerate(chosen[shared * 2 :]):  # a third account, by hand
            conn.execute(
                "INSERT OR IGNORE INTO contact_links (contact_id, other_id) VALUES (?, ?)",
                tuple(sorted((pairs[n][0][0], cid))),
            )
        # One of them goes by a name nobody else has, to be looked up by name as well.
        conn.execute(
            "UPDATE contacts SET name = 'Avery Quinlan-Moss' WHERE lower(email) = 'shared.person7@people.example'"
        )
    emails = [f"shared.person{n}@people.example" for n in range(shared)]
    return emails[7:8] + emails[:7] + emails[8:]


def bench_people(db: Path, runs: int, tmp: Path, notes: list[str]) -> list[Figure]:
    from stakeworks.db.store import Store
    from stakeworks.services import people

    copy = fresh_copy(db, tmp, "people.db")
    with Store(copy):  # the copy at the latest schema before it is changed behind the store's back
        pass
    emails = _share_people(copy)
    email = emails[0]
    with Store(copy) as s:
        name = "avery quinlan-moss"
        exposure = timed(lambda: people.portfolio_exposure(s, TODAY), runs)
        found = people.portfolio_exposure(s, TODAY)
        by_email = timed(lambda: people.person(s, email), runs * 5)
        by_name = timed(lambda: people.person(s, name), runs * 5)
        accounts = len(people.person(s, email).records)
    at_risk = sum(e.arr_at_risk for e in found)
    notes.append(exposure_agrees(str(copy), found, emails))
    return [
        Figure("`exposure` over the whole portfolio", exposure, target="<= 1 s at 10k", limit_ms=1000, limit_at_10k=True,
               note=f"{len(found)} of the people made to hold 2-3 accounts exposed, {at_risk:,.0f} ARR at stake"),
        Figure("`person` lookup by email", by_email, target="<= 50 ms", limit_ms=50,
               note=f"{accounts} accounts found"),
        Figure("`person` lookup by name", by_name, target="<= 50 ms", limit_ms=50),
    ]  # fmt: skip


INFLUENCE_LINES = 20


def _largest_account(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        account_id, _ = max(conn.execute("SELECT account_id, count(*) FROM contacts GROUP BY account_id"),
                            key=lambda r: r[1])  # fmt: skip
    return int(account_id)


def _draw_lines(db: Path, account_id: int) -> None:
    """INFLUENCE_LINES influence lines at the account, a third against us."""
    with sqlite3.connect(db) as conn:
        ids = [r[0] for r in conn.execute("SELECT id FROM contacts WHERE account_id = ? ORDER BY id", (account_id,))]
        signs = ("positive", "negative", "neutral")
        conn.executemany(
            "INSERT INTO influences (account_id, from_id, to_id, sign, note) VALUES (?, ?, ?, ?, 'bench')",
            [(account_id, ids[i], ids[(i * 7 + 3) % len(ids)], signs[i % 3]) for i in range(INFLUENCE_LINES)],
        )


async def _cpu_ticker(gaps: list[float], work: list[float], stop: asyncio.Event) -> None:
    """How late each 5 ms sleep wakes up (the event loop's stalls), and the main thread's CPU time
    in each wait: the work of a stall, apart from what a busy machine adds to it."""
    import time

    last, cpu = time.perf_counter(), time.thread_time()
    while not stop.is_set():
        await asyncio.sleep(0.005)
        now, cpu_now = time.perf_counter(), time.thread_time()
        gaps.append(now - last - 0.005)
        work.append(cpu_now - cpu)
        last, cpu = now, cpu_now


async def _prefetch_done(app: App) -> None:
    """Wait for the start-up work `settled_app` does not see: the portfolio worker starts the
    prefetch of the heat map's, cadence's and sponsors' rows (screens/session_workers.py) as
    it ends, and that runs on for seconds (4-5 s at 10k) holding the GIL half the time: a
    screen opened meanwhile shares the interpreter with it, whatever the screen does."""
    import time

    t0 = time.perf_counter()
    while any(w.group == "prefetch" and w.is_running for w in app.workers) and time.perf_counter() - t0 < 120:
        await asyncio.sleep(0.05)


def _open_account(db: Path, account_id: int, lines: int, runs: int) -> tuple[list[float], list[float], list[float]]:
    """The account screen opened `runs` times, each in a new app: time until the whole page (the
    map with the account's people and lines, coverage, grid, the not-engaged list) is set and a
    frame with it is drawn, the longest the event loop went without running meanwhile, and the
    most main-thread CPU time in one such wait."""
    import time

    from textual.app import App
    from textual.widgets import Static

    from bench.probes.app_timing import settled_app
    from stakeworks.screens.messages import OpenAccount

    ready: list[float] = []
    stall: list[float] = []
    cpu: list[float] = []
    painted: list[float] = []

    def shown(app: App) -> bool:
        # The page comes in slices; the not-engaged list is its last, so the figure is the whole page.
        view = getattr(app.screen, "view", None)
        if view is None or len(view.influences) != lines:
            return False
        last = app.screen.query("#not-engaged").results(Static)
        return any(str(widget.content) for widget in last)

    async def main() -> None:
        async with settled_app(db) as (app, pilot):
            await _prefetch_done(app)
            gaps: list[float] = []
            work: list[float] = []
            stop = asyncio.Event()
            task = asyncio.create_task(_cpu_ticker(gaps, work, stop))
            t0 = time.perf_counter()
            app.post_message(OpenAccount(account_id))
            while not shown(app) and time.perf_counter() - t0 < 30:
                await asyncio.sleep(0.002)
            painted.clear()  # then the first frame drawn with them
            while not painted and time.perf_counter() - t0 < 30:
                await asyncio.sleep(0.002)
            ready.append((painted[0] if painted else time.perf_counter()) - t0)
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            stop.set()
            await task
            stall.append(max(gaps))
            cpu.append(max(work))

    display = App._display

    def spy(self: App, screen: object, renderable: object) -> None:
        display(self, screen, renderable)  # type: ignore[arg-type]
        if renderable is not None:
            painted.append(time.perf_counter())

    App._display = spy  # type: ignore[method-assign]
    try:
        for _ in range(runs):
            asyncio.run(main())
    finally:
        App._display = display  # type: ignore[method-assign]
    return ready, stall, cpu


def bench_account_with_lines(db: Path, runs: int, tmp: Path) -> list[Figure]:
    """The account screen opened on the largest account, without influence lines and then with
    INFLUENCE_LINES of them."""
    from stakeworks.db.store import Store

    copy = fresh_copy(db, tmp, "lines.db")
    with Store(copy):  # at the latest schema before lines are written behind the store's back
        pass
    account_id = _largest_account(copy)
    with sqlite3.connect(copy) as conn:
        people = conn.execute("SELECT count(*) FROM contacts WHERE account_id = ?", (account_id,)).fetchone()[0]
    bare_ready, bare_stall, bare_cpu = _open_account(copy, account_id, 0, runs)
    _draw_lines(copy, account_id)
    ready, stall, cpu = _open_account(copy, account_id, INFLUENCE_LINES, runs)
    frame = f"one frame ({FRAME_MS:.1f} ms)", [FRAME_MS / 1000]
    return [
        Figure(f"account screen, largest account ({people} contacts), opened and drawn", bare_ready,
               target="<= 500 ms", limit_ms=500),
        Figure("longest event-loop stall meanwhile (largest account)", bare_stall, *frame, "<= 50 ms", limit_ms=50),
        Figure("the same, most main-thread CPU time in one wait (the work, without a busy machine's share)",
               bare_cpu, *frame, "(reported)"),
        Figure(f"account screen, largest account with {INFLUENCE_LINES} influence lines, opened and drawn", ready,
               target="<= 500 ms", limit_ms=500),
        Figure("longest event-loop stall meanwhile (account with influence lines)", stall, *frame, "<= 50 ms",
               limit_ms=50),
        Figure("the same, most main-thread CPU time in one wait (with influence lines)", cpu, *frame,
               "(reported)"),
    ]  # fmt: skip
