"""Account editor: every account field; a renewal date change re-runs the rules before saving.

Opens blank for a new account (ctrl+n, the palette, the empty home screen) or
filled for an existing one (`E` on the account screen). Every field is read as
typed; a bad one says why beside it, in words that name it, and nothing is
written until every field reads. The save runs in a worker.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.reactive import reactive
from textual.suggester import SuggestFromList
from textual.widgets import Header, Input, Label, Select, Static, TextArea

from stakeworks.domain.changes import changed, describe, rebase
from stakeworks.domain.errors import StakeworksError
from stakeworks.domain.forms import SCALE_LABELS, parse_amount, parse_day
from stakeworks.domain.influence import InfluenceLine
from stakeworks.domain.labels import FACTOR, KRALJIC, TIER, label, risk_score_change
from stakeworks.domain.models import Account, Contact
from stakeworks.domain.rules import Assessment, assess
from stakeworks.domain.validation import field_label, plain_errors
from stakeworks.screens.base import GuardsUnsavedChanges, ShowsWorkerErrors, StakeworksScreen
from stakeworks.screens.messages import AccountChanged, OpenAccount
from stakeworks.widgets import palette
from stakeworks.widgets.coverage_panel import CoveragePanel
from stakeworks.widgets.key_footer import KeyFooter
from stakeworks.widgets.steady import update_steady

if TYPE_CHECKING:
    from stakeworks.domain.undo import UndoToken

FIELDS = ("name", "arr", "currency", "renewal_date", "csm", "tier", "industry", "region", "strategic_value",
          "growth_potential", "kraljic", "last_ebr", "next_ebr", "notes")  # fmt: skip
DATE_FIELDS = ("renewal_date", "last_ebr", "next_ebr")
SUGGESTED = ("csm", "industry", "region")


def _iso(value: date | None) -> str:
    return value.isoformat() if value else ""


def _amount(value: float) -> str:
    return f"{value:.0f}" if value == int(value) else f"{value:.2f}"


class AccountEditor(GuardsUnsavedChanges, ShowsWorkerErrors, StakeworksScreen[int | None]):
    """Dismisses with the account's id once saved, None (or False) when left without saving;
    leaving with unsaved changes asks first (save, discard, keep editing)."""

    CSS_PATH = "account_editor.tcss"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="accounteditor.save", priority=True),
        Binding("escape", "leave", "Close", id="accounteditor.leave"),
    ]
    blocks_undo = True
    """The app's ctrl+z (undo the last save or delete) waits until this editor is closed."""

    draft: reactive[Account | None] = reactive(None, always_update=True, repaint=False)
    """The account as edited so far (fields that read); the live panel follows it."""

    def __init__(self, account: Account | None = None, contacts: Sequence[Contact] | None = None,
                 version: int | None = None, influences: Sequence[InfluenceLine] = ()) -> None:  # fmt: skip
        super().__init__()
        self.original = account or Account(name="New account")
        self.is_new = account is None
        self.contacts = contacts or []
        self.influences = influences
        self.version = version
        """The account's version when it was read, so a save over someone else's is refused."""
        self.errors: dict[str, str] = {}
        self._baseline: Assessment | None = None
        self._saving = False
        self._then: Callable[[], object] | None = None

    # -- layout -------------------------------------------------------------------------

    def _row(self, field: str, widget: Any, hint: str = "") -> ComposeResult:
        with Horizontal(classes="field"):
            yield Label(field_label(field), classes="label")
            yield widget
        if hint:
            yield Static(hint, classes="hint")
        yield Static("", id=f"error-{field}", classes="error")

    def compose(self) -> ComposeResult:
        if self.is_new:  # a new account starts in the configured currency (`currency = "USD"`)
            self.original = self.original.model_copy(update={"currency": self.session.prefs.currency})
        a = self.original
        yield Header()
        with Horizontal(id="body"):
            with VerticalScroll(id="form"):
                name = "" if self.is_new else a.name
                yield from self._row("name", Input(name, placeholder="Company name", id="name", compact=True,
                                                   select_on_focus=False))  # fmt: skip
                arr = "" if self.is_new else _amount(a.arr)
                yield from self._row("arr", Input(arr, placeholder="e.g. 240000 or 240k", id="arr",
                                                  compact=True, select_on_focus=False))  # fmt: skip
                yield from self._row("currency", Input(a.currency, placeholder="EUR", id="currency", max_length=3,
                                                       compact=True, select_on_focus=False))  # fmt: skip
                yield from self._row(
                    "renewal_date",
                    Input(_iso(a.renewal_date), placeholder="YYYY-MM-DD, +90 or today", id="renewal_date",
                          compact=True, select_on_focus=False),
                )  # fmt: skip
                yield from self._row("csm", Input(a.csm, placeholder="Who owns it", id="csm", compact=True,
                                                  select_on_focus=False))  # fmt: skip
                yield from self._row(
                    "tier",
                    Select([(text, code) for code, text in TIER.items()], value=str(a.tier),
                           allow_blank=False, id="tier", compact=True),
                )  # fmt: skip
                yield from self._row("industry", Input(a.industry, id="industry", compact=True,
                                                       select_on_focus=False))  # fmt: skip
                yield from self._row("region", Input(a.region, id="region", compact=True, select_on_focus=False))
                yield from self._row(
                    "strategic_value",
                    Select([(text, n) for n, text in SCALE_LABELS.items()], value=a.strategic_value,
                           allow_blank=False, id="strategic_value", compact=True),
                )  # fmt: skip
                yield from self._row(
                    "growth_potential",
                    Select([(text, n) for n, text in SCALE_LABELS.items()], value=a.growth_potential,
                           allow_blank=False, id="growth_potential", compact=True),
                )  # fmt: skip
                yield from self._row(
                    "kraljic",
                    Select([(text, code) for code, text in KRALJIC.items()],
                           value=str(a.kraljic) if a.kraljic else Select.NULL, prompt="Unknown",
                           id="kraljic", compact=True),
                    hint="How the customer sees us: strategic and bottleneck want closeness",
                )  # fmt: skip
                yield from self._row("last_ebr", Input(_iso(a.last_ebr), placeholder="YYYY-MM-DD", id="last_ebr",
                                                       compact=True, select_on_focus=False))  # fmt: skip
                yield from self._row("next_ebr", Input(_iso(a.next_ebr), placeholder="YYYY-MM-DD", id="next_ebr",
                                                       compact=True, select_on_focus=False))  # fmt: skip
                yield Label(field_label("notes"), classes="label")
                yield TextArea(a.notes, id="notes", soft_wrap=True)
                yield Static("", id="error-notes", classes="error")
            with VerticalScroll(id="live"):
                yield Static("", id="renewal-note")
                yield CoveragePanel(id="coverage")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = "New account" if self.is_new else f"Edit {self.original.name}"
        self.unsaved_what = "the new account" if self.is_new else f"the account {self.original.name}"
        self.set_reactive(AccountEditor.draft, self.original)
        self._baseline = self._assess(self.original)
        self.watch_draft(self.original)
        name = self.query_one("#name", Input)
        name.focus()
        name.cursor_position = len(name.value)
        self.load_suggestions()

    @work(thread=True, exclusive=True, group="account-editor", exit_on_error=False)
    def load_suggestions(self) -> None:
        """Values already used in the portfolio, offered as the user types (CSM, industry, region)."""
        from stakeworks.services import records

        seen = records.values_in_use(self.session.store, SUGGESTED)
        self.app.call_from_thread(self._suggest, seen)

    def _suggest(self, seen: dict[str, list[str]]) -> None:
        for field, values in seen.items():
            if values:
                self.query_one(f"#{field}", Input).suggester = SuggestFromList(values, case_sensitive=False)

    # -- live recalculation -----------------------------------------------------------------

    def _assess(self, account: Account) -> Assessment:
        session = self.session
        return assess(self.contacts, session.today, account.renewal_date, session.settings,
                      influences=self.influences)  # fmt: skip

    def watch_draft(self, draft: Account | None) -> None:
        if draft is None or not self.is_mounted:
            return
        today: date = self.session.today
        now = self._assess(draft)
        self.query_one(CoveragePanel).show(now, self._baseline)
        note = Text("Live: ", style="bold")
        if draft.renewal_date is None:
            note += Text("no renewal date")
        else:
            days = (draft.renewal_date - today).days
            if days < 0:
                note += Text(f"renewal lapsed {-days} days ago", style=palette.BAD_STRONG)
            elif days <= 90:
                note += Text(f"renewal in {days} days, inside the 90-day window", style=palette.BAD_STRONG)
            else:
                note += Text(f"renewal in {days} days")
        base = self._baseline
        if base is not None and now.score != base.score:
            delta = now.score - base.score
            note += Text(f" · {risk_score_change(base.score, now.score)}",
                         style=palette.BAD_STRONG if delta > 0 else palette.GOOD_STRONG)  # fmt: skip
        if base is not None:
            for f in now.factors:
                if f.code not in base.factor_codes:
                    note += Text(f"\n+ {label(FACTOR, f.code)}", style=palette.BAD_STRONG) + Text(f": {f.rationale}")
            for f in base.factors:
                if f.code not in now.factor_codes:
                    note += Text(f"\n− {label(FACTOR, f.code)}", style=palette.GOOD_STRONG) + Text(
                        ": no longer applies"
                    )
        if not self.contacts:
            note += Text(
                "\nNo contacts yet: after saving, press a on the account to add the first.", style=palette.MUTED
            )
        note += Text("\nNot saved yet: ctrl+s saves, escape leaves.", style=palette.MUTED)
        update_steady(self.query_one("#renewal-note", Static), note)

    # -- reading the fields -------------------------------------------------------------------

    def _show_error(self, field: str, message: str | None) -> None:
        # Not every field has an error line (notes has none): typing there must never crash.
        box = next(iter(self.query(f"#error-{field}").results(Static)), None)
        if message is None:
            if self.errors.pop(field, None) is not None and box is not None:
                box.update("")
            return
        self.errors[field] = message
        if box is not None:
            box.update(Text(message, style=palette.BAD_STRONG))

    def _set(self, field: str, value: Any) -> None:
        assert self.draft is not None
        try:
            new = Account.model_validate({**self.draft.model_dump(), field: value})
        except ValidationError as exc:
            problems = plain_errors(exc.errors())
            message = problems.get(field) or next(iter(problems.values()))
            if field == "currency":
                message = "Currency must be a three-letter code, such as EUR or USD"
            self._show_error(field, message)
            return
        self._show_error(field, None)
        self.draft = new

    @on(Input.Changed)
    def _text(self, event: Input.Changed) -> None:
        field = event.input.id or ""
        if self.draft is None or field not in FIELDS:
            return
        name = field_label(field)
        try:
            if field == "arr":
                value: Any = parse_amount(event.value)
            elif field in DATE_FIELDS:
                value = parse_day(event.value, self.session.today)
            else:
                value = event.value
        except ValueError as exc:
            self._show_error(field, f"{name}: {exc}")
            return
        self._set(field, value)

    @on(Select.Changed)
    def _select(self, event: Select.Changed) -> None:
        if self.draft is not None and event.select.id in FIELDS:
            self._set(event.select.id, None if event.value is Select.NULL else event.value)

    @on(TextArea.Changed, "#notes")
    def _notes(self, event: TextArea.Changed) -> None:
        if self.draft is not None:
            self._set("notes", event.text_area.text)

    def has_unsaved_changes(self) -> bool:
        """Whether anything differs from what was opened (fields that do not read count too)."""
        return (
            bool(self.errors)
            or (self.draft is not None and self.draft != self.original)
            or (self.is_new and self.query_one("#name", Input).value.strip() != "")
        )

    # -- save / leave ------------------------------------------------------------------------

    def action_save(self) -> None:
        self.save_changes()

    def save_changes(self, then: Callable[[], object] | None = None) -> bool:
        """Start the save when every field reads. It runs in a worker and closes the editor
        when it lands (then runs `then`); False when it cannot start."""
        if self._saving:
            return False
        if self.is_new and not self.query_one("#name", Input).value.strip():
            self._show_error("name", "Name cannot be empty: what is the company called?")
        if self.errors:
            field, message = next(iter(self.errors.items()))
            self.notify(f"Not saved. {message}", severity="error", markup=False)
            self.query_one(f"#{field}").focus()
            return False
        assert self.draft is not None
        self._saving = True
        self._then = then
        self.save(self.draft, self.version)
        return True

    @work(thread=True, exclusive=True, group="account-save", exit_on_error=False, description="save")
    def save(self, account: Account, version: int | None) -> None:
        from stakeworks.services import edits

        app = self.app
        try:
            saved = edits.save_account(self.session.store, account, version)
        except StakeworksError as exc:
            app.call_from_thread(self._failed, str(exc))
            return
        if isinstance(saved, edits.Stale):
            app.call_from_thread(self._stale, account, saved.stored, saved.version)
            return
        what = f"Created account {account.name}" if self.is_new else f"Saved account {account.name}"
        app.call_from_thread(self._saved, *saved, what)

    def _stale(self, draft: Account, fresh: Account, version: int) -> None:
        """Someone saved this account since the editor opened it: their version becomes the starting
        point, only the fields changed here are kept on top (and shown), and a second ctrl+s writes
        just those: nothing of theirs goes back."""
        self._saving = False
        merged, theirs, both = rebase(self.original, draft, fresh)
        self.original, self.version = fresh, version
        for field in set(theirs) - both:
            self._show_value(field, getattr(fresh, field))
        self.draft = merged
        mine = changed(fresh, merged)
        kept = f" Yours are kept on top: {', '.join(field_label(f) for f in mine)}." if mine else ""
        clash = (
            f" You both changed {', '.join(field_label(f) for f in sorted(both))}: ctrl+s keeps yours." if both else ""
        )
        self.notify(
            f"{fresh.name} was changed elsewhere since you opened it: {describe(theirs)}.{kept}{clash} "
            "ctrl+s saves your changes over theirs, escape leaves.",
            title="Changed elsewhere", severity="warning", timeout=20, markup=False,
        )  # fmt: skip

    def _show_value(self, field: str, value: Any) -> None:
        """Put a newer stored value into its field."""
        if field == "notes":
            self.query_one("#notes", TextArea).load_text(value)
        elif field in ("tier", "strategic_value", "growth_potential", "kraljic"):
            self.query_one(f"#{field}", Select).value = (
                Select.NULL if value is None else (value if isinstance(value, int) else str(value))
            )
        elif field in FIELDS:
            text = _iso(value) if field in DATE_FIELDS else _amount(value) if field == "arr" else str(value)
            self.query_one(f"#{field}", Input).value = text

    def _failed(self, message: str) -> None:
        self._saving = False
        if message.startswith("Name"):
            self._show_error("name", message)
        self.notify(f"Not saved. {message}", severity="error", markup=False)

    def _saved(self, account_id: int, undo: UndoToken, what: str) -> None:
        self._saving = False
        self.session.remember_undo(what, undo, (account_id,))
        self.app.post_message(AccountChanged(account_id))
        self.app.notify(f"{what}. ctrl+z undoes it.", markup=False)
        self.dismiss(account_id)
        if self.is_new:
            self.app.post_message(OpenAccount(account_id))
        if self._then is not None:
            self._then()
