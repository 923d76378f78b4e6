"""Change signals and the touches read from calendars and mailboxes: both are written once per
piece of evidence (a unique key in the schema), so importing the same file again adds nothing."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date
from operator import itemgetter
from typing import TYPE_CHECKING

from stakeworks.db.bulk import BulkWriter
from stakeworks.db.evidence import InteractionRow
from stakeworks.db.repository import Repository
from stakeworks.domain.errors import InputError, Refusal
from stakeworks.domain.signals import SignalView

if TYPE_CHECKING:  # pydantic's models load when a record is read, not with the store (issue 20)
    from stakeworks.domain.models import Signal

_COLUMNS = (
    "id", "kind", "contact_id", "raised_on", "evidence", "evidence_key", "new_title", "new_level",
    "other_account_id", "status", "decided_on", "decided_by",
)  # fmt: skip


# moved_account: the person's own record at the account of ours the CRM now has them at, when
# the map has them there already (same email, or linked by hand): a warm path (DOMAIN section 13).
_THERE_ALREADY = (
    "(SELECT x.name FROM contacts x WHERE x.account_id = s.other_account_id AND x.status <> 'departed' "
    "AND ((c.email <> '' AND x.email <> '' AND lower(trim(x.email)) = lower(trim(c.email))) OR x.id IN "
    "(SELECT other_id FROM contact_links WHERE contact_id = c.id UNION SELECT contact_id FROM contact_links "
    "WHERE other_id = c.id)) ORDER BY x.id LIMIT 1)"
)


LOOKUP_BATCH = 500  # addresses per query (well under either backend's limit on parameters)

# A touch read from a calendar or a mailbox: (contact id, ISO day, kind, note, by, by executive id, source)
TouchRow = tuple[int, str, str, str, str, int | None, str]
_TOUCH_COLUMNS = ("contact_id", "date", "kind", "note", "by_name", "by_executive_id", "source")
_INTERACTION_COLUMNS = ("source", "address", "day", "direction", "kind", "name", "note", "ours")


# SQLite's page cache while an import writes its touches and interactions (16 MB otherwise): they
# go into the touches' five indexes and the interactions' three in no order, and a small cache
# sends those pages out and reads them back. 32 MB cut the writer's CPU for 100,000 messages by a
# sixth (4.1 -> 3.3 s) and a quarter of that mailbox fills it too, so peak memory stays flat with
# the file (100k vs 25k messages 1.13x); 64 MB would not be (1.17x, 25k messages fill 43 MB).
SOURCED_CACHE = -32768  # as PRAGMA cache_size reads it: negative, KiB


class SourcedWrites:
    """An import's touches and interactions, each once per piece of evidence (a row whose key is
    there already is left as it is: a re-import adds nothing), written by a `BulkWriter` on its
    thread while the caller reads the next messages, inside the caller's transaction.

    `drain` before any other statement on the connection (a lookup): the two threads never use
    it at once. The counts are what the store took, read after `drain`."""

    def __init__(self, writer: BulkWriter) -> None:
        self.writer = writer
        self.touches_handed = 0

    def write(self, touches: list[TouchRow], interactions: list[InteractionRow]) -> None:
        # Each contact's touches together, the latest first: the last-touch trigger then updates a
        # contact once per batch, not once per newer touch, and the indexes led by the contact are
        # written in order. Both sorts are stable: touches of one contact and day keep their order
        # (the last of them names the last touch's kind).
        touches = sorted(touches, key=itemgetter(1), reverse=True)
        touches.sort(key=itemgetter(0))
        self.touches_handed += len(touches)
        self.writer.write([("touches", _TOUCH_COLUMNS, touches), ("interactions", _INTERACTION_COLUMNS, interactions)])

    def drain(self) -> None:
        self.writer.drain()

    @property
    def touches_added(self) -> int:
        return self.writer.added["touches"]

    @property
    def interactions_added(self) -> int:
        return self.writer.added["interactions"]


class SignalRepository(Repository):
    def contacts_by_email(self, addresses: Iterable[str]) -> dict[str, list[tuple[int, int]]]:
        """These addresses (lower-case) -> [(contact id, account id)] of the contacts not departed
        who have them; an address no contact has is left out. Through the index on the lower-cased
        email, a batch at a time: an import asks for the addresses of its file, not the store's."""
        wanted = sorted(set(addresses))
        out: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for start in range(0, len(wanted), LOOKUP_BATCH):
            batch = wanted[start : start + LOOKUP_BATCH]
            for email, contact_id, account_id in self._query(
                "SELECT lower(trim(email)), id, account_id FROM contacts WHERE email <> '' AND status <> 'departed' "
                f"AND lower(trim(email)) IN ({', '.join('?' * len(batch))}) ORDER BY id",
                tuple(batch),
            ):
                out[email].append((contact_id, account_id))
        return dict(out)

    def save_upcoming(self, meetings: Iterable[tuple[int, date, str, str]]) -> None:
        """Meetings ahead, (contact id, day, title, source): one per contact and occurrence."""
        with self._transaction() as c:
            c.executemany(
                "INSERT INTO upcoming_meetings (contact_id, day, title, source) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (contact_id, source) DO UPDATE SET day = excluded.day, title = excluded.title",
                [(contact, day.isoformat(), title, source) for contact, day, title, source in meetings],
            )

    def next_meetings(self, account_id: int, today: date, limit: int = 3) -> list[tuple[date, str, list[str]]]:
        """The account's next meetings from today on: day, title, who of theirs is invited."""
        rows = self._query(
            "SELECT m.day, m.title, m.source, c.name FROM upcoming_meetings m JOIN contacts c ON c.id = m.contact_id "
            "WHERE c.account_id = ? AND m.day >= ? AND c.status <> 'departed' ORDER BY m.day, m.source, c.name",
            (account_id, today.isoformat()),
        )
        meetings: dict[tuple[str, str], tuple[str, list[str]]] = {}
        for day_, title, source, name in rows:
            meetings.setdefault((day_, source), (title, []))[1].append(name)
        out = [(date.fromisoformat(d), title, names) for (d, _), (title, names) in meetings.items()]
        return out[:limit]

    def raise_signals(self, signals: Iterable[Signal]) -> Counter[str]:
        """New signals; the same evidence for the same person and kind is never raised twice
        (a dismissed one stays dismissed). How many were raised, by kind (kinds with none left out)."""
        rows = [
            (s.kind, s.contact_id, s.raised_on.isoformat(), s.evidence, s.evidence_key, s.new_title,
             str(s.new_level) if s.new_level else None, s.other_account_id)
            for s in signals
        ]  # fmt: skip
        raised: Counter[str] = Counter()
        with self._transaction() as c:
            for row in rows:
                raised[row[0]] += c.execute(
                    "INSERT OR IGNORE INTO signals (kind, contact_id, raised_on, evidence, evidence_key, new_title, "
                    "new_level, other_account_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    row,
                ).rowcount
        return +raised  # unary plus drops the kinds whose evidence was all seen before

    def signals(self, status: str | None = "open", account_id: int | None = None) -> list[SignalView]:
        """Signals with their person and account, newest first."""
        from stakeworks.domain.models import STORED, Signal

        where: list[str] = ["1 = 1"]
        params: list[object] = []
        if status:
            where.append("s.status = ?")
            params.append(status)
        if account_id is not None:
            where.append("c.account_id = ?")
            params.append(account_id)
        rows = self._query(
            f"SELECT {', '.join('s.' + c for c in _COLUMNS)}, c.name, c.account_id, a.name, o.name, c.title, c.level, "
            f"{_THERE_ALREADY} "
            "FROM signals s JOIN contacts c ON c.id = s.contact_id JOIN accounts a ON a.id = c.account_id "
            f"LEFT JOIN accounts o ON o.id = s.other_account_id WHERE {' AND '.join(where)} "
            "ORDER BY s.raised_on DESC, s.id DESC",
            params,
        )
        out = []
        for r in rows:
            signal = Signal.model_validate(dict(zip(_COLUMNS, r[: len(_COLUMNS)], strict=True)), context=STORED)
            contact, account_id_, account, other, title, level, there = r[len(_COLUMNS) :]
            out.append(SignalView(signal, contact, account_id_, account, other, title, level, there))
        return out

    def open_count(self) -> int:
        """How many signals `signals("open")` lists, counted by SQLite (the home screen's line)."""
        return int(
            self._query(
                "SELECT count(*) FROM signals s JOIN contacts c ON c.id = s.contact_id WHERE s.status = 'open'"
            )[0][0]
        )

    def decide(self, signal_id: int, status: str, by: str, on: date) -> None:
        with self._transaction() as c:
            row = c.execute("SELECT status FROM signals WHERE id = ?", (signal_id,)).fetchone()
            if row is None:
                raise InputError(f"no signal {signal_id} (stakeworks signals lists them)")
            if row[0] != "open":
                raise Refusal(f"signal {signal_id} was already {row[0]}")
            c.execute(
                "UPDATE signals SET status = ?, decided_by = ?, decided_on = ? WHERE id = ?",
                (status, by, on.isoformat(), signal_id),
            )
