"""Keys typed while a screen or dialog opens land in its first field, in order (issue 31), as a real
terminal delivers them: in one burst (all queued before the app handles the first) or spread over
several turns of the event loop, none of them waiting for the screen to open."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest
from textual import events
from textual.command import CommandInput, CommandPalette
from textual.pilot import Pilot
from textual.widgets import Input

from stakeworks.cli.launch import make_app
from stakeworks.db.store import Store
from stakeworks.screens.account_editor import AccountEditor
from stakeworks.screens.app import StakeworksApp
from stakeworks.screens.cadence import CadenceScreen
from stakeworks.screens.contact_editor import ContactEditor
from stakeworks.screens.depart import DepartScreen
from stakeworks.screens.home import HomeScreen
from stakeworks.screens.log_touch import LogTouchScreen
from stakeworks.screens.signals import SignalsScreen
from stakeworks.widgets.virtual_table import VirtualTable
from tests.pilot import SIZE, TODAY, account_id, open_northwind, select_contact, settle, until

SIZES = [(80, 24), (120, 40)]


def key_event(app: StakeworksApp, key: str) -> events.Key:
    character = key if len(key) == 1 else None
    event = events.Key({" ": "space"}.get(key, key), character)
    event.set_sender(app)  # as the driver sends them
    return event


async def type_keys(app: StakeworksApp, keys: list[str], turns_between: int) -> None:
    """Post each key to the app as the terminal's driver does, letting the event loop run
    `turns_between` turns after each (0: a burst, every key queued before the first is handled)."""
    for key in keys:
        app.post_message(key_event(app, key))
        for _ in range(turns_between):
            await asyncio.sleep(0)


async def typed(app: StakeworksApp, pilot: Pilot, keys: list[str], turns_between: int) -> None:
    """Type `keys` (`type_keys`), then let the app run until every one has reached its widget."""
    await type_keys(app, keys, turns_between)
    received = asyncio.Event()
    app.call_later(received.set)  # queued behind the keys: the app has taken every one when it runs
    await received.wait()
    await until(pilot, lambda: not app.typing_ahead)
    await pilot.pause()  # the last one handled where it went


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("turns", [0, 1, 3])
async def test_a_new_account_typed_from_the_filter_gets_its_name(sample_copy: Path, size: tuple[int, int], turns: int):
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        home = app.screen
        assert isinstance(home, HomeScreen) and app.focused is home.query_one("#filter", Input)
        await typed(app, pilot, ["ctrl+n", *"Acme Z"], turns)
        assert isinstance(app.screen, AccountEditor)
        assert app.screen.query_one("#name", Input).value == "Acme Z"
        assert home.query_one("#filter", Input).value == ""


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("turns", [0, 1, 3])
async def test_the_palette_gets_what_is_typed_as_it_opens(sample_copy: Path, size: tuple[int, int], turns: int):
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await typed(app, pilot, ["ctrl+p", *"new acc"], turns)
        assert isinstance(app.screen, CommandPalette)
        assert app.screen.query_one(CommandInput).value == "new acc"
        assert app.screen_stack[0].query_one("#filter", Input).value == ""


OPENERS = [
    ("a", ContactEditor, "#name", "Ada Park", "Ada Park"),
    ("t", LogTouchScreen, "#note", "Quoted offer", "Quoted offer"),
    ("d", DepartScreen, "#date", "today", "today"),
]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("turns", [0, 1, 3])
@pytest.mark.parametrize(("key", "screen", "field", "text", "shown"), OPENERS, ids=[o[0] for o in OPENERS])
async def test_a_dialog_of_the_account_screen_gets_what_is_typed_as_it_opens(
    sample_copy: Path, size: tuple[int, int], turns: int, key: str, screen: type, field: str, text: str, shown: str
):
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=size) as pilot:
        account = await open_northwind(app, pilot)
        select_contact(account, "Tom Chen")
        await typed(app, pilot, [key, *text], turns)
        assert isinstance(app.screen, screen)
        assert app.screen.query_one(field, Input).value == shown


@pytest.mark.parametrize("turns", [0, 1, 3])
async def test_the_edited_contact_gets_what_is_typed_as_its_editor_opens(sample_copy: Path, turns: int):
    """`e`, then more of the name: the name box opens with its cursor at the end."""
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        account = await open_northwind(app, pilot)
        select_contact(account, "Tom Chen")
        await typed(app, pilot, ["e", *" Jr."], turns)
        assert isinstance(app.screen, ContactEditor)
        assert app.screen.query_one("#name", Input).value == "Tom Chen Jr."


@pytest.mark.parametrize("turns", [0, 1, 3])
async def test_a_touch_from_cadence_gets_its_note_while_the_contact_is_read(sample_copy: Path, turns: int):
    """Cadence reads the contact in a worker before the dialog opens; "o" and "f" are its own keys
    (open the account, filter): typed ahead they are the note's letters."""
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+w")
        await settle(app, pilot)
        assert isinstance(app.screen, CadenceScreen)
        app.screen.query_one(VirtualTable).move_cursor(0)
        await typed(app, pilot, ["t", *"Quoted offer"], turns)
        assert isinstance(app.screen, LogTouchScreen)
        assert app.screen.query_one("#note", Input).value == "Quoted offer"


