"""Import screen: pick a file, see the mapping and what each row would do, decide
possible duplicates, then write (all rows, or the good ones with the bad ones
put aside in FILE.rejected.csv). A calendar export (.ics) or a mailbox (mbox,
Maildir, a folder of .eml) is previewed the same way: touches per contact, what
matched nobody, the signals it would raise."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Checkbox, DataTable, Header, Input, ProgressBar, Select, Static

from stakeworks.domain.errors import InputError
from stakeworks.domain.labels import KRALJIC, LEVEL, TIER, label, roles_text
from stakeworks.domain.signals import signals_in_words
from stakeworks.domain.validation import field_label
from stakeworks.interchange.importer import KindGuess, kind_of_file
from stakeworks.screens.base import ShowsWorkerErrors, StakeworksScreen
from stakeworks.screens.import_activity import activity_kind, activity_preview
from stakeworks.services import imports
from stakeworks.widgets import dates, palette
from stakeworks.widgets.badges import money
from stakeworks.widgets.key_footer import KeyFooter
from stakeworks.widgets.path_suggester import PathSuggester

PREVIEW_ROWS = 200  # rows drawn in the preview table; the counts cover every row
_ACTIONS = {"add": "add", "update": "update", "unchanged": "unchanged", "possible_duplicate": "possible duplicate",
            "rejected": "rejected", "skipped": "skipped"}  # fmt: skip
_KINDS = [("Contacts", "contacts"), ("Accounts", "accounts"), ("Executives", "executives"), ("Contact roles", "roles"),
          ("Calendar (.ics)", "calendar"), ("Mail (mbox, Maildir, .eml)", "mail")]  # fmt: skip
_STYLE = {"rejected": palette.BAD, "possible_duplicate": palette.WARN, "add": palette.GOOD, "skipped": palette.MUTED}


class DuplicateTable(DataTable[Text]):
    """The possible duplicates of a preview: a row per file line, the user says same or new."""

    BINDINGS = [
        Binding("s", "decide('same')", "Same person", id="import.same"),
        Binding("n", "decide('new')", "New person", id="import.new"),
    ]

    class Decided(Message):
        def __init__(self, line: int, choice: str) -> None:
            super().__init__()
            self.line = line
            self.choice = choice

    def action_decide(self, choice: str) -> None:
        if self.row_count:
            key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
            self.post_message(self.Decided(int(str(key.value)), choice))


class ImportScreen(ShowsWorkerErrors, StakeworksScreen[bool]):
    BINDINGS = [
        Binding("ctrl+s", "confirm", "Import (write)", id="import.confirm"),
        Binding("escape", "back", "Back", id="import.back"),
    ]
    DEFAULT_CSS = """
    ImportScreen #pick, ImportScreen #options { height: auto; padding: 0 1; }
    ImportScreen #path { width: 1fr; }
    ImportScreen #kind { width: 32; }
    ImportScreen #skip, ImportScreen #full { width: auto; }
    ImportScreen #remap { width: 1fr; }
    ImportScreen #currency { width: 14; }
    ImportScreen #skip.-hidden, ImportScreen #full.-hidden { display: none; }
    ImportScreen #result { padding: 0 1; height: auto; }
    ImportScreen #progress { padding: 0 1; display: none; }
    ImportScreen #progress.-writing { display: block; }
    ImportScreen #duplicates { margin: 0 1; display: none; }
    ImportScreen #duplicates.-shown { display: block; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.plan: Any = None
        self.report: Any = None
        self.decisions: dict[int, str] = {}
        self.imported = False
        self.activity: Path | None = None  # a calendar or mailbox previewed and waiting for ctrl+s
        self.kind_note: Text | None = None  # which kind the file's header says, above every preview

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="pick"):
            yield Input(
                placeholder="CSV, .ics, mbox, Maildir or .eml folder (→ completes, enter: preview)",
                id="path",
                suggester=PathSuggester(),
            )
            yield Select(_KINDS, value="contacts", allow_blank=False, id="kind")
        with Horizontal(id="options"):
            yield Checkbox(
                "Skip invalid rows", id="skip", tooltip="write the good rows; the bad ones go to FILE.rejected.csv"
            )
            yield Checkbox("Whole CRM list", id="full",
                           tooltip="the file is the CRM's whole list for the accounts it names: people it lacks "
                                   "raise a 'missing from the CRM' signal")  # fmt: skip
            yield Input(
                placeholder="remap Col=field",
                id="remap",
                tooltip="a column of the file read as another field, as `--map` does: Org=account",
            )
            yield Input(placeholder="currency", id="currency", max_length=3, restrict=r"[A-Za-z]*",
                        tooltip="the currency of amounts that name none (accounts files)")  # fmt: skip
        yield ProgressBar(id="progress", show_eta=True)
        yield DuplicateTable(id="duplicates", cursor_type="row")
        with VerticalScroll():
            yield Static(
                Text(
                    "Nothing is written until you press ctrl+s. An import cannot be undone with "
                    "ctrl+z: to keep a way back, `stakeworks backup` first.",
                    style="dim",
                ),
                id="result",
            )
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.query_one(DuplicateTable)
        for heading in ("Line", "In the file", "Stored", "Decision"):
            table.add_column(heading, key=heading)
        self.query_one("#currency", Input).value = self.session.prefs.currency
        self.query_one("#path", Input).focus()

    @on(Input.Submitted, "#path")
    def _path_given(self) -> None:
        path = Path(self.query_one("#path", Input).value.strip()).expanduser()
        if path.name:
            self.guess_kind(path)

    @work(thread=True, exclusive=True, group="import", exit_on_error=False, description="guess kind")
    def guess_kind(self, path: Path) -> None:
        """The kind the file's header (or name) says: read off the UI thread, a file can be slow."""
        kind = activity_kind(path)
        try:
            guess = KindGuess(kind, "") if kind is not None else kind_of_file(path)
        except InputError as exc:
            self.app.call_from_thread(self._show_errors, exc)
            return
        self.app.call_from_thread(self._kind_guessed, guess)

    def _kind_guessed(self, guess: KindGuess) -> None:
        """Pick the kind the file looks like and say why; the user can still choose another."""
        select = self.query_one("#kind", Select)
        kinds = {value for _, value in _KINDS}
        if guess.kind in kinds and guess.why:
            article = "an" if guess.kind[0] in "aeiou" else "a"
            self.kind_note = Text(f"Looks like {article} {guess.kind} file: {guess.why}. "
                                  "Another kind can be chosen above.", style=palette.MUTED)  # fmt: skip
        elif guess.kind is None:
            self.kind_note = Text(f"Kind not recognised: {guess.why}; choose it above.", style=palette.WARN)
        else:
            self.kind_note = None
        if guess.kind in kinds and select.value != guess.kind:
            select.value = guess.kind  # its Changed message runs the preview
            return
        self._preview()

    @on(Select.Changed, "#kind")
    @on(Checkbox.Changed, "#full")
    @on(Input.Submitted, "#remap, #currency")
    def _preview(self) -> None:
        self.decisions = {}
        kind = self.query_one("#kind", Select).value
        self.query_one("#full", Checkbox).set_class(kind != "contacts", "-hidden")
        self.query_one("#skip", Checkbox).set_class(kind in ("calendar", "mail"), "-hidden")  # no rows to skip
        self._run_preview()

    def _run_preview(self) -> None:
        path = self.query_one("#path", Input).value.strip()
        if not path:
            return
        try:
            remap = _remap(self.query_one("#remap", Input).value)
        except InputError as exc:
            self._show_errors(exc)
            return
        currency = self.query_one("#currency", Input).value.strip().upper() or None
        self.preview(Path(path).expanduser(), str(self.query_one("#kind", Select).value), dict(self.decisions),
                     self.query_one("#full", Checkbox).value, remap, currency)  # fmt: skip

    @work(thread=True, exclusive=True, group="import", exit_on_error=False, description="preview")
    def preview(
        self, path: Path, kind: str, decisions: dict[int, str], full: bool = False,
        remap: dict[str, str] | None = None, currency: str | None = None,
    ) -> None:  # fmt: skip
        """The import itself, rolled back: what each row would do (the file stays on disk)."""
        session = self.session
        try:
            if kind in ("calendar", "mail"):
                found = imports.read_activity(session.store, path, kind, session.today, dry_run=True)
                self.app.call_from_thread(self._show_activity, path, found)
                return
            plan = imports.plan_file(session.store, path, kind, remap or None, currency)
            report = imports.apply_plan(session.source, session.store, plan, kind, dry_run=True, decisions=decisions,
                                        today=session.today, full=full)  # fmt: skip
        except InputError as exc:
            self.app.call_from_thread(self._show_errors, exc)
            return
        self.app.call_from_thread(self._show_plan, plan, report, kind)

    def _show_activity(self, path: Path | None, found: tuple[Any, dict[int, tuple[str, str]]]) -> None:
        report, names = found
        self.plan = self.report = None
        self.activity = path
        self._show_duplicates([])
        self.query_one("#result", Static).update(Group(*self._kind_lines(), activity_preview(report, names)))

    @work(thread=True, exclusive=True, group="import", exit_on_error=False, description="write activity")
    def write_activity(self, path: Path, kind: str) -> None:
        bar = self.query_one(ProgressBar)
        self.app.call_from_thread(bar.add_class, "-writing")
        self.app.call_from_thread(bar.update, total=None, progress=0)
        try:
            found = imports.read_activity(self.session.store, path, kind, self.session.today, dry_run=False,
                                   progress=lambda done: self.app.call_from_thread(bar.update, progress=done))  # fmt: skip
        except InputError as exc:
            self.app.call_from_thread(self._show_errors, exc)
            return
        finally:
            self.app.call_from_thread(bar.remove_class, "-writing")
        self.app.call_from_thread(self._activity_done, found)

    def _activity_done(self, found: tuple[Any, dict[int, tuple[str, str]]]) -> None:
        self.imported = True
        self._show_activity(None, found)
        report = found[0]
        self.notify(f"{report.touches_added:,} touches added", title="Imported", markup=False)
        self.workbench.load_portfolio()

    def _show_errors(self, exc: InputError) -> None:
        self.plan = self.report = None
        self.activity = None
        self._show_duplicates([])
        lines = [Text(str(exc), style=palette.BAD_STRONG)] + [Text("  " + p, style=palette.BAD) for p in exc.problems]
        self.query_one("#result", Static).update(Group(*self._kind_lines(), *lines))

    def _kind_lines(self) -> list[Text]:
        return [self.kind_note] if self.kind_note is not None else []

    def _show_plan(self, plan: Any, report: Any, kind: str) -> None:
        self.plan, self.report = plan, report
        self.activity = None
        outcomes = report.outcomes or []
        counts = Counter(o.action for o in outcomes)
        mapping = Table(title="Column mapping", title_justify="left", expand=True)
        mapping.add_column("Mapping")
        for line in plan.mapping.describe(plan.headers):
            mapping.add_row(Text(line))
        summary = ", ".join(f"{counts[a]} {w}" for a, w in _ACTIONS.items() if counts.get(a))
        rows = Table(title=f"Rows: {summary or 'none'}", title_justify="left", expand=True)
        for col in ("Line", "Action", "Name", "Account", "What"):
            rows.add_column(col)
        for o in outcomes[:PREVIEW_ROWS]:
            rows.add_row(str(o.line), Text(_ACTIONS[o.action], style=_STYLE.get(o.action, "")), Text(o.name),
                         Text(o.account), Text(_what(o)))  # fmt: skip
        if len(outcomes) > PREVIEW_ROWS:
            rows.add_row("…", "", Text(f"{len(outcomes) - PREVIEW_ROWS:,} more rows"), "", "")
        parts: list[Any] = [*self._kind_lines(), *(Text("⚠ " + w, style=palette.WARN) for w in plan.warnings)]
        people = getattr(plan, "person_accounts", None)  # contacts: known only after the dry run
        if people is not None:
            parts.append(Text("⚠ " + people.text(), style=palette.WARN))
        parts += [Text("Note: " + n) for n in report.notes]
        if report.signals:  # a contacts import: the CRM says someone moved, left, bounced or has a new title
            parts.append(Text(f"Signals it would raise: {signals_in_words(report.signals)} (for you to confirm or dismiss: ctrl+l).",
                              style=palette.WARN))  # fmt: skip
        bad = counts.get("rejected", 0) + sum(
            o.action == "possible_duplicate" and o.line not in self.decisions for o in outcomes
        )
        duplicates = {o.line for o in outcomes if o.action == "possible_duplicate"}
        problems = [p for p in report.problems if not any(p.startswith(f"line {n}:") for n in duplicates)]
        if problems:  # possible duplicates are not listed here: the table above decides them
            parts.append(Text(f"{len(problems)} problem{'s' if len(problems) > 1 else ''}:", style=palette.BAD_STRONG))
            parts += [Text("  " + p, style=palette.BAD) for p in problems[:PREVIEW_ROWS]]
        parts += [mapping, rows]
        if bad:
            parts.append(Text("ctrl+s: tick 'Skip invalid rows' to write the good rows (the others go to a .rejected.csv "
                              "beside the file), or fix the file; decide possible duplicates above with s / n.", style="bold"))  # fmt: skip
        else:
            parts.append(
                Text("ctrl+s writes these rows in one transaction (ctrl+z cannot take an import back).", style="bold")
            )
        self.query_one("#result", Static).update(Group(*parts))
        self._show_duplicates([o for o in outcomes if o.action == "possible_duplicate" or o.line in self.decisions])

    def _show_duplicates(self, outcomes: list[Any]) -> None:
        table = self.query_one(DuplicateTable)
        table.clear()
        for o in outcomes:
            theirs = o.candidate or {}
            stored = f"{theirs.get('name', '')} <{theirs.get('email', '')}>" if theirs else "(decided)"
            decision = {"same": "same person: update it", "new": "new person: add"}.get(
                self.decisions.get(o.line, ""), "undecided (s same, n new)"
            )
            table.add_row(
                Text(str(o.line)), Text(f"{o.name} ({o.account})"), Text(stored), Text(decision), key=str(o.line)
            )
        table.styles.height = min(len(outcomes), 8) + 1
        table.set_class(bool(outcomes), "-shown")

    @on(DuplicateTable.Decided)
    def _decided(self, event: DuplicateTable.Decided) -> None:
        self.decisions[event.line] = event.choice
        self._run_preview()

    def action_confirm(self) -> None:
        if self.activity is not None:
            self.write_activity(self.activity, str(self.query_one("#kind", Select).value))
            self.activity = None
            return
        if self.plan is None or self.report is None:
            self.notify("Preview a valid file first (enter in the path box).", severity="warning")
            return
        skip = self.query_one("#skip", Checkbox).value
        if self.report.rejected and not skip:
            self.notify(f"{self.report.rejected} rows cannot be imported as they are: fix them, or tick "
                        "'Skip invalid rows' to write the others.", severity="warning", markup=False)  # fmt: skip
            return
        self.write_plan(self.plan, str(self.query_one("#kind", Select).value), skip, dict(self.decisions),
                        self.query_one("#full", Checkbox).value)  # fmt: skip

    @work(thread=True, exclusive=True, group="import", exit_on_error=False, description="write plan")
    def write_plan(self, plan: Any, kind: str, skip: bool, decisions: dict[int, str], full: bool = False) -> None:
        session = self.session
        bar = self.query_one(ProgressBar)
        self.app.call_from_thread(bar.add_class, "-writing")
        try:
            report = imports.apply_plan(
                session.source, session.store, plan, kind, skip_invalid=skip, decisions=decisions, today=session.today,
                full=full, progress=lambda done, total: self.app.call_from_thread(bar.update, total=total, progress=done),
            )  # fmt: skip
            rejected = imports.write_rejected(session.store, plan, report) if report.rejected else None
        except InputError as exc:
            self.app.call_from_thread(self._show_errors, exc)
            return
        finally:
            self.app.call_from_thread(bar.remove_class, "-writing")
        self.app.call_from_thread(self._done, report.line(), rejected, report.signals)

    def _done(self, line: str, rejected: Path | None, signals: Mapping[str, int] | None = None) -> None:
        self.imported = True
        self.plan = self.report = None
        self._show_duplicates([])
        parts = [Text(f"Imported: {line}.", style=palette.GOOD_STRONG)]
        if rejected:
            parts.append(Text(f"Rejected rows, each with its reason: {rejected}"))
        if signals:
            parts.append(Text(f"Signals raised: {signals_in_words(signals)}. ctrl+l opens them.", style=palette.WARN))
        self.query_one("#result", Static).update(Group(*parts))
        self.workbench.load_portfolio()

    def action_back(self) -> None:
        self.dismiss(self.imported)


