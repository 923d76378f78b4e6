"""Keyboard flow: the home filter types every letter, one back stack, ctrl+o, editors that ask."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from stakeworks.cli.launch import make_app
from stakeworks.screens.account import AccountScreen
from stakeworks.screens.contact_editor import ContactEditor
from stakeworks.screens.home import HomeScreen
from stakeworks.screens.sponsors import SponsorsScreen
from stakeworks.screens.triage import TriageScreen
from stakeworks.widgets.portfolio_table import PortfolioTable
from tests.pilot import SIZE, TODAY, open_northwind, screen_text, select_contact, settle


async def type_slowly(pilot, text: str) -> None:
    """One key per event-loop turn with a real pause, as a person types (about 20 keys a second)."""
    for ch in text:
        await pilot.press(ch if ch != " " else "space")
        await pilot.pause(0.05)


def table_lines(app) -> list[str]:
    text = screen_text(app).splitlines()
    start = next(i for i, line in enumerate(text) if line.startswith("Risk"))
    return text[start + 1 :]


async def test_home_filter_has_focus_and_takes_every_letter(sample_copy: Path):
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        box = app.screen.query_one("#filter", Input)
        assert box.has_focus
        # s sorted the table and i opened the import screen, before.
        await type_slowly(pilot, "summit")
        assert box.value == "summit"
        assert isinstance(app.screen, HomeScreen)
        assert "Summit Telecom" in table_lines(app)[0]
        await pilot.press("escape")  # clears
        await pilot.pause()
        assert box.value == "" and box.has_focus
        await type_slowly(pilot, "iris")
        assert box.value == "iris" and isinstance(app.screen, HomeScreen)
        assert "Iris Analytics" in table_lines(app)[0]


async def test_enter_in_the_filter_opens_the_top_match(sample_copy: Path):
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await type_slowly(pilot, "northwind")
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, AccountScreen)
        assert app.screen.view is not None and app.screen.view.account.name == "Northwind"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert app.screen.query_one("#filter", Input).value == "northwind"  # the filter is kept


async def test_down_moves_into_the_list_where_letters_act_and_up_returns(sample_copy: Path):
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one(PortfolioTable)
        box = app.screen.query_one("#filter", Input)
        assert "Sort" not in screen_text(app).splitlines()[-1]  # letters are text in the filter
        await pilot.press("down")
        await pilot.pause()
        assert table.has_focus
        assert "s Sort" in screen_text(app).splitlines()[-1]
        await pilot.press("s")  # on the list, s sorts: by the first column on screen, marked in the header
        await pilot.pause()
        header = next(line for line in screen_text(app).splitlines() if line.startswith("Risk"))
        assert "Risk ▼" in header
        assert "sorted: Risk" in screen_text(app)
        await pilot.press("n")  # a letter the list does not use goes back to the filter
        await pilot.pause()
        assert box.has_focus and box.value == "n"
        await pilot.press("escape", "escape")  # clear, then leave the filter for the list
        await pilot.pause()
        assert box.value == "" and table.has_focus
        await pilot.press("home", "up")  # on the first row: back to the filter
        await pilot.pause()
        assert box.has_focus


async def test_the_tier_column_sorts_in_tier_order(sample_copy: Path):
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one(PortfolioTable)
        table.sort_by("tier")
        await pilot.pause()
        tiers = [line for line in table_lines(app) if line.strip()]
        order = ["Strategic", "Enterprise", "Mid-market", "SMB"]
        seen = [next(t for t in order if t in line) for line in tiers if any(t in line for t in order)]
        assert seen == sorted(seen, key=order.index) and len(set(seen)) > 1


async def test_editor_opens_with_the_cursor_after_the_name(sample_copy: Path):
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        select_contact(await open_northwind(app, pilot), "Tom Chen")
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ContactEditor)
        await pilot.press("3")  # before, the whole name was selected and "3" replaced it
        await pilot.pause()
        assert app.screen.query_one("#name", Input).value == "Tom Chen3"


async def test_leaving_an_editor_with_changes_asks(sample_copy: Path):
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        select_contact(await open_northwind(app, pilot), "Tom Chen")
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        editor = app.screen
        await type_slowly(pilot, " Jr")
        await pilot.press("escape")
        await pilot.pause()
        assert "You changed Tom Chen" in screen_text(app)
        await pilot.press("escape")  # keep editing
        await pilot.pause()
        assert app.screen is editor and editor.query_one("#name", Input).value == "Tom Chen Jr"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("s")  # save
        await settle(app, pilot)
        assert isinstance(app.screen, AccountScreen)
        assert "Tom Chen Jr" in screen_text(app)


async def test_leaving_an_unchanged_editor_does_not_ask(sample_copy: Path):
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        select_contact(await open_northwind(app, pilot), "Tom Chen")
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, AccountScreen)


async def test_escape_returns_where_you_came_from(sample_copy: Path):
    """The sponsors screen, search, an account: escape goes back to the sponsors screen
    (it went to a tasks screen opened minutes earlier, before)."""
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+t")
        await settle(app, pilot)
        await pilot.press("ctrl+e")
        await settle(app, pilot)
        assert isinstance(app.screen, SponsorsScreen)
        await pilot.press("ctrl+f")
        await pilot.pause()
        await type_slowly(pilot, "tom chen")
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, AccountScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SponsorsScreen)
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        assert isinstance(app.screen, TriageScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SponsorsScreen)


async def test_ctrl_o_shows_the_accounts_list_from_anywhere(sample_copy: Path):
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await open_northwind(app, pilot)
        await pilot.press("ctrl+o")  # did nothing on an account opened from home, before
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert len(app.screen_stack) == 1
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert len(app.screen_stack) == 1


async def test_ctrl_o_from_an_editor_with_changes_asks_first(sample_copy: Path):
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        select_contact(await open_northwind(app, pilot), "Tom Chen")
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        await type_slowly(pilot, "X")
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert "You changed Tom Chen" in screen_text(app)
        await pilot.press("d")
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        assert len(app.screen_stack) == 1
    from stakeworks.db.store import Store
    from tests.pilot import account_id

    with Store(sample_copy) as s:
        assert any(c.name == "Tom Chen" for c in s.contacts(account_id(sample_copy, "Northwind")))


async def test_palette_puts_a_matching_person_first(sample_copy: Path):
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await type_slowly(pilot, "tom")
        await pilot.pause(0.3)
        lines = [line for line in screen_text(app).splitlines() if "Tom Chen" in line or "Go to" in line]
        assert lines and "Open contact: Tom Chen" in lines[0]
