"""The one door to the store: screens and the CLI ask this for models."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from stakeworks.db import departures
from stakeworks.db.connection import Transactor, backup_to, connect, store_error
from stakeworks.domain.errors import InputError, StaleEdit, StoreError
from stakeworks.domain.models import Account, Contact, Executive, PlanItem, PlaybookTask, SponsorAssignment, Touch
from stakeworks.domain.playbook import KNOWLEDGE_TASK
from stakeworks.domain.settings import Settings

ACCOUNT_COLUMNS = (
    "id, name, arr, currency, renewal_date, tier, industry, region, csm, strategic_value, "
    "growth_potential, kraljic, last_ebr, next_ebr, notes"
)
CONTACT_COLUMNS = (
    "id, account_id, name, title, email, department, level, level_inferred, strength, sentiment, "
    "status, departed_on, key_to_success, reports_to_id, engagement_strategy, notes, last_touch, "
    "last_touch_kind, version"
)
_CONTACT_FIELDS = [c.strip() for c in CONTACT_COLUMNS.split(",")]
_ACCOUNT_FIELDS = [c.strip() for c in ACCOUNT_COLUMNS.split(",")]
_WRITABLE_CONTACT = [f for f in _CONTACT_FIELDS if f not in ("id", "last_touch", "last_touch_kind", "version")]


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _d(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


@dataclass(slots=True)
class ContactRow:
    """A contact as the portfolio-wide rules need it: no validation, no copies."""

    id: int
    account_id: int
    name: str
    department: str
    level: str
    strength: int | None
    sentiment: str
    status: str
    departed_on: date | None
    last_touch: date | None
    engagement_strategy: str
    roles: frozenset[str]


@dataclass(slots=True)
class AccountRow:
    id: int
    name: str
    arr: float
    renewal_date: date | None
    tier: str
    csm: str
    industry: str
    region: str


class Store:
    def __init__(self, path: Path | str, *, create: bool = True) -> None:
        self.path = Path(path)
        self._tx = Transactor(connect(self.path, create=create), self.path)
        self.conn = self._tx.conn
        self.transaction = self._tx.transaction

    def close(self) -> None:
        # Under the lock: closing while a worker thread is inside SQLite would crash the process.
        with self._tx.lock:
            self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def query(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[tuple]:
        with self._tx.lock:
            try:
                return self.conn.execute(sql, params).fetchall()
            except sqlite3.ProgrammingError as exc:  # closed under us: the app is quitting
                raise StoreError(f"{self.path} is closed ({exc})") from None
            except sqlite3.DatabaseError as exc:
                raise store_error(exc, self.path) from None

    def backup(self, target: Path) -> None:
        with self._tx.lock:
            backup_to(self.conn, target)

    # -- meta and settings ---------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        rows = self.query("SELECT value FROM meta WHERE key = ?", (key,))
        return rows[0][0] if rows else None

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction() as c:
            c.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def settings(self) -> Settings:
        raw = self.get_meta("settings")
        return Settings.from_json(raw) if raw else Settings()

    # -- accounts --------------------------------------------------------------

    def _account(self, row: tuple) -> Account:
        data = dict(zip(_ACCOUNT_FIELDS, row, strict=True))
        return Account.model_validate(data)

    def accounts(self) -> list[Account]:
        return [self._account(r) for r in self.query(f"SELECT {ACCOUNT_COLUMNS} FROM accounts ORDER BY name")]

    def account(self, account_id: int) -> Account:
        rows = self.query(f"SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE id = ?", (account_id,))
        if not rows:
            raise InputError(f"no account with id {account_id}")
        return self._account(rows[0])

    def account_names(self, account_id: int | None = None) -> list[tuple[int, str]]:
        """(id, name) of every account by name, or of one account."""
        if account_id is not None:
            return [(r[0], r[1]) for r in self.query("SELECT id, name FROM accounts WHERE id = ?", (account_id,))]
        return [(r[0], r[1]) for r in self.query("SELECT id, name FROM accounts ORDER BY name")]

    def save_account(self, account: Account) -> int:
        data = account.model_dump(exclude={"id"}, mode="json")
        with self.transaction() as c:
            return self._upsert_account(c, account.id, data)

    def _upsert_account(self, c: sqlite3.Connection, account_id: int | None, data: dict[str, Any]) -> int:
        cols = list(data)
        if account_id is None:
            row = c.execute("SELECT id FROM accounts WHERE name = ?", (data["name"],)).fetchone()
            account_id = row[0] if row else None
        if account_id is None:
            cur = c.execute(
                f"INSERT INTO accounts ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                [data[k] for k in cols],
            )
            return int(cur.lastrowid)  # type: ignore[arg-type]
        c.execute(
            f"UPDATE accounts SET {', '.join(f'{k} = ?' for k in cols)} WHERE id = ?",
            [*[data[k] for k in cols], account_id],
        )
        return account_id

    # -- contacts ------------------------------------------------------------------

    def _roles_for(self, ids: Iterable[int]) -> dict[int, set[str]]:
        ids = list(ids)
        roles: dict[int, set[str]] = defaultdict(set)
        for start in range(0, len(ids), 900):
            chunk = ids[start : start + 900]
            marks = ",".join("?" * len(chunk))
            for cid, role in self.query(
                f"SELECT contact_id, role FROM contact_roles WHERE contact_id IN ({marks})", chunk
            ):
                roles[cid].add(role)
        return roles

    def _contacts(self, where: str, params: Sequence[Any]) -> list[Contact]:
        rows = self.query(f"SELECT {CONTACT_COLUMNS} FROM contacts WHERE {where} ORDER BY name, id", params)
        roles = self._roles_for(r[0] for r in rows)
        out = []
        for r in rows:
            data = dict(zip(_CONTACT_FIELDS, r, strict=True))
            data["roles"] = roles.get(r[0], ())
            out.append(Contact.model_validate(data))
        return out

    def contacts(self, account_id: int) -> list[Contact]:
        return self._contacts("account_id = ?", (account_id,))

    def contact(self, contact_id: int) -> Contact:
        found = self._contacts("id = ?", (contact_id,))
        if not found:
            raise InputError(f"no contact with id {contact_id}")
        return found[0]

    def save_contact(self, contact: Contact, *, check_version: bool = True, today: date | None = None) -> Contact:
        """Insert or update one contact and its roles in one transaction.

        An update whose `version` no longer matches the stored row is a stale
        edit (someone saved in between) and is refused, never overwritten.
        A status change to or from `departed` has its playbook effects in the
        same transaction (DOMAIN section 6); `today` dates them.
        """
        if contact.account_id is None:
            raise InputError("a contact needs an account")
        with self.transaction() as c:
            contact_id = self._write_contact(c, contact, check_version=check_version, today=today)
        return self.contact(contact_id)

    def _write_contact(
        self, c: sqlite3.Connection, contact: Contact, *, check_version: bool, today: date | None = None
    ) -> int:
        today = today or date.today()
        data = contact.model_dump(include=set(_WRITABLE_CONTACT), mode="json")
        data["level_inferred"] = int(contact.level_inferred)
        data["key_to_success"] = int(contact.key_to_success)
        # A departure has a date (default today); nobody else keeps one.
        departed_on = (contact.departed_on or today) if contact.status == "departed" else None
        data["departed_on"] = _iso(departed_on)
        before = departures.status_before(c, contact.id) if contact.id is not None else None
        cols = list(data)
        if contact.id is None:
            cur = c.execute(
                f"INSERT INTO contacts ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                [data[k] for k in cols],
            )
            contact_id = int(cur.lastrowid)  # type: ignore[arg-type]
        else:
            contact_id = contact.id
            guard = " AND version = ?" if check_version else ""
            params = [*[data[k] for k in cols], contact_id]
            if check_version:
                params.append(contact.version)
            cur = c.execute(
                f"UPDATE contacts SET {', '.join(f'{k} = ?' for k in cols)}, version = version + 1 WHERE id = ?{guard}",
                params,
            )
            if cur.rowcount == 0:
                exists = c.execute("SELECT 1 FROM contacts WHERE id = ?", (contact_id,)).fetchone()
                if exists:
                    raise StaleEdit(
                        f"{contact.name} was changed elsewhere since you opened it; reload to see the change"
                    )
                raise InputError(f"contact {contact.name} no longer exists")
            c.execute("DELETE FROM contact_roles WHERE contact_id = ?", (contact_id,))
        c.executemany(
            "INSERT INTO contact_roles (contact_id, role) VALUES (?, ?)",
            [(contact_id, str(r)) for r in sorted(contact.roles)],
        )
        departures.after_status_write(
            c, contact.account_id, contact_id, before, contact.status, departed_on,  # type: ignore[arg-type]
            frozenset(str(r) for r in contact.roles), today,
        )  # fmt: skip
        return contact_id

    def delete_contact(self, contact_id: int) -> None:
        with self.transaction() as c:
            c.execute("DELETE FROM contacts WHERE id = ?", (contact_id,))

    # -- touches ---------------------------------------------------------------------

    def add_touch(self, touch: Touch) -> int:
        with self.transaction() as c:
            cur = c.execute(
                "INSERT INTO touches (contact_id, date, kind, note) VALUES (?, ?, ?, ?)",
                (touch.contact_id, touch.date.isoformat(), str(touch.kind), touch.note),
            )
            return int(cur.lastrowid)  # type: ignore[arg-type]

    def touches(self, contact_id: int, limit: int = 50) -> list[Touch]:
        rows = self.query(
            "SELECT id, contact_id, date, kind, note FROM touches WHERE contact_id = ? "
            "ORDER BY date DESC, id DESC LIMIT ?",
            (contact_id, limit),
        )
        return [Touch(id=r[0], contact_id=r[1], date=r[2], kind=r[3], note=r[4]) for r in rows]

    # -- portfolio-wide reads (light rows, no validation) -------------------------------

    def account_rows(self, account_id: int | None = None) -> list[AccountRow]:
        where, params = ("WHERE id = ?", (account_id,)) if account_id else ("", ())
        return [
            AccountRow(r[0], r[1], r[2], _d(r[3]), r[4], r[5], r[6], r[7])
            for r in self.query(
                f"SELECT id, name, arr, renewal_date, tier, csm, industry, region FROM accounts {where}", params
            )
        ]

    def contact_rows(self, account_id: int | None = None) -> dict[int, list[ContactRow]]:
        """Every contact grouped by account, as light rows for the rules."""
        where, params = ("WHERE account_id = ?", (account_id,)) if account_id else ("", ())
        roles: dict[int, list[str]] = defaultdict(list)
        role_sql = "SELECT contact_id, role FROM contact_roles"
        if account_id:
            role_sql += " WHERE contact_id IN (SELECT id FROM contacts WHERE account_id = ?)"
        for cid, role in self.query(role_sql, params):
            roles[cid].append(role)
        grouped: dict[int, list[ContactRow]] = defaultdict(list)
        empty: frozenset[str] = frozenset()
        fromiso = date.fromisoformat
        for r in self.query(
            "SELECT id, account_id, name, department, level, strength, sentiment, status, "
            f"departed_on, last_touch, engagement_strategy FROM contacts {where}",
            params,
        ):
            cid = r[0]
            grouped[r[1]].append(
                ContactRow(
                    cid, r[1], r[2], r[3], r[4], r[5], r[6], r[7],
                    fromiso(r[8]) if r[8] else None,
                    fromiso(r[9]) if r[9] else None,
                    r[10],
                    frozenset(roles[cid]) if cid in roles else empty,
                )
            )  # fmt: skip
        return grouped

    def cached_verdicts(
        self, day: date, settings_key: str, account_id: int | None = None
    ) -> dict[int, tuple[int, str, int, str, int, int]]:
        """account id -> (score, risk, bus factor, factor codes, contacts, active) still valid for `day`."""
        one = " AND account_id = ?" if account_id else ""
        params = (day.isoformat(), settings_key, *((account_id,) if account_id else ()))
        return {
            r[0]: r[1:]
            for r in self.query(
                "SELECT account_id, score, risk, bus_factor, factors, contact_count, active_count FROM verdict_cache "
                f"WHERE day = ? AND settings = ?{one}",
                params,
            )
        }

    def save_verdicts(
        self, day: date, settings_key: str, rows: Iterable[tuple[int, int, str, int, str, int, int]]
    ) -> None:
        with self.transaction() as c:
            c.executemany(
                "INSERT OR REPLACE INTO verdict_cache (account_id, day, settings, score, risk, bus_factor, factors, "
                "contact_count, active_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(a, day.isoformat(), settings_key, *rest) for a, *rest in rows],
            )

    def search_rows(self, account_id: int | None = None) -> list[tuple[int, int, str, str, str, str]]:
        """What search needs of every contact, or of one account's."""
        sql = "SELECT account_id, id, name, title, email, department FROM contacts"
        if account_id is not None:
            return self.query(sql + " WHERE account_id = ?", (account_id,))
        return self.query(sql)

    def sponsor_names_by_account(self, account_id: int | None = None) -> dict[int, list[str]]:
        """Active sponsors' names by account: the whole portfolio, or one account."""
        where, params = ("AND s.account_id = ?", (account_id,)) if account_id is not None else ("", ())
        out: dict[int, list[str]] = defaultdict(list)
        for aid, name in self.query(
            "SELECT s.account_id, e.name FROM sponsor_assignments s JOIN executives e "
            f"ON e.id = s.executive_id WHERE s.active = 1 {where} ORDER BY e.name",
            params,
        ):
            out[aid].append(name)
        return out

    # -- executives and assignments -----------------------------------------------------------

    def executives(self, include_retired: bool = False) -> list[Executive]:
        where = "" if include_retired else "WHERE active = 1"
        rows = self.query(
            "SELECT id, name, title, level, function, industries, region, capacity, "
            f"exception_reason, active FROM executives {where} ORDER BY name"
        )
        return [
            Executive(
                id=r[0], name=r[1], title=r[2], level=r[3], function=r[4],
                industries=frozenset(i for i in r[5].split(";") if i), region=r[6],
                capacity=r[7], exception_reason=r[8], active=bool(r[9]),
            )
            for r in rows
        ]  # fmt: skip

    def save_executive(self, ex: Executive) -> int:
        data = ex.model_dump(exclude={"id"}, mode="json")
        data["industries"] = ";".join(sorted(ex.industries))
        data["active"] = int(ex.active)
        cols = list(data)
        with self.transaction() as c:
            ex_id = ex.id
            if ex_id is None:
                row = c.execute("SELECT id FROM executives WHERE name = ?", (ex.name,)).fetchone()
                ex_id = row[0] if row else None
            if ex_id is None:
                cur = c.execute(
                    f"INSERT INTO executives ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                    [data[k] for k in cols],
                )
                return int(cur.lastrowid)  # type: ignore[arg-type]
            if not ex.active:
                # Retiring ends every assignment first, so capacity stays consistent.
                c.execute(
                    "UPDATE sponsor_assignments SET active = 0, ended_on = date('now') "
                    "WHERE executive_id = ? AND active = 1",
                    (ex_id,),
                )
            c.execute(
                f"UPDATE executives SET {', '.join(f'{k} = ?' for k in cols)} WHERE id = ?",
                [*[data[k] for k in cols], ex_id],
            )
            return ex_id

    def assignments(self, active_only: bool = True) -> list[SponsorAssignment]:
        where = "WHERE active = 1" if active_only else ""
        return [
            SponsorAssignment(id=r[0], executive_id=r[1], account_id=r[2], start_date=r[3], active=bool(r[4]))
            for r in self.query(
                f"SELECT id, executive_id, account_id, start_date, active FROM sponsor_assignments {where} "
                "ORDER BY start_date, id"
            )
        ]

    def assign(self, executive_id: int, account_id: int, start: date) -> int:
        with self.transaction() as c:
            cur = c.execute(
                "INSERT INTO sponsor_assignments (executive_id, account_id, start_date) VALUES (?, ?, ?)",
                (executive_id, account_id, start.isoformat()),
            )
            return int(cur.lastrowid)  # type: ignore[arg-type]

    def unassign(self, executive_id: int, account_id: int, end: date) -> bool:
        with self.transaction() as c:
            cur = c.execute(
                "UPDATE sponsor_assignments SET active = 0, ended_on = ? "
                "WHERE executive_id = ? AND account_id = ? AND active = 1",
                (end.isoformat(), executive_id, account_id),
            )
            return cur.rowcount > 0

    def link_executive_contact(self, executive_id: int, contact_id: int) -> None:
        with self.transaction() as c:
            c.execute(
                "INSERT OR IGNORE INTO executive_contacts (executive_id, contact_id) VALUES (?, ?)",
                (executive_id, contact_id),
            )

    def executive_relationships(self) -> dict[tuple[int, int], list[str]]:
        """(executive id, account id) -> names of contacts the executive knows there."""
        out: dict[tuple[int, int], list[str]] = defaultdict(list)
        for ex_id, account_id, name in self.query(
            "SELECT l.executive_id, c.account_id, c.name FROM executive_contacts l "
            "JOIN contacts c ON c.id = l.contact_id WHERE c.status <> 'departed' ORDER BY c.name"
        ):
            out[(ex_id, account_id)].append(name)
        return out

    # -- playbook tasks and plan items ------------------------------------------------------

    def ensure_playbook(self, account_id: int, contact_id: int, departed_on: date) -> int:
        """The playbook of one departure, created once (or revived after an undo); rows changed."""
        with self.transaction() as c:
            return departures.ensure_playbook(c, account_id, contact_id, departed_on)

    def open_task_count(self, contact_id: int) -> int:
        return int(
            self.query(
                "SELECT count(*) FROM playbook_tasks WHERE contact_id = ? AND done = 0 AND cancelled_on IS NULL",
                (contact_id,),
            )[0][0]
        )

    def playbook_tasks(self, account_id: int | None = None) -> list[PlaybookTask]:
        """Open first (by due date), then done, then cancelled."""
        where, params = ("WHERE account_id = ?", (account_id,)) if account_id else ("", ())
        return [
            PlaybookTask(
                id=r[0], account_id=r[1], contact_id=r[2], departed_on=r[3], kind=r[4], action=r[5], owner=r[6],
                due_date=r[7], done=bool(r[8]), position=r[9], cancelled_on=r[10],
            )
            for r in self.query(
                "SELECT id, account_id, contact_id, departed_on, kind, action, owner, due_date, done, position, "
                f"cancelled_on FROM playbook_tasks {where} ORDER BY cancelled_on IS NOT NULL, done, "
                "due_date IS NULL, due_date, account_id, contact_id, departed_on, kind DESC, position",
                params,
            )
        ]  # fmt: skip

    def set_task_done(self, task_id: int, done: bool) -> None:
        """Tick or untick one task. A cancelled task stays as it was; "Document all
        knowledge" follows its checklist and is not ticked by hand."""
        with self.transaction() as c:
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
                raise InputError(f"{action!r} is done when its knowledge checklist is ({left} item(s) left to tick)")
            c.execute("UPDATE playbook_tasks SET done = ? WHERE id = ?", (int(done), task_id))
            if kind == "checklist":
                departures.sync_knowledge_task(c, contact_id, date.fromisoformat(departed_on))

    def plan_items(self, account_id: int) -> list[PlanItem]:
        return [
            PlanItem(
                id=r[0], account_id=r[1], target_contact_id=r[2], target_label=r[3], path_contact_id=r[4],
                path_label=r[5], first_action=r[6], due_date=r[7], status=r[8], source=r[9],
            )
            for r in self.query(
                "SELECT id, account_id, target_contact_id, target_label, path_contact_id, path_label, "
                "first_action, due_date, status, source FROM plan_items WHERE account_id = ? ORDER BY id",
                (account_id,),
            )
        ]  # fmt: skip

    def save_plan_item(self, item: PlanItem) -> int:
        data = item.model_dump(exclude={"id"}, mode="json")
        cols = list(data)
        with self.transaction() as c:
            if item.id is None:
                cur = c.execute(
                    f"INSERT INTO plan_items ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                    [data[k] for k in cols],
                )
                return int(cur.lastrowid)  # type: ignore[arg-type]
            c.execute(
                f"UPDATE plan_items SET {', '.join(f'{k} = ?' for k in cols)} WHERE id = ?",
                [*[data[k] for k in cols], item.id],
            )
            return item.id

    # -- history -------------------------------------------------------------------------

    def record_scores(self, day: date, scores: Iterable[tuple[int, int, str]]) -> None:
        """One row per account per day; a recomputation the same day replaces it."""
        with self.transaction() as c:
            c.executemany(
                "INSERT OR REPLACE INTO score_history (account_id, day, score, risk) VALUES (?, ?, ?, ?)",
                [(a, day.isoformat(), s, r) for a, s, r in scores],
            )

    def score_histories(
        self, since: date, until: date, account_id: int | None = None
    ) -> dict[int, list[tuple[date, int]]]:
        one = " AND account_id = ?" if account_id else ""
        params = (since.isoformat(), until.isoformat(), *((account_id,) if account_id else ()))
        out: dict[int, list[tuple[date, int]]] = defaultdict(list)
        for owner, day, score in self.query(
            f"SELECT account_id, day, score FROM score_history WHERE day BETWEEN ? AND ?{one} ORDER BY account_id, day",
            params,
        ):
            out[owner].append((date.fromisoformat(day), score))
        return out

    def score_history(self, account_id: int) -> list[tuple[date, int, str]]:
        return [
            (date.fromisoformat(d), s, r)
            for d, s, r in self.query(
                "SELECT day, score, risk FROM score_history WHERE account_id = ? ORDER BY day", (account_id,)
            )
        ]
