"""The account's map laid out for the width it has (issue 33's figures): a map that fills up
gets a scrollbar, and its people are laid out once for the width left beside it; a new width
lays them out again only when it moves a split line."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from stakeworks.cli.launch import make_app
from stakeworks.widgets.stakeholder_map import StakeholderMap
from tests.pilot import SIZE, TODAY, account_id, open_northwind, still

PEOPLE = 40
"""More than the map's height at 120x40: it scrolls."""


async def test_a_full_map_is_laid_out_once_and_again_only_when_a_split_moves(
    sample_copy: Path, monkeypatch: pytest.MonkeyPatch
):
    northwind = account_id(sample_copy, "Northwind")
    with sqlite3.connect(sample_copy) as conn:  # never touched: each has a warning after the name
        conn.executemany("INSERT INTO contacts (account_id, name, title, level) VALUES (?, ?, 'Analyst', 'user')",
                         [(northwind, f"Person {n:02d}") for n in range(PEOPLE)])  # fmt: skip
    shown: list[int] = []
    show = StakeholderMap.show

    def counted(self: StakeholderMap, *args: Any, **kwargs: Any) -> None:
        shown.append(1)  # each time the map's nodes are built
        show(self, *args, **kwargs)

    monkeypatch.setattr(StakeholderMap, "show", counted)
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_northwind(app, pilot)
        await still(app, pilot)
        tree = screen.query_one(StakeholderMap)
        assert tree.show_vertical_scrollbar
        assert len(shown) == 1  # not again when the scrollbar came
        assert tree.virtual_size.width <= tree.scrollable_content_region.width  # no line runs under it
        band = tree.root.children[0]

        await pilot.resize_terminal(SIZE[0] + 2, SIZE[1])  # a cell or two wider: every line still fits
        await still(app, pilot)
        assert len(shown) == 1 and tree.root.children[0] is band

        await pilot.resize_terminal(60, SIZE[1])  # too narrow for a name and its warning on one line
        await still(app, pilot)
        assert len(shown) == 2
        person = next(n for n in tree.root.children[2].children if str(n.label).strip().startswith("Person 00"))
        assert [str(c.label).strip() for c in person.children] == ["⚠ never touched"]
