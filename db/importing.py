"""Writing validated import plans: one transaction per file.

Every row gets an outcome (add, update with the fields that change, unchanged,
possible duplicate, rejected with its reason, skipped with its reason). Without
`skip_invalid` a rejected row anywhere rolls the whole file back and the error
lists every bad line; with it the good rows are written in one transaction and
the report names the rejected lines (the CLI writes them to `FILE.rejected.csv`).
A dry run is the same import rolled back at the end: its preview is exactly
what the import would do.

Identity follows DOMAIN section 10 (`stakeworks.domain.identity`): the CRM id,
else the email at the same account, else account and name with no
contradicting email; a name match with a different email is a possible
duplicate the user decides (`decisions`: line -> "same" or "new").
"""

from __future__ import annotations

import contextlib
import sqlite3
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from pathlib import Path
from typing import Any

from stakeworks.db.bulk import BulkWriter
from stakeworks.db.connection import Connection, on_server, page_cache
from stakeworks.db.contacts import link_new_interactions
from stakeworks.db.repository import id_filters
from stakeworks.db.store import Store
from stakeworks.domain.identity import (
    CRM_LABELS,
    AccountDirectory,
    AccountIdentity,
    ContactIndex,
    account_label,
    crm_key,
    name_key,
)
from stakeworks.domain.models import Account, Executive, Signal
from stakeworks.domain.text import shorten
from stakeworks.interchange.importer import ContactPlanRow, ContactsFile, ImportPlan, Problems, infer_level


@dataclass
class RowOutcome:
    """One line of the preview (CLI.md `import --dry-run --json`)."""

    line: int
    action: str  # add | update | unchanged | possible_duplicate | rejected | skipped
    name: str
    account: str = ""
    changes: dict[str, list[Any]] | None = None
    reason: str = ""
    candidate: dict[str, Any] | None = None
    signals: list[str] = field(default_factory=list)  # signals the row raised, in words

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"line": self.line, "action": self.action, "name": self.name}
        if self.account:
            out["account"] = self.account
        if self.changes is not None:
            out["changes"] = self.changes
        if self.reason:
            out["reason"] = self.reason
        if self.candidate is not None:
            out["candidate"] = self.candidate
        if self.signals:
            out["signals"] = self.signals
        return out


@dataclass
class ImportReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    touches: int = 0
    skipped: int = 0
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    rejected_reasons: dict[int, str] = field(default_factory=dict)
    """Line -> why it was left out (with skip_invalid), for FILE.rejected.csv."""
    outcomes: list[RowOutcome] | None = None
    problems: list[str] = field(default_factory=list)
    """Every problem as `line N, column C: reason`."""
    signals: Counter[str] = field(default_factory=Counter)
    """Change signals raised, by kind (CLI.md "A living map"); evidence already seen raises none."""

    @property
    def rejected(self) -> int:
        return len(self.rejected_reasons)

    def line(self) -> str:
        text = f"{self.added} added, {self.updated} updated, {self.unchanged} unchanged"
        if self.rejected:
            text += f", {self.rejected} rejected"
        if self.skipped:
            text += f", {self.skipped} skipped"
        return text

    def outcome(self, row: RowOutcome) -> None:
        if self.outcomes is not None:
            self.outcomes.append(row)


class _DryRun(Exception):
    """Raised at the end of a dry run so the transaction rolls back."""


class _Retry(Exception):
    """A late problem (reports-to) under skip_invalid: roll back, leave these lines out, import again."""

    def __init__(self, lines: dict[int, str]) -> None:
        super().__init__("retry")
        self.lines = lines


def _finish(report: ImportReport, problems: Problems, source: str, *, skip_invalid: bool, dry_run: bool) -> None:
    """The end of an import's transaction: refuse, roll back a dry run, or commit the good rows."""
    report.problems = list(problems.items)
    for line in problems.by_line:
        report.rejected_reasons.setdefault(line, problems.reason(line))
    if dry_run:
        raise _DryRun
    if problems.items and not skip_invalid:
        problems.raise_if_any(source)


def _run(body: Callable[[], None], *, dry_run: bool) -> None:
    with contextlib.suppress(_DryRun):  # the dry run's rollback
        body()


def _show(value: Any) -> Any:
    if isinstance(value, (set, frozenset)):
        return sorted(str(v) for v in value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "value"):
        return value.value
    return value


# -- accounts ----------------------------------------------------------------------------

_ACCOUNT_SHOWN = ("name", "arr", "currency", "company_revenue", "renewal_date", "tier", "industry", "region", "csm",
                  "domain", "strategic_value", "growth_potential", "kraljic", "last_ebr", "next_ebr", "notes",
                  "crm", "crm_id")  # fmt: skip


