"""The app on a team store survives its server stopping and starting (issue 34): it says "server
unreachable, retrying", an open editor keeps its text and a save meanwhile is refused with
nothing lost, it reconnects by itself, the same save then lands, and another login's change
after the restart reaches the open app (LISTEN resumed). On a server of this module's own,
which the tests stop and start."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from textual.app import App
from textual.widgets import Input

from stakeworks.cli.launch import make_app
from stakeworks.cli.main import main
from stakeworks.db.store import Store
from stakeworks.domain.errors import ServerUnreachable
from stakeworks.screens.account import AccountScreen
from stakeworks.screens.contact_editor import ContactEditor
from tests.conftest import NORTHWIND_ACCOUNTS, NORTHWIND_CONTACTS, stored
from tests.pgcluster import Cluster
from tests.pilot import SIZE, TODAY, screen_text, select_contact, shows, until

UNREACHABLE = "server unreachable, retrying"


def northwind_store(cluster: Cluster, name: str, tmp_path: Path) -> str:
    url = cluster.create_database(name)
    (tmp_path / "a.csv").write_text(NORTHWIND_ACCOUNTS)
    (tmp_path / "c.csv").write_text(NORTHWIND_CONTACTS)
    assert main(["init", url]) == 0
    assert main(["--db", url, "import", "accounts", str(tmp_path / "a.csv")]) == 0
    assert main(["--db", url, "import", "contacts", str(tmp_path / "c.csv")]) == 0
    return url


def test_a_store_carries_on_over_a_new_connection_once_its_server_is_back(own_cluster: Cluster, tmp_path: Path):
    url = northwind_store(own_cluster, "faults_store", tmp_path)
    with Store(url) as store:
        nid = store.account_names()[0][0]
        before = store.session_id
        own_cluster.stop()
        try:
            with pytest.raises(ServerUnreachable, match="server unreachable"):
                store.set_meta("probe", "while away")  # a write: refused, in one line
            with pytest.raises(ServerUnreachable):
                store.reconnect()
        finally:
            own_cluster.launch()
        store.reconnect()
        assert store.session_id != before  # a new server process serves it
        assert sorted(c.name for c in store.contacts(nid)) == ["Lisa Park", "Sarah Kim", "Tom Chen"]
        store.set_meta("probe", "back")
    assert stored(url, "SELECT value FROM meta WHERE key = 'probe'") == [("back",)]


def test_a_write_after_a_restart_needs_no_reconnect_of_its_own(own_cluster: Cluster, tmp_path: Path):
    """The connection is found broken when the write begins (nothing written yet): renewed there."""
    url = northwind_store(own_cluster, "faults_write", tmp_path)
    with Store(url) as store:
        own_cluster.stop()
        own_cluster.launch()
        store.set_meta("probe", "after the restart")
    assert stored(url, "SELECT value FROM meta WHERE key = 'probe'") == [("after the restart",)]


async def test_the_app_rides_out_a_server_restart_with_the_editors_text_kept(own_cluster: Cluster, tmp_path: Path):
    url = northwind_store(own_cluster, "faults_app", tmp_path)
    with Store(url) as s:
        nid = s.account_names()[0][0]
    app = make_app(url, TODAY)
    # No `settle`: on a server the app's watcher of the team's changes (LISTEN) works until it quits.
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        assert await shows(app, pilot, "Northwind")
        app.push_screen(AccountScreen(nid))
        assert await shows(app, pilot, "Tom Chen")
        screen = app.screen
        assert isinstance(screen, AccountScreen)
        await until(pilot, lambda: _opened_editor_of(screen, "Tom Chen"))
        editor = app.screen
        assert isinstance(editor, ContactEditor)
        await pilot.pause()
        title = editor.query_one("#title", Input)
        title.focus()
        title.value = ""
        await pilot.press(*"SVP Engineering")
        await asyncio.to_thread(own_cluster.stop)
        try:
            await until(pilot, lambda: UNREACHABLE in screen_text(app))  # the editor's header says it
            await pilot.press("ctrl+s")
            await until(pilot, lambda: any("Not saved: server unreachable" in n for n in notices(app)))
            assert app.screen is editor and title.value == "SVP Engineering"  # open, the text kept
            assert "Traceback" not in screen_text(app)
        finally:
            await asyncio.to_thread(own_cluster.launch)
        await until(pilot, lambda: UNREACHABLE not in screen_text(app), seconds=30)  # reconnected by itself
        assert any("The server is back" in n for n in notices(app))
        await pilot.press("ctrl+s")  # the same save, now it lands
        await until(pilot, lambda: app.screen is screen)
        assert stored(url, "SELECT title FROM contacts WHERE name = 'Tom Chen'") == [("SVP Engineering",)]
        # Another login's change after the restart reaches the open account screen (LISTEN resumed).
        await asyncio.to_thread(
            main, ["--db", url, "touch", "Northwind", "Sarah Kim", "--kind", "meeting", "--date", "2026-10-30"]
        )
        await until(pilot, lambda: any(n.startswith("postgres saved") and "touches" in n for n in notices(app)))
        await until(pilot, lambda: screen.view is not None and _last_touch(screen, "Sarah Kim") == "2026-10-30")


def notices(app: App[None]) -> list[str]:
    """The app's notifications (a toast may be gone from the screen on a slow machine)."""
    return [n.message for n in app._notifications]


def _opened_editor_of(screen: AccountScreen, name: str) -> bool:
    """Select `name` on the map and press e; True once their editor is open. The map may be
    drawn again under the test (the portfolio's first load), moving its cursor: then again."""
    app = screen.app
    if isinstance(app.screen, ContactEditor):
        if app.screen.original.name == name:
            return True
        app.pop_screen()
        return False
    if app.screen is screen and screen.view is not None:
        select_contact(screen, name)
        screen.action_edit()  # what `e` does
    return False


def _last_touch(screen: AccountScreen, name: str) -> str:
    assert screen.view is not None
    contact = next(c for c in screen.view.contacts if c.name == name)
    return contact.last_touch.isoformat() if contact.last_touch else ""
