"""Offline work against the team store (issue 37): `checkout` of a CSM's 300 accounts and a
`sync` of 1,000 changes each way, beside a `copy` of the same records (the floor: what moving
those records whole costs, with no merge)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from bench.measures import ROOT, Figure


def bench_offline(pristine: Path, runs: int, tmp: Path) -> list[Figure]:
    sys.path.insert(0, str(ROOT))
    from stakeworks.db.copying import copy_store
    from stakeworks.db.offline import checkout
    from stakeworks.db.store import Store
    from tests.pgcluster import find_bindir, remove, start_cluster

    if find_bindir()[0] is None:
        print(f"  offline skipped: {find_bindir()[1]}", file=sys.stderr)
        return []
    cluster = start_cluster()
    try:
        team = cluster.create_database("offline_team")
        with Store(pristine, create=False) as source, Store(team) as target:
            copy_store(source, target)
        with Store(team, create=False) as server:
            ids = {r[0] for r in server.repos.tx.query("SELECT id FROM accounts ORDER BY id LIMIT 300")}

        def checkout_once(i: int) -> float:
            with Store(team, create=False) as server:
                t = time.perf_counter()
                checkout(server, tmp / f"offline-{i}.db", ids)
                return time.perf_counter() - t

        taken = [checkout_once(i) for i in range(runs)]
        # The floor: the same records as a store of their own, copied off a server.
        alone = cluster.create_database("offline_alone")
        with Store(tmp / "offline-0.db", create=False) as source, Store(alone) as target:
            copy_store(source, target)

        def copy_once(i: int, back: bool) -> float:
            t = time.perf_counter()
            if back:
                with Store(tmp / f"copied-{i}.db", create=False) as source, Store(alone) as target:
                    copy_store(source, target, replace=True)
            else:
                with Store(alone, create=False) as source, Store(tmp / f"copied-{i}.db") as target:
                    copy_store(source, target)
            return time.perf_counter() - t

        copied = [copy_once(i, back=False) for i in range(runs)]
        both_ways = [copy_once(i, back=True) + copied[i] for i in range(runs)]
        synced = [_sync_once(team, tmp / f"sync-{i}.db", ids, i) for i in range(runs)]
        return [
            Figure("offline: `checkout` of 300 accounts from the team store", taken,
                   "`copy` of the same records off a server", copied, "<= 3.0x", limit_ratio=3.0),
            Figure("offline: `sync` of 1,000 changes each way (300 accounts)", synced,
                   "`copy` of the same records both ways", both_ways, "<= 3.0x", limit_ratio=3.0),
        ]  # fmt: skip
    finally:
        remove(cluster)


def _sync_once(team: str, copy: Path, ids: set[int], run: int) -> float:
    """A fresh checkout; 1,000 titles changed in it and 1,000 departments on the server; the sync timed."""
    from stakeworks.db.offline import checkout
    from stakeworks.db.store import Store
    from stakeworks.db.sync import sync

    with Store(team, create=False) as server:
        checkout(server, copy, ids)
    with Store(copy, create=False) as file:
        contacts = [r[0] for r in file.repos.tx.query("SELECT id FROM contacts ORDER BY id LIMIT 2000")]
    mine, theirs = contacts[:1000], contacts[1000:]
    with Store(copy, create=False) as file, file.transaction() as c:
        c.executemany("UPDATE contacts SET title = ? WHERE id = ?", [(f"Title {run}", i) for i in mine])
    with Store(team, create=False) as server, server.transaction() as c:
        c.executemany("UPDATE contacts SET department = ? WHERE id = ?", [(f"Dept {run}", i) for i in theirs])
    with Store(copy, create=False) as file, Store(team, create=False) as server:
        t = time.perf_counter()
        report = sync(file, server)
        took = time.perf_counter() - t
    assert report.sent == 1000 and report.received == 1000 and not report.refused and not report.conflicts
    return took
