"""The import screen: check a file, see its problems or its mapping, write it with progress."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, ProgressBar

from stakeworks.db.store import Store
from stakeworks.domain.models import Contact
from stakeworks.screens.app import make_app
from stakeworks.screens.importer import ImportScreen
from tests.pilot import SIZE, TODAY, screen_text, settle


def _people(db: Path, account: str) -> dict[str, Contact]:
    with Store(db) as s:
        return {c.name: c for c in s.contacts(next(i for i, n in s.account_names() if n == account))}


async def test_import_screen_preview_errors_then_write(sample_copy: Path, tmp_path: Path):
    bad = tmp_path / "bad.csv"
    bad.write_text("account,name,strength\nNorthwind,Neo N,9\n")
    good = tmp_path / "good.csv"
    good.write_text("account,name,title\nNorthwind,Neo N,Head of Data\n")
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("down", "i")  # the letter keys act on the list; in the filter they are text
        await pilot.pause()
        assert isinstance(app.screen, ImportScreen)
        app.screen.query_one("#path", Input).value = str(bad)
        await pilot.press("enter")
        await settle(app, pilot)
        assert "line 2, column strength: 9 is out of range" in screen_text(app)
        await pilot.press("ctrl+s")  # nothing valid to write
        await settle(app, pilot)
        app.screen.query_one("#path", Input).value = str(good)
        await pilot.press("enter")
        await settle(app, pilot)
        text = screen_text(app)
        assert "'title' -> title" in text and "Director (inferred)" in text
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "1 added" in screen_text(app)
    people = _people(sample_copy, "Northwind")
    assert "Neo N" in people and people["Neo N"].level == "director"


async def test_import_screen_streams_a_big_file_with_progress(sample_copy: Path, tmp_path: Path):
    big = tmp_path / "big.csv"
    big.write_text("account,name,title\n" + "".join(f"Northwind,Person {i},Analyst\n" for i in range(12_000)))
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("down", "i")  # the letter keys act on the list; in the filter they are text
        await pilot.pause()
        app.screen.query_one("#path", Input).value = str(big)
        await pilot.press("enter")
        await settle(app, pilot)
        assert "First rows (12000 valid)" in screen_text(app)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "12000 added" in screen_text(app)
        bar = app.screen.query_one(ProgressBar)
        assert (bar.total, bar.progress) == (12_000, 12_000)
        assert not bar.has_class("-writing")  # shown only while writing
    assert len(_people(sample_copy, "Northwind")) > 12_000
