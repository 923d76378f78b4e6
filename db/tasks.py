"""Work to do on an account: the departure playbook's tasks and the relationship plan's items.

What a departure or a return does to the playbook lives in `departures.py`,
called from the store's one contact write as well as from here.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from stakeworks.db import departures
from stakeworks.db.repository import Repository, upsert
from stakeworks.domain.changes import changed, describe
from stakeworks.domain.errors import InputError, StaleEdit
from stakeworks.domain.playbook import KNOWLEDGE_TASK
from stakeworks.domain.words import plural

if TYPE_CHECKING:  # pydantic's models load when a record is read, not with the store (issue 20)
    from stakeworks.domain.models import PlanItem, PlaybookTask


class TaskRepository(Repository):
    def ensure_playbook(self, account_id: int, contact_id: int, departed_on: date) -> int:
        """The playbook of one departure, created once (or revived after an undo); rows changed."""
        with self._transaction() as c:
            return departures.ensure_playbook(c, account_id, contact_id, departed_on)

    def open_task_count(self, contact_id: int) -> int:
        return int(
            self._query(
                "SELECT count(*) FROM playbook_tasks WHERE contact_id = ? AND done = 0 AND cancelled_on IS NULL",
                (contact_id,),
            )[0][0]
        )

    def playbook_tasks(self, account_id: int | None = None) -> list[PlaybookTask]:
        """Open first (by due date), then done, then cancelled."""
        from stakeworks.domain.models import PlaybookTask

        where, params = ("WHERE account_id = ?", (account_id,)) if account_id else ("", ())
        return [
            PlaybookTask(
                id=r[0], account_id=r[1], contact_id=r[2], departed_on=r[3], kind=r[4], action=r[5], owner=r[6],
                due_date=r[7], done=bool(r[8]), position=r[9], cancelled_on=r[10],
            )
            for r in self._query(
                "SELECT id, account_id, contact_id, departed_on, kind, action, owner, due_date, done, position, "
                f"cancelled_on FROM playbook_tasks {where} ORDER BY cancelled_on IS NOT NULL, done, "
                "due_date IS NULL, due_date, account_id, contact_id, departed_on, kind DESC, position",
                params,
            )
        ]  # fmt: skip

    def set_task_done(self, task_id: int, done: bool) -> None:
        """Tick or untick one task. A cancelled task stays as it was; "Document all
        knowledge" follows its checklist and is not ticked by hand."""
        with self._transaction() as c:
            row = c.execute(
                "SELECT contact_id, departed_on, kind, action, cancelled_on FROM playbook_tasks WHERE id = ?",
                (task_id,),
            ).fetchone()
            if row is None:
                raise InputError(f"no playbook task with id {task_id}")
            contact_id, departed_on, kind, action, cancelled_on = row
            if cancelled_on:
                raise InputError(f"{action!r} was cancelled on {cancelled_on}: that departure was undone")
            if kind == "task" and action == KNOWLEDGE_TASK:
                left = c.execute(
                    "SELECT count(*) FROM playbook_tasks WHERE contact_id = ? AND departed_on = ? "
                    "AND kind = 'checklist' AND done = 0",
                    (contact_id, departed_on),
                ).fetchone()[0]
                raise InputError(
                    f"{action!r} is done when its knowledge checklist is ({plural(left, 'item')} left to tick)"
                )
            c.execute("UPDATE playbook_tasks SET done = ? WHERE id = ?", (int(done), task_id))
            if kind == "checklist":
                departures.sync_knowledge_task(c, contact_id, date.fromisoformat(departed_on))

    def plan_items(self, account_id: int) -> list[PlanItem]:
        from stakeworks.domain.models import PlanItem

        return [
            PlanItem(
                id=r[0], account_id=r[1], target_contact_id=r[2], target_label=r[3], path_contact_id=r[4],
                path_label=r[5], first_action=r[6], due_date=r[7], status=r[8], source=r[9],
            )
            for r in self._query(
                "SELECT id, account_id, target_contact_id, target_label, path_contact_id, path_label, "
                "first_action, due_date, status, source FROM plan_items WHERE account_id = ? ORDER BY id",
                (account_id,),
            )
        ]  # fmt: skip

    def save_plan_item(self, item: PlanItem, expected: PlanItem | None = None) -> int:
        """Insert or update one plan item; `expected` (the item as the screen read it) refuses an
        update when the stored item changed since (StaleEdit, saying what changed)."""
        with self._transaction() as c:
            if expected is not None and item.id is not None:
                stored = next((p for p in self.plan_items(item.account_id) if p.id == item.id), None)
                if stored is None:
                    raise InputError("that plan item no longer exists")
                if stored != expected:
                    raise StaleEdit(
                        f"the plan item for {expected.target_label} was changed elsewhere since you opened it "
                        f"({describe(changed(expected, stored))})"
                    )
            return upsert(c, "plan_items", item.model_dump(exclude={"id"}, mode="json"), item.id)

    def interim_picks(self, account_id: int | None = None) -> list[tuple[int, int, int | None, str, str, str | None]]:
        """Open plan items that name an interim contact (source "interim" or "interim:<departed id>"), newest
        first: (item id, account id, interim contact id, interim name, source, departed contact's name)."""
        where, params = ("AND p.account_id = ?", (account_id,)) if account_id is not None else ("", ())
        return self._query(
            "SELECT p.id, p.account_id, p.target_contact_id, coalesce(t.name, p.target_label), p.source, d.name "
            "FROM plan_items p LEFT JOIN contacts t ON t.id = p.target_contact_id "
            "LEFT JOIN contacts d ON d.id = CAST(substr(p.source, 9) AS INTEGER) "
            "WHERE (p.source = 'interim' OR p.source LIKE 'interim:%') AND p.status = 'open' "
            f"{where} ORDER BY p.id DESC",
            params,
        )