def _what(o: Any) -> str:
    """One line on what a row does, in words: the fields an update changes ("Tier: Enterprise →
    Mid-market"), a reason, or what a new record brings ("ARR 240k · Renewal date 2026-09-30")."""
    if o.action == "possible_duplicate" and o.candidate:
        return f"same name as {o.candidate['name']} <{o.candidate['email']}>, another email: decide above (s / n)"
    if o.reason:
        return o.reason
    changes = {f: v for f, v in (o.changes or {}).items() if f not in _UNSHOWN}
    if o.action == "update":
        return "; ".join(f"{field_label(f)}: {_word(f, old)} → {_word(f, new)}" for f, (old, new) in changes.items())
    if o.action == "add" and changes:
        inferred = " (inferred)" if (o.changes or {}).get("level_inferred", [None, False])[1] else ""
        return " · ".join(
            f"{field_label(f)} {_word(f, new)}{inferred if f == 'level' else ''}"
            for f, (_, new) in sorted(changes.items(), key=lambda kv: _ORDER.get(kv[0], 99))
            if f != "name" and new not in (None, "", [])
        )
    return ""


# What a preview line leaves out (bookkeeping, or said elsewhere), and the order it says the rest in.
_UNSHOWN = frozenset({"level_inferred", "crm"})
_ORDER = {f: i for i, f in enumerate(("title", "level", "roles", "arr", "company_revenue", "currency", "renewal_date",
                                      "tier", "email", "department"))}  # fmt: skip
_WORDS = {"tier": TIER, "level": LEVEL, "kraljic": KRALJIC}


def _word(fieldname: str, value: Any) -> str:
    """A value as the app says it elsewhere: money short, dates in the user's format, levels,
    tiers and roles in words, never a code or a Python repr."""
    if value in (None, "", []):
        return "—"
    if fieldname in ("arr", "company_revenue") and isinstance(value, int | float):
        return money(value)
    if fieldname in _WORDS:
        return label(_WORDS[fieldname], value)
    if fieldname == "roles" and isinstance(value, list):
        return roles_text(value)
    if fieldname in ("renewal_date", "last_ebr", "next_ebr") and isinstance(value, str):
        try:
            return dates.show(date.fromisoformat(value))
        except ValueError:
            return value
    text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    return text[:40] + "…" if len(text) > 40 else text


def _remap(text: str) -> dict[str, str]:
    """ "Org=account; Job=title" (as `--map Org=account`): file column -> field; a bad part is named."""
    out: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in text.split(";"))):
        column, equals, field = part.partition("=")
        if not equals or not column.strip() or not field.strip():
            raise InputError(f"remap: {part!r} is not Column=field (for example Org=account)")
        out[column.strip()] = field.strip()
    return out
