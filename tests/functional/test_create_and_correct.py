"""Pilot tests: starting from an empty store, creating and editing accounts, deleting with a
confirmation, and ctrl+z. Keys in; what the screen shows and what the store holds out."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from pathlib import Path

from textual.widgets import DataTable

from stakeworks.cli.launch import make_app
from stakeworks.db.store import Store
from stakeworks.screens.account import AccountScreen
from stakeworks.screens.account_editor import AccountEditor
from stakeworks.screens.dialogs import Confirm, UnsavedChanges
from stakeworks.screens.home import HomeScreen
from stakeworks.widgets.portfolio_table import PortfolioTable
from tests.pilot import (
    SIZE,
    TODAY,
    account_id,
    open_account,
    open_northwind,
    screen_text,
    select_contact,
    settle,
    toast_text,
)


def shown(app: object, selector: str) -> str:
    """The words one widget of the current screen shows, unwrapped."""
    return " ".join(str(app.screen.query_one(selector).render()).split())  # type: ignore[attr-defined]


def behind_toasts(app: object) -> str:
    """The screen without the notifications over it."""
    return "\n".join(line.split("▌", 1)[0] for line in screen_text(app).splitlines())  # type: ignore[arg-type]


def accounts_in(path: Path) -> list[str]:
    with Store(path) as s:
        return [n for _, n in s.account_names()]


async def test_empty_store_says_what_to_do_and_n_creates_the_first_account(tmp_path: Path):
    db = tmp_path / "new.db"
    app = make_app(db, TODAY)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(app, pilot)
        text = screen_text(app)
        assert "No accounts yet" in text
        for words in ("n  New account", "i  Import CSV", "d  Open the demo", "ctrl+n"):
            assert words in text, words
        footer = text.splitlines()[-1]
        assert "⏎ Open " not in footer and "s Sort" not in footer  # nothing to open or sort yet
        assert "n New account" in footer and "^q Quit" in footer
        await pilot.press("n")
        await settle(app, pilot)
        assert isinstance(app.screen, AccountEditor)
        await pilot.press(*"Acme Corp", "tab", *"240k", "tab", "tab", *"2027-01-15", "tab", *"Dana")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, AccountScreen)
        assert "Acme Corp" in screen_text(app) and "Created account Acme Corp" in toast_text(app)
    with Store(db) as s:
        (acme,) = s.accounts()
        assert (acme.name, acme.arr, acme.renewal_date, acme.csm) == ("Acme Corp", 240_000, date(2027, 1, 15), "Dana")


async def test_new_account_from_ctrl_n_is_listed_on_home_and_ctrl_z_takes_it_back(sample_copy: Path):
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        assert "New account" in screen_text(app)  # the key is in the footer
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        await pilot.press(*"Zephyr Labs", "ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, AccountScreen)
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        assert "41 of 41 accounts" in screen_text(app) and "Zephyr Labs" in screen_text(app)
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert "40 of 40 accounts" in screen_text(app) and "Zephyr Labs" not in behind_toasts(app)
        assert "Undone: Created account Zephyr Labs" in toast_text(app)
    assert "Zephyr Labs" not in accounts_in(sample_copy)


async def test_invalid_fields_say_which_and_why_and_nothing_is_written(sample_copy: Path):
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        await pilot.press(*"Bad Co", "tab", *"12x", "tab", "backspace", "tab", *"2027-02-30")
        await pilot.pause()
        assert shown(app, "#error-arr") == "ARR: '12x' is not an amount (for example 240000, 240k or 1.2M)"
        assert shown(app, "#error-currency") == "Currency must be a three-letter code, such as EUR or USD"
        assert shown(app, "#error-renewal_date") == "Renewal date: '2027-02-30' is not a real day of the calendar"
        assert "ARR: '12x'" in screen_text(app)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, AccountEditor)
        assert "Not saved. ARR: '12x' is not an amount" in toast_text(app)
        await pilot.press("escape")  # unsaved: it asks
        await pilot.pause()
        assert isinstance(app.screen, UnsavedChanges) and "Unsaved changes" in screen_text(app)
        await pilot.press("d")
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
    assert "Bad Co" not in accounts_in(sample_copy)


async def test_a_name_already_taken_is_refused(sample_copy: Path):
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        await pilot.press(*"northwind", "ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, AccountEditor)
        assert shown(app, "#error-name") == "Name: an account called Northwind already exists"
        assert "Not saved. Name: an account called Northwind already exists" in toast_text(app)
    assert accounts_in(sample_copy).count("Northwind") == 1 and len(accounts_in(sample_copy)) == 40


async def test_edit_account_renewal_recalculates_live_then_saves_and_undo_restores(sample_copy: Path):
    nid = account_id(sample_copy, "Lumen Health")
    with Store(sample_copy) as s:
        before = s.account(nid)
    soon = TODAY + timedelta(days=30)
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_account(app, pilot, "Lumen Health")
        assert screen.view is not None and screen.view.assessment.score == 42
        await pilot.press("E")
        await settle(app, pilot)
        editor = app.screen
        assert isinstance(editor, AccountEditor)
        assert editor.query_one("#name").value == "Lumen Health"  # type: ignore[attr-defined]
        editor.query_one("#renewal_date").focus()
        await pilot.press("ctrl+u", *soon.isoformat())  # ctrl+u clears the field before the cursor
        await pilot.pause()
        live = shown(app, "#renewal-note")
        # Nobody with budget authority touched in 90 days: the renewal factor fires before saving.
        assert "renewal in 30 days, inside the 90-day window · risk score 42 → 72 / 100 (+30)" in live
        assert "+ Renewal near, buyer not met: " in live
        with Store(sample_copy) as s:
            assert s.account(nid).renewal_date == before.renewal_date  # nothing written yet
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, AccountScreen)
        assert app.screen.view.assessment.score == 72  # type: ignore[union-attr]
        with Store(sample_copy) as s:
            assert s.account(nid).renewal_date == soon
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert app.screen.view.assessment.score == 42  # type: ignore[union-attr]
    with Store(sample_copy) as s:
        assert s.account(nid).renewal_date == before.renewal_date


async def test_account_save_over_a_change_made_elsewhere_is_refused_first(sample_copy: Path):
    nid = account_id(sample_copy, "Northwind")
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_northwind(app, pilot)
        await pilot.press("E")
        await settle(app, pilot)
        app.screen.query_one("#csm").focus()
        await pilot.press("ctrl+u", *"Mine")
        with sqlite3.connect(sample_copy) as other:  # another program writes the account meanwhile
            other.execute("UPDATE accounts SET csm = 'Theirs', version = version + 1 WHERE id = ?", (nid,))
        other.close()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, AccountEditor)
        assert "changed elsewhere since you opened it" in toast_text(app)
        with Store(sample_copy) as s:
            assert s.account(nid).csm == "Theirs"
        await pilot.press("ctrl+s")  # the second ctrl+s overwrites, as the warning says
        await settle(app, pilot)
        assert isinstance(app.screen, AccountScreen)
    with Store(sample_copy) as s:
        assert s.account(nid).csm == "Mine"


async def test_delete_contact_says_what_goes_and_undo_brings_it_all_back(sample_copy: Path):
    nid = account_id(sample_copy, "Northwind")
    with Store(sample_copy) as s:
        tom = next(c for c in s.contacts(nid) if c.name == "Tom Chen")
        touches = len(s.touches(tom.id, 1000))
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_northwind(app, pilot)
        select_contact(screen, "Tom Chen")
        await pilot.press("delete")
        await settle(app, pilot)
        assert isinstance(app.screen, Confirm)
        text = screen_text(app)
        assert "Delete Tom Chen?" in text and f"Goes with them: {touches} touches" in text and "champion" in text
        await pilot.press("n")  # keep
        await settle(app, pilot)
        with Store(sample_copy) as s:
            assert any(c.name == "Tom Chen" for c in s.contacts(nid))
        await pilot.press("delete")
        await settle(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
        assert isinstance(app.screen, AccountScreen)
        assert "Tom Chen" not in behind_toasts(app) and "Deleted Tom Chen" in toast_text(app)
        with Store(sample_copy) as s:
            assert not any(c.name == "Tom Chen" for c in s.contacts(nid))
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert "Tom Chen · VP Engineering" in behind_toasts(app)
        assert "Touches with " in behind_toasts(app)  # a contact is selected again, its touches shown
    with Store(sample_copy) as s:
        back = next(c for c in s.contacts(nid) if c.name == "Tom Chen")
        assert back.roles == tom.roles and len(s.touches(back.id, 1000)) == touches


async def test_delete_a_touch_from_the_touches_list(sample_copy: Path):
    nid = account_id(sample_copy, "Northwind")
    with Store(sample_copy) as s:
        sarah = next(c for c in s.contacts(nid) if c.name == "Sarah Kim")
        touches = s.touches(sarah.id)
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_northwind(app, pilot)
        select_contact(screen, "Sarah Kim")
        await settle(app, pilot)
        table = screen.query_one("#touches", DataTable)
        assert table.row_count == len(touches)
        table.focus()
        await pilot.press("delete")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        assert f"with Sarah Kim on {touches[0].date}" in screen_text(app)
        await pilot.press("y")
        await settle(app, pilot)
        assert table.row_count == len(touches) - 1
        with Store(sample_copy) as s:
            assert [t.id for t in s.touches(sarah.id)] == [t.id for t in touches[1:]]
            assert s.contact(sarah.id).last_touch == touches[1].date


async def test_delete_account_counts_everything_and_undo_restores_it(sample_copy: Path):
    nid = account_id(sample_copy, "Northwind")
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_northwind(app, pilot)
        await pilot.press("D")
        await settle(app, pilot)
        assert isinstance(app.screen, Confirm)
        text = screen_text(app)
        assert "Delete the account Northwind?" in text and "Goes with it: 3 contacts" in text
        await pilot.press("y")
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)  # nothing left to show of it
        assert "39 of 39 accounts" in screen_text(app)
        assert "Northwind" not in accounts_in(sample_copy)
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert "40 of 40 accounts" in screen_text(app)
        table = app.screen.query_one(PortfolioTable)
        assert table.get_row_index(str(nid)) is not None
    with Store(sample_copy) as s:
        assert len(s.contacts(nid)) == 3


async def test_nothing_to_undo_says_so(sample_copy: Path):
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert "Nothing to undo in this session" in toast_text(app)


async def test_the_demo_opens_from_the_empty_state_and_leaves_the_file_alone(tmp_path: Path):
    db = tmp_path / "mine.db"
    app = make_app(db, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("d")
        await settle(app, pilot)
        await settle(app, pilot)
        assert "40 of 40 accounts" in screen_text(app)
        assert "demo" in app.sub_title
    assert accounts_in(db) == []


async def test_markup_in_a_new_account_name_shows_literally(tmp_path: Path):
    db = tmp_path / "new.db"
    app = make_app(db, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        await pilot.press(*"[bold]Evil[/] Co", "ctrl+s")
        await settle(app, pilot)
        assert "[bold]Evil[/] Co" in screen_text(app)
    assert accounts_in(db) == ["[bold]Evil[/] Co"]
