"""Account: the stakeholder map beside coverage, grid, factors and touches."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Header, Sparkline, Static, Tree

from stakeworks.domain.errors import StakeworksError
from stakeworks.domain.identity import CRM_LABELS
from stakeworks.domain.labels import TIER, TOUCH_KIND, label, roles_text
from stakeworks.domain.models import Contact, Executive, StoredContact, Touch
from stakeworks.domain.our_side import Knows
from stakeworks.interchange import files
from stakeworks.screens.base import ShowsWorkerErrors, StakeworksScreen
from stakeworks.screens.dialogs import Confirm
from stakeworks.screens.messages import AccountChanged
from stakeworks.services import accounts as services
from stakeworks.services import edits, permissions, records
from stakeworks.services.accounts import AccountView, Interim
from stakeworks.services.quiet_gc import collector_paused
from stakeworks.services.records import OurSideOfAccount
from stakeworks.widgets import dates, palette
from stakeworks.widgets.badges import money, plain, risk_badge
from stakeworks.widgets.coverage_grid import CoverageGrid
from stakeworks.widgets.coverage_panel import CoveragePanel
from stakeworks.widgets.key_footer import KeyFooter
from stakeworks.widgets.stakeholder_map import MapLayout, StakeholderMap, map_layout
from stakeworks.widgets.steady import MeasuredOnce

if TYPE_CHECKING:
    from stakeworks.domain.undo import UndoToken
    from stakeworks.screens.influence_editor import InfluenceEdit


def header_text(
    view: AccountView,
    today_days: int | None,
    interims: list[Interim] | None = None,
    meetings: list[tuple[date, str, list[str]]] | None = None,
    ours: OurSideOfAccount | None = None,
) -> Text:
    a = view.account
    t = Text(a.name, style="bold") + Text("  ")
    t += risk_badge(view.assessment.risk)
    arr = f"{a.currency} {money(a.arr)} ARR" if a.arr else "ARR —"
    t += Text(f"  {arr} · {label(TIER, a.tier)} · CSM {a.csm or '—'}")
    if a.company_revenue:  # the customer's own revenue (Salesforce AnnualRevenue): shown as that, never as ARR
        t += Text(f" · company revenue {a.currency} {money(a.company_revenue)}")
    if a.crm_id:  # what tells it apart from another account of the same name
        t += Text(f" · {CRM_LABELS.get(a.crm, a.crm)} {a.crm_id}", style="dim")
    if a.renewal_date:
        t += Text(f" · renewal {dates.show(a.renewal_date)}")
        if today_days is not None:
            t += Text(f" ({today_days:+d}d)", style=palette.BAD_STRONG if 0 <= today_days <= 90 else "")
    t += Text(" · our sponsor: ") + Text(
        ", ".join(view.sponsors) or "none", style="" if view.sponsors else palette.WARN
    )
    for i in interims or []:
        t += Text("\nInterim contact: ", style="bold") + Text(i.name, style="bold")
        if i.departed_name:
            t += Text(" (standing in for ") + Text(i.departed_name) + Text(", departed)")
    for day, title, people in (meetings or [])[:1]:  # from an imported calendar (CLI.md "A living map")
        t += Text("\nNext meeting: ", style="bold") + Text(f"{dates.show(day)} ") + Text(title or "(no title)")
        t += Text(f" with {', '.join(people)}", style="dim")
    if ours is not None:  # DOMAIN sections 11 and 12
        t += (
            Text("\nOur bus factor: ", style="bold")
            + Text(f"{ours.bus_factor}", style=palette.BAD_STRONG if ours.bus_factor <= 1 else "")
            + Text(" of us on its engaged contacts", style="dim")
        )
        if ours.seen_here:
            t += Text(" · ") + Text(f"seen here, not on the map: {ours.seen_here}", style=palette.WARN)
            t += Text(" (ctrl+l)", style="dim")
    return t


def not_engaged_text(view: AccountView) -> Text:
    """DOMAIN section 3's one list: the reasons and words of the map report and `assess`. One
    Text, not a Rich table: a table of a large account's rows is measured and drawn again on
    every layout of the screen (120 ms for 63 rows), a Text in a few milliseconds."""
    from stakeworks.domain.cadence import priority_of

    rows = view.assessment.not_engaged
    if not rows:
        return Text("Known but not engaged: nobody", style="dim")
    by_id: dict[int | None, StoredContact] = {c.id: c for c in view.contacts}
    out = Text(f"Known but not engaged ({len(rows)})", style="bold")
    for n in rows:
        c = by_id[n.contact_id]
        out.append("\n")
        out.append(n.name)
        out.append(f" · {roles_text(c.roles)} · {priority_of(c.roles, c.level)} priority", style=palette.MUTED)
        out.append(f"\n  {n.detail}")
    return out


def touches_title(contact: Contact | None, count: int, knows: list[Knows] | None = None) -> Text:
    if contact is None:
        return Text("No contact selected: a adds one.", style=palette.MUTED)
    t = Text("Touches with ") + Text(contact.name, style="bold")
    if count == 0:
        return t + Text(": never touched", style=palette.BAD)
    t += Text(f" ({count}{'+' if count >= TOUCH_LIMIT else ''})", style=palette.MUTED)
    if knows is not None:  # DOMAIN section 12: who of us knows them
        who = ", ".join(f"{k.who} ({k.touches})" for k in knows[:4]) or "nobody of ours in 365 days"
        t += Text(" · known to us by: ", style=palette.MUTED) + Text(who)
    return t


TOUCH_LIMIT = 50
FIRST_FRAME_WAIT_S = 0.5
"""The longest the account's read waits for the empty screen's first frame."""


def _counted(parts: list[tuple[int, str, str]]) -> list[str]:
    """ "3 touches", "1 playbook task": only the parts there are any of."""
    return [f"{n} {one if n == 1 else many}" for n, one, many in parts if n]


def file_stem(name: str) -> str:
    """An account name as a safe file name."""
    return "".join(ch if ch.isalnum() else "-" for ch in name).strip("-") or "account"


@dataclass(frozen=True, slots=True)
class PageDrawn:
    """The account's page and what it draws, built in the screen's worker."""

    page: records.AccountPage
    layout: MapLayout
    not_engaged: Text


class AccountScreen(ShowsWorkerErrors, StakeworksScreen[None]):
    CSS_PATH = "account.tcss"
    BINDINGS = [
        Binding("escape", "app.go_back", "Back", id="account.back"),
        Binding("e", "edit", "Edit contact", id="account.edit"),
        Binding("a", "add", "Add contact", id="account.add"),
        Binding("t", "log_touch", "Log touch", id="account.log_touch"),
        Binding("w", "whatif", "What if they left", id="account.whatif"),
        Binding("i", "influence", "Influence lines", id="account.influence", show=False),
        Binding("d", "depart", "Departed", id="account.depart"),
        Binding("p", "plan", "Plan", id="account.plan"),
        Binding("k", "tasks", "Tasks", id="account.tasks"),
        Binding("m", "export_map", "Export map", id="account.export_map"),
        Binding("c", "copy_map", "Copy map", id="account.copy_map"),
        Binding("s", "matrix", "Sentiment matrix", id="account.matrix"),
        Binding("h", "history", "History", id="account.history"),
        Binding("N", "nominate", "Nominate for a sponsor", id="account.nominate", show=False),
        Binding("E", "edit_account", "Edit account", id="account.edit_account"),
        Binding("delete", "delete", "Delete", id="account.delete"),
        Binding("D", "delete_account", "Delete account", id="account.delete_account", show=False),
    ]

    def __init__(self, account_id: int, contact_id: int | None = None) -> None:
        super().__init__()
        self.account_id = account_id
        self.initial_contact = contact_id
        self.view: AccountView | None = None
        self.ours: OurSideOfAccount | None = None  # who of us knows whom, people seen here (issue 32)
        self.version: int | None = None
        """The account row's version when last loaded (the account editor saves against it)."""
        self.touches: list[Touch] = []
        self.touches_of: int | None = None
        self.read_only: str | None = None
        """Why the person may not change this account (a team store's roles), else None."""
        self._first_drawn = threading.Event()

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Loading…", id="account-head")
        yield Static("", id="read-only")
        with Horizontal():
            with Vertical(id="left"):
                yield StakeholderMap(id="map")
                yield Static("", id="touches-title")
                yield DataTable(id="touches", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="right"):
                yield CoveragePanel(id="coverage")
                yield Static("", id="history-title")
                yield Sparkline([], id="history")
                yield CoverageGrid(id="grid")
                yield MeasuredOnce("", id="not-engaged")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#touches", DataTable).add_columns("Date", "Kind", "Note")
        self.call_after_refresh(self._first_drawn.set)
        self.focus_when_loaded(self.load())  # `a`, `t`, `e` typed as it opens act on the account

    @work(thread=True, exclusive=True, group="account", exit_on_error=False)
    def load(self) -> None:
        # The read waits for the empty screen's first frame: both hold the GIL most of the time,
        # and sharing it doubled the time that frame kept the UI thread (20-35 ms of CPU).
        self._first_drawn.wait(FIRST_FRAME_WAIT_S)
        session = self.session
        # Without the cyclic collector: a collection set off by this read's allocations holds the
        # GIL and the UI thread waits (25-40 ms gen-1 collections seen while the screen opened).
        with collector_paused():
            page = records.account_page(session.store, self.account_id, session.today, session.settings)
            reason = permissions.read_only_reason(session.store, page.view.account)
            # What the page draws is built here, off the UI thread: there only the tree's nodes are added.
            v = page.view
            drawn = PageDrawn(page, map_layout(v.contacts, v.assessment, v.key_people, session.today, v.influences),
                              not_engaged_text(v))  # fmt: skip
        self.app.call_from_thread(self._show_read_only, reason)
        self.app.call_from_thread(self.show_page, drawn)

    def show_page(self, drawn: PageDrawn) -> None:
        """The page in slices, one frame each, so that no frame lays out and draws it all at once
        (a 200-contact account's took 30-40 ms of the UI thread): first what is read and acted
        on (the header, the map and its person's touches), then the panels beside it."""
        page = drawn.page
        view = self.view = page.view
        self.version = page.version
        self.ours = page.ours
        renewal = view.account.renewal_date
        days = (renewal - self.session.today).days if renewal else None
        head = header_text(view, days, page.interims, page.meetings, page.ours)
        self.query_one("#account-head", Static).update(head)
        self.sub_title = view.account.name
        tree = self.query_one(StakeholderMap)
        tree.show(drawn.layout, select=self.initial_contact)
        self.initial_contact = None
        tree.focus()
        self._show_touches(tree.selected_contact_id)
        # The map puts its cursor back after its next refresh; show that contact's touches then too.
        self.call_after_refresh(lambda: self.call_after_refresh(lambda: self._show_touches(tree.selected_contact_id)))
        self.call_after_refresh(self._show_coverage, drawn)

    def _show_coverage(self, drawn: PageDrawn) -> None:
        view = drawn.page.view
        if view is not self.view:  # a newer page is on its way
            return
        self.query_one(CoveragePanel).show(view.assessment)
        recent = [s for d, s, _risk in drawn.page.history if (self.session.today - d).days <= 180]
        self.query_one("#history", Sparkline).data = recent or [view.assessment.score]
        first = recent[0] if recent else view.assessment.score
        self.query_one("#history-title", Static).update(
            f"Risk score history, last 180 days: {first} → {view.assessment.score} / 100 "
            f"({len(recent)} recorded {'day' if len(recent) == 1 else 'days'})"
        )
        self.call_after_refresh(self._show_grid, drawn)

    def _show_grid(self, drawn: PageDrawn) -> None:
        view = drawn.page.view
        if view is not self.view:
            return
        grid = self.query_one(CoverageGrid)
        grid.show(view.contacts, self.session.today, self.session.settings)
        # Asked of the grid, so that it comes after the grid's own refresh has reached the screen.
        grid.call_after_refresh(self._show_not_engaged, drawn)

    def _show_not_engaged(self, drawn: PageDrawn) -> None:
        if drawn.page.view is self.view:
            self.query_one("#not-engaged", Static).update(drawn.not_engaged)

    def _show_read_only(self, reason: str | None) -> None:
        self.read_only = reason
        banner = self.query_one("#read-only", Static)
        banner.update(Text(f"Read-only: {reason}") if reason else "")
        banner.set_class(reason is not None, "shown")

    def _may_change(self) -> bool:
        """What cannot be saved is not opened for editing: the reason instead."""
        if self.read_only:
            self.notify(self.read_only, severity="warning", markup=False)
            return False
        return True

    @on(Tree.NodeHighlighted)
    def _highlighted(self, event: Tree.NodeHighlighted) -> None:
        self._show_touches(event.node.data)

    def _show_touches(self, contact_id: int | None) -> None:
        contact = self.selected_contact(contact_id)
        if contact is None or contact.id is None:
            self._touches_loaded(None, [])
            return
        self.load_touches(contact.id)

    @work(thread=True, exclusive=True, group="touches", exit_on_error=False)
    def load_touches(self, contact_id: int) -> None:
        touches = records.touches(self.session.store, contact_id, TOUCH_LIMIT)
        self.app.call_from_thread(self._touches_loaded, contact_id, touches)

    def _touches_loaded(self, contact_id: int | None, touches: list[Touch]) -> None:
        if contact_id is not None and contact_id != self.query_one(StakeholderMap).selected_contact_id:
            return  # the cursor moved on while this was read
        self.touches, self.touches_of = touches, contact_id
        contact = self.selected_contact(contact_id) if contact_id is not None else None
        knows = self.ours.knows.get(contact_id) if self.ours is not None and contact_id is not None else None
        self.query_one("#touches-title", Static).update(touches_title(contact, len(touches), knows))
        table = self.query_one("#touches", DataTable)
        row = table.cursor_row
        table.clear()
        for t in touches:
            table.add_row(dates.show(t.date), label(TOUCH_KIND, t.kind), plain(t.note),
                          key=str(t.id))  # fmt: skip
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))

    def selected_contact(self, contact_id: int | None = None) -> StoredContact | None:
        if self.view is None:
            return None
        cid = contact_id if contact_id is not None else self.query_one(StakeholderMap).selected_contact_id
        return next((c for c in self.view.contacts if c.id == cid), None)

    def on_account_changed(self, message: AccountChanged) -> None:
        if message.account_id == self.account_id:
            self.load()

    def _need_contact(self) -> StoredContact | None:
        contact = self.selected_contact()
        if contact is None:
            self.notify("Select a contact first.", severity="warning")
        return contact

    def _after_write(self, changed: object) -> None:
        if changed:
            self.load()
            self.app.post_message(AccountChanged(self.account_id))

    def action_edit(self) -> None:
        from stakeworks.screens.contact_editor import ContactEditor

        if not self._may_change():
            return
        contact = self._need_contact()
        if contact and self.view:
            self.app.push_screen(ContactEditor(self.view, contact), self._after_write)

    def action_add(self) -> None:
        from stakeworks.screens.contact_editor import ContactEditor

        if not self._may_change():
            return
        if self.view:
            blank = Contact(account_id=self.account_id, name="New contact")
            self.app.push_screen(ContactEditor(self.view, blank), self._after_write)

    def action_log_touch(self) -> None:
        from stakeworks.screens.log_touch import LogTouchScreen

        if not self._may_change():
            return
        contact = self._need_contact()
        if contact:
            self.app.push_screen(LogTouchScreen(contact, self.session.today), self._after_write)

    def action_whatif(self) -> None:
        from stakeworks.screens.whatif import WhatIfScreen

        contact = self._need_contact()
        if contact and self.view:
            self.app.push_screen(WhatIfScreen(self.view, contact, self.session.today, self.session.settings))

    def action_influence(self) -> None:
        """Add, change or remove the selected contact's influence lines (DOMAIN section 14)."""
        from stakeworks.screens.influence_editor import InfluenceEditor

        contact = self._need_contact()
        if contact and self.view:
            editor = InfluenceEditor(contact, self.view.contacts, self.view.influences)
            self.app.push_screen(editor, partial(self._save_influence, contact))

    def _save_influence(self, source: Contact, change: InfluenceEdit | None) -> None:
        target = self.selected_contact(change.to_id) if change else None
        if change is None or target is None:
            return
        self.save_influence(source, target, change)

    @work(thread=True, exclusive=True, group="influence", exit_on_error=False)
    def save_influence(self, source: Contact, target: Contact, change: InfluenceEdit) -> None:
        try:
            undo = edits.influence_line(self.session.store, self.account_id, source, target, change.sign,
                                        change.note, remove=change.remove)  # fmt: skip
        except StakeworksError as exc:
            self.app.call_from_thread(self.notify, str(exc), title="Not saved", severity="error", markup=False)
            return
        what = "removed" if change.remove else "saved"
        label = f"{what} the influence line from {source.name} to {target.name}"
        self.app.call_from_thread(self._deleted, "influence", label, undo)

    def action_depart(self) -> None:
        from stakeworks.screens.depart import DepartScreen

        if not self._may_change():
            return
        contact = self._need_contact()
        if contact:
            self.app.push_screen(DepartScreen(contact, self.session.today), self._after_write)

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

        session = self.session
        report = services.map_report(session.store, self.account_id, session.today)
        folder = session.export_folder()
        stem = file_stem(report.account.name) + "-stakeholder-map"
        chart = layout(report)
        outputs = {".md": render_markdown(report), ".svg": render_svg(report, chart), ".html": render_html(report)}
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for suffix, text in outputs.items():
                # Owner-only (a map names people), whole or not at all, never onto the store itself.
                files.write_text(files.check_output(folder / (stem + suffix), session.source.path), text)
        except (OSError, StakeworksError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else str(exc)
            message = f"Could not write to {folder}: {reason}"
            self.app.call_from_thread(self.notify, message, severity="error", markup=False)
            return
        message = f"{folder}/{stem}.md, .svg (the org chart for a slide) and .html"
        self.app.call_from_thread(self.notify, message, title="Stakeholder map exported", markup=False, timeout=10)

    @work(thread=True, group="export", exit_on_error=False)
    def action_copy_map(self) -> None:
        """The map as Markdown on the clipboard (and in a file, where the clipboard cannot reach)."""
        from stakeworks.interchange.report import render_markdown

        report = services.map_report(self.session.store, self.account_id, self.session.today)
        name = file_stem(report.account.name) + "-stakeholder-map.md"
        self.app.call_from_thread(self.workbench.share, render_markdown(report), name, "the stakeholder map")

    # -- edit and delete ---------------------------------------------------------------------

    def action_edit_account(self) -> None:
        from stakeworks.screens.account_editor import AccountEditor

        if not self._may_change():
            return
        if self.view is not None:
            self.app.push_screen(
                AccountEditor(self.view.account, self.view.contacts, self.version, self.view.influences),
                self._after_write,
            )

    def action_delete(self) -> None:
        """Delete what has the focus: the selected touch in the touches list, else the selected contact."""
        if not self._may_change():
            return
        table = self.query_one("#touches", DataTable)
        if self.focused is table and table.row_count and self.touches:
            touch = self.touches[table.cursor_row]
            contact = self.selected_contact(self.touches_of)
            if contact is not None:
                self._confirm_touch(contact, touch)
            return
        contact = self._need_contact()
        if contact is not None and contact.id is not None:
            self.contact_impact(contact)

    def _confirm_touch(self, contact: Contact, touch: Touch) -> None:
        rest = [t for t in self.touches if t.id != touch.id]
        kind = label(TOUCH_KIND, touch.kind).lower()
        body = Text(f"The {kind} with ") + Text(contact.name, style="bold") + Text(f" on {dates.show(touch.date)}")
        if touch.note:
            body += Text(": ") + Text(touch.note, style="italic")
        body += Text(".\n")
        if not rest:
            body += Text("They will have no touch at all: never touched, overdue where a threshold applies.\n")
        elif max(t.date for t in rest) < touch.date:
            body += Text(f"Their last touch becomes {dates.show(max(t.date for t in rest))}.\n")
        body += Text("ctrl+z undoes it in this session.", style=palette.MUTED)
        what = f"deleted the {kind} with {contact.name} on {dates.show(touch.date)}"
        self._ask_delete("Delete this touch?", body, what, ("touch", touch.id))

    @work(thread=True, exclusive=True, group="impact", exit_on_error=False)
    def contact_impact(self, contact: StoredContact) -> None:
        impact = records.contact_impact(self.session.store, contact.id)
        self.app.call_from_thread(self._confirm_contact, contact, impact)

    def _confirm_contact(self, contact: Contact, impact: dict[str, int]) -> None:
        assert self.view is not None
        body = Text("Delete ") + Text(contact.name, style="bold")
        if contact.title:
            body += Text(f" ({contact.title})")
        body += Text(" from ") + Text(self.view.account.name, style="bold") + Text(".\n")
        goes = _counted([(impact["touches"], "touch", "touches"), (impact["tasks"], "playbook task", "playbook tasks")])
        if contact.roles:
            goes.append("their roles (" + ", ".join(sorted(str(r).replace("_", " ") for r in contact.roles)) + ")")
        body += Text("Goes with them: " + (", ".join(goes) or "nothing else") + ".\n")
        changes = _counted([
            (impact["plan_items"], "plan item loses its target or path", "plan items lose their target or path"),
            (impact["reports"], "contact no longer reports to anyone", "contacts no longer report to anyone"),
            (impact["executive_links"], "link to one of our executives", "links to our executives"),
        ])  # fmt: skip
        if changes:
            body += Text("Also: " + "; ".join(changes) + ".\n")
        body += Text("To keep the history, set their status to departed instead (d). ctrl+z undoes a delete.",
                     style=palette.MUTED)  # fmt: skip
        self._ask_delete(f"Delete {contact.name}?", body, f"deleted {contact.name}", ("contact", contact.id))

    def action_delete_account(self) -> None:
        if self.view is not None:
            self.account_delete_impact()

    @work(thread=True, exclusive=True, group="impact", exit_on_error=False)
    def account_delete_impact(self) -> None:
        impact = records.account_impact(self.session.store, self.account_id)
        self.app.call_from_thread(self._confirm_account, impact)

    def _confirm_account(self, impact: dict[str, int]) -> None:
        assert self.view is not None
        a = self.view.account
        body = Text("Delete the account ") + Text(a.name, style="bold") + Text(" and everything in it.\n")
        goes = _counted([
            (impact["contacts"], "contact", "contacts"), (impact["touches"], "touch", "touches"),
            (impact["plan_items"], "plan item", "plan items"), (impact["tasks"], "playbook task", "playbook tasks"),
            (impact["sponsorships"], "active sponsorship", "active sponsorships"),
            (impact["history_days"], "day of score history", "days of score history"),
        ])  # fmt: skip
        body += Text("Goes with it: " + (", ".join(goes) or "nothing else") + ".\n")
        if self.view.sponsors:
            body += Text("Our sponsor ") + Text(", ".join(self.view.sponsors)) + Text(" gets the capacity back.\n")
        body += Text("ctrl+z undoes it in this session.", style=palette.MUTED)
        self._ask_delete(f"Delete the account {a.name}?", body, f"deleted the account {a.name}",
                         ("account", self.account_id))  # fmt: skip

    def _ask_delete(self, title: str, body: Text, label: str, what: tuple[str, int | None]) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                self.delete(what, label)

        self.app.push_screen(Confirm(title, body, yes="Delete", no="Keep"), answered)

    @work(thread=True, exclusive=True, group="delete", exit_on_error=False)
    def delete(self, what: tuple[str, int | None], label: str) -> None:
        kind, record_id = what
        if record_id is None:  # never stored: nothing to delete
            return
        undo = edits.delete(self.session.store, kind, record_id)
        self.app.call_from_thread(self._deleted, kind, label, undo)

    def _deleted(self, kind: str, label: str, undo: UndoToken) -> None:
        app = self.app
        self.session.remember_undo(label, undo, (self.account_id,))
        app.notify(f"{label[0].upper()}{label[1:]}. ctrl+z undoes it.", markup=False)
        app.post_message(AccountChanged(self.account_id))
        if kind != "account":
            self.load()

    def action_nominate(self) -> None:
        """Propose this account for the sponsor program (optionally with one of our executives) and
        say why; nothing is assigned until the program's owner approves it."""
        self.nomination_choices()

    @work(thread=True, exclusive=True, group="nominate", exit_on_error=False)
    def nomination_choices(self) -> None:
        executives = records.executives(self.session.store)
        self.app.call_from_thread(self._ask_executive, executives)

    def _ask_executive(self, executives: list[Executive]) -> None:
        from stakeworks.screens.dialogs import Choose

        if self.view is None:
            return
        choices: list[tuple[str, object]] = [("No one in particular: the program's owner picks", "none")]
        choices += [(f"{e.name} ({e.title or e.level})", e) for e in executives]
        self.app.push_screen(Choose(f"Nominate {self.view.account.name}: with which of our executives?", choices),
                             self._ask_reason)  # fmt: skip

    def _ask_reason(self, picked: object) -> None:
        from stakeworks.screens.dialogs import AskText

        if picked is None or self.view is None:  # cancelled
            return
        ex = picked if isinstance(picked, Executive) else None
        title = f"Nominate {self.view.account.name}" + (f" with {ex.name}" if ex else "")
        self.app.push_screen(
            AskText(title, Text("Why should this account have one of our executives? The program's owner reads it."),
                    placeholder="e.g. renewal at risk, CFO not engaged", answer="Nominate"),
            partial(self._nominate_with, ex),
        )  # fmt: skip

    def _nominate_with(self, ex: Executive | None, reason: str | None) -> None:
        if reason:  # None: cancelled
            self.nominate(ex, reason)

    @work(thread=True, group="nominate", exit_on_error=False)
    def nominate(self, ex: Executive | None, reason: str) -> None:
        session = self.session
        try:
            undo = edits.nominate(session.store, self.account_id, ex, reason, session.prefs.user, session.today)
        except StakeworksError as exc:
            self.app.call_from_thread(self.notify, str(exc), title="Not nominated", severity="error", markup=False)
            return
        name = self.view.account.name if self.view else "the account"
        self.app.call_from_thread(session.remember_undo, f"nominated {name} for the sponsor program", undo, ())
        done = "Nominated for the sponsor program; the owner decides (sponsors screen, o)."
        self.app.call_from_thread(self.notify, done, markup=False)

    def action_history(self) -> None:
        from stakeworks.screens.history import HistoryScreen, default_since

        if self.view:
            account = self.view.account
            since = default_since(account.last_ebr, self.session.today)
            self.app.push_screen(HistoryScreen(self.account_id, account.name, since))

    def action_matrix(self) -> None:
        from stakeworks.screens.matrix import MatrixScreen

        if self.view:
            self.app.push_screen(MatrixScreen(self.view.contacts))
