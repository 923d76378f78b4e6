"""Pilot tests of day-one entry (issue 31): keys typed while a dialog opens land in it, the level
follows the title, the touch dialog saves only on its save key and takes several people."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.widgets import Input

from stakeworks.db.store import Store
from stakeworks.screens.account_editor import AccountEditor
from stakeworks.screens.app import StakeworksApp, make_app
from stakeworks.screens.contact_editor import ContactEditor
from stakeworks.screens.home import HomeScreen
from stakeworks.screens.log_touch import LogTouchScreen
from tests.pilot import SIZE, TODAY, account_id, open_northwind, select_contact, settle


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
        return [(t.kind, t.note) for t in s.touches(contact.id)]  # type: ignore[arg-type]


async def test_keys_typed_as_the_touch_dialog_opens_land_in_it(sample_copy: Path):
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        select_contact(await open_northwind(app, pilot), "Tom Chen")
        type_in_one_turn(app, ["t", *"Quick note"])
        await settle(app, pilot)
        assert isinstance(app.screen, LogTouchScreen)
        assert app.screen.query_one("#note").value == "Quick note"


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
