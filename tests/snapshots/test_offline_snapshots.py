"""Pictures of an offline copy (issue 37) at 80x24 and 120x40: the title bar saying where it
stands and the conflicts screen (F6) with a conflict side by side and a refused change kept
aside. The copy is made here from sample.db with the checkout's own tables, so no server runs;
its last sync is two hours before the picture."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from stakeworks.cli.launch import make_app
from stakeworks.db import interchange
from stakeworks.db.offline import FILE_TABLES, index, schema_of, write_base
from stakeworks.db.store import Store
from tests.pilot import TODAY, settle, still

SIZES = {"80x24": (80, 24), "120x40": (120, 40)}


def offline_copy(path: Path) -> Path:
    """sample.db as a checkout of a team store synced two hours ago, with one conflict and one
    refused change."""
    synced = (datetime.now(UTC) - timedelta(hours=2, minutes=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    with Store(path, create=False) as store, store.transaction() as c:
        for statement in FILE_TABLES.split(";"):
            if statement.strip():
                c.execute(statement)
        c.execute(
            "INSERT INTO offline_checkout (one, server, checkout_id, checked_out_at, last_sync_at) "
            "VALUES (1, 'postgresql://dana@db.example/team', 'c1', ?, ?)",
            (synced, synced),
        )
        write_base(c, index(interchange.dump(store)["tables"], schema_of(store)))
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute(
            "INSERT INTO offline_conflicts (tbl, key, field, record, mine, theirs, mine_by, mine_at, theirs_by, "
            "theirs_at) VALUES ('contacts', '[1]', 'department', 'contact Tom Chen', ?, ?, 'Dana Ruiz', "
            "'2026-10-31T09:00:00Z', 'Alex Rivera', '2026-10-31T10:00:00Z')",
            (json.dumps("Platform"), json.dumps("Infrastructure")),
        )
        conn.execute(
            "INSERT INTO offline_parked (tbl, key, kind, fields, record, reason) VALUES ('sponsor_assignments', "
            "'[99]', 'insert', '{}', 'sponsor assignment (executive Ada Brook, account Fabrikam)', "
            "'sponsor over capacity')"
        )
    return path


@pytest.mark.parametrize("size", SIZES)
def test_the_conflicts_screen(snap_compare, sample_copy: Path, size: str) -> None:
    app = make_app(offline_copy(sample_copy), TODAY)

    async def run_before(pilot) -> None:
        await settle(app, pilot)
        await pilot.press("f6")
        await settle(app, pilot)
        await still(app, pilot)

    assert snap_compare(app, terminal_size=SIZES[size], run_before=run_before)


async def test_taking_theirs_on_the_conflicts_screen_puts_it_in_the_copy(sample_copy: Path) -> None:
    app = make_app(offline_copy(sample_copy), TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert "offline copy of team@db.example, last sync 2 h ago, 0 changes to send, 1 conflict, 1 refused" in (
            app.sub_title
        )
        await pilot.press("f6")
        await settle(app, pilot)
        await pilot.press("t")
        await settle(app, pilot)
        await settle(app, pilot)
    with closing(sqlite3.connect(sample_copy)) as conn:
        assert conn.execute("SELECT department FROM contacts WHERE id = 1").fetchone() == ("Infrastructure",)
        assert conn.execute("SELECT count(*) FROM offline_conflicts").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM offline_parked").fetchone() == (1,)
