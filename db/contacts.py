"""Contacts and their roles: validated records, one-transaction writes with
optimistic locking, and the light rows the portfolio-wide rules read."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from stakeworks.db import departures
from stakeworks.db.connection import Connection
from stakeworks.db.history_log import changed_by
from stakeworks.db.repository import Repository, iso, upsert
from stakeworks.domain.errors import InputError, StaleEdit
from stakeworks.domain.reports_to import link_problem
from stakeworks.domain.rows import ContactRow

if TYPE_CHECKING:  # pydantic's models load when a record is read, not with the store (issue 20)
    from stakeworks.domain.models import Contact, StoredContact

COLUMNS = (
    "id, account_id, name, title, email, department, level, level_inferred, strength, sentiment, "
    "status, departed_on, key_to_success, reports_to_id, engagement_strategy, notes, last_touch, "
    "last_touch_kind, version, crm, crm_id"
)
FIELDS = [c.strip() for c in COLUMNS.split(",")]
WRITABLE = [f for f in FIELDS if f not in ("id", "last_touch", "last_touch_kind", "version")]
_CHUNK = 900  # ids per IN (...): under SQLite's 999 host parameters


_SEARCH_ROWS = "SELECT account_id, id, name, title, email, department FROM contacts"


class ContactRepository(Repository):
    def _roles_for(self, ids: Iterable[int]) -> dict[int, set[str]]:
        ids = list(ids)
        roles: dict[int, set[str]] = defaultdict(set)
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            for cid, role in self._query(
                f"SELECT contact_id, role FROM contact_roles WHERE contact_id IN ({marks})", chunk
            ):
                roles[cid].add(role)
        return roles

    def _contacts(self, where: str, params: Sequence[Any]) -> list[StoredContact]:
        from stakeworks.domain.models import STORED, StoredContact

        rows = self._query(f"SELECT {COLUMNS} FROM contacts WHERE {where} ORDER BY name, id", params)
        # Selected like the contacts, not by their ids: a read that needs no other's rows, so on a
        # team server both go out together (Transactor.read_ahead).
        roles: dict[int, set[str]] = defaultdict(set)
        for cid, role in self._query(
            f"SELECT contact_id, role FROM contact_roles WHERE contact_id IN (SELECT id FROM contacts WHERE {where})",
            params,
        ):
            roles[cid].add(role)
        out = []
        for r in rows:
            data = dict(zip(FIELDS, r, strict=True))
            data["roles"] = roles.get(r[0], ())
            out.append(StoredContact.model_validate(data, context=STORED))  # shown as stored, never refused
        return out

    def of_account(self, account_id: int) -> list[StoredContact]:
        return self._contacts("account_id = ?", (account_id,))

    def get(self, contact_id: int) -> StoredContact:
        found = self._contacts("id = ?", (contact_id,))
        if not found:
            raise InputError(f"no contact with id {contact_id}")
        return found[0]

    def save(self, contact: Contact, *, check_version: bool = True, today: date | None = None) -> StoredContact:
        """Insert or update one contact and its roles in one transaction.

        An update whose `version` no longer matches the stored row is a stale
        edit (someone saved in between) and is refused, never overwritten.
        A status change to or from `departed` has its playbook effects in the
        same transaction (DOMAIN section 6); `today` dates them.
        """
        if contact.account_id is None:
            raise InputError("a contact needs an account")
        with self._transaction() as c:
            contact_id = self.write(c, contact, check_version=check_version, today=today)
        return self.get(contact_id)

    def write(self, c: Connection, contact: Contact, *, check_version: bool, today: date | None = None) -> int:
        """The store's one write of a contact (and its roles), inside the caller's transaction; its id.

        Every path that changes a contact (editor, `depart`, import) ends here,
        so a departure or a return has the same playbook effects on each.
        """
        today = today or date.today()
        account_id = contact.account_id
        if account_id is None:
            raise InputError(f"contact {contact.name} has no account")
        data = contact.model_dump(include=set(WRITABLE), mode="json")
        data["level_inferred"] = int(contact.level_inferred)
        data["key_to_success"] = int(contact.key_to_success)
        # A departure has a date (default today); nobody else keeps one.
        departed_on = (contact.departed_on or today) if contact.status == "departed" else None
        data["departed_on"] = iso(departed_on)
        before = departures.status_before(c, contact.id) if contact.id is not None else None
        _check_reports_to(c, contact)

        def missing() -> Exception:
            if c.execute("SELECT 1 FROM contacts WHERE id = ?", (contact.id,)).fetchone():
                by = changed_by(c, "contact", contact.id)
                return StaleEdit(f"{contact.name} was changed{by} since you opened it; reload to see the change")
            return InputError(f"contact {contact.name} no longer exists")

        contact_id = upsert(
            c, "contacts", data, contact.id,
            version=contact.version if check_version else None, bump_version=True, missing=missing,
        )  # fmt: skip
        # Only the roles that changed are written: each is a line in the history (db/history.py).
        wanted = {str(r) for r in contact.roles}
        held = set() if contact.id is None else {
            r[0] for r in c.execute("SELECT role FROM contact_roles WHERE contact_id = ?", (contact_id,))
        }  # fmt: skip
        c.executemany(
            "DELETE FROM contact_roles WHERE contact_id = ? AND role = ?",
            [(contact_id, r) for r in sorted(held - wanted)],
        )
        c.executemany(
            "INSERT INTO contact_roles (contact_id, role) VALUES (?, ?)",
            [(contact_id, r) for r in sorted(wanted - held)],
        )
        departures.after_status_write(
            c, account_id, contact_id, before, contact.status, departed_on,
            frozenset(str(r) for r in contact.roles), today,
        )  # fmt: skip
        if contact.email.strip() and contact.status != "departed":
            link_interactions(c, contact_id)
        return contact_id

    def delete(self, contact_id: int) -> None:
        with self._transaction() as c:
            c.execute("DELETE FROM contacts WHERE id = ?", (contact_id,))

    def impact(self, contact_id: int) -> dict[str, int]:
        """What deleting a contact takes with it, or changes, counted."""
        (row,) = self._query(
            "SELECT (SELECT count(*) FROM touches WHERE contact_id = :id), "
            "(SELECT count(*) FROM playbook_tasks WHERE contact_id = :id), "
            "(SELECT count(*) FROM plan_items WHERE target_contact_id = :id OR path_contact_id = :id), "
            "(SELECT count(*) FROM contacts WHERE reports_to_id = :id), "
            "(SELECT count(*) FROM executive_contacts WHERE contact_id = :id)",
            {"id": contact_id},
        )
        return dict(zip(("touches", "tasks", "plan_items", "reports", "executive_links"), row, strict=True))

    def playbook_names(self) -> dict[int, str]:
        """id -> name of every contact a playbook task is about (departed, or back after an undo)."""
        return dict(self._query("SELECT id, name FROM contacts WHERE id IN (SELECT contact_id FROM playbook_tasks)"))

    def search_rows(self, account_id: int | None = None) -> list[tuple[int, int, str, str, str, str]]:
        """What search needs of every contact, or of one account's."""
        sql = _SEARCH_ROWS
        if account_id is not None:
            return self._query(sql + " WHERE account_id = ?", (account_id,))
        return self._query(sql)

    def search_rows_after(self, after: int, size: int) -> list[tuple[int, int, str, str, str, str]]:
        """`search_rows` of every contact a page at a time, by id (keyset: each page is one
        index range, however deep)."""
        return self._query(_SEARCH_ROWS + " WHERE id > ? ORDER BY id LIMIT ?", (after, size))

    def by_crm_id(self) -> dict[tuple[str, str], list[Any]]:
        """(crm, crm id) -> [id, account id, name, key to success, roles] of every contact with a CRM id:
        what a role file (Salesforce AccountContactRole / OpportunityContactRole) joins on."""
        out: dict[tuple[str, str], list[Any]] = {}
        for cid, account_id, name, crm, crm_id, key in self._query(
            "SELECT id, account_id, name, crm, crm_id, key_to_success FROM contacts WHERE crm_id <> ''"
        ):
            out[(crm, crm_id)] = [cid, account_id, name, bool(key), set()]
        by_id = {v[0]: v for v in out.values()}
        for cid, role in self._query(
            "SELECT r.contact_id, r.role FROM contact_roles r JOIN contacts c ON c.id = r.contact_id WHERE c.crm_id <> ''"
        ):
            by_id[cid][4].add(role)
        return out

    def compared(self, fields: Sequence[str], contact_id: int) -> dict[int, tuple[Any, ...]]:
        """One contact's (account_id, *fields, roles) as a plain tuple, by id: what an import compares
        a row with (plain tuples, not models: 200,000 models cost ~1 GB and seconds to build)."""
        roles = {role for (role,) in self._query("SELECT role FROM contact_roles WHERE contact_id = ?", (contact_id,))}
        rows = self._query(f"SELECT id, account_id, {', '.join(fields)} FROM contacts WHERE id = ?", (contact_id,))
        return {r[0]: (*r[1:], frozenset(roles)) for r in rows}

    def compared_near(
        self, fields: Sequence[str], account_ids: Iterable[int], crm: str, crm_ids: Iterable[str]
    ) -> dict[int, tuple[Any, ...]]:
        """`compared` for the contacts one batch of an import can match: every contact of these
        accounts, and whoever holds one of these ids of `crm` (wherever they are), by id."""
        columns = f"id, account_id, {', '.join(fields)}"
        out: dict[int, tuple[Any, ...]] = {}
        wanted = (
            ("account_id IN ({})", (), sorted(account_ids)),
            ("crm = ? AND crm_id IN ({})", (crm,), sorted(crm_ids)),
        )
        for where, lead, values in wanted:
            for start in range(0, len(values), _CHUNK):
                chunk = values[start : start + _CHUNK]
                sql = where.format(",".join("?" * len(chunk)))
                rows = [r for r in self._query(f"SELECT {columns} FROM contacts WHERE {sql}", (*lead, *chunk))
                        if r[0] not in out]  # fmt: skip
                roles = self._roles_for(r[0] for r in rows)
                out.update((r[0], (*r[1:], frozenset(roles.get(r[0], ())))) for r in rows)
        return out

    def crm_people(self, account_ids: Iterable[int], crm: str) -> list[tuple[int, int, str]]:
        """(id, account id, crm id) of the contacts of these accounts with an id of `crm` who have
        not departed, by id."""
        values = sorted(account_ids)
        out = []
        for start in range(0, len(values), _CHUNK):
            chunk = values[start : start + _CHUNK]
            out += self._query(
                "SELECT id, account_id, crm_id FROM contacts WHERE crm = ? AND crm_id <> '' "
                f"AND status <> 'departed' AND account_id IN ({','.join('?' * len(chunk))})",
                (crm, *chunk),
            )
        return sorted(out)

    def rows(self, account_id: int | Sequence[int] | None = None) -> dict[int, list[ContactRow]]:
        """Every contact grouped by account (or one account's, or a few accounts'), as light
        rows for the rules: two queries however many accounts (a server answers each with a
        round trip)."""
        ids = [account_id] if isinstance(account_id, int) else list(account_id or ())
        marks = ", ".join("?" * len(ids))
        where, params = (f"WHERE account_id IN ({marks})", tuple(ids)) if ids else ("", ())
        roles: dict[int, list[str]] = defaultdict(list)
        role_sql = "SELECT contact_id, role FROM contact_roles"
        if ids:
            role_sql += f" WHERE contact_id IN (SELECT id FROM contacts WHERE account_id IN ({marks}))"
        for cid, role in self._query(role_sql, params):
            roles[cid].append(role)
        grouped: dict[int, list[ContactRow]] = defaultdict(list)
        # Equal values shared, not one object per row: a department, level, status or day is
        # one of a few hundred, a set of roles one of a few dozen (200,000 rows: half the memory).
        shared: dict[str, str] = {}
        share = shared.setdefault
        days: dict[str, date] = {}

        def day(text: str | None) -> date | None:
            if not text:
                return None
            found = days.get(text)
            if found is None:
                found = days[text] = date.fromisoformat(text)
            return found

        role_sets: dict[tuple[str, ...], frozenset[str]] = {(): frozenset()}
        roles_of: dict[int, frozenset[str]] = {}
        for cid, held in roles.items():
            key = tuple(sorted(held))
            found = role_sets.get(key)
            roles_of[cid] = found if found is not None else role_sets.setdefault(key, frozenset(key))
        empty = role_sets[()]
        for r in self._query(
            "SELECT id, account_id, name, department, level, strength, sentiment, status, "
            f"departed_on, last_touch, engagement_strategy FROM contacts {where}",
            params,
        ):
            cid = r[0]
            grouped[r[1]].append(
                ContactRow(
                    cid, r[1], r[2], share(r[3], r[3]), share(r[4], r[4]), r[5], share(r[6], r[6]),
                    share(r[7], r[7]), day(r[8]), day(r[9]), share(r[10], r[10]),
                    roles_of.get(cid, empty),
                )
            )  # fmt: skip
        return grouped


