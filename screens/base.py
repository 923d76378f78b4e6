"""Shared screen behaviour: worker failures become a message, never silence."""

from __future__ import annotations

from textual.worker import Worker, WorkerState

from stakeworks.errors import StakeworksError


class ShowsWorkerErrors:
    """Mixin for screens: Worker.StateChanged does not bubble, so each screen
    that runs workers reports their errors itself."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state != WorkerState.ERROR or event.worker.error is None:
            return
        err = event.worker.error
        text = str(err) if isinstance(err, StakeworksError) else f"{type(err).__name__}: {err}"
        self.app.notify(text, title="Something went wrong", severity="error", markup=False, timeout=10)  # type: ignore[attr-defined]
