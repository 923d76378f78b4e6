"""Settings (issue 32, from the palette or f7): the team's settings kept in the store, as
`stakeworks settings` shows them, each with its value, its default and what it does. Enter edits
the highlighted one, r puts it back to its default; the same service as `settings set` checks
and saves it (a bad value is refused with its message, the field stays open), in a worker, and
ctrl+z undoes it. Every verdict follows: the portfolio is read again. On a team store, a login
that may not change them sees them read-only, with the reason."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Header, Input, Label, Static

from stakeworks.domain.errors import StakeworksError
from stakeworks.domain.settings import Settings, about_setting, setting_items
from stakeworks.screens.base import ShowsWorkerErrors, StakeworksScreen, WritesInWorkers
from stakeworks.services import edits, records
from stakeworks.widgets.badges import plain
from stakeworks.widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    from stakeworks.domain.undo import UndoToken

HINT = "enter edits the highlighted setting · r puts it back to its default · ctrl+z undoes a change"
CELL = 16
"""Widest value in the table (a list of domains is long): the line below it shows the whole one."""


def shown(value: object) -> str:
    """A setting's value as typed in the field (and as `stakeworks settings` prints it)."""
    if isinstance(value, tuple):
        return ", ".join(value)
    return "none" if value is None else str(value)


def cut(text: str) -> str:
    return text if len(text) <= CELL else text[: CELL - 1] + "…"


class SettingsScreen(WritesInWorkers, ShowsWorkerErrors, StakeworksScreen[None]):
    CSS_PATH = "settings.tcss"
    BINDINGS = [
        Binding("enter", "edit", "Edit", id="settings.edit"),
        Binding("r", "reset", "Reset to default", id="settings.reset"),
        Binding("escape", "cancel", "Cancel", id="settings.cancel"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.items: list[tuple[str, object, object]] = []
        self.read_only: str | None = None
        self.editing: str | None = None
        """The key whose new value is being typed, else None."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Reading the team's settings…", id="status")
        yield DataTable(id="settings", cursor_type="row", zebra_stripes=True)
        yield Static("", id="about")
        with Horizontal(id="edit-row"):
            yield Label("", id="edit-label")
            yield Input(id="value", compact=True)
        yield Static("", id="message")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = "Team settings"
        self.query_one("#settings", DataTable).add_columns("Setting", "Value", "Default")
        self.query_one("#edit-row").display = False
        self.watch(self.app, "portfolio_stamp", self._settings_changed, init=False)
        self.focus_when_loaded(self.load())

    @work(thread=True, exclusive=True, group="settings", exit_on_error=False)
    def load(self) -> None:
        settings, reason = records.team_settings(self.session.store)
        self.app.call_from_thread(self._loaded, settings, reason)

    def _loaded(self, settings: Settings, reason: str | None) -> None:
        self.read_only = reason
        self.query_one("#status", Static).update(Text(f"Read-only: {reason}") if reason else HINT)
        self.query_one("#status").set_class(reason is not None, "read-only")
        self._show(settings)
        self.query_one("#settings", DataTable).focus()

    def _settings_changed(self, _stamp: int) -> None:
        # The portfolio was read again: after a change here, or after ctrl+z put settings back.
        if self.items and not self.editing and setting_items(self.session.settings) != self.items:
            self._show(self.session.settings)
            self._say("")

    def _show(self, settings: Settings) -> None:
        self.items = setting_items(settings)
        table = self.query_one("#settings", DataTable)
        row = table.cursor_row
        table.clear()
        for key, value, default in self.items:
            style = "bold" if value != default else ""
            table.add_row(plain(key), Text(cut(shown(value)), style=style), plain(cut(shown(default))), key=key)
        table.move_cursor(row=min(row, len(self.items) - 1))
        self._show_about()
        self.refresh_bindings()

    @on(DataTable.RowHighlighted, "#settings")
    def _show_about(self) -> None:
        table = self.query_one("#settings", DataTable)
        if not self.items or not table.row_count:
            return
        key, value, default = self.items[table.cursor_row]
        about = Text(about_setting(key))
        if len(shown(value)) > CELL or len(shown(default)) > CELL:
            about += Text(f"\nNow: {shown(value) or '(none)'}")
        self.query_one("#about", Static).update(about)

    def _highlighted(self) -> str | None:
        table = self.query_one("#settings", DataTable)
        return self.items[table.cursor_row][0] if self.items and table.row_count else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("edit", "reset"):
            return self.editing is None  # while a value is typed, enter saves it and r is a letter
        if action == "cancel":
            return self.editing is not None  # else escape is the app's: back
        return True

    @on(DataTable.RowSelected, "#settings")
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit()

    def _key_to_change(self) -> str | None:
        """The highlighted setting, if this user may change it (`_may_change` says why not)."""
        key = self._highlighted()
        return key if key is not None and self._may_change() else None

    def action_edit(self) -> None:
        key = self._key_to_change()
        if key is None:
            return
        value = next(v for k, v, _ in self.items if k == key)
        self.editing = key
        self.query_one("#edit-label", Label).update(Text(f"{key} = "))
        field = self.query_one("#value", Input)
        field.value = shown(value)
        self.query_one("#edit-row").display = True
        self._say("enter saves · escape cancels" + (" · lists are comma-separated" if "," in field.value else ""))
        field.focus()
        self.refresh_bindings()

    def action_reset(self) -> None:
        key = self._key_to_change()
        if key is None:
            return
        self._save(key, None)

    def action_cancel(self) -> None:
        self._close_editing()
        self._say("")

    def _may_change(self) -> bool:
        if self.read_only:
            self._say(f"Read-only: {self.read_only}", error=True)
            return False
        return True

    @on(Input.Submitted, "#value")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.editing is not None:
            self._save(self.editing, event.value)

    def _save(self, key: str, text: str | None) -> None:
        store = self.session.store
        self._say(f"Saving {key}…")
        self.store_write(
            lambda: edits.change_setting(store, key, text),
            lambda result: self._saved(key, text is None, *result),
            failed=self._refused,
            what=f"Saving {key}",
        )

    def _saved(self, key: str, reset: bool, settings: Settings, undo: UndoToken) -> None:
        self.session.settings = settings
        value = next(v for k, v, _ in setting_items(settings) if k == key)
        what = f"{key} back to its default" if reset else f"{key} = {shown(value)}"
        self.session.remember_undo(f"setting {what}", undo, settings=True)
        self._close_editing()
        self._show(settings)
        self._say(f"Saved: {what} (ctrl+z undoes it). Every verdict is being read again.")
        self.workbench.load_portfolio()

    def _refused(self, error: StakeworksError) -> None:
        self._say(str(error), error=True)  # the field stays open with what was typed

    def _close_editing(self) -> None:
        self.editing = None
        self.query_one("#edit-row").display = False
        self.query_one("#settings", DataTable).focus()
        self.refresh_bindings()

    def _say(self, words: str, error: bool = False) -> None:
        message = self.query_one("#message", Static)
        message.update(Text(words))
        message.set_class(error, "error")
