"""Pilot tests of the workbench flows on a copy of the demo portfolio."""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from textual.widgets import Input, Select, Static

from stakeworks.cli.launch import make_app
from stakeworks.db.store import Store
from stakeworks.domain.models import Contact
from stakeworks.screens.account import AccountScreen
from stakeworks.screens.contact_editor import ContactEditor
from stakeworks.screens.home import HomeScreen
from stakeworks.screens.search import SearchScreen
from stakeworks.screens.triage import TriageScreen
from stakeworks.widgets.portfolio_table import PortfolioTable
from tests.pilot import (
    SIZE,
    TODAY,
    HeldSearchIndex,
    account_id,
    open_northwind,
    screen_text,
    select_contact,
    settle,
    toast_text,
    until,
)


async def test_home_lists_accounts_and_enter_opens_one(sample_copy: Path):
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        table = app.screen.query_one(PortfolioTable)
        assert table.row_count == 40
        await open_northwind(app, pilot)
        text = screen_text(app)
        assert text.splitlines()[1].split()[0] == "Northwind"  # the account's header line
        assert "Tom Chen" in text and "single-threaded" in text and "Risk score 66 / 100" in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_live_recalculation_before_save_then_escape_restores(sample_copy: Path):
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_northwind(app, pilot)
        assert "Risk score 66 / 100 " in screen_text(app)
        select_contact(screen, "Sarah Kim")
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, ContactEditor)
        editor.query_one("#strength").focus()
        await pilot.press("3")
        await pilot.pause()
        # Sarah engaged: EB gap, thin depth and single department all clear.
        text = screen_text(app)
        assert "Risk score 12 / 100 (was 66" in text
        assert "✓ ok Economic buyer" in text
        assert "66 → 12" in str(editor.query_one("#delta", Static).render())
        await pilot.press("escape")  # unsaved: asks first
        await settle(app, pilot)
        assert "You changed Sarah Kim" in screen_text(app)
        await pilot.press("d")  # discard
        await settle(app, pilot)
        assert isinstance(app.screen, AccountScreen)
        assert "Risk score 66 / 100 " in screen_text(app)
        with Store(sample_copy) as s:
            sarah = next(c for c in s.contacts(account_id(sample_copy, "Northwind")) if c.name == "Sarah Kim")
            assert sarah.strength == 2


async def test_save_updates_home_and_triage_rows(sample_copy: Path):
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_northwind(app, pilot)
        select_contact(screen, "Sarah Kim")
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#strength").focus()
        await pilot.press("4", "ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, AccountScreen)
        assert "Risk score 12 / 100 " in screen_text(app)
        nid = account_id(sample_copy, "Northwind")
        await pilot.press("escape")
        await pilot.pause()
        home_table = app.screen.query_one(PortfolioTable)
        row = home_table.get_row(str(nid))
        assert str(row[1]) == "12"
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        assert isinstance(app.screen, TriageScreen)
        assert str(app.screen.query_one(PortfolioTable).get_row(str(nid))[1]) == "12"
    with Store(sample_copy) as s:
        sarah = next(c for c in s.contacts(nid) if c.name == "Sarah Kim")
        assert sarah.strength == 4


async def test_invalid_value_refused_in_form(sample_copy: Path):
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_northwind(app, pilot)
        select_contact(screen, "Tom Chen")
        await pilot.press("e")
        await pilot.pause()
        email = app.screen.query_one("#email", Input)
        email.value = "not an email"
        await pilot.pause()
        assert "not an email address" in str(app.screen.query_one("#error-email", Static).render())
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ContactEditor)  # refused: still editing
    with Store(sample_copy) as s:
        tom = next(c for c in s.contacts(account_id(sample_copy, "Northwind")) if c.name == "Tom Chen")
        assert tom.email.endswith("northwind.example")


async def test_search_with_typo_lands_on_contact(sample_copy: Path):
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+f")
        await pilot.pause()
        await pilot.press(*"tom chn")
        await pilot.pause()
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, AccountScreen)
        await pilot.pause()
        assert "Touches with Tom Chen" in screen_text(app)  # the map's cursor is on him


