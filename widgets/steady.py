"""Updating text in place without reflowing the whole screen."""

from __future__ import annotations

from rich.text import Text
from textual.geometry import Size
from textual.visual import visualize
from textual.widgets import Static


def update_steady(widget: Static, content: Text) -> None:
    """Update a Static; ask for a layout only when its height changes.

    `Static.update` reflows the whole screen by default: on the contact editor
    that is ~60 widgets, several times the cost of the rules behind a live edit.
    """
    width = widget.content_size.width
    same_height = (
        width > 0
        # Textual's own widgets pass their RenderStyles where get_height is annotated RulesMap.
        and visualize(widget, content).get_height(widget.styles, width)  # type: ignore[arg-type]
        == widget.content_size.height
    )
    widget.update(content, layout=not same_height)


class MeasuredOnce(Static):
    """A Static that measures its content once per width until the content changes.

    Textual forgets a widget's measured height whenever the widget is repainted, and a widget
    whose size a layout has just changed is repainted: a long text or a Rich table would be
    measured again on every later layout of the screen (3-5 ms each for an account's coverage
    grid), though only new content changes what it measures."""

    _measured: tuple[object, dict[int, int]] | None = None
    """The content last measured and its height at each width."""

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        if self._measured is None or self._measured[0] is not self.visual:
            self._measured = (self.visual, {})
        heights = self._measured[1]
        if width not in heights:
            heights[width] = super().get_content_height(container, viewport, width)
        return heights[width]