def apply_accounts(
    store: Store, plan: ImportPlan, *, skip_invalid: bool = False, dry_run: bool = False, preview: bool = False
) -> ImportReport:
    """Add or update accounts: the same record by CRM id, else by name (never one whose id in the
    same CRM differs: two accounts may share a name)."""
    report = ImportReport(warnings=list(plan.warnings), notes=list(plan.notes))
    if preview or dry_run:
        report.outcomes = []
    problems = Problems(list(plan.problems.items), {k: list(v) for k, v in plan.problems.by_line.items()})
    by_crm: dict[tuple[str, str], Account] = {}
    by_name: dict[str, list[Account]] = defaultdict(list)

    def body() -> None:
        with store.transaction() as c:
            # Read what the file is compared against under the write lock (see apply_contacts).
            for a in store.accounts():
                if a.crm_id:
                    by_crm[(a.crm, a.crm_id)] = a
                by_name[name_key(a.name)].append(a)
            for row in plan.rows:
                old = by_crm.get((row.crm, row.crm_id)) if row.crm_id else None
                if old is None:
                    named = [
                        a for a in by_name.get(name_key(row.name), [])
                        if not (row.crm_id and a.crm_id and a.crm == row.crm and a.crm_id != row.crm_id)
                    ]  # fmt: skip
                    if len(named) > 1:
                        choices = ", ".join(account_label(a.name, a.crm, a.crm_id) for a in named)
                        problems.add(
                            row.line,
                            "name",
                            f"{len(named)} stored accounts are named {row.name!r} ({choices}); the row needs its CRM id",
                        )
                        continue
                    old = named[0] if named else None
                values = dict(row.values)
                if row.crm_id and (old is None or not old.crm_id):
                    values["crm"], values["crm_id"] = row.crm, row.crm_id  # adopt the CRM's identity
                if old is None:
                    account = Account.model_validate(values)
                    new_id = store.repos.accounts.upsert(c, None, account.model_dump(exclude={"id"}, mode="json"))
                    account = account.model_copy(update={"id": new_id})
                    report.added += 1
                    report.outcome(RowOutcome(row.line, "add", account.name, changes={
                        f: [None, _show(v)] for f, v in values.items() if f in _ACCOUNT_SHOWN
                    }))  # fmt: skip
                else:
                    account = Account.model_validate({**old.model_dump(), **values})
                    changes = {
                        f: [_show(getattr(old, f)), _show(getattr(account, f))]
                        for f in _ACCOUNT_SHOWN if getattr(old, f) != getattr(account, f)
                    }  # fmt: skip
                    if not changes:
                        report.unchanged += 1
                        report.outcome(RowOutcome(row.line, "unchanged", account.name))
                        continue
                    store.repos.accounts.upsert(c, old.id, account.model_dump(exclude={"id"}, mode="json"))
                    report.updated += 1
                    report.outcome(RowOutcome(row.line, "update", account.name, changes=changes))
                    by_name[name_key(old.name)].remove(old)
                by_name[name_key(account.name)].append(account)
                if account.crm_id:
                    by_crm[(account.crm, account.crm_id)] = account
            _finish(report, problems, plan.source, skip_invalid=skip_invalid, dry_run=dry_run)

    _run(body, dry_run=dry_run)
    _rejected_outcomes(report, plan, lambda line: "")
    return report


def _rejected_outcomes(report: ImportReport, plan: ImportPlan, name_of: Callable[[int], str]) -> None:
    if report.outcomes is None:
        return
    for line, reason in report.rejected_reasons.items():
        report.outcomes.append(RowOutcome(line, "rejected", name_of(line), reason=reason))
    for line, name, reason in plan.skipped:
        report.outcomes.append(RowOutcome(line, "skipped", name, reason=reason))
    report.outcomes.sort(key=lambda o: o.line)


# -- executives ------------------------------------------------------------------------------


def apply_executives(
    store: Store, plan: ImportPlan, *, skip_invalid: bool = False, dry_run: bool = False, preview: bool = False
) -> ImportReport:
    report = ImportReport(warnings=list(plan.warnings), skipped=len(plan.skipped))
    if preview or dry_run:
        report.outcomes = []
    problems = Problems(list(plan.problems.items), {k: list(v) for k, v in plan.problems.by_line.items()})
    existing: dict[str, Executive] = {}

    def body() -> None:
        with store.transaction():
            existing.update((e.name.casefold(), e) for e in store.executives(include_retired=True))  # under the lock
            for line, ex in plan.rows:
                old = existing.get(ex.name.casefold())
                if old is None:
                    store.save_executive(ex)
                    report.added += 1
                    report.outcome(RowOutcome(line, "add", ex.name))
                    continue
                new = Executive.model_validate({**old.model_dump(), **ex.model_dump(exclude_unset=True)})
                if new == old:
                    report.unchanged += 1
                    report.outcome(RowOutcome(line, "unchanged", ex.name))
                else:
                    store.save_executive(new)
                    report.updated += 1
                    changes = {f: [_show(getattr(old, f)), _show(getattr(new, f))]
                               for f in Executive.model_fields if getattr(old, f) != getattr(new, f)}  # fmt: skip
                    report.outcome(RowOutcome(line, "update", ex.name, changes=changes))
            _finish(report, problems, plan.source, skip_invalid=skip_invalid, dry_run=dry_run)

    _run(body, dry_run=dry_run)
    _rejected_outcomes(report, plan, lambda line: "")
    return report


# -- roles (Salesforce AccountContactRole / OpportunityContactRole) ----------------------------


