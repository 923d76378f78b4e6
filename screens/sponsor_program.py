"""The sponsor program's owner: the review queue (nominations and the optimiser's suggestions,
approved under the three-account limit or declined with a reason) and the program measured
(per executive and account: start and now, EBRs and check-ins held against due, overdue first),
exportable as Markdown and CSV for the owner's review meeting."""

from __future__ import annotations

from functools import partial

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Static

from stakeworks.domain.errors import StakeworksError
from stakeworks.domain.models import Executive
from stakeworks.domain.program_report import AccountMeasure, ProgramReport
from stakeworks.domain.sponsors import briefly
from stakeworks.screens.base import ShowsWorkerErrors, StakeworksScreen
from stakeworks.screens.messages import AccountChanged
from stakeworks.services import edits
from stakeworks.services import sponsor_reviews as reviews
from stakeworks.services.sponsor_reviews import QueueEntry
from stakeworks.widgets import dates, palette
from stakeworks.widgets.badges import plain
from stakeworks.widgets.key_footer import KeyFooter
from stakeworks.widgets.table_rows import Row, refill


def _score(a: AccountMeasure) -> Text:
    change = a.score_change
    start = "—" if a.score_at_start is None else str(a.score_at_start)
    text = Text(f"{start} → {a.score_now}")
    if change:  # the score measures risk: a fall is an improvement
        text += Text(f" ({change:+d})", style=palette.GOOD if change < 0 else palette.BAD_STRONG)
    return text


def _ebr(a: AccountMeasure) -> Text:
    if a.ebr_due is None:
        return Text("no duty", style="dim")
    return Text(f"{a.ebr_held}/{a.ebr_due}", style=palette.BAD_STRONG if a.ebr_held < a.ebr_due else "")


_QUEUE_COLUMNS = ("#", "Account", "Our executive", "From", "Fit", "Load after")