async def test_enter_opens_the_account_and_the_next_keys_reach_its_screen(sample_copy: Path):
    """Enter in the filter opens the top match through two messages (the input's Submitted, then
    OpenAccount): the keys after it wait for the account screen, not land in the filter."""
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await typed(app, pilot, [*"Northwind", "enter", "escape", *"Kes"], 0)
        assert isinstance(app.screen, HomeScreen)
        assert app.screen.query_one("#filter", Input).value == "NorthwindKes"


@pytest.mark.parametrize("turns", [0, 1, 3])
async def test_keys_for_an_account_wait_until_it_is_read(sample_copy: Path, turns: int):
    """From the filter: the account's name, enter, then `a` and a new contact's name. The account
    screen reads its account in a worker; `a` acts on it, so the keys wait for it."""
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await typed(app, pilot, [*"Northwind", "enter", "a", *"Ada Park"], turns)
        assert isinstance(app.screen, ContactEditor)
        assert app.screen.query_one("#name", Input).value == "Ada Park"
        assert app.screen.view.account.name == "Northwind"


@pytest.mark.parametrize("turns", [0, 1])
async def test_a_save_key_typed_after_text_saves_the_text(sample_copy: Path, turns: int):
    """ctrl+s is the editor's priority key (the app acts on it without handing it out): it waits
    until the letters before it are in their field, so the ARR typed is the ARR saved."""
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await typed(app, pilot, ["ctrl+n", *"Gamma", "tab", *"240k", "ctrl+s"], turns)
        await settle(app, pilot)
    with Store(sample_copy) as s:
        gamma = s.account(account_id(sample_copy, "Gamma"))
    assert gamma.arr == 240_000


async def typed_as_it_opens(
    app: StakeworksApp, pilot: Pilot, view: str, computed_ahead: bool, keys: list[str], turns: int
) -> None:
    """Once the app has started, `keys` typed, the first opening the screen of `view`; unless
    `computed_ahead`, the app's copy of the view is dropped first and the screen reads its own."""
    await settle(app, pilot)
    if not computed_ahead:
        assert app.session.take_prefetched(view) is not None
    await typed(app, pilot, keys, turns)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("turns", [0, 1, 3])
@pytest.mark.parametrize("computed_ahead", [True, False], ids=["computed-ahead", "own-read"])
async def test_space_typed_with_ctrl_l_marks_the_inboxs_first_row(
    sample_copy: Path, size: tuple[int, int], turns: int, computed_ahead: bool
):
    """The inbox's rows come after its first frame (computed ahead by the app, or read by its own
    worker): space typed in the same burst as ctrl+l waits for them and marks the first row."""
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=size) as pilot:
        await typed_as_it_opens(app, pilot, "inbox", computed_ahead, ["ctrl+l", " ", "down"], turns)
        screen = app.screen
        assert isinstance(screen, SignalsScreen)
        assert len(screen.items) > 1
        assert screen.marked == {screen.items.keys[0]}
        assert screen.query_one(VirtualTable).cursor_row == 2  # marking moved on a row, then the key after it


async def test_keys_typed_into_the_inbox_are_not_held_when_its_read_fails(sample_copy: Path):
    """A read that fails shows its error; the keys typed meanwhile go on to the screen (here: escape
    leaves it), never held for rows that will not come."""
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.session.take_prefetched("inbox")
        with sqlite3.connect(sample_copy) as other:  # another program breaks the store under the app
            other.execute("DROP TABLE interactions")
        await typed(app, pilot, ["ctrl+l", "escape"], 0)
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        assert not app.typing_ahead


@pytest.mark.parametrize("turns", [0, 1, 3])
@pytest.mark.parametrize("computed_ahead", [True, False], ids=["computed-ahead", "own-read"])
@pytest.mark.parametrize(
    ("key", "view", "rows"),
    [("ctrl+w", "cadence", "#cadence"), ("ctrl+g", "heatmap", "#heatmap"), ("ctrl+e", "sponsors", "#executives")],
)
async def test_keys_typed_with_a_portfolio_screens_key_move_over_its_rows_once_they_are_in(
    sample_copy: Path, turns: int, computed_ahead: bool, key: str, view: str, rows: str
):
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await typed_as_it_opens(app, pilot, view, computed_ahead, [key, "down", "down"], turns)
        table = app.screen.query_one(rows, VirtualTable)
        assert app.focused is table
        assert table.row_count > 2 and table.cursor_row == 2
