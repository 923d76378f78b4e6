"""The touch log. Triggers keep each contact's last touch in step with it (schema.py)."""

from __future__ import annotations

from stakeworks.db.repository import Repository, new_id
from stakeworks.domain.errors import InputError
from stakeworks.domain.models import STORED, Touch


class TouchRepository(Repository):
    def add(self, touch: Touch) -> int:
        with self._transaction() as c:
            cur = c.execute(
                "INSERT INTO touches (contact_id, date, kind, note) VALUES (?, ?, ?, ?)",
                (touch.contact_id, touch.date.isoformat(), str(touch.kind), touch.note),
            )
            return new_id(cur)

    def delete(self, touch_id: int) -> None:
        """One touch; the contact's last touch falls back to the one before (a trigger)."""
        with self._transaction() as c:
            if c.execute("DELETE FROM touches WHERE id = ?", (touch_id,)).rowcount == 0:
                raise InputError(f"no touch with id {touch_id}")

    def of_contact(self, contact_id: int, limit: int = 50) -> list[Touch]:
        """The newest first."""
        rows = self._query(
            "SELECT id, contact_id, date, kind, note FROM touches WHERE contact_id = ? "
            "ORDER BY date DESC, id DESC LIMIT ?",
            (contact_id, limit),
        )
        return [
            Touch.model_validate(
                {"id": r[0], "contact_id": r[1], "date": r[2], "kind": r[3], "note": r[4]}, context=STORED
            )
            for r in rows
        ]
