"""Reading the history the engine writes (db/history.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from stakeworks.db.connection import Connection
from stakeworks.db.repository import Repository
from stakeworks.domain.history import HistoryLine


def changed_by(c: Connection, record: str, record_id: int | None) -> str:
    """ " elsewhere (by Ana at 2026-11-01 09:12: strength, title)": who made the change a stale
    save missed, from the history; just " elsewhere" when it has none (written before history)."""
    last = _last_change(c.execute, record, record_id)
    if last is None:
        return " elsewhere"
    at, who, fields = last
    return f" elsewhere (by {who or 'someone'} at {at.replace('T', ' ')[:16]}: {', '.join(fields)})"


def _last_change(run: Any, record: str, record_id: int | None) -> tuple[str, str, list[str]] | None:
    rows = list(
        run(
            "SELECT at, by_user, field FROM history WHERE record = ? AND record_id = ? "
            "AND at = (SELECT max(at) FROM history WHERE record = ? AND record_id = ?) ORDER BY id",
            (record, record_id, record, record_id),
        )
    )
    if not rows:
        return None
    return rows[-1][0], rows[-1][1], sorted({r[2] for r in rows})


class HistoryRepository(Repository):
    def lines(self, account_id: int, since: date | None = None) -> list[HistoryLine]:
        """The account's lines, oldest first (on or after `since`)."""
        where, params = ("AND at >= ?", (account_id, since.isoformat())) if since else ("", (account_id,))
        return [
            HistoryLine(*r)
            for r in self._query(
                "SELECT at, by_user, record, record_id, name, field, old, new FROM history "
                f"WHERE account_id = ? {where} ORDER BY at, id",
                params,
            )
        ]

    def last_change(self, record: str, record_id: int) -> tuple[str, str, list[str]] | None:
        """Who last changed a record, when, and which fields (that same second)."""
        return _last_change(self._query, record, record_id)
