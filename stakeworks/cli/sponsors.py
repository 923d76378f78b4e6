"""`stakeworks sponsors ...`: list, candidates, suggest, assign, unassign."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from stakeworks.cli.registry import command
from stakeworks.db.store import Store
from stakeworks.domain.errors import InputError
from stakeworks.domain.search import resolve
from stakeworks.domain.sponsors import Scored
from stakeworks.services import accounts as services
from stakeworks.services import program


def _components(s: Scored) -> dict[str, Any]:
    return {c.name: {"points": c.points, "why": c.why} for c in s.components}


def _table(headers: list[str], rows: list[list[str]]) -> str:
    from stakeworks.cli.output import text_table

    return text_table(headers, rows)


@command("sponsors")
def run(args: argparse.Namespace, path: Path, today: date, out: Any) -> int:
    action = args.action
    with Store(path) as store:
        if action in ("assign", "unassign"):
            if not args.executive or not args.account:
                raise InputError(f"usage: stakeworks sponsors {action} EXECUTIVE ACCOUNT")
            execs = store.executives()
            ex_id = resolve(args.executive, [(e.id, e.name) for e in execs], "executive")  # type: ignore[misc]
            ex = next(e for e in execs if e.id == ex_id)
            account_id = services.find_account(store, args.account)
            name = store.account(account_id).name
            if action == "assign":
                program.assign(store, ex, account_id, name, today)
                verb = "now sponsors"
            else:
                program.unassign(store, ex, account_id, name, today)
                verb = "no longer sponsors"
            load = program.load_program_load(store, ex.id)
            out.emit(
                {"executive": ex.name, "account": name, "action": action, "load": len(load), "capacity": ex.capacity},
                lambda: f"{ex.name} {verb} {name} ({len(load)}/{ex.capacity}).",
            )
            return 0
        prog = program.load_program(store, today)
    if action is None:
        data: dict[str, list[dict[str, Any]]] = {
            "executives": [
                {
                    "name": e.name,
                    "title": e.title,
                    "level": str(e.level),
                    "function": e.function,
                    "capacity": e.capacity,
                    "active": len(prog.load.get(e.id, [])),  # type: ignore[arg-type]
                    "accounts": [n for _, n in prog.load.get(e.id, [])],  # type: ignore[arg-type]
                    "over_capacity": len(prog.load.get(e.id, [])) > e.capacity,  # type: ignore[arg-type]
                    "exception_reason": e.exception_reason,
                }
                for e in prog.executives
            ]
        }
        out.emit(
            data,
            lambda: _table(
                ["executive", "level", "load", "accounts"],
                [
                    [
                        d["name"],
                        d["level"],
                        f"{'█' * d['active']}{'░' * max(0, d['capacity'] - d['active'])} {d['active']}/{d['capacity']}",
                        ", ".join(d["accounts"]) or "—",
                    ]
                    for d in data["executives"]
                ],  # fmt: skip
            ),
        )
        return 0
    if action == "candidates":
        rows: list[dict[str, Any]] = [
            {
                "rank": c.rank,
                "account": c.account.name,
                "in_program": c.in_program,
                "sponsors": list(c.sponsors),
                "score": c.score.total,
                "components": _components(c.score),
            }
            for c in prog.candidates
        ]
        out.emit(
            rows,
            lambda: _table(
                ["#", "account", "score", "ARR", "strat", "growth", "risk", "kraljic", "sponsor"],
                [
                    [str(r["rank"]) + ("" if r["in_program"] else " (below cut)"), r["account"], f"{r['score']:.1f}"]
                    + [
                        f"{r['components'][k]['points']:.1f}"
                        for k in ("arr", "strategic_value", "growth_potential", "risk", "kraljic")
                    ]
                    + [", ".join(r["sponsors"]) or "—"]
                    for r in rows
                ],  # fmt: skip
            ),
        )
        return 0
    pairs = prog.suggestion()
    rows = [
        {"executive": p.executive.name, "account": p.account.name, "fit": p.fit.total, "components": _components(p.fit)}
        for p in pairs
    ]
    out.emit(
        {"pairs": rows, "total_fit": sum(r["fit"] for r in rows)},
        lambda: (
            _table(
                ["executive", "account", "fit", "why"],
                [
                    [
                        r["executive"],
                        r["account"],
                        f"{r['fit']:.0f}",
                        "; ".join(v["why"] for v in r["components"].values() if v["points"]),
                    ]
                    for r in rows
                ],  # fmt: skip
            )
            if rows
            else "No open program accounts, or no executive with free capacity."
        ),
    )
    return 0
