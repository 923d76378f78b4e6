"""The touch log. Triggers keep each contact's last touch in step with it (schema.py)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from stakeworks.db.repository import Repository, new_id
from stakeworks.domain.errors import InputError
from stakeworks.domain.program_report import ExecutiveTouch

if TYPE_CHECKING:  # pydantic's models load when a record is read, not with the store (issue 20)
    from stakeworks.domain.models import Touch


class TouchRepository(Repository):
    def add(self, touch: Touch) -> int:
        with self._transaction() as c:
            cur = c.execute(
                "INSERT INTO touches (contact_id, date, kind, note, by_name, by_executive_id, source) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (touch.contact_id, touch.date.isoformat(), str(touch.kind), touch.note, touch.by_name,
                 touch.by_executive_id, touch.source),
            )  # fmt: skip
            return new_id(cur)

    def delete(self, touch_id: int) -> None:
        """One touch; the contact's last touch falls back to the one before (a trigger)."""
        with self._transaction() as c:
            if c.execute("DELETE FROM touches WHERE id = ?", (touch_id,)).rowcount == 0:
                raise InputError(f"no touch with id {touch_id}")

    def of_contact(self, contact_id: int, limit: int = 50) -> list[Touch]:
        """The newest first."""
        from stakeworks.domain.models import STORED, Touch

        rows = self._query(
            "SELECT id, contact_id, date, kind, note, by_name, by_executive_id, source FROM touches WHERE contact_id = ? "
            "ORDER BY date DESC, id DESC LIMIT ?",
            (contact_id, limit),
        )
        return [
            Touch.model_validate(
                {
                    "id": r[0],
                    "contact_id": r[1],
                    "date": r[2],
                    "kind": r[3],
                    "note": r[4],
                    "by_name": r[5],
                    "by_executive_id": r[6],
                    "source": r[7],
                },
                context=STORED,  # fmt: skip
            )
            for r in rows
        ]

    def by_executives(self, since: date | None = None) -> list[ExecutiveTouch]:
        """Touches our executives took part in (the sponsor duties), oldest first."""
        where, params = ("AND t.date >= ?", (since.isoformat(),)) if since else ("", ())
        return [
            ExecutiveTouch(ex, account, date.fromisoformat(day), kind, name)
            for ex, account, day, kind, name in self._query(
                "SELECT t.by_executive_id, c.account_id, t.date, t.kind, c.name FROM touches t "
                f"JOIN contacts c ON c.id = t.contact_id WHERE t.by_executive_id IS NOT NULL {where} "
                "ORDER BY t.date, t.id",
                params,
            )
        ]
