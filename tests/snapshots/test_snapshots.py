"""One snapshot per screen on the demo data, fixed today, 100x30."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from stakeworks.screens.app import make_app
from tests.pilot import TODAY, open_northwind, select_contact, settle, still

SIZE = (100, 30)


def test_home_snapshot(snap_compare, sample_copy: Path):
    app = make_app(sample_copy, TODAY)

    async def run_before(pilot) -> None:
        await settle(app, pilot)
        await still(app, pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_account_snapshot(snap_compare, sample_copy: Path):
    app = make_app(sample_copy, TODAY)

    async def run_before(pilot) -> None:
        await open_northwind(app, pilot)
        await pilot.pause()
        await still(app, pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_editor_snapshot(snap_compare, sample_copy: Path):
    app = make_app(sample_copy, TODAY)

    async def run_before(pilot) -> None:
        screen = await open_northwind(app, pilot)
        select_contact(screen, "Sarah Kim")
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#strength").focus()
        await pilot.press("4")
        await pilot.pause()
        await still(app, pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_triage_snapshot(snap_compare, sample_copy: Path):
    app = make_app(sample_copy, TODAY)

    async def run_before(pilot) -> None:
        await settle(app, pilot)
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        await still(app, pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_heatmap_and_matrix_snapshots(snap_compare, sample_copy: Path):
    app = make_app(sample_copy, TODAY)

    async def run_before(pilot) -> None:
        await settle(app, pilot)
        await pilot.press("ctrl+g")
        await settle(app, pilot)
        await still(app, pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_matrix_snapshot(snap_compare, sample_copy: Path):
    app = make_app(sample_copy, TODAY)

    async def run_before(pilot) -> None:
        await open_northwind(app, pilot)
        await pilot.press("s")
        await pilot.pause()
        await still(app, pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


async def test_cursors_hold_still_in_pictures(sample_copy: Path):
    """The autouse fixture of this folder is in force: a focused Input does not blink."""
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("slash")
        await pilot.pause()
        field = app.screen.query_one(Input)
        assert field.has_focus and field.cursor_blink is False
        assert app.animation_level == "none"


def _picture(snap_compare, sample_copy: Path, *keys: str, contact: str | None = None) -> bool:
    """The screen reached from the home screen by `keys` (after opening Northwind and selecting
    `contact` when one is named)."""
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
        await still(app, pilot)

    return snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_cadence_snapshot(snap_compare, sample_copy: Path):
    assert _picture(snap_compare, sample_copy, "ctrl+w")


def test_tasks_snapshot(snap_compare, sample_copy: Path):
    assert _picture(snap_compare, sample_copy, "ctrl+t")


def test_sponsors_snapshot(snap_compare, sample_copy: Path):
    assert _picture(snap_compare, sample_copy, "ctrl+e")


def test_executive_editor_snapshot(snap_compare, sample_copy: Path):
    assert _picture(snap_compare, sample_copy, "ctrl+e", "n")


def test_import_snapshot(snap_compare, sample_copy: Path):
    assert _picture(snap_compare, sample_copy, "i")


def test_search_snapshot(snap_compare, sample_copy: Path):
    assert _picture(snap_compare, sample_copy, "slash", "t", "o", "m")


def test_help_snapshot(snap_compare, sample_copy: Path):
    assert _picture(snap_compare, sample_copy, "question_mark")


def test_log_touch_snapshot(snap_compare, sample_copy: Path):
    assert _picture(snap_compare, sample_copy, "t", contact="Tom Chen")


def test_whatif_snapshot(snap_compare, sample_copy: Path):
    assert _picture(snap_compare, sample_copy, "w", contact="Tom Chen")


def test_depart_snapshot(snap_compare, sample_copy: Path):
    assert _picture(snap_compare, sample_copy, "d", contact="Tom Chen")


def test_plan_snapshot(snap_compare, sample_copy: Path):
    assert _picture(snap_compare, sample_copy, "p", contact="Tom Chen")
