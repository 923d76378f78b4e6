"""Escape sequences in names never reach the terminal raw (issue 19, case 5).

The names are written with SQL, as an older version (or another tool) could have stored them;
the app shows each control character as a symbol. What the terminal gets is read from the
compositor's full update, the bytes Textual writes to it.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from stakeworks.screens.app import StakeworksApp, make_app
from tests.pilot import SIZE, TODAY, screen_text, settle

EVIL = "Evil\x1b]0;pwned\x07Corp\x1b[2J"
EVIL_SHOWN = "Evil␛]0;pwned␇Corp␛[2J"


def terminal_bytes(app: StakeworksApp) -> str:
    """Everything the app would write to the terminal to draw the current screen."""
    return app.screen._compositor.render_update(full=True).render_segments(app.console)


def _legacy_names(db: Path) -> None:
    conn = sqlite3.connect(db)
    conn.execute("UPDATE accounts SET name = ? WHERE name = 'Northwind'", (EVIL,))
    conn.execute("UPDATE contacts SET name = ? WHERE name = 'Tom Chen'", ("Tom\x1b]2;x\x07Chen",))
    conn.commit()
    conn.close()


async def test_escape_sequences_in_names_show_as_symbols(sample_copy: Path):
    _legacy_names(sample_copy)
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        out = terminal_bytes(app)
        assert "\x1b]0;" not in out and "\x07" not in out and "\x1b[2J" not in out
        assert EVIL_SHOWN in screen_text(app)
