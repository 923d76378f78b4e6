"""Small questions asked before something is lost or written: unsaved changes, confirmations,
a choice, a reason."""

from __future__ import annotations

from rich.console import RenderableType
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from stakeworks.screens.type_ahead import KeepsTypeAhead

SAVE, DISCARD, KEEP = "save", "discard", "keep"


class UnsavedChanges(KeepsTypeAhead, ModalScreen[str]):
    """Leaving an editor with unsaved changes: save, discard, or keep editing.

    Dismisses with "save", "discard" or "keep"; escape keeps editing, so a stray
    escape never throws work away.
    """

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        Binding("s,ctrl+s", "choose('save')", "Save", id="unsaved.save"),
        Binding("d", "choose('discard')", "Discard", id="unsaved.discard"),
        Binding("escape,k", "choose('keep')", "Keep editing", id="unsaved.keep"),
    ]

    def __init__(self, what: str) -> None:
        super().__init__()
        self.what = what

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text("Unsaved changes", style="bold"), classes="title")
            yield Static(Text(f"You changed {self.what} and have not saved it. Save before leaving?"), classes="body")
            with Horizontal(classes="buttons"):
                yield Button("Save (s)", variant="primary", id=SAVE)
                yield Button("Discard (d)", variant="error", id=DISCARD)
                yield Button("Keep editing (esc)", id=KEEP)

    def on_mount(self) -> None:
        self.query_one(f"#{KEEP}", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id or KEEP)

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)


class Confirm(KeepsTypeAhead, ModalScreen[bool]):
    """A yes/no question that says what will happen; escape (or n) says no."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("escape,n", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, title: str, body: RenderableType, yes: str = "Yes", no: str = "Cancel") -> None:
        super().__init__()
        self.title_text = title
        self.body = body
        self.yes, self.no = yes, no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self.title_text, style="bold"), classes="title")
            with VerticalScroll(classes="body-scroll"):
                yield Static(self.body, classes="body")
            with Horizontal(classes="buttons"):
                yield Button(f"{self.yes} (y)", variant="primary", id="yes")
                yield Button(f"{self.no} (esc)", id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class Choose(KeepsTypeAhead, ModalScreen[object]):
    """Pick one of a few things (enter picks, escape picks nothing: None)."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="choose.cancel")]

    def __init__(self, title: str, choices: list[tuple[str, object]], highlighted: int = 0) -> None:
        super().__init__()
        self.title_text = title
        self.choices = choices
        self.start = highlighted

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self.title_text, style="bold"), classes="title")
            yield OptionList(*[Option(Text(label), id=str(i)) for i, (label, _) in enumerate(self.choices)])
            yield Static(Text("enter picks · escape cancels", style="dim"), classes="hint")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = min(max(0, self.start), len(self.choices) - 1) if self.choices else None
        options.focus()

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.choices[event.option_index][1])

    def action_cancel(self) -> None:
        self.dismiss(None)


class AskText(KeepsTypeAhead, ModalScreen[str]):
    """One line of text the action needs (a reason, say): enter answers, escape cancels (None).
    An empty answer is not accepted: the dialog says what is missing and stays."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="ask.cancel")]

    def __init__(self, title: str, body: RenderableType, placeholder: str = "", answer: str = "Save") -> None:
        super().__init__()
        self.title_text = title
        self.body = body
        self.placeholder = placeholder
        self.answer = answer

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self.title_text, style="bold"), classes="title")
            yield Static(self.body, classes="body")
            yield Input(placeholder=self.placeholder, id="answer")
            yield Static("", id="missing", classes="hint")
            with Horizontal(classes="buttons"):
                yield Button(f"{self.answer} (enter)", variant="primary", id="yes")
                yield Button("Cancel (esc)", id="no")

    def on_mount(self) -> None:
        self.query_one("#answer", Input).focus()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self._answer()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "yes":
            self._answer()
        else:
            self.dismiss(None)

    def _answer(self) -> None:
        text = " ".join(self.query_one("#answer", Input).value.split())
        if not text:
            self.query_one("#missing", Static).update(Text("Write a few words first (escape cancels).", style="bold"))
            return
        self.dismiss(text)

    def action_cancel(self) -> None:
        self.dismiss(None)
