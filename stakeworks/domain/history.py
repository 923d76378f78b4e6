"""An account's history (who changed what, when) and the map's difference since a day:
"what changed since the last QBR" (CLI.md "Team store").

The lines come from the store's history (db/history.py); this module only reads them, so the
same diff serves the command line and the account screen.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True, slots=True)
class HistoryLine:
    at: str  # YYYY-MM-DDTHH:MM:SSZ
    user: str
    record: str  # account, contact, sponsor
    record_id: int | None
    name: str
    field: str  # a column, "role", or "created"/"deleted"
    old: str | None
    new: str | None

    def as_json(self) -> dict[str, str | None]:
        return {"at": self.at, "user": self.user, "record": self.record, "name": self.name, "field": self.field,
                "old": self.old, "new": self.new}  # fmt: skip

    def in_words(self) -> str:
        what = f"{self.record} {self.name}"
        if self.field == "created":
            return f"{what} added"
        if self.field == "deleted":
            return f"{what} deleted"
        if self.field == "role":
            return f"{what}: role {self.new} gained" if self.new else f"{what}: role {self.old} lost"
        return f"{what}: {self.field} {_shown(self.old)} -> {_shown(self.new)}"


def _shown(value: str | None) -> str:
    return "(none)" if value is None or value == "" else repr(value)


@dataclass(frozen=True, slots=True)
class Change:
    name: str
    old: str | None
    new: str | None


@dataclass
class MapDiff:
    """The map at an account since a day: who came and went, roles, strength and sentiment."""

    since: date
    added: list[str] = field(default_factory=list)
    departed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    roles_gained: list[Change] = field(default_factory=list)  # old None, new the role
    roles_lost: list[Change] = field(default_factory=list)
    strength: list[Change] = field(default_factory=list)
    sentiment: list[Change] = field(default_factory=list)
    score_then: tuple[date, int, str] | None = None  # the last score recorded on or before `since`
    score_now: tuple[int, str] | None = None

    @property
    def empty(self) -> bool:
        return not (self.added or self.departed or self.removed or self.roles_gained or self.roles_lost
                    or self.strength or self.sentiment)  # fmt: skip


def diff_since(since: date, lines: Iterable[HistoryLine], account_name: str) -> MapDiff:
    """The net effect of `lines` (one account's, oldest first, all on or after `since`): a role
    gained and lost again, or a strength put back, is no change."""
    out = MapDiff(since)
    first: dict[tuple[int | None, str, str], str | None] = {}  # (contact, field, role) -> value before
    last: dict[tuple[int | None, str, str], str | None] = {}
    names: dict[int | None, str] = {}
    arrived: dict[int | None, bool] = {}
    for line in lines:
        if line.record != "contact":
            continue
        names[line.record_id] = line.name
        if line.field == "created" or (line.field == "account" and line.new == account_name):
            arrived[line.record_id] = True
            continue
        if line.field == "deleted" or (line.field == "account" and line.old == account_name):
            arrived[line.record_id] = False
            continue
        if line.field not in ("role", "strength", "sentiment", "status"):
            continue
        key = (line.record_id, line.field, (line.new or line.old or "") if line.field == "role" else "")
        first.setdefault(key, line.old)
        last[key] = line.new
    for contact, came in arrived.items():
        (out.added if came else out.removed).append(names[contact])
    for key, before in first.items():
        contact, what, _ = key
        after = last[key]
        if before == after or arrived.get(contact) is not None:
            continue  # back as it was; or the person came or went, which says it already
        name = names[contact]
        if what == "status":
            if after == "departed":
                out.departed.append(name)
        elif what == "role":
            (out.roles_gained if after else out.roles_lost).append(Change(name, before, after))
        else:
            getattr(out, what).append(Change(name, before, after))
    for items in (out.added, out.departed, out.removed):
        items.sort(key=str.casefold)
    for changes in (out.roles_gained, out.roles_lost, out.strength, out.sentiment):
        changes.sort(key=lambda c: (c.name.casefold(), c.old or "", c.new or ""))
    return out


def diff_lines(diff: MapDiff) -> list[str]:
    """The diff in words, a line each, for the command line and the account screen."""
    out = []
    if diff.score_then:
        day, score, risk = diff.score_then
        out.append(f"Risk score then: {score} / 100 ({risk}) on {day.isoformat()}")
    else:
        out.append(f"Risk score then: none recorded on or before {diff.since.isoformat()}")
    if diff.score_now:
        out.append(f"Risk score now:  {diff.score_now[0]} / 100 ({diff.score_now[1]})")
    sections: list[tuple[str, list[str]]] = [
        ("Added", diff.added),
        ("Departed", diff.departed),
        ("Removed", diff.removed),
        ("Roles gained", [f"{c.name}: {c.new}" for c in diff.roles_gained]),
        ("Roles lost", [f"{c.name}: {c.old}" for c in diff.roles_lost]),
        ("Strength", [f"{c.name}: {c.old or '-'} -> {c.new or '-'}" for c in diff.strength]),
        ("Sentiment", [f"{c.name}: {c.old} -> {c.new}" for c in diff.sentiment]),
    ]
    if diff.empty:
        out.append(f"Nobody came or went and no role, strength or sentiment changed since {diff.since.isoformat()}.")
    for title, items in sections:
        if items:
            out.append(f"{title}: " + "; ".join(items))
    return out


def diff_json(diff: MapDiff) -> dict[str, object]:
    def changes(items: list[Change]) -> list[dict[str, str | None]]:
        return [{"name": c.name, "old": c.old, "new": c.new} for c in items]

    then = diff.score_then
    return {
        "since": diff.since.isoformat(),
        "added": diff.added,
        "departed": diff.departed,
        "removed": diff.removed,
        "roles_gained": [{"name": c.name, "role": c.new} for c in diff.roles_gained],
        "roles_lost": [{"name": c.name, "role": c.old} for c in diff.roles_lost],
        "strength": changes(diff.strength),
        "sentiment": changes(diff.sentiment),
        "score_then": {"day": then[0].isoformat(), "score": then[1], "risk": then[2]} if then else None,
        "score_now": {"score": diff.score_now[0], "risk": diff.score_now[1]} if diff.score_now else None,
    }
