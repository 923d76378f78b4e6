"""Snapshots are pictures of one instant: nothing in them may depend on when it was taken."""

from __future__ import annotations

from typing import Any

import pytest
import textual.constants
from textual.widgets import Input, TextArea


@pytest.fixture(autouse=True)
def still_pictures(monkeypatch: pytest.MonkeyPatch) -> None:
    """No animation (Textual's documented TEXTUAL_ANIMATIONS level, read by each App as it is
    made) and no blinking cursor: every Input and TextArea turns its public `cursor_blink` off as
    it mounts, so a focused field shows its cursor steadily whenever the picture is taken."""
    monkeypatch.setattr(textual.constants, "TEXTUAL_ANIMATIONS", "none")
    for cls in (Input, TextArea):
        # Textual dispatches Mount to a widget class's `_on_mount` in preference to `on_mount`,
        # so the hook wraps that handler rather than adding a second one.
        def steady(widget: Any, event: Any, mount: Any = cls._on_mount) -> None:
            mount(widget, event)
            widget.cursor_blink = False

        monkeypatch.setattr(cls, "_on_mount", steady)
