"""The demo portfolio: a temporary copy of sample.db, its dates moved to today."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date
from pathlib import Path

from stakeworks.db.connection import connect

# Every date column in the store, so the demo never goes stale.
DATE_COLUMNS: dict[str, tuple[str, ...]] = {
    "accounts": ("renewal_date", "last_ebr", "next_ebr"),
    "contacts": ("departed_on", "last_touch"),
    "touches": ("date",),
    "sponsor_assignments": ("start_date", "ended_on"),
    "plan_items": ("due_date",),
    "playbook_tasks": ("due_date", "departed_on", "cancelled_on"),
    "sponsor_reviews": ("proposed_on", "decided_on"),
    "signals": ("raised_on", "decided_on"),
    "score_history": ("day",),
    "upcoming_meetings": ("day",),
    "interactions": ("day",),
    "seen_dismissed": ("dismissed_on",),
    "suggestion_rejections": ("rejected_on",),
}


def shift_dates(conn: sqlite3.Connection, days: int) -> None:
    if days == 0:
        return
    conn.execute("BEGIN IMMEDIATE")
    # SQLite checks a unique key row by row, so moving score_history's days one
    # forward in place collides with tomorrow's row not yet moved. Every date
    # first goes 2000 years back, below any real date, then to its place;
    # 2000 years is a multiple of 400, so 29 February stays a real day.
    # Triggers recompute last_touch on the way; the shift is uniform anyway.
    for modifiers in (("-2000 years",), ("+2000 years", f"{days:+d} days")):
        for table, cols in DATE_COLUMNS.items():
            holes = ", ".join("?" * len(modifiers))
            sets = ", ".join(f"{c} = date({c}, {holes})" for c in cols)
            conn.execute(f"UPDATE {table} SET {sets}", modifiers * len(cols))
    conn.execute("UPDATE meta SET value = date(value, ?) WHERE key = 'generated_on'", (f"{days:+d} days",))
    conn.execute("COMMIT")


def prepare_demo_copy(sample: Path, target: Path, today: date) -> Path:
    """Copy sample.db (never written) and shift every date by the days since it was made."""
    shutil.copyfile(sample, target)
    target.chmod(0o600)
    conn = connect(target)
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = 'generated_on'").fetchone()
        generated = date.fromisoformat(row[0]) if row else today
        shift_dates(conn, (today - generated).days)
    finally:
        conn.close()
    return target
