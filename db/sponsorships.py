"""Executives and sponsorships: the sponsor program's people, their assignments
to accounts and whom they already know. Capacity and retirement are enforced
by triggers (schema.py), so no client can break them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from stakeworks.db.connection import Connection
from stakeworks.db.repository import Repository, find_id, id_filters, new_id, upsert
from stakeworks.domain.changes import changed, describe
from stakeworks.domain.errors import InputError, Refusal, StaleEdit

if TYPE_CHECKING:  # pydantic's models load when a record is read, not with the store (issue 20)
    from stakeworks.domain.models import Executive, SponsorAssignment, SponsorReview, StoredExecutive

_REVIEW_COLUMNS = (
    "id", "account_id", "executive_id", "source", "reason", "proposed_by", "proposed_on", "status", "decided_by",
    "decided_on", "decision_reason", "assignment_id",
)  # fmt: skip


class SponsorRepository(Repository):
    def executives(self, include_retired: bool = False) -> list[StoredExecutive]:
        from stakeworks.domain.models import STORED, StoredExecutive

        where = "" if include_retired else "WHERE active = 1"
        rows = self._query(
            "SELECT id, name, title, level, function, industries, region, capacity, "
            f"exception_reason, active FROM executives {where} ORDER BY name"
        )
        return [
            StoredExecutive.model_validate(
                {
                    "id": r[0], "name": r[1], "title": r[2], "level": r[3], "function": r[4],
                    "industries": frozenset(i for i in r[5].split(";") if i), "region": r[6],
                    "capacity": r[7], "exception_reason": r[8], "active": bool(r[9]),
                },
                context=STORED,
            )
            for r in rows
        ]  # fmt: skip

    def _stored(self, ex_id: int) -> StoredExecutive | None:
        return next((e for e in self.executives(include_retired=True) if e.id == ex_id), None)

    def _check_unchanged(self, expected: Executive) -> None:
        """Refuse a write based on `expected` when the stored executive changed since it was read."""
        stored = self._stored(expected.id) if expected.id is not None else None
        if stored is None:
            raise InputError(f"executive {expected.name} no longer exists")
        if stored != expected:
            raise StaleEdit(
                f"{expected.name} was changed elsewhere since you opened it ({describe(changed(expected, stored))})"
            )

    def save_executive(self, ex: Executive, expected: Executive | None = None) -> int:
        """Insert or update one executive (with no id: the executive of the same name).

        `expected`: the executive as the screen read it; the update is refused (StaleEdit, saying
        what changed) when the stored one is no longer the same, never written over it."""
        data = ex.model_dump(exclude={"id"}, mode="json")
        data["industries"] = ";".join(sorted(ex.industries))
        data["active"] = int(ex.active)
        with self._transaction() as c:
            if expected is not None:
                self._check_unchanged(expected)
            ex_id = ex.id if ex.id is not None else find_id(c, "executives", "name", ex.name)
            if ex_id is not None and not ex.active:
                # Retiring ends every assignment first, so capacity stays consistent.
                c.execute(
                    "UPDATE sponsor_assignments SET active = 0, ended_on = date('now') "
                    "WHERE executive_id = ? AND active = 1",
                    (ex_id,),
                )
            return upsert(c, "executives", data, ex_id)

    def retire_executive(self, expected: Executive) -> None:
        """Retire one executive (ending their assignments): only the active flag is written, and
        only while the executive is still as `expected` (the screen's copy)."""
        with self._transaction() as c:
            self._check_unchanged(expected)
            c.execute(
                "UPDATE sponsor_assignments SET active = 0, ended_on = date('now') WHERE executive_id = ? AND active = 1",
                (expected.id,),
            )
            c.execute("UPDATE executives SET active = 0 WHERE id = ?", (expected.id,))

    def assignments(self, active_only: bool = True) -> list[SponsorAssignment]:
        from stakeworks.domain.models import SponsorAssignment

        where = "WHERE active = 1" if active_only else ""
        return [
            SponsorAssignment(
                id=r[0],
                executive_id=r[1],
                account_id=r[2],
                start_date=r[3],
                active=bool(r[4]),
                score_at_start=r[5],
                risk_at_start=r[6],
            )  # fmt: skip
            for r in self._query(
                "SELECT id, executive_id, account_id, start_date, active, score_at_start, risk_at_start "
                f"FROM sponsor_assignments {where} ORDER BY start_date, id"
            )
        ]

    def assign(self, executive_id: int, account_id: int, start: date, at_start: tuple[int, str] | None = None) -> int:
        """A new active assignment; `at_start`: the account's (score, risk) on its first day.
        The store's triggers refuse a fourth without an exception, or a retired executive."""
        with self._transaction() as c:
            return self._insert_assignment(c, executive_id, account_id, start, at_start)

    @staticmethod
    def _insert_assignment(
        c: Connection, executive_id: int, account_id: int, start: date, at_start: tuple[int, str] | None
    ) -> int:
        score, risk = at_start if at_start else (None, None)
        cur = c.execute(
            "INSERT INTO sponsor_assignments (executive_id, account_id, start_date, score_at_start, risk_at_start) "
            "VALUES (?, ?, ?, ?, ?)",
            (executive_id, account_id, start.isoformat(), score, risk),
        )
        return new_id(cur)

    # -- the review queue --------------------------------------------------------------------

    def propose(self, review: SponsorReview) -> int:
        """Put a nomination or a suggested pair in the queue (refused when the same account and
        executive already wait there)."""
        with self._transaction() as c:
            cur = c.execute(
                "INSERT INTO sponsor_reviews (account_id, executive_id, source, reason, proposed_by, proposed_on) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (review.account_id, review.executive_id, review.source, review.reason, review.proposed_by,
                 review.proposed_on.isoformat()),
            )  # fmt: skip
            return new_id(cur)

    def reviews(self, status: str | None = "pending") -> list[SponsorReview]:
        from stakeworks.domain.models import STORED, SponsorReview

        where, params = ("WHERE status = ?", (status,)) if status else ("", ())
        return [
            SponsorReview.model_validate(dict(zip(_REVIEW_COLUMNS, r, strict=True)), context=STORED)
            for r in self._query(
                f"SELECT {', '.join(_REVIEW_COLUMNS)} FROM sponsor_reviews {where} ORDER BY proposed_on, id", params
            )
        ]

    def approve(self, review_id: int, executive_id: int, by: str, on: date, at_start: tuple[int, str] | None) -> int:
        """Approve one pending entry with this executive: the assignment (the store's limit
        applies) and the decision are written together, or neither is. The assignment's id."""
        with self._transaction() as c:
            row = c.execute("SELECT account_id, status FROM sponsor_reviews WHERE id = ?", (review_id,)).fetchone()
            if row is None:
                raise InputError(f"no review entry {review_id}")
            if row[1] != "pending":
                raise Refusal(f"entry {review_id} was already {row[1]}")
            assignment_id = self._insert_assignment(c, executive_id, row[0], on, at_start)
            c.execute(
                "UPDATE sponsor_reviews SET status = 'approved', executive_id = ?, decided_by = ?, decided_on = ?, "
                "assignment_id = ? WHERE id = ? AND status = 'pending'",
                (executive_id, by, on.isoformat(), assignment_id, review_id),
            )
            return assignment_id

    def decline(self, review_id: int, reason: str, by: str, on: date) -> None:
        with self._transaction() as c:
            row = c.execute("SELECT status FROM sponsor_reviews WHERE id = ?", (review_id,)).fetchone()
            if row is None:
                raise InputError(f"no review entry {review_id}")
            if row[0] != "pending":
                raise Refusal(f"entry {review_id} was already {row[0]}")
            c.execute(
                "UPDATE sponsor_reviews SET status = 'declined', decided_by = ?, decided_on = ?, decision_reason = ? "
                "WHERE id = ?",
                (by, on.isoformat(), reason, review_id),
            )

    def unassign(self, executive_id: int, account_id: int, end: date) -> bool:
        with self._transaction() as c:
            cur = c.execute(
                "UPDATE sponsor_assignments SET active = 0, ended_on = ? "
                "WHERE executive_id = ? AND account_id = ? AND active = 1",
                (end.isoformat(), executive_id, account_id),
            )
            return cur.rowcount > 0

    def sponsored_accounts(self, executive_id: int | None) -> list[tuple[int, str]]:
        """(id, name) of the accounts one executive actively sponsors, by name."""
        return [
            (a, n)
            for a, n in self._query(
                "SELECT a.id, a.name FROM sponsor_assignments s JOIN accounts a ON a.id = s.account_id "
                "WHERE s.executive_id = ? AND s.active = 1 ORDER BY a.name",
                (executive_id,),
            )
        ]

    def sponsor_names_by_account(self, account_id: int | Sequence[int] | None = None) -> dict[int, list[str]]:
        """Active sponsors' names by account: the whole portfolio, or one account, or these."""
        out: dict[int, list[str]] = defaultdict(list)
        for where, params in id_filters("s.account_id", account_id):
            for aid, name in self._query(
                "SELECT s.account_id, e.name FROM sponsor_assignments s JOIN executives e "
                f"ON e.id = s.executive_id WHERE s.active = 1 AND {where} ORDER BY e.name",
                params,
            ):
                out[aid].append(name)
        return out

    def link_contact(self, executive_id: int, contact_id: int) -> None:
        with self._transaction() as c:
            c.execute(
                "INSERT OR IGNORE INTO executive_contacts (executive_id, contact_id) VALUES (?, ?)",
                (executive_id, contact_id),
            )

    def relationships(self) -> dict[tuple[int, int], list[str]]:
        """(executive id, account id) -> names of contacts the executive knows there."""
        out: dict[tuple[int, int], list[str]] = defaultdict(list)
        # a link kept by hand, or a touch the executive took part in
        for ex_id, account_id, name in self._query(
            "SELECT l.executive_id, c.account_id, c.name FROM executive_contacts l "
            "JOIN contacts c ON c.id = l.contact_id WHERE c.status <> 'departed' "
            "UNION SELECT t.by_executive_id, c.account_id, c.name FROM touches t "
            "JOIN contacts c ON c.id = t.contact_id WHERE t.by_executive_id IS NOT NULL AND c.status <> 'departed' "
            "ORDER BY 3"
        ):
            out[(ex_id, account_id)].append(name)
        return out
