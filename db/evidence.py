"""What mail and calendar imports saw (DOMAIN sections 11 and 12): interactions per message or
meeting occurrence and customer address, our people's names, dismissed addresses, rejected
strength suggestions. Written once per piece of evidence (keys in the schema), so a re-import
adds nothing."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date

from stakeworks.db.repository import Repository
from stakeworks.domain.evidence import SEEN_MIN_DAYS, Activity, SeenCounts, StaleCutoffs
from stakeworks.domain.rows import ContactRow

# (source, address, day, direction, kind, display name, note, our people "; "-joined)
InteractionRow = tuple[str, str, str, str, str, str, str, str]
# A contact's address as interactions hold it; the schema indexes this expression (contacts_email_key).
# Joined as `= lower(i.address)` (the same value): compared with a bare TEXT column, SQLite would
# not use the expression's index and would scan every contact per interaction.
_CONTACT_KEY = "lower(trim(c.email))"


class EvidenceRepository(Repository):
    def domain_sources(self, account_id: int | None = None) -> list[tuple[int, str]]:
        """(account id, "@" and a contact's mail domain, or the account's website): what an account's
        domains are made of (every account's, or one's), each pair once. The domain as written:
        account_domains trims and lower-cases it, once per pair rather than once per contact here."""
        contacts, accounts, params = "", "", tuple[int, ...]()
        if account_id is not None:
            contacts, accounts, params = " AND account_id = ?", " AND id = ?", (account_id, account_id)
        return [
            (int(a), str(t))
            for a, t in self._query(
                "SELECT DISTINCT account_id, '@' || substr(email, instr(email, '@') + 1) FROM contacts "
                f"WHERE email LIKE '%@%'{contacts} UNION SELECT id, domain FROM accounts WHERE domain <> ''{accounts}",
                params,
            )
        ]

    def record(self, rows: Sequence[InteractionRow]) -> int:
        """Interactions, each once per source and address; how many were new."""
        with self._transaction() as c:  # the statements' row counts: an ignored row counts 0
            return int(c.executemany(
                "INSERT OR IGNORE INTO interactions (source, address, day, direction, kind, name, note, ours) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            ).rowcount)  # fmt: skip

    def save_our_people(self, people: Iterable[tuple[str, str]]) -> None:
        """Our people's (address, display name); a name seen once is kept, a blank never wins."""
        with self._transaction() as c:
            c.executemany(
                "INSERT INTO our_people (address, name) VALUES (?, ?) ON CONFLICT (address) DO UPDATE SET "
                "name = CASE WHEN excluded.name <> '' THEN excluded.name ELSE our_people.name END",
                list(people),
            )

    def our_people(self) -> dict[str, str]:
        return {str(a): str(n) for a, n in self._query("SELECT address, name FROM our_people")}

    def link(self, addresses: Iterable[str] | None = None) -> int:
        """Touches from the interactions of contacts' addresses (all of them, or these): an address
        seen before it became a contact's email brings its past. How many touches were new."""
        where, params = "", tuple[str, ...]()
        wanted = sorted(set(addresses)) if addresses is not None else None
        if wanted is not None:
            if not wanted:
                return 0
            where, params = f"AND i.address IN ({', '.join('?' * len(wanted))})", tuple(wanted)
        with self._transaction() as c:
            before = c.execute("SELECT count(*) FROM touches").fetchone()[0]
            c.execute(
                "INSERT OR IGNORE INTO touches (contact_id, date, kind, note, by_name, source) "
                "SELECT c.id, i.day, i.kind, i.note, i.ours, i.source FROM contacts c "
                "JOIN interactions i ON i.address = lower(trim(c.email)) "
                f"WHERE c.email <> '' AND c.status <> 'departed' {where}",
                params,
            )
            return int(c.execute("SELECT count(*) FROM touches").fetchone()[0] - before)

    def seen_counts(self, domains: Sequence[str] | None = None) -> list[SeenCounts]:
        """Per address that is no contact's and was not dismissed (at these mail domains, or any):
        what the imports saw."""
        counts: dict[str, SeenCounts] = {}
        where, params = "", tuple[str, ...]()
        if domains is not None:
            if not domains:
                return []
            where = f" AND substr(address, instr(address, '@') + 1) IN ({', '.join('?' * len(domains))})"
            params = tuple(domains)
        # Whether an address is a contact's is asked once per address, not once per interaction:
        # a mailbox holds many more interactions than addresses.
        unmapped = (
            "WITH seen (address, days) AS (SELECT address, count(DISTINCT day) FROM interactions "
            f"WHERE address NOT IN (SELECT address FROM seen_dismissed){where} GROUP BY address), "
            "unmapped (address, days) AS (SELECT address, days FROM seen s WHERE NOT EXISTS "
            f"(SELECT 1 FROM contacts c WHERE {_CONTACT_KEY} = lower(s.address) AND c.email <> '')) "
        )
        for address, day, direction, name in self._query(
            f"{unmapped}SELECT i.address, i.day, i.direction, i.name FROM unmapped u "
            "JOIN interactions i ON i.address = u.address",
            params,
        ):
            c = counts.get(address) or counts.setdefault(address, SeenCounts(address))
            c.days.add(date.fromisoformat(day))
            c.names[name] += 1
            if direction == "meeting":
                c.meetings += 1
            elif direction == "from_them":
                c.from_them += 1
            else:
                c.to_them += 1
        for address, contact_id, n in self._query(
            f"{unmapped}SELECT i.address, c.id, count(*) FROM unmapped u JOIN interactions i ON i.address = u.address "
            "JOIN interactions j ON j.source = i.source "
            f"JOIN contacts c ON {_CONTACT_KEY} = lower(j.address) AND c.email <> '' "
            "WHERE u.days >= ? GROUP BY i.address, c.id",
            (*params, SEEN_MIN_DAYS),
        ):
            counts[address].with_contacts[int(contact_id)] += int(n)
        return list(counts.values())

    def interactions_of(self, address: str) -> list[InteractionRow]:
        return [
            tuple(r)
            for r in self._query(
                "SELECT source, address, day, direction, kind, name, note, ours FROM interactions "
                "WHERE address = ? ORDER BY day, source",
                (address,),
            )
        ]

    def names(self, contact_ids: Iterable[int]) -> dict[int, tuple[str, int]]:
        """Contact id -> (name, account id), for the ids given."""
        wanted = sorted(set(contact_ids))
        out: dict[int, tuple[str, int]] = {}
        for i in range(0, len(wanted), 500):
            part = wanted[i : i + 500]
            for cid, name, account_id in self._query(
                f"SELECT id, name, account_id FROM contacts WHERE id IN ({', '.join('?' * len(part))})", tuple(part)
            ):
                out[int(cid)] = (str(name), int(account_id))
        return out

    def dismissed(self) -> set[str]:
        return {str(a) for (a,) in self._query("SELECT address FROM seen_dismissed")}

    def dismiss(self, address: str, on: date, by: str) -> None:
        with self._transaction() as c:
            c.execute(
                "INSERT INTO seen_dismissed (address, dismissed_on, dismissed_by) VALUES (?, ?, ?) "
                "ON CONFLICT (address) DO NOTHING",
                (address, on.isoformat(), by),
            )

    def activity(self, since: date, until: date) -> dict[int, Activity]:
        """Contact id -> meetings (touches), messages from and to them, between the two days."""
        span = (since.isoformat(), until.isoformat())
        meetings = {
            int(c): int(n)
            for c, n in self._query(
                "SELECT contact_id, count(*) FROM touches WHERE date BETWEEN ? AND ? "
                "AND kind IN ('meeting', 'qbr', 'ebr') GROUP BY contact_id",
                span,
            )
        }
        mail: dict[int, tuple[int, int, int]] = {}
        for contact_id, from_them, from_days, to_them in self._query(
            "SELECT c.id, sum(CASE WHEN i.direction = 'from_them' THEN 1 ELSE 0 END), "
            "count(DISTINCT CASE WHEN i.direction = 'from_them' THEN i.day END), "
            "sum(CASE WHEN i.direction = 'to_them' THEN 1 ELSE 0 END) "
            f"FROM interactions i JOIN contacts c ON {_CONTACT_KEY} = lower(i.address) AND c.email <> '' "
            "WHERE i.day BETWEEN ? AND ? AND i.direction <> 'meeting' AND c.status <> 'departed' GROUP BY c.id",
            span,
        ):
            mail[int(contact_id)] = (int(from_them), int(from_days), int(to_them))
        return {c: Activity(meetings.get(c, 0), *mail.get(c, (0, 0, 0))) for c in set(meetings) | set(mail)}

    def suggestion_rows(
        self, window: tuple[date, date], stale: StaleCutoffs, busy: Activity, timed_roles: Sequence[str],
        account_id: int | None = None,
    ) -> list[tuple[ContactRow, Activity]]:  # fmt: skip
        """The contacts a strength suggestion may be for, each with its activity in the window
        (counted by the database, not per contact here), section 11's rows as a first cut: rated
        >= 3 and last touched before their cutoff (or never); rated <= 2 or unrated with at least
        `busy`'s meetings or days with mail from them; rated >= 3 with at least `busy`'s mail to
        them and none from them. Departed ones left out. Of the roles, only those with a threshold
        of their own are read."""
        sql, params = _suggestion_query(window, stale, busy, timed_roles, account_id)
        days: dict[str, date] = {}
        held: dict[str, frozenset[str]] = {}
        none, idle = frozenset[str](), Activity()
        out = []
        taken: set[int] = set()
        for cid, account, name, level, strength, status, last, roles, *counts in self._query(sql, params):
            if cid in taken:  # passed on its own columns and on its mail
                continue
            taken.add(cid)
            day = (days.get(last) or days.setdefault(last, date.fromisoformat(last))) if last else None
            his = (held.get(roles) or held.setdefault(roles, frozenset(roles.split(",")))) if roles else none
            row = ContactRow(cid, account, name, "", level, strength, "", status, None, day, "", his)
            out.append((row, Activity(*counts) if any(counts) else idle))
        return out

    def evidence_counts(self, contact_id: int) -> tuple[int, int]:
        """(touches, interactions of their address) of one contact: what a rejection is keyed on."""
        rows = self._query(
            "SELECT (SELECT count(*) FROM touches WHERE contact_id = c.id), "
            "(SELECT count(*) FROM interactions WHERE address = lower(trim(c.email)) AND c.email <> '') "
            "FROM contacts c WHERE c.id = ?",
            (contact_id,),
        )
        return (int(rows[0][0]), int(rows[0][1])) if rows else (0, 0)

    def rejections(self) -> dict[tuple[int, str], str]:
        return {
            (int(c), str(k)): str(e)
            for c, k, e in self._query("SELECT contact_id, kind, evidence_key FROM suggestion_rejections")
        }

    def reject(self, contact_id: int, kind: str, key: str, on: date, by: str) -> None:
        with self._transaction() as c:
            c.execute(
                "INSERT INTO suggestion_rejections (contact_id, kind, evidence_key, rejected_on, rejected_by) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (contact_id, kind) DO UPDATE SET "
                "evidence_key = excluded.evidence_key, rejected_on = excluded.rejected_on, "
                "rejected_by = excluded.rejected_by",
                (contact_id, kind, key, on.isoformat(), by),
            )

    def accounts_mentioning(self, since: date, until: date, words: Sequence[str]) -> set[int]:
        """Accounts whose CSM is one of these words, or with a touch between the two days whose
        `by` mentions one (a first cut: the caller checks who exactly)."""
        words = [w.lower() for w in words]
        if not words:
            return set()
        like = " OR ".join("lower(t.by_name) LIKE ? ESCAPE '!'" for _ in words)
        rows = self._query(
            f"SELECT id FROM accounts WHERE lower(csm) IN ({', '.join('?' * len(words))}) UNION "
            "SELECT c.account_id FROM touches t JOIN contacts c ON c.id = t.contact_id "
            f"WHERE t.by_name <> '' AND t.date BETWEEN ? AND ? AND ({like})",
            (*words, since.isoformat(), until.isoformat(), *["%" + re.sub(r"([!%_])", r"!\1", w) + "%" for w in words]),
        )
        return {int(a) for (a,) in rows}

    def touches_by(
        self, since: date, until: date, account_ids: Sequence[int] | None = None
    ) -> list[tuple[int, int, date, str, str]]:
        """(account id, contact id, day, by, account's CSM) of touches between the two days (of
        these accounts, or all)."""
        where = ""
        params: list[object] = [since.isoformat(), until.isoformat()]
        if account_ids is not None:
            if not account_ids:
                return []
            where = f"AND c.account_id IN ({', '.join('?' * len(account_ids))})"
            params += account_ids
        return [
            (int(a), int(c), date.fromisoformat(d), str(b or ""), str(csm or ""))
            for a, c, d, b, csm in self._query(
                "SELECT c.account_id, t.contact_id, t.date, coalesce(e.name, t.by_name), a.csm FROM touches t "
                "JOIN contacts c ON c.id = t.contact_id JOIN accounts a ON a.id = c.account_id "
                "LEFT JOIN executives e ON e.id = t.by_executive_id "
                f"WHERE t.date BETWEEN ? AND ? {where}",
                tuple(params),
            )
        ]


