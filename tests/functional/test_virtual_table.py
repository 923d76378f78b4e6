"""The lazy table's rows by key (issue 20: its key index is made on first use, not on every
refill of 50,000 rows): the cursor stays on the row it was on, and lookups by key answer."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult

from stakeworks.widgets.virtual_table import VColumn, VirtualTable


class OneTable(App[None]):
    def compose(self) -> ComposeResult:
        yield VirtualTable([VColumn("name", "Name", 10)], id="t")


def _cells(keys: list[str]):
    return lambda row, column: Text(f"row {keys[row]}")


async def test_refilled_rows_keep_the_cursor_on_its_key_and_answer_by_key():
    app = OneTable()
    async with app.run_test(size=(40, 12)) as pilot:
        table = app.query_one(VirtualTable)
        first = ["a", "b", "c", "d", "e"]
        table.set_rows(first, _cells(first))
        table.move_cursor(row=table.get_row_index("c"))
        await pilot.pause()
        assert table.cursor_key == "c"
        again = ["e", "d", "c", "b", "a", "f"]
        table.set_rows(again, _cells(again), table.cursor_key)  # refilled in another order
        assert (table.cursor_row, table.cursor_key) == (2, "c")
        assert table.get_row_index("f") == 5 and table.get_row("a")[0].plain == "row a"
        table.set_rows(["x", "y"], _cells(["x", "y"]), "c")  # its row is gone: the first one
        assert table.cursor_key == "x"
        table.set_rows(["y", "x"], _cells(["y", "x"]), "x")
        await pilot.press("down", "up", "down")
        assert table.cursor_key == "x" and table.selected_text == "row x"


async def test_rows_take_the_new_background_when_the_theme_changes():
    """The table's own style is worked out once per style change, not per line: a new theme
    still reaches the rows drawn after it."""
    app = OneTable()
    async with app.run_test(size=(40, 12)) as pilot:
        table = app.query_one(VirtualTable)
        keys = [str(i) for i in range(6)]
        table.set_rows(keys, _cells(keys))
        await pilot.pause()
        before = list(table.render_line(3))[-1].style
        app.theme = "textual-light" if app.theme != "textual-light" else "textual-dark"
        await pilot.pause()
        after = list(table.render_line(3))[-1].style
        assert before is not None and after is not None and before.bgcolor != after.bgcolor
        assert after.bgcolor == table.rich_style.bgcolor
