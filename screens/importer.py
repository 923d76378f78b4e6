"""Import screen: pick a file, see the mapping, a preview and every error, then confirm."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, ProgressBar, Select, Static

from stakeworks.domain.errors import InputError
from stakeworks.domain.labels import KRALJIC, LEVEL, TIER, label, roles_text
from stakeworks.interchange.importer import ContactsFile, ImportPlan
from stakeworks.screens.base import ShowsWorkerErrors
from stakeworks.widgets import dates, palette
from stakeworks.widgets.badges import money


def record_line(record: Any) -> Text:
    """An account or executive row of an import preview in words: "Northwind · Tier
    Enterprise · ARR 240k · Renewal date 2026-09-30" (it printed Python reprs such as
    `datetime.date(2026, 9, 30)`)."""
    from datetime import date

    from stakeworks.domain.validation import field_label

    values = dict(record) if isinstance(record, dict) else getattr(record, "model_dump", lambda: {})()
    if not values:
        return Text(str(record))
    words = {"tier": TIER, "level": LEVEL, "kraljic": KRALJIC}
    parts = []
    for key, value in values.items():
        if key == "name" or value in (None, "", frozenset(), set(), []):
            continue
        if isinstance(value, date):
            shown = dates.show(value)
        elif key == "arr" and isinstance(value, int | float):
            shown = money(value)
        elif key in words:
            shown = label(words[key], value)
        elif isinstance(value, frozenset | set | list | tuple):
            shown = ", ".join(sorted(str(v) for v in value))
        else:
            shown = str(value)
        parts.append(f"{field_label(key)} {shown}")
    return Text(str(values.get("name", "")), style="bold") + Text(" · " + " · ".join(parts) if parts else "")


class ImportScreen(ShowsWorkerErrors, Screen[bool]):
    BINDINGS = [
        Binding("ctrl+s", "confirm", "Import (write)", id="import.confirm"),
        Binding("escape", "back", "Back", id="import.back"),
    ]
    DEFAULT_CSS = """
    ImportScreen #pick { height: auto; padding: 0 1; }
    ImportScreen #path { width: 3fr; }
    ImportScreen #kind { width: 1fr; }
    ImportScreen #result { padding: 0 1; height: auto; }
    ImportScreen #progress { padding: 0 1; display: none; }
    ImportScreen #progress.-writing { display: block; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.plan: ImportPlan | ContactsFile | None = None
        self.imported = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="pick"):
            yield Input(placeholder="CSV file path (enter to preview)", id="path")
            yield Select([("Contacts", "contacts"), ("Accounts", "accounts"), ("Executives", "executives")],
                         value="contacts", allow_blank=False, id="kind")  # fmt: skip
        yield ProgressBar(id="progress", show_eta=True)
        with VerticalScroll():
            yield Static(Text("Nothing is written until you press ctrl+s.", style="dim"), id="result")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#path", Input).focus()

    @on(Input.Submitted, "#path")
    @on(Select.Changed, "#kind")
    def _preview(self) -> None:
        path = self.query_one("#path", Input).value.strip()
        if path:
            self.preview(Path(path).expanduser(), str(self.query_one("#kind", Select).value))

    @work(thread=True, exclusive=True, group="import", exit_on_error=False)
    def preview(self, path: Path, kind: str) -> None:
        from stakeworks.interchange import importer

        store = self.app.store  # type: ignore[attr-defined]
        try:
            if kind == "accounts":
                plan: ImportPlan | ContactsFile = importer.plan_accounts(path)
            elif kind == "executives":
                plan = importer.plan_executives(path)
            else:
                # A contacts file is checked in full here but kept on disk: ctrl+s streams it again.
                plan = importer.open_contacts(path, {n.casefold(): i for i, n in store.account_names()})
            first, count = plan.preview(10)
        except InputError as exc:
            self.app.call_from_thread(self._show_errors, exc)
            return
        self.app.call_from_thread(self._show_plan, plan, kind, first, count)

    def _show_errors(self, exc: InputError) -> None:
        self.plan = None
        lines = [Text(str(exc), style=palette.BAD_STRONG)] + [Text("  " + p, style=palette.BAD) for p in exc.problems]
        self.query_one("#result", Static).update(Group(*lines))

    def _show_plan(self, plan: ImportPlan | ContactsFile, kind: str, first: list[Any], count: int) -> None:
        self.plan = plan
        mapping = Table(title="Column mapping", title_justify="left", expand=True)
        mapping.add_column("Mapping")
        for line in plan.mapping.describe(plan.headers):
            mapping.add_row(Text(line))
        preview = Table(title=f"First rows ({count} valid)", title_justify="left", expand=True)
        if kind == "contacts":
            for col in ("Line", "Account", "Name", "Title", "Level", "Roles", "Strength"):
                preview.add_column(col)
            for row in first:
                c = row.contact
                level = f"{label(LEVEL, c.level)}{' (inferred)' if c.level_inferred else ''}"
                preview.add_row(str(row.line), Text(row.account_name), Text(c.name), Text(c.title), level,
                                roles_text(c.roles), "not rated" if c.strength is None else str(c.strength))  # fmt: skip
        else:
            preview.add_column("Line")
            preview.add_column("Record")
            for row in first:
                preview.add_row(str(row[0]), record_line(row[1]))
        warnings = [Text("⚠ " + w, style=palette.WARN) for w in plan.warnings]
        self.query_one("#result", Static).update(
            Group(*warnings, mapping, preview, Text("ctrl+s writes all rows in one transaction.", style="bold"))
        )

    def action_confirm(self) -> None:
        if self.plan is None:
            self.notify("Preview a valid file first (enter in the path box).", severity="warning")
            return
        self.write_plan(self.plan, str(self.query_one("#kind", Select).value))

    @work(thread=True, exclusive=True, group="import", exit_on_error=False)
    def write_plan(self, plan: ImportPlan | ContactsFile, kind: str) -> None:
        from stakeworks.db import importing

        store = self.app.store  # type: ignore[attr-defined]
        bar = self.query_one(ProgressBar)
        self.app.call_from_thread(bar.add_class, "-writing")
        try:
            if kind == "accounts":
                report = importing.apply_accounts(store, plan)  # type: ignore[arg-type]
            elif kind == "executives":
                report = importing.apply_executives(store, plan)  # type: ignore[arg-type]
            else:
                report = importing.apply_contacts(
                    store,
                    plan,
                    lambda done, total: self.app.call_from_thread(bar.update, total=total, progress=done),
                    today=self.app.today,  # type: ignore[attr-defined]
                )
        except InputError as exc:
            self.app.call_from_thread(self._show_errors, exc)
            return
        finally:
            self.app.call_from_thread(bar.remove_class, "-writing")
        self.app.call_from_thread(self._done, report.line())

    def _done(self, line: str) -> None:
        self.imported = True
        self.plan = None
        self.query_one("#result", Static).update(Text(f"Imported: {line}.", style=palette.GOOD_STRONG))
        self.app.load_portfolio()  # type: ignore[attr-defined]

    def action_back(self) -> None:
        self.dismiss(self.imported)
