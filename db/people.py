"""People across accounts and influence lines (DOMAIN sections 13 and 14): the records of one
person, hand links between records, and the lines between contacts of one account."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from stakeworks.db.connection import Connection
from stakeworks.db.repository import Repository, day, new_id
from stakeworks.domain.influence import InfluenceLine
from stakeworks.domain.people import AccountFacts, PersonRecord

if TYPE_CHECKING:
    from stakeworks.domain.models import Influence

_CHUNK = 900  # ids per IN (...): under SQLite's 999 host parameters
_RECORD = (
    "SELECT c.id, c.account_id, a.name, c.name, c.email, c.crm, c.crm_id, c.status, c.departed_on, c.strength, "
    "(SELECT group_concat(role, ' ') FROM contact_roles r WHERE r.contact_id = c.id) "
    "FROM contacts c JOIN accounts a ON a.id = c.account_id"
)
# Who may be exposed (DOMAIN section 13) and the records that join them: the active champions
# and economic buyers who share an address with another record, those records, every end of a
# hand link, and Salesforce ids written in both their forms. A record joining two of these by
# any key is one of them itself, so the groups made from these alone are whole. The critical
# contacts are read first (CROSS JOIN keeps that order): an index lookup each, not a scan of
# every address.
_SHARED = """
WITH pairs(a, b) AS (
    SELECT k.id, x.id FROM contact_roles r CROSS JOIN contacts k CROSS JOIN contacts x
    WHERE r.role IN ('champion', 'economic_buyer') AND k.id = r.contact_id AND k.status = 'active'
      AND k.email <> '' AND x.email <> '' AND lower(trim(x.email)) = lower(trim(k.email)) AND x.id <> k.id
    UNION ALL
    SELECT s.id, f.id FROM contacts s CROSS JOIN contacts f
    WHERE s.crm_id <> '' AND s.crm = 'salesforce' AND length(s.crm_id) = 18
      AND f.crm_id <> '' AND f.crm = 'salesforce' AND f.crm_id = substr(s.crm_id, 1, 15)
    UNION ALL
    SELECT contact_id, other_id FROM contact_links
)
SELECT a FROM pairs UNION SELECT b FROM pairs
"""


# Another account's active record of the same person, by email or hand link: a warm path
# (DOMAIN section 13). The address is compared as its index holds it (contacts_email_key), in any
# case and without surrounding spaces.
_WARM = """
SELECT x.name, a.name FROM contacts me
JOIN contacts x ON x.account_id <> me.account_id AND x.status = 'active' AND (
    (me.email <> '' AND x.email <> '' AND lower(trim(x.email)) = lower(trim(me.email)))
    OR x.id IN (SELECT other_id FROM contact_links WHERE contact_id = me.id
                UNION SELECT contact_id FROM contact_links WHERE other_id = me.id))
JOIN accounts a ON a.id = x.account_id
WHERE me.id = ? ORDER BY a.name, x.id LIMIT 1
"""


def warm_path(c: Connection, contact_id: int) -> tuple[str, str] | None:
    """(name, account) of the contact's person active at another account of ours, if any."""
    row = c.execute(_WARM, (contact_id,)).fetchone()
    return (row[0], row[1]) if row else None


def salesforce_forms(crm_id: str) -> list[str]:
    """A Salesforce id in both its forms: 15 characters and 18 (with the case checksum)."""
    short = crm_id[:15]
    if len(short) != 15:
        return [crm_id]
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
    suffix = "".join(
        letters[sum(1 << i for i, ch in enumerate(short[n : n + 5]) if "A" <= ch <= "Z")] for n in (0, 5, 10)
    )
    return [short, short + suffix]


