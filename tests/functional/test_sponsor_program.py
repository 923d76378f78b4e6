"""Pilot tests of the sponsor program's owner in the app (issue 22): the review screen (approve,
decline with a reason, the measurement), a nomination from the account screen, and a touch
logged with one of our executives."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Input

from stakeworks.cli.launch import make_app
from stakeworks.screens.sponsor_program import SponsorProgramScreen
from tests.conftest import stored
from tests.pilot import SIZE, TODAY, open_northwind, screen_text, select_contact, settle, shows, toast_text


async def _program(app, pilot) -> SponsorProgramScreen:
    await settle(app, pilot)
    await pilot.press("ctrl+e")  # the sponsors screen
    await settle(app, pilot)
    await pilot.press("o")  # the owner's review
    await settle(app, pilot)
    assert isinstance(app.screen, SponsorProgramScreen)
    return app.screen


def _reviews(db: Path) -> list[tuple[str, str, str, str]]:
    return stored(
        db,
        "SELECT a.name, r.status, r.decided_by, r.decision_reason FROM sponsor_reviews r "
        "JOIN accounts a ON a.id = r.account_id ORDER BY r.id",
    )


async def test_the_owner_approves_a_nomination_with_its_fit_in_view(sample_copy: Path):
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await _program(app, pilot)
        assert await shows(app, pilot, "nomination · Alex Rivera")
        text = screen_text(app)
        # sample.db: a CSM nominated Northwind with Hannah Berg; her fit and load in words
        assert "Northwind" in text and "Hannah Berg" in text and "nomination · Alex Rivera" in text
        assert "CFO not engaged" in text and "fit 75" in text and "sponsors Cedar Motors" in text
        assert "Ayo Mensah" in text and "Beacon Media" in text  # the measurement below
        await pilot.press("y")
        await pilot.pause()
        assert "Approve Hannah Berg for Northwind?" in screen_text(app)
        await pilot.press("y")
        await settle(app, pilot)
        await settle(app, pilot)  # the decision's worker starts the reload's
        assert "Approved: Hannah Berg now sponsors Northwind." in toast_text(app)
        assert await shows(app, pilot, "Nothing waiting."), screen_text(app)
    assert _reviews(sample_copy)[0][:2] == ("Northwind", "approved")
    assert stored(sample_copy, "SELECT count(*) FROM sponsor_assignments s JOIN accounts a ON a.id = s.account_id "
                               "WHERE a.name = 'Northwind' AND s.active = 1 AND s.score_at_start IS NOT NULL") == [(1,)]  # fmt: skip


async def test_the_owner_declines_saying_why(sample_copy: Path):
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await _program(app, pilot)
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("enter")  # an empty reason is not taken
        await pilot.pause()
        assert "Write a few words first" in screen_text(app)
        await pilot.press(*"multi-thread first")
        await pilot.press("enter")
        await settle(app, pilot)
        assert "Declined Northwind." in toast_text(app)
    assert _reviews(sample_copy)[0][1] == "declined" and _reviews(sample_copy)[0][3] == "multi-thread first"


async def test_a_csm_nominates_the_account_from_its_screen(sample_copy: Path):
    before = len(_reviews(sample_copy))
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_northwind(app, pilot)
        # Northwind already waits with Hannah Berg; this CSM asks for no one in particular
        await pilot.press("N")
        await settle(app, pilot)
        assert "Nominate Northwind: with which of our executives?" in screen_text(app)
        await pilot.press("enter")  # the first choice: the owner picks
        await pilot.pause()
        await pilot.press(*"renewal at risk", "enter")
        await settle(app, pilot)
        assert "Nominated for the sponsor program" in toast_text(app)
        assert app.screen is screen
    rows = _reviews(sample_copy)
    assert len(rows) == before + 1 and rows[-1][:2] == ("Northwind", "pending")


async def test_a_touch_logged_with_our_executive_counts_for_the_program(sample_copy: Path):
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_northwind(app, pilot)
        select_contact(screen, "Sarah Kim")
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        app.screen.query_one("#by", Input).focus()
        await pilot.press(*"Hannah Berg", "enter")
        await settle(app, pilot)
    rows = stored(sample_copy, "SELECT t.by_name, e.name FROM touches t JOIN executives e ON e.id = t.by_executive_id "
                               "JOIN contacts c ON c.id = t.contact_id WHERE c.name = 'Sarah Kim'")  # fmt: skip
    assert rows == [("Hannah Berg", "Hannah Berg")]


async def test_the_measurement_lists_executives_with_overdue_duties_first(sample_copy: Path):
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _program(app, pilot)
        table = screen.query_one("#measure", DataTable)
        heads = [
            str(table.get_row_at(i)[0])
            for i in range(table.row_count)
            if not str(table.get_row_at(i)[0]).startswith("  ")
        ]
        overdue = [h for h in heads if "duties overdue" in h]
        assert overdue and heads[: len(overdue)] == overdue  # every overdue executive before the others
        assert screen.report is not None and screen.report.totals["improved"] >= 3  # Ayo's accounts improved
