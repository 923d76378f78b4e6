"""The team store beside the file (issue 17): the store-bound figures on the same portfolio,
a PostgreSQL server on this machine (a unix socket) against the SQLite file. Each figure's
floor is the file doing the same work in the same run; the target is within 2x of it."""

from __future__ import annotations

import contextlib
import io
import sys
import time
from pathlib import Path
from typing import Any

from bench.correctness import page_agrees, risk_agrees
from bench.measures import ROOT, TODAY, Figure, fresh_copy, timed


def as_team_members(server: str, file: Path, runs: int, account_open: Any, notes: list[str]) -> list[Figure]:
    """Issue 34: the same reads and a touch's write by a CSM, whom row-level security checks
    (the superuser above bypasses it), against the file."""
    from stakeworks.cli.main import main as cli
    from stakeworks.db.store import Store
    from stakeworks.services import accounts as services

    with contextlib.redirect_stdout(io.StringIO()):
        assert cli(["--db", server, "team", "add", "bench_csm", "--role", "csm", "--name", "Bench CSM"]) == 0
    as_csm = server.replace("postgres@", "bench_csm@")
    notes.append(page_agrees(as_csm, str(file), "the server as a CSM (row-level security on)"))
    with Store(server) as s, s.transaction() as c:
        biggest = max(s.account_rows(), key=lambda r: r.arr).id
        c.execute("UPDATE accounts SET csm = 'Bench CSM' WHERE id = ?", (biggest,))

    def touch_write(location: str) -> list[float]:
        with Store(location) as s:
            contact = s.contacts(biggest)[0].id
            return timed(lambda: services.log_touch(s, contact, "call", TODAY, "bench"), runs * 4)

    return [
        Figure("team store as a CSM (row-level security on): the account screen's reads", account_open(as_csm),
               "same on the file", account_open(str(file)), "<= 2.0x", limit_ratio=2.0),
        Figure("team store as a CSM: a touch's write (the row check, its history line, the last touch)",
               touch_write(as_csm), "same on the file", touch_write(str(file)), "(reported)"),
    ]  # fmt: skip


def bench_team(pristine: Path, csv_path: Path, runs: int, tmp: Path, notes: list[str]) -> list[Figure]:
    sys.path.insert(0, str(ROOT))
    from stakeworks.cli.main import main as cli
    from stakeworks.db.copying import copy_store
    from stakeworks.db.store import Store
    from stakeworks.services import accounts as services
    from stakeworks.services import program, records
    from tests.pgcluster import find_bindir, remove, start_cluster

    if find_bindir()[0] is None:
        print(f"  team store skipped: {find_bindir()[1]}", file=sys.stderr)
        return []
    cluster = start_cluster()
    try:
        file = fresh_copy(pristine, tmp, "team-file.db")
        base = cluster.create_database("bench_base")
        t0 = time.perf_counter()
        with Store(file) as source, Store(base) as target:
            copy_store(source, target)
        copied = time.perf_counter() - t0
        server = cluster.create_database("bench_server", template="bench_base")

        def risk(location: str, cold: bool) -> float:
            if cold:
                with Store(location) as s, s.transaction() as c:
                    c.execute("DELETE FROM verdict_cache")  # a new day: nothing cached
            t = time.perf_counter()
            with contextlib.redirect_stdout(io.StringIO()):
                assert cli(["--db", location, "--today", TODAY.isoformat(), "risk", "--json"]) == 0
            return time.perf_counter() - t

        figures: list[Figure] = []
        for cold, what in ((True, "first run of a day"), (False, "steady state")):
            on_file = [risk(str(file), cold) for _ in range(runs)]
            on_server = [risk(server, cold) for _ in range(runs)]
            figures.append(Figure(f"team store: `risk --json`, {what}, in-process", on_server,
                                  "the same on the SQLite file", on_file, "<= 2.0x", limit_ratio=2.0))  # fmt: skip

        def account_open(location: str) -> list[float]:
            with Store(location) as s:
                biggest = max(s.account_rows(), key=lambda r: r.arr).id
                settings = s.settings()  # the app's session holds them: the screen does not read them

                def open_it() -> None:
                    # As the screen reads (services/records.py account_page): on a server the
                    # statements go out together, one round trip (db/postgres.py run_together).
                    with s.reading_ahead(*records.page_reads(s, biggest, TODAY)):
                        services.account_view(s, biggest, TODAY, settings)
                        s.score_history(biggest)
                        s.next_meetings(biggest, TODAY)
                        services.interim_contacts(s, biggest)

                return timed(open_it, runs * 4)

        figures.append(Figure("team store: the account screen's reads (view, score history, meetings)",
                              account_open(server), "same on the file", account_open(str(file)), "<= 2.0x",
                              limit_ratio=2.0))  # fmt: skip
        figures += as_team_members(server, file, runs, account_open, notes)

        def suggest(location: str) -> list[float]:
            with Store(location) as s:
                return timed(lambda: program.load_program(s, TODAY).suggestion(), runs)

        figures.append(Figure("team store: `sponsors suggest` (reads and the optimiser)", suggest(server),
                              "same on the file", suggest(str(file)), "<= 2.0x", limit_ratio=2.0))  # fmt: skip

        # An import of 20,000 contacts into the store emptied of contacts, fresh each run.
        rows = csv_path.read_text().splitlines()
        part = tmp / "team-contacts.csv"
        part.write_text("\n".join(rows[:20_001]) + "\n")
        empty_file = tmp / "team-empty.db"
        fresh_copy(file, tmp, "team-empty.db")
        with Store(empty_file) as s, s.transaction() as c:
            c.execute("DELETE FROM contacts")
        with Store(server) as s, s.transaction() as c:
            c.execute("DELETE FROM contacts")
        # As a server keeps itself: autovacuum clears the 200,000 deleted contacts within a minute,
        # but never in a database copied from this one (a template's copies start with no counts).
        # Left there, every import below wrote past them: max(id) alone took 0.26 s (the file's
        # deleted rows are simply gone).
        with cluster.connect("bench_server") as conn:
            conn.execute("VACUUM ANALYZE")
        cluster.create_database("bench_empty", template="bench_server")

        def import_into(location: str) -> float:
            t = time.perf_counter()
            with contextlib.redirect_stdout(io.StringIO()):
                assert cli(["--db", location, "--today", TODAY.isoformat(), "import", "contacts", str(part)]) == 0
            return time.perf_counter() - t

        on_file, on_server = [], []
        for i in range(runs):
            on_file.append(import_into(str(fresh_copy(empty_file, tmp, f"team-import{i}.db"))))
            target = cluster.create_database(f"bench_import{i}", template="bench_empty")
            on_server.append(import_into(target))
            cluster.drop_database(f"bench_import{i}")
        figures.append(Figure(f"team store: import of {len(part.read_text().splitlines()) - 1:,} contacts",
                              on_server, "same on the file", on_file, "<= 2.0x", limit_ratio=2.0))  # fmt: skip
        checked = cluster.create_database("bench_checked", template="bench_base")
        notes.append(risk_agrees(checked, "the PostgreSQL copy"))
        figures.append(Figure("team store: `copy` of the whole portfolio from the file to the server (once)", [copied],
                              target="(reported)", unit="ms"))  # fmt: skip
        return figures
    finally:
        remove(cluster)
