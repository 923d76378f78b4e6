"""The one door to the store: screens, services and the CLI ask this for models.

`Store` is a facade over one repository per record type (accounts.py,
contacts.py, touches.py, sponsorships.py, tasks.py, verdicts.py, meta.py),
all sharing one connection, its lock and its transaction, so writes through
different repositories compose into one atomic `transaction()`. The SQL lives
in those modules; nothing outside `db/` runs any (`services/ports.py` lists
what services may call).
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, suppress
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from stakeworks.db.accounts import AccountRepository
from stakeworks.db.bulk import BulkWriter
from stakeworks.db.connection import ServerConnection, Transactor, backup_to, connect, page_cache
from stakeworks.db.contacts import ContactRepository
from stakeworks.db.evidence import EvidenceRepository, InteractionRow
from stakeworks.db.history_log import HistoryRepository
from stakeworks.db.meta import MetaRepository
from stakeworks.db.people import PeopleRepository
from stakeworks.db.postgres import is_url
from stakeworks.db.signals import SOURCED_CACHE, SignalRepository, SourcedWrites
from stakeworks.db.sponsorships import SponsorRepository
from stakeworks.db.tasks import TaskRepository
from stakeworks.db.touches import TouchRepository
from stakeworks.db.undo import UndoToken, recording, restore
from stakeworks.db.verdicts import Cached, VerdictRepository
from stakeworks.domain.errors import StoreError
from stakeworks.domain.evidence import Activity, SeenCounts, StaleCutoffs
from stakeworks.domain.history import HistoryLine
from stakeworks.domain.identity import AccountDirectory, AccountIdentity
from stakeworks.domain.influence import InfluenceLine
from stakeworks.domain.people import AccountFacts, PersonRecord
from stakeworks.domain.program_report import ExecutiveTouch
from stakeworks.domain.rows import AccountRow, ContactRow, ProgramFacts
from stakeworks.domain.settings import Settings
from stakeworks.domain.signals import SignalView
from stakeworks.interchange.files import check_output

if TYPE_CHECKING:  # pydantic's models load when a record is read, not with the store (issue 20)
    from stakeworks.domain.models import (
        Account,
        Contact,
        Executive,
        Influence,
        PlanItem,
        PlaybookTask,
        Signal,
        SponsorAssignment,
        SponsorReview,
        StoredAccount,
        StoredContact,
        StoredExecutive,
        Touch,
    )

__all__ = ["AccountRow", "ContactRow", "Repositories", "Store"]


@dataclass(frozen=True, slots=True)
class Repositories:
    """The repositories behind the facade, for the store's own modules (importing,
    interchange) that write across tables in one transaction; everything outside
    `db/` calls `Store`'s methods."""

    tx: Transactor
    meta: MetaRepository
    accounts: AccountRepository
    contacts: ContactRepository
    touches: TouchRepository
    sponsors: SponsorRepository
    tasks: TaskRepository
    verdicts: VerdictRepository
    signals: SignalRepository
    history: HistoryRepository
    evidence: EvidenceRepository
    people: PeopleRepository

    @classmethod
    def on(cls, tx: Transactor) -> Repositories:
        return cls(
            tx, MetaRepository(tx), AccountRepository(tx), ContactRepository(tx), TouchRepository(tx),
            SponsorRepository(tx), TaskRepository(tx), VerdictRepository(tx), SignalRepository(tx), HistoryRepository(tx),
            EvidenceRepository(tx),
            PeopleRepository(tx),
        )  # fmt: skip


