"""Account: the stakeholder map beside coverage, grid, factors and touches."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Sparkline, Static, Tree

from stakeworks.domain.labels import TIER, TOUCH_KIND, label, roles_text
from stakeworks.domain.models import Contact, Touch
from stakeworks.screens.base import ShowsWorkerErrors
from stakeworks.screens.messages import AccountChanged
from stakeworks.services import accounts as services
from stakeworks.services.accounts import AccountView
from stakeworks.widgets import dates, palette
from stakeworks.widgets.badges import money, plain, risk_badge
from stakeworks.widgets.coverage_grid import CoverageGrid
from stakeworks.widgets.coverage_panel import CoveragePanel
from stakeworks.widgets.stakeholder_map import StakeholderMap


def header_text(view: AccountView, today_days: int | None) -> Text:
    a = view.account
    t = Text(a.name, style="bold") + Text("  ")
    t += risk_badge(view.assessment.risk)
    t += Text(f"  {a.currency} {money(a.arr)} ARR · {label(TIER, a.tier)} · CSM {a.csm or '—'}")
    if a.renewal_date:
        t += Text(f" · renewal {dates.show(a.renewal_date)}")
        if today_days is not None:
            t += Text(f" ({today_days:+d}d)", style=palette.BAD_STRONG if 0 <= today_days <= 90 else "")
    t += Text(" · our sponsor: ") + Text(
        ", ".join(view.sponsors) or "none", style="" if view.sponsors else palette.WARN
    )
    return t


def not_engaged_table(view: AccountView) -> Table | Text:
    """DOMAIN section 3's one list: the reasons and words of the map report and `assess`."""
    from stakeworks.domain.cadence import priority_of

    rows = view.assessment.not_engaged
    if not rows:
        return Text("Known but not engaged: nobody", style="dim")
    by_id = {c.id: c for c in view.contacts}
    table = Table(title="Known but not engaged", title_justify="left", expand=True)
    for col in ("Name", "Type", "Why not engaged", "Priority"):
        table.add_column(col)
    for n in rows:
        c = by_id[n.contact_id]
        table.add_row(plain(n.name), plain(roles_text(c.roles)), plain(n.detail), priority_of(c.roles, c.level))
    return table


def touches_table(contact: Contact | None, touches: list[Touch]) -> Table | Text:
    if contact is None:
        return Text("Select a contact to see their touches.", style="dim")
    table = Table(title=Text("Touches with ") + Text(contact.name, style="bold"), title_justify="left", expand=True)
    for col in ("Date", "Kind", "Note"):
        table.add_column(col)
    for t in touches[:12]:
        table.add_row(dates.show(t.date), label(TOUCH_KIND, t.kind), plain(t.note))
    if not touches:
        table.add_row("—", "—", Text("never touched", style=palette.BAD))
    return table


def file_stem(name: str) -> str:
    """An account name as a safe file name."""
    return "".join(ch if ch.isalnum() else "-" for ch in name).strip("-") or "account"


