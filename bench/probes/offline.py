"""Offline work against the team store (issue 37): `checkout` of a CSM's 300 accounts and a
`sync` of 1,000 changes each way, beside a `copy` of the same records (the floor: what moving
those records whole costs, with no merge), each with a check that both sides hold the same."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from bench.measures import ROOT, Figure, fresh_copy

if TYPE_CHECKING:
    from tests.pgcluster import Cluster

ACCOUNTS = 300
CHANGES = 1_000
CONTACTS_OF = "SELECT c.id, c.name, c.title, c.department FROM contacts c WHERE c.account_id IN ({ids}) ORDER BY c.id"


def bench_offline(pristine: Path, runs: int, tmp: Path) -> list[Figure]:
    sys.path.insert(0, str(ROOT))
    from stakeworks.db.copying import copy_store
    from stakeworks.db.store import Store
    from tests.pgcluster import find_bindir, remove, start_cluster

    if find_bindir()[0] is None:
        print(f"  offline skipped: {find_bindir()[1]}", file=sys.stderr)
        return []
    source = fresh_copy(pristine, tmp, "offline-source.db")  # opening may upgrade it: never the shared file
    cluster = start_cluster()
    try:
        team = cluster.create_database("offline_team")
        with Store(source, create=False) as file, Store(team) as target:
            copy_store(file, target)
        with Store(team, create=False) as server:
            ids = {r[0] for r in server.repos.tx.query(f"SELECT id FROM accounts ORDER BY id LIMIT {ACCOUNTS}")}
        taken, held = _checkouts(team, ids, runs, tmp)
        copied, both_ways = _copies(cluster, tmp, runs)
        synced = [_sync_once(team, tmp / f"sync-{i}.db", ids, i) for i in range(runs)]
        return [
            Figure(f"offline: `checkout` of {ACCOUNTS} accounts from the team store", taken,
                   "`copy` of the same records off a server", copied, "<= 2.0x", limit_ratio=2.0,
                   note=f"{held:,} contacts, the same on both sides (checked)"),
            Figure(f"offline: `sync` of {CHANGES:,} changes each way ({ACCOUNTS} accounts)", synced,
                   "`copy` of the same records both ways", both_ways, "<= 2.0x", limit_ratio=2.0,
                   note=f"the {2 * CHANGES:,} changed contacts the same on both sides after it (checked)"),
        ]  # fmt: skip
    finally:
        remove(cluster)


def _checkouts(team: str, ids: set[int], runs: int, tmp: Path) -> tuple[list[float], int]:
    """Each run a new file; the check: the file's contacts of those accounts are the server's."""
    from stakeworks.db.offline import checkout
    from stakeworks.db.store import Store

    taken = []
    for i in range(runs):
        with Store(team, create=False) as server:
            t = time.perf_counter()
            checkout(server, tmp / f"offline-{i}.db", ids)
            taken.append(time.perf_counter() - t)
    query = CONTACTS_OF.format(ids=", ".join(map(str, sorted(ids))))
    with Store(team, create=False) as server, Store(tmp / "offline-0.db", create=False) as file:
        theirs, mine = server.repos.tx.query(query), file.repos.tx.query(query)
    assert mine == theirs and mine, "the checkout does not hold the server's contacts"
    return taken, len(mine)


def _copies(cluster: Cluster, tmp: Path, runs: int) -> tuple[list[float], list[float]]:
    """The floor: the checked-out records as a store of their own, copied off a server, and
    off it and back."""
    from stakeworks.db.copying import copy_store
    from stakeworks.db.store import Store

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
    return copied, [copy_once(i, back=True) + copied[i] for i in range(runs)]


def _sync_once(team: str, copy: Path, ids: set[int], run: int) -> float:
    """A fresh checkout; 1,000 titles changed in it and 1,000 departments on the server; the sync
    timed; the check: both sides hold the same title and department for those 2,000 contacts."""
    from stakeworks.db.offline import checkout
    from stakeworks.db.store import Store
    from stakeworks.db.sync import sync

    with Store(team, create=False) as server:
        checkout(server, copy, ids)
    with Store(copy, create=False) as file:
        contacts = [r[0] for r in file.repos.tx.query(f"SELECT id FROM contacts ORDER BY id LIMIT {2 * CHANGES}")]
    mine, theirs = contacts[:CHANGES], contacts[CHANGES:]
    with Store(copy, create=False) as file, file.transaction() as c:
        c.executemany("UPDATE contacts SET title = ? WHERE id = ?", [(f"Title {run}", i) for i in mine])
    with Store(team, create=False) as server, server.transaction() as c:
        c.executemany("UPDATE contacts SET department = ? WHERE id = ?", [(f"Dept {run}", i) for i in theirs])
    with Store(copy, create=False) as file, Store(team, create=False) as server:
        t = time.perf_counter()
        report = sync(file, server)
        took = time.perf_counter() - t
    assert report.sent == CHANGES and report.received == CHANGES and not report.refused and not report.conflicts
    query = f"SELECT id, title, department FROM contacts WHERE id IN ({', '.join(map(str, contacts))}) ORDER BY id"
    with Store(copy, create=False) as file, Store(team, create=False) as server:
        here, there = file.repos.tx.query(query), server.repos.tx.query(query)
    assert here == there and len(here) == 2 * CHANGES, "after the sync the two sides differ"
    assert {r[1] for r in here if r[0] in set(mine)} == {f"Title {run}"}
    assert {r[2] for r in here if r[0] in set(theirs)} == {f"Dept {run}"}
    return took
