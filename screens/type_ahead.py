"""Type-ahead: keys typed while a screen opens reach it, in the order they were typed.

Textual hands each key to the focused widget at once, and looks up a key's binding only when
the key comes back up to the app unhandled. A terminal delivers a burst ("ctrl+n", then the new
account's name) as keys queued together: Textual would hand every one of them to the home
screen's filter before "ctrl+n" came back up and opened the editor, and the name landed in the
filter. Three places keep the keys in order:

- the app hands a key on only when the one before it has come home (`HoldsTypeAhead`): a
  `KeyHome` message follows each key to the widget it was handed to and bubbles back up behind
  it, a few laps, so a screen that key opens (through a binding, or a message it caused, as
  enter opens an account) is on top before the next key is handed out; a screen that reads in a
  worker before it opens holds the keys while the worker runs (`hold_keys_while`);
- a screen just pushed has no focus yet (its `on_mount` asks for focus through `call_later`),
  so Textual hands keys to the bare screen: it keeps them (`KeepsTypeAhead`), and hands them on,
  in order, to the first widget that takes the focus; any later key goes straight there;
- a key that still comes back unhandled from a screen no longer on top is handed to the one on
  top, as it would have been had that screen been open when it was typed.
"""

from __future__ import annotations

from collections import deque
from time import monotonic
from typing import TYPE_CHECKING, Any, ClassVar
from weakref import WeakKeyDictionary

from textual import events
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input
from textual.worker import WorkerState

from stakeworks.widgets.text_keys import is_text_area

if TYPE_CHECKING:
    from textual.app import App
    from textual.timer import Timer
    from textual.widget import Widget
    from textual.worker import Worker

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
    _loading: Worker[Any] | None = None
    _awaiting_rows: Widget | None = None
    _rows_in = False

    def post_message(self, message: Message) -> bool:
        if isinstance(message, events.Key) and not self._type_ahead_over and self.focused is None:
            # The app forwards a key here only when nothing has the focus: kept for the first one.
            if self._typed_ahead is None:
                self._typed_ahead = []
            self._typed_ahead.append(message)
            return True
        return super().post_message(message)

    @property
    def keeps_keys(self) -> bool:
        """Whether keys typed ahead wait here for the first focus."""
        return bool(self._typed_ahead)

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

    def focus_when_loaded(self, worker: Worker[Any]) -> None:
        """The keys typed ahead wait for `worker`, which reads what this screen's keys act on (the
        account screen's `a` needs its account): the screen takes the focus when it shows what was
        read, or, should the worker fail, its first focusable widget does."""
        self._loading = worker

    def focus_when_shown(self, widget: Widget) -> None:
        """The keys typed ahead wait until the screen shows its rows (`rows_shown`), wherever they
        come from (computed ahead by the app, its worker's, or this screen's own read); then
        `widget` takes the focus and them: space typed with ctrl+l marks the inbox's first row, not
        an empty table. Should a worker of this screen fail meanwhile, its first focusable widget
        takes them."""
        if self._rows_in:  # shown already (rows computed ahead can come before `on_mount`)
            if self.focused is None:
                self.set_focus(widget)
        else:
            self._awaiting_rows = widget

    def rows_shown(self) -> None:
        """The rows are on screen: the widget `focus_when_shown` named takes the focus, and the keys."""
        self._rows_in = True
        widget, self._awaiting_rows = self._awaiting_rows, None
        if widget is not None and self.focused is None:
            self.set_focus(widget)  # hands the keys on

    def _on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker is self._loading and event.worker.is_finished:
            self._loading = None
            self._focus_if_nobody_did()
        elif self._awaiting_rows is not None and event.state == WorkerState.ERROR:
            self._awaiting_rows = None
            self._focus_if_nobody_did()

    def _focus_if_nobody_did(self) -> None:
        if self._type_ahead_over or self._awaiting_rows is not None:
            return
        if self._loading is not None and not self._loading.is_finished:
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
        if waiting and isinstance(self.app, HoldsTypeAhead):
            self.app.type_again(waiting)  # one at a time, as typed: one of them may open a screen
            return
        for key in waiting:  # already marked forwarded by the app: handled as if sent there at first
            target.post_message(key)


LAPS = 3
"""How many times `KeyHome` goes down to a key's widget and back before the next key is handed
out: the key itself, then the messages it caused (enter: the input's Submitted, then the screen's
OpenAccount), each one hop further."""
GIVE_UP_S = 3.0
"""A `KeyHome` not back after this long is taken as home: a last resort (a widget on its way up
was removed, which `is_attached` tells at once; a loaded machine takes up to a second a lap)."""
POLL_S = 0.05


