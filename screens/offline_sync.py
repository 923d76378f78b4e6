"""The app on an offline copy of a team store (`stakeworks checkout`, issue 37): where the copy
stands in the title bar ("offline copy of team@server, last sync 2 h ago, 14 changes to
send") and F5 to sync, in thread workers, with a progress bar fed by the worker's progress
messages; conflicts and refusals are listed when it is done."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Label

from stakeworks.domain.errors import StakeworksError
from stakeworks.screens.session_workers import RunsSession

if TYPE_CHECKING:
    from stakeworks.domain.portfolio import AccountSummary


class SyncProgress(Message):
    """How far the sync got (db/sync.py's progress): posted by the worker from its thread."""

    def __init__(self, stage: str, done: int, total: int) -> None:
        super().__init__()
        self.stage, self.done, self.total = stage, done, total


class SyncBar(Horizontal):
    """The sync's progress at the foot of the screen: what it is doing, and how far."""

    def compose(self) -> ComposeResult:
        from textual.widgets import ProgressBar  # with the first sync, not with the app

        yield Label("Syncing with the team store…", id="sync-words", markup=False)
        yield ProgressBar(total=None, show_eta=False, id="sync-bar")

    def show(self, stage: str, done: int, total: int) -> None:
        words = {
            "reading": "Reading the copy and the team store…",
            "sending": f"Sending your changes: {done:,} of {total:,}" if total else "Nothing of yours to send",
            "receiving": f"Bringing the team's changes: {total:,}",
        }.get(stage, stage)
        self.query_one("#sync-words", Label).update(words)
        # Nothing to count yet (reading, or nothing to send): the bar says "busy", not 0%.
        from textual.widgets import ProgressBar

        self.query_one(ProgressBar).update(total=total or None, progress=done)


class SyncsOfflineCopy(RunsSession):
    """Mixin for the App: the offline copy's status line and its sync action (the portfolio
    is reloaded after a sync, by RunsSession)."""

    base_sub_title = ""

    def _portfolio_loaded(self, rows: list[AccountSummary], signals: int = 0) -> None:
        super()._portfolio_loaded(rows, signals)
        if not self.session.source.team_url:  # the store is open now: where does the copy stand?
            self.show_offline_status()

    @work(thread=True, group="offline-status", exit_on_error=False)
    def show_offline_status(self) -> None:
        status = self.session.offline_status()
        if status is not None:
            self.call_from_thread(self._show_status, status.words(datetime.now(UTC)))

    def _show_status(self, words: str) -> None:
        self.sub_title = f"{self.base_sub_title} · {words}"

    def _is_offline_copy(self) -> bool:
        if self.session.source.team_url or "offline copy" not in self.sub_title:
            self.notify("This store is not an offline copy of a team store (see `stakeworks checkout`).",
                        severity="warning", markup=False)  # fmt: skip
            return False
        return True

    def action_conflicts(self) -> None:
        from stakeworks.screens.conflicts import ConflictsScreen

        if self._is_offline_copy() and not isinstance(self.screen, ConflictsScreen):
            self.push_screen(ConflictsScreen())

    def action_sync(self) -> None:
        if not self._is_offline_copy():
            return
        if any(w.group == "offline-sync" and w.is_running for w in self.workers):
            self.notify("Already syncing; a moment.", markup=False)
            return
        self._drop_sync_bar()
        self.screen.mount(SyncBar(id="sync-progress"))
        self.sync_offline_copy()

    @work(thread=True, group="offline-sync", exit_on_error=False)
    def sync_offline_copy(self) -> None:
        try:
            report = self.session.sync_offline(self._tell_progress)
        except StakeworksError as exc:
            self.call_from_thread(self._sync_failed, str(exc))
            return
        self.call_from_thread(self._synced, report)

    def _tell_progress(self, stage: str, done: int, total: int) -> None:
        """From the worker's thread: a message, which the app handles on its own loop."""
        self.post_message(SyncProgress(stage, done, total))

    @on(SyncProgress)
    def _sync_progress(self, message: SyncProgress) -> None:
        for bar in self._sync_bars():
            bar.show(message.stage, message.done, message.total)

    def _sync_bars(self) -> list[SyncBar]:
        return [bar for screen in self.screen_stack for bar in screen.query(SyncBar)]

    def _drop_sync_bar(self) -> None:
        for bar in self._sync_bars():
            bar.remove()

    def _sync_failed(self, reason: str) -> None:
        self._drop_sync_bar()
        self.notify(f"Sync failed: {reason}", severity="error", markup=False)

    def _synced(self, report: dict[str, Any]) -> None:
        self._drop_sync_bar()
        lines = [f"Sent {report['sent']} changes, brought {report['received']} from the server."]
        lines += [f"Refused: {r['record']}: {r['reason']}" for r in report["refused"][:5]]
        lines += [
            f"Conflict {c['id']}: {c['record']} {c['field']}: yours {c['mine']!r}, theirs {c['theirs']!r} ({c['theirs_by']})"
            for c in report["conflicts"][:5]
        ]
        if needs_you := bool(report["refused"] or report["conflicts"]):
            lines.append("F6 shows them side by side to resolve.")
        self.notify("\n".join(lines), title="Synced", severity="warning" if needs_you else "information",
                    timeout=12 if needs_you else 5, markup=False)  # fmt: skip
        self.load_portfolio()  # then the status line is read again
