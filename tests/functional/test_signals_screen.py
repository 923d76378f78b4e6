"""Pilot tests of the signals inbox (issue 18): the count on the home screen, the evidence,
confirm (a title change updates the contact) and dismiss (recorded, never raised again)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable

from stakeworks.cli.launch import make_app
from stakeworks.screens.signals import SignalsScreen
from tests.conftest import stored
from tests.pilot import SIZE, TODAY, screen_text, settle, toast_text


async def test_the_inbox_shows_evidence_and_confirm_and_dismiss_write(sample_copy: Path):
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        assert "2 signals (ctrl+l)" in screen_text(app)  # sample.db: a bounce and a new title wait
        await pilot.press("ctrl+l")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, SignalsScreen)
        text = screen_text(app)
        assert "email bounced" in text and "new title" in text and "Xenia O'Brien" in text
        assert "Evidence:" in text and "Director of Operations" in text  # the newest first: the title change
        await pilot.press("c")
        await pilot.pause()
        assert "title and level change" in screen_text(app)
        await pilot.press("y")
        await settle(app, pilot)
        assert "Confirmed: update Kofi Lopez's title" in toast_text(app)
        assert screen.query_one(DataTable).row_count == 1
        await pilot.press("x")  # the bounce: dismissed
        await settle(app, pilot)
        assert "No open signals" in screen_text(app)
        await pilot.press("escape")
        await settle(app, pilot)
        assert "signals (ctrl+l)" not in screen_text(app)
    assert stored(sample_copy, "SELECT title, level FROM contacts WHERE name = 'Kofi Lopez'") == [
        ("Director of Operations", "director")
    ]
    assert stored(sample_copy, "SELECT kind, status FROM signals ORDER BY id") == [
        ("email_bounced", "dismissed"),
        ("title_changed", "confirmed"),
    ]
    assert stored(sample_copy, 'SELECT status FROM contacts WHERE name = "Xenia O\'Brien"') == [("active",)]
