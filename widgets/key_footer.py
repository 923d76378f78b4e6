"""Textual's Footer, rebuilt only when the keys it shows change."""

from __future__ import annotations

from typing import Any

from textual.widgets import Footer


class KeyFooter(Footer):
    """The footer every screen shows.

    Textual's Footer rebuilds all of its keys (new widgets, CSS applied to each)
    after every `bindings_updated` of its screen, and a screen publishes one for
    each focus move and each `refresh_bindings`. A screen opening sends three or
    four in a row, so the same keys were built three or four times before the
    first frame. A rebuild whose keys would be the ones shown is skipped.
    """

    _shown: tuple[Any, ...] | None = None

    def _keys(self) -> tuple[Any, ...]:
        app = self.app
        return (
            self.show_command_palette,
            app.ENABLE_COMMAND_PALETTE,
            *(
                (b.key, app.get_key_display(b), b.description, b.action, b.group, enabled, tooltip)
                for _node, b, enabled, tooltip in self.screen.active_bindings.values()
                if b.show or b.key == app.COMMAND_PALETTE_BINDING
            ),
        )

    async def recompose(self) -> None:
        if not self.is_attached:
            return
        keys = self._keys()
        if keys == self._shown:
            return
        self._shown = keys
        await super().recompose()
