"""Imports as the app runs them: plan a CSV file, apply the plan (or preview it, rolled back),
read a calendar or mailbox; the CLI's `import` does the same through `stakeworks.db` itself."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stakeworks.services.ports import ImportResult, StorePort
from stakeworks.services.quiet_gc import collector_paused

if TYPE_CHECKING:
    from stakeworks.services.living_map import ReadReport
    from stakeworks.services.session import StoreSource


def plan_file(
    store: StorePort, path: Path, kind: str, remap: dict[str, str] | None = None, currency: str | None = None
) -> Any:
    """Read and check a CSV file of `kind` into a plan (no write); `remap` reads a column as another
    field (as `--map`), `currency` is that of amounts that name none (accounts)."""
    from stakeworks.interchange import importer

    if kind == "accounts":
        return importer.plan_accounts(path, overrides=remap, currency=currency)
    if kind == "executives":
        return importer.plan_executives(path, overrides=remap)
    if kind == "roles":
        return importer.plan_roles(path, overrides=remap)
    # A contacts file is checked in full here but kept on disk: the write streams it again.
    return importer.open_contacts(path, store.account_directory(), overrides=remap)


@collector_paused()  # as the CLI's import: no cycles to look for among a million rows
def apply_plan(
    source: StoreSource,
    store: StorePort,
    plan: Any,
    kind: str,
    *,
    decisions: Mapping[int, str],
    today: date,
    full: bool = False,
    dry_run: bool = False,
    skip_invalid: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Apply a plan in one transaction (a dry run: the same, rolled back, without progress).
    Decisions on possible duplicates, the day (a contact that becomes departed gets its playbook
    dated today, DOMAIN section 6) and a full import are the contacts' (section 10)."""
    if kind != "contacts":
        return source.apply_import(store, kind, plan, dry_run=dry_run, skip_invalid=skip_invalid)
    return source.apply_import(
        store, kind, plan, progress=None if dry_run else progress, dry_run=dry_run, skip_invalid=skip_invalid,
        decisions=decisions, today=today, full=full,
    )  # fmt: skip


def write_rejected(store: StorePort, plan: Any, result: ImportResult) -> Path:
    """The rows left out, each with its reason, in FILE.rejected.csv beside the file (never over the store)."""
    from stakeworks.interchange.csvfiles import rejected_path
    from stakeworks.interchange.csvfiles import write_rejected as write

    target = rejected_path(Path(plan.source))
    write(plan.table, result.rejected_reasons, target, store.path)
    return target


def read_activity(
    store: StorePort,
    path: Path,
    kind: str,
    today: date,
    *,
    dry_run: bool,
    progress: Callable[[int], None] | None = None,
) -> tuple[ReadReport, dict[int, tuple[str, str]]]:
    """A calendar or mailbox import (rolled back for a preview), and the names of whom it touched."""
    from stakeworks.services import living_map

    report = living_map.import_activity(store, path, kind, today, dry_run=dry_run, progress=progress)
    invited = (c for _, _, contacts in report.upcoming for c in contacts)
    return report, living_map.contact_names(store, [*report.per_contact, *invited])
