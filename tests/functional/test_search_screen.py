"""The search screen while the index is still being built."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from stakeworks.cli.launch import make_app
from stakeworks.screens.account import AccountScreen
from stakeworks.screens.contact_editor import ContactEditor
from stakeworks.widgets.portfolio_table import PortfolioTable
from tests.pilot import SIZE, TODAY, HeldSearchIndex, account_id, screen_text, select_contact, settle, until


async def test_an_edit_saved_while_the_index_builds_is_indexed(sample_copy: Path, monkeypatch: pytest.MonkeyPatch):
    held = HeldSearchIndex(monkeypatch)  # the index is read before the edit and delivered after it
    app = make_app(sample_copy, TODAY)
    nid = account_id(sample_copy, "Northwind")
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: held.read.is_set() and app.screen.query_one(PortfolioTable).row_count == 40)
        await pilot.press("down")  # from the filter into the list
        table = app.screen.query_one(PortfolioTable)
        table.move_cursor(row=table.get_row_index(str(nid)))
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, AccountScreen) and app.screen.view is not None)
        account = app.screen
        assert isinstance(account, AccountScreen)
        select_contact(account, "Tom Chen")
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, ContactEditor))
        app.screen.query_one("#name", Input).value = "Zed Quill"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.screen is account)
        # Every worker but the held index build has finished: the edit's refresh came first.
        await until(pilot, lambda: all(w.is_finished for w in app.workers if w.group != "portfolio"))
        assert app.session.search_index is None
        held.release()
        await settle(app, pilot)
        assert app.session.search_index is not None
        assert app.session.search_index.search("zed quill", limit=1)[0].entry.label == "Zed Quill"
        await pilot.press("ctrl+f")
        await pilot.pause()
        await pilot.press(*"zed quill")
        await pilot.pause()
        assert "Zed Quill" in screen_text(app)
