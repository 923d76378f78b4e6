"""Type-ahead: keys typed while a screen opens reach it, in the order they were typed.

Textual hands each key to the focused widget at once, and looks up a key's binding only when
the key comes back up to the app unhandled. So the keys typed in the same moment as "t" (log a
touch) were all handed to the account screen's map before "t" opened the dialog, and came back
up after it: the dialog's bindings had nothing for them, and they were lost ("t", then
"Quick note" saved an empty touch). Two places catch them:

- a screen that gets back a key it was handed after another screen came on top of it passes the
  key on to that screen;
- a screen just pushed has no focus yet (its `on_mount` asks for focus through `call_later`,
  after the keys already waiting), so Textual hands keys to the bare screen: it keeps them, and
  hands them on, in order, to the first widget that takes the focus; any later key goes straight
  there, so none overtakes another.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar
from weakref import WeakKeyDictionary

from textual import events
from textual.message import Message
from textual.screen import Screen

if TYPE_CHECKING:
    from textual.app import App
    from textual.widget import Widget

    _Screen = Screen[Any]
    _App = App[Any]
else:
    _Screen = _App = object

_TYPED_ON: WeakKeyDictionary[events.Key, Screen[Any]] = WeakKeyDictionary()
"""The screen each key in flight was handed to (the app learns it when the key reaches it)."""


class KeepsTypeAhead(_Screen):
    """Mixin for screens: keys that arrive before the screen's first focus wait for it."""

    # Textual's auto-focus would focus the first focusable widget as the screen is composed,
    # before `on_mount` says which field comes first: the waiting keys would go to the wrong one.
    # The screen's own choice comes first; the first focusable widget is the fallback (below).
    AUTO_FOCUS: ClassVar[str | None] = ""

    _typed_ahead: list[events.Key] | None = None
    _type_ahead_over = False

    def post_message(self, message: Message) -> bool:
        if isinstance(message, events.Key) and not self._type_ahead_over and self.focused is None:
            # The app forwards a key here only when nothing has the focus: kept for the first one.
            if self._typed_ahead is None:
                self._typed_ahead = []
            self._typed_ahead.append(message)
            return True
        return super().post_message(message)

    async def _on_key(self, event: events.Key) -> None:
        # A key coming up unhandled from this screen's widgets, on its way to the app's bindings.
        _TYPED_ON[event] = self

    def set_focus(self, widget: Widget | None, scroll_visible: bool = True, from_app_focus: bool = False) -> None:
        super().set_focus(widget, scroll_visible, from_app_focus)
        if not self._type_ahead_over and self.focused is not None:
            self._hand_on(self.focused)

    def _on_mount(self, event: events.Mount) -> None:
        # Queued after the focus that the screen's own `on_mount` asks for (it runs first).
        self.app.call_later(self._focus_if_nobody_did)

    def _focus_if_nobody_did(self) -> None:
        if self._type_ahead_over:
            return
        if self.focused is None:
            first = next((w for w in self.query("*") if w.focusable), None)
            if first is not None:
                self.set_focus(first)  # hands the keys on
                return
        self._hand_on(self)  # nothing to focus: the screen's own bindings take them

    def _hand_on(self, target: Widget) -> None:
        self._type_ahead_over = True
        waiting, self._typed_ahead = self._typed_ahead or [], None
        for key in waiting:  # already marked forwarded by the app: handled as if sent there at first
            target.post_message(key)


class HandsOnTypeAhead(_App):
    """Mixin for the app: a key that comes back unhandled from a screen that is no longer on top
    (the key before it opened a dialog) is handed to the screen on top, as it would have been
    had the dialog been open when it was typed; its bindings are looked up there."""

    async def _on_key(self, event: events.Key) -> None:
        typed_on = _TYPED_ON.pop(event, None)
        if typed_on is None or typed_on is self.screen or not isinstance(self.screen, KeepsTypeAhead):
            return  # Textual's own handling: bindings, then the app's key methods
        event.stop()
        event.prevent_default()
        hand_to_top(self.screen, event)


def hand_to_top(top: Screen[Any], event: events.Key) -> None:
    """Hand a key to the screen on top, as the app hands a key it was just sent."""
    again = events.Key(event.key, event.character)
    again._set_forwarded()  # as the app marks the keys it hands out, so it never hands one out twice
    (top.focused or top).post_message(again)