class AccountScreen(ShowsWorkerErrors, Screen[None]):
    CSS_PATH = "account.tcss"
    BINDINGS = [
        Binding("escape", "app.go_back", "Back", id="account.back"),
        Binding("e", "edit", "Edit contact", id="account.edit"),
        Binding("a", "add", "Add contact", id="account.add"),
        Binding("t", "log_touch", "Log touch", id="account.log_touch"),
        Binding("w", "whatif", "What if they left", id="account.whatif"),
        Binding("d", "depart", "Departed", id="account.depart"),
        Binding("p", "plan", "Plan", id="account.plan"),
        Binding("k", "tasks", "Tasks", id="account.tasks"),
        Binding("m", "export_map", "Export map", id="account.export_map"),
        Binding("c", "copy_map", "Copy map", id="account.copy_map"),
        Binding("s", "matrix", "Sentiment matrix", id="account.matrix"),
    ]

    def __init__(self, account_id: int, contact_id: int | None = None) -> None:
        super().__init__()
        self.account_id = account_id
        self.initial_contact = contact_id
        self.view: AccountView | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Loading…", id="account-head")
        with Horizontal():
            with Vertical(id="left"):
                yield StakeholderMap(id="map")
                yield Static("", id="touches")
            with VerticalScroll(id="right"):
                yield CoveragePanel(id="coverage")
                yield Static("", id="history-title")
                yield Sparkline([], id="history")
                yield CoverageGrid(id="grid")
                yield Static("", id="not-engaged")
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="account", exit_on_error=False)
    def load(self) -> None:
        app = self.app
        view = services.account_view(app.store, self.account_id, app.today, app.settings)  # type: ignore[attr-defined]
        history = app.store.score_history(self.account_id)  # type: ignore[attr-defined]
        self.app.call_from_thread(self.show_view, view, history)

    def show_view(self, view: AccountView, history: list | None = None) -> None:
        self.view = view
        if history is not None:
            recent = [s for d, s, _risk in history if (self.app.today - d).days <= 180]  # type: ignore[attr-defined]
            self.query_one("#history", Sparkline).data = recent or [view.assessment.score]
            first = recent[0] if recent else view.assessment.score
            self.query_one("#history-title", Static).update(
                f"Score history, last 180 days: {first} → {view.assessment.score} ({len(recent)} recorded days)"
            )
        app = self.app
        today = app.today  # type: ignore[attr-defined]
        days = (view.account.renewal_date - today).days if view.account.renewal_date else None
        self.query_one("#account-head", Static).update(header_text(view, days))
        self.sub_title = view.account.name
        tree = self.query_one(StakeholderMap)
        tree.show(view.contacts, view.assessment, view.key_people, today, select=self.initial_contact)
        self.initial_contact = None
        self.query_one(CoveragePanel).show(view.assessment)
        self.query_one(CoverageGrid).show(view.contacts, today, app.settings)  # type: ignore[attr-defined]
        self.query_one("#not-engaged", Static).update(not_engaged_table(view))
        tree.focus()
        self._show_touches(tree.selected_contact_id)

    @on(Tree.NodeHighlighted)
    def _highlighted(self, event: Tree.NodeHighlighted) -> None:
        self._show_touches(event.node.data)

    def _show_touches(self, contact_id: int | None) -> None:
        contact = self.selected_contact(contact_id)
        touches = self.app.store.touches(contact.id) if contact else []  # type: ignore[attr-defined]
        self.query_one("#touches", Static).update(Group(touches_table(contact, touches)))

    def selected_contact(self, contact_id: int | None = None) -> Contact | None:
        if self.view is None:
            return None
        cid = contact_id if contact_id is not None else self.query_one(StakeholderMap).selected_contact_id
        return next((c for c in self.view.contacts if c.id == cid), None)

    def on_account_changed(self, message: AccountChanged) -> None:
        if message.account_id == self.account_id:
            self.load()

    def _need_contact(self) -> Contact | None:
        contact = self.selected_contact()
        if contact is None:
            self.notify("Select a contact first.", severity="warning")
        return contact

    def _after_write(self, changed: bool | None) -> None:
        if changed:
            self.load()
            self.app.post_message(AccountChanged(self.account_id))

    def action_edit(self) -> None:
        from stakeworks.screens.contact_editor import ContactEditor

        contact = self._need_contact()
        if contact and self.view:
            self.app.push_screen(ContactEditor(self.view, contact), self._after_write)

    def action_add(self) -> None:
        from stakeworks.screens.contact_editor import ContactEditor

        if self.view:
            blank = Contact(account_id=self.account_id, name="New contact")
            self.app.push_screen(ContactEditor(self.view, blank), self._after_write)

    def action_log_touch(self) -> None:
        from stakeworks.screens.log_touch import LogTouchScreen

        contact = self._need_contact()
        if contact:
            self.app.push_screen(LogTouchScreen(contact, self.app.today), self._after_write)  # type: ignore[attr-defined]

    def action_whatif(self) -> None:
        from stakeworks.screens.whatif import WhatIfScreen

        contact = self._need_contact()
        if contact and self.view:
            self.app.push_screen(WhatIfScreen(self.view, contact, self.app.today, self.app.settings))  # type: ignore[attr-defined]

    def action_depart(self) -> None:
        from stakeworks.screens.depart import DepartScreen

        contact = self._need_contact()
        if contact:
            self.app.push_screen(DepartScreen(contact, self.app.today), self._after_write)  # type: ignore[attr-defined]

    def action_plan(self) -> None:
        from stakeworks.screens.plan import PlanScreen

        self.app.push_screen(PlanScreen(self.account_id), self._after_write)

    def action_tasks(self) -> None:
        from stakeworks.screens.tasks import TasksScreen

        self.app.push_screen(TasksScreen(self.account_id))

    @work(thread=True, group="export", exit_on_error=False)
    def action_export_map(self) -> None:
        """The map as Markdown (seed 001's report), an SVG org chart and an HTML page, in the export folder."""
        from stakeworks.interchange.orgchart import layout, render_html, render_svg
        from stakeworks.interchange.report import render_markdown

        app = self.app
        report = services.map_report(app.store, self.account_id, app.today)  # type: ignore[attr-defined]
        folder = app.export_folder()  # type: ignore[attr-defined]
        stem = file_stem(report.account.name) + "-stakeholder-map"
        chart = layout(report)
        files = {".md": render_markdown(report), ".svg": render_svg(report, chart), ".html": render_html(report)}
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for suffix, text in files.items():
                (folder / (stem + suffix)).write_text(text, encoding="utf-8")
        except OSError as exc:
            message = f"Could not write to {folder}: {exc.strerror}"
            self.app.call_from_thread(self.notify, message, severity="error", markup=False)
            return
        message = f"{folder}/{stem}.md, .svg (the org chart for a slide) and .html"
        self.app.call_from_thread(self.notify, message, title="Stakeholder map exported", markup=False, timeout=10)

    @work(thread=True, group="export", exit_on_error=False)
    def action_copy_map(self) -> None:
        """The map as Markdown on the clipboard (and in a file, where the clipboard cannot reach)."""
        from stakeworks.interchange.report import render_markdown

        app = self.app
        report = services.map_report(app.store, self.account_id, app.today)  # type: ignore[attr-defined]
        name = file_stem(report.account.name) + "-stakeholder-map.md"
        app.call_from_thread(app.share, render_markdown(report), name, "the stakeholder map")  # type: ignore[attr-defined]

    def action_matrix(self) -> None:
        from stakeworks.screens.matrix import MatrixScreen

        if self.view:
            self.app.push_screen(MatrixScreen(self.view.contacts))