def apply_roles(
    store: Store, plan: ImportPlan, *, skip_invalid: bool = False, dry_run: bool = False, preview: bool = False
) -> ImportReport:
    """Add each row's role to the contact the store knows by that CRM id; IsPrimary marks the
    contact key to success. Roles are only ever added: a role file is a list of role records."""
    report = ImportReport(warnings=list(plan.warnings), skipped=len(plan.skipped))
    if preview or dry_run:
        report.outcomes = []
    problems = Problems(list(plan.problems.items), {k: list(v) for k, v in plan.problems.by_line.items()})
    column = {f: plan.headers[i] for i, f in plan.mapping.fields.items()}
    contacts: dict[tuple[str, str], list[Any]] = {}
    accounts: dict[int, Any] = {}

    def find(ref: str) -> list[Any] | None:
        got = contacts.get((plan.crm, ref))
        if got is None and plan.crm == "csv":
            got = next((v for (_, k), v in contacts.items() if k == ref), None)
        return got

    def body() -> None:
        with store.transaction() as c:
            contacts.update(store.repos.contacts.by_crm_id())  # under the write lock (see apply_contacts)
            accounts.update((a.id, a) for a in store.account_identities())
            for row in plan.rows:
                found = find(row.contact_ref)
                if found is None:
                    problems.add(
                        row.line,
                        column["contact_ref"],
                        f"no contact with CRM id {row.contact_ref!r}; import contacts first",
                    )
                    continue
                cid, account_id, name, key, roles = found
                account = accounts[account_id]
                if row.account_ref and account.crm_id and crm_key(account.crm, row.account_ref) != account.crm_id:
                    problems.add(row.line, column["account_ref"],
                                 f"{name} is a contact of {account.label}, not of account {row.account_ref!r}")  # fmt: skip
                    continue
                new_roles = row.roles - roles
                changes: dict[str, list[Any]] = {}
                if new_roles:
                    changes["roles"] = [sorted(roles), sorted(roles | {str(r) for r in new_roles})]
                    c.executemany(
                        "INSERT OR IGNORE INTO contact_roles (contact_id, role) VALUES (?, ?)",
                        [(cid, str(r)) for r in sorted(new_roles)],
                    )
                    roles |= {str(r) for r in new_roles}
                if row.primary and not key:
                    changes["key_to_success"] = [False, True]
                    found[3] = True
                    c.execute("UPDATE contacts SET key_to_success = 1 WHERE id = ?", (cid,))
                if changes:
                    c.execute("UPDATE contacts SET version = version + 1 WHERE id = ?", (cid,))
                    report.updated += 1
                    report.outcome(RowOutcome(row.line, "update", name, account.name, changes=changes))
                else:
                    report.unchanged += 1
                    report.outcome(RowOutcome(row.line, "unchanged", name, account.name))
            _finish(report, problems, plan.source, skip_invalid=skip_invalid, dry_run=dry_run)

    _run(body, dry_run=dry_run)
    _rejected_outcomes(report, plan, lambda line: "")
    return report


# -- contacts (streamed) ---------------------------------------------------------------------------

_CONTACT_COLUMNS = (
    "id", "account_id", "name", "title", "email", "department", "level", "level_inferred", "strength", "sentiment",
    "last_touch", "last_touch_kind",
)  # fmt: skip
# Written only when the file has a column for them (else every row holds the model's default, which is
# the store's too): a CRM export seldom has them, and each one left out is 200,000 values fewer to
# encode and for SQLite to read back. departed_on is never read from a file: always the default.
_OPTIONAL = {"status": {"status"}, "key_to_success": {"key_to_success"},
             "engagement_strategy": {"engagement_strategy"}, "notes": {"notes", "owner_note"},
             "crm": {"crm_id"}, "crm_id": {"crm_id"}}  # fmt: skip
_ROLE_COLUMNS = ("contact_id", "role")
_TOUCH_COLUMNS = ("contact_id", "date", "kind", "note")
_BATCH = 5000
# The page cache while a contacts import writes (the connection keeps 16 MB otherwise): new people
# go into four indexes in no order (names, addresses), and at 1,000,000 contacts a small cache sends
# their pages out and reads them back; 64 MB cut the writer's CPU by a fifth (60 -> 48 s for the
# contacts) for 56 MB more peak memory (163 -> 219 MB, the target is 300).
_IMPORT_CACHE = -65536  # as PRAGMA cache_size reads it: negative, KiB; positive, pages
# Indexes a file store builds after an import's rows, not row by row, when the rows arriving
# outnumber those the table holds: a sort once is cheaper than 200,000 inserts in no order (the
# writer's CPU 4.5 -> 3.2 s at 10k, 0.5 s to build them after). Non-unique, and none of them read
# while the import runs (it finds people through contacts_account and contacts_crm_id, its
# touches' days through touches_contact_date); dropped and made again inside the import's one
# transaction, so a reader sees them as they were until it commits, and a rollback restores them.
# Not those a new row adds to in order, or not at all: touches_by_name (an imported touch has no
# executive's name), contacts_reports_to (NULL and the next id: the end of the index) unless the
# file links people (then every link is an update in no order). Rebuilt, each is a scan of the
# whole table: at 1,000,000 contacts the two cost ~0.5 s, kept they cost the writer next to nothing.
_BUILT_AFTER = {
    "contacts": ("contacts_email_key", "contacts_name_lower"),
    "touches": ("touches_date",),
}
_BUILT_AFTER_WITH_LINKS = {**_BUILT_AFTER, "contacts": (*_BUILT_AFTER["contacts"], "contacts_reports_to")}


