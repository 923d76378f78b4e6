"""What the person at the keyboard may change on a team store (CLI.md "Team store: who may do
what"), for the app to show read-only with the reason rather than let a save fail. The server
decides (db/team.py); this says the same in advance, in the same words."""

from __future__ import annotations

from stakeworks.domain.models import Account
from stakeworks.services.ports import StorePort


def read_only_reason(store: StorePort, account: Account) -> str | None:
    """Why this person may not change the account's map; None when they may (always on a file)."""
    person = store.acting_person()
    if person is None:
        return None
    name, role = person
    if role in ("admin", "manager") or (role == "csm" and account.csm == name):
        return None
    if role == "csm":
        why = f"its CSM is {account.csm}" if account.csm.strip() else "it has no CSM (a manager assigns one)"
        return f"{name} (csm) may not change {account.name}: {why}"
    return f"{name} ({role}) may not change {account.name}: its CSM, a manager or an admin does"


def settings_read_only_reason(store: StorePort) -> str | None:
    """Why this person may not change the team's settings; None when they may (always on a file)."""
    person = store.acting_person()
    if person is None or person[1] == "admin":
        return None
    name, role = person
    return f"{name} ({role}) may not change the team's settings: an admin does"
