"""`history ACCOUNT [--since D]` and `diff ACCOUNT --since D` (CLI.md "Team store")."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from stakeworks.cli.args import parse_day
from stakeworks.cli.output import text_table
from stakeworks.cli.registry import command
from stakeworks.db.store import Store
from stakeworks.domain.history import diff_json, diff_lines
from stakeworks.services import history as services
from stakeworks.services.accounts import find_account


@command("history")
def _history(args: argparse.Namespace, path: Path, today: date, out: Any) -> int:
    since = parse_day(args.since, "--since", today) if args.since else None
    with Store(path) as store:
        account_id = find_account(store, args.account)
        name = store.account(account_id).name
        lines = services.account_history(store, account_id, since)

    def text() -> str:
        if not lines:
            return f"{name}: no changes recorded" + (f" since {since.isoformat()}" if since else "") + "."
        return text_table(
            ["at", "user", "change"],
            [[line.at.replace("T", " ").rstrip("Z"), line.user, line.in_words()] for line in lines],
        )

    out.emit([line.as_json() for line in lines], text)
    return 0


@command("diff")
def _diff(args: argparse.Namespace, path: Path, today: date, out: Any) -> int:
    since = parse_day(args.since, "--since", today)
    with Store(path) as store:
        account_id = find_account(store, args.account)
        name = store.account(account_id).name
        diff = services.map_diff(store, account_id, since, today)
    out.emit(
        {"account": name, **diff_json(diff)},
        lambda: "\n".join([f"{name} since {since.isoformat()}", *diff_lines(diff)]),
    )
    return 0
