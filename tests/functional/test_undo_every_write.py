"""Pilot tests (issue 31): ctrl+z takes back every kind of write the app makes, newest first,
saying what it undid; and the sponsors screen asks before it assigns."""

from __future__ import annotations

from pathlib import Path

from stakeworks.cli.launch import make_app
from stakeworks.screens.assign_sponsor import AssignSponsor
from stakeworks.screens.depart import DepartScreen
from stakeworks.screens.signals import SignalsScreen
from stakeworks.screens.sponsor_program import SponsorProgramScreen
from stakeworks.screens.sponsors import SponsorsScreen
from stakeworks.widgets.virtual_table import VirtualTable
from tests.conftest import stored
from tests.pilot import SIZE, TODAY, open_northwind, select_contact, settle, shows, toast_text

TABLES = (
    "accounts",
    "contacts",
    "contact_roles",
    "touches",
    "executives",
    "executive_contacts",
    "sponsor_assignments",
    "plan_items",
    "playbook_tasks",
    "sponsor_reviews",
    "signals",
)


def dump_text(db: Path) -> str:
    """What the user's records hold: every table a save can touch, without the version counters an
    undo moves on (and without the score history the app records as it reads)."""
    out = []
    for table in TABLES:
        columns = [c for (c,) in stored(db, f"SELECT name FROM pragma_table_info('{table}')") if c != "version"]
        out.append(repr(stored(db, f"SELECT {', '.join(columns)} FROM {table} ORDER BY 1, 2")))
    return "\n".join(out)


async def _undo(app, pilot) -> str:
    await pilot.press("ctrl+z")
    await settle(app, pilot)
    return toast_text(app)


async def test_a_departure_its_tasks_and_interim_contact_are_undone_newest_first(sample_copy: Path):
    before = dump_text(sample_copy)
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        select_contact(await open_northwind(app, pilot), "Tom Chen")
        await pilot.press("d")
        await settle(app, pilot)
        assert isinstance(app.screen, DepartScreen)
        await pilot.press("enter")  # today
        await settle(app, pilot)
        departed = dump_text(sample_copy)
        await pilot.press("enter")  # the first successor offered: Lisa Park
        await settle(app, pilot)
        assert stored(sample_copy, "SELECT count(*) FROM plan_items WHERE target_label LIKE 'Lisa Park%'") == [(1,)]
        said = await _undo(app, pilot)
        assert "Undone: made Lisa Park the interim contact for Tom Chen (1 more can be undone)" in said
        assert dump_text(sample_copy) == departed
        said = await _undo(app, pilot)
        assert f"Undone: marked Tom Chen departed on {TODAY.isoformat()} (16 playbook tasks)" in said
    assert dump_text(sample_copy) == before


async def test_an_assignment_asks_first_then_is_undone(sample_copy: Path):
    before = dump_text(sample_copy)
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+e")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, SponsorsScreen) and screen.program is not None
        jonah = next(e for e in screen.program.executives if e.name == "Jonah Reed")
        table = screen.query_one("#executives", VirtualTable)
        table.move_cursor(row=table.get_row_index(str(jonah.id)))
        await pilot.press("a")
        await settle(app, pilot)
        assert isinstance(app.screen, AssignSponsor)
        await pilot.press("escape")  # asked, declined: nothing written
        await settle(app, pilot)
        assert dump_text(sample_copy) == before
        await pilot.press("a")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, AssignSponsor)
        second = dialog.candidates[1].account.name  # picked in the dialog, not the one highlighted behind it
        await pilot.press("down", "enter")
        await settle(app, pilot)
        assert stored(sample_copy, "SELECT a.name FROM sponsor_assignments s JOIN accounts a ON a.id = s.account_id "
                                   "WHERE s.executive_id = ? AND s.active = 1", (jonah.id,)) == [(second,)]  # fmt: skip
        assert f"Undone: assigned Jonah Reed to {second}" in await _undo(app, pilot)
    assert dump_text(sample_copy) == before


async def test_an_approval_is_undone(sample_copy: Path):
    before = dump_text(sample_copy)
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+e")
        await settle(app, pilot)
        await pilot.press("o")
        await settle(app, pilot)
        assert isinstance(app.screen, SponsorProgramScreen)
        assert await shows(app, pilot, "nomination · Alex Rivera")
        await pilot.press("y")
        await pilot.pause()
        await pilot.press("y")
        await settle(app, pilot)
        await settle(app, pilot)
        assert "Approved: Hannah Berg now sponsors Northwind." in toast_text(app)
        assert "Undone: approved Hannah Berg now sponsors Northwind" in await _undo(app, pilot)
    assert dump_text(sample_copy) == before


async def test_a_signal_decision_is_undone(sample_copy: Path):
    before = dump_text(sample_copy)
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+l")
        await settle(app, pilot)
        assert isinstance(app.screen, SignalsScreen)
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("y")  # the new title: the contact's title and level change
        await settle(app, pilot)
        assert stored(sample_copy, "SELECT title FROM contacts WHERE name = 'Kofi Lopez'") == [
            ("Director of Operations",)
        ]
        assert "Undone: confirmed the signal about Kofi Lopez" in await _undo(app, pilot)
    assert dump_text(sample_copy) == before


async def test_retiring_an_executive_is_undone(sample_copy: Path):
    before = dump_text(sample_copy)
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+e")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, SponsorsScreen) and screen.program is not None
        ayo = next(e for e in screen.program.executives if e.name == "Ayo Mensah")
        table = screen.query_one("#executives", VirtualTable)
        table.move_cursor(row=table.get_row_index(str(ayo.id)))
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("y")
        await settle(app, pilot)
        assert stored(sample_copy, "SELECT active FROM executives WHERE name = 'Ayo Mensah'") == [(0,)]
        assert "Undone: retired Ayo Mensah" in await _undo(app, pilot)
    assert dump_text(sample_copy) == before
