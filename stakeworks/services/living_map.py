"""A living map (CLI.md "A living map"): touches read from calendar exports and mailboxes,
and change signals (a bounce, ...) for the CSM to confirm or dismiss.

Matching is by email only, case-insensitively; an address that matches no contact is counted,
never stored. Touches carry where they came from, so importing the same file again adds
nothing; a signal is raised once per kind, person and evidence.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Container, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from stakeworks.domain.errors import InputError, Refusal
from stakeworks.domain.evidence import AddressBook, account_domains, is_ours
from stakeworks.domain.models import Contact, Signal
from stakeworks.domain.signals import SignalView
from stakeworks.services.accounts import depart
from stakeworks.services.ports import InteractionRow, SourcedWrites, StorePort, TouchRow

if TYPE_CHECKING:
    from stakeworks.interchange.mail import Mail

_DIRECTION = {"from": "from_them", "to": "to_them"}  # a message's header -> a customer's direction
STALE_BOUNCE_DAYS = 365  # a bounce this much older than the contact's last touch is history
BATCH = 2000  # messages or meetings written per batch: memory stays flat on a large mailbox
ADDRESSES_KEPT = 16_384  # addresses whose contacts or kind are remembered; past it, forgotten and asked again
T = TypeVar("T")


@dataclass
class ReadReport:
    """What an import of a calendar or a mailbox found and did."""

    kind: str  # "calendar" or "mail"
    items: int = 0  # meetings (occurrences) or messages read
    matched_items: int = 0  # of them, with at least one known contact
    touches_added: int = 0
    touches_known: int = 0  # already there from an earlier import
    contacts_touched: set[int] = field(default_factory=set)
    per_contact: Counter[int] = field(default_factory=Counter)  # touches found per contact (new or not)
    # Addresses matching no contact (customers are kept as interactions), as their hashes: counted,
    # not kept (a large mailbox names tens of thousands).
    unmatched_addresses: set[int] = field(default_factory=set)
    skipped: Counter[str] = field(default_factory=Counter)  # why items were left out
    bounces: int = 0
    signals_raised: int = 0
    interactions_added: int = 0  # customer addresses seen per message or meeting (DOMAIN section 11)
    upcoming: list[tuple[date, str, list[int]]] = field(default_factory=list)  # future meetings: day, title, contacts
    dry_run: bool = False

    def summary(self) -> dict[str, object]:
        return {
            "kind": self.kind, "read": self.items, "matched": self.matched_items, "touches_added": self.touches_added,
            "touches_already_there": self.touches_known, "contacts_touched": len(self.contacts_touched),
            "unmatched_addresses": len(self.unmatched_addresses), "skipped": dict(self.skipped),
            "bounces": self.bounces, "signals_raised": self.signals_raised, "dry_run": self.dry_run,
            "interactions_added": self.interactions_added,
        }  # fmt: skip

    def lines(self) -> list[str]:
        """What was read and done, in words (the CLI's text and the import screen's preview)."""
        what = "meetings" if self.kind == "calendar" else "messages"
        verb = "would add" if self.dry_run else "added"
        lines = [
            f"Read {self.items:,} {what}; {self.matched_items:,} with known contacts.",
            f"Touches: {verb} {self.touches_added:,} for {len(self.contacts_touched):,} contacts"
            + (f" ({self.touches_known:,} already there from an earlier import)" if self.touches_known else "")
            + ".",
            f"Addresses matching no contact: {len(self.unmatched_addresses):,}.",
            f"Customer addresses seen: {verb} {self.interactions_added:,} interactions (stakeworks seen lists "
            "the people not on the map).",
        ]
        if self.skipped:
            lines.append("Left out: " + ", ".join(f"{n:,} {why}" for why, n in sorted(self.skipped.items())) + ".")
        if self.kind == "mail":
            lines.append(f"Delivery-failure reports: {self.bounces:,}; signals raised: {self.signals_raised:,}.")
        return lines


class _Evidence:
    """What one import saw: each customer address per message or meeting, with its direction
    and our people on it (DOMAIN sections 11 and 12), taken in batches for the store."""

    def __init__(self, store: StorePort, known: Container[str]) -> None:
        settings = store.settings()
        self.store, self.settings = store, settings
        self.book = AddressBook(settings, known, account_domains(store.domain_sources()))
        self.rows: list[InteractionRow] = []
        self.ours: dict[str, str] = {}  # our people (address -> name) to save: new, or a name not saved yet
        self.ours_saved: dict[str, str] = {}  # our people's names as the store will have them
        # Address -> "ours", "customer" or "": once per address, not per message (a mailbox names
        # the same few thousand people a hundred thousand times). Stable: the contacts an address
        # may be are looked up before any message naming it is seen.
        self.who: dict[str, str] = {}

    def _who(self, address: str) -> str:
        found = self.who.get(address)
        if found is None:
            if len(self.who) >= ADDRESSES_KEPT:  # bounded: memory flat in the number of addresses
                self.who.clear()
            ours = is_ours(address, self.settings)
            found = self.who[address] = "ours" if ours else "customer" if self.book.is_customer(address) else ""
        return found

    def see(self, source: str, iso: str, kind: str, note: str, people: Iterable[tuple[str, str, str]]) -> str:
        """Record the customers on one item (on ISO day `iso`); who of ours was on it ("; "-joined addresses)."""
        seen = [(address, name, direction, self._who(address)) for address, name, direction in people]
        ours = sorted({a for a, _, _, who in seen if who == "ours"})
        for address, name, _, who in seen:
            if who == "ours":
                self._ours(address, name)
        by = "; ".join(ours)
        self.rows += [
            (source, address, iso, direction, kind, name, note, by)
            for address, name, direction, who in seen
            if who == "customer"
        ]
        return by

    def _ours(self, address: str, name: str) -> None:
        """One of ours seen: saved when new to this import or named anew (a blank name never
        replaces one), so that a mailbox full of our own mail asks the store only now and then."""
        saved = self.ours_saved.get(address)
        if saved is None or (name and name != saved):
            if len(self.ours_saved) >= ADDRESSES_KEPT:  # bounded: an address forgotten is saved again
                self.ours_saved.clear()
            self.ours[address] = self.ours_saved[address] = name or (saved or "")

    def take(self) -> list[InteractionRow]:
        """The interactions seen since the last call, for the store."""
        rows, self.rows = self.rows, []
        return rows

    def save_ours(self, before: Callable[[], None] = lambda: None) -> None:
        """Our people seen since the last call, saved (`before` is called first when there are)."""
        if self.ours:
            before()
            self.store.save_our_people(self.ours.items())
            self.ours.clear()


class _Contacts:
    """Contacts by address, looked up as the file names them (a batch of addresses per query, on
    the store's index), never every contact of the store: the import's fixed cost was reading
    all 200,000 addresses of a 10,000-account store first."""

    def __init__(self, store: StorePort) -> None:
        self.store = store
        self.known: dict[str, list[tuple[int, int]]] = {}  # address -> [(contact id, account id)]
        self.asked: set[str] = set()

    def learn(self, addresses: Iterable[str], before: Callable[[], None] = lambda: None) -> None:
        """These addresses' contacts in `known` (what was learnt before may be forgotten: bounded);
        `before` is called first when the store must be asked."""
        if len(self.asked) >= ADDRESSES_KEPT:
            self.asked.clear()
            self.known.clear()
        new = set(addresses) - self.asked
        if new:
            before()
            self.known.update(self.store.contacts_by_email(new))
            self.asked |= new


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


class _DryRun(Exception):
    """Raised at the end of a dry run: the transaction rolls back, nothing is written."""


def _match(emails: Iterable[str], known: dict[str, list[tuple[int, int]]], report: ReadReport) -> list[int]:
    contacts: list[int] = []
    for address in emails:
        found = known.get(address)
        if found:
            contacts += [c for c, _ in found if c not in contacts]
        else:
            report.unmatched_addresses.add(hash(address))
    return contacts


def _count(report: ReadReport, writes: SourcedWrites) -> None:
    """What the store took of the touches and interactions handed over (after `drain`)."""
    report.touches_added = writes.touches_added
    report.touches_known = writes.touches_handed - writes.touches_added
    report.interactions_added = writes.interactions_added


def _run(store: StorePort, report: ReadReport, body: Callable[[], None]) -> ReadReport:
    """`body` in one transaction: a failure writes nothing; a dry run rolls back at the end."""
    try:
        with store.transaction():
            body()
            if report.dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return report


def import_activity(
    store: StorePort, path: Path, kind: str, today: date, *, dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ReadReport:  # fmt: skip
    """A calendar export (`kind` "calendar") or a mailbox ("mail") read into touches."""
    if not path.exists():
        raise InputError(f"{path}: no such file or folder")
    if kind == "calendar":
        return import_calendar(store, path, today, dry_run=dry_run)
    return import_mail(store, path, today, dry_run=dry_run, progress=progress)


def contact_names(store: StorePort, ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    """Contact id -> (name, account name), for the people an import touched or invited."""
    wanted = set(ids)
    accounts = dict(store.account_names())
    return {
        c.id: (c.name, accounts.get(account_id, ""))
        for account_id, rows in store.contact_rows().items()
        for c in rows
        if c.id in wanted
    }


def import_calendar(store: StorePort, path: Path, today: date, *, dry_run: bool = False) -> ReadReport:
    """Each meeting up to today with known contacts becomes a touch for each of them on its day
    (`ebr`/`qbr` when the title says so, else `meeting`); later ones are listed as upcoming."""
    from stakeworks.interchange.calendar import read_meetings

    report = ReadReport("calendar", dry_run=dry_run)
    per_event = store.settings().calendar_occurrences_per_event
    past, future = read_meetings(path, today, skipped=report.skipped, per_event=per_event)
    lookup = _Contacts(store)
    lookup.learn(a for meeting in (*past, *future) for a in meeting.emails)
    known = lookup.known

    def body() -> None:
        seen = _Evidence(store, known)
        with store.sourced_writes() as writes:
            touches: list[TouchRow] = []
            for meeting in past:
                report.items += 1
                note, iso = meeting.summary[:200].rstrip(), meeting.day.isoformat()
                by = seen.see(meeting.source, iso, meeting.kind, note, ((a, n, "meeting") for a, n in meeting.names))
                contacts = _match(meeting.emails, known, report)
                if not contacts:
                    continue
                report.matched_items += 1
                report.contacts_touched.update(contacts)
                report.per_contact.update(contacts)
                touches += [(c, iso, meeting.kind, note, by, None, meeting.source) for c in contacts]
                if len(touches) >= BATCH or len(seen.rows) >= BATCH:
                    writes.write(touches, seen.take())
                    touches = []
            writes.write(touches, seen.take())
            writes.drain()
            _count(report, writes)
        seen.save_ours()
        ahead = []
        for meeting in future:
            contacts = sorted({c for a in meeting.emails for c, _ in known.get(a, [])})
            if contacts:
                report.upcoming.append((meeting.day, meeting.summary, contacts))
                ahead += [(c, meeting.day, meeting.summary[:200], meeting.source) for c in contacts]
        store.save_upcoming(ahead)  # "next meeting" on the account screen

    return _run(store, report, body)


def import_mail(
    store: StorePort, path: Path, today: date, *, dry_run: bool = False, progress: Callable[[int], None] | None = None
) -> ReadReport:
    """Each message from or to known contacts becomes an `email` touch for each of them on its
    date (headers only); a delivery-failure report for a contact's address raises `email_bounced`."""
    from stakeworks.interchange.mail import read_mail

    report = ReadReport("mail", dry_run=dry_run)
    path = Path(path)
    lookup = _Contacts(store)

    def body() -> None:
        reading = _MailReading(store, report, lookup, today, progress)
        with store.sourced_writes() as writes:
            for chunk in _chunks(read_mail(path, report.skipped), BATCH):  # read while the ones before are written
                # The store is asked only for what is new (addresses, our people), once the
                # writer is done with the connection; most batches need nothing: no wait.
                reading.seen.save_ours(before=writes.drain)
                lookup.learn((a for mail in chunk for a in (*mail.emails, *mail.failed)), before=writes.drain)
                touches = [t for mail in chunk for t in reading.message(mail)]
                writes.write(touches, reading.seen.take())
            writes.drain()
            _count(report, writes)
        reading.seen.save_ours()
        lookup.learn(address for _, address, _, _ in reading.bounced)
        signals = _bounce_signals(store, reading.bounced, lookup.known, today, report)
        report.signals_raised = store.raise_signals(signals).total()

    return _run(store, report, body)


class _MailReading:
    """One message at a time: its customers seen, its touches for known contacts, its failures."""

    def __init__(
        self, store: StorePort, report: ReadReport, lookup: _Contacts, today: date,
        progress: Callable[[int], None] | None,
    ) -> None:  # fmt: skip
        self.report, self.known, self.today, self.progress = report, lookup.known, today, progress
        self.seen = _Evidence(store, lookup.known)
        self.bounced: list[tuple[Mail, str, bool, str]] = []

    def message(self, mail: Mail) -> list[TouchRow]:
        """The touches one message makes (none for a failure report, an undated or a future one)."""
        report = self.report
        report.items += 1
        if self.progress is not None and report.items % 1000 == 0:
            self.progress(report.items)
        if mail.failed:
            report.bounces += 1
            self.bounced += [(mail, address, gone, said) for address, said, gone in mail.failures]
            return []
        if mail.day is None:
            report.skipped["no date"] += 1
            return []
        if mail.day > self.today:
            report.skipped["dated after today"] += 1
            return []
        iso, source = mail.day.isoformat(), mail.source
        by = self.seen.see(source, iso, "email", "", ((a, n, _DIRECTION[way]) for a, n, way in mail.people))
        contacts = _match(mail.emails, self.known, report)
        if not contacts:
            return []
        report.matched_items += 1
        report.contacts_touched.update(contacts)
        report.per_contact.update(contacts)
        return [(c, iso, "email", "", by, None, source) for c in contacts]


def _bounce_signals(
    store: StorePort, bounced: list[tuple[Mail, str, bool, str]], known: dict[str, list[tuple[int, int]]],
    today: date, report: ReadReport,
) -> list[Signal]:  # fmt: skip
    """`email_bounced` for contacts whose address the report says does not exist (5.1.x), unless
    it is more than a year older than their last touch: an old bounce (an archive imported
    today) proposes no departure today. Within the year a later touch may be our own mail to
    them, which is no sign they are there, so the CSM decides."""
    wanted = [(m, a, said, c, acc) for m, a, gone, said in bounced if gone for c, acc in known.get(a, [])]
    not_gone = sum(1 for _, a, gone, _ in bounced if not gone and a in known)
    if not_gone:
        report.skipped["bounces that do not say the address is gone"] += not_gone
    if not wanted:
        return []
    last = {
        c.id: c.last_touch for rows in store.contact_rows(sorted({acc for *_, acc in wanted})).values() for c in rows
    }
    signals = []
    for mail, address, said, contact_id, _ in wanted:
        touched = last.get(contact_id)
        if mail.day is not None and touched is not None and (touched - mail.day).days > STALE_BOUNCE_DAYS:
            report.skipped["bounces older than a later touch"] += 1
            continue
        evidence = (
            f"mail to {address} came back on {mail.day or 'an unknown day'} ({said}; "
            f"report {mail.message_id} from {mail.sender or 'the mail system'})"
        )
        signals.append(Signal(kind="email_bounced", contact_id=contact_id, raised_on=today, evidence=evidence,
                              evidence_key=address))  # fmt: skip
    return signals


# -- signals -------------------------------------------------------------------------------


def find_signal(store: StorePort, signal_id: int) -> SignalView:
    view = next((v for v in store.signals(None) if v.signal.id == signal_id), None)
    if view is None:
        raise InputError(f"no signal {signal_id} (stakeworks signals lists them)")
    if view.signal.status != "open":
        raise Refusal(f"signal {signal_id} was already {view.signal.status}")
    return view


def confirm(store: StorePort, signal_id: int, by: str, today: date, when: date | None = None) -> SignalView:
    """Apply the signal's suggestion: a departure goes through DOMAIN section 6 (the playbook
    for a champion or sponsor), a title change updates title and level. All or nothing."""
    view = find_signal(store, signal_id)
    s = view.signal
    with store.transaction():
        contact = store.contact(s.contact_id)
        if view.departs:
            if s.kind == "moved_account" and s.other_account_id is not None:
                # First, so that the playbook of the departure names them there (a warm path).
                _follow(store, contact, s.other_account_id, today)
                contact = store.contact(s.contact_id)
            depart(store, view.account_id, contact, when or today, today)
        else:
            update: dict[str, object] = {"title": s.new_title or contact.title}
            if s.new_level is not None:
                update["level"] = s.new_level
            store.save_contact(contact.model_copy(update=update), today=today)
        store.decide_signal(signal_id, "confirmed", by, today)
    return view


def _follow(store: StorePort, departed: Contact, account_id: int, today: date) -> None:
    """The person at the account of ours the CRM now has them at: a new contact there (their CRM
    identity goes with them), not yet rated, with none of the roles they held here, linked to
    this record as the same person (DOMAIN section 13); none when the map has them there already."""
    assert departed.id is not None
    records, _ = store.same_person(store.person_records_by_id([departed.id]))
    there_already = next((r for r in records if r.account_id == account_id and r.status != "departed"), None)
    if there_already is not None:
        if departed.crm_id and not there_already.crm_id:  # the CRM's person is the record there now
            store.save_contact(departed.model_copy(update={"crm": "", "crm_id": ""}), today=today)
            moved = store.contact(there_already.contact_id)
            store.save_contact(moved.model_copy(update={"crm": departed.crm, "crm_id": departed.crm_id}), today=today)
        return
    if departed.crm_id:  # the record id is the CRM's person: it now names the new one
        store.save_contact(departed.model_copy(update={"crm": "", "crm_id": ""}), today=today)
    there = store.save_contact(
        Contact(account_id=account_id, name=departed.name, title=departed.title, email=departed.email,
                department=departed.department, level=departed.level, level_inferred=departed.level_inferred,
                crm=departed.crm, crm_id=departed.crm_id,
                notes=f"Moved here from another account of ours (confirmed {today.isoformat()})."),
        today=today,
    )  # fmt: skip
    assert there.id is not None
    store.link_contacts(departed.id, there.id)


def dismiss(store: StorePort, signal_id: int, by: str, today: date) -> SignalView:
    """The signal was wrong: recorded, and the same evidence never raises it again."""
    view = find_signal(store, signal_id)
    store.decide_signal(signal_id, "dismissed", by, today)
    return view
