"""Textual's Footer, rebuilt only when the keys it shows change; in a narrow terminal, the keys
that fit, and always quit."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from rich.cells import cell_len
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

QUIT = Binding("ctrl+q", "app.quit", "Quit")


class KeyFooter(Footer):
    """The footer every screen shows.

    Textual's Footer rebuilds all of its keys (new widgets, CSS applied to each)
    after every `bindings_updated` of its screen, and a screen publishes one for
    each focus move and each `refresh_bindings`. A screen opening sends three or
    four in a row, so the same keys were built three or four times before the
    first frame. A rebuild whose keys would be the ones shown is skipped.

    Textual lays every key out on one line and cuts what does not fit ("m E…" at 80
    columns, quitting only in help): here the screen's keys come first, in the order
    the screen lists them (its most used first, a remapped one in its place), as many
    as fit whole, then quit.
    """

    _shown: tuple[Any, ...] | None = None

    def _keys(self) -> tuple[Any, ...]:
        app = self.app
        return (
            self.show_command_palette,
            app.ENABLE_COMMAND_PALETTE,
            self.size.width,
            *(
                (b.key, app.get_key_display(b), b.description, b.action, b.group, enabled, tooltip)
                for _node, b, enabled, tooltip in self.screen.active_bindings.values()
                if b.show or b.key == app.COMMAND_PALETTE_BINDING
            ),
        )

    def compose(self) -> Iterator[Widget]:
        widgets = list(super().compose())
        width = self.size.width
        if not width:
            yield from widgets
            return
        quit_key = FooterKey(QUIT.key, self.app.get_key_display(QUIT), QUIT.description, QUIT.action)
        others = [w for w in widgets if not (isinstance(w, FooterKey) and "-command-palette" in w.classes)]
        palette = [w for w in widgets if w not in others]
        # In the order the screen lists its keys (a key remapped in the config would go last),
        # then the app's: the screen's first keys are the ones kept.
        declared = [b.action for b in self.screen.BINDINGS if isinstance(b, Binding)]
        others.sort(key=lambda w: declared.index(w.action) if isinstance(w, FooterKey) and w.action in declared
                    else len(declared))  # fmt: skip
        room = width - _width(quit_key) - sum(_width(w) for w in palette)
        shown: list[Widget] = []
        for widget in others:
            room -= _width(widget)
            if room < 0:
                break
            shown.append(widget)
        yield from shown
        if not any(isinstance(w, FooterKey) and w.action in ("quit", "app.quit") for w in shown):
            yield quit_key
        yield from palette

    def on_resize(self) -> None:
        if self._shown is not None and self._shown[2] != self.size.width:
            self.call_later(self.recompose)

    async def recompose(self) -> None:
        if not self.is_attached:
            return
        keys = self._keys()
        if keys == self._shown:
            return
        self._shown = keys
        await super().recompose()


def _width(widget: Widget) -> int:
    """Cells a footer key takes: its key, its description, a space around each."""
    if isinstance(widget, FooterKey):
        return cell_len(widget.key_display) + cell_len(widget.description) + 3
    return 12  # a group's label; rare
