"""One snapshot per screen on the demo data, fixed today, 100x30."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, TextArea

from stakeworks.screens.app import make_app
from tests.test_tui import TODAY, open_northwind, select_contact, settle

SIZE = (100, 30)


def _still(app) -> None:
    """Blinking cursors make snapshots flaky: freeze them."""
    for widget in app.screen.query(Input):
        widget.cursor_blink = False
    for area in app.screen.query(TextArea):
        area.cursor_blink = False


def test_home_snapshot(snap_compare, sample_copy: Path):
    app = make_app(sample_copy, TODAY)

    async def run_before(pilot) -> None:
        await settle(app, pilot)
        _still(app)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_account_snapshot(snap_compare, sample_copy: Path):
    app = make_app(sample_copy, TODAY)

    async def run_before(pilot) -> None:
        await open_northwind(app, pilot)
        await pilot.pause()

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
        _still(app)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_triage_snapshot(snap_compare, sample_copy: Path):
    app = make_app(sample_copy, TODAY)

    async def run_before(pilot) -> None:
        await settle(app, pilot)
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        _still(app)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
