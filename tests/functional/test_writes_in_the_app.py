"""Writes from the app (issue 19, cases 3, 4 and 13): every write runs in a worker, a held lock
is a message (never a frozen screen or an exit), and a write based on what a screen read
earlier never puts back what another program saved since.

"Another program" is a second SQLite connection to the same file: it holds the write lock
(`BEGIN IMMEDIATE`) or saves a change the way an import would (a new value, the version bumped).
The busy timeout is shortened to 1.5 s so a held lock times out quickly.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input

from stakeworks.cli.launch import make_app
from stakeworks.db import connection
from stakeworks.db.store import Store
from stakeworks.screens.app import StakeworksApp
from stakeworks.screens.contact_editor import ContactEditor
from stakeworks.screens.depart import DepartScreen
from stakeworks.screens.executive_editor import ExecutiveEditor
from stakeworks.screens.plan import PlanScreen
from stakeworks.screens.sponsors import SponsorsScreen
from stakeworks.screens.tasks import TasksScreen
from stakeworks.widgets.virtual_table import VirtualTable
from tests.pilot import SIZE, TODAY, account_id, open_northwind, select_contact, settle, toast_text, until


@pytest.fixture(autouse=True)
def _short_busy_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(connection, "BUSY_TIMEOUT_MS", 1500)


@contextmanager
def lock_held(db: Path) -> Iterator[None]:
    """Another program holding the write lock."""
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


def saved_elsewhere(db: Path, sql: str, *params: object) -> None:
    """Another program saving a change (as an import does: the value, and the version bumped)."""
    other = sqlite3.connect(db)
    other.execute(sql, params)
    other.commit()
    other.close()


def writing(app: StakeworksApp) -> bool:
    return any(w.group == "store-write" and w.is_running for w in app.workers)


async def test_a_held_lock_is_a_message_never_a_frozen_screen_or_an_exit(sample_copy: Path):
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+t")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, TasksScreen)
        table = screen.query_one(DataTable)
        table.move_cursor(row=0)
        first = screen.tasks[0]
        with lock_held(sample_copy):
            await pilot.press("space")
            assert writing(app)  # the tick waits in a worker ...
            await pilot.press("down")
            assert table.cursor_row == 1 and writing(app)  # ... while the screen still answers keys
            await until(pilot, lambda: "waiting for the database" in toast_text(app))
            await until(pilot, lambda: "is locked by another program" in toast_text(app))
        assert app.is_running and isinstance(app.screen, TasksScreen)
    with Store(sample_copy) as s:
        assert not next(t for t in s.playbook_tasks() if t.id == first.id).done  # nothing half-written

    # The plan screen, whose save was not guarded at all: the same message, the app still there.
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_northwind(app, pilot)
        await pilot.press("p")
        await settle(app, pilot)
        plan = app.screen
        assert isinstance(plan, PlanScreen)
        stored = next(i for i, (item, is_proposed) in enumerate(plan.rows) if not is_proposed and item.status == "open")
        item = plan.rows[stored][0]
        plan.query_one(DataTable).move_cursor(row=stored)
        with lock_held(sample_copy):
            await pilot.press("x")
            assert writing(app)
            await until(pilot, lambda: "is locked by another program" in toast_text(app))
        assert app.is_running and isinstance(app.screen, PlanScreen)
        await pilot.press("x")  # the lock is free again: the same key now saves
        await settle(app, pilot)
    with Store(sample_copy) as s:
        assert next(p for p in s.plan_items(item.account_id) if p.id == item.id).status == "done"


async def test_a_second_save_in_the_contact_editor_keeps_what_was_saved_elsewhere(sample_copy: Path):
    nid = account_id(sample_copy, "Northwind")
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_northwind(app, pilot)
        select_contact(screen, "Tom Chen")
        await pilot.press("e")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, ContactEditor)
        editor.query_one("#title", Input).value = "SVP Engineering"
        await pilot.pause()
        saved_elsewhere(sample_copy, "UPDATE contacts SET department = 'Platform', version = version + 1 "
                        "WHERE name = 'Tom Chen'")  # fmt: skip
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "changed elsewhere" in toast_text(app))
        assert "department 'Engineering' → 'Platform'" in toast_text(app)
        assert isinstance(app.screen, ContactEditor)
        assert editor.query_one("#department", Input).value == "Platform"  # their change, shown
        assert editor.query_one("#title", Input).value == "SVP Engineering"  # yours, kept
        await pilot.press("ctrl+s")
        await until(pilot, lambda: not isinstance(app.screen, ContactEditor))
    with Store(sample_copy) as s:
        tom = next(c for c in s.contacts(nid) if c.name == "Tom Chen")
    assert (tom.title, tom.department) == ("SVP Engineering", "Platform")


async def test_departed_on_an_open_account_merges_onto_what_changed_elsewhere(sample_copy: Path):
    """An import changed Lisa's department after the screen loaded: `d` goes through on top of it
    (only status and date are written), and the dialog says what changed meanwhile (issue 35)."""
    nid = account_id(sample_copy, "Northwind")
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_northwind(app, pilot)
        select_contact(screen, "Lisa Park")
        saved_elsewhere(sample_copy, "UPDATE contacts SET department = 'Platform', version = version + 1 "
                        "WHERE name = 'Lisa Park'")  # fmt: skip
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, DepartScreen)
        await pilot.press("enter")
        await until(pilot, lambda: "marked departed" in str(app.screen.query_one("#message").render()))
        shown = str(app.screen.query_one("#message").render())
        assert "Changed elsewhere meanwhile, and kept: department 'Engineering' → 'Platform'" in shown
    with Store(sample_copy) as s:
        lisa = next(c for c in s.contacts(nid) if c.name == "Lisa Park")
    assert (lisa.department, lisa.status, lisa.departed_on) == ("Platform", "departed", TODAY)


async def test_departed_after_a_departure_elsewhere_is_refused_saying_so(sample_copy: Path):
    """The other change was to the departure itself (another date): refused, never overwritten."""
    nid = account_id(sample_copy, "Northwind")
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_northwind(app, pilot)
        select_contact(screen, "Lisa Park")
        saved_elsewhere(sample_copy, "UPDATE contacts SET status = 'departed', departed_on = '2026-10-15', "
                        "version = version + 1 WHERE name = 'Lisa Park'")  # fmt: skip
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("enter")
        await until(pilot, lambda: "changed elsewhere" in str(app.screen.query_one("#message").render()))
        shown = str(app.screen.query_one("#message").render())
        assert "status 'active' → 'departed'" in shown and "departed on (blank) → 2026-10-15" in shown
        assert "nothing was saved" in shown
    with Store(sample_copy) as s:
        lisa = next(c for c in s.contacts(nid) if c.name == "Lisa Park")
    assert (lisa.status, lisa.departed_on) == ("departed", date(2026, 10, 15))


async def test_a_departure_dated_at_the_calendars_end_is_a_message(sample_copy: Path):
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_northwind(app, pilot)
        select_contact(screen, "Tom Chen")
        await pilot.press("d")
        await pilot.pause()
        app.screen.query_one("#date", Input).value = "9999-12-31"
        await pilot.press("enter")
        await until(pilot, lambda: "out of range" in str(app.screen.query_one("#message").render()))
        assert app.is_running and isinstance(app.screen, DepartScreen)


async def test_executive_edits_and_retire_never_write_back_a_stale_copy(sample_copy: Path):
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+e")
        await settle(app, pilot)
        sponsors = app.screen
        assert isinstance(sponsors, SponsorsScreen)
        marta = next(e for e in sponsors.program.executives if e.name == "Marta Ilves")  # type: ignore[union-attr]
        table = sponsors.query_one("#executives", VirtualTable)
        table.move_cursor(row=table.get_row_index(str(marta.id)))
        # The editor: their new title arrives while you change the region.
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ExecutiveEditor)
        app.screen.query_one("#region", Input).value = "Nordics"
        saved_elsewhere(
            sample_copy, "UPDATE executives SET title = 'Chief Customer Officer' WHERE name = 'Marta Ilves'"
        )
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "changed elsewhere" in str(app.screen.query_one("#error").render()))
        assert app.screen.query_one("#title", Input).value == "Chief Customer Officer"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, SponsorsScreen))
        await settle(app, pilot)
        # Retire on the open screen after a capacity change elsewhere: refused, saying what changed.
        saved_elsewhere(sample_copy, "UPDATE executives SET exception_reason = 'sales lead, two more', capacity = 5 "
                        "WHERE name = 'Marta Ilves'")  # fmt: skip
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("y")  # the question: retire, yes
        await until(pilot, lambda: "Not retired" in toast_text(app))
        assert "capacity 4 → 5" in toast_text(app)
    with Store(sample_copy) as s:
        marta = next(e for e in s.executives(include_retired=True) if e.name == "Marta Ilves")
    assert (marta.title, marta.region, marta.capacity, marta.active) == ("Chief Customer Officer", "Nordics", 5, True)


async def test_a_second_save_in_the_account_editor_keeps_what_was_saved_elsewhere(sample_copy: Path):
    nid = account_id(sample_copy, "Northwind")
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_northwind(app, pilot)
        await pilot.press("E")
        await settle(app, pilot)
        editor = app.screen
        editor.query_one("#csm", Input).value = "Mine"
        await pilot.pause()
        saved_elsewhere(
            sample_copy, "UPDATE accounts SET industry = 'Logistics', version = version + 1 WHERE id = ?", nid
        )
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "changed elsewhere" in toast_text(app))
        assert "industry 'software' → 'Logistics'" in toast_text(app)
        assert editor.query_one("#industry", Input).value == "Logistics"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: editor is not app.screen)
    with Store(sample_copy) as s:
        account = s.account(nid)
    assert (account.csm, account.industry) == ("Mine", "Logistics")


async def test_an_editor_saving_under_a_held_lock_stays_live_and_shows_names_as_text(sample_copy: Path):
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_northwind(app, pilot)
        select_contact(screen, "Tom Chen")
        await pilot.press("e")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, ContactEditor)
        editor.query_one("#name", Input).value = "Tom [b]Chen[/"
        await pilot.pause()
        with lock_held(sample_copy):
            await pilot.press("ctrl+s")
            assert writing(app)
            await until(pilot, lambda: "Saving Tom [b]Chen[/: waiting for the database" in toast_text(app))
            await until(pilot, lambda: "is locked by another program" in toast_text(app))
        assert app.is_running and app.screen is editor  # still editing, nothing lost
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.screen is not editor)
    with Store(sample_copy) as s:
        assert any(c.name == "Tom [b]Chen[/" for c in s.contacts(account_id(sample_copy, "Northwind")))
