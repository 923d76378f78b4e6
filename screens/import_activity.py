"""What a calendar or mailbox import finds, as the import screen shows it before and after
writing: touches per contact, addresses that match nobody (counted only), what was left out
and why, bounces and the signals they raise, and the meetings ahead."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from stakeworks.widgets import dates, palette

SHOWN_CONTACTS = 50  # rows of the per-contact table; the counts cover everyone


def activity_kind(path: Path) -> str | None:
    """`calendar` or `mail` when the path is one (by its name, or a folder: Maildir or .eml files)."""
    suffix = path.suffix.casefold()
    if suffix in (".ics", ".ical", ".ifb", ".icalendar"):
        return "calendar"
    if suffix in (".mbox", ".mbx", ".eml") or path.is_dir():
        return "mail"
    return None


def activity_preview(report: Any, names: Mapping[int, tuple[str, str]]) -> Group:
    """`report` is a services.living_map.ReadReport; `names` maps contact id -> (name, account)."""
    parts: list[Any] = [Text(line) for line in report.lines()]
    if report.signals_raised and not report.dry_run:
        parts.append(Text("Open the signals with ctrl+l.", style=palette.WARN))
    if report.per_contact:
        table = Table(title="Touches found per contact", title_justify="left", expand=True)
        for heading in ("Contact", "Account", "Touches"):
            table.add_column(heading)
        ranked = report.per_contact.most_common()
        for contact_id, count in ranked[:SHOWN_CONTACTS]:
            name, account = names.get(contact_id, ("?", ""))
            table.add_row(Text(name), Text(account), str(count))
        if len(ranked) > SHOWN_CONTACTS:
            table.add_row(Text(f"… {len(ranked) - SHOWN_CONTACTS:,} more contacts"), "", "")
        parts.append(table)
    for day, title, contacts in report.upcoming[:5]:
        who = ", ".join(names.get(c, ("?", ""))[0] for c in contacts)
        parts.append(
            Text("Next meeting: ", style="bold")
            + Text(f"{dates.show(day)} ")
            + Text(title)
            + Text(f" with {who}", style="dim")
        )
    if report.dry_run and (report.touches_added or report.signals_raised):
        parts.append(
            Text(
                "ctrl+s writes these touches in one transaction (a re-import adds nothing; ctrl+z cannot "
                "take it back).",
                style="bold",
            )
        )
    elif report.dry_run:
        parts.append(Text("Nothing new to write: no touch or signal this file would add.", style="bold"))
    return Group(*parts)