class Store:
    def __init__(self, path: Path | str, *, create: bool = True, make_parents: bool = True) -> None:
        """Open the store at `path`; `create`: a missing file becomes a new store (CLI.md: only
        `init`, imports and the app on its default path ask for that), `make_parents` with it."""
        if is_url(path):  # the team store (db/postgres.py): same repositories, same rules
            from stakeworks.db.postgres import connect_server, shown

            self.url: str | None = str(path)
            # For messages and for "never write an export over the store": no file is the store.
            self.path = Path(shown(str(path)))
            server: ServerConnection = connect_server(str(path), create=create)  # mypy checks PgConnection fits
            tx = Transactor(server, shown(str(path)))
            self._file: sqlite3.Connection | None = None
        else:
            self.url = None
            self.path = Path(path)
            self._file = connect(self.path, create=create, make_parents=make_parents)
            tx = Transactor(self._file, self.path)
        self.repos = Repositories.on(tx)
        # The raw connection, for tools and tests only (bulk generators, failure injection):
        # screens, services and the CLI never touch it.
        self.conn = tx.conn
        self.transaction = tx.transaction
        self._tx = tx

    def release_cache(self) -> None:
        """Let SQLite free its page cache (16 MB): after portfolio-wide scans it holds their last
        pages, of no use to the next read; it fills again as reads need it. A server keeps its own."""
        if self._file is not None:
            self._tx.query("PRAGMA shrink_memory")

    @property
    def session_id(self) -> int | None:
        """The server process serving this store's connection (its change notices carry it);
        None on a file."""
        server = self._tx.server
        return int(server.raw.info.backend_pid) if server is not None else None

    def acting_person(self) -> tuple[str, str] | None:
        """(name, role) of who logged in to a team store, as its team names them (db/team.py);
        None on a file, which is one person's."""
        member = getattr(self.conn, "member", None)
        return (member.name, member.role) if member is not None else None

    @property
    def location(self) -> str:
        """The file's path or the server's URL (without a password), for messages."""
        return str(self._tx.path)

    def reading_ahead(self, *reads: Callable[[], object]) -> AbstractContextManager[None]:
        return self._tx.read_ahead(reads)

    def plan_by_contents(self, tables: Iterable[str]) -> None:
        """After a bulk load on a server: its planner's statistics of `tables` (ANALYZE, as
        PostgreSQL asks after loading). Without them, until autovacuum comes by (never, for a
        database made from a loaded one as a template), one account's roles are read by
        scanning everyone's: 22 ms at 10k accounts instead of 0.1. A file needs none."""
        server, names = self._tx.server, list(tables)
        if server is None or not names:
            return
        # Tables the login does not own are skipped with a warning (autovacuum does them); a
        # server gone now leaves the load in place, and autovacuum to gather them later.
        with self._tx.lock, suppress(sqlite3.Error):
            server.execute(f"ANALYZE {', '.join(names)}")

    def reconnect(self) -> None:
        server = self._tx.server
        if server is None:
            return
        from stakeworks.db.postgres import PgConnection, reopen

        assert isinstance(server, PgConnection)
        fresh = reopen(server.url)  # outside the lock: the store stays usable while it waits
        with self._tx.lock:
            if server.alive():
                fresh.close()
            else:
                server.renew(fresh)

    def close(self) -> None:
        # Under the lock: closing while a worker thread is inside SQLite would crash the process.
        with self._tx.lock:
            self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def schema_version(self) -> int:
        """The schema the store is at (`PRAGMA user_version`)."""
        return int(self.repos.tx.query("PRAGMA user_version")[0][0])

    def backup(self, target: Path, *, exclusive: bool = True) -> None:
        """A consistent copy at `target`, owner-only, whole or not at all; never over an existing
        file (unless not `exclusive`) and never over the store itself or its -wal/-shm. (A team
        store's backup is a file store holding the same: db/copying.py backup_server.)"""
        if self._file is None:
            raise StoreError("a team store is backed up by copying it into a file (db/copying.py backup_server)")
        target = check_output(target, self.path)
        with self._tx.lock:
            backup_to(self._file, target, exclusive=exclusive)

    # -- meta and settings ---------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        return self.repos.meta.get(key)

    def set_meta(self, key: str, value: str) -> None:
        self.repos.meta.set(key, value)

    def settings(self) -> Settings:
        return self.repos.meta.settings()

    def change_setting(self, key: str, text: str | None) -> Settings:
        """One of the team's settings set from typed text, or reset (None); bad ones are refused."""
        return self.repos.meta.change_setting(key, text)

    # -- accounts --------------------------------------------------------------

    def accounts(self) -> list[StoredAccount]:
        return self.repos.accounts.all()

    def account(self, account_id: int) -> StoredAccount:
        return self.repos.accounts.get(account_id)

    def account_names(self, account_id: int | None = None) -> list[tuple[int, str]]:
        """(id, name) of every account by name, or of one account."""
        return self.repos.accounts.names(account_id)

    def account_identities(self, *, namesakes_only: bool = False) -> list[AccountIdentity]:
        """Every account's name and CRM identity, by name (or only accounts sharing a name with
        another): what telling same-named accounts apart needs."""
        return self.repos.accounts.identities(namesakes_only=namesakes_only)

    def account_directory(self) -> AccountDirectory:
        """Every account by CRM id, name and domain: how an imported row names its account."""
        return AccountDirectory.of(self.repos.accounts.identities())

    def save_account(self, account: Account) -> int:
        return self.repos.accounts.save(account)

    def account_version(self, account_id: int) -> int:
        """The account's optimistic-locking counter: bumped by every write of the row."""
        return self.repos.accounts.version(account_id)

    def create_account(self, account: Account) -> int:
        """A new account; a name already taken, in any case, is refused (InputError naming the field)."""
        return self.repos.accounts.create(account)

    def update_account(self, account: Account, version: int | None = None) -> None:
        """Every field of an existing account; with `version`, a change made since is refused (StaleEdit)."""
        self.repos.accounts.update(account, version)

    def delete_account(self, account_id: int) -> None:
        """The account and everything of it: contacts, touches, plans, tasks, sponsorships, history."""
        self.repos.accounts.delete(account_id)

    def account_impact(self, account_id: int) -> dict[str, int]:
        """What deleting the account takes with it, counted (for the question before it)."""
        return self.repos.accounts.impact(account_id)

    def program_facts(self) -> list[ProgramFacts]:
        """Every account's facts the sponsor program ranks by."""
        return self.repos.accounts.program_facts()

    def account_rows(self, account_id: int | Sequence[int] | None = None) -> list[AccountRow]:
        """Every account (or one, or these) as a light row for portfolio-wide work."""
        return self.repos.accounts.rows(account_id)

    # -- contacts and roles ----------------------------------------------------------

    def contacts(self, account_id: int) -> list[StoredContact]:
        return self.repos.contacts.of_account(account_id)

    def contact(self, contact_id: int) -> StoredContact:
        return self.repos.contacts.get(contact_id)

    def save_contact(self, contact: Contact, *, check_version: bool = True, today: date | None = None) -> StoredContact:
        """Insert or update one contact and its roles in one transaction; a stale edit is refused.
        A status change to or from `departed` has its playbook effects in it, dated `today`."""
        return self.repos.contacts.save(contact, check_version=check_version, today=today)

    def delete_contact(self, contact_id: int) -> None:
        self.repos.contacts.delete(contact_id)

    def contact_impact(self, contact_id: int) -> dict[str, int]:
        """What deleting the contact takes with it or changes, counted (for the question before it)."""
        return self.repos.contacts.impact(contact_id)

    def contact_rows(self, account_id: int | Sequence[int] | None = None) -> dict[int, list[ContactRow]]:
        """Every contact grouped by account, as light rows for the rules."""
        return self.repos.contacts.rows(account_id)

    def search_rows(self, account_id: int | None = None) -> list[tuple[int, int, str, str, str, str]]:
        """What search needs of every contact, or of one account's."""
        return self.repos.contacts.search_rows(account_id)

    def search_rows_after(self, after: int, size: int) -> list[tuple[int, int, str, str, str, str]]:
        """A page of every contact's `search_rows`: those with ids above `after`."""
        return self.repos.contacts.search_rows_after(after, size)

    def playbook_contact_names(self) -> dict[int, str]:
        """id -> name of every contact a playbook task is about."""
        return self.repos.contacts.playbook_names()

    # -- one person on several accounts, influence lines (DOMAIN sections 13, 14) -----------

    def person_records(self, email_or_name: str) -> list[PersonRecord]:
        """The contact records an email or a name (any case) names, before joining others."""
        return self.repos.people.find(email_or_name)

    def person_records_by_id(self, contact_ids: Iterable[int]) -> list[PersonRecord]:
        return self.repos.people.records(contact_ids)

    def same_person(self, seed: Sequence[PersonRecord]) -> tuple[list[PersonRecord], list[tuple[int, int]]]:
        """Every record joined to `seed` by email, CRM id or hand link, and the hand links among them."""
        return self.repos.people.same_person(seed)

    def shared_people(self) -> tuple[list[PersonRecord], list[tuple[int, int]]]:
        """The records of everyone who may be on two accounts or more, and every hand link."""
        return self.repos.people.shared()

    def account_facts(self, account_ids: Iterable[int]) -> dict[int, AccountFacts]:
        """Name, ARR and renewal date of a few accounts, by id."""
        return self.repos.people.account_facts(account_ids)

    def link_contacts(self, contact_id: int, other_id: int) -> bool:
        """Two contacts are the same person (said by hand); False when already linked."""
        return self.repos.people.link(contact_id, other_id)

    def unlink_contacts(self, contact_id: int, other_id: int) -> bool:
        return self.repos.people.unlink(contact_id, other_id)

    def influences(self, account_id: int | Sequence[int] | None = None) -> list[InfluenceLine]:
        """Influence lines of one account, of a few, or of all."""
        return self.repos.people.influences(account_id)

    def save_influence(self, line: Influence) -> int:
        """A new line, or the one between the same two contacts changed; its id."""
        return self.repos.people.save_influence(line)

    def remove_influence(self, from_id: int, to_id: int) -> bool:
        return self.repos.people.remove_influence(from_id, to_id)

    # -- touches ---------------------------------------------------------------------

    def add_touch(self, touch: Touch) -> int:
        return self.repos.touches.add(touch)

    def touches(self, contact_id: int, limit: int = 50) -> list[Touch]:
        return self.repos.touches.of_contact(contact_id, limit)

    def delete_touch(self, touch_id: int) -> None:
        self.repos.touches.delete(touch_id)

    # -- a living map: touches from calendars and mail, change signals ---------------------

    def contacts_by_email(self, addresses: Iterable[str]) -> dict[str, list[tuple[int, int]]]:
        """These addresses (lower-case) -> [(contact id, account id)] of the contacts not departed
        who have them."""
        return self.repos.signals.contacts_by_email(addresses)

    @contextmanager
    def sourced_writes(self) -> Iterator[SourcedWrites]:
        """An import's touches and interactions, written on a thread while the caller reads on;
        all in one transaction (joining the caller's)."""
        with self.transaction() as c, page_cache(c, SOURCED_CACHE), BulkWriter(c, keep_existing=True) as writer:
            yield SourcedWrites(writer)

    def save_upcoming(self, meetings: Iterable[tuple[int, date, str, str]]) -> None:
        """Meetings ahead from a calendar, (contact id, day, title, source)."""
        self.repos.signals.save_upcoming(meetings)

    def next_meetings(self, account_id: int, today: date, limit: int = 3) -> list[tuple[date, str, list[str]]]:
        """The account's next meetings (day, title, their people invited), soonest first."""
        return self.repos.signals.next_meetings(account_id, today, limit)

    def raise_signals(self, signals: Iterable[Signal]) -> Counter[str]:
        """New signals, each once per kind, person and evidence; how many were new, by kind."""
        return self.repos.signals.raise_signals(signals)

    def signals(self, status: str | None = "open", account_id: int | None = None) -> list[SignalView]:
        return self.repos.signals.signals(status, account_id)

    def open_signal_count(self) -> int:
        return self.repos.signals.open_count()

    def decide_signal(self, signal_id: int, status: str, by: str, on: date) -> None:
        self.repos.signals.decide(signal_id, status, by, on)

    # -- evidence from mail and calendar (DOMAIN sections 11 and 12) ----------------------------

    def domain_sources(self, account_id: int | None = None) -> list[tuple[int, str]]:
        """(account id, a contact's email or the account's website), for the accounts' (or one's) mail domains."""
        return self.repos.evidence.domain_sources(account_id)

    def record_interactions(self, rows: Sequence[InteractionRow]) -> int:
        """What an import saw of customer addresses, once per source and address; how many were new."""
        return self.repos.evidence.record(rows)

    def save_our_people(self, people: Iterable[tuple[str, str]]) -> None:
        self.repos.evidence.save_our_people(people)

    def our_people(self) -> dict[str, str]:
        """Our people's address -> display name, as mail and calendar showed them."""
        return self.repos.evidence.our_people()

    def link_interactions(self, addresses: Iterable[str] | None = None) -> int:
        """Touches from the past interactions of contacts' addresses; how many were new."""
        return self.repos.evidence.link(addresses)

    def seen_counts(self, domains: Sequence[str] | None = None) -> list[SeenCounts]:
        return self.repos.evidence.seen_counts(domains)

    def interactions_of(self, address: str) -> list[InteractionRow]:
        return self.repos.evidence.interactions_of(address)

    def contact_names_of(self, contact_ids: Iterable[int]) -> dict[int, tuple[str, int]]:
        """Contact id -> (name, account id) of these contacts (a light read)."""
        return self.repos.evidence.names(contact_ids)

    def dismissed_addresses(self) -> set[str]:
        return self.repos.evidence.dismissed()

    def dismiss_address(self, address: str, on: date, by: str) -> None:
        self.repos.evidence.dismiss(address, on, by)

    def activity(self, since: date, until: date) -> dict[int, Activity]:
        return self.repos.evidence.activity(since, until)

    def evidence_counts(self, contact_id: int) -> tuple[int, int]:
        return self.repos.evidence.evidence_counts(contact_id)

    def suggestion_rows(
        self, window: tuple[date, date], stale: StaleCutoffs, busy: Activity, timed_roles: Sequence[str],
        account_id: int | None = None,
    ) -> list[tuple[ContactRow, Activity]]:  # fmt: skip
        """Contacts a strength suggestion may be for (rated >= 3 and stale, or busy), with their activity."""
        return self.repos.evidence.suggestion_rows(window, stale, busy, timed_roles, account_id)

    def suggestion_rejections(self) -> dict[tuple[int, str], str]:
        return self.repos.evidence.rejections()

    def reject_suggestion(self, contact_id: int, kind: str, key: str, on: date, by: str) -> None:
        self.repos.evidence.reject(contact_id, kind, key, on, by)

    def touches_by(
        self, since: date, until: date, account_ids: Sequence[int] | None = None
    ) -> list[tuple[int, int, date, str, str]]:
        """(account id, contact id, day, who of ours, the account's CSM) of touches in the span."""
        return self.repos.evidence.touches_by(since, until, account_ids)

    def accounts_mentioning(self, since: date, until: date, words: Sequence[str]) -> set[int]:
        """Accounts whose CSM is one of these words or whose touches' `by` mention one, in the span."""
        return self.repos.evidence.accounts_mentioning(since, until, words)

    # -- executives and sponsorships -----------------------------------------------------

    def executives(self, include_retired: bool = False) -> list[StoredExecutive]:
        return self.repos.sponsors.executives(include_retired)

    def save_executive(self, ex: Executive, expected: Executive | None = None) -> int:
        """Insert or update; with `expected` (as the screen read it) a stale update is refused."""
        return self.repos.sponsors.save_executive(ex, expected)

    def retire_executive(self, expected: Executive) -> None:
        """Retire (active flag only, assignments ended), refused when changed since `expected` was read."""
        self.repos.sponsors.retire_executive(expected)

    def assignments(self, active_only: bool = True) -> list[SponsorAssignment]:
        return self.repos.sponsors.assignments(active_only)

    def assign(self, executive_id: int, account_id: int, start: date, at_start: tuple[int, str] | None = None) -> int:
        """A new assignment (the store's limit applies); `at_start`: the account's (score, risk) then."""
        return self.repos.sponsors.assign(executive_id, account_id, start, at_start)

    def executive_touches(self, since: date | None = None) -> list[ExecutiveTouch]:
        """Touches our executives took part in, oldest first (the sponsor duties)."""
        return self.repos.touches.by_executives(since)

    def propose_sponsor(self, review: SponsorReview) -> int:
        """A nomination or a suggested pair into the owner's review queue."""
        return self.repos.sponsors.propose(review)

    def sponsor_reviews(self, status: str | None = "pending") -> list[SponsorReview]:
        return self.repos.sponsors.reviews(status)

    def approve_sponsor(
        self, review_id: int, executive_id: int, by: str, on: date, at_start: tuple[int, str] | None = None
    ) -> int:
        """The assignment and the decision together (the store's limit applies); the assignment's id."""
        return self.repos.sponsors.approve(review_id, executive_id, by, on, at_start)

    def decline_sponsor(self, review_id: int, reason: str, by: str, on: date) -> None:
        self.repos.sponsors.decline(review_id, reason, by, on)

    def unassign(self, executive_id: int, account_id: int, end: date) -> bool:
        return self.repos.sponsors.unassign(executive_id, account_id, end)

    def sponsored_accounts(self, executive_id: int | None) -> list[tuple[int, str]]:
        """(id, name) of the accounts one executive actively sponsors, by name."""
        return self.repos.sponsors.sponsored_accounts(executive_id)

    def sponsor_names_by_account(self, account_id: int | Sequence[int] | None = None) -> dict[int, list[str]]:
        """Active sponsors' names by account: the whole portfolio, or one account, or these."""
        return self.repos.sponsors.sponsor_names_by_account(account_id)

    def link_executive_contact(self, executive_id: int, contact_id: int) -> None:
        self.repos.sponsors.link_contact(executive_id, contact_id)

    def executive_relationships(self) -> dict[tuple[int, int], list[str]]:
        """(executive id, account id) -> names of contacts the executive knows there."""
        return self.repos.sponsors.relationships()

    # -- playbook tasks and plan items ------------------------------------------------------

    def ensure_playbook(self, account_id: int, contact_id: int, departed_on: date) -> int:
        """The playbook of one departure, created once (or revived after an undo); rows changed."""
        return self.repos.tasks.ensure_playbook(account_id, contact_id, departed_on)

    def open_task_count(self, contact_id: int) -> int:
        return self.repos.tasks.open_task_count(contact_id)

    def playbook_tasks(self, account_id: int | None = None) -> list[PlaybookTask]:
        """Open first (by due date), then done, then cancelled."""
        return self.repos.tasks.playbook_tasks(account_id)

    def set_task_done(self, task_id: int, done: bool) -> None:
        """Tick or untick one task; a cancelled task, or "Document all knowledge", is refused."""
        self.repos.tasks.set_task_done(task_id, done)

    def plan_items(self, account_id: int) -> list[PlanItem]:
        return self.repos.tasks.plan_items(account_id)

    def save_plan_item(self, item: PlanItem, expected: PlanItem | None = None) -> int:
        """Insert or update; with `expected` (as the screen read it) a stale update is refused."""
        return self.repos.tasks.save_plan_item(item, expected)

    def interim_picks(self, account_id: int | None = None) -> list[tuple[int, int, int | None, str, str, str | None]]:
        """Open interim-contact picks, newest first (see TaskRepository.interim_picks)."""
        return self.repos.tasks.interim_picks(account_id)

    # -- undo ------------------------------------------------------------------------------------

    @contextmanager
    def undoable(self) -> Iterator[UndoToken]:
        """Run the block's writes as one transaction and return how to undo them (`undo`)."""
        with self.transaction() as c, recording(c) as token:
            yield token

    def undo(self, token: UndoToken) -> None:
        """Put back every row an `undoable` block wrote, in one transaction, or refuse (Refusal)."""
        with self.transaction() as c:
            restore(c, token)

    # -- verdict cache and score history ------------------------------------------------------

    def cached_verdicts(
        self, day: date, settings_key: str, account_id: int | Sequence[int] | None = None
    ) -> dict[int, Cached]:
        """account id -> (score, risk, bus factor, factor codes, contacts, active) still valid for `day`."""
        return self.repos.verdicts.cached(day, settings_key, account_id)

    def save_verdicts(
        self, day: date, settings_key: str, rows: Iterable[tuple[int, int, str, int, str, int, int, date]]
    ) -> None:
        """Verdicts computed on `day`, each with the last day it holds (domain/rules/validity.py)."""
        self.repos.verdicts.save(day, settings_key, rows)

    def carry_verdicts(self, day: date, settings_key: str, scores: Iterable[tuple[int, int, str]]) -> None:
        """Verdicts from an earlier day that still hold: `day`'s score recorded, marked served."""
        self.repos.verdicts.carry(day, settings_key, scores)

    def record_scores(self, day: date, scores: Iterable[tuple[int, int, str]]) -> None:
        """One row per account per day; a recomputation the same day replaces it."""
        self.repos.verdicts.record_scores(day, scores)

    def score_histories(
        self, since: date, until: date, account_id: int | Sequence[int] | None = None
    ) -> dict[int, list[tuple[date, int]]]:
        return self.repos.verdicts.score_histories(since, until, account_id)

    def history(self, account_id: int, since: date | None = None) -> list[HistoryLine]:
        """Who changed what on the account, oldest first (on or after `since`)."""
        return self.repos.history.lines(account_id, since)

    def last_change(self, record: str, record_id: int) -> tuple[str, str, list[str]] | None:
        """(when, who, fields) of the last change to a record, if the history has one."""
        return self.repos.history.last_change(record, record_id)

    def score_history(self, account_id: int) -> list[tuple[date, int, str]]:
        return self.repos.verdicts.score_history(account_id)
