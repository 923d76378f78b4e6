"""Shared screen behaviour: worker failures become a message, never silence."""

from __future__ import annotations

from textual.worker import Worker, WorkerState

from screens.messages import OpenAccount
from stakeworks.errors import StakeworksError
from widgets.portfolio_table import PortfolioTable
from widgets.virtual_table import VirtualTable


class ShowsWorkerErrors:
    """Mixin for screens: Worker.StateChanged does not bubble, so each screen
    that runs workers reports their errors itself."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state != WorkerState.ERROR or event.worker.error is None:
            return
        err = event.worker.error
        text = str(err) if isinstance(err, StakeworksError) else f"{type(err).__name__}: {err}"
        self.app.notify(text, title="Something went wrong", severity="error", markup=False, timeout=10)  # type: ignore[attr-defined]


class OpensSelectedAccount:
    """Mixin for screens built around a PortfolioTable: enter or a double
    click on a row, or the screen's own `open` binding, opens that account."""

    # A named handler, not @on: decorated handlers are only collected from
    # Textual classes, while names are looked up along the whole MRO.
    def on_virtual_table_row_selected(self, event: VirtualTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        account_id = self.query_one(PortfolioTable).selected_account_id  # type: ignore[attr-defined]
        if account_id is not None:
            self.post_message(OpenAccount(account_id))  # type: ignore[attr-defined]
