"""Pictures of the screens that create and correct, at 80x24 and 120x40: the empty store, the
new-account editor with a bad value, the account editor with a live renewal change, the delete
questions, the plan-item editor, the question a future touch date asks. Each reached by its
keys, taken once the picture holds still."""

from __future__ import annotations

from pathlib import Path

import pytest

from stakeworks.cli.launch import make_app
from tests.pilot import TODAY, open_northwind, select_contact, settle, still

SIZES = {"80x24": (80, 24), "120x40": (120, 40)}

# name -> (start from an empty store?, the Northwind contact to select first or None, the keys from there)
SCREENS: dict[str, tuple[bool, str | None, tuple[str, ...]]] = {
    "empty_store": (True, None, ()),
    "new_account": (True, None, ("n", *"Acme", "tab", *"12x")),  # a bad ARR, said beside the field
    # the renewal moved inside the 90-day window: the verdict follows before saving
    "edit_account": (False, "Tom Chen", ("E", "tab", "tab", "tab", "ctrl+u", "+", "3", "0")),
    "delete_contact": (False, "Tom Chen", ("delete",)),
    "delete_account": (False, "Tom Chen", ("D",)),
    "plan_item": (False, "Tom Chen", ("p", "n")),
    "future_touch": (False, "Tom Chen", ("t", "tab", "tab", "tab", "ctrl+u", *"2030-01-01", "ctrl+s")),
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("screen", SCREENS)
def test_create_screen_snapshot(snap_compare, sample_copy: Path, tmp_path: Path, screen: str, size: str) -> None:
    empty, contact, keys = SCREENS[screen]
    app = make_app(tmp_path / "empty.db" if empty else sample_copy, TODAY)

    async def run_before(pilot) -> None:
        if contact is None:
            await settle(app, pilot)
        else:
            select_contact(await open_northwind(app, pilot), contact)
            await pilot.pause()
        for key in keys:
            await pilot.press(key)
            await settle(app, pilot)
        await still(app, pilot)

    assert snap_compare(app, terminal_size=SIZES[size], run_before=run_before)
