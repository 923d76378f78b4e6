"""The footer (widgets/key_footer.py) follows the keys in force, and is rebuilt only when they change."""

from __future__ import annotations

from pathlib import Path

from stakeworks.cli.launch import make_app
from stakeworks.screens.app import StakeworksApp
from stakeworks.widgets.key_footer import KeyFooter
from tests.pilot import SIZE, TODAY, screen_text, settle


def _footer_line(app: StakeworksApp) -> str:
    return screen_text(app).splitlines()[-1]


async def test_the_footer_follows_focus_and_keeps_its_keys_while_they_stay_the_same(sample_copy: Path) -> None:
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        footer = app.screen.query_one(KeyFooter)
        # The filter has focus: letters are text, so the list's letter keys are not offered.
        assert "Clear filter" in _footer_line(app) and "Sort" not in _footer_line(app)
        await pilot.press("down")  # into the list: its keys appear
        await settle(app, pilot)
        assert "Sort" in _footer_line(app) and "Import CSV" in _footer_line(app)
        keys = list(footer.children)
        app.screen.refresh_bindings()  # nothing changed: the same key widgets stay
        app.screen.refresh_bindings()
        await settle(app, pilot)
        assert list(footer.children) == keys
        await pilot.press("n")  # a letter goes back to the filter: rebuilt without the list's letters
        await settle(app, pilot)
        assert "Sort" not in _footer_line(app)
        assert list(footer.children) != keys
