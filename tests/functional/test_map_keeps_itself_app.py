"""Pilot tests of the map keeping itself in the app (issue 32): the account screen says who of
us knows each contact, our bus factor and how many people were seen there who are not on the map;
the handover view (from the palette) shows what one of ours holds, orphaned accounts first."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from textual.widgets import DataTable

from stakeworks.cli.launch import make_app
from stakeworks.db.store import Store
from stakeworks.domain.models import Touch
from tests.pilot import SIZE, TODAY, screen_text, settle, shows


def _seen_and_touched(path: Path) -> tuple[int, int]:
    """A colleague of Aiko Tanaka's (Kestrel Outdoor) seen on two days; Aiko touched by Bea."""
    with Store(path) as s:
        s.record_interactions([
            (f"mail:<k{n}@x>", "ravi.new@kestrel.example", (TODAY - timedelta(days=n)).isoformat(), "from_them",
             "email", "Ravi New", "", "") for n in (3, 9)
        ])  # fmt: skip
        (account_id,) = [a for a, name in s.account_names() if name == "Kestrel Outdoor"]
        aiko = next(c for c in s.contacts(account_id) if c.name == "Aiko Tanaka")
        s.add_touch(Touch(contact_id=aiko.id, date=TODAY - timedelta(days=2), kind="call", by_name="Bea Stone"))
        return account_id, aiko.id


async def test_the_account_screen_shows_people_seen_and_who_of_us_knows_whom(sample_copy: Path):
    from stakeworks.screens.account import AccountScreen
    from stakeworks.screens.messages import OpenAccount

    account_id, aiko = _seen_and_touched(sample_copy)
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.post_message(OpenAccount(account_id, aiko))
        await settle(app, pilot)
        assert isinstance(app.screen, AccountScreen)
        assert await shows(app, pilot, "seen here, not on the map: 1")
        assert "Our bus factor:" in screen_text(app)
        assert await shows(app, pilot, "known to us by: Bea Stone")


async def test_handover_from_the_palette_lists_what_one_of_ours_holds(sample_copy: Path):
    from stakeworks.screens.handover import HandoverScreen

    _seen_and_touched(sample_copy)
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Handover")
        await pilot.pause()
        await pilot.press("enter")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, HandoverScreen)
        people = screen.query_one("#people", DataTable)
        names = [str(k.value) for k in people.rows]
        assert "Alex Rivera" in names  # a CSM of the sample's accounts
        people.move_cursor(row=names.index("Alex Rivera"))
        await pilot.press("enter")
        await settle(app, pilot)
        assert await shows(app, pilot, "Alex Rivera holds 7 accounts")
        held = screen.query_one("#held", DataTable)
        assert held.row_count == len(screen.rows) > 0
        orphaned = [r.held.orphaned for r in screen.rows]
        assert orphaned == sorted(orphaned, reverse=True)  # orphaned accounts first
