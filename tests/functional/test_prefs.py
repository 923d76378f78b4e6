"""Preferences in the app: a remapped key acts and the footer shows it; a theme survives a restart."""

from __future__ import annotations

from pathlib import Path

from stakeworks.cli.launch import make_app
from stakeworks.interchange import config
from stakeworks.screens.account import AccountScreen
from stakeworks.screens.app import StakeworksApp
from stakeworks.screens.help import HelpScreen
from stakeworks.screens.log_touch import LogTouchScreen
from stakeworks.services.session import Prefs
from stakeworks.widgets import palette
from tests.pilot import SIZE, TODAY, open_northwind, screen_text, select_contact, settle, toast_text


def error_colour(app: StakeworksApp) -> str:
    """The colour a high risk is drawn in under the app's current theme."""
    colour = palette.rich_theme(app.current_theme).styles[palette.BAD_STRONG].color
    assert colour is not None and colour.triplet is not None
    return colour.triplet.hex.lower()


def prefs_of(path: Path) -> Prefs:
    return Prefs.from_config(config.load(str(path), env={}))


async def test_a_remapped_key_acts_and_the_footer_shows_it(sample_copy: Path, tmp_path: Path) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text('[keymap]\n"app.help" = "f2"\n"account.log_touch" = "L"\n', encoding="utf-8")
    app = make_app(sample_copy, TODAY, prefs=prefs_of(cfg))
    async with app.run_test(size=(200, 40)) as pilot:  # wide: a remapped binding goes to the footer's end
        await settle(app, pilot)
        footer = screen_text(app).splitlines()[-1]
        assert "f2 Help" in footer and "f1 Help" not in footer
        await pilot.press("f1")  # the old key no longer opens help
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("f2")
        await settle(app, pilot)
        assert isinstance(app.screen, HelpScreen)
        shown = screen_text(app)
        assert "f2 (yours)" in shown and "app.help" in shown  # help lists the keys in use
        await pilot.press("escape")
        screen = await open_northwind(app, pilot)
        select_contact(screen, "Tom Chen")
        footer = screen_text(app).splitlines()[-1]
        assert "L Log touch" in footer
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, AccountScreen)
        await pilot.press("L")
        await pilot.pause()
        assert isinstance(app.screen, LogTouchScreen)


async def test_keymap_problems_are_reported_at_start_and_never_crash(sample_copy: Path, tmp_path: Path) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text(
        'thme = "nord"\n[keymap]\n"app.hlep" = "f1"\n"account.log_touch" = "e"\n"app.search_alt" = "f3"\n',
        encoding="utf-8",
    )
    app = make_app(sample_copy, TODAY, prefs=prefs_of(cfg))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        toast = toast_text(app)
        assert "line 1: thme: unknown key" in toast
        assert "line 3: keymap.app.hlep: no binding has this id (did you mean 'app.help'?)" in toast
        assert "line 4: keymap.account.log_touch: e is already Edit contact (account.edit)" in toast
        footer = screen_text(app).splitlines()[-1]
        assert "f3 Search" in footer  # the good entry still applies
        screen = await open_northwind(app, pilot)
        select_contact(screen, "Tom Chen")
        await pilot.press("t")  # the conflicting entry kept its default key
        await pilot.pause()
        assert isinstance(app.screen, LogTouchScreen)


async def test_a_theme_picked_in_the_app_survives_a_restart(sample_copy: Path, tmp_path: Path) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text("# mine\n[keymap]\n", encoding="utf-8")
    app = make_app(sample_copy, TODAY, prefs=prefs_of(cfg))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert app.theme == "textual-dark"
        app.theme = "solarized-light"  # what the palette's "Change theme" does
        await settle(app, pilot)
        assert error_colour(app) in app.export_screenshot().lower()  # the table redrew in the new theme
    assert 'theme = "solarized-light"' in cfg.read_text(encoding="utf-8")
    assert "# mine" in cfg.read_text(encoding="utf-8")
    again = make_app(sample_copy, TODAY, prefs=prefs_of(cfg))
    async with again.run_test(size=SIZE) as pilot:
        await settle(again, pilot)
        assert again.theme == "solarized-light"
        # the app's own colours follow: a high risk is drawn in the light theme's error colour
        assert error_colour(again) in again.export_screenshot().lower()


async def test_no_color_keeps_every_verdict_readable(sample_copy: Path, monkeypatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        svg = app.export_screenshot().lower()
        assert app.current_theme.error and app.current_theme.error.lower() not in svg  # monochrome
        text = screen_text(app)
        assert "▲ HIGH" in text and "■ MED" in text  # the marks carry the verdict without colour
        screen = await open_northwind(app, pilot)
        assert screen.view is not None
        text = screen_text(app)
        assert "✗ missing" in text and "✓ ok" in text and "●●●●●" in text


async def test_dates_show_in_the_users_format(sample_copy: Path, tmp_path: Path) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text('date_format = "%d %b %Y"\n', encoding="utf-8")
    app = make_app(sample_copy, TODAY, prefs=prefs_of(cfg))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_northwind(app, pilot)
        assert screen.view is not None and screen.view.account.renewal_date is not None
        renewal = screen.view.account.renewal_date
        text = screen_text(app)
        assert f"renewal {renewal:%d %b %Y}" in text and f"renewal {renewal.isoformat()}" not in text
        await pilot.press("escape")
        await settle(app, pilot)
        assert f"{renewal:%d %b %Y} (" in screen_text(app)  # the home table's renewal column
    plain = make_app(sample_copy, TODAY)  # the next app, without the preference, is back to ISO
    async with plain.run_test(size=SIZE) as pilot:
        await open_northwind(plain, pilot)
        assert f"renewal {renewal.isoformat()}" in screen_text(plain)