def _optional_fields(read: set[str]) -> tuple[str, ...]:
    """`_OPTIONAL`'s fields a file with these fields (and fallbacks) supplies, in column order."""
    return tuple(f for f, sources in _OPTIONAL.items() if sources & read)


def _new_contact_row(contact_id: int, account_id: int, row: ContactPlanRow, optional: tuple[str, ...]) -> tuple:
    # last_touch is written with the contact, so the touch inserted after it finds
    # nothing to update (the trigger's WHEN is false): no per-row UPDATE on import.
    c = row.contact
    day = row.last_touch.isoformat() if row.last_touch else None
    # StrEnum fields go to SQLite as the strings they are (no .value lookups on 200,000 rows).
    values = (
        contact_id, account_id, c.name, c.title, c.email, c.department, c.level, int(c.level_inferred),
        c.strength, c.sentiment, day, row.last_touch_kind if day else None,
    )  # fmt: skip
    if not optional:
        return values
    return values + tuple(int(v) if isinstance(v, bool) else v for v in (getattr(c, f) for f in optional))


# What a re-import compares, per stored contact: (account_id, *_COMPARED, roles). Plain
# tuples, not pydantic models: 200,000 of those would cost ~1 GB and seconds to build.
_COMPARED = ("name", "title", "email", "department", "level", "level_inferred", "strength", "sentiment", "status",
             "key_to_success", "engagement_strategy", "notes", "crm", "crm_id")  # fmt: skip
_COLUMN = {f: i + 1 for i, f in enumerate(_COMPARED)} | {"roles": len(_COMPARED) + 1}
_NAME, _EMAIL, _CRM, _CRM_ID = _COLUMN["name"], _COLUMN["email"], _COLUMN["crm"], _COLUMN["crm_id"]


def _stored_contacts(store: Store, contact_id: int) -> dict[int, tuple]:
    """One contact's compared fields, by id."""
    return store.repos.contacts.compared(_COMPARED, contact_id)


class _Lines:
    """The line of the file that matched or added each contact, by contact id (0: none yet).

    One machine word per id up to the newest, ids being dense (every store assigns the next
    one): a re-import of 1,000,000 people matches them all, and a dict of that many ints
    would cost ~100 MB."""

    def __init__(self, first_new: int, rows: int = 0) -> None:
        self.lines = array("q", [0]) * (first_new + rows)  # room for every row of the file to add someone

    def of(self, contact_id: int) -> int:
        return self.lines[contact_id] if 0 <= contact_id < len(self.lines) else 0

    def set(self, contact_id: int, line: int) -> None:
        if contact_id >= len(self.lines):  # a new person: the next id
            self.lines.extend(array("q", bytes(8 * (contact_id - len(self.lines) + 1))))
        self.lines[contact_id] = line


def _batches(rows: Iterator[ContactPlanRow], size: int) -> Iterator[list[ContactPlanRow]]:
    while batch := list(islice(rows, size)):
        yield batch


def apply_contacts(
    store: Store,
    plan: ContactsFile,
    progress: Callable[[int, int], None] | None = None,
    *,
    skip_invalid: bool = False,
    dry_run: bool = False,
    preview: bool = False,
    decisions: Mapping[int, str] | None = None,
    today: date | None = None,
    full: bool = False,
) -> ImportReport:
    """Add or update contacts in one transaction.

    Change signals are raised, never applied behind the CSM's back: a stored person the
    CRM now has at another account stays where they are with `moved_account`; a new title
    is taken and raises `title_changed` (with the level it implies); the CRM's bounce
    fields raise `email_bounced`; with `full` (the file is the CRM's whole list for the
    accounts it names), a stored person of theirs with a CRM id the file lacks raises
    `missing_from_crm`.

    The file is validated while it is written: rows go to SQLite in batches as
    they are checked, and if any row was bad the transaction rolls back and the
    error names every bad row, so memory stays flat however big the file. New
    people are written in bulk; only updates go row by row. Reports-to is
    resolved, in the same account, by the CRM's own contact id (Salesforce
    `ReportsToId` against `Id`), then email, then name. With `skip_invalid`, a
    row whose reports-to cannot be resolved is left out too: the import runs
    again without it (rare, and nothing of the first run is kept).
    """
    options = _ContactsOptions(skip_invalid, dry_run, preview, decisions or {}, today or date.today(), full)
    left_out: dict[int, str] = {}
    while True:
        try:
            return _ContactsRun(store, plan, progress, options, left_out).run()
        except _Retry as again:
            left_out.update(again.lines)


@dataclass(frozen=True)
class _ContactsOptions:
    skip_invalid: bool
    dry_run: bool
    preview: bool
    decisions: Mapping[int, str]
    today: date
    full: bool


