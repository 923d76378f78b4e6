"""Commands that read or write files: import, export, backup, map."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from stakeworks.cli.output import say
from stakeworks.cli.registry import command
from stakeworks.db.store import Store
from stakeworks.domain.errors import InputError
from stakeworks.interchange import files
from stakeworks.interchange.files import check_output
from stakeworks.services import accounts as services


@command("backup")
def _backup(args: argparse.Namespace, path: Path, today: date, out: Any) -> int:
    target = Path(args.file)
    if target.exists() and not files.is_stream(target):  # a device or pipe is written through
        raise InputError(f"{target} exists; choose a new file name")
    with Store(path, create=False) as store:
        if store.url is not None:  # a team store's backup is a file store holding the same
            from stakeworks.db.copying import backup_server

            backup_server(store, check_output(target, store.path))
        else:
            store.backup(target)
        where = store.location
    if not files.goes_to_stdout(target):  # else stdout holds the backup alone
        out.emit({"backup": str(target)}, lambda: f"Backed up {where} to {target}.")
    return 0


@command("import")
def _import(args: argparse.Namespace, path: Path, today: date, out: Any) -> int:
    if args.kind in ("calendar", "mail"):
        from stakeworks.cli.signals import run_living_import

        return run_living_import(args, path, today, out)
    if args.kind in ("calendar", "mail"):
        from stakeworks.cli.signals import run_living_import

        return run_living_import(args, path, today, out)
    if args.kind == "json":
        from stakeworks.db.interchange import import_json

        with Store(path) as store:
            counts = import_json(store, Path(args.file))
        out.emit(counts, lambda: "Imported " + ", ".join(f"{v} {k}" for k, v in counts.items()) + ".")
        return 0
    from stakeworks.cli.imports import run_import

    return run_import(args, path, out, _progress_bar(), today)


def _progress_bar() -> Callable[[int, int], None] | None:
    """A bar on the terminal for big files; nothing when stderr is not a terminal."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        if total < 2000:
            return
        width = 30
        filled = width * done // max(total, 1)
        sys.stderr.write(f"\r  writing [{'█' * filled}{'░' * (width - filled)}] {done:,}/{total:,}")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return show


@command("export")
def _export(args: argparse.Namespace, path: Path, today: date, out: Any) -> int:
    from stakeworks.db.interchange import export_csv, export_json

    target = Path(args.file)
    with Store(path, create=False) as store:
        if args.kind == "json":
            export_json(store, target)
        else:
            export_csv(store, args.kind, target)
    if not files.goes_to_stdout(target):  # else stdout holds the export alone
        out.emit({"exported": str(target)}, lambda: f"Wrote {target}.")
    return 0


@command("map")
def _map(args: argparse.Namespace, path: Path, today: date, out: Any) -> int:
    from stakeworks.interchange.orgchart import render_html, render_svg
    from stakeworks.interchange.report import MapReport, render_json, render_markdown

    fmt = _map_format(args)
    with Store(path) as store:
        account_id = services.find_account(store, args.account)
        report = services.map_report(store, account_id, today)
    renderers: dict[str, Callable[[MapReport], str]] = {
        "md": render_markdown, "json": render_json, "svg": render_svg, "html": render_html,
    }  # fmt: skip
    text = renderers[fmt](report)
    if args.output:
        target = files.check_output(args.output, path)  # never the store itself
        files.write_text(target, text)  # owner-only, whole or not at all (a device or pipe: straight in)
        if not files.goes_to_stdout(target):
            sys.stdout.write(say(f"Wrote {target}.") + "\n")
    else:
        sys.stdout.write(say(text if text.endswith("\n") else text + "\n"))
    return 0


def _map_format(args: argparse.Namespace) -> str:
    """`map --json` is `map --format json` (CLI.md revision 3); with another --format it is a contradiction."""
    if not args.json:
        return str(args.format or "md")
    if args.format not in (None, "json"):
        raise InputError(f"--json and --format {args.format}: choose one (--json is --format json)")
    return "json"
