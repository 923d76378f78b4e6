"""Pilot tests of the signals inbox (issue 18): the count on the home screen, the evidence,
confirm (a title change updates the contact) and dismiss (recorded, never raised again)."""

from __future__ import annotations

from pathlib import Path

from stakeworks.cli.launch import make_app
from stakeworks.domain.evidence import Suggestion
from stakeworks.screens.signals import SignalsScreen
from stakeworks.widgets.virtual_table import VirtualTable
from tests.conftest import stored
from tests.pilot import SIZE, TODAY, screen_text, settle, toast_text


async def test_the_inbox_shows_evidence_and_confirm_and_dismiss_write(sample_copy: Path):
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        assert "2 signals (ctrl+l)" in screen_text(app)  # sample.db: a bounce and a new title wait
        await pilot.press("ctrl+l")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, SignalsScreen)
        text = screen_text(app)
        assert "email bounced" in text and "new title" in text and "Xenia O'Brien" in text
        assert "Evidence:" in text and "Director of Operations" in text  # the newest first: the title change
        await pilot.press("c")
        await pilot.pause()
        assert "title and level change" in screen_text(app)
        await pilot.press("y")
        await settle(app, pilot)
        assert "Confirmed: update Kofi Lopez's title" in toast_text(app)
        assert "1 signal," in screen_text(app)  # then the strength suggestions (issue 32)
        await pilot.press("x")  # the bounce: dismissed
        await settle(app, pilot)
        assert "0 signals," in screen_text(app)
        await pilot.press("escape")
        await settle(app, pilot)
        assert "signals (ctrl+l)" not in screen_text(app)
    assert stored(sample_copy, "SELECT title, level FROM contacts WHERE name = 'Kofi Lopez'") == [
        ("Director of Operations", "director")
    ]
    assert stored(sample_copy, "SELECT kind, status FROM signals ORDER BY id") == [
        ("email_bounced", "dismissed"),
        ("title_changed", "confirmed"),
    ]
    assert stored(sample_copy, 'SELECT status FROM contacts WHERE name = "Xenia O\'Brien"') == [("active",)]


async def test_one_inbox_for_people_seen_and_strength_suggestions_each_undoable(sample_copy: Path):
    """Issue 32: people seen and strength suggestions wait beside the signals, each with its
    evidence; one key accepts or rejects, several marked rows are accepted at once, ctrl+z undoes."""
    from datetime import timedelta

    from stakeworks.db.store import Store

    with Store(sample_copy) as s:  # what an import saw: a colleague of Aiko Tanaka's on two days
        s.record_interactions([
            (f"mail:<k{n}@x>", "ravi.new@kestrel.example", (TODAY - timedelta(days=n)).isoformat(), "from_them",
             "email", "Ravi New", "", "") for n in (3, 9)
        ])  # fmt: skip
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+l")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, SignalsScreen)
        text = screen_text(app)
        assert "1 seen not on the map" in text and "49 strength suggestions" in text
        table = screen.query_one(VirtualTable)
        table.move_cursor(row=[i.key for i in screen.items].index("seen:ravi.new@kestrel.example"))
        await settle(app, pilot)
        assert "seen on 2 days" in screen_text(app) and "add Ravi New as a contact" in screen_text(app)
        await pilot.press("c")  # added: a contact with their past as touches
        await settle(app, pilot)
        assert "Accepted: add Ravi New" in toast_text(app)
        assert stored(sample_copy, "SELECT count(*) FROM touches t JOIN contacts c ON c.id = t.contact_id "
                                   "WHERE c.email = 'ravi.new@kestrel.example'") == [(2,)]  # fmt: skip
        first = next(i for i in screen.items if i.kind == "suggestion")
        second = next(i for i in screen.items if i.kind == "suggestion" and i.key != first.key)
        for item in (first, second):
            table.move_cursor(row=[i.key for i in screen.items].index(item.key))
            await pilot.press("space")
        await pilot.press("C")
        await pilot.pause()
        assert "Accept 2 proposals?" in screen_text(app)
        await pilot.press("y")
        await settle(app, pilot)
        assert "Accepted 2 proposals" in toast_text(app)
        a, b = first.ref, second.ref
        assert isinstance(a, Suggestion) and isinstance(b, Suggestion)
        ids = (a.contact_id, b.contact_id)
        after = stored(sample_copy, "SELECT id, strength FROM contacts WHERE id IN (?, ?) ORDER BY id", ids)
        assert [s for _, s in after] == [(a if a.contact_id == cid else b).suggested for cid, _ in after]
        await pilot.press("ctrl+z")  # both back, in one undo
        await settle(app, pilot)
        restored = stored(sample_copy, "SELECT id, strength FROM contacts WHERE id IN (?, ?) ORDER BY id", ids)
        assert [s for _, s in restored] == [(a if a.contact_id == cid else b).strength for cid, _ in restored]
        table.move_cursor(row=[i.key for i in screen.items].index(first.key))
        await pilot.press("x")  # rejected: hidden until its evidence changes
        await settle(app, pilot)
        assert first.key not in [i.key for i in screen.items]
    assert stored(sample_copy, "SELECT count(*) FROM suggestion_rejections") == [(1,)]


async def test_the_inbox_computed_ahead_is_shown_and_a_dismissal_is_not_shown_again(sample_copy: Path):
    """The app computes the inbox ahead (issue 32 at 50,000 accounts): opening it draws that. A
    dismissed person seen at a domain two accounts share changes no account's summary: opened
    again, the inbox does not show them from what was computed ahead."""
    import sqlite3
    from datetime import timedelta

    from stakeworks.db.store import Store

    with sqlite3.connect(sample_copy) as conn:
        conn.execute("UPDATE accounts SET domain = 'twin.example' WHERE id IN (SELECT id FROM accounts LIMIT 2)")
    with Store(sample_copy) as s:
        s.record_interactions([
            (f"mail:<t{n}@x>", "pat@twin.example", (TODAY - timedelta(days=n)).isoformat(), "from_them", "email",
             "Pat Twin", "", "") for n in (2, 5)
        ])  # fmt: skip
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        ahead = app.session.prefetched("inbox")
        assert ahead is not None
        await pilot.press("ctrl+l")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, SignalsScreen) and screen.items is ahead
        screen.query_one(VirtualTable).move_cursor(row=screen.items.keys.index("seen:pat@twin.example"))
        await pilot.press("x")
        await settle(app, pilot)
        assert "seen:pat@twin.example" not in screen.items.keys
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("ctrl+l")
        await settle(app, pilot)
        assert isinstance(app.screen, SignalsScreen)
        assert "seen:pat@twin.example" not in app.screen.items.keys
    assert stored(sample_copy, "SELECT address FROM seen_dismissed") == [("pat@twin.example",)]
