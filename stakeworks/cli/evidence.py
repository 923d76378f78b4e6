"""The map keeps itself on the command line (CLI.md revision 3): `seen`, `seen add`, `seen
dismiss`, `suggestions`, `suggestions accept|reject ID`, `whoknows`, `handover`."""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from stakeworks.cli.args import user_name
from stakeworks.cli.output import listing, text_table
from stakeworks.cli.registry import command
from stakeworks.db.store import Store
from stakeworks.domain.errors import InputError
from stakeworks.domain.evidence import Seen, Suggestion
from stakeworks.services import accounts as services
from stakeworks.services import evidence, our_side

SEEN_USAGE = "usage: stakeworks seen [ACCOUNT] | seen add ADDRESS [--account A] [--name N] | seen dismiss ADDRESS"
SUGGESTIONS_USAGE = "usage: stakeworks suggestions [ACCOUNT] | suggestions accept ID | suggestions reject ID"


def _seen_json(s: Seen, accounts: dict[int, str], contacts: dict[int, str]) -> dict[str, Any]:
    return {
        "address": s.address, "names": s.names,
        "account": accounts[s.account_id] if s.account_id is not None else None,
        "accounts": [accounts[a] for a in s.account_ids], "first_seen": s.first_seen.isoformat(),
        "last_seen": s.last_seen.isoformat(), "days": s.days, "meetings": s.meetings, "from_them": s.from_them,
        "to_them": s.to_them, "with": [contacts[c] for c in s.with_contacts if c in contacts],
    }  # fmt: skip


def _contact_names(store: Store, found: list[Seen]) -> dict[int, str]:
    return {c: name for c, (name, _) in store.contact_names_of(i for s in found for i in s.with_contacts).items()}


@command("seen")
def _seen(args: argparse.Namespace, path: Path, today: date, out: Any) -> int:
    words = list(args.words)
    if words and words[0] in ("add", "dismiss"):
        if len(words) != 2:
            raise InputError(SEEN_USAGE)
        return _seen_act(args, path, today, out, words[0], words[1])
    if len(words) > 1 or args.account or args.name:
        raise InputError(SEEN_USAGE)
    with Store(path) as store:
        account_id = services.find_account(store, words[0]) if words else None
        found = evidence.seen(store, today, account_id)
        accounts, contacts = dict(store.account_names()), _contact_names(store, found)
        rows = [_seen_json(s, accounts, contacts) for s in found]

    def text() -> str:
        if not rows:
            return "Nobody seen in mail or calendar who is not on the map."
        table = text_table(
            ["address", "name", "account", "days", "last seen", "meetings", "from them", "to them"],
            [[r["address"], (r["names"] or [""])[0], r["account"] or "/".join(r["accounts"]), str(r["days"]),
              r["last_seen"], str(r["meetings"]), str(r["from_them"]), str(r["to_them"])] for r in rows],
        )  # fmt: skip
        seen_with = [f"  {r['address']}: seen with {listing(r['with'], 5)}" for r in rows if r["with"]]
        return "\n".join([table, *seen_with, "Add one: stakeworks seen add ADDRESS; dismiss: seen dismiss ADDRESS."])

    out.emit(rows, text)
    return 0


def _seen_act(args: argparse.Namespace, path: Path, today: date, out: Any, action: str, address: str) -> int:
    with Store(path) as store:
        if action == "dismiss":
            if args.account or args.name:
                raise InputError("--account and --name go with seen add")
            person = evidence.dismiss_seen(store, address, today, user_name(args))
            out.emit(
                {"address": person.address, "status": "dismissed"},
                lambda: f"{person.address} dismissed: it will not be proposed again.",
            )
            return 0
        account_id = services.find_account(store, args.account) if args.account else None
        added = evidence.add_seen(store, address, today, account_id, args.name)
    c = added.contact
    out.emit(
        {"address": c.email, "contact": c.name, "account": added.account, "touches": added.touches},
        lambda: f"Added {c.name} <{c.email}> to {added.account}, with {added.touches} touches from mail and calendar.",
    )
    return 0


def _suggestion_json(s: Suggestion, names: dict[int, tuple[str, str]]) -> dict[str, Any]:
    contact, account = names[s.contact_id]
    a = s.activity
    return {
        "id": s.id, "account": account, "contact": contact, "kind": s.kind, "strength": s.strength,
        "suggested": s.suggested, "reason": s.reason,
        "evidence": {"last_touch": s.last_touch.isoformat() if s.last_touch else None, "meetings_90d": a.meetings,
                     "from_them_90d": a.from_them, "from_them_days_90d": a.from_them_days, "to_them_90d": a.to_them},
    }  # fmt: skip


