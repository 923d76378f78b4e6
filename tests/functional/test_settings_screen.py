"""Pilot tests of the settings screen (issue 32, "also in the app"): the team's settings with their
defaults, edited through the same service as `stakeworks settings set`, a bad value refused with
that service's message (the field stays open, nothing written), undone with ctrl+z, and every
verdict read again."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Input

from stakeworks.cli.launch import make_app
from stakeworks.db.store import Store
from stakeworks.screens.app import StakeworksApp
from stakeworks.screens.settings import SettingsScreen
from tests.pilot import SIZE, TODAY, account_id, screen_text, settle


async def open_settings(app: StakeworksApp, pilot, key: str) -> SettingsScreen:
    await settle(app, pilot)
    await pilot.press("f7")
    await settle(app, pilot)
    screen = app.screen
    assert isinstance(screen, SettingsScreen)
    table = screen.query_one("#settings", DataTable)
    table.move_cursor(row=table.get_row_index(key))
    await pilot.pause()
    return screen


async def test_a_setting_is_edited_and_every_verdict_follows(sample_copy: Path):
    northwind = account_id(sample_copy, "Northwind")
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(app, pilot, "high_points")
        assert "Risk score points for each high factor" in screen_text(app)
        before = app.session.summaries[northwind].score
        await pilot.press("enter", "ctrl+u", *"10", "enter")
        await settle(app, pilot)
        await settle(app, pilot)
        assert screen.editing is None
        assert app.session.settings.high_points == 10
        assert app.session.summaries[northwind].score < before  # Northwind has a high factor
        assert "high_points = 10" in screen_text(app)
    with Store(sample_copy) as s:
        assert s.settings().high_points == 10


async def test_a_bad_value_is_refused_with_the_services_words_and_the_field_stays_open(sample_copy: Path):
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(app, pilot, "level_threshold_days.director")
        await pilot.press("enter", "ctrl+u", *"[b]soon[/b]", "enter")
        await settle(app, pilot)
        assert screen.editing == "level_threshold_days.director"
        assert screen.query_one("#value", Input).value == "[b]soon[/b]"
        assert "'[b]soon[/b]' is not a whole number, 0 or more or none (no threshold)" in " ".join(
            screen_text(app).split()
        )  # the typed text shown as typed, never as markup
    with Store(sample_copy) as s:
        assert s.settings().level_threshold_days["director"] == 91


async def test_ctrl_z_puts_a_setting_back(sample_copy: Path):
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(app, pilot, "our_domains")
        await pilot.press("enter", *"ourco.example, ourco.de", "enter")
        await settle(app, pilot)
        assert app.session.settings.our_domains == ("ourco.example", "ourco.de")
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        await settle(app, pilot)
        assert app.session.settings.our_domains == ()
        assert dict((k, v) for k, v, _ in screen.items)["our_domains"] == ()
    with Store(sample_copy) as s:
        assert s.settings().our_domains == ()


async def test_r_puts_a_setting_back_to_its_default(sample_copy: Path):
    with Store(sample_copy) as s:
        s.change_setting("due_soon_days", "30")
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await open_settings(app, pilot, "due_soon_days")
        await pilot.press("r")
        await settle(app, pilot)
        assert app.session.settings.due_soon_days == 14
    with Store(sample_copy) as s:
        assert s.settings().due_soon_days == 14
