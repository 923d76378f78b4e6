"""Pilot tests: touches dated ahead ask first, saves are undoable, custom plan items, cadence and
tasks filtered by CSM and account, Enter opens the account, the interim contact is shown, lapsed
renewals stay in the renewal filter. Keys in; what the screen shows and the store holds out."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from textual.widgets import DataTable

from stakeworks.cli.launch import make_app
from stakeworks.db.store import Store
from stakeworks.screens.account import AccountScreen
from stakeworks.screens.cadence import CadenceScreen
from stakeworks.screens.contact_editor import ContactEditor
from stakeworks.screens.dialogs import Confirm
from stakeworks.screens.log_touch import LogTouchScreen
from stakeworks.screens.plan import PlanScreen
from stakeworks.screens.plan_item_editor import PlanItemEditor
from stakeworks.screens.tasks import TasksScreen
from stakeworks.screens.triage import TriageScreen
from stakeworks.widgets.portfolio_table import PortfolioTable
from stakeworks.widgets.virtual_table import VirtualTable
from tests.pilot import SIZE, TODAY, account_id, open_northwind, screen_text, select_contact, settle, shows, toast_text


def northwind_contact(path: Path, name: str):
    with Store(path) as s:
        return next(c for c in s.contacts(account_id(path, "Northwind")) if c.name == name)


def shown(app: object, selector: str) -> str:
    return " ".join(str(app.screen.query_one(selector).render()).split())  # type: ignore[attr-defined]


async def test_a_touch_dated_in_the_future_asks_first(sample_copy: Path):
    tom = northwind_contact(sample_copy, "Tom Chen")
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        select_contact(await open_northwind(app, pilot), "Tom Chen")
        await pilot.press("t")
        await settle(app, pilot)
        assert isinstance(app.screen, LogTouchScreen)
        app.screen.query_one("#date").focus()
        await pilot.press("ctrl+u", *"2030-01-01", "ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, Confirm)
        text = screen_text(app)
        assert "That date is in the future" in text and "2030-01-01 is 1,157 days after today" in text
        await pilot.press("n")  # change the date: back in the dialog, nothing written
        await settle(app, pilot)
        assert isinstance(app.screen, LogTouchScreen)
        assert northwind_contact(sample_copy, "Tom Chen").last_touch == tom.last_touch
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        await pilot.press("y")  # log it anyway
        await settle(app, pilot)
        assert isinstance(app.screen, AccountScreen)
    assert northwind_contact(sample_copy, "Tom Chen").last_touch == date(2030, 1, 1)


async def test_a_logged_touch_and_a_contact_save_are_undone_newest_first(sample_copy: Path):
    tom = northwind_contact(sample_copy, "Tom Chen")
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        select_contact(await open_northwind(app, pilot), "Tom Chen")
        await pilot.press("t")
        await settle(app, pilot)
        await pilot.press(*"Coffee", "enter")  # today, a call
        await settle(app, pilot)
        assert northwind_contact(sample_copy, "Tom Chen").last_touch == TODAY
        await pilot.press("e")
        await settle(app, pilot)
        assert isinstance(app.screen, ContactEditor)
        await pilot.press(*" Jr", "ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, AccountScreen) and "Saved Tom Chen Jr" in toast_text(app)
        assert northwind_contact(sample_copy, "Tom Chen Jr").id == tom.id
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert "Undone: saved Tom Chen Jr (1 more can be undone)" in toast_text(app)
        assert northwind_contact(sample_copy, "Tom Chen").last_touch == TODAY
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert "Undone: logged a call with Tom Chen" in toast_text(app)
    assert northwind_contact(sample_copy, "Tom Chen").last_touch == tom.last_touch


async def test_a_plan_item_of_ones_own_for_someone_not_in_the_map_then_edited(sample_copy: Path):
    nid = account_id(sample_copy, "Northwind")
    with Store(sample_copy) as s:
        before = len(s.plan_items(nid))
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_northwind(app, pilot)
        await pilot.press("p")
        await settle(app, pilot)
        assert isinstance(app.screen, PlanScreen)
        await pilot.press("n")
        await settle(app, pilot)
        editor = app.screen
        assert isinstance(editor, PlanItemEditor)
        await pilot.press("ctrl+s")  # nothing typed: each missing part is named
        await pilot.pause()
        assert shown(app, "#error-target") == "Target: pick a contact, or name the role (e.g. CTO, name unknown)"
        assert shown(app, "#error-first_action") == "First action: what is the next step?"
        editor.query_one("#target_label").focus()
        await pilot.press(*"Head of Procurement (name unknown)")
        editor.query_one("#first_action").focus()
        await pilot.press(*"Ask Tom who runs procurement")
        editor.query_one("#due_date").focus()
        await pilot.press(*"31/12")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert shown(app, "#error-due_date") == "Due: '31/12' is not a date (use YYYY-MM-DD)"
        await pilot.press("ctrl+u", *"+30", "ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, PlanScreen)
        assert await shows(app, pilot, "Head of Procurement (name unknown)")  # the plan's table, refilled
        with Store(sample_copy) as s:
            items = s.plan_items(nid)
            assert len(items) == before + 1
            mine = items[-1]
            assert (mine.target_contact_id, mine.target_label, mine.first_action, mine.due_date, mine.source) == (
                None, "Head of Procurement (name unknown)", "Ask Tom who runs procurement", date(2026, 12, 1), ""
            )  # fmt: skip
        # edit it: the target becomes a mapped contact, the status done
        table = app.screen.query_one(DataTable)
        table.move_cursor(row=before)
        await pilot.press("e")
        await settle(app, pilot)
        editor = app.screen
        assert isinstance(editor, PlanItemEditor)
        sarah = northwind_contact(sample_copy, "Sarah Kim")
        editor.query_one("#target").value = sarah.id  # type: ignore[attr-defined]
        editor.query_one("#status").value = "done"  # type: ignore[attr-defined]
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        with Store(sample_copy) as s:
            mine = s.plan_items(nid)[-1]
            assert (mine.target_contact_id, mine.target_label, mine.status) == (sarah.id, "Sarah Kim (CFO)", "done")
        await pilot.press("ctrl+z")
        await settle(app, pilot)
    with Store(sample_copy) as s:
        mine = s.plan_items(nid)[-1]
        assert (mine.target_contact_id, mine.status) == (None, "open")


async def test_cadence_filters_by_csm_and_account_and_enter_opens_the_account(sample_copy: Path):
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+w")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, CadenceScreen)
        everyone = len(screen.items)
        with Store(sample_copy) as s:
            csm_of = {a.id: a.csm for a in s.account_rows()}
        await pilot.press("f", "enter", "down", "enter")  # the first CSM in the list
        await settle(app, pilot)
        csm = sorted(set(csm_of.values()))[0]
        assert 0 < len(screen.items) < everyone
        assert all(csm_of[i.account_id] == csm for i in screen.items)
        assert f"CSM {csm}" in screen_text(app)
        screen.query_one("#scope-account").focus()
        await pilot.press(*"ridge")
        await settle(app, pilot)
        assert screen.items and all(i.account == "Ridge Systems" for i in screen.items)
        first = screen.items[0]
        screen.query_one(VirtualTable).focus()
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, AccountScreen) and app.screen.account_id == first.account_id


async def test_tasks_filter_open_the_account_and_show_the_interim_contact(sample_copy: Path):
    nid = account_id(sample_copy, "Northwind")
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        select_contact(await open_northwind(app, pilot), "Tom Chen")
        await pilot.press("d")
        await settle(app, pilot)
        await pilot.press("enter")  # departed today: the champion playbook
        await settle(app, pilot)
        await pilot.press("enter")  # the first suggested successor is the interim contact
        await settle(app, pilot)
        assert isinstance(app.screen, AccountScreen)
        assert "Interim contact: Lisa Park (standing in for Tom Chen, departed)" in screen_text(app)
        await pilot.press("ctrl+t")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, TasksScreen)
        assert "interim: Lisa Park for Tom Chen" in screen_text(app)
        assert {t.account_id for t in screen.tasks} != {nid}
        screen.query_one("#scope-account").focus()
        await pilot.press(*"north")
        await settle(app, pilot)
        assert screen.tasks and {t.account_id for t in screen.tasks} == {nid}
        assert "Identify an interim contact → Lisa Park" in screen_text(app)
        screen.query_one(DataTable).focus()
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, AccountScreen) and app.screen.account_id == nid
        assert app.screen.selected_contact().name == "Tom Chen"


async def test_lapsed_renewals_stay_in_the_renewal_filter(sample_copy: Path):
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        lapsed = [s for s in app.session.summaries.values() if s.renewal_date and s.renewal_date < TODAY]
        assert lapsed
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        assert isinstance(app.screen, TriageScreen)
        app.screen.query_one("#within").focus()
        await pilot.press(*"90")
        await settle(app, pilot)
        table = app.screen.query_one(PortfolioTable)
        for s in lapsed:
            assert table.get_row_index(str(s.id)) is not None, s.name
