"""Departments x level bands, engaged contacts only, empty cells visible."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from rich.table import Table
from rich.text import Text

from stakeworks.domain.models import Contact
from stakeworks.domain.rules import coverage_grid
from stakeworks.domain.settings import Settings
from stakeworks.domain.vocab import Band
from stakeworks.widgets import palette
from stakeworks.widgets.steady import MeasuredOnce


def render_grid(contacts: Sequence[Contact], today: date, settings: Settings) -> Table:
    grid = coverage_grid(contacts, today, settings)
    table = Table(title="Coverage grid (engaged only)", title_justify="left", expand=True, show_lines=False)
    table.add_column("Department")
    for band in Band:
        table.add_column(band.value.capitalize())
    if not grid:
        table.add_row(
            Text("no engaged contact", style=palette.BAD_STRONG), *(Text("·", style=palette.BAD) for _ in Band)
        )
    for dept, row in grid.items():
        cells = []
        for band in Band:
            people = row[band]
            if not people:
                cells.append(Text("· empty", style=palette.BAD))
                continue
            best = max(p.strength or 0 for p in people)  # engaged contacts are always rated
            names = ", ".join(p.name.split()[0] for p in people[:2]) + (
                f" +{len(people) - 2}" if len(people) > 2 else ""
            )
            cells.append(Text(f"{best}● {names}", style=palette.GOOD if best >= 4 else palette.WARN))
        table.add_row(Text(dept), *cells)
    return table


class CoverageGrid(MeasuredOnce):
    DEFAULT_CSS = """
    CoverageGrid { height: auto; padding: 0 1; }
    """

    def show(self, contacts: Sequence[Contact], today: date, settings: Settings) -> None:
        self.update(render_grid(contacts, today, settings))
