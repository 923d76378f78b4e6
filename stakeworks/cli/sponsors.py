"""`stakeworks sponsors ...`: list, candidates, suggest, assign, unassign; and for the
program's owner: nominate, review, approve, decline, report."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from stakeworks.cli.args import user_name
from stakeworks.cli.output import say
from stakeworks.cli.registry import Handler, command
from stakeworks.db.store import Store
from stakeworks.domain.errors import InputError
from stakeworks.domain.models import StoredExecutive
from stakeworks.domain.search import resolve
from stakeworks.domain.sponsors import Pair, Scored, briefly
from stakeworks.services import accounts as services
from stakeworks.services import program
from stakeworks.services import sponsor_reviews as reviews


def _components(s: Scored) -> dict[str, Any]:
    return {c.name: {"points": c.points, "why": c.why} for c in s.components}


def _table(headers: list[str], rows: list[list[str]]) -> str:
    from stakeworks.cli.output import text_table

    return text_table(headers, rows)


def _executive(store: Store, name: str) -> StoredExecutive:
    execs = store.executives()
    ex_id = resolve(name, [(e.id, e.name) for e in execs], "executive")
    return next(e for e in execs if e.id == ex_id)


@command("sponsors")
def run(args: argparse.Namespace, path: Path, today: date, out: Any) -> int:
    action = args.action
    if action in OWNER_ACTIONS:
        return OWNER_ACTIONS[action](args, path, today, out)
    with Store(path) as store:
        if action in ("assign", "unassign"):
            return _assign_or_unassign(store, args, today, out)
        prog = program.load_program(store, today)
        labels = services.account_labels(store)  # two accounts of one name told apart
    if action is None:
        return _list_executives(prog, labels, out)
    if action == "candidates":
        return _list_candidates(prog, labels, out)
    pairs = prog.suggestion()
    if getattr(args, "apply", False) or getattr(args, "approve", False):
        return _apply_suggestion(args, path, today, out, pairs)
    return _show_suggestion(pairs, labels, out)


def _assign_or_unassign(store: Store, args: argparse.Namespace, today: date, out: Any) -> int:
    action = args.action
    ex = _executive(store, args.executive)
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


def _list_executives(prog: program.Program, labels: dict[int, str], out: Any) -> int:
    data: dict[str, list[dict[str, Any]]] = {
        "executives": [
            {
                "name": e.name,
                "title": e.title,
                "level": str(e.level),
                "function": e.function,
                "capacity": e.capacity,
                "active": len(prog.load.get(e.id, [])),
                "accounts": [labels.get(a, n) for a, n in prog.load.get(e.id, [])],
                "over_capacity": len(prog.load.get(e.id, [])) > e.capacity,
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


def _list_candidates(prog: program.Program, labels: dict[int, str], out: Any) -> int:
    rows: list[dict[str, Any]] = [
        {
            "rank": c.rank,
            "account": labels.get(c.account.id, c.account.name),
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


def _show_suggestion(pairs: list[Pair], labels: dict[int, str], out: Any) -> int:
    rows: list[dict[str, Any]] = [
        {
            "executive": p.executive.name,
            "account": labels.get(p.account.id, p.account.name),
            "fit": p.fit.total,
            "components": _components(p.fit),
        }
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


# -- the program's owner ----------------------------------------------------------------


def _apply_suggestion(args: argparse.Namespace, path: Path, today: date, out: Any, pairs: list[Pair]) -> int:
    by = user_name(args)
    with Store(path) as store:
        if args.approve:
            count = reviews.approve_suggestion(store, pairs, by, today)
            verb = "approved now"
        else:
            count = reviews.queue_suggestion(store, pairs, by, today)
            verb = "put in the review queue"
    out.emit(
        {"pairs": [{"executive": p.executive.name, "account": p.account.name} for p in pairs],
         "action": "approved" if args.approve else "queued", "count": count},
        lambda: f"{count} suggested pair{'s' if count != 1 else ''} {verb}"
        + ("" if args.approve else " (stakeworks sponsors review)") + ".",
    )  # fmt: skip
    return 0


def _nominate(args: argparse.Namespace, path: Path, today: date, out: Any) -> int:
    by = user_name(args)
    with Store(path) as store:
        account_id = services.find_account(store, args.account)
        ex = _executive(store, args.executive) if args.executive else None
        review_id = reviews.nominate(store, account_id, ex, args.reason, by, today)
        name = store.account(account_id).name
    out.emit(
        {"id": review_id, "account": name, "executive": ex.name if ex else None, "reason": args.reason.strip(),
         "proposed_by": by, "status": "pending"},
        lambda: f"Nominated {name}" + (f" with {ex.name}" if ex else "") + f" (entry {review_id}); nothing is "
        "assigned until the program's owner approves it (stakeworks sponsors review).",
    )  # fmt: skip
    return 0


def _entry_json(e: reviews.QueueEntry) -> dict[str, Any]:
    r = e.review
    return {
        "id": r.id,
        "source": r.source,
        "account": e.account,
        "executive": e.executive.name if e.executive else None,
        "reason": r.reason,
        "proposed_by": r.proposed_by,
        "proposed_on": r.proposed_on.isoformat(),
        "fit": e.fit.total if e.fit else None,
        "components": _components(e.fit) if e.fit else None,
        "load": e.load,
        "capacity": e.executive.capacity if e.executive else None,
        "load_after": e.load_after,
        "over_limit": e.over_limit,
        "options": [{"executive": ex.name, "fit": f.total, "components": _components(f)} for ex, f in e.options],
    }


def _review(args: argparse.Namespace, path: Path, today: date, out: Any) -> int:
    with Store(path) as store:
        entries = reviews.queue(store, today)

    def text() -> str:
        if not entries:
            return "Nothing waiting for review."
        lines = []
        for e in entries:
            r = e.review
            head = f"#{r.id} {e.account}" + (f" ← {e.executive.name}" if e.executive else " (no executive named)")
            lines.append(f"{head}  [{r.source} by {r.proposed_by or '?'} on {r.proposed_on}]")
            if r.reason:
                lines.append(f"    why: {r.reason}")
            if e.executive and e.fit:
                lines.append(f"    fit {e.fit.total:.0f}: {briefly(e.fit)}")
                after = f"{len(e.load)}/{e.executive.capacity} -> {e.load_after}/{e.executive.capacity}"
                held = f" ({', '.join(e.load)})" if e.load else ""
                lines.append(
                    f"    load {after}{held}" + ("  OVER THE LIMIT: approval is refused" if e.over_limit else "")
                )
            for ex, f in e.options:
                lines.append(f"    option: {ex.name}, fit {f.total:.0f}: {briefly(f)}")
        return "\n".join(lines)

    out.emit([_entry_json(e) for e in entries], text)
    return 0


def _approve(args: argparse.Namespace, path: Path, today: date, out: Any) -> int:
    by = user_name(args)
    with Store(path) as store:
        ex = _executive(store, args.executive) if args.executive else None
        ex_name, account = reviews.approve(store, args.id, ex, by, today)
    out.emit(
        {"id": args.id, "status": "approved", "executive": ex_name, "account": account, "decided_by": by},
        lambda: f"Approved: {ex_name} now sponsors {account}.",
    )
    return 0


def _decline(args: argparse.Namespace, path: Path, today: date, out: Any) -> int:
    by = user_name(args)
    with Store(path) as store:
        account = reviews.decline(store, args.id, args.reason, by, today)
    out.emit(
        {"id": args.id, "status": "declined", "account": account, "reason": args.reason.strip(), "decided_by": by},
        lambda: f"Declined entry {args.id} ({account}).",
    )
    return 0


def _report(args: argparse.Namespace, path: Path, today: date, out: Any) -> int:
    from stakeworks.interchange import sponsor_report as render

    with Store(path) as store:
        report = reviews.report(store, today)
    if args.export is None and not args.output:
        out.emit(render.report_json(report), lambda: render.render_markdown(report).rstrip("\n"))
        return 0
    if args.json:
        raise InputError("--json and --export/--output: choose one")
    text = render.render_csv(report) if args.export == "csv" else render.render_markdown(report)
    if args.output:
        from stakeworks.interchange import files

        target = files.check_output(args.output, path)  # never the store itself
        files.write_text(target, text)
        if not files.goes_to_stdout(target):
            sys.stdout.write(say(f"Wrote {target}.") + "\n")
    else:
        sys.stdout.write(say(text))
    return 0


OWNER_ACTIONS: dict[str, Handler] = {
    "nominate": _nominate,
    "review": _review,
    "approve": _approve,
    "decline": _decline,
    "report": _report,
}
