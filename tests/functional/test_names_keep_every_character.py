"""Issue 31: a name typed with an emoji sequence keeps its zero-width joiner (U+200D, a format
character, not a control one) through the editor's field into the store; control characters
are still refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError
from textual import events
from textual.widgets import Input

from stakeworks.cli.launch import make_app
from stakeworks.db.store import Store
from stakeworks.domain.models import Account
from stakeworks.screens.account_editor import AccountEditor
from tests.pilot import TODAY, settle

FAMILY = "Family \U0001f468\u200d\U0001f469\u200d\U0001f467 Bakery \u2764\ufe0f"


async def type_as_a_terminal(app: object, pilot: object, text: str) -> None:
    """Each character as the terminal driver sends it: a key with its character. (Pilot's `press`
    finds no character for a joiner or a variation selector, which a real terminal sends.)"""
    for ch in text:
        app.post_message(events.Key(ch if ch.isalnum() else f"u{ord(ch):04x}", ch))  # type: ignore[attr-defined]
        await pilot.pause()  # type: ignore[attr-defined]


async def test_typed_zero_width_joiner_reaches_the_field_and_the_store(tmp_path: Path):
    db = tmp_path / "new.db"
    app = make_app(db, TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        assert isinstance(app.screen, AccountEditor)
        await type_as_a_terminal(app, pilot, FAMILY)
        assert app.screen.query_one("#name", Input).value == FAMILY
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    with Store(db) as store:
        assert [name for _, name in store.account_names()] == [FAMILY]


def test_only_control_characters_are_refused():
    assert Account(name="Zo\u00eb \U0001f469\u200d\U0001f4bb\ufe0f").name.endswith("\U0001f4bb\ufe0f")
    with pytest.raises(ValidationError, match="control character"):
        Account(name="Evil\x1b]0;pwned\x07Corp")