class _ContactsRun:
    """One pass over a contacts file (a retry under skip_invalid is a new one): the state its named
    steps share. Per row: match it to a stored person, plan the row (add or update, with the
    signals it raises), hand new people to the batch writer; at the end, write the last batch,
    raise the signals, link reports-to and report every line's outcome."""

    def __init__(
        self,
        store: Store,
        plan: ContactsFile,
        progress: Callable[[int, int], None] | None,
        options: _ContactsOptions,
        left_out: dict[int, str],
    ) -> None:
        self.store, self.plan, self.progress, self.options, self.left_out = store, plan, progress, options, left_out
        self.problems = Problems()
        self.report = ImportReport(warnings=list(plan.warnings))
        if options.preview or options.dry_run:
            self.report.outcomes = []
        self.with_outcomes = self.report.outcomes is not None
        self.optional = _optional_fields(set(plan.mapping.fields.values()) | set(plan.mapping.fallbacks))
        # a dry run shows every row's outcome, as with --skip-invalid
        self.lenient = options.skip_invalid or options.dry_run
        self.directory: AccountDirectory = plan.accounts
        # Only the people the batch in hand can match (its accounts' and its CRM ids'), never the
        # whole store: memory stays flat however many contacts the store and the file hold.
        self.existing: dict[int, tuple] = {}  # their compared fields, by id
        self.index = ContactIndex()  # and their identities, with the people the batch adds
        self.lines = _Lines(0)
        # Only what reports-to needs once every row is in: (line, column, reference, account, contact, account id).
        self.reports: list[tuple[int, str, str, str, int, int]] = []
        # And influence lines (DOMAIN section 14): (line, column, reference, sign, account, contact, account id).
        self.influenced: list[tuple[int, str, str, str, str, int, int]] = []
        self.pending: list[tuple] = []
        self.pending_roles: list[tuple[int, str]] = []
        self.touches: list[tuple[int, str, str, str]] = []
        # Stored people's last touches from the file: written unless the store has that day already,
        # which is read once per batch (`_unseen`), not once per row.
        self.stored_touches: list[tuple[int, str, str, str]] = []
        self.names: dict[int, str] = {}
        self.raised: list[Signal] = []
        self.accounts_named: set[int] = set()  # --full: the accounts whose whole list the file is
        self.done = 0
        self.reported = 0  # rows reported to `progress`: those handed to the writer
        self.built_after: list[str] = []  # the indexes `_drop_built_after` dropped, as made
        self.next_id = 0
        self.crm = plan.crm
        self.source = Path(plan.source).name
        self.crm_words = "the CRM" if self.crm == "csv" else CRM_LABELS.get(self.crm, self.crm)

    def run(self) -> ImportReport:
        _run(self._write, dry_run=self.options.dry_run)
        self._final_outcomes()
        if self.progress:
            self.progress(self.plan.records, self.plan.records)
        return self.report

    def account_name(self, account_id: int) -> str:
        a = self.directory.by_id.get(account_id)
        return a.name if a else ""

    def shown_account(self, account: AccountIdentity) -> str:
        """The account as the preview names it: with its CRM id when another account has its name."""
        return account.label if len(self.directory.named(account.name)) > 1 else account.name

    def _write(self) -> None:
        with self.store.transaction() as c, page_cache(c, _IMPORT_CACHE), BulkWriter(c) as writer:
            self.c, self.writer = c, writer
            self._read_stored()
            self._drop_built_after()
            for batch in _batches(self.plan.validated(self.problems), _BATCH):
                refs = {row.contact.crm_id for row in batch if row.contact.crm_id}
                self._read_near({row.account.id for row in batch}, refs)
                self._hand_over()  # the batch before: written while this one is matched and the next validated
                for row in batch:
                    self._import_row(row)
            self._hand_over()
            writer.drain()
            link_new_interactions(c, self.first_new)  # new addresses bring what mail and calendar saw before
            if self.problems.items and not self.lenient:
                self.problems.raise_if_any(self.plan.source)  # a bad row anywhere: roll back everything written above
            self._raise_signals()
            self._link_reports_to()
            self._build_after()
            _finish(self.report, self.problems, self.plan.source, skip_invalid=self.options.skip_invalid,
                    dry_run=self.options.dry_run)  # fmt: skip

    def _drop_built_after(self) -> None:
        """Drop `_BUILT_AFTER`'s indexes of the tables this file outgrows; `_build_after` makes them again."""
        if on_server(self.c):
            return
        links = "reports_to" in self.plan.mapping.fields.values()
        for table, names in (_BUILT_AFTER_WITH_LINKS if links else _BUILT_AFTER).items():
            held = self.c.execute(f"SELECT coalesce(max(rowid), 0) FROM {table}").fetchone()[0]  # ids are dense
            if self.plan.records <= held:
                continue
            marks = ", ".join("?" * len(names))
            for name, sql in self.c.execute(
                f"SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND name IN ({marks})", names
            ).fetchall():
                self.c.execute(f"DROP INDEX {name}")
                self.built_after.append(sql)

    def _build_after(self) -> None:
        """The dropped indexes again, over every row written, before the transaction ends."""
        self.writer.drain()
        for sql in self.built_after:
            self.c.execute(sql)

    def _read_stored(self) -> None:
        # Read what the file is compared against only now, holding the write lock: read before it, a
        # second import of the same file running at the same time would add everyone again.
        self.directory = self.plan.accounts = self.store.account_directory()
        self.next_id = (self.c.execute("SELECT coalesce(max(id), 0) FROM contacts").fetchone()[0] or 0) + 1
        self.first_new = self.next_id
        self.lines = _Lines(self.first_new, self.plan.records)

    def _read_near(self, accounts: set[int], crm_ids: set[str]) -> None:
        """The people (stored, or added by earlier batches of this file) that rows of these accounts
        and CRM ids can match, or reports-to and influence references can name: those written, and
        those of the batch before still to hand to the writer (`pending`), from the index as it was."""
        self.writer.drain()
        self.existing = self.store.repos.contacts.compared_near(_COMPARED, accounts, self.crm, crm_ids)
        before, self.index = self.index, ContactIndex()
        self.index.first_new = self.first_new
        for cid, r in self.existing.items():
            self.index.add(cid, r[0], r[_NAME], r[_EMAIL], r[_CRM], r[_CRM_ID], known=False)
        for cid in (row[0] for row in self.pending):
            account_id, key, email, crm, crm_id = before.facts[cid]
            if account_id in accounts or (crm_id and crm == self.crm and crm_id in crm_ids):
                self.index.add(cid, account_id, "", email, crm, crm_id, key=key, known=False)

    def _hand_over(self) -> None:
        """The rows planned so far to the writer; progress once it has them."""
        self._flush()
        if self.progress and self.done > self.reported:  # tests/unit/test_reliability.py kills here
            self.reported = self.done
            self.progress(self.done, self.plan.records)

    def _flush(self) -> None:
        """Hand the new people of this batch to the writer; the next batch is checked meanwhile.
        Any other statement here waits for `writer.drain()`: one thread at a time on `c`."""
        if self.stored_touches:
            self.writer.drain()
            self.touches += _unseen(self.c, self.stored_touches)
            self.stored_touches.clear()
        self.writer.write([
            ("contacts", (*_CONTACT_COLUMNS, *self.optional), self.pending[:]),
            ("contact_roles", _ROLE_COLUMNS, self.pending_roles[:]),
            ("touches", _TOUCH_COLUMNS, self.touches[:]),
        ])  # fmt: skip
        self.report.touches += len(self.touches)
        self.pending.clear()
        self.pending_roles.clear()
        self.touches.clear()

    def _import_row(self, row: ContactPlanRow) -> None:
        line = row.line
        if self.with_outcomes:
            self.names[line] = row.contact.name
        if line in self.left_out:
            self.problems.add_line(line, self.left_out[line])
            return
        account_id = row.account.id
        self.accounts_named.add(account_id)
        key = name_key(row.contact.name)
        matched = self._match(row, key)
        if matched is None:
            return
        how, contact_id = matched
        is_new = contact_id is None
        if contact_id is None:
            contact_id = self._plan_new(row, key)
        else:
            account_id = self._plan_update(row, how, contact_id)
        self.lines.set(contact_id, line)
        self._after_row(row, contact_id, account_id, is_new=is_new)
        self.done += 1

    def _match(self, row: ContactPlanRow, key: str) -> tuple[str, int | None] | None:
        """How the row matches a stored person ("" and None: a new one), or None when the row is
        a question for the user (a possible duplicate) or lists someone a second time."""
        line, contact = row.line, row.contact
        match = self.index.match(row.account.id, contact.name, contact.email, contact.crm, contact.crm_id, key)
        how, contact_id = match.how, match.id
        if how == "possible":
            decision = self.options.decisions.get(line)
            if decision == "new":
                how, contact_id = "", None
            elif decision == "same":
                how = "name"
            else:
                self._possible_duplicate(row, match.id or 0)  # possible duplicates are stored people only
                return None
        if contact_id is not None and (self.lines.of(contact_id) or self.index.is_new(contact_id)):
            field_, by = {"crm": ("crm_id", "CRM id"), "email": ("email", "email at the same account"),
                          "name": ("name", "name at the same account")}[how]  # fmt: skip
            self.problems.add(line, self.plan.column(field_),
                              f"the same person as line {self.lines.of(contact_id)} (same {by}); a file lists a person once")  # fmt: skip
            return None
        return how, contact_id

    def _possible_duplicate(self, row: ContactPlanRow, candidate_id: int) -> None:
        line = row.line
        stored_one = self.existing[candidate_id]
        theirs = (stored_one[_NAME], stored_one[_EMAIL])
        reason = (f"possible duplicate of {theirs[0]} <{theirs[1]}> at {row.account.name}: same name, "
                  f"different email; decide with --same {line} or --new {line}")  # fmt: skip
        self.problems.add_line(line, reason)
        if self.with_outcomes:
            self.report.outcome(RowOutcome(line, "possible_duplicate", row.contact.name, self.shown_account(row.account),
                                           reason=reason, candidate={"id": candidate_id, "name": theirs[0],
                                                                     "email": theirs[1]}))  # fmt: skip

    def _plan_new(self, row: ContactPlanRow, key: str) -> int:
        """A new person: their row waits in the batch; returns their id."""
        contact, account_id = row.contact, row.account.id
        contact_id, self.next_id = self.next_id, self.next_id + 1
        self.pending.append(_new_contact_row(contact_id, account_id, row, self.optional))
        if contact.roles:
            self.pending_roles += [(contact_id, r) for r in sorted(contact.roles)]
        self.index.add(
            contact_id, account_id, contact.name, contact.email, contact.crm, contact.crm_id, known=False, key=key
        )
        self.report.added += 1
        if self.with_outcomes:
            added = {
                f: [None, _show(v)]
                for f in sorted(row.present)
                if f in _COLUMN and (v := getattr(contact, f)) not in ("", None, frozenset())
            }
            self.report.outcome(
                RowOutcome(row.line, "add", contact.name, self.shown_account(row.account), changes=added)
            )
        return contact_id

    def _plan_update(self, row: ContactPlanRow, how: str, contact_id: int) -> int:
        """A stored person: write what changed (only then the whole record is read); returns the
        account they stay at."""
        contact = row.contact
        if contact_id not in self.existing:  # matched someone added earlier in this same file
            self._flush()
            self.writer.drain()
            self.existing.update(_stored_contacts(self.store, contact_id))
        stored = self.existing[contact_id]
        fields = set(row.present) | {"name"}
        if "level_inferred" in fields and not stored[_COLUMN["level_inferred"]]:
            fields -= {"level", "level_inferred"}  # a guess from the title never overrides a level set
        if how != "crm" and stored[_CRM_ID] and not (contact.crm_id and contact.crm == stored[_CRM]):
            fields -= {"crm", "crm_id"}  # keep the identity it has in another CRM
        changes = {f: value for f in fields if (value := getattr(contact, f)) != stored[_COLUMN[f]]}
        row_signals = self._change_signals(row, contact_id, stored, "title" in changes)
        if not changes:
            self.report.unchanged += 1
            if self.with_outcomes:
                self.report.outcome(RowOutcome(row.line, "unchanged", contact.name, self.shown_account(row.account),
                                               signals=row_signals))  # fmt: skip
            return stored[0]
        self._write_update(contact_id, changes)
        self.report.updated += 1
        if self.with_outcomes:
            shown = {f: [_show(stored[_COLUMN[f]]), _show(v)] for f, v in changes.items() if f in _COLUMN}
            self.report.outcome(RowOutcome(row.line, "update", contact.name, self.shown_account(row.account),
                                           changes=shown, signals=row_signals))  # fmt: skip
        return self.existing[contact_id][0]

    def _write_update(self, contact_id: int, changes: dict[str, Any]) -> None:
        self.writer.drain()
        current = self.store.contact(contact_id)  # only now the whole validated record: most rows are unchanged
        # The store's one write of a contact: a status change to or from departed
        # has its playbook effects here too (DOMAIN section 6), dated `today`.
        self.store.repos.contacts.write(
            self.c, current.model_copy(update=changes), check_version=False, today=self.options.today
        )
        fresh = _stored_contacts(self.store, contact_id)
        self.existing.update(fresh)
        r = fresh[contact_id]
        self.index.add(contact_id, r[0], r[_NAME], r[_EMAIL], r[_CRM], r[_CRM_ID])

    def _change_signals(self, row: ContactPlanRow, contact_id: int, stored: tuple, new_title: bool) -> list[str]:
        """Signals a stored person's row raises (moved_account, title_changed), and the same in words."""
        line, contact, today = row.line, row.contact, self.options.today
        account_id, crm_words, source = row.account.id, self.crm_words, self.source
        words: list[str] = []
        if stored[0] != account_id:  # the CRM has them elsewhere: the CSM decides (moved_account)
            self.raised.append(Signal(
                kind="moved_account", contact_id=contact_id, raised_on=today, other_account_id=account_id,
                evidence=f"{crm_words} now has them at {row.account.name} ({source} line {line})",
                evidence_key=f"{self.crm}:{contact.crm_id}:{account_id}",
            ))  # fmt: skip
            words.append(f"moved_account: {crm_words} has them at {row.account.name}")
        # A new title is taken; it is news for the CSM when it reads as another level
        # (a promotion, a new role), not when it is the same job in other words.
        old_title = stored[_COLUMN["title"]]
        implied = infer_level(contact.title) if new_title and contact.title else None
        if implied is not None and old_title and implied != stored[_COLUMN["level"]]:
            self.raised.append(Signal(
                kind="title_changed", contact_id=contact_id, raised_on=today, new_title=contact.title,
                new_level=implied,
                evidence=f"{crm_words} has the title {contact.title!r}, was {old_title!r} ({source} line {line})",
                evidence_key=f"title:{name_key(contact.title)}",
            ))  # fmt: skip
            words.append(f"title_changed: {old_title} -> {contact.title}")
        return words

    def _after_row(self, row: ContactPlanRow, contact_id: int, account_id: int, *, is_new: bool) -> None:
        """What any matched or added row brings besides the record: a bounce, a reports-to, a last touch."""
        line = row.line
        # Each step only for a row that has it: most rows have none of them (200,000 rows).
        address = row.bounce and (
            row.contact.email or (self.existing[contact_id][_EMAIL] if contact_id in self.existing else "")
        )
        if row.bounce and address:
            self.raised.append(Signal(
                kind="email_bounced", contact_id=contact_id, raised_on=self.options.today,
                evidence=f"{self.crm_words} has mail to {address} {row.bounce} ({self.source} line {line})",
                evidence_key=f"{self.crm}:{address.casefold()}:{row.bounce}",
            ))  # fmt: skip
        if row.reports_to:
            self.reports.append((line, row.reports_to_column, row.reports_to, row.account.name, contact_id, account_id))
        if row.influences:
            self.influenced.extend((line, row.influences_column, ref, sign, row.account.name, contact_id, account_id)
                                   for ref, sign in row.influences)  # fmt: skip
        if row.last_touch is not None:
            touch = (contact_id, row.last_touch.isoformat(), row.last_touch_kind, "imported last activity")
            (self.touches if is_new else self.stored_touches).append(touch)

    def _raise_signals(self) -> None:
        if self.options.full:
            self.raised.extend(self._missing_from_crm())
        self.report.signals = self.store.repos.signals.raise_signals(self.raised)

    def _missing_from_crm(self) -> list[Signal]:
        """Stored people of the accounts a whole-list file names, with an id of its CRM, that it lacks."""
        return [
            Signal(kind="missing_from_crm", contact_id=cid, raised_on=self.options.today,
                   evidence_key=f"{self.crm}:{crm_id}",
                   evidence=f"{self.source}, {self.crm_words}'s whole list for {self.account_name(account_id)}, "
                            f"lacks their record {crm_id}")
            for cid, account_id, crm_id in self.store.repos.contacts.crm_people(self.accounts_named, self.crm)
            if cid < self.first_new and not self.lines.of(cid)
        ]  # fmt: skip

    def _named(self, reference: str, account_id: int) -> int | None:
        """A contact of the account the file names: by CRM id, then email, then name."""
        index, crm = self.index, self.crm
        found = (
            index.by_crm.get((crm, crm_key(crm, reference)))
            or index.by_email.get((account_id, reference.casefold()))
            or _only(index.named(account_id, name_key(reference)))
        )
        return found if found is not None and index.facts[found][0] == account_id else None

    def _link_reports_to(self) -> None:
        """Reports-to and influence lines, once every row is in: by CRM id, then email, then name, in
        the same account."""
        late: dict[int, str] = {}
        for start in range(0, len(self.reports), _BATCH):  # the people they name, a batch at a time
            reports = self.reports[start : start + _BATCH]
            self._read_near({r[5] for r in reports}, {crm_key(self.crm, r[2]) for r in reports})
            links = []
            for line, column, reference, account, contact_id, account_id in reports:
                boss_id = self._named(reference, account_id)
                if boss_id is None:
                    late[line] = f"{column}: no contact {reference!r} at {account}"
                    continue
                links.append((line, column, boss_id, contact_id))
            for line, column, boss_id, contact_id in links:
                try:
                    self.c.execute("UPDATE contacts SET reports_to_id = ? WHERE id = ?", (boss_id, contact_id))
                except sqlite3.IntegrityError as exc:
                    late[line] = f"{column}: {exc}"
        for start in range(0, len(self.influenced), _BATCH):
            lines = self.influenced[start : start + _BATCH]
            self._read_near({r[6] for r in lines}, {crm_key(self.crm, r[2]) for r in lines})
            late.update(_influence_lines(self.c, lines, self._named))
        if late and self.lenient and not self.options.dry_run:
            raise _Retry(late)  # roll back, then import again without those lines
        for line, reason in late.items():
            column, _, why = reason.partition(": ")
            self.problems.add(line, column, why)

    def _final_outcomes(self) -> None:
        """Every line's outcome in line order, rejected ones included; a dry run's counts from them."""
        report = self.report
        if report.outcomes is None:
            return
        have = {o.line for o in report.outcomes}
        for line, reason in report.rejected_reasons.items():
            if line not in have:
                report.outcomes.append(RowOutcome(line, "rejected", self.names.get(line, ""), reason=reason))
            else:  # a written row that a late problem (reports-to) rejects after all
                for o in report.outcomes:
                    if o.line == line and o.action != "possible_duplicate":
                        o.action, o.reason, o.changes = "rejected", reason, None
        report.outcomes.sort(key=lambda o: o.line)
        if self.options.dry_run:  # counts as the import would leave them: late rejections are not added or updated
            report.added = sum(o.action == "add" for o in report.outcomes)
            report.updated = sum(o.action == "update" for o in report.outcomes)
            report.unchanged = sum(o.action == "unchanged" for o in report.outcomes)


