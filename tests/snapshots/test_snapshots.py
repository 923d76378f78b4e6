"""One snapshot per screen on the demo data, fixed today, at 80x24 (every screen must be usable
in the smallest common terminal) and at 120x40."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from stakeworks.cli.launch import make_app
from tests.pilot import TODAY, open_northwind, select_contact, settle, shows, still

SIZES = {"80x24": (80, 24), "120x40": (120, 40)}

# name -> (the contact of Northwind to select first, or None for the home screen; the keys from there)
SCREENS: dict[str, tuple[str | None, tuple[str, ...]]] = {
    "home": (None, ()),
    "home_filtered": (None, ("d", "e", "l", "t", "a")),
    "account": ("Tom Chen", ()),
    "editor": ("Sarah Kim", ("e", "tab", "tab", "tab", "tab", "4")),
    "unsaved_changes": ("Tom Chen", ("e", "X", "escape")),
    "triage": (None, ("ctrl+r",)),
    "heatmap": (None, ("ctrl+g",)),
    "matrix": ("Tom Chen", ("s",)),
    "cadence": (None, ("ctrl+w",)),
    "tasks": (None, ("ctrl+t",)),
    "sponsors": (None, ("ctrl+e",)),
    "executive_editor": (None, ("ctrl+e", "n")),
    "sponsor_program": (None, ("ctrl+e", "o")),
    "signals": (None, ("ctrl+l",)),
    "decline_reason": (None, ("ctrl+e", "o", "d")),
    "import": (None, ("down", "i")),
    "search": (None, ("ctrl+f", "t", "o", "m")),
    "help": (None, ("f1",)),
    "log_touch": ("Tom Chen", ("t",)),
    "whatif": ("Tom Chen", ("w",)),
    "depart": ("Tom Chen", ("d",)),
    "plan": ("Tom Chen", ("p",)),
    "influence": ("Lisa Park", ("i",)),
    "exposure": (None, ("ctrl+p", *"go to exposure", "enter")),
    "settings": (None, ("f7",)),
}


# Words a screen shows only once its table has laid out the columns it was refilled with.
SHOWN_LATE = {"sponsor_program": "Load after"}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("screen", SCREENS)
def test_screen_snapshot(snap_compare, sample_copy: Path, screen: str, size: str) -> None:
    contact, keys = SCREENS[screen]
    app = make_app(sample_copy, TODAY)

    async def run_before(pilot) -> None:
        if contact is None:
            await settle(app, pilot)
        else:
            select_contact(await open_northwind(app, pilot), contact)
            await pilot.pause()
        for key in keys:
            await pilot.press(key)
            await settle(app, pilot)
        if screen in SHOWN_LATE:  # a table refilled with new columns lays them out when idle
            assert await shows(app, pilot, SHOWN_LATE[screen])
        await still(app, pilot)

    assert snap_compare(app, terminal_size=SIZES[size], run_before=run_before)


async def test_cursors_hold_still_in_pictures(sample_copy: Path):
    """The autouse fixture of this folder is in force: a focused Input does not blink."""
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZES["80x24"]) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+f")
        await pilot.pause()
        field = app.screen.query_one(Input)
        assert field.has_focus and field.cursor_blink is False
        assert app.animation_level == "none"
