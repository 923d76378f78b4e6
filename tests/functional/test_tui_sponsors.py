"""Pilot tests of the sponsor-matching screen."""

from __future__ import annotations

from pathlib import Path

from stakeworks.cli.launch import make_app
from stakeworks.screens.sponsors import SponsorsScreen
from stakeworks.widgets.virtual_table import VirtualTable
from tests.conftest import stored
from tests.pilot import SIZE, TODAY, screen_text, settle, toast_text


def _load(path: Path, name: str) -> list[str]:
    return [
        n
        for (n,) in stored(
            path,
            "SELECT a.name FROM sponsor_assignments sa JOIN executives e ON e.id = sa.executive_id "
            "JOIN accounts a ON a.id = sa.account_id WHERE e.name = ? AND sa.active = 1 ORDER BY a.name",
            (name,),
        )
    ]


async def _open(app, pilot) -> SponsorsScreen:
    await settle(app, pilot)
    await pilot.press("ctrl+e")
    await settle(app, pilot)
    assert isinstance(app.screen, SponsorsScreen)
    return app.screen


def _select_exec(screen: SponsorsScreen, name: str) -> None:
    table = screen.query_one("#executives", VirtualTable)
    ex = next(e for e in screen.program.executives if e.name == name)  # type: ignore[union-attr]
    table.move_cursor(row=table.get_row_index(str(ex.id)))


async def test_assign_from_screen_changes_load_bar(sample_copy: Path):
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(app, pilot)
        _select_exec(screen, "Jonah Reed")
        assert "0/3" in screen_text(app)
        screen.query_one("#candidates", VirtualTable).move_cursor(row=0)
        await pilot.press("a")
        await settle(app, pilot)
        assert "Assign Jonah Reed as our sponsor of which account?" in screen_text(app)
        assert "Load 0/3: no account yet" in screen_text(app)
        await pilot.press("enter")  # the account highlighted on the screen, offered first
        await settle(app, pilot)
        assert len(_load(sample_copy, "Jonah Reed")) == 1
        row = screen.query_one("#executives", VirtualTable).get_row(
            str(next(e.id for e in screen.program.executives if e.name == "Jonah Reed"))  # type: ignore[union-attr]
        )
        assert "1/3" in str(row[1])  # the load column


async def test_fourth_assignment_refused_on_screen(sample_copy: Path):
    before = _load(sample_copy, "Ayo Mensah")
    assert len(before) == 3
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await _open(app, pilot)
        _select_exec(screen, "Ayo Mensah")
        await pilot.press("a")
        await settle(app, pilot)
        assert "Load 3/3 (full: one more is refused)" in screen_text(app)
        await pilot.press("enter")
        await settle(app, pilot)
        shown = toast_text(app)
        assert "Ayo Mensah" in shown and all(a in shown for a in before) and "Nothing was written" in shown
    assert _load(sample_copy, "Ayo Mensah") == before


async def test_accept_suggestion(sample_copy: Path):
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(app, pilot)
        first = screen.pairs[0]
        screen.query_one("#suggestions", VirtualTable).focus()
        await pilot.press("enter")
        await settle(app, pilot)
        assert first.account.name in _load(sample_copy, first.executive.name)
        assert all(p.account.id != first.account.id for p in screen.pairs)


async def test_add_and_retire_executive_from_screen(sample_copy: Path):
    from textual.widgets import Input

    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(app, pilot)
        await pilot.press("n")
        await pilot.pause()
        editor = app.screen
        editor.query_one("#name", Input).value = "Nia Okoro"
        editor.query_one("#capacity", Input).value = "5"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "exception reason" in str(editor.query_one("#error").render())  # refused in the form
        editor.query_one("#exception_reason", Input).value = "Sales lead for the bank vertical"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "0/5" in next(
            line for line in screen_text(app).splitlines() if "Nia Okoro" in line
        )  # listed, capacity 5
        _select_exec(screen, "Ayo Mensah")
        await pilot.press("r")  # asks, naming the sponsorships that end
        await pilot.pause()
        assert "Retire Ayo Mensah" in screen_text(app)
        await pilot.press("y")
        await settle(app, pilot)
    assert _load(sample_copy, "Ayo Mensah") == []


async def test_opening_the_screen_parses_no_stylesheet_again(sample_copy: Path, monkeypatch):
    """Its rules come with the app's: a stylesheet of its own would make Textual parse every rule
    of the app again, on the UI thread, as it opens (issue 36)."""
    from textual.css.stylesheet import Stylesheet

    reparsed: list[Stylesheet] = []
    reparse = Stylesheet.reparse

    def counted(self: Stylesheet) -> None:
        reparsed.append(self)
        reparse(self)

    monkeypatch.setattr(Stylesheet, "reparse", counted)
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        reparsed.clear()
        await _open(app, pilot)
        assert not reparsed
