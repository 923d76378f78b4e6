"""Commands about people across accounts and influence lines: person, link, unlink, exposure,
influence (CLI.md "People across accounts and influence")."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from stakeworks.cli.output import text_table
from stakeworks.cli.registry import command
from stakeworks.db.store import Store
from stakeworks.domain.errors import InputError
from stakeworks.domain.influence import MARKS
from stakeworks.domain.rules import strength_dots
from stakeworks.services import accounts as services
from stakeworks.services import people


def _roles(roles: frozenset[str]) -> list[str]:
    return sorted(roles)


@command("person")
def _person(args: argparse.Namespace, path: Path, today: date, out: Any) -> int:
    with Store(path) as store:
        view = people.person(store, args.who)
    data = {
        "person": view.name,
        "accounts": [
            {
                "account": r.account,
                "contact": r.name,
                "status": r.status,
                "roles": _roles(r.roles),
                "strength": r.strength,
                "departed": r.departed_on.isoformat() if r.departed_on else None,
            }
            for r in view.records
        ],
        "moves": [
            {"from": m.departed_account, "departed": m.departed_on.isoformat() if m.departed_on else None,
             "to": m.now_account}
            for m in view.moves
        ],
    }  # fmt: skip

    def text() -> str:
        rows = [
            [r.account, r.name, r.status, ", ".join(_roles(r.roles)) or "-", strength_dots(r.strength),
             r.departed_on.isoformat() if r.departed_on else "-"]
            for r in view.records
        ]  # fmt: skip
        lines = [view.name, text_table(["account", "contact", "status", "roles", "strength", "departed"], rows)]
        for m in view.moves:
            when = f" on {m.departed_on.isoformat()}" if m.departed_on else ""
            lines.append(f"Moved: left {m.departed_account}{when}; now active at {m.now_account}.")
        return "\n".join(lines)

    out.emit(data, text)
    return 0


def _pair_data(pair: people.Pair) -> dict[str, Any]:
    return {
        "contact": {"account": pair.first_account, "name": pair.first.name},
        "other": {"account": pair.second_account, "name": pair.second.name},
    }


@command("link")
def _link(args: argparse.Namespace, path: Path, today: date, out: Any) -> int:
    with Store(path) as store:
        first, second = services.find_account(store, args.account), services.find_account(store, args.account2)
        pair, new = people.link(store, first, args.contact, second, args.contact2)
    who = f"{pair.first.name} at {pair.first_account} and {pair.second.name} at {pair.second_account}"
    out.emit({**_pair_data(pair), "linked": new},
             lambda: f"{who} are the same person." + ("" if new else " (They were linked already.)"))  # fmt: skip
    return 0


@command("unlink")
def _unlink(args: argparse.Namespace, path: Path, today: date, out: Any) -> int:
    with Store(path) as store:
        first, second = services.find_account(store, args.account), services.find_account(store, args.account2)
        pair = people.unlink(store, first, args.contact, second, args.contact2)
    who = f"{pair.first.name} at {pair.first_account} and {pair.second.name} at {pair.second_account}"
    out.emit({**_pair_data(pair), "linked": False}, lambda: f"{who} are no longer linked.")
    return 0


@command("exposure")
def _exposure(args: argparse.Namespace, path: Path, today: date, out: Any) -> int:
    with Store(path) as store:
        found = people.portfolio_exposure(store, today)
    data = [
        {
            "person": e.person,
            "accounts": [
                {"account": a.account, "roles": _roles(a.roles), "score": a.score, "score_if_gone": a.score_if_gone,
                 "arr": a.arr}
                for a in e.accounts
            ],
            "arr_at_risk": e.arr_at_risk,
        }
        for e in found
    ]  # fmt: skip

    def text() -> str:
        if not found:
            return "Nobody is an engaged champion or economic buyer at two or more accounts."
        blocks = []
        for e in found:
            rows = [
                [a.account, ", ".join(_roles(a.roles)) or "-", f"{a.score} / 100", f"{a.score_if_gone} / 100",
                 f"{a.arr:,.0f}", "+ " + ", ".join(a.added_factors) if a.added_factors else ""]
                for a in e.accounts
            ]  # fmt: skip
            head = ["account", "roles", "risk score now", "if they leave", "ARR", "adds"]
            blocks.append(f"{e.person}: {e.arr_at_risk:,.0f} ARR at stake\n" + text_table(head, rows))
        return "\n\n".join(blocks)

    out.emit(data, text)
    return 0


@command("influence")
def _influence(args: argparse.Namespace, path: Path, today: date, out: Any) -> int:
    words = list(args.words)
    removing = len(words) == 4 and words[0] == "remove"
    if removing:
        words = words[1:]
    if len(words) != 3:
        raise InputError(
            "influence ACCOUNT FROM TO --sign positive|negative|neutral, or influence remove ACCOUNT FROM TO"
        )
    if not removing and args.sign is None:
        raise InputError("influence: --sign is required (positive, negative or neutral)")
    with Store(path) as store:
        account_id = services.find_account(store, words[0])
        account = dict(store.account_names(account_id))[account_id]
        if removing:
            gone = people.remove_influence(store, account_id, words[1], words[2])
            data = {"account": account, "from": gone.source, "to": gone.target, "removed": True}
            out.emit(data, lambda: f"Influence line {gone.source} -> {gone.target} removed.")
            return 0
        named, new = people.set_influence(store, account_id, words[1], words[2], args.sign, args.note)
    line = named.line
    data = {"account": account, "from": named.source, "to": named.target, "sign": line.sign, "note": line.note,
            "added": new}  # fmt: skip
    verb = "added" if new else "changed"
    out.emit(data, lambda: f"Influence line {named.source} -> {named.target} ({line.sign} {MARKS[line.sign]}) {verb}.")
    return 0