class PeopleRepository(Repository):
    def _records(self, where: str, params: Sequence[object]) -> list[PersonRecord]:
        return [
            PersonRecord(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], day(r[8]),
                         frozenset((r[10] or "").split()), r[9])
            for r in self._query(f"{_RECORD} WHERE {where}", params)
        ]  # fmt: skip

    def records(self, ids: Iterable[int]) -> list[PersonRecord]:
        ids = sorted(set(ids))
        out: list[PersonRecord] = []
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            out += self._records(f"c.id IN ({','.join('?' * len(chunk))})", chunk)
        return out

    def find(self, text: str) -> list[PersonRecord]:
        """The records an email (any case) or a name (any case) names, before joining others."""
        if "@" in text:
            return self._records("c.email <> '' AND lower(trim(c.email)) = lower(trim(?))", (text,))
        return self._records("lower(c.name) = lower(?)", (text.strip(),))

    def same_person(self, seed: Sequence[PersonRecord]) -> tuple[list[PersonRecord], list[tuple[int, int]]]:
        """Every record joined to `seed` by email, CRM id or hand link, to the end of the chain,
        and the hand links among them."""
        found = {r.contact_id: r for r in seed}
        links: set[tuple[int, int]] = set()
        frontier = list(found.values())
        while frontier:
            emails = sorted({r.email for r in frontier if r.email.strip()})
            ids = [r.contact_id for r in frontier]
            new: set[int] = set()
            for email in emails:
                sql = "SELECT id FROM contacts WHERE email <> '' AND lower(trim(email)) = lower(trim(?))"
                new |= {r[0] for r in self._query(sql, (email,))}
            for r in frontier:
                if r.crm_id.strip():
                    forms = salesforce_forms(r.crm_id) if r.crm == "salesforce" else [r.crm_id]
                    marks = ",".join("?" * len(forms))
                    sql = f"SELECT id FROM contacts WHERE crm_id <> '' AND crm = ? AND crm_id IN ({marks})"
                    new |= {x[0] for x in self._query(sql, (r.crm, *forms))}
            marks = ",".join("?" * len(ids))
            for a, b in self._query(
                f"SELECT contact_id, other_id FROM contact_links WHERE contact_id IN ({marks}) OR other_id IN ({marks})",
                (*ids, *ids),
            ):
                links.add((a, b))
                new |= {a, b}
            frontier = self.records(new - set(found))
            found.update((r.contact_id, r) for r in frontier)
        return list(found.values()), sorted(links)

    def shared(self) -> tuple[list[PersonRecord], list[tuple[int, int]]]:
        """The records of everyone who may be on two accounts or more, and every hand link."""
        ids = [r[0] for r in self._query(_SHARED)]
        return self.records(ids), self.links()

    def account_facts(self, ids: Iterable[int]) -> dict[int, AccountFacts]:
        """Name, ARR and renewal of a few accounts: what a departure what-if across them needs."""
        ids = sorted(set(ids))
        out: dict[int, AccountFacts] = {}
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            sql = f"SELECT id, name, arr, renewal_date FROM accounts WHERE id IN ({','.join('?' * len(chunk))})"
            out.update((r[0], AccountFacts(r[1], r[2], day(r[3]))) for r in self._query(sql, chunk))
        return out

    def links(self) -> list[tuple[int, int]]:
        return [(a, b) for a, b in self._query("SELECT contact_id, other_id FROM contact_links")]

    def link(self, a: int, b: int) -> bool:
        """Say two records are the same person; False when they were linked already."""
        with self._transaction() as c:
            cur = c.execute(
                "INSERT INTO contact_links (contact_id, other_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                (min(a, b), max(a, b)),
            )
            return cur.rowcount > 0

    def unlink(self, a: int, b: int) -> bool:
        """Take a hand link back; False when there was none."""
        with self._transaction() as c:
            cur = c.execute("DELETE FROM contact_links WHERE contact_id = ? AND other_id = ?", (min(a, b), max(a, b)))
            return cur.rowcount > 0

    # -- influence lines ---------------------------------------------------------------------

    def influences(self, account_id: int | Sequence[int] | None = None) -> list[InfluenceLine]:
        """The lines of one account, of a few, or of every account, by id."""
        ids = [account_id] if isinstance(account_id, int) else list(account_id or ())
        sql = "SELECT id, account_id, from_id, to_id, sign, note FROM influences"
        if account_id is None:
            return [InfluenceLine(*r) for r in self._query(sql + " ORDER BY id")]
        out: list[InfluenceLine] = []
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            rows = self._query(sql + f" WHERE account_id IN ({','.join('?' * len(chunk))}) ORDER BY id", chunk)
            out += [InfluenceLine(*r) for r in rows]
        return out

    def save_influence(self, line: Influence) -> int:
        """The line from one contact to another, new or replacing the one between them; its id."""
        with self._transaction() as c:
            row = c.execute(
                "SELECT id FROM influences WHERE from_id = ? AND to_id = ?", (line.from_id, line.to_id)
            ).fetchone()
            values = (line.account_id, line.sign, line.note)
            if row:
                c.execute("UPDATE influences SET account_id = ?, sign = ?, note = ? WHERE id = ?", (*values, row[0]))
                return int(row[0])
            cur = c.execute(
                "INSERT INTO influences (account_id, sign, note, from_id, to_id) VALUES (?, ?, ?, ?, ?)",
                (*values, line.from_id, line.to_id),
            )
            return new_id(cur)

    def remove_influence(self, from_id: int, to_id: int) -> bool:
        with self._transaction() as c:
            return c.execute("DELETE FROM influences WHERE from_id = ? AND to_id = ?", (from_id, to_id)).rowcount > 0
