"""Two accounts with one name are told apart (by CRM id) in every list of the app (issue 31)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from stakeworks.cli.launch import make_app
from stakeworks.db.store import Store
from stakeworks.domain.models import Account
from tests.pilot import SIZE, TODAY, screen_text, settle

FIRST = "Nissan Motors (Salesforce 001Dn00000KfQ2c)"
SECOND = "Nissan Motors (Salesforce 001Dn00000KfQ9z)"


def _two_nissans(db: Path, arr: float = 100_000) -> None:
    with Store(db) as s:
        for crm_id in ("001Dn00000KfQ2c", "001Dn00000KfQ9z"):
            s.save_account(Account(name="Nissan Motors", crm="salesforce", crm_id=crm_id, arr=arr, tier="enterprise"))


async def test_home_and_triage_tell_two_accounts_of_one_name_apart(sample_copy: Path):
    _two_nissans(sample_copy)
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.screen.query_one("#filter", Input).value = "nissan"
        await settle(app, pilot)
        text = screen_text(app)
        # the column is 26 wide: the middle goes, the ids' ends stay
        assert "Nissan Motors…n00000KfQ2c)" in text and "Nissan Motors…n00000KfQ9z)" in text, text
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        text = screen_text(app)
        assert "00000KfQ2c)" in text and "00000KfQ9z)" in text, text


async def test_search_and_the_sponsor_program_tell_them_apart(sample_copy: Path):
    _two_nissans(sample_copy, arr=90_000_000)  # big enough to be program accounts without a sponsor
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+f")
        await settle(app, pilot)
        await pilot.press(*"nissan")
        await settle(app, pilot)
        text = screen_text(app)  # the CRM id is the entry's detail
        assert "Nissan Motors  account · Salesforce 001Dn00000KfQ2c" in text
        assert "Nissan Motors  account · Salesforce 001Dn00000KfQ9z" in text
        await pilot.press("escape", "ctrl+e")
        await settle(app, pilot)
        text = screen_text(app)
        # the sponsors screen's account columns lose a long name's middle, never the ids' ends
        assert "Nissan Motors…0000KfQ2c)" in text and "Nissan Motors…0000KfQ9z)" in text, text
