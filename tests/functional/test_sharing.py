"""Sharing from the app: the map exported as a picture, the map and a row on the clipboard, a file copy too."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from stakeworks.cli.launch import make_app
from stakeworks.services.session import Prefs
from tests.pilot import SIZE, TODAY, open_northwind, select_contact, settle, toast_text


async def test_export_writes_the_map_as_markdown_svg_and_html(sample_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "exports"
    app = make_app(sample_copy, TODAY, prefs=Prefs(export_dir=out))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_northwind(app, pilot)
        await pilot.press("m")
        await settle(app, pilot)
        toast = toast_text(app)  # long paths wrap in a toast: check the file names
        assert "exported" in toast and "exports/Northwind-stakeholder-map.md" in toast and ".svg" in toast
    root = ET.fromstring((out / "Northwind-stakeholder-map.svg").read_text(encoding="utf-8"))
    names = {"".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")}
    assert {"Tom Chen", "Sarah Kim", "Lisa Park"} <= names
    assert "<svg" in (out / "Northwind-stakeholder-map.html").read_text(encoding="utf-8")
    assert (
        (out / "Northwind-stakeholder-map.md").read_text(encoding="utf-8").startswith("## Stakeholder Map: Northwind")
    )


async def test_copy_the_map_and_a_row_to_the_clipboard_with_a_file_copy(sample_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "exports"
    app = make_app(sample_copy, TODAY, prefs=Prefs(export_dir=out))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+y")  # the home table's highlighted row
        await settle(app, pilot)
        first = app.clipboard
        assert "\t" in first and "HIGH" in first
        assert (out / "copied-row.txt").read_text(encoding="utf-8") == first
        assert "it is also in" in toast_text(app) and "exports/copied-row.txt" in toast_text(app)
        screen = await open_northwind(app, pilot)
        await pilot.press("c")
        await settle(app, pilot)
        assert app.clipboard.startswith("## Stakeholder Map: Northwind")
        assert (out / "Northwind-stakeholder-map.md").read_text(encoding="utf-8") == app.clipboard
        select_contact(screen, "Sarah Kim")
        await pilot.pause()
        await pilot.press("ctrl+y")  # on the map, the selected contact
        await settle(app, pilot)
        assert app.clipboard.startswith("Sarah Kim") and "CFO" in app.clipboard


async def test_a_folder_that_cannot_be_written_is_said_not_crashed(sample_copy: Path, tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    app = make_app(sample_copy, TODAY, prefs=Prefs(export_dir=blocked / "exports"))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_northwind(app, pilot)
        await pilot.press("c")
        await settle(app, pilot)
        assert app.clipboard.startswith("## Stakeholder Map")  # the clipboard still got it
        assert "clipboard; no file" in toast_text(app) and "Not a directory" in toast_text(app)
        await pilot.press("m")
        await settle(app, pilot)
        assert "Could not write to" in toast_text(app)
