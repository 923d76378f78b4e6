"""A list of choices, several allowed, whose checked state reads without colour: [x] / [ ]."""

from __future__ import annotations

from typing import Generic, TypeVar

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip
from textual.widgets import OptionList, SelectionList
from textual.widgets.option_list import OptionDoesNotExist

T = TypeVar("T")

CHECKED, UNCHECKED = "[x] ", "[ ] "


class Checklist(SelectionList[T], Generic[T]):
    """SelectionList draws the same block for checked and unchecked items and tells
    them apart by colour alone; this draws a box with an x in it, or an empty one.
    Space (or enter, or a click) toggles the highlighted item, as in SelectionList."""

    def render_line(self, y: int) -> Strip:
        line = OptionList.render_line(self, y)  # the prompt alone, without SelectionList's block
        index = self.scroll_offset.y + y
        try:
            option = self.get_option_at_index(index)
        except OptionDoesNotExist:
            return line
        checked = option.value in self.selected
        base = next(iter(line)).style or self.rich_style
        mark = Style(bold=True) if checked else Style(dim=True)
        style = base + mark + Style(meta={"option": index})
        return Strip([Segment(CHECKED if checked else UNCHECKED, style), *line])