_CHAIN_ABOVE = """
WITH RECURSIVE chain(id, account_id, reports_to_id) AS (
    SELECT id, account_id, reports_to_id FROM contacts WHERE id = ?
    UNION
    SELECT c.id, c.account_id, c.reports_to_id FROM contacts c JOIN chain ON c.id = chain.reports_to_id
) SELECT id, account_id, reports_to_id FROM chain"""


def _check_reports_to(c: Connection, contact: Contact) -> None:
    """The domain's reports-to rule on the manager and everyone above them, before the write (the
    schema's triggers say the same words for the bulk writes that skip this: import, load)."""
    if contact.reports_to_id is None:
        return
    above = {r[0]: (r[1], r[2]) for r in c.execute(_CHAIN_ABOVE, (contact.reports_to_id,))}
    problem = link_problem(contact.id, contact.account_id, contact.reports_to_id, above)
    if problem is not None:
        raise InputError(f"refused by the store: {problem}")  # the words the triggers' refusal had


_LINK = (
    "INSERT OR IGNORE INTO touches (contact_id, date, kind, note, by_name, source) "
    "SELECT c.id, i.day, i.kind, i.note, i.ours, i.source FROM contacts c "
    "JOIN interactions i ON i.address = lower(trim(c.email)) WHERE c.email <> '' AND "
)


def link_interactions(c: Connection, contact_id: int) -> None:
    """The contact's address was seen in mail or calendar before it was theirs: those
    interactions become their touches (DOMAIN section 11), each once."""
    c.execute(_LINK + "c.id = ?", (contact_id,))


def link_new_interactions(c: Connection, first_id: int) -> None:
    """`link_interactions` for every contact from `first_id` on who has not departed: the people an
    import added, read by their id range (not every contact of the store, as a re-import would)."""
    c.execute(_LINK + "c.id >= ? AND c.status <> 'departed'", (first_id,))
