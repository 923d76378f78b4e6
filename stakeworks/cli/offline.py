"""`checkout SERVER_URL FILE` and `sync [FILE]`: offline work against a team store (CLI.md
"Offline work against a team store"; db/offline.py, db/sync.py)."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from stakeworks.cli.args import is_server
from stakeworks.cli.output import Output, say, text_table
from stakeworks.cli.stores import act_as_login
from stakeworks.domain.errors import InputError, StoreError
from stakeworks.domain.sync import WHOLE


def _without_password(url: str) -> str:
    """What the copy keeps of the server's address: never a password (~/.pgpass has it)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", "@")))


def run_checkout(args: argparse.Namespace, out: Output, today: date | None) -> int:
    """`checkout SERVER_URL FILE [--mine | --account A ...]`: a new file, whole or not at all."""
    from stakeworks.db.offline import account_ids, checkout
    from stakeworks.db.postgres import shown
    from stakeworks.db.store import Store

    url, target = str(args.server), Path(args.file).expanduser()
    if not is_server(url):
        raise InputError(f"checkout needs a team store's URL (postgresql://USER@HOST:PORT/DBNAME), not {url!r}")
    if args.mine and args.account:
        raise InputError("say --mine or --account, not both")
    if target.exists() or target.is_symlink():
        raise InputError(f"{target} exists; checkout makes a new file: choose a new file name")
    if not target.parent.is_dir():
        raise StoreError(f"cannot create {target}: the folder {target.parent} does not exist")
    act_as_login("checkout", url, args, today)  # --mine is the login's accounts
    with Store(url, create=False) as server:
        accounts = account_ids(server, mine=bool(args.mine), names=list(args.account or []))
        server.url = _without_password(url)
        counts = checkout(server, target, accounts)
    data = {"file": str(target), "server": shown(url), "accounts": counts.get("accounts", 0),
            "contacts": counts.get("contacts", 0)}  # fmt: skip
    out.emit(
        data,
        lambda: say(f"Checked out {data['accounts']} accounts and {data['contacts']} contacts from {shown(url)} "
                    f"into {target}; work offline with --db {target}, then `stakeworks sync {target}`."),
    )  # fmt: skip
    return 0


def run_sync(args: argparse.Namespace, path: Path, out: Output, today: date | None) -> int:
    """`sync [FILE]`, or `sync --take mine|theirs ID [FILE]` to resolve a conflict (offline)."""
    from stakeworks.db.offline import read_checkout
    from stakeworks.db.store import Store
    from stakeworks.db.sync import sync, take

    target = Path(args.file).expanduser() if args.file else path
    if is_server(target):
        raise InputError("sync works on an offline copy (a file made by `stakeworks checkout`), not on the server")
    with Store(target, create=False) as copy:
        state = read_checkout(copy)
        if args.take:
            side, conflict_id = args.take
            done = take(copy, conflict_id, side)
            then = "it is sent at the next sync" if side == "mine" else "the server's value is in the copy"
            out.emit({"resolved": done["id"], "take": side},
                     lambda: say(f"Conflict {done['id']} ({done['record']}, {done['field']}): took {side}; {then}."))  # fmt: skip
            return 0
        act_as_login("sync", state.server, args, today)  # the server's history names the login
        with Store(state.server, create=False) as server:
            report = sync(copy, server)
    out.emit(report.as_json(), lambda: _report_text(report.as_json()))
    return 1 if report.refused or report.conflicts else 0


def _report_text(data: dict[str, Any]) -> str:
    lines = [
        ("Finished a sync that was cut short. " if data["resumed"] else "")
        + f"Sent {data['sent']} changes, brought {data['received']} from the server."
    ]
    if data["refused"]:
        lines.append("Refused by the server (kept in your copy until you change them):")
        lines += [f"  {r['record']} ({r['change']}): {r['reason']}" for r in data["refused"]]
    if data["conflicts"]:
        lines.append("Conflicts (resolve with `stakeworks sync --take mine|theirs ID`):")
        rows = [
            [str(x["id"]), x["record"], x["field"], f"{x['mine']} ({x['mine_by'] or '?'})",
             f"{x['theirs']} ({x['theirs_by'] or '?'})"]
            for x in data["conflicts"]
        ]  # fmt: skip
        lines.append(text_table(["id", "record", "field", "mine", "theirs"], rows))
        lines += [_whole(x) for x in data["conflicts"] if x["field"] == WHOLE]
    return "\n".join(lines)


def _whole(x: dict[str, Any]) -> str:
    """A record deleted on one side and changed on the other, in a sentence."""
    by = " ".join(filter(None, [f"by {x['theirs_by']}" if x["theirs_by"] else "", _when(x["theirs_at"])]))
    if x["theirs"] == "deleted":
        server = " ".join(filter(None, ["was deleted on the server", by]))
        return f"  {x['id']}: {x['record']} {server}; you {x['mine']}"
    return " ".join(filter(None, [f"  {x['id']}: you deleted {x['record']}; on the server it was {x['theirs']}", by]))


def _when(at: str) -> str:
    return f"at {at.replace('T', ' ')[:16]}" if at else ""
