"""Pilot test of the account's history (issue 17): h on the account screen shows what changed
since a day (the last EBR by default) and every change with who made it; another day typed in
reads it again; a name with markup shows literally."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from stakeworks.cli.launch import make_app
from stakeworks.db.actor import Actor
from stakeworks.db.store import Store
from stakeworks.domain.models import Status
from stakeworks.screens.history import HistoryScreen, default_since
from stakeworks.screens.messages import OpenAccount
from tests.pilot import SIZE, TODAY, screen_text, settle, shows


async def test_h_shows_the_map_since_the_last_ebr_and_who_changed_it(sample_copy: Path):
    with Store(sample_copy) as store:
        store.repos.tx.actor = Actor("Ana [b]Ruiz[/b]", TODAY)
        nid = next(i for i, n in store.account_names() if n == "Northwind")
        lisa = next(c for c in store.contacts(nid) if c.name == "Lisa Park")
        store.save_contact(lisa.model_copy(update={"status": Status.DEPARTED, "departed_on": TODAY}), today=TODAY)
        last_ebr = store.account(nid).last_ebr
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.post_message(OpenAccount(nid))
        await settle(app, pilot)
        await pilot.press("h")
        await settle(app, pilot)
        assert isinstance(app.screen, HistoryScreen)
        assert app.screen.since == default_since(last_ebr, TODAY)
        assert await shows(app, pilot, "Departed: Lisa Park")
        text = screen_text(app)
        assert "Ana [b]Ruiz[/b]" in text  # shown as typed, never as markup
        assert "contact Lisa Park: status 'active' -> 'departed'" in text
        assert "Risk score then:" in text and "Risk score now:" in text
        # A later day: nothing changed since.
        since = app.screen.query_one("#since")
        since.value = date(2026, 12, 1).isoformat()  # type: ignore[attr-defined]
        since.focus()
        await pilot.press("enter")
        assert await shows(app, pilot, "No changes recorded since 2026-12-01")
        assert "Nobody came or went" in screen_text(app)
        await pilot.press("escape")
        await settle(app, pilot)
        assert not isinstance(app.screen, HistoryScreen)
