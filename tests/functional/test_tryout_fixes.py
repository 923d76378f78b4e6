"""Pilot: what a first-week user hit at 80x24 (issue: try the app as a new user)."""

from __future__ import annotations

import re
from pathlib import Path

from stakeworks.cli.launch import make_app
from stakeworks.screens.contact_editor import ContactEditor
from stakeworks.screens.depart import DepartScreen
from stakeworks.screens.sponsor_program import SponsorProgramScreen
from stakeworks.screens.sponsors import SponsorsScreen
from stakeworks.widgets.strength_input import StrengthInput
from stakeworks.widgets.virtual_table import VirtualTable
from tests.pilot import SIZE, TODAY, open_northwind, screen_text, select_contact, settle, shows


async def test_the_departure_dialog_shows_its_whole_hint_at_80_columns(sample_copy: Path):
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        select_contact(await open_northwind(app, pilot), "Tom Chen")
        await pilot.press("d")
        await settle(app, pilot)
        assert isinstance(app.screen, DepartScreen)
        words = [w for w in screen_text(app).split() if w != "█"]  # the hint may wrap inside the border
        text = " ".join(words)
        assert "or 2026-03-31); enter to confirm" in text


async def test_the_contact_editor_hints_are_whole_at_80_columns(sample_copy: Path):
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        select_contact(await open_northwind(app, pilot), "Tom Chen")
        await pilot.press("e")
        await settle(app, pilot)
        assert isinstance(app.screen, ContactEditor)
        app.screen.query_one(StrengthInput).scroll_visible(animate=False)
        await settle(app, pilot)
        form = [line[:39] for line in screen_text(app).splitlines()]  # the left half; the live panel beside it
        text = " ".join(w for w in " ".join(form).split() if not set(w) <= set("▁▂▃▄▅▆▇█"))  # no scrollbar
        assert "0 not rated, ←/→)" in text
        assert "Roles: space ticks or unticks; several allowed" in text


async def _open_count(app, pilot, pattern: str) -> int:
    await settle(app, pilot)
    found = re.search(pattern, screen_text(app))
    assert found, screen_text(app)
    return int(found.group(1))


async def test_undo_on_the_all_accounts_tasks_screen_shows_the_task_open_again(sample_copy: Path):
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+t")
        before = await _open_count(app, pilot, r"all accounts · (\d+) open")
        await pilot.press("space")  # ticks the first task, an open one
        assert await _open_count(app, pilot, r"all accounts · (\d+) open") == before - 1
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert await _open_count(app, pilot, r"all accounts · (\d+) open") == before


async def test_undo_on_the_signals_screen_lists_the_signal_again(sample_copy: Path):
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+l")
        before = await _open_count(app, pilot, r"(\d+) signals?,")
        await pilot.press("c")
        await settle(app, pilot)
        await pilot.press("y")
        assert await _open_count(app, pilot, r"(\d+) signals?,") == before - 1
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert await _open_count(app, pilot, r"(\d+) signals?,") == before


async def test_undo_on_the_sponsors_screen_shows_the_load_as_it_was(sample_copy: Path):
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+e")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, SponsorsScreen) and screen.program is not None
        jonah = str(next(e.id for e in screen.program.executives if e.name == "Jonah Reed"))
        table = screen.query_one("#executives", VirtualTable)
        table.move_cursor(row=table.get_row_index(jonah))
        await pilot.press("a")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert "1/3" in str(screen.query_one("#executives", VirtualTable).get_row(jonah)[1])
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        await settle(app, pilot)
        assert "0/3" in str(screen.query_one("#executives", VirtualTable).get_row(jonah)[1])


async def test_undo_on_the_owners_review_puts_the_nomination_back(sample_copy: Path):
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+e", "o")  # the owner's review, over the sponsors screen
        await settle(app, pilot)
        assert isinstance(app.screen, SponsorProgramScreen)
        assert await shows(app, pilot, "1 waiting")
        await pilot.press("y")
        await pilot.pause()
        await pilot.press("y")  # approve Hannah Berg for Northwind
        await settle(app, pilot)
        assert await shows(app, pilot, "0 waiting")
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert await shows(app, pilot, "1 waiting"), screen_text(app)
