"""Pilot: departure and its undo through the contact editor's status field (DOMAIN section 6),
and a new contact that starts not rated."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Select

from stakeworks.cli.launch import make_app
from stakeworks.db.store import Store
from stakeworks.screens.account import AccountScreen
from stakeworks.screens.contact_editor import ContactEditor
from stakeworks.screens.tasks import TasksScreen
from tests.pilot import SIZE, TODAY, account_id, open_northwind, screen_text, select_contact, settle, toast_text


async def _set_status(app, pilot, status: str) -> None:
    """Open the editor on Tom Chen, choose a status, save."""
    select_contact(app.screen, "Tom Chen")
    await pilot.press("e")
    await pilot.pause()
    assert isinstance(app.screen, ContactEditor)
    app.screen.query_one("#status", Select).value = status
    await pilot.pause()
    await pilot.press("ctrl+s")
    await settle(app, pilot)
    assert isinstance(app.screen, AccountScreen)


async def _tasks_screen_text(app, pilot) -> str:
    await pilot.press("k")
    await settle(app, pilot)
    assert isinstance(app.screen, TasksScreen)
    text = screen_text(app)
    await pilot.press("escape")
    await settle(app, pilot)
    return text


async def test_editor_departure_creates_the_playbook_and_back_to_active_cancels_it(sample_copy: Path):
    app = make_app(sample_copy, TODAY)
    nid = account_id(sample_copy, "Northwind")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_northwind(app, pilot)
        await _set_status(app, pilot, "departed")
        assert "Departure playbook created" in toast_text(app)
        text = await _tasks_screen_text(app, pilot)
        assert "Playbook tasks · Northwind · 16 open" in text
        assert "Document all knowledge from the champion" in text and "Tom Chen" in text

        await _set_status(app, pilot, "active")
        assert "open playbook tasks of their departure are cancelled" in toast_text(app)
        text = await _tasks_screen_text(app, pilot)
        assert "Playbook tasks · Northwind · 0 open · 0 overdue" in text
        assert text.count("✗ cancelled") >= 10  # every visible row; none is counted as open
        assert "Tom Chen" in text  # the departed column names them, though they are back
    with Store(sample_copy) as s:
        tasks = s.playbook_tasks(nid)
        assert len(tasks) == 16 and {t.status for t in tasks} == {"cancelled"}
        assert {t.cancelled_on for t in tasks} == {TODAY}
        tom = next(c for c in s.contacts(nid) if c.name == "Tom Chen")
        assert tom.status == "active" and tom.departed_on is None


async def test_a_new_contact_starts_not_rated(sample_copy: Path):
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await open_northwind(app, pilot)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, ContactEditor)
        assert "○○○○○ not rated" in screen_text(app)
        assert app.screen.draft is not None and app.screen.draft.strength is None
        score = app.screen.last.score
        assert score == 66  # a name nobody has met or rated changes nothing
