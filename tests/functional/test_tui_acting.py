"""Pilot tests: departure with playbook and interim pick, tasks, cadence touch, plan accept."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable

from stakeworks.cli.launch import make_app
from stakeworks.db.store import Store
from stakeworks.screens.account import AccountScreen
from stakeworks.screens.cadence import CadenceScreen
from stakeworks.screens.depart import DepartScreen
from stakeworks.screens.plan import PlanScreen
from stakeworks.screens.tasks import TasksScreen
from stakeworks.widgets.virtual_table import VirtualTable
from tests.pilot import SIZE, TODAY, account_id, open_account, open_northwind, screen_text, select_contact, settle


async def test_mark_departure_creates_playbook_and_picks_interim(sample_copy: Path):
    app = make_app(sample_copy, TODAY)
    nid = account_id(sample_copy, "Northwind")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_northwind(app, pilot)
        select_contact(screen, "Tom Chen")
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, DepartScreen)
        await pilot.press("enter")  # today's date
        await pilot.pause()
        text = screen_text(app)
        assert "Departure playbook: 16 new tasks" in text
        assert -1 < text.find("Lisa Park  same department") < text.find("Sarah Kim  Finance")  # Lisa first
        await pilot.press("enter")  # pick Lisa
        await settle(app, pilot)
        assert isinstance(app.screen, AccountScreen)
        assert "Risk score 96 / 100 " in screen_text(app)
    with Store(sample_copy) as s:
        tasks = [t for t in s.playbook_tasks(nid) if t.kind == "task"]
        assert len(tasks) == 8
        assert next(t for t in tasks if t.action == "Identify an interim contact").done
        assert any("Lisa Park" in p.target_label for p in s.plan_items(nid))


async def test_tick_a_task(sample_copy: Path):
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+t")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, TasksScreen)
        first = screen.tasks[0]
        lines = screen_text(app).splitlines()
        header = next(i for i, line in enumerate(lines) if line.lstrip().startswith("State"))
        assert "overdue" in lines[header + 1]  # open (overdue) tasks first, not done ones
        screen.query_one(DataTable).move_cursor(row=0)
        await pilot.press("space")
        await settle(app, pilot)
    with Store(sample_copy) as s:
        assert next(t for t in s.playbook_tasks() if t.id == first.id).done


async def test_log_touch_from_cadence(sample_copy: Path):
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+w")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, CadenceScreen)
        first = screen.items[0]
        top_row = next(line for line in screen_text(app).splitlines() if first.name in line)
        assert "overdue" in top_row  # the most urgent contact is shown first, overdue
        screen.query_one(VirtualTable).move_cursor(0)
        await pilot.press("t")
        await pilot.pause()
        await pilot.press(*"caught up", "enter")
        await settle(app, pilot)
        await settle(app, pilot)
        assert all(i.contact_id != first.contact_id for i in screen.items)
    with Store(sample_copy) as s:
        assert s.contact(first.contact_id).last_touch == TODAY


async def test_accept_proposed_plan_item(sample_copy: Path):
    app = make_app(sample_copy, TODAY)
    nid = account_id(sample_copy, "Kestrel Outdoor")  # Northwind's plan already holds what it would propose
    with Store(sample_copy) as s:
        before = len(s.plan_items(nid))
    async with app.run_test(size=SIZE) as pilot:
        await open_account(app, pilot, "Kestrel Outdoor")
        await pilot.press("p")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, PlanScreen)
        proposed = [i for i, (_, is_proposed) in enumerate(screen.rows) if is_proposed]
        assert proposed
        target = screen.rows[proposed[0]][0].target_label
        screen.query_one(DataTable).move_cursor(row=proposed[0])
        await pilot.press("a")
        await settle(app, pilot)
    with Store(sample_copy) as s:
        items = s.plan_items(nid)
        assert len(items) == before + 1 and items[-1].target_label == target
