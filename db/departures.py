"""Departure and its undo through any path (DOMAIN section 6).

The `depart` command, the contact editor's status field and an import that
says `departed` all end in the store's one write of a contact; that write
calls `after_status_write` inside its transaction, so every path has the same
effects: a champion or executive sponsor who leaves gets the playbook (once per
departure), and one who comes back has the open tasks of that departure
cancelled (kept in history, never counted as open).
"""

from __future__ import annotations

from datetime import date

from stakeworks.db.connection import Connection
from stakeworks.db.people import warm_path
from stakeworks.domain.playbook import KNOWLEDGE_TASK, gets_playbook, playbook_tasks, status_change

# A departure marked again (the same contact and date) revives what an undo cancelled.
_INSERT = (
    "INSERT INTO playbook_tasks (account_id, contact_id, departed_on, kind, action, owner, due_date, done, position) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (contact_id, departed_on, kind, action) DO UPDATE SET cancelled_on = NULL "
    "WHERE playbook_tasks.cancelled_on IS NOT NULL"
)


def status_before(c: Connection, contact_id: int) -> tuple[str, date | None] | None:
    row = c.execute("SELECT status, departed_on FROM contacts WHERE id = ?", (contact_id,)).fetchone()
    if row is None:
        return None
    return row[0], date.fromisoformat(row[1]) if row[1] else None


def ensure_playbook(c: Connection, account_id: int, contact_id: int, departed_on: date) -> int:
    """The playbook of one departure: created, or revived if an undo cancelled it. Returns rows changed."""
    sponsor = c.execute(
        "SELECT e.name FROM sponsor_assignments s JOIN executives e ON e.id = s.executive_id "
        "WHERE s.account_id = ? AND s.active = 1 ORDER BY e.name LIMIT 1",
        (account_id,),
    ).fetchone()
    tasks = playbook_tasks(
        account_id, contact_id, departed_on, sponsor[0] if sponsor else None, warm_path(c, contact_id)
    )
    before = c.total_changes
    c.executemany(
        _INSERT,
        [
            (
                t.account_id,
                t.contact_id,
                departed_on.isoformat(),
                t.kind,
                t.action,
                t.owner,
                t.due_date.isoformat() if t.due_date else None,
                int(t.done),
                t.position,
            )
            for t in tasks
        ],  # fmt: skip
    )
    return c.total_changes - before


def cancel_departure(c: Connection, contact_id: int, departed_on: date | None, today: date) -> int:
    """Cancel the open tasks of a departure (of every departure when its date is unknown)."""
    cur = c.execute(
        "UPDATE playbook_tasks SET cancelled_on = ? WHERE contact_id = ? AND (CAST(? AS TEXT) IS NULL OR departed_on = ?) "
        "AND done = 0 AND cancelled_on IS NULL",
        (today.isoformat(), contact_id, *([departed_on.isoformat()] * 2 if departed_on else [None, None])),
    )
    return cur.rowcount


def _move(c: Connection, account_id: int, contact_id: int, old: date, new: date, today: date) -> None:
    """A corrected departure date moves that departure's playbook, ticks and all."""
    clash = c.execute(
        "SELECT 1 FROM playbook_tasks WHERE contact_id = ? AND departed_on = ?", (contact_id, new.isoformat())
    ).fetchone()
    if clash is None:
        c.execute(
            "UPDATE playbook_tasks SET departed_on = ?, due_date = date(due_date, ?) "
            "WHERE contact_id = ? AND departed_on = ?",
            (new.isoformat(), f"{(new - old).days:+d} days", contact_id, old.isoformat()),
        )
        return
    cancel_departure(c, contact_id, old, today)
    ensure_playbook(c, account_id, contact_id, new)


def after_status_write(
    c: Connection,
    account_id: int,
    contact_id: int,
    before: tuple[str, date | None] | None,
    status: str,
    departed_on: date | None,
    roles: frozenset[str],
    today: date,
) -> None:
    """The effects of a contact's status write on the playbook; `before` is the stored
    (status, departure date), None for a new contact (who arrives as they are: no playbook)."""
    if before is None:
        return
    old_status, old_day = before
    change = status_change(old_status, status)
    if change == "departed" and departed_on is not None and gets_playbook(roles):
        ensure_playbook(c, account_id, contact_id, departed_on)
    elif change == "returned":
        cancel_departure(c, contact_id, old_day, today)
    elif status == "departed" and departed_on is not None and old_day != departed_on:
        if (
            old_day is not None
            and c.execute(
                "SELECT 1 FROM playbook_tasks WHERE contact_id = ? AND departed_on = ?",
                (contact_id, old_day.isoformat()),
            ).fetchone()
        ):
            _move(c, account_id, contact_id, old_day, departed_on, today)
        elif gets_playbook(roles):
            ensure_playbook(c, account_id, contact_id, departed_on)


def sync_knowledge_task(c: Connection, contact_id: int, departed_on: date) -> None:
    """ "Document all knowledge" is done exactly when its checklist is."""
    c.execute(
        "UPDATE playbook_tasks SET done = CASE WHEN EXISTS (SELECT 1 FROM playbook_tasks WHERE contact_id = :c "
        "AND departed_on = :d AND kind = 'checklist' AND done = 0) THEN 0 ELSE 1 END "
        "WHERE contact_id = :c AND departed_on = :d AND kind = 'task' AND action = :a",
        {"c": contact_id, "d": departed_on.isoformat(), "a": KNOWLEDGE_TASK},
    )
