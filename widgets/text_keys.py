"""Typing text that holds format characters: the zero-width joiner of an emoji sequence.

Textual's Input and TextArea insert a key's character only when `str.isprintable()` says so,
and Python counts format characters (Unicode category Cf: U+200D ZERO WIDTH JOINER, the
direction marks) as not printable, so "👩‍💻" typed into a name arrived as "👩💻" (issue 31).
They are text, not control characters: the screens hand such a key to the focused field here.
"""

from __future__ import annotations

import sys
import unicodedata
from typing import TYPE_CHECKING, TypeGuard

from textual import events
from textual.widget import Widget
from textual.widgets import Input

if TYPE_CHECKING:
    from textual.widgets import TextArea


def is_text_area(widget: object) -> TypeGuard[TextArea]:
    """Whether `widget` is a TextArea, without loading TextArea (its document and syntax
    machinery: ~10% of the app's start) before a screen that has one does."""
    module = sys.modules.get("textual.widgets._text_area")
    return module is not None and isinstance(widget, module.TextArea)


def is_format_character(character: str | None) -> bool:
    """A character that is text but not `isprintable()`: a zero-width joiner, a direction mark."""
    return character is not None and len(character) == 1 and unicodedata.category(character) == "Cf"


def type_format_character(focused: Widget | None, event: events.Key) -> bool:
    """Insert a format character the focused text field let through; True when it was inserted."""
    if not is_format_character(event.character) or focused is None or focused.disabled:
        return False
    character = str(event.character)
    if isinstance(focused, Input):
        if focused.selection.is_empty:
            focused.insert_text_at_cursor(character)
        else:
            focused.replace(character, *focused.selection)
    elif is_text_area(focused) and not focused.read_only:
        focused.replace(character, *focused.selection)
    else:
        return False
    event.stop()
    event.prevent_default()
    return True
