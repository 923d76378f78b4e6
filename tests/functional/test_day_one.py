"""Pilot tests of day-one entry (issue 31): keys typed while a dialog opens land in it, the level
follows the title, the touch dialog saves only on its save key and takes several people."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from textual import events
from textual.widgets import Input, Select

from stakeworks.cli.launch import make_app
from stakeworks.db.store import Store
from stakeworks.screens.account import AccountScreen
from stakeworks.screens.account_editor import AccountEditor
from stakeworks.screens.app import StakeworksApp
from stakeworks.screens.contact_editor import ContactEditor
from stakeworks.screens.depart import DepartScreen
from stakeworks.screens.home import HomeScreen
from stakeworks.screens.log_touch import LogTouchScreen
from stakeworks.widgets.checklist import Checklist
from tests.pilot import SIZE, TODAY, account_id, open_northwind, screen_text, select_contact, settle, toast_text


def type_in_one_turn(app: StakeworksApp, keys: str | list[str]) -> None:
    """Every key posted at once, before the app handles the first: what a terminal delivers when
    the user types faster than the app opens a dialog (Pilot's `press` waits after each key)."""
    driver = app._driver
    assert driver is not None
    for key in keys:
        character = key if len(key) == 1 else None
        name = {" ": "space"}.get(key, key)
        event = events.Key(name, character)
        event.set_sender(app)
        driver.send_message(event)


def touches_of(path: Path, name: str) -> list[tuple[str, str]]:
    with Store(path) as s:
        contact = next(c for c in s.contacts(account_id(path, "Northwind")) if c.name == name)
        return [(t.kind, t.note) for t in s.touches(contact.id)]


async def test_keys_typed_as_the_touch_dialog_opens_land_in_it(sample_copy: Path):
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        select_contact(await open_northwind(app, pilot), "Tom Chen")
        type_in_one_turn(app, ["t", *"Quick note"])
        await settle(app, pilot)
        assert isinstance(app.screen, LogTouchScreen)
        assert app.screen.query_one("#note", Input).value == "Quick note"


async def test_keys_typed_as_the_contact_editor_opens_land_in_it(sample_copy: Path):
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await open_northwind(app, pilot)
        type_in_one_turn(app, ["a", *"Ada Park"])
        await settle(app, pilot)
        assert isinstance(app.screen, ContactEditor)
        assert app.screen.query_one("#name", Input).value == "Ada Park"


async def test_keys_typed_as_a_new_account_opens_land_in_it_not_in_the_filter(sample_copy: Path):
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("down")  # from the filter into the list: letters there filter the list
        type_in_one_turn(app, ["ctrl+n", *"Acme"])
        await settle(app, pilot)
        assert isinstance(app.screen, AccountEditor)
        assert app.screen.query_one("#name", Input).value == "Acme"
        await pilot.press("escape", "d")  # discard
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        assert app.screen.query_one("#filter", Input).value == ""


async def test_the_touch_dialog_starts_on_its_note_and_a_bare_enter_saves_nothing(sample_copy: Path):
    before = touches_of(sample_copy, "Tom Chen")
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        select_contact(await open_northwind(app, pilot), "Tom Chen")
        await pilot.press("t")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, LogTouchScreen)
        assert screen.focused is screen.query_one("#note")
        assert "ctrl+s saves" in screen_text(app)
        await pilot.press("enter")  # on an empty note: to the next field, nothing saved
        await settle(app, pilot)
        assert app.screen is screen and screen.focused is screen.query_one("#people")
        assert touches_of(sample_copy, "Tom Chen") == before
        screen.query_one("#note", Input).focus()
        await pilot.press(*"Renewal call", "ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, AccountScreen)
    assert touches_of(sample_copy, "Tom Chen") == [("call", "Renewal call"), *before]


async def test_one_touch_with_two_people_logs_one_each_and_undoes_as_one(sample_copy: Path):
    tom, sarah = touches_of(sample_copy, "Tom Chen"), touches_of(sample_copy, "Sarah Kim")
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        select_contact(await open_northwind(app, pilot), "Tom Chen")
        await pilot.press("t")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, LogTouchScreen)
        people = screen.query_one("#people", Checklist)
        assert [c.name for c in screen.people][0] == "Tom Chen" and "Sarah Kim" in [c.name for c in screen.people]
        await pilot.press(*"QBR prep", "tab")
        assert screen.focused is people
        assert [c.name for c in screen.people] == ["Tom Chen", "Lisa Park", "Sarah Kim"]
        await pilot.press("down", "down", "space", "ctrl+s")  # the keys a user types
        await settle(app, pilot)
        assert isinstance(app.screen, AccountScreen)
        assert "with Tom Chen and Sarah Kim" in toast_text(app)
        assert touches_of(sample_copy, "Tom Chen")[0] == ("call", "QBR prep")
        assert touches_of(sample_copy, "Sarah Kim")[0] == ("call", "QBR prep")
        await pilot.press("ctrl+z")
        await settle(app, pilot)
    assert touches_of(sample_copy, "Tom Chen") == tom and touches_of(sample_copy, "Sarah Kim") == sarah