def _suggestion_query(
    window: tuple[date, date], stale: StaleCutoffs, busy: Activity, timed_roles: Sequence[str], account_id: int | None
) -> tuple[str, tuple[object, ...]]:
    """`suggestion_rows`' one statement, in two parts so that neither asks a question per contact
    it does not need: the contacts whose own columns pass the first cut (stale, or weak with the
    meetings to warm), the scan of every contact; and the contacts with mail in the window that
    pass on their mail (warming, one way), from the mail aggregated once. A contact in both comes
    twice (the caller keeps one)."""
    since, until = window[0].isoformat(), window[1].isoformat()
    marks = ", ".join("?" * len(timed_roles))
    roles = "NULL"
    if timed_roles:
        roles = (
            f"(SELECT group_concat(r.role, ',') FROM contact_roles r WHERE r.contact_id = c.id AND r.role IN ({marks}))"
        )
    # Meetings counted per contact the statement keeps (its own touches in the window, by
    # touches_contact_date), not for every contact touched in the window.
    meetings = (
        "(SELECT count(*) FROM touches t WHERE t.contact_id = c.id "
        "AND t.date BETWEEN ? AND ? AND t.kind IN ('meeting', 'qbr', 'ebr'))"
    )
    # The level's cutoff looked up once per contact (a CASE), not tried level by level.
    cutoff = f"CASE c.level {'WHEN ? THEN ? ' * len(stale.by_level)}ELSE ? END" if stale.by_level else "?"
    timed = f" OR (c.last_touch < ? AND c.id IN (SELECT contact_id FROM contact_roles WHERE role IN ({marks})))"
    columns = (
        f"c.id, c.account_id, c.name, c.level, c.strength, c.status, c.last_touch, {roles}, {meetings}, "
        "coalesce(mail.from_them, 0), coalesce(mail.from_days, 0), coalesce(mail.to_them, 0)"
    )
    mine = " AND c.account_id = ?" if account_id is not None else ""
    sql = (
        "WITH mail (contact_id, from_them, from_days, to_them) AS (SELECT c.id, "
        "sum(CASE WHEN i.direction = 'from_them' THEN 1 ELSE 0 END), "
        "count(DISTINCT CASE WHEN i.direction = 'from_them' THEN i.day END), "
        "sum(CASE WHEN i.direction = 'to_them' THEN 1 ELSE 0 END) "
        f"FROM interactions i JOIN contacts c ON {_CONTACT_KEY} = lower(i.address) AND c.email <> '' "
        "WHERE i.day BETWEEN ? AND ? AND i.direction <> 'meeting' AND c.status <> 'departed' GROUP BY c.id) "
        f"SELECT {columns} FROM contacts c LEFT JOIN mail ON mail.contact_id = c.id "
        f"WHERE c.status <> 'departed'{mine} AND ("
        f"(c.strength >= 3 AND (c.last_touch IS NULL OR c.last_touch < {cutoff}"
        f"{timed if timed_roles else ''})) "
        f"OR ((c.strength IS NULL OR c.strength <= 2) AND {meetings} >= ?)) "
        f"UNION ALL SELECT {columns} FROM mail JOIN contacts c ON c.id = mail.contact_id WHERE ("
        "((c.strength IS NULL OR c.strength <= 2) AND mail.from_days >= ?) "
        f"OR (c.strength >= 3 AND mail.to_them >= ? AND mail.from_them = 0)){mine}"
    )
    window_params = (since, until)
    shown = (*timed_roles, *window_params)  # the columns' parameters: roles, then meetings
    params = (
        *window_params, *shown, *((account_id,) if account_id is not None else ()),
        *[v for level, cutoff in stale.by_level.items() for v in (level, cutoff.isoformat())],
        stale.otherwise.isoformat(), *((stale.shortest.isoformat(), *timed_roles) if timed_roles else ()),
        *window_params, busy.meetings,
        *shown, busy.from_them_days, busy.to_them, *((account_id,) if account_id is not None else ()),
    )  # fmt: skip
    return sql, params
