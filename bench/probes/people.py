"""People across accounts (issue 33): `exposure` over the whole portfolio and a `person` lookup.

The generated portfolio gives every contact an address of their own, so a copy of it first
shares some: a share of the champions and economic buyers become the same person as one at
another account (the same email, a few in another case, a few by hand link), as a parent
company's CFO or a consultant would be.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bench.measures import TODAY, Figure, fresh_copy, timed

SHARED_PEOPLE = 400
"""People made the same person at two accounts (and a tenth of them at a third)."""


def _share_people(db: Path) -> str:
    """Give pairs of critical contacts at different accounts one address; the email to look up."""
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
    return "shared.person7@people.example"


def bench_people(db: Path, runs: int, tmp: Path) -> list[Figure]:
    from stakeworks.db.store import Store
    from stakeworks.services import people

    copy = fresh_copy(db, tmp, "people.db")
    with Store(copy):  # the copy at the latest schema before it is changed behind the store's back
        pass
    email = _share_people(copy)
    with Store(copy) as s:
        name = "avery quinlan-moss"
        exposure = timed(lambda: people.portfolio_exposure(s, TODAY), runs)
        found = people.portfolio_exposure(s, TODAY)
        by_email = timed(lambda: people.person(s, email), runs * 5)
        by_name = timed(lambda: people.person(s, name), runs * 5)
        accounts = len(people.person(s, email).records)
    at_risk = sum(e.arr_at_risk for e in found)
    return [
        Figure("`exposure` over the whole portfolio", exposure, target="<= 1 s", limit_ms=1000,
               note=f"{len(found)} of the people made to hold 2-3 accounts exposed, {at_risk:,.0f} ARR at stake"),
        Figure("`person` lookup by email", by_email, target="<= 50 ms", limit_ms=50,
               note=f"{accounts} accounts found"),
        Figure("`person` lookup by name", by_name, target="<= 50 ms", limit_ms=50),
    ]  # fmt: skip


INFLUENCE_LINES = 20


def _draw_lines(db: Path) -> int:
    """The largest account with INFLUENCE_LINES influence lines, a third against us; its id."""
    with sqlite3.connect(db) as conn:
        account_id, _ = max(conn.execute("SELECT account_id, count(*) FROM contacts GROUP BY account_id"),
                            key=lambda r: r[1])  # fmt: skip
        ids = [r[0] for r in conn.execute("SELECT id FROM contacts WHERE account_id = ? ORDER BY id", (account_id,))]
        signs = ("positive", "negative", "neutral")
        conn.executemany(
            "INSERT INTO influences (account_id, from_id, to_id, sign, note) VALUES (?, ?, ?, ?, 'bench')",
            [(account_id, ids[i], ids[(i * 7 + 3) % len(ids)], signs[i % 3]) for i in range(INFLUENCE_LINES)],
        )
    return int(account_id)


def bench_account_with_lines(db: Path, runs: int, tmp: Path) -> list[Figure]:
    """The account screen opened on the largest account with 20 influence lines: time until its
    map is drawn, and the longest the event loop went without running meanwhile."""
    import asyncio
    import time

    from bench.probes.app_timing import _ticker, settled_app
    from stakeworks.db.store import Store
    from stakeworks.screens.messages import OpenAccount

    copy = fresh_copy(db, tmp, "lines.db")
    with Store(copy):  # at the latest schema before lines are written behind the store's back
        pass
    account_id = _draw_lines(copy)
    ready: list[float] = []
    stall: list[float] = []

    async def main() -> None:
        async with settled_app(copy) as (app, pilot):
            gaps: list[float] = []
            stop = asyncio.Event()
            task = asyncio.create_task(_ticker(gaps, stop))
            t0 = time.perf_counter()
            app.post_message(OpenAccount(account_id))
            while time.perf_counter() - t0 < 30:
                view = getattr(app.screen, "view", None)
                if view is not None and (view.influences or not INFLUENCE_LINES):
                    break
                await asyncio.sleep(0.002)
            ready.append(time.perf_counter() - t0)
            await pilot.pause()
            await app.workers.wait_for_complete()
            stop.set()
            await task
            stall.append(max(gaps))

    for _ in range(runs):
        asyncio.run(main())
    return [
        Figure(f"account screen, largest account with {INFLUENCE_LINES} influence lines, opened and drawn", ready,
               target="(reported)"),
        Figure("longest event-loop stall meanwhile (account with influence lines)", stall, target="<= 50 ms",
               limit_ms=50),
    ]  # fmt: skip
