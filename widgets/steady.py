"""Updating text in place without reflowing the whole screen."""

from __future__ import annotations

from rich.text import Text
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
