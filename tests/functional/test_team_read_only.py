"""Pilot on a team store as a CSM (issue 34): an account that is someone else's is shown
read-only with the reason, and its editors do not open (never a failed save); their own
account stays editable."""

from __future__ import annotations

from pathlib import Path

from stakeworks.cli.launch import make_app
from stakeworks.cli.main import main
from stakeworks.db.store import Store
from stakeworks.screens.account import AccountScreen
from stakeworks.screens.contact_editor import ContactEditor
from tests.conftest import NORTHWIND_CONTACTS
from tests.pilot import SIZE, TODAY, screen_text, select_contact, shows

ACCOUNTS = """name,arr,currency,renewal_date,tier,csm
Northwind,240000,EUR,2026-09-30,enterprise,Alex Rivera
Contoso,90000,EUR,2027-02-28,mid_market,Dana Ruiz
"""


async def test_someone_elses_account_is_read_only_with_the_reason(server_db: str, tmp_path: Path):
    (tmp_path / "a.csv").write_text(ACCOUNTS)
    (tmp_path / "c.csv").write_text(
        NORTHWIND_CONTACTS
        + "Contoso,Ivy Moss,CTO,ivy@contoso.example,IT,c_level,champion,4,supportive,2026-10-01,call\n"
    )
    for args in (("import", "accounts", str(tmp_path / "a.csv")), ("import", "contacts", str(tmp_path / "c.csv")),
                 ("team", "add", "dana", "--role", "csm", "--name", "Dana Ruiz")):  # fmt: skip
        assert main(["--db", server_db, *args]) == 0
    as_dana = server_db.replace("postgres@", "dana@")
    with Store(server_db) as s:
        ids = {name: i for i, name in s.account_names()}
    app = make_app(as_dana, TODAY)
    # No `settle`: on a server the app's watcher of the team's changes (LISTEN) works until it quits.
    async with app.run_test(size=SIZE) as pilot:
        assert await shows(app, pilot, "Northwind")
        app.push_screen(AccountScreen(ids["Northwind"]))
        reason = "Dana Ruiz (csm) may not change Northwind: its CSM is Alex Rivera"
        assert await shows(app, pilot, f"Read-only: {reason}")
        assert await shows(app, pilot, "Tom Chen")
        screen = app.screen
        assert isinstance(screen, AccountScreen)
        select_contact(screen, "Tom Chen")
        for key in ("e", "t", "d", "E"):
            await pilot.press(key)
            await pilot.pause(0.1)
            assert app.screen is screen, key  # no editor opened
        # Each key said why, as a notice (the app's list of them: a toast may be gone on a slow machine).
        assert [n.message for n in app._notifications] == [reason] * 4
        await pilot.press("escape")
        app.push_screen(AccountScreen(ids["Contoso"]))
        assert await shows(app, pilot, "Ivy Moss")
        assert "Read-only" not in screen_text(app)
        select_contact(app.screen, "Ivy Moss")  # type: ignore[arg-type]
        await pilot.press("e")
        for _ in range(100):
            if isinstance(app.screen, ContactEditor):
                break
            await pilot.pause(0.05)
        assert isinstance(app.screen, ContactEditor)


async def test_a_csm_sees_the_teams_settings_read_only_with_the_reason(server_db: str):
    from textual.widgets import DataTable

    from stakeworks.screens.settings import SettingsScreen

    assert main(["--db", server_db, "team", "add", "dana", "--role", "csm", "--name", "Dana Ruiz"]) == 0
    app = make_app(server_db.replace("postgres@", "dana@"), TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.2)
        app.push_screen(SettingsScreen())
        reason = "Dana Ruiz (csm) may not change the team's settings: an admin does"
        assert await shows(app, pilot, f"Read-only: {reason}")
        screen = app.screen
        assert isinstance(screen, SettingsScreen)
        screen.query_one("#settings", DataTable).focus()
        for key in ("enter", "r"):
            await pilot.press(key)
            await pilot.pause(0.1)
            assert screen.editing is None, key  # no field opened, nothing written
            assert not screen.query_one("#edit-row").display
    with Store(server_db) as s:
        assert s.settings().due_soon_days == 14
