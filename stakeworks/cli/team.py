"""`team list|add|role|remove` (CLI.md "Team store: who may do what"): a team store's people.

The server keeps them (db/team.py): a login, the person's name (what an account's CSM field
holds) and one role. Passwords are the server's business and never pass through here.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from stakeworks.cli.args import is_server
from stakeworks.cli.output import text_table
from stakeworks.cli.registry import command
from stakeworks.db import team
from stakeworks.db.postgres import connect_server
from stakeworks.domain.errors import InputError

PASSWORD_HINT = (
    "set their password with PostgreSQL's own tools, e.g. psql's \\password {login} "
    "(or use certificates or peer authentication); stakeworks never sees it"
)


@command("team")
def _team(args: argparse.Namespace, path: Path, today: date, out: Any) -> int:
    if not is_server(path):
        raise InputError("team is for a team store (--db postgresql://...): a file store is one person's")
    action = args.action or "list"
    conn = connect_server(str(path), create=False)
    try:
        if action == "list":
            people = team.members(conn.raw)
            out.emit(
                [m.as_json() for m in people],
                lambda: text_table(["login", "name", "role"], [[m.login, m.name, m.role] for m in people]),
            )
            return 0
        if action == "add":
            member = team.add(conn.raw, args.login, args.role, args.name)
            said = f"{member.login} ({member.name}) has the role {member.role} on this store; " + PASSWORD_HINT.format(
                login=member.login
            )
        elif action == "role":
            member = team.change_role(conn.raw, args.login, args.role)
            said = f"{member.login} ({member.name}) now has the role {member.role}."
        else:
            member = team.remove(conn.raw, args.login)
            said = f"{member.login} ({member.name}) is off the team; the login itself is the server's to drop."
    finally:
        conn.close()
    out.emit({"action": action, **member.as_json()}, lambda: said)
    return 0
