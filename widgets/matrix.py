"""Seed 004's matrix: sentiment (rows) x key to success (columns), people placed in cells."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text

from stakeworks.domain.models import Contact, Sentiment
from stakeworks.widgets import palette

NEGATIVE = {Sentiment.RESISTANT, Sentiment.DETRACTOR}


def sentiment_matrix(contacts: Sequence[Contact]) -> Table:
    table = Table(title="Sentiment × key to success", title_justify="left", expand=True, show_lines=True)
    table.add_column("Sentiment", no_wrap=True)
    table.add_column("Key to success: YES")
    table.add_column("Key to success: no")
    people = [c for c in contacts if c.status != "departed"]
    for sentiment in Sentiment:
        cells = []
        for key in (True, False):
            names = [c.name for c in people if c.sentiment == sentiment and c.key_to_success is key]
            danger = key and sentiment in NEGATIVE
            text = Text(", ".join(names) or "·", style="dim" if not names else "")
            if danger and names:
                text = Text("⚠ DANGER: ", style=palette.BAD_STRONG) + Text(", ".join(names), style=palette.BAD_STRONG)
            elif danger:
                text = Text("(danger zone: empty)", style=palette.BAD)
            cells.append(text)
        table.add_row(Text(sentiment.value), *cells)
    return table