async def test_search_before_the_index_is_ready_says_so(sample_copy: Path, monkeypatch: pytest.MonkeyPatch):
    held = HeldSearchIndex(monkeypatch)  # as during the first seconds on a big store
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: held.read.is_set() and app.screen.query_one(PortfolioTable).row_count == 40)
        await pilot.press("ctrl+f")
        await pilot.pause()
        await pilot.press(*"tom")
        await pilot.pause()
        assert "still loading the portfolio" in screen_text(app)
        await pilot.press("enter")  # nothing to open yet: stays put, no crash
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)
        held.release()
        await settle(app, pilot)
        await pilot.press("backspace", "m")
        await pilot.pause()
        assert "Tom Chen" in screen_text(app)


async def test_triage_filter_high_risk(sample_copy: Path, cli):
    # The scripting contract's verdicts (CLI.md), in triage order: score, renewal, ARR, name.
    verdicts = json.loads(cli("risk", "--json", "--today", TODAY.isoformat(), db_path=sample_copy).out)
    high = sorted(
        (a for a in verdicts if a["risk"] == "high"),
        key=lambda a: (-a["score"], a["renewal_date"] or "9999", -a["arr"], a["account"].casefold()),
    )
    with Store(sample_copy) as s:
        ids = {name: i for i, name in s.account_names()}
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, TriageScreen)
        total = screen.query_one(PortfolioTable).row_count
        screen.query_one("#risk", Select).value = "high"
        await pilot.pause()
        table = screen.query_one(PortfolioTable)
        assert 0 < table.row_count == len(high) < total
        assert [int(k) for k in table.row_keys] == [ids[a["account"]] for a in high]


async def test_log_touch_from_triage_without_leaving(sample_copy: Path):
    app = make_app(sample_copy, TODAY)
    nid = account_id(sample_copy, "Northwind")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        table = app.screen.query_one(PortfolioTable)
        table.move_cursor(row=table.get_row_index(str(nid)))
        await pilot.press("t")
        await pilot.pause()
        await pilot.press(*"quick sync", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, TriageScreen)
    with Store(sample_copy) as s:
        tom = next(c for c in s.contacts(nid) if c.name == "Tom Chen")
        assert tom.last_touch == TODAY and s.touches(tom.id)[0].note == "quick sync"


async def test_markup_in_names_shows_literally(sample_copy: Path):
    nid = account_id(sample_copy, "Northwind")
    with Store(sample_copy) as s:
        s.save_contact(Contact(account_id=nid, name="[bold]Eve[/", title="[link=x]CTO", level="c_level", strength=4))
        from stakeworks.domain.models import Account

        s.save_account(Account(name="[red]Acme[/] 😀 العربية 中文", tier="smb"))
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert "[red]Acme[/]" in screen_text(app)
        await pilot.press("ctrl+f")
        await pilot.pause()
        await pilot.press(*"eve")
        await pilot.pause()
        assert "[bold]Eve[/" in screen_text(app)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, AccountScreen)
        text = screen_text(app)
        assert "[bold]Eve[/" in text and "[link=x]CTO" in text
        await pilot.press("e")
        await pilot.pause()
        assert app.screen.query_one("#name", Input).value == "[bold]Eve[/"


async def test_worker_failure_is_shown_not_swallowed(sample_copy: Path):
    """An account deleted by another program while the list shows it: opening it fails in the
    worker, and the failure is shown on screen, not swallowed."""
    app = make_app(sample_copy, TODAY)
    nid = account_id(sample_copy, "Northwind")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        with sqlite3.connect(sample_copy) as other:
            other.execute("DELETE FROM accounts WHERE id = ?", (nid,))
        other.close()
        await pilot.press("down")
        table = app.screen.query_one(PortfolioTable)
        table.move_cursor(row=table.get_row_index(str(nid)))
        await pilot.press("enter")
        await settle(app, pilot)
        assert f"no account with id {nid}" in toast_text(app)


async def test_a_capped_whatif_names_the_factors_it_adds_and_removes(sample_copy: Path):
    """Issue 30: a year on, nobody at Northwind was touched and its risk score is capped at 100;
    what if Tom left says what changes instead of "100 → 100 (+0)" beside KEY PERSON."""
    app = make_app(sample_copy, TODAY + timedelta(days=365))
    async with app.run_test(size=SIZE) as pilot:
        select_contact(await open_northwind(app, pilot), "Tom Chen")
        await pilot.pause()
        await pilot.press("w")
        await settle(app, pilot)
        text = screen_text(app)
        assert "What if Tom Chen left today? risk score stays 100: + champion departed, - champion overdue" in text
        assert "KEY PERSON" in text