def _names(store: Store, contact_ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    accounts = dict(store.account_names())
    return {c: (name, accounts.get(a, "")) for c, (name, a) in store.contact_names_of(contact_ids).items()}


@command("suggestions")
def _suggestions(args: argparse.Namespace, path: Path, today: date, out: Any) -> int:
    words = list(args.words)
    if words and words[0] in ("accept", "reject"):
        if len(words) != 2 or not words[1].isdigit() or len(words[1]) > 18:
            raise InputError(SUGGESTIONS_USAGE)
        return _decide(args, path, today, out, words[0], int(words[1]))
    if len(words) > 1:
        raise InputError(SUGGESTIONS_USAGE)
    with Store(path) as store:
        account_id = services.find_account(store, words[0]) if words else None
        found = evidence.suggestions(store, today, account_id)
        names = _names(store, (s.contact_id for s in found))
    rows = [_suggestion_json(s, names) for s in found]

    def text() -> str:
        if not rows:
            return "No strength suggestions today."
        return text_table(
            ["id", "account", "contact", "kind", "strength", "suggested", "because"],
            [[str(r["id"]), r["account"], r["contact"], r["kind"], str(r["strength"] or "not rated"),
              str(r["suggested"]), r["reason"]] for r in rows],
        )  # fmt: skip

    out.emit(rows, text)
    return 0


def _decide(args: argparse.Namespace, path: Path, today: date, out: Any, action: str, suggestion_id: int) -> int:
    with Store(path) as store:
        if action == "accept":
            s, _ = evidence.accept(store, suggestion_id, today)
        else:
            s = evidence.reject(store, suggestion_id, today, user_name(args))
        contact, account = _names(store, [s.contact_id])[s.contact_id]
    status = "accepted" if action == "accept" else "rejected"
    done = (
        f"strength {s.strength or 'not rated'} -> {s.suggested}"
        if action == "accept"
        else "hidden until its evidence changes"
    )
    out.emit(
        {"id": suggestion_id, "status": status, "contact": contact, "account": account, "strength": s.suggested
         if action == "accept" else s.strength},
        lambda: f"Suggestion {suggestion_id} ({contact}, {account}) {status}: {done}.",
    )  # fmt: skip
    return 0


@command("whoknows")
def _whoknows(args: argparse.Namespace, path: Path, today: date, out: Any) -> int:
    with Store(path) as store:
        account_id = services.find_account(store, args.account)
        contacts = (
            [services.find_contact(store, account_id, args.contact)] if args.contact else store.contacts(account_id)
        )
        side = our_side.our_side(store, today, [account_id])
    rows: list[dict[str, Any]] = [
        {"contact": c.name, "ours": [{"who": k.who, "touches": k.touches, "last": k.last.isoformat()}
                                     for k in side.who_knows(c.id or 0)]}
        for c in contacts
    ]  # fmt: skip

    def text() -> str:
        return (
            "\n".join(
                f"{r['contact']}: "
                + (", ".join(f"{k['who']} ({k['touches']}, last {k['last']})" for k in r["ours"]) or "nobody of ours")
                for r in rows
            )
            or "No contacts."
        )

    out.emit(rows if not args.contact else rows[0], text)
    return 0


@command("handover")
def _handover(args: argparse.Namespace, path: Path, today: date, out: Any) -> int:
    with Store(path) as store:
        who, held = our_side.handover_of(store, args.who, today)
    accounts: list[dict[str, Any]] = [
        {"account": r.account, "orphaned": r.held.orphaned, "risk": r.risk, "score": r.score, "arr": r.arr,
         "contacts": [{"contact": r.contact_names.get(c.contact_id, "?"), "others": c.others}
                      for c in r.held.contacts]}
        for r in held
    ]  # fmt: skip

    def text() -> str:
        lines = [f"{who} holds {len(accounts)} accounts ({sum(a['orphaned'] for a in accounts)} orphaned):"]
        for a in accounts:
            mark = "ORPHANED " if a["orphaned"] else ""
            lines.append(f"  {mark}{a['account']}: risk {a['risk']}, score {a['score']}, ARR {a['arr']:,.0f}")
            lines += [
                f"    {c['contact']}: " + (", ".join(c["others"]) or "nobody else of ours") for c in a["contacts"]
            ]
        return "\n".join(lines)

    out.emit({"who": who, "accounts": accounts}, text)
    return 0
