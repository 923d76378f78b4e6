"""Refilling a DataTable whose first frame after the refill is already right."""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.console import RenderableType
from textual.widgets import DataTable

# One row: its cells in column order, then its key.
Row = tuple[Sequence[RenderableType], str]


def refill(table: DataTable[RenderableType], rows: Sequence[Row]) -> None:
    """Replace every row; the column widths fit the new rows before any frame.

    DataTable measures new rows when idle. A frame painted before that (a busy
    worker, a slow machine) keeps a header of the old widths over rows drawn
    at the new ones, so the widths are set here, as the rows are added.
    """
    table.clear()
    for n, column in enumerate(table.columns.values()):
        column.content_width = max([column.label.cell_len, *(_width(cells[n]) for cells, _ in rows)])
    for cells, key in rows:
        table.add_row(*cells, key=key)


def _width(cell: RenderableType) -> int:
    return max((cell_len(line) for line in str(cell).splitlines()), default=0)
