"""Sharing from the app: the clipboard (OSC 52), and a file copy where the clipboard cannot reach."""

from __future__ import annotations

from textual import work
from textual.app import App

from stakeworks.domain.errors import StakeworksError
from stakeworks.interchange import files
from stakeworks.services.session import Session


class SharesText(App[None]):
    """Mixin for the App: ctrl+y copies the selected row; screens share what they made (`share`)."""

    session: Session

    def action_copy_row(self) -> None:
        """Copy the selected row (a table's row, a contact on the map) to the clipboard."""
        # With the focus in a filter box, "the selected row" is the highlighted row of the screen's list.
        text = (
            selected_text(self.focused)
            or selected_text(self.screen.focused)
            or next((t for w in self.screen.query("VirtualTable, DataTable, Tree") if (t := selected_text(w))), None)
        )
        if not text:
            self.notify("Select a row first.", severity="warning")
            return
        self.share(text, "copied-row.txt", "the selected row")

    def share(self, text: str, file_name: str, what: str) -> None:
        """Copy to the clipboard (OSC 52) and write a file copy, since not every terminal passes OSC 52 on."""
        self.copy_to_clipboard(text)
        self.write_copy(text, file_name, what)

    @work(thread=True, group="share", exit_on_error=False, description="write copy")
    def write_copy(self, text: str, file_name: str, what: str) -> None:
        target = self.session.export_folder() / file_name
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            files.write_text(
                files.check_output(target, self.session.source.path), text
            )  # owner-only, whole or not at all
        except (OSError, StakeworksError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else str(exc)
            message = f"Copied {what} to the clipboard; no file copy ({target}: {reason})."
            self.call_from_thread(self.notify, message, severity="warning", markup=False)
            return
        message = f"Copied {what} to the clipboard. If your terminal did not pass it on, it is also in {target}"
        self.call_from_thread(self.notify, message, title="Copied", markup=False, timeout=8)


def selected_text(widget: object) -> str | None:
    """What "the selected row" means for the widget that has focus."""
    from textual.widgets import DataTable, Tree

    from stakeworks.widgets.virtual_table import VirtualTable

    if isinstance(widget, VirtualTable):
        return widget.selected_text
    if isinstance(widget, Tree) and widget.cursor_node is not None:
        return str(widget.cursor_node.label).strip()  # a str or a Text, whose str is its plain text
    if isinstance(widget, DataTable) and widget.row_count:
        return "\t".join(str(c).strip() for c in widget.get_row_at(widget.cursor_row))
    return None
