"""Pilot tests of issue 33 in the app: influence lines added, changed and removed from the
account's map (pick whom, the sign, a note), drawn there dotted with their sign and undoable;
the exposure screen; the what-if naming the other accounts the person holds."""

from __future__ import annotations

from pathlib import Path

from textual.coordinate import Coordinate
from textual.widgets import DataTable, Input, Select

from stakeworks.cli.launch import make_app
from stakeworks.db.store import Store
from stakeworks.screens.account import AccountScreen
from stakeworks.screens.exposure import ExposureScreen
from stakeworks.screens.influence_editor import InfluenceEditor
from stakeworks.screens.whatif import WhatIfScreen
from stakeworks.widgets.stakeholder_map import StakeholderMap
from tests.conftest import stored
from tests.pilot import SIZE, TODAY, account_id, open_northwind, screen_text, select_contact, settle, shows


def contact_id(path: Path, account: str, name: str) -> int:
    with Store(path) as s:
        return next(c.id for c in s.contacts(account_id(path, account)) if c.name == name)


def lines(path: Path) -> list[tuple[str, str, str, str]]:
    """Northwind's influence lines (the demo has lines at other accounts)."""
    return [tuple(r) for r in stored(path, "SELECT f.name, t.name, i.sign, i.note FROM influences i "
                                           "JOIN contacts f ON f.id = i.from_id JOIN contacts t ON t.id = i.to_id "
                                           "JOIN accounts a ON a.id = i.account_id WHERE a.name = 'Northwind'")]  # fmt: skip


def map_text(screen: AccountScreen) -> str:
    tree = screen.query_one(StakeholderMap)
    out = []

    def walk(node):
        out.append(str(node.label))
        for child in node.children:
            walk(child)

    walk(tree.root)
    return "\n".join(out)


async def test_an_influence_line_is_added_changed_and_removed_from_the_map(sample_copy: Path):
    sarah = contact_id(sample_copy, "Northwind", "Sarah Kim")
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_northwind(app, pilot)
        select_contact(screen, "Lisa Park")
        await pilot.press("i")
        await settle(app, pilot)
        assert isinstance(app.screen, InfluenceEditor)
        assert "Lisa Park has no influence lines yet." in screen_text(app)
        app.screen.query_one("#target", Select).value = sarah
        app.screen.query_one("#sign", Select).value = "negative"
        app.screen.query_one("#note", Input).focus()
        await pilot.press(*"[bold]old rivalry[/]")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, AccountScreen)
        assert lines(sample_copy) == [("Lisa Park", "Sarah Kim", "negative", "[bold]old rivalry[/]")]
        assert "┈(-)┈▶ Sarah Kim" in map_text(app.screen)
        assert await shows(app, pilot, "Saved the influence line from Lisa Park to Sarah Kim")
        # Again: the line is there to change or remove.
        select_contact(app.screen, "Lisa Park")
        await pilot.press("i")
        await settle(app, pilot)
        assert "┈(-)┈▶ Sarah Kim  [bold]old rivalry[/]" in screen_text(app)  # markup shown as typed
        assert app.screen.query_one("#sign", Select).value == "negative"
        await pilot.press("ctrl+d")
        await settle(app, pilot)
        assert lines(sample_copy) == []
        assert "┈(" not in map_text(app.screen)
        await pilot.press("ctrl+z")  # the removal undone
        await settle(app, pilot)
        assert lines(sample_copy) == [("Lisa Park", "Sarah Kim", "negative", "[bold]old rivalry[/]")]


async def test_the_editor_refuses_a_line_to_nobody_and_writes_nothing(sample_copy: Path):
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        select_contact(await open_northwind(app, pilot), "Tom Chen")
        await pilot.press("i")
        await settle(app, pilot)
        names = [str(label) for label, _ in app.screen.query_one("#target", Select)._options]
        assert not any(n.startswith("Tom Chen") for n in names)  # never to themselves
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, InfluenceEditor)
        assert "Influences: pick the person they sway" in screen_text(app)
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, AccountScreen)
    assert lines(sample_copy) == []


def _share_tom(path: Path) -> None:
    """Northwind's Tom Chen is also the engaged champion of another account (one address)."""
    with Store(path) as s:
        champion = next(
            c for i, n in s.account_names() if n != "Northwind" for c in s.contacts(i)
            if "champion" in c.roles and c.status == "active"
        )  # fmt: skip
    stored(path, "UPDATE contacts SET email = 'tom@chen.example', strength = 5, last_touch = ? WHERE id = ?",
           (TODAY.isoformat(), champion.id))  # fmt: skip
    stored(path, "UPDATE contacts SET email = 'TOM@chen.example' WHERE name = 'Tom Chen'")
    stored(path, "INSERT INTO touches (contact_id, date, kind) VALUES (?, ?, 'call')", (champion.id, TODAY.isoformat()))


async def test_the_exposure_screen_lists_who_holds_two_accounts(sample_copy: Path):
    _share_tom(sample_copy)
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.action_go("exposure")
        await settle(app, pilot)
        assert isinstance(app.screen, ExposureScreen)
        assert await shows(app, pilot, "at stake")
        table = app.screen.query_one(DataTable)
        assert table.row_count >= 2
        assert "Northwind" in screen_text(app) and "as Tom Chen" in screen_text(app)
        rows = [str(table.coordinate_to_cell_key(Coordinate(r, 0)).row_key.value) for r in range(table.row_count)]
        northwind = account_id(sample_copy, "Northwind")
        table.move_cursor(row=next(i for i, k in enumerate(rows) if k.endswith(f":{northwind}")))
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, AccountScreen) and app.screen.account_id == northwind


async def test_the_what_if_names_the_other_accounts_the_person_holds(sample_copy: Path):
    _share_tom(sample_copy)
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        select_contact(await open_northwind(app, pilot), "Tom Chen")
        await pilot.press("w")
        await settle(app, pilot)
        assert isinstance(app.screen, WhatIfScreen)
        assert await shows(app, pilot, "Tom Chen is also at another account of ours")
        assert "if they left there too" in screen_text(app)
