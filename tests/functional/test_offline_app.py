"""The app on an offline copy of a team store (issue 37): the title bar says where the copy
stands and F5 syncs it, on a real PostgreSQL cluster."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from textual.widgets import ProgressBar

from stakeworks.cli.launch import make_app
from stakeworks.cli.main import main
from tests.conftest import NORTHWIND_ACCOUNTS, NORTHWIND_CONTACTS, stored
from tests.pilot import SIZE, TODAY, settle, shows


def northwind_checked_out(server_db: str, tmp_path: Path) -> Path:
    """Northwind imported into the server, then an offline copy of it checked out."""
    (tmp_path / "a.csv").write_text(NORTHWIND_ACCOUNTS)
    (tmp_path / "c.csv").write_text(NORTHWIND_CONTACTS)
    assert main(["--db", server_db, "import", "accounts", str(tmp_path / "a.csv")]) == 0
    assert main(["--db", server_db, "import", "contacts", str(tmp_path / "c.csv")]) == 0
    copy = tmp_path / "offline.db"
    assert main(["checkout", server_db, str(copy)]) == 0
    return copy


async def test_an_offline_copy_shows_where_it_stands_and_f5_syncs_it(
    server_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    copy = northwind_checked_out(server_db, tmp_path)
    touch = ["--db", str(copy), "touch", "Northwind", "Lisa Park", "--kind", "call", "--date", "2026-10-30"]
    assert main(touch) == 0
    app = make_app(copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert "offline copy of t_" in app.sub_title and "1 change to send" in app.sub_title
        await pilot.press("f5")
        await settle(app, pilot)
        await settle(app, pilot)  # the status is read again after the sync
        assert "last sync just now, 0 changes to send" in app.sub_title
    assert stored(server_db, "SELECT count(*) FROM touches WHERE date = '2026-10-30'") == [(1,)]


async def test_f5_shows_the_syncs_progress_while_the_app_keeps_running(
    server_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    from stakeworks.db import sync

    copy = northwind_checked_out(server_db, tmp_path)
    for who, day in (("Lisa Park", "2026-10-30"), ("Tom Chen", "2026-10-29")):
        assert main(["--db", str(copy), "touch", "Northwind", who, "--kind", "call", "--date", day]) == 0
    # The worker waits once its changes are sent (before the copy's side) until the test has looked.
    looked = threading.Event()
    send = sync._send

    def send_then_wait(*args: object, **kwargs: object) -> object:
        done = send(*args, **kwargs)  # type: ignore[arg-type]
        looked.wait(timeout=120)
        return done

    monkeypatch.setattr(sync, "_send", send_then_wait)
    app = make_app(copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert "2 changes to send" in app.sub_title
        await pilot.press("f5")
        try:
            assert await shows(app, pilot, "Sending your changes: 2 of 2")
            bar = app.screen.query_one("#sync-progress ProgressBar", ProgressBar)
            assert (bar.progress, bar.total) == (2, 2)
            await pilot.press("down")  # the app answers keys while the worker syncs
        finally:
            looked.set()
        await settle(app, pilot)
        await settle(app, pilot)  # the status is read again after the sync
        assert not app.screen.query("#sync-progress")  # the bar goes when the sync is done
        assert "last sync just now, 0 changes to send" in app.sub_title
    assert stored(server_db, "SELECT count(*) FROM touches WHERE date IN ('2026-10-29', '2026-10-30')") == [(2,)]


async def test_f5_on_a_store_that_is_no_offline_copy_says_so(sample_copy: Path):
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert "offline copy" not in app.sub_title
        await pilot.press("f5")
        await pilot.pause()
        assert any("not an offline copy" in str(n.message) for n in app._notifications)
