"""The demo's date shift moves every date column the schema has, so no part of the demo goes stale."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from stakeworks.db.demo import DATE_COLUMNS
from stakeworks.db.store import Store


def test_every_date_column_of_the_schema_is_shifted(tmp_path: Path):
    with Store(tmp_path / "s.db"):
        pass
    conn = sqlite3.connect(tmp_path / "s.db")
    dated: set[tuple[str, str]] = set()
    for table, sql in conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql IS NOT NULL"):
        # the schema checks every date column with date(col, '+0 days')
        dated |= {(table, col) for col in re.findall(r"date\((\w+), '\+0 days'\)", sql)}
    shifted = {(t, c) for t, cols in DATE_COLUMNS.items() for c in cols}
    assert ("sponsor_reviews", "proposed_on") in dated  # the pattern finds the columns
    assert dated <= shifted, f"not shifted: {sorted(dated - shifted)}"