class KeyHome(Message):
    """Follows a key to the widget it was handed to, and bubbles back up to the app behind it."""

    def __init__(self, lap: int, target: Widget, *, text: bool = False) -> None:
        super().__init__()
        self.lap = lap
        self.target = target
        self.text = text
        """It follows a letter typed into a text field."""
        self.sent = monotonic()


def _is_text(key: events.Key, target: Widget | None) -> bool:
    return key.is_printable and (isinstance(target, Input) or is_text_area(target))


class HoldsTypeAhead(_App):
    """Mixin for the app: keys are handed out one at a time (module docstring), and a key that
    comes back unhandled from a screen that is no longer on top is handed to the screen on top."""

    _keys_waiting: deque[events.Key] | None = None
    _key_out: KeyHome | None = None
    _opening: list[Worker[Any]] | None = None
    _key_poll: Timer | None = None

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:  # from the terminal
            if self._keys_waiting is None:
                self._keys_waiting = deque()
            self._keys_waiting.append(event)
            await self._hand_out_keys()
            return
        await super().on_event(event)

    def type_again(self, keys: list[events.Key]) -> None:
        """Keys a screen kept for its first focus, handed out again before any typed after them."""
        waiting = self._keys_waiting = self._keys_waiting or deque()
        waiting.extendleft(self._typed_again(k) for k in reversed(keys))
        self.call_later(self._hand_out_keys)

    def _typed_again(self, key: events.Key) -> events.Key:
        again = events.Key(key.key, key.character)
        # Sent by the app, as the driver's keys are: made while a screen's handler runs, the key
        # would name that screen its sender, and Textual stops a key at its sender's child, short
        # of the app's check of the screen's bindings (space typed with ctrl+l never marked a row).
        again.set_sender(self)
        return again

    def hold_keys_while(self, worker: Worker[Any]) -> None:
        """Keys typed while `worker` runs wait for it: it reads what a screen needs, then opens it."""
        if self._opening is None:
            self._opening = []
        self._opening.append(worker)
        self._poll_keys_soon()

    def _keys_held(self, after: events.Key | None = None) -> bool:
        """Whether keys wait (`after`: the next one, which may follow text at once)."""
        if self._opening:
            self._opening = [w for w in self._opening if not w.is_finished]
        out = self._key_out
        if out is not None and (not out.target.is_attached or monotonic() - out.sent > GIVE_UP_S):
            # Its widget went (an editor saved and closed) before the lap came back: nothing waits
            # for it, so keys after it, and `typing_ahead`, must not wait for it either.
            out = self._key_out = None
        if out is not None and out.text and after is not None and _is_text(after, self.focused):
            out = None  # more text into the same field: it queues behind the text before it
        return out is not None or bool(self._opening)

    @property
    def typing_ahead(self) -> bool:
        """Whether keys typed have yet to reach the widget they belong to."""
        kept = any(isinstance(s, KeepsTypeAhead) and s.keeps_keys for s in self.screen_stack)
        return kept or bool(self._keys_waiting) or self._keys_held()

    async def _hand_out_keys(self) -> None:
        while self._keys_waiting and not self._keys_held(self._keys_waiting[0]):
            if not self.screen_stack:  # the app is closing
                self._keys_waiting.clear()
                return
            key = self._keys_waiting.popleft()
            target = self.focused or self.screen
            text = _is_text(key, target)
            await super().on_event(key)  # a priority binding, else handed to `target`
            if key.is_forwarded:
                # A letter in a text field opens nothing: one lap, and more text follows it at once;
                # any other key (ctrl+s saving the field, enter) waits until the text is in.
                self._send_home(KeyHome(LAPS if text else 1, target, text=text))
            else:
                self._send_home(KeyHome(1, self.focused or self.screen))
        if self._keys_waiting and self._keys_held():
            self._poll_keys_soon()

    def _send_home(self, lap: KeyHome) -> None:
        self._key_out = lap if lap.target.post_message(lap) else None

    async def on_key_home(self, message: KeyHome) -> None:
        message.stop()
        if message is not self._key_out:
            return  # given up on already
        if message.lap < LAPS and message.target.is_attached:
            self._send_home(KeyHome(message.lap + 1, message.target))
        else:
            self._key_out = None
        await self._hand_out_keys()

    def _poll_keys_soon(self) -> None:
        # A fallback, not the way keys go: a worker ending or a lap lost with its widget.
        if self._key_poll is None:
            self._key_poll = self.set_interval(POLL_S, self._poll_keys, name="type-ahead")
        else:
            self._key_poll.resume()

    async def _poll_keys(self) -> None:
        await self._hand_out_keys()  # which lets go of a lap lost with its widget (`_keys_held`)
        if not self._keys_waiting and self._key_poll is not None:
            self._key_poll.pause()

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
