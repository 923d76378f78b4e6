"""Snapshots are pictures of one instant: nothing in them may depend on when it was taken."""

from __future__ import annotations

import pytest
import textual.constants
from textual import events
from textual.app import App


@pytest.fixture(autouse=True)
def still_pictures(monkeypatch: pytest.MonkeyPatch) -> None:
    """No animation (Textual's documented TEXTUAL_ANIMATIONS level, read by each App as it is
    made) and no blinking cursor: whenever a field takes focus (Textual tells the app with the
    bubbling DescendantFocus event), its public `cursor_blink` is turned off, so its cursor is
    drawn steadily whenever the picture is taken."""
    monkeypatch.setattr(textual.constants, "TEXTUAL_ANIMATIONS", "none")

    def steady_cursor(app: App[object], event: events.DescendantFocus) -> None:
        if hasattr(event.widget, "cursor_blink"):  # Input, TextArea and their kin
            event.widget.cursor_blink = False

    monkeypatch.setattr(App, "on_descendant_focus", steady_cursor, raising=False)