class SponsorProgramScreen(ShowsWorkerErrors, StakeworksScreen[None]):
    CSS_PATH = "sponsor_program.tcss"
    BINDINGS = [
        Binding("y", "approve", "Approve", id="program.approve"),
        Binding("d", "decline", "Decline", id="program.decline"),
        Binding("m", "export('md')", "Export Markdown", id="program.export_md"),
        Binding("v", "export('csv')", "Export CSV", id="program.export_csv"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[QueueEntry] = []
        self.report: ProgramReport | None = None
        self._generation = 0  # of the latest load asked for
        self.account_id: int | None = None
        """The program of every account: an undo anywhere may change it (AccountChanged)."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Loading the sponsor program…", id="status")
        yield Static("Waiting for your decision", classes="title")
        yield DataTable(id="queue", cursor_type="row")
        yield Static(Text("Nothing waiting.", style="dim"), id="queue-empty")
        yield Static("", id="entry-why", classes="why")
        yield Static("The program measured (duties overdue first; a score falling is an improvement)", classes="title")
        yield DataTable(id="measure", cursor_type="row")
        yield KeyFooter()

    def on_mount(self) -> None:
        queue = self.query_one("#queue", DataTable)
        for label in _QUEUE_COLUMNS:  # keyed by label, made once: a table re-made on every load
            queue.add_column(label, key=label)  # may paint a frame without its header
        self.query_one("#measure", DataTable).add_columns(
            "Account",
            "Since",
            "Risk score start → now",
            "EBRs held/due",
            "Check-ins",
            "Sponsor's last touch",
            "Overdue",
        )

    def on_screen_resume(self) -> None:
        # Its first showing too (one load, not two racing), and after a nomination made on an
        # account screen meanwhile.
        self.reload()

    def on_account_changed(self, message: AccountChanged) -> None:
        """An undo of a decision: the nomination waits again."""
        message.stop()  # the app has its own copy to refresh the account's summary
        self.reload()

    def reload(self) -> None:
        """Read the queue and the measurement again; only the latest read is shown (an earlier
        one, started before a decision was written, may finish after it)."""
        self._generation += 1
        self.load(self._generation)

    @work(thread=True, exclusive=True, group="program", exit_on_error=False)
    def load(self, generation: int) -> None:
        store, today = self.session.store, self.session.today
        entries = reviews.queue(store, today)
        report = reviews.report(store, today)
        self.app.call_from_thread(self.show, entries, report, generation)

    def show(self, entries: list[QueueEntry], report: ProgramReport, generation: int) -> None:
        if generation != self._generation:
            return
        self.entries, self.report = entries, report
        queue = self.query_one("#queue", DataTable)
        keep = queue.cursor_row
        rows: list[Row] = []
        for e in entries:
            r = e.review
            load = (
                Text(f"{e.load_after}/{e.executive.capacity}", style=palette.BAD_STRONG if e.over_limit else "")
                if e.executive
                else Text("—")
            )
            rows.append(((
                str(r.id), plain(e.account), plain(e.executive.name) if e.executive else Text("(pick one)", style="dim"),
                plain(f"{r.source} · {r.proposed_by or '?'}"), f"{e.fit.total:.0f}" if e.fit else "—", load,
            ), str(r.id)))  # fmt: skip
        refill(queue, rows)
        queue.display = bool(entries)
        self.query_one("#queue-empty").display = not entries
        queue.move_cursor(row=max(0, min(keep, queue.row_count - 1)))
        measured: list[Row] = []
        for ex in report.executives:
            title = Text(ex.executive, style="bold") + (
                Text("  duties overdue", style=palette.BAD_STRONG) if ex.overdue else Text("")
            )
            measured.append(((title, "", "", "", "", "", ""), f"ex:{ex.executive}"))
            # Every row keyed by what it shows: auto keys count up across loads, and the
            # picture of the screen would differ with how many loads came before.
            if not ex.accounts:
                measured.append(((Text("  no sponsored account", style="dim"), "", "", "", "", "", ""),
                                 f"none:{ex.executive}"))  # fmt: skip
            for n, a in enumerate(ex.accounts):
                measured.append(((
                    Text("  ") + plain(a.account), dates.show(a.since), _score(a), _ebr(a),
                    f"{a.checkins_done}/{a.checkins_due}", dates.show(a.last_touch_by_sponsor) or "—",
                    Text("; ".join(a.overdue) or "—", style=palette.BAD_STRONG if a.overdue else "dim"),
                ), f"acct:{ex.executive}:{n}"))  # fmt: skip
        measure = self.query_one("#measure", DataTable)
        refill(measure, measured)
        t = report.totals
        self.query_one("#status", Static).update(
            f"{len(entries)} waiting · {t['accounts']} sponsored accounts: {t['improved']} improved, {t['worsened']} "
            f"worse since the start · EBRs {t['ebr_held']}/{t['ebr_due']} · check-ins {t['checkins_done']}/"
            f"{t['checkins_due']} · {t['executives_overdue']} of {t['executives']} executives with duties overdue"
        )
        self._show_why()

    def _selected(self) -> QueueEntry | None:
        table = self.query_one("#queue", DataTable)
        if not table.row_count:
            return None
        key = str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        return next((e for e in self.entries if str(e.review.id) == key), None)

    @on(DataTable.RowHighlighted, "#queue")
    def _show_why(self) -> None:
        e = self._selected()
        why = self.query_one("#entry-why", Static)
        if e is None:
            why.update("")
            return
        r = e.review
        text = Text(f"{e.account}: ", style="bold") + Text(r.reason or "no reason given")
        text += Text(f" ({r.source} by {r.proposed_by or '?'}, {dates.show(r.proposed_on)})\n", style="dim")
        if e.executive and e.fit:
            held = ", ".join(e.load) or "no account yet"
            text += Text(f"{e.executive.name}: fit {e.fit.total:.0f} ({briefly(e.fit)}); sponsors {held}")
            if e.over_limit:
                text += Text(f"; at the limit of {e.executive.capacity}: approval is refused", style=palette.BAD_STRONG)
        else:
            text += Text("Best fits with room: ") + Text(
                "; ".join(f"{ex.name} {f.total:.0f} ({briefly(f)})" for ex, f in e.options) or "no executive has room"
            )
        why.update(text)

    # -- decisions: asked first, written in a worker ------------------------------------------

    def action_approve(self) -> None:
        e = self._selected()
        if e is None:
            self.notify("Nothing waiting for a decision.", severity="warning")
            return
        if e.executive is not None:
            self._confirm_approve(e, e.executive)
            return
        if not e.options:
            self.notify("No executive of ours has room for another account.", severity="warning")
            return
        from stakeworks.screens.dialogs import Choose

        self.app.push_screen(
            Choose(f"Who should sponsor {e.account}?", [(f"{ex.name} · fit {f.total:.0f}", ex) for ex, f in e.options]),
            lambda picked: self._confirm_approve(e, picked) if isinstance(picked, Executive) else None,
        )

    def _confirm_approve(self, e: QueueEntry, ex: Executive) -> None:
        from stakeworks.screens.dialogs import Confirm

        body = Text(f"{ex.name} becomes our sponsor of {e.account} from today; the EBR and check-in duties start. ")
        body += Text("The three-account limit applies: the store refuses a fourth without an exception.")

        def answered(yes: bool | None) -> None:
            if yes:
                self.decide(e, ex, None)

        self.app.push_screen(Confirm(f"Approve {ex.name} for {e.account}?", body, yes="Approve"), answered)

    def action_decline(self) -> None:
        e = self._selected()
        if e is None:
            self.notify("Nothing waiting for a decision.", severity="warning")
            return
        from stakeworks.screens.dialogs import AskText

        self.app.push_screen(
            AskText(f"Decline {e.account}?", Text("Say why: the CSM who proposed it sees your reason."),
                    placeholder="e.g. multi-thread first; not in the program's top accounts", answer="Decline"),
            partial(self._decline_with, e),
        )  # fmt: skip

    def _decline_with(self, e: QueueEntry, reason: str | None) -> None:
        if reason:  # None: cancelled
            self.decide(e, None, reason)

    @work(thread=True, group="program-writes", exit_on_error=False, description="decide")
    def decide(self, e: QueueEntry, ex: Executive | None, reason: str | None) -> None:
        """Approve with `ex` (no reason), or decline with `reason`; who decided is the user's name."""
        store, today, user = self.session.store, self.session.today, self.session.prefs.user
        review_id = e.review.id
        assert review_id is not None  # read from the store
        try:
            done, undo = edits.decide_review(store, review_id, ex, reason, user, today)
        except StakeworksError as exc:
            self.app.call_from_thread(self._refused, str(exc))
            return
        what = done[0].lower() + done[1:].rstrip(".").replace("pproved: ", "pproved ")
        self.app.call_from_thread(self.session.remember_undo, what, undo, (e.review.account_id,))
        self.app.call_from_thread(self._decided, done, e.review.account_id)

    def _refused(self, reason: str) -> None:
        self.notify(reason, title="Refused", severity="error", timeout=10, markup=False)
        self.reload()

    def _decided(self, done: str, account_id: int) -> None:
        self.notify(done, markup=False)
        self.app.post_message(AccountChanged(account_id))
        self.reload()

    def action_export(self, kind: str) -> None:
        from stakeworks.interchange import sponsor_report

        if self.report is None:
            return
        render = sponsor_report.render_csv if kind == "csv" else sponsor_report.render_markdown
        self.workbench.share(
            render(self.report), f"sponsor-program-{self.session.today.isoformat()}.{kind}", "the program report"
        )