async def test_the_touch_and_departure_dialogs_take_date_words(sample_copy: Path):
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        select_contact(await open_northwind(app, pilot), "Tom Chen")
        await pilot.press("t")
        await settle(app, pilot)
        app.screen.query_one("#date", Input).value = "-3"
        app.screen.query_one("#note", Input).focus()
        await pilot.press(*"hallway chat", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, AccountScreen)
        select_contact(app.screen, "Tom Chen")
        await pilot.press("d")
        await settle(app, pilot)
        assert isinstance(app.screen, DepartScreen)
        await pilot.press("ctrl+u", *"next week", "enter")  # not a date word: refused, nothing written
        await settle(app, pilot)
        assert "The departure date 'next week' is not a date" in screen_text(app)
        await pilot.press("ctrl+u", *"today", "enter")
        await settle(app, pilot)
        assert "marked departed on" in screen_text(app)
    with Store(sample_copy) as s:
        tom = next(c for c in s.contacts(account_id(sample_copy, "Northwind")) if c.name == "Tom Chen")
        assert tom.departed_on == TODAY
        assert s.touches(tom.id)[0].date == TODAY - timedelta(days=3)


async def test_the_level_follows_the_title_until_the_user_picks_one(sample_copy: Path):
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await open_northwind(app, pilot)
        await pilot.press("a", *"Ada Park", "tab", *"Senior Vice President, Sales")
        await settle(app, pilot)
        editor = app.screen
        assert isinstance(editor, ContactEditor)
        level = editor.query_one("#level", Select)
        assert level.value == "vp" and editor.draft is not None and editor.draft.level == "vp"
        await pilot.press(*(["backspace"] * len("Senior Vice President, Sales")), *"CFO")
        await settle(app, pilot)
        assert level.value == "c_level"
        level.value = "director"  # the user's pick: the title no longer decides
        await settle(app, pilot)
        await pilot.press(*" and COO")
        await settle(app, pilot)
        assert level.value == "director" and editor.draft.level == "director"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    with Store(sample_copy) as s:
        ada = next(c for c in s.contacts(account_id(sample_copy, "Northwind")) if c.name == "Ada Park")
        assert (ada.title, ada.level, ada.level_inferred) == ("CFO and COO", "director", False)


async def test_a_title_alone_sets_the_level_of_a_new_contact_as_inferred(sample_copy: Path):
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await open_northwind(app, pilot)
        await pilot.press("a", *"Ben Ode", "tab", *"Head of IT", "ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, AccountScreen)
    with Store(sample_copy) as s:
        ben = next(c for c in s.contacts(account_id(sample_copy, "Northwind")) if c.name == "Ben Ode")
        assert (ben.level, ben.level_inferred) == ("director", True)