def _unseen(c: Connection, touches: list[tuple[int, str, str, str]]) -> list[tuple[int, str, str, str]]:
    """The touches whose contact has none on that day in the store: one read per chunk of people."""
    seen: set[tuple[int, str]] = set()
    for where, ids in id_filters("contact_id", [t[0] for t in touches]):
        seen.update(
            (cid, str(day)) for cid, day in c.execute(f"SELECT contact_id, date FROM touches WHERE {where}", ids)
        )
    return [t for t in touches if (t[0], t[1]) not in seen]


def _only(ids: list[int]) -> int | None:
    return ids[0] if len(ids) == 1 else None


def _influence_lines(
    c: Connection,
    influenced: list[tuple[int, str, str, str, str, int, int]],
    named: Callable[[str, int], int | None],
) -> dict[int, str]:
    """A contacts file's `influences` cells as lines from each row's contact, new or with their
    sign changed (lines the file does not name stay); the lines that cannot be drawn, by line."""
    late: dict[int, str] = {}
    for line, column, reference, sign, account, contact_id, account_id in influenced:
        target = named(reference, account_id)
        if target is None:
            late[line] = f"{column}: no contact {shorten(reference)!r} at {account}"
        elif target == contact_id:
            late[line] = f"{column}: {shorten(reference)!r} is this contact: a contact does not influence itself"
        else:
            c.execute(
                "INSERT INTO influences (account_id, from_id, to_id, sign) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (from_id, to_id) DO UPDATE SET sign = excluded.sign",
                (account_id, contact_id, target, sign),
            )
    return late


__all__ = [
    "ImportReport",
    "RowOutcome",
    "apply_accounts",
    "apply_contacts",
    "apply_executives",
    "apply_roles",
]
