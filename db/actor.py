"""Who is writing, and on which day, for the history every write leaves (db/history.py).

One process speaks for one person: the command line sets it from --user/$STAKEWORKS_USER (else
the login name) and --today once, before any store opens; a store may also be given its own.
On a team store the person is the one the server names for the login, whatever was claimed.
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass
from datetime import UTC, date, datetime


@dataclass(frozen=True, slots=True)
class Actor:
    user: str
    today: date | None = None  # the day the app runs as (--today); None: the real date

    def stamp(self) -> str:
        """When, to the second, in UTC: the day is the app's day, so --today dates history too."""
        now = datetime.now(UTC)
        day = self.today or now.date()
        return f"{day.isoformat()}T{now.strftime('%H:%M:%S')}Z"


def login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (a container's anonymous uid)
        return "unknown"


_default: Actor | None = None
_from_server = False


def set_default(user: str | None, today: date | None = None, *, from_server: bool = False) -> None:
    """`from_server`: the name is the team's for the login (db/team.py), not one a user claimed."""
    global _default, _from_server
    _default = Actor(user or os.environ.get("STAKEWORKS_USER") or login_name(), today)
    _from_server = from_server


def named_by_server() -> bool:
    return _from_server


def default() -> Actor:
    return _default or Actor(os.environ.get("STAKEWORKS_USER") or login_name())
