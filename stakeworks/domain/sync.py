"""Offline work against a team store (CLI.md "Offline work"): what a sync sends and what it
leaves as a conflict, worked out as a three-way merge of plain rows.

`base` is what the server held at the last sync (kept in the offline copy), `mine` what the
copy holds now, `theirs` what the server holds now; each is `{table: {key: row}}`, a row a dict
of column to value. A field changed on one side only goes to the other; a field changed on
both sides to different values is a conflict, left as it is until someone picks a side.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

Row = dict[str, Any]
Tables = Mapping[str, Mapping[str, Row]]
FieldKey = tuple[str, str, str]  # table, key, field
Progress = Callable[[str, int, int], None]
"""A sync's progress, for a progress bar: (stage, done, total); total 0 while not known yet.
Stages: "reading" (both sides), "sending" (changes to the server), "receiving" (into the copy)."""

# Kept by the store itself (a record's version, a contact's last touch from its touches):
# never compared, never sent.
DERIVED = frozenset({"version", "last_touch", "last_touch_kind"})
# The field of a conflict over a whole record: deleted on one side, changed on the other.
WHOLE = "(the record)"


@dataclass(frozen=True, slots=True)
class Change:
    """One record changed in the copy since the last sync: its changed fields (an update),
    its whole row (an insert), or nothing (a delete)."""

    table: str
    key: str
    kind: str  # insert, update, delete
    fields: Row = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Conflict:
    table: str
    key: str
    field: str  # a column, or WHOLE
    mine: Any
    theirs: Any
    changed: tuple[str, ...] = ()  # WHOLE: the fields the side that kept the record changed


def _changed(old: Row, new: Row) -> tuple[str, ...]:
    return tuple(sorted(f for f, v in new.items() if f not in DERIVED and old.get(f) != v))


@dataclass(slots=True)
class Plan:
    send: list[Change]
    conflicts: list[Conflict]


def local_changes(base: Tables, mine: Tables, tables: Iterable[str]) -> list[Change]:
    """What the copy changed since the last sync, parents' inserts before their children's
    (`tables` in that order) and children's deletes before their parents'."""
    inserts: list[Change] = []
    updates: list[Change] = []
    deletes: list[Change] = []
    for table in tables:
        before, now = base.get(table, {}), mine.get(table, {})
        for key, row in now.items():
            old = before.get(key)
            if old is None:
                inserts.append(Change(table, key, "insert", dict(row)))
                continue
            changed = {f: v for f, v in row.items() if f not in DERIVED and old.get(f) != v}
            if changed:
                updates.append(Change(table, key, "update", changed))
        deletes += [Change(table, key, "delete") for key in before if key not in now]
    return inserts + updates + list(reversed(deletes))


def merge(base: Tables, mine: Tables, theirs: Tables, tables: Iterable[str], held: set[FieldKey]) -> Plan:
    """What to send, and the conflicts: a field both sides changed to different values, or one
    `held` in a conflict not yet resolved (it stays one, with the server's value of now); a
    record changed on one side and deleted on the other is a conflict over the whole record."""
    plan = Plan([], [])
    for change in local_changes(base, mine, tables):
        server = theirs.get(change.table, {}).get(change.key)
        whole = (change.table, change.key, WHOLE)
        if change.kind == "insert" and whole in held:  # the record the server deleted, kept here
            plan.conflicts.append(Conflict(change.table, change.key, WHOLE, "changed", "deleted"))
            continue
        if change.kind == "delete" and server is not None:
            changed = _changed(base[change.table][change.key], server)
            if whole in held or changed:  # deleted here, changed on the server
                text = f"changed {', '.join(changed)}" if changed else "changed"
                plan.conflicts.append(Conflict(change.table, change.key, WHOLE, "deleted", text, changed))
                continue
        if change.kind != "update":
            if server is not None or change.kind == "insert":  # deleted on both sides: nothing to do
                plan.send.append(change)
            continue
        if server is None:  # changed here, deleted on the server
            changed = tuple(sorted(change.fields))
            plan.conflicts.append(
                Conflict(change.table, change.key, WHOLE, f"changed {', '.join(changed)}", "deleted", changed)
            )
            continue
        old = base[change.table][change.key]
        send: Row = {}
        for name, value in change.fields.items():
            theirs_now = server.get(name)
            if theirs_now == value:
                continue  # both made the same change (or a sync cut short sent it already)
            if (change.table, change.key, name) in held or theirs_now != old.get(name):
                plan.conflicts.append(Conflict(change.table, change.key, name, value, theirs_now))
            else:
                send[name] = value
        if send:
            plan.send.append(Change(change.table, change.key, "update", send))
    return plan


@dataclass(frozen=True, slots=True)
class OfflineStatus:
    """Where an offline copy stands, for the app's status line."""

    server: str  # the team store's URL, without a password
    last_sync: datetime | None  # None: never synced since the checkout
    to_send: int  # records changed in the copy since the last sync
    conflicts: int
    refused: int  # refused changes kept aside, sent again at each sync

    def words(self, now: datetime) -> str:
        """'offline copy of team@db.example, last sync 2 h ago, 14 changes to send'."""
        parts = urlsplit(self.server)
        where = f"{parts.path.lstrip('/') or 'team'}@{parts.hostname or 'local'}"
        text = (
            f"offline copy of {where}, last sync {_ago(self.last_sync, now)}, {_count(self.to_send, 'change')} to send"
        )
        if self.conflicts:
            text += f", {_count(self.conflicts, 'conflict')}"
        if self.refused:
            text += f", {self.refused} refused"
        return text


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _ago(then: datetime | None, now: datetime) -> str:
    if then is None:
        return "never"
    minutes = max(0, int((now - then).total_seconds() // 60))
    if minutes < 1:
        return "just now"
    if minutes < 60:
        return f"{minutes} min ago"
    if minutes < 48 * 60:
        return f"{minutes // 60} h ago"
    return f"{minutes // (24 * 60)} days ago"
