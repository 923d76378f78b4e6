"""The app on an offline copy of a team store (`stakeworks checkout`, issue 37): where the copy
stands in the title bar ("offline copy of team@server, last sync 2 h ago, 14 changes to
send") and F5 to sync, in thread workers; conflicts and refusals are listed when it is done."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from textual import work

from stakeworks.domain.errors import StakeworksError
from stakeworks.screens.session_workers import RunsSession

if TYPE_CHECKING:
    from stakeworks.domain.portfolio import AccountSummary


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
        self.notify("Syncing with the team store…", markup=False)
        self.sync_offline_copy()

    @work(thread=True, group="offline-sync", exit_on_error=False)
    def sync_offline_copy(self) -> None:
        try:
            report = self.session.sync_offline()
        except StakeworksError as exc:
            self.call_from_thread(self.notify, f"Sync failed: {exc}", severity="error", markup=False)
            return
        self.call_from_thread(self._synced, report)

    def _synced(self, report: dict[str, Any]) -> None:
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
